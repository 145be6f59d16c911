//===- ModelSignature.h - a compiled model's inputs and outputs -*- C++ -*-===//
#ifndef QCC_TARGET_MODELSIGNATURE_H
#define QCC_TARGET_MODELSIGNATURE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace qcc {

/// How an integer input or output maps to real values (--integer-only).
struct EdgeQuantization {
  float scale;
  int32_t zeroPoint;
};

struct TensorSignature {
  std::string name;
  int32_t dtype; ///< ONNX TensorProto.DataType code
  std::vector<int64_t> shape;
  /// Set when the buffer holds quantized values the caller converts.
  std::optional<EdgeQuantization> quant;
};

struct ModelSignature {
  std::vector<TensorSignature> inputs, outputs;
  /// Scratch memory P_run needs (qcc.workspace_bytes, set by workspace
  /// planning); `main` then takes the workspace as its last argument.
  uint64_t workspaceBytes = 0;
};

/// Reads the `qcc.inputs` / `qcc.outputs` module attributes set at import
/// and `qcc.workspace_bytes` when lowering already planned the workspace.
llvm::Expected<ModelSignature> readSignature(mlir::ModuleOp module);

/// A valid C identifier from `name` ("my-model.v2" -> "my_model_v2").
std::string toCIdentifier(llvm::StringRef name);

/// The C header declaring `P_info`, `P_run`, `P_quant_info`, typed
/// wrappers and, for integer I/O, each tensor's scale and zero point; with
/// `deviceEntryPoints`, the CUDA entry points of ABI version 3 (P_run then
/// takes no workspace); with `parallelEntryPoints`, P_run_parallel and the
/// thread pool of ABI version 4.
std::string generateHeader(const ModelSignature &signature,
                           llvm::StringRef prefix, llvm::StringRef target,
                           bool deviceEntryPoints = false,
                           bool parallelEntryPoints = false);

} // namespace qcc

#endif // QCC_TARGET_MODELSIGNATURE_H
