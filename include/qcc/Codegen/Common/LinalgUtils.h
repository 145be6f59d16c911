//===- LinalgUtils.h - tiling, vectors and matchers for codegen -*- C++ -*-===//
#ifndef QCC_CODEGEN_COMMON_LINALGUTILS_H
#define QCC_CODEGEN_COMMON_LINALGUTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace qcc {

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

#endif // QCC_CODEGEN_COMMON_LINALGUTILS_H
