//===- IntegerAddMul.cpp - Add, Sub and Mul of quantized tensors ----------===//
//
// Q(DQ(a) * DQ(b)): the int32 product of the zero-point-shifted bytes,
// requantized once by s_a s_b / s_y. Q(+-DQ(x_1) +- ... +- DQ(x_T)): each
// shifted value scaled by M_i = round(s_i / s_y * 2^K) in int32, summed,
// and requantized by 2^-K; K is the largest shift that keeps every M_i
// below 2^31 / (2^bits_i T), so no intermediate can overflow. Sums also
// take and give int16 (a transformer's residual stream).
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"
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
/// A per-tensor 8- or 16-bit DequantizeLinear: x, its scale and zero
/// point, and the count of values x - zeroPoint spans (2^bits).
struct Quantized {
  Value x;
  double scale;
  int64_t zeroPoint;
  double span;
};
} // namespace

static std::optional<Quantized> dequantized(Value v) {
  auto dq = v.getDefiningOp<DequantizeLinearOp>();
  if (!dq || dq.getBlockSize() != 0)
    return std::nullopt;
  auto elem = dyn_cast<IntegerType>(
      cast<RankedTensorType>(dq.getInput().getType()).getElementType());
  auto p = perTensorParams(dq.getScale(), dq.getZeroPoint());
  if (!elem || (elem.getWidth() != 8 && elem.getWidth() != 16) || !p)
    return std::nullopt;
  return Quantized{dq.getInput(), p->scale, p->zeroPoint,
                   std::ldexp(1.0, elem.getWidth())};
}

static RankedTensorType i32Like(Value v) {
  return RankedTensorType::get(cast<RankedTensorType>(v.getType()).getShape(),
                               IntegerType::get(v.getContext(), 32));
}

static FailureOr<Value> rewriteMul(QuantizeLinearOp q, MulOp mul,
                                   double outScale) {
  auto a = dequantized(mul.getLhs()), c = dequantized(mul.getRhs());
  // 8-bit products only: 16-bit ones could overflow int32.
  if (!a || !c || a->span > 256 || c->span > 256)
    return failure();
  auto fp = toFixedPoint(a->scale * c->scale / outScale);
  if (!fp)
    return failure();
  OpBuilder b(q);
  Location loc = q.getLoc();
  Value p = MulOp::create(b, loc, i32Like(mul.getResult()),
                          shiftedToI32(b, loc, a->x, a->zeroPoint),
                          shiftedToI32(b, loc, c->x, c->zeroPoint));
  return requantizeLike(b, q, p, *fp);
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

static FailureOr<Value> rewriteSum(QuantizeLinearOp q, Operation *root,
                                   double outScale) {
  SmallVector<std::pair<Quantized, int>> terms;
  if (!collectTerms(root->getOperand(0), 1, terms) ||
      !collectTerms(root->getOperand(1), isa<SubOp>(root) ? -1 : 1, terms))
    return failure();
  // Every |M_i (x - z)| < 2^31 / T: M_i < 2^31 / (span_i T).
  int K = 32;
  for (auto &[in, sign] : terms) {
    double bound = std::ldexp(1.0, 31) / (in.span * terms.size());
    K = std::min(K, (int)std::floor(std::log2(bound / (in.scale / outScale))));
  }
  if (K < 1)
    return failure();
  OpBuilder b(q);
  Location loc = q.getLoc();
  Value sum;
  for (auto &[in, sign] : terms) {
    int64_t m = std::llround(std::ldexp(in.scale / outScale, K));
    if (m == 0)
      continue;
    Value t = shiftedToI32(b, loc, in.x, in.zeroPoint);
    t = MulOp::create(b, loc, i32Like(t), t, i32Scalar(b, loc, m));
    if (!sum) {
      sum = sign > 0
                ? t
                : SubOp::create(b, loc, i32Like(t), i32Scalar(b, loc, 0), t)
                      .getResult();
      continue;
    }
    // Operand shapes come from float ops that broadcast them already.
    FailureOr<SmallVector<int64_t>> shape =
        broadcastShapes(cast<RankedTensorType>(sum.getType()).getShape(),
                        cast<RankedTensorType>(t.getType()).getShape());
    if (failed(shape))
      return failure();
    auto partial = RankedTensorType::get(*shape, b.getIntegerType(32));
    sum = sign > 0 ? AddOp::create(b, loc, partial, sum, t).getResult()
                   : SubOp::create(b, loc, partial, sum, t).getResult();
  }
  if (!sum || cast<RankedTensorType>(sum.getType()).getShape() !=
                  cast<RankedTensorType>(q.getType()).getShape())
    return failure();
  // round(sum * 2^-K) = (sum * 2^30 + 2^(29+K)) >> (30 + K).
  return requantizeLike(b, q, sum, FixedPointScale{1 << 30, 30 + K});
}

static LogicalResult rewrite(QuantizeLinearOp q) {
  auto out = perTensorParams(q.getScale(), q.getZeroPoint());
  auto outElem = dyn_cast<IntegerType>(
      cast<RankedTensorType>(q.getType()).getElementType());
  if (!out || q.getBlockSize() != 0 || !outElem ||
      (outElem.getWidth() != 8 && outElem.getWidth() != 16))
    return failure();
  // A Relu after the sum or product: max(q, z_y) on the requantized value
  // (calibration observed the Relu's output, so one rounding).
  Value v = q.getInput();
  auto relu = v.getDefiningOp<ReluOp>();
  if (relu && relu->hasOneUse())
    v = relu.getInput();
  Operation *op = v.getDefiningOp();
  if (relu && (!op || !v.hasOneUse()))
    return failure();
  FailureOr<Value> y = failure();
  if (auto mul = dyn_cast_or_null<MulOp>(op))
    y = rewriteMul(q, mul, out->scale);
  else if (isa_and_nonnull<AddOp, SubOp>(op))
    y = rewriteSum(q, op, out->scale);
  if (failed(y))
    return failure();
  Value result = *y;
  if (relu) {
    OpBuilder b(q);
    result = MaxOp::create(b, q.getLoc(), result.getType(), result,
                           zeroPointOrZero(b, q));
  }
  q.replaceAllUsesWith(result);
  q.erase();
  return success();
}

namespace {
struct IntegerAddMulPass : qcc::impl::IntegerAddMulBase<IntegerAddMulPass> {
  void runOnOperation() override { forEachQuantize(getOperation(), rewrite); }
};
} // namespace
