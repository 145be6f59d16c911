//===- IntegerAveragePool.cpp - GlobalAveragePool as an integer sum -------===//
//
// Q(GlobalAveragePool(DQ(x))) (or of ReduceMean, over its axes)
//   = saturate(round(sum(x - zp) * s_x /
// (n * s_y)) + zp_y): an int32 sum of the zero-point-shifted bytes and one
// fixed-point requantization, which rounds the division by the window size
// n half up.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantParams.h"

#include "mlir/IR/Matchers.h"

namespace qcc {
#define GEN_PASS_DEF_INTEGERAVERAGEPOOL
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

static LogicalResult rewrite(QuantizeLinearOp q) {
  // GlobalAveragePool (the spatial dims), or ReduceMean over constant axes.
  auto match = matchQuantizedUnary(q);
  if (!match || !isa<GlobalAveragePoolOp, ReduceMeanOp>(match->op))
    return failure();
  auto [pool, dq, in, out] = *match;
  auto xType = cast<RankedTensorType>(dq.getInput().getType());
  if (!xType.hasStaticShape())
    return failure();
  SmallVector<int64_t> axes;
  bool keepdims = true;
  if (auto mean = dyn_cast<ReduceMeanOp>(pool)) {
    llvm::append_range(axes, mean.getAxes());
    keepdims = mean.getKeepdims();
  } else {
    for (int64_t d = 2; d < xType.getRank(); ++d)
      axes.push_back(d);
  }
  if (axes.empty())
    return failure();
  int64_t n = 1;
  for (int64_t d : axes)
    n *= xType.getDimSize(d);
  // |sum| < 256 * n must fit in int32.
  if (n <= 0 || n > (int64_t(1) << 23))
    return failure();
  std::optional<FixedPointScale> fp =
      toFixedPoint(in.scale / ((double)n * out.scale));
  if (!fp)
    return failure();
  OpBuilder b(q);
  Location loc = q.getLoc();
  Value x = shiftedToI32(b, loc, dq.getInput(), in.zeroPoint);
  auto poolType = cast<RankedTensorType>(pool->getResult(0).getType());
  Value sum = ReduceSumOp::create(
      b, loc, RankedTensorType::get(poolType.getShape(), b.getIntegerType(32)),
      x, b.getDenseI64ArrayAttr(axes), b.getBoolAttr(keepdims));
  q.replaceAllUsesWith(requantizeLike(b, q, sum, *fp));
  q.erase();
  return success();
}

/// Q(AveragePool(DQ(x))) over 2-D windows: the window sums are a depthwise
/// ConvInteger with a weight of ones (the input shifted by its zero point,
/// padding contributing zeros), and each output position is requantized by
/// s_x / (count s_y) with its own count of taps (the ones inside the input,
/// or inside the padded input with count_include_pad).
static LogicalResult rewriteWindowed(QuantizeLinearOp q) {
  auto match = matchQuantizedUnary(q);
  auto pool = match ? dyn_cast<AveragePoolOp>(match->op) : AveragePoolOp();
  if (!pool)
    return failure();
  auto [_, dq, in, out] = *match;
  auto xType = cast<RankedTensorType>(dq.getInput().getType());
  auto yType = cast<RankedTensorType>(q.getType());
  if (!xType.hasStaticShape() || xType.getRank() != 4)
    return failure();
  ArrayRef<int64_t> k = pool.getKernelShape(), st = pool.getStrides(),
                    pads = pool.getPads(), dil = pool.getDilations();
  if (k.size() != 2 || st.size() != 2 || pads.size() != 4 || dil.size() != 2)
    return failure();
  int64_t channels = xType.getDimSize(1);
  SmallVector<int64_t> outSize;
  for (int d = 0; d < 2; ++d) {
    int64_t span = dil[d] * (k[d] - 1) + 1;
    int64_t size =
        (xType.getDimSize(2 + d) + pads[d] + pads[2 + d] - span) / st[d] + 1;
    // A ceil_mode window past the padded input has no ConvInteger form.
    if (size != yType.getDimSize(2 + d))
      return failure();
    outSize.push_back(size);
  }
  if (k[0] * k[1] > (int64_t(1) << 23))
    return failure();
  // Taps of each output position inside the counted region.
  SmallVector<int32_t> multipliers, shifts;
  for (int64_t oh = 0; oh < outSize[0]; ++oh)
    for (int64_t ow = 0; ow < outSize[1]; ++ow) {
      int64_t count = 1;
      int64_t o[2] = {oh, ow};
      for (int d = 0; d < 2; ++d) {
        int64_t lo = pool.getCountIncludePad() ? -pads[d] : 0;
        int64_t hi = xType.getDimSize(2 + d) +
                     (pool.getCountIncludePad() ? pads[2 + d] : 0);
        int64_t taps = 0;
        for (int64_t i = 0; i < k[d]; ++i) {
          int64_t c = o[d] * st[d] - pads[d] + i * dil[d];
          taps += c >= lo && c < hi;
        }
        count *= taps;
      }
      if (count == 0)
        return failure();
      std::optional<FixedPointScale> fp =
          toFixedPoint(in.scale / ((double)count * out.scale));
      if (!fp)
        return failure();
      multipliers.push_back(fp->multiplier);
      shifts.push_back(fp->shift);
    }

  OpBuilder b(q);
  Location loc = pool.getLoc();
  auto weightType = RankedTensorType::get({channels, 1, k[0], k[1]},
                                          IntegerType::get(b.getContext(), 8));
  Value ones = ConstantOp::create(
      b, loc, weightType,
      DenseElementsAttr::get(weightType,
                             b.getIntegerAttr(weightType.getElementType(), 1)));
  Value zx =
      dq.getZeroPoint() ? reshapeToScalar(b, loc, dq.getZeroPoint()) : Value();
  auto sumType = RankedTensorType::get(yType.getShape(), b.getI32Type());
  Value sums = ConvIntegerOp::create(
      b, loc, sumType, dq.getInput(), ones, zx, Value(), pool.getStridesAttr(),
      pool.getPadsAttr(), pool.getDilationsAttr(),
      b.getI64IntegerAttr(channels));
  auto perPosition =
      RankedTensorType::get({1, 1, outSize[0], outSize[1]}, b.getI32Type());
  Value y = RequantizeOp::create(
      b, loc, q.getType(), sums,
      ConstantOp::create(
          b, loc, perPosition,
          DenseElementsAttr::get(perPosition, ArrayRef(multipliers))),
      ConstantOp::create(b, loc, perPosition,
                         DenseElementsAttr::get(perPosition, ArrayRef(shifts))),
      zeroPointOrZero(b, q));
  q.replaceAllUsesWith(y);
  q.erase();
  return success();
}

namespace {
struct IntegerAveragePoolPass
    : qcc::impl::IntegerAveragePoolBase<IntegerAveragePoolPass> {
  void runOnOperation() override {
    forEachQuantize(getOperation(), [](QuantizeLinearOp q) {
      return succeeded(rewrite(q)) ? success() : rewriteWindowed(q);
    });
  }
};
} // namespace
