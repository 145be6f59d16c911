//===- RequantizeFixedPoint.cpp - float requantization to fixed point -----===//
//
// The integer kernels' requantization, quantize_linear(cast(acc) * S) with
// constant S (what qcc-fuse-qdq and --quant=int8 produce), becomes
// qcc.requantize with a constant multiplier and shift per element of S: no
// float arithmetic remains on the path from one integer layer to the next.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/FixedPoint.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantParams.h"

#include "mlir/IR/Matchers.h"

namespace qcc {
#define GEN_PASS_DEF_REQUANTIZEFIXEDPOINT
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

/// The accumulator and the constant scale of `mul(cast(acc_i32), S)`.
static std::optional<std::pair<Value, DenseFPElementsAttr>>
matchScaledAccumulator(Value v) {
  auto mul = v.getDefiningOp<MulOp>();
  if (!mul)
    return std::nullopt;
  for (auto [a, b] : {std::make_pair(mul.getLhs(), mul.getRhs()),
                      std::make_pair(mul.getRhs(), mul.getLhs())}) {
    auto castOp = a.getDefiningOp<CastOp>();
    DenseFPElementsAttr scale;
    if (!castOp || !matchPattern(b, m_Constant(&scale)))
      continue;
    Value acc = castOp.getInput();
    auto accType = cast<RankedTensorType>(acc.getType());
    if (!accType.getElementType().isInteger(32) ||
        accType.getShape() != cast<RankedTensorType>(mul.getType()).getShape())
      continue;
    return std::make_pair(acc, scale);
  }
  return std::nullopt;
}

static LogicalResult rewrite(QuantizeLinearOp q) {
  DenseFPElementsAttr outScale;
  if (q.getBlockSize() != 0 ||
      !matchPattern(q.getScale(), m_Constant(&outScale)) || !outScale.isSplat())
    return failure();
  auto matched = matchScaledAccumulator(q.getInput());
  if (!matched)
    return failure();
  auto [acc, scale] = *matched;
  if (Value zp = q.getZeroPoint();
      zp && cast<RankedTensorType>(zp.getType()).getRank() != 0)
    return failure();
  double sq = outScale.getSplatValue<APFloat>().convertToDouble();
  SmallVector<int32_t> multipliers, shifts;
  for (const APFloat &s : scale.getValues<APFloat>()) {
    std::optional<FixedPointScale> fp = toFixedPoint(s.convertToDouble() / sq);
    if (!fp)
      return failure();
    multipliers.push_back(fp->multiplier);
    shifts.push_back(fp->shift);
  }
  OpBuilder b(q);
  Location loc = q.getLoc();
  auto i32Type =
      RankedTensorType::get(scale.getType().getShape(), b.getIntegerType(32));
  auto constant = [&](ArrayRef<int32_t> values) {
    return ConstantOp::create(b, loc, i32Type,
                              DenseElementsAttr::get(i32Type, values));
  };
  Value m = constant(multipliers), s = constant(shifts);
  Value r = RequantizeOp::create(b, loc, q.getType(), acc, m, s,
                                 zeroPointOrZero(b, q));
  q.replaceAllUsesWith(r);
  q.erase();
  return success();
}

namespace {
struct RequantizeFixedPointPass
    : qcc::impl::RequantizeFixedPointBase<RequantizeFixedPointPass> {
  void runOnOperation() override { forEachQuantize(getOperation(), rewrite); }
};
} // namespace
