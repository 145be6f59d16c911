//===- LoweringUtils.h - shared helpers of the qcc lowering -----*- C++ -*-===//
#ifndef QCC_LIB_CONVERSION_QCCTOLINALG_LOWERINGUTILS_H
#define QCC_LIB_CONVERSION_QCCTOLINALG_LOWERINGUTILS_H

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

/// Tiles `op` by `sizes` (0: not tiled; loops in `interchange` order when
/// given) and replaces it by the loops: the tiled ops, or failure (`op`
/// unchanged).
mlir::FailureOr<llvm::SmallVector<mlir::Operation *>>
tileGeneric(mlir::RewriterBase &rewriter, mlir::linalg::GenericOp op,
            llvm::ArrayRef<int64_t> sizes,
            llvm::ArrayRef<int64_t> interchange = {});

/// Tiles `op` by `sizes` (loops in `interchange` order when given) and
/// vectorizes each tile (after `prepareTile`, when given, rewrote it in
/// place); tensor or buffer semantics. Failure leaves `op` as it was.
mlir::LogicalResult tileAndVectorize(
    mlir::RewriterBase &rewriter, mlir::linalg::GenericOp op,
    llvm::ArrayRef<int64_t> sizes, llvm::ArrayRef<int64_t> interchange = {},
    llvm::function_ref<void(mlir::linalg::GenericOp)> prepareTile = {});

/// Whether `op` (a scalar body op) is arithmetic, or math with one vector
/// instruction (roundeven, floor, sqrt, ...): math functions such as exp,
/// erf and tanh would become one libm call per lane.
bool hasVectorInstruction(mlir::Operation &op);

/// Whether body op `op` computes lane by lane on vectors (a constant or an
/// elementwise op with one scalar result and a vector instruction) without
/// trapping on masked-off lanes (integer division could).
bool isLanewiseBodyOp(mlir::Operation &op);

/// Clones the single-result elementwise `ops` in order with their results
/// as `lanes`-wide vectors, operands looked up in `map` (which receives the
/// results). Constants, and operands `map` lacks (values from outside the
/// body, or `scalar(v)` for them when given), are broadcast.
void cloneOnVectors(mlir::OpBuilder &b, mlir::Location loc,
                    llvm::ArrayRef<mlir::Operation *> ops, mlir::IRMapping &map,
                    int64_t lanes,
                    llvm::function_ref<mlir::Value(mlir::Value)> scalar = {});

/// The value of an f32 constant (scalar or splat), or nothing.
std::optional<float> f32Constant(mlir::Value v);

/// The value of an f32 constant (scalar or splat) holding an integer of
/// magnitude at most 2^24 (exact in f32 arithmetic), or nothing.
std::optional<double> integralF32Constant(mlir::Value v);

/// `clamp(input, lo, hi)`: a maxnumf/maximumf and a minnumf/minimumf (in
/// either order, the bound on either side) by integral f32 constants (see
/// integralF32Constant) with lo <= hi.
struct ConstantClamp {
  mlir::Value input;
  double lo, hi;
};
std::optional<ConstantClamp> matchConstantClamp(mlir::Value v);

/// Largest window stride read as a contiguous run plus a shuffle.
constexpr int64_t kMaxWindowStride = 4;

/// Whether `map` reads one run along loop `inner` once every other loop is
/// fixed: each result is independent of `inner`, or (the last result only)
/// `s * d_inner + f(other loops)`, a window's row, with stride s (1 or up to
/// kMaxWindowStride: a pooling or strided convolution's window). The
/// stride, or nothing.
std::optional<int64_t> windowStride(mlir::AffineMap map, unsigned inner);
bool isWindowMap(mlir::AffineMap map, unsigned inner);

/// Rewrites the maps of a tile whose loops other than `inner` have extent
/// 1 with those loops at 0 (the tile's subviews carry the offsets): window
/// maps become projected permutations that linalg's vectorizer accepts.
/// A strided window's operand becomes a strided slice of the tile's run,
/// read at `d_inner`.
void dropOuterIndices(mlir::RewriterBase &rewriter, mlir::linalg::GenericOp op,
                      unsigned inner);

} // namespace qcc

#endif // QCC_LIB_CONVERSION_QCCTOLINALG_LOWERINGUTILS_H
