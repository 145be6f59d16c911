//===- QuantParams.cpp - constant Q/DQ parameters -------------------------===//
#include "qcc/Dialect/Qcc/Transforms/QuantParams.h"

#include "mlir/IR/Matchers.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace qcc {

std::optional<PerTensorParams> perTensorParams(Value scale, Value zeroPoint) {
  DenseFPElementsAttr s;
  if (!matchPattern(scale, m_Constant(&s)) || !s.isSplat() ||
      cast<RankedTensorType>(scale.getType()).getRank() != 0)
    return std::nullopt;
  double sv = s.getSplatValue<APFloat>().convertToDouble();
  if (!(sv > 0) || !std::isfinite(sv))
    return std::nullopt;
  int64_t zp = 0;
  if (zeroPoint) {
    DenseIntElementsAttr z;
    if (!matchPattern(zeroPoint, m_Constant(&z)) || !z.isSplat())
      return std::nullopt;
    auto t = cast<IntegerType>(z.getElementType());
    APInt v = z.getSplatValue<APInt>();
    zp = t.isUnsigned() ? (int64_t)v.getZExtValue() : v.getSExtValue();
  }
  return PerTensorParams{sv, zp};
}

std::optional<double> positiveScaling(Operation *op, Value x) {
  if (!isa<MulOp, DivOp>(op) || op->getNumOperands() != 2)
    return std::nullopt;
  Value c = op->getOperand(1);
  if (op->getOperand(0) != x) {
    if (!isa<MulOp>(op) || op->getOperand(1) != x)
      return std::nullopt;
    c = op->getOperand(0);
  }
  DenseFPElementsAttr attr;
  if (c == x || !matchPattern(c, m_Constant(&attr)) ||
      attr.getNumElements() != 1 || op->getResult(0).getType() != x.getType())
    return std::nullopt;
  double v = (*attr.getValues<APFloat>().begin()).convertToDouble();
  if (!(v > 0) || !std::isfinite(v))
    return std::nullopt;
  return isa<MulOp>(op) ? v : 1.0 / v;
}

int64_t quantizeScalar(float x, PerTensorParams p, IntegerType type) {
  unsigned bits = type.getWidth();
  bool isUnsigned = type.isUnsigned();
  int64_t lo = isUnsigned ? 0 : -(int64_t(1) << (bits - 1));
  int64_t hi = (int64_t(1) << (isUnsigned ? bits : bits - 1)) - 1;
  float r = std::nearbyint(x / (float)p.scale); // half to even
  if (std::isinf(r))
    return r > 0 ? hi : lo;
  return std::clamp<int64_t>((int64_t)std::clamp(r, -1e9f, 1e9f) + p.zeroPoint,
                             lo, hi);
}

std::optional<QuantizedUnary> matchQuantizedUnary(QuantizeLinearOp q) {
  Operation *op = q.getInput().getDefiningOp();
  if (!op || op->getNumOperands() == 0 || q.getBlockSize() != 0)
    return std::nullopt;
  auto dq = op->getOperand(0).getDefiningOp<DequantizeLinearOp>();
  if (!dq || dq.getBlockSize() != 0)
    return std::nullopt;
  auto in = perTensorParams(dq.getScale(), dq.getZeroPoint());
  auto out = perTensorParams(q.getScale(), q.getZeroPoint());
  if (!in || !out)
    return std::nullopt;
  return QuantizedUnary{op, dq, *in, *out};
}

Value zeroPointOrZero(OpBuilder &b, QuantizeLinearOp q) {
  if (Value zp = q.getZeroPoint())
    return reshapeToScalar(b, q.getLoc(), zp);
  Type elem = cast<RankedTensorType>(q.getType()).getElementType();
  auto t = RankedTensorType::get({}, elem);
  return ConstantOp::create(
      b, q.getLoc(), t,
      DenseElementsAttr::get(t, APInt(elem.getIntOrFloatBitWidth(), 0)));
}

Value i32Scalar(OpBuilder &b, Location loc, int64_t v) {
  auto t = RankedTensorType::get({}, b.getIntegerType(32));
  return ConstantOp::create(b, loc, t,
                            DenseElementsAttr::get(t, APInt(32, v, true)));
}

Value shiftedToI32(OpBuilder &b, Location loc, Value x, int64_t zeroPoint) {
  auto i32 = RankedTensorType::get(
      cast<RankedTensorType>(x.getType()).getShape(), b.getIntegerType(32));
  Value r = CastOp::create(b, loc, i32, x);
  if (zeroPoint)
    r = SubOp::create(b, loc, i32, r, i32Scalar(b, loc, zeroPoint));
  return r;
}

Value requantizeLike(OpBuilder &b, QuantizeLinearOp q, Value acc,
                     FixedPointScale fp) {
  Location loc = q.getLoc();
  return RequantizeOp::create(
      b, loc, q.getType(), acc, i32Scalar(b, loc, fp.multiplier),
      i32Scalar(b, loc, fp.shift), zeroPointOrZero(b, q));
}

void forEachQuantize(Operation *root,
                     function_ref<LogicalResult(QuantizeLinearOp)> rewrite) {
  SmallVector<QuantizeLinearOp> ops;
  root->walk([&](QuantizeLinearOp op) { ops.push_back(op); });
  for (QuantizeLinearOp op : ops)
    (void)rewrite(op);
}

} // namespace qcc
