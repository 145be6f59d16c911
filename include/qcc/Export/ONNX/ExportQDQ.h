//===- ExportQDQ.h - qcc's quantization as standard QDQ ONNX ----*- C++ -*-===//
#ifndef QCC_EXPORT_ONNX_EXPORTQDQ_H
#define QCC_EXPORT_ONNX_EXPORTQDQ_H

#include "qcc/Import/ONNX/ONNXImporter.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

namespace qcc {

/// Writes the ONNX model at `modelPath` with qcc's quantization applied as
/// standard QuantizeLinear/DequantizeLinear (`--emit=onnx`), so ONNX Runtime
/// or any other runtime executes the same quantization.
///
/// `quantized` is qcc's graph after the quantize pipeline without Q/DQ
/// fusion (layers keep their ONNX node names as locations). For each
/// quantized Conv/MatMul node: its activation input gets Q/DQ with qcc's
/// scale and zero point, its weight becomes an int8 initializer with
/// per-channel scales behind a DequantizeLinear, a Conv's bias the value qcc
/// uses (BatchNormalization folded: the BatchNormalization node goes), and a
/// calibrated output Q/DQ (after a Relu that is its only consumer) that
/// every consumer reads. Unused initializers are dropped. Needs opset >= 13
/// (per-axis DequantizeLinear). The file is written atomically.
llvm::Error exportQDQ(llvm::StringRef modelPath, const ImportOptions &options,
                      mlir::ModuleOp quantized, llvm::StringRef outputPath);

} // namespace qcc

#endif
