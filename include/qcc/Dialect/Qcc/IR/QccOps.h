//===- QccOps.h - qcc graph operations --------------------------*- C++ -*-===//
#ifndef QCC_DIALECT_QCC_IR_QCCOPS_H
#define QCC_DIALECT_QCC_IR_QCCOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "qcc/Dialect/Qcc/IR/QccDialect.h"

#define GET_OP_CLASSES
#include "qcc/Dialect/Qcc/IR/QccOps.h.inc"

namespace qcc {
/// Numpy broadcast of two static shapes; failure when incompatible.
mlir::FailureOr<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);
/// A one-element tensor as rank 0 (a qcc.reshape, folded when already so).
mlir::Value reshapeToScalar(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value v);
/// A per-channel vector reshaped to broadcast along dim `axis` of `rank`
/// dims; a one-element tensor becomes rank 0.
mlir::Value reshapeAlongAxis(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value v, int64_t rank, int64_t axis);

/// The QCC_DTYPE_* code (= ONNX TensorProto.DataType) of an element type
/// as the model signature records it; 0 for a type with none.
int32_t dtypeCodeOf(mlir::Type elem);

/// ResizeOp's source coordinate of output index `i` along a dim of `in`
/// input and `out` output elements with scale `s`, in the f32 arithmetic
/// ONNX specifies for `coordinateTransformationMode`.
float resizeSourceCoordinate(llvm::StringRef coordinateTransformationMode,
                             float s, int64_t in, int64_t out, int64_t i);
/// A source index (a floored or rounded coordinate) clamped to [0, in).
int64_t clampSourceIndex(float index, int64_t in);
} // namespace qcc

#endif // QCC_DIALECT_QCC_IR_QCCOPS_H
