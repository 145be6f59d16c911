//===- IntegerAddMul.cpp - Add, Sub and Mul of quantized tensors ----------===//
//
// Q(DQ(a) * DQ(b)): the int32 product of the zero-point-shifted bytes,
// requantized once by s_a s_b / s_y. Q(+-DQ(x_1) +- ... +- DQ(x_T)): each
// shifted byte scaled by M_i = round(s_i / s_y * 2^K) in int32, summed,
// and requantized by 2^-K; K is the largest shift that keeps every M_i
// below 2^31 / (256 T), so no intermediate can overflow.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/FixedPoint.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantParams.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

namespace qcc {
#define GEN_PASS_DEF_INTEGERADDMUL
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

namespace {
/// A per-tensor 8-bit DequantizeLinear: x, its scale and zero point.
struct Quantized {
  Value x;
  double scale;
  int64_t zeroPoint;
};
} // namespace

static std::optional<Quantized> dequantized(Value v) {
  auto dq = v.getDefiningOp<DequantizeLinearOp>();
  if (!dq || dq.getBlockSize() != 0)
    return std::nullopt;
  auto elem = dyn_cast<IntegerType>(
      cast<RankedTensorType>(dq.getInput().getType()).getElementType());
  auto p = perTensorParams(dq.getScale(), dq.getZeroPoint());
  if (!elem || elem.getWidth() != 8 || !p)
    return std::nullopt;
  return Quantized{dq.getInput(), p->scale, p->zeroPoint};
}

namespace {
class Emitter {
public:
  Emitter(QuantizeLinearOp q) : b(q), loc(q.getLoc()) {}

  Value scalar(int64_t v) {
    auto t = RankedTensorType::get({}, b.getIntegerType(32));
    return ConstantOp::create(b, loc, t,
                              DenseElementsAttr::get(t, APInt(32, v, true)));
  }
  /// cast<i32>(x) - zp.
  Value shifted(const Quantized &in) {
    auto t = cast<RankedTensorType>(in.x.getType());
    auto i32 = RankedTensorType::get(t.getShape(), b.getIntegerType(32));
    Value x = CastOp::create(b, loc, i32, in.x);
    if (in.zeroPoint)
      x = SubOp::create(b, loc, i32, x, scalar(in.zeroPoint));
    return x;
  }
  Value requantize(QuantizeLinearOp q, Value acc, FixedPointScale fp) {
    return RequantizeOp::create(b, loc, q.getType(), acc, scalar(fp.multiplier),
                                scalar(fp.shift), zeroPointOrZero(b, q));
  }

  OpBuilder b;
  Location loc;
};
} // namespace

static RankedTensorType i32Like(Value v) {
  return RankedTensorType::get(cast<RankedTensorType>(v.getType()).getShape(),
                               IntegerType::get(v.getContext(), 32));
}

static LogicalResult rewriteMul(QuantizeLinearOp q, MulOp mul,
                                double outScale) {
  auto a = dequantized(mul.getLhs()), c = dequantized(mul.getRhs());
  if (!a || !c)
    return failure();
  auto fp = toFixedPoint(a->scale * c->scale / outScale);
  if (!fp)
    return failure();
  Emitter e(q);
  Value p = MulOp::create(e.b, e.loc, i32Like(mul.getResult()), e.shifted(*a),
                          e.shifted(*c));
  q.replaceAllUsesWith(e.requantize(q, p, *fp));
  q.erase();
  return success();
}

/// ONNX (numpy) broadcasting of two static shapes.
static SmallVector<int64_t> broadcastShape(ArrayRef<int64_t> a,
                                           ArrayRef<int64_t> c) {
  size_t rank = std::max(a.size(), c.size());
  SmallVector<int64_t> shape(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t x = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t y = i < c.size() ? c[c.size() - 1 - i] : 1;
    shape[rank - 1 - i] = x == 1 ? y : x;
  }
  return shape;
}

/// Leaves of a tree of Add/Sub (each inner node used once), with signs.
static bool collectTerms(Value v, int sign,
                         SmallVectorImpl<std::pair<Quantized, int>> &terms) {
  if (auto in = dequantized(v)) {
    terms.push_back({*in, sign});
    return true;
  }
  Operation *op = v.getDefiningOp();
  if (!isa_and_nonnull<AddOp, SubOp>(op) || !v.hasOneUse() || terms.size() > 8)
    return false;
  return collectTerms(op->getOperand(0), sign, terms) &&
         collectTerms(op->getOperand(1), isa<SubOp>(op) ? -sign : sign, terms);
}

static LogicalResult rewriteSum(QuantizeLinearOp q, Operation *root,
                                double outScale) {
  SmallVector<std::pair<Quantized, int>> terms;
  if (!collectTerms(root->getOperand(0), 1, terms) ||
      !collectTerms(root->getOperand(1), isa<SubOp>(root) ? -1 : 1, terms))
    return failure();
  double largest = 0;
  for (auto &[in, sign] : terms)
    largest = std::max(largest, in.scale / outScale);
  // Every |M_i (x - z)| < 2^31 / T: M_i < 2^31 / (256 T).
  double bound = std::ldexp(1.0, 31) / (256.0 * terms.size());
  int K = (int)std::floor(std::log2(bound / largest));
  K = std::min(K, 32);
  if (K < 1)
    return failure();
  Emitter e(q);
  Value sum;
  for (auto &[in, sign] : terms) {
    int64_t m = std::llround(std::ldexp(in.scale / outScale, K));
    if (m == 0)
      continue;
    Value t = e.shifted(in);
    t = MulOp::create(e.b, e.loc, i32Like(t), t, e.scalar(m));
    if (!sum) {
      sum = sign > 0 ? t
                     : SubOp::create(e.b, e.loc, i32Like(t), e.scalar(0), t)
                           .getResult();
      continue;
    }
    auto partial = RankedTensorType::get(
        broadcastShape(cast<RankedTensorType>(sum.getType()).getShape(),
                       cast<RankedTensorType>(t.getType()).getShape()),
        e.b.getIntegerType(32));
    sum = sign > 0 ? AddOp::create(e.b, e.loc, partial, sum, t).getResult()
                   : SubOp::create(e.b, e.loc, partial, sum, t).getResult();
  }
  if (!sum || cast<RankedTensorType>(sum.getType()).getShape() !=
                  cast<RankedTensorType>(q.getType()).getShape())
    return failure();
  // round(sum * 2^-K) = (sum * 2^30 + 2^(29+K)) >> (30 + K).
  q.replaceAllUsesWith(e.requantize(q, sum, FixedPointScale{1 << 30, 30 + K}));
  q.erase();
  return success();
}

static LogicalResult rewrite(QuantizeLinearOp q) {
  auto out = perTensorParams(q.getScale(), q.getZeroPoint());
  auto outElem = dyn_cast<IntegerType>(
      cast<RankedTensorType>(q.getType()).getElementType());
  if (!out || q.getBlockSize() != 0 || !outElem || outElem.getWidth() != 8)
    return failure();
  Operation *op = q.getInput().getDefiningOp();
  if (auto mul = dyn_cast_or_null<MulOp>(op))
    return rewriteMul(q, mul, out->scale);
  if (isa_and_nonnull<AddOp, SubOp>(op))
    return rewriteSum(q, op, out->scale);
  return failure();
}

namespace {
struct IntegerAddMulPass : qcc::impl::IntegerAddMulBase<IntegerAddMulPass> {
  void runOnOperation() override { forEachQuantize(getOperation(), rewrite); }
};
} // namespace
