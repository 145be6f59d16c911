//===- IntegerResize.cpp - linear Resize of a quantized tensor ------------===//
//
// Q(Resize_linear(DQ(x))): separable along each resized dim. The source
// indices and weights depend only on the output index, so they are
// computed at compile time (with the f32 source coordinates the float
// lowering uses) as two index tables and two fixed-point weight tables of
// F fraction bits (w0 + w1 = 2^F); each dim is two Gathers, two products
// and a sum in int32, and one requantization by s_x / (s_y 2^(kF)) ends it.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantParams.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cmath>

namespace qcc {
#define GEN_PASS_DEF_INTEGERRESIZE
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

namespace {
/// Along one dim: the two source indices and weights of each output index.
struct LinearTaps {
  SmallVector<int64_t> lo, hi;
  SmallVector<int32_t> wLo, wHi;
};
} // namespace

static LinearTaps linearTaps(StringRef ctm, float s, int64_t in, int64_t out,
                             int fractionBits) {
  LinearTaps taps;
  int32_t one = int32_t(1) << fractionBits;
  for (int64_t i = 0; i < out; ++i) {
    // The f32 source coordinate of the float lowering.
    float x = resizeSourceCoordinate(ctm, s, in, out, i);
    float x0 = std::floor(x);
    float frac = x - x0;
    taps.lo.push_back(clampSourceIndex(x0, in));
    taps.hi.push_back(clampSourceIndex(x0 + 1, in));
    int32_t w = (int32_t)std::lround(std::ldexp((double)frac, fractionBits));
    taps.wHi.push_back(w);
    taps.wLo.push_back(one - w);
  }
  return taps;
}

static LogicalResult rewrite(QuantizeLinearOp q) {
  auto match = matchQuantizedUnary(q);
  auto resize = match ? dyn_cast<ResizeOp>(match->op) : ResizeOp();
  if (!resize || resize.getMode() != "linear" || !resize->hasOneUse())
    return failure();
  auto [_, dq, in, out] = *match;
  auto xType = cast<RankedTensorType>(dq.getInput().getType());
  auto yType = cast<RankedTensorType>(q.getType());
  if (!xType.hasStaticShape() || !xType.getElementType().isInteger(8))
    return failure();
  ArrayRef<float> scales = resize.getScales();
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < xType.getRank(); ++d)
    if (xType.getDimSize(d) != yType.getDimSize(d) || scales[d] != 1.0f)
      dims.push_back(d);
  if (dims.empty())
    return failure();
  // 255 2^(kF) < 2^31 for k resized dims.
  int fractionBits = std::min<int>(12, 22 / (int)dims.size());
  if (fractionBits < 4)
    return failure();
  std::optional<FixedPointScale> fp = toFixedPoint(
      in.scale /
      (out.scale * std::ldexp(1.0, fractionBits * (int)dims.size())));
  if (!fp)
    return failure();

  OpBuilder b(q);
  Location loc = resize.getLoc();
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  Value cur = shiftedToI32(b, loc, dq.getInput(), in.zeroPoint);
  for (int64_t d : dims) {
    int64_t inSize = xType.getDimSize(d), outSize = yType.getDimSize(d);
    LinearTaps taps = linearTaps(resize.getCoordinateTransformationMode(),
                                 scales[d], inSize, outSize, fractionBits);
    SmallVector<int64_t> shape(
        cast<RankedTensorType>(cur.getType()).getShape());
    shape[d] = outSize;
    auto gathered = RankedTensorType::get(shape, i32);
    SmallVector<int64_t> weightShape(shape.size(), 1);
    weightShape[d] = outSize;
    auto indexType = RankedTensorType::get({outSize}, i64);
    auto weightType = RankedTensorType::get(weightShape, i32);
    auto tap = [&](ArrayRef<int64_t> index, ArrayRef<int32_t> weight) {
      Value g = GatherOp::create(
          b, loc, gathered, cur,
          ConstantOp::create(b, loc, indexType,
                             DenseElementsAttr::get(indexType, index)),
          b.getI64IntegerAttr(d));
      return MulOp::create(
          b, loc, gathered, g,
          ConstantOp::create(b, loc, weightType,
                             DenseElementsAttr::get(weightType, weight)));
    };
    Value lo = tap(taps.lo, taps.wLo), hi = tap(taps.hi, taps.wHi);
    cur = AddOp::create(b, loc, gathered, lo, hi);
  }
  q.replaceAllUsesWith(requantizeLike(b, q, cur, *fp));
  q.erase();
  resize.erase();
  if (dq->use_empty())
    dq.erase();
  return success();
}

namespace {
struct IntegerResizePass : qcc::impl::IntegerResizeBase<IntegerResizePass> {
  void runOnOperation() override { forEachQuantize(getOperation(), rewrite); }
};
} // namespace
