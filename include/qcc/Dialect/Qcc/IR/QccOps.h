//===- QccOps.h - qcc graph operations --------------------------*- C++ -*-===//
#ifndef QCC_DIALECT_QCC_IR_QCCOPS_H
#define QCC_DIALECT_QCC_IR_QCCOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
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
} // namespace qcc

#endif // QCC_DIALECT_QCC_IR_QCCOPS_H
