//===- IntegerLayerNorm.cpp - LayerNormalization in integers --------------===//
//
// Q(LayerNorm(DQ(x))) -> qcc.layer_norm_integer. With x_i the integers of
// a row of N and d_i = N x_i - sum(x) (the zero point cancels), the
// normalized value is
//   (x_i - mean) / sqrt(var + eps) = d_i / sqrt(sum d^2 + N^3 eps / s_x^2)
//                                    * sqrt(N)
// exactly, so the only rounding is in the square root and the reciprocal;
// the constants here fold gamma, beta, sqrt(N) and the output scale into a
// fixed-point gain and bias per channel.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantParams.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

namespace qcc {
#define GEN_PASS_DEF_INTEGERLAYERNORM
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

/// The values of a float constant broadcast to `n` elements (its own
/// count, or a splat); nothing when not constant or not finite.
static std::optional<SmallVector<double>> constantValues(Value v, int64_t n) {
  DenseFPElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) ||
      (attr.getNumElements() != n && !attr.isSplat()))
    return std::nullopt;
  SmallVector<double> values;
  for (APFloat f : attr.getValues<APFloat>())
    values.push_back(f.convertToDouble());
  if (values.size() != (size_t)n)
    values.assign(n, values.front());
  if (!llvm::all_of(values, [](double x) { return std::isfinite(x); }))
    return std::nullopt;
  return values;
}

static LogicalResult rewrite(QuantizeLinearOp q) {
  auto match = matchQuantizedUnary(q);
  auto ln = match ? dyn_cast<LayerNormOp>(match->op) : LayerNormOp();
  if (!ln || !ln->hasOneUse())
    return failure();
  auto [_, dq, px, py] = *match;
  auto xType = cast<RankedTensorType>(dq.getInput().getType());
  auto yType = cast<RankedTensorType>(q.getType());
  unsigned bits = xType.getElementTypeBitWidth();
  if (!xType.hasStaticShape() || !isa<IntegerType>(xType.getElementType()) ||
      (bits != 8 && bits != 16))
    return failure();
  int64_t axis = ln.getAxis();
  ArrayRef<int64_t> normShape = xType.getShape().drop_front(axis);
  int64_t n = 1;
  for (int64_t d : normShape)
    n *= d;
  std::optional<SmallVector<double>> gamma = constantValues(ln.getScale(), n);
  std::optional<SmallVector<double>> beta =
      ln.getBias() ? constantValues(ln.getBias(), n)
                   : std::optional<SmallVector<double>>(SmallVector<double>(n));
  if (!gamma || !beta)
    return failure();

  // epsilon in the integers' units, summed N^3 times (see the header).
  double nf = (double)n;
  double eps = ln.getEpsilon().convertToDouble();
  double offset =
      std::max(1.0, std::nearbyint(nf * nf * nf * eps / (px.scale * px.scale)));
  // The most left shift (in pairs of bits) the worst-case sum allows:
  // |d_i| < 2^bits N.
  const double limit = std::ldexp(1.0, 63);
  double dMax = std::ldexp(1.0, bits) * nf;
  double worst = nf * dMax * dMax + offset;
  if (!(worst < limit))
    return failure();
  int64_t preShift = 0;
  while (preShift < 15 && worst * std::ldexp(1.0, 2 * (preShift + 1)) < limit)
    ++preShift;
  // The most gain bits with gain in int32 and bias well inside int64.
  double gMax = 0, bMax = 0;
  for (int64_t c = 0; c < n; ++c) {
    gMax = std::max(gMax, std::fabs((*gamma)[c]) * std::sqrt(nf) / py.scale);
    bMax = std::max(bMax, std::fabs((*beta)[c]) / py.scale);
  }
  auto fits = [&](int64_t p) {
    return gMax * std::ldexp(1.0, p) < 2147483647.0 &&
           bMax * std::ldexp(1.0, p + 15) < std::ldexp(1.0, 61);
  };
  int64_t gainShift = 31;
  while (gainShift > 0 && !fits(gainShift))
    --gainShift;
  if (!fits(gainShift))
    return failure();
  SmallVector<int32_t> gain(n);
  SmallVector<int64_t> bias(n);
  for (int64_t c = 0; c < n; ++c) {
    gain[c] = (int32_t)std::llround((*gamma)[c] * std::sqrt(nf) / py.scale *
                                    std::ldexp(1.0, gainShift));
    bias[c] =
        std::llround((*beta)[c] / py.scale * std::ldexp(1.0, gainShift + 15));
  }

  OpBuilder b(q);
  Location loc = ln.getLoc();
  auto gainType = RankedTensorType::get(normShape, b.getI32Type());
  auto biasType = RankedTensorType::get(normShape, b.getI64Type());
  Value y = LayerNormIntegerOp::create(
      b, loc, yType, dq.getInput(),
      ConstantOp::create(b, loc, gainType,
                         DenseElementsAttr::get(gainType, ArrayRef(gain))),
      ConstantOp::create(b, loc, biasType,
                         DenseElementsAttr::get(biasType, ArrayRef(bias))),
      zeroPointOrZero(b, q), b.getI64IntegerAttr(axis),
      b.getI64IntegerAttr((int64_t)offset), b.getI64IntegerAttr(preShift),
      b.getI64IntegerAttr(gainShift));
  q.replaceAllUsesWith(y);
  q.erase();
  ln.erase();
  if (dq->use_empty())
    dq.erase();
  return success();
}

namespace {
struct IntegerLayerNormPass
    : qcc::impl::IntegerLayerNormBase<IntegerLayerNormPass> {
  void runOnOperation() override { forEachQuantize(getOperation(), rewrite); }
};
} // namespace
