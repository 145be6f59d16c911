//===- LoweringUtils.h - IR builders of the qcc lowering -------*- C++ -*-===//
//
// Scalars, tensors and elementwise linalg.generics with ONNX semantics:
// what the conversion out of the qcc dialect builds with, and the code
// generation passes that rewrite its result reuse.
//
//===----------------------------------------------------------------------===//
#ifndef QCC_CONVERSION_QCCTOLINALG_LOWERINGUTILS_H
#define QCC_CONVERSION_QCCTOLINALG_LOWERINGUTILS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/DialectConversion.h"

namespace qcc {

using BodyFn = llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                              mlir::ValueRange)>;

/// Element type of a tensor-typed value.
mlir::Type elementTypeOf(mlir::Value v);
/// True for `ui8`, `ui16`, ... (ONNX unsigned types before conversion).
bool isUnsignedInt(mlir::Type t);
/// Signless version of `t` (ui8 -> i8); other types unchanged.
mlir::Type signless(mlir::Type t);
mlir::RankedTensorType signless(mlir::RankedTensorType t);

/// A scalar constant of `type` (float or integer) from a double.
mlir::Value scalarConst(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
                        double value);
/// Lowest / highest finite value of a float or integer type.
mlir::Value lowestValue(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
                        bool isUnsigned);
mlir::Value highestValue(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Type type, bool isUnsigned);

/// Converts a scalar between element types with ONNX Cast semantics.
mlir::Value convertScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                          mlir::Type srcType, bool srcUnsigned,
                          mlir::Type dstType, bool dstUnsigned);

/// tensor.empty of `type`, optionally filled with `fill`.
mlir::Value emptyTensor(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type);
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType type, mlir::Value fill);

/// Indexing map reading an operand of `inShape` that numpy-broadcasts to an
/// iteration space of `outShape` (right-aligned, size-1 dims pinned to 0).
mlir::AffineMap broadcastMap(mlir::MLIRContext *ctx,
                             llvm::ArrayRef<int64_t> inShape,
                             llvm::ArrayRef<int64_t> outShape);

/// An all-parallel linalg.generic producing `resultType` from broadcast
/// `inputs`; `body` receives one scalar per input.
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::RankedTensorType resultType,
                             mlir::ValueRange inputs, BodyFn body);

/// Reshape between static shapes with the same element count.
mlir::Value reshapeTensor(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value input, llvm::ArrayRef<int64_t> shape);

/// Pads spatial dims (from dim 2 on) by `pads` (begin..., end...) with
/// `value`; negative pads crop.
mlir::Value padSpatial(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value input, llvm::ArrayRef<int64_t> pads,
                       mlir::Value value);
/// Pads every dim by `low`/`high` (may be negative: crops).
mlir::Value padTensor(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                      llvm::ArrayRef<int64_t> low, llvm::ArrayRef<int64_t> high,
                      mlir::Value value);

/// Broadcast an operand (possibly of lower rank) to `shape` as a tensor.
mlir::Value broadcastTo(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value input, llvm::ArrayRef<int64_t> shape);

} // namespace qcc

#endif // QCC_CONVERSION_QCCTOLINALG_LOWERINGUTILS_H
