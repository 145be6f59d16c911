//===- TensorConversion.h - ONNX types and tensors to MLIR ------*- C++ -*-===//
#ifndef QCC_LIB_IMPORT_ONNX_TENSORCONVERSION_H
#define QCC_LIB_IMPORT_ONNX_TENSORCONVERSION_H

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Error.h"

#include <onnx/onnx_pb.h>

namespace qcc::onnx_import {
mlir::Type convertDataType(mlir::MLIRContext *ctx, int32_t dataType);
llvm::StringRef dataTypeName(int32_t dataType);
/// Converts an initializer or attribute tensor; `what` prefixes errors.
llvm::Expected<mlir::DenseElementsAttr>
convertTensor(mlir::MLIRContext *ctx, const onnx::TensorProto &t,
              llvm::StringRef what);

struct ExternalTensor;

/// Converts an initializer (`ext`: where its bytes are in external data, or
/// null). Tensors of at least `resourceMinBytes` become resource weights
/// (qcc/Dialect/Qcc/IR/Weights.h), mapped from external data without a copy
/// when it is aligned for their element type.
llvm::Expected<mlir::ElementsAttr>
convertInitializer(mlir::MLIRContext *ctx, const onnx::TensorProto &t,
                   const ExternalTensor *ext, uint64_t resourceMinBytes,
                   llvm::StringRef what);
} // namespace qcc::onnx_import

#endif // QCC_LIB_IMPORT_ONNX_TENSORCONVERSION_H
