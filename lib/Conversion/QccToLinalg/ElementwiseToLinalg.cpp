//===- ElementwiseToLinalg.cpp - elementwise qcc ops to linalg.generic ----===//
//
// Every elementwise op becomes one all-parallel linalg.generic with numpy
// broadcasting maps; only the scalar body differs. Signedness comes from the
// original (unconverted) operand types.
//
//===----------------------------------------------------------------------===//
#include "qcc/Conversion/QccToLinalg/LoweringUtils.h"
#include "qcc/Conversion/QccToLinalg/QccToLinalg.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"

#include <cmath>

using namespace mlir;
using namespace qcc;

namespace {
/// Scalar context: the original op's element types.
struct Scalar {
  OpBuilder &b;
  Location loc;
  Type type;       ///< signless element type of the first operand
  bool isUnsigned; ///< ONNX unsigned integer
  bool isFloat() const { return isa<FloatType>(type); }
  Value c(double v) const { return scalarConst(b, loc, type, v); }
};
} // namespace

static Value add(Scalar s, Value x, Value y) {
  return s.isFloat() ? (Value)arith::AddFOp::create(s.b, s.loc, x, y)
                     : (Value)arith::AddIOp::create(s.b, s.loc, x, y);
}
static Value sub(Scalar s, Value x, Value y) {
  return s.isFloat() ? (Value)arith::SubFOp::create(s.b, s.loc, x, y)
                     : (Value)arith::SubIOp::create(s.b, s.loc, x, y);
}
static Value mul(Scalar s, Value x, Value y) {
  return s.isFloat() ? (Value)arith::MulFOp::create(s.b, s.loc, x, y)
                     : (Value)arith::MulIOp::create(s.b, s.loc, x, y);
}
static Value div(Scalar s, Value x, Value y) {
  if (s.isFloat())
    return arith::DivFOp::create(s.b, s.loc, x, y);
  if (s.isUnsigned)
    return arith::DivUIOp::create(s.b, s.loc, x, y);
  return arith::DivSIOp::create(s.b, s.loc, x, y);
}
static Value maxOf(Scalar s, Value x, Value y) {
  if (s.isFloat())
    return arith::MaximumFOp::create(s.b, s.loc, x, y);
  if (s.isUnsigned)
    return arith::MaxUIOp::create(s.b, s.loc, x, y);
  return arith::MaxSIOp::create(s.b, s.loc, x, y);
}
static Value minOf(Scalar s, Value x, Value y) {
  if (s.isFloat())
    return arith::MinimumFOp::create(s.b, s.loc, x, y);
  if (s.isUnsigned)
    return arith::MinUIOp::create(s.b, s.loc, x, y);
  return arith::MinSIOp::create(s.b, s.loc, x, y);
}
static Value cmp(Scalar s, arith::CmpFPredicate fp, arith::CmpIPredicate sp,
                 arith::CmpIPredicate up, Value x, Value y) {
  if (s.isFloat())
    return arith::CmpFOp::create(s.b, s.loc, fp, x, y);
  return arith::CmpIOp::create(s.b, s.loc, s.isUnsigned ? up : sp, x, y);
}
static Value select(Scalar s, Value c, Value x, Value y) {
  return arith::SelectOp::create(s.b, s.loc, c, x, y);
}
static Value isNegative(Scalar s, Value x) {
  return cmp(s, arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt,
             arith::CmpIPredicate::ult, x, s.c(0));
}
static Value sigmoid(Scalar s, Value x) {
  Value negX = arith::NegFOp::create(s.b, s.loc, x);
  Value e = math::ExpOp::create(s.b, s.loc, negX);
  return arith::DivFOp::create(s.b, s.loc, s.c(1),
                               arith::AddFOp::create(s.b, s.loc, s.c(1), e));
}
static Value clamp01(Scalar s, Value x) {
  return minOf(s, maxOf(s, x, s.c(0)), s.c(1));
}

// One overload per op: the scalar computation.
static Value scalarOf(SqrtOp, Scalar s, ValueRange a) {
  return math::SqrtOp::create(s.b, s.loc, a[0]);
}
static Value scalarOf(ExpOp, Scalar s, ValueRange a) {
  return math::ExpOp::create(s.b, s.loc, a[0]);
}
static Value scalarOf(LogOp, Scalar s, ValueRange a) {
  return math::LogOp::create(s.b, s.loc, a[0]);
}
static Value scalarOf(ErfOp, Scalar s, ValueRange a) {
  return math::ErfOp::create(s.b, s.loc, a[0]);
}
static Value scalarOf(TanhOp, Scalar s, ValueRange a) {
  return math::TanhOp::create(s.b, s.loc, a[0]);
}
static Value scalarOf(SigmoidOp, Scalar s, ValueRange a) {
  return sigmoid(s, a[0]);
}
static Value scalarOf(ReluOp, Scalar s, ValueRange a) {
  return maxOf(s, a[0], s.c(0));
}
static Value scalarOf(NegOp, Scalar s, ValueRange a) {
  if (s.isFloat())
    return arith::NegFOp::create(s.b, s.loc, a[0]);
  return sub(s, s.c(0), a[0]);
}
static Value scalarOf(AbsOp, Scalar s, ValueRange a) {
  if (s.isFloat())
    return math::AbsFOp::create(s.b, s.loc, a[0]);
  if (s.isUnsigned)
    return a[0];
  // Plain arith: math.absi has no LLVM lowering next to math-to-libm.
  return select(s, isNegative(s, a[0]), sub(s, s.c(0), a[0]), a[0]);
}
static Value scalarOf(FloorOp, Scalar s, ValueRange a) {
  return math::FloorOp::create(s.b, s.loc, a[0]);
}
static Value scalarOf(CeilOp, Scalar s, ValueRange a) {
  return math::CeilOp::create(s.b, s.loc, a[0]);
}
static Value scalarOf(RoundOp, Scalar s, ValueRange a) {
  return math::RoundEvenOp::create(s.b, s.loc, a[0]);
}
static Value scalarOf(ReciprocalOp, Scalar s, ValueRange a) {
  return div(s, s.c(1), a[0]);
}
static Value scalarOf(SinOp, Scalar s, ValueRange a) {
  return math::SinOp::create(s.b, s.loc, a[0]);
}
static Value scalarOf(CosOp, Scalar s, ValueRange a) {
  return math::CosOp::create(s.b, s.loc, a[0]);
}
static Value scalarOf(SignOp, Scalar s, ValueRange a) {
  Value pos = cmp(s, arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt,
                  arith::CmpIPredicate::ugt, a[0], s.c(0));
  Value r = select(s, pos, s.c(1), s.c(0));
  if (s.isUnsigned)
    return r;
  r = select(s, isNegative(s, a[0]), s.c(-1), r);
  if (s.isFloat()) // NaN stays NaN.
    r = select(s,
               arith::CmpFOp::create(s.b, s.loc, arith::CmpFPredicate::UNO,
                                     a[0], a[0]),
               a[0], r);
  return r;
}
static Value scalarOf(NotOp, Scalar s, ValueRange a) {
  return arith::XOrIOp::create(s.b, s.loc, a[0], s.c(1));
}
static Value scalarOf(SoftplusOp, Scalar s, ValueRange a) {
  // log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|)).
  Value absX = math::AbsFOp::create(s.b, s.loc, a[0]);
  Value e =
      math::ExpOp::create(s.b, s.loc, arith::NegFOp::create(s.b, s.loc, absX));
  return add(s, maxOf(s, a[0], s.c(0)), math::Log1pOp::create(s.b, s.loc, e));
}
static Value scalarOf(HardSwishOp, Scalar s, ValueRange a) {
  Value h = clamp01(s, add(s, mul(s, a[0], s.c(1.0 / 6.0)), s.c(0.5)));
  return mul(s, a[0], h);
}
static Value scalarOf(LeakyReluOp op, Scalar s, ValueRange a) {
  Value scaled = mul(s, a[0], s.c(op.getAlpha().convertToDouble()));
  return select(s, isNegative(s, a[0]), scaled, a[0]);
}
static Value scalarOf(EluOp op, Scalar s, ValueRange a) {
  Value em1 = math::ExpM1Op::create(s.b, s.loc, a[0]);
  Value neg = mul(s, em1, s.c(op.getAlpha().convertToDouble()));
  return select(s, isNegative(s, a[0]), neg, a[0]);
}
static Value scalarOf(HardSigmoidOp op, Scalar s, ValueRange a) {
  Value lin = add(s, mul(s, a[0], s.c(op.getAlpha().convertToDouble())),
                  s.c(op.getBeta().convertToDouble()));
  return clamp01(s, lin);
}
static Value scalarOf(GeluOp op, Scalar s, ValueRange a) {
  Value x = a[0];
  Value inner;
  if (op.getApproximate() == "tanh") {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    Value x3 = mul(s, mul(s, x, x), x);
    Value t = mul(s, add(s, x, mul(s, x3, s.c(0.044715))),
                  s.c(std::sqrt(2.0 / M_PI)));
    inner = math::TanhOp::create(s.b, s.loc, t);
  } else {
    inner = math::ErfOp::create(s.b, s.loc, mul(s, x, s.c(M_SQRT1_2)));
  }
  return mul(s, mul(s, x, s.c(0.5)), add(s, inner, s.c(1)));
}
static Value scalarOf(ClipOp op, Scalar s, ValueRange a) {
  Value r = a[0];
  if (auto lo = op.getMin())
    r = maxOf(s, r, s.c(lo->convertToDouble()));
  if (auto hi = op.getMax())
    r = minOf(s, r, s.c(hi->convertToDouble()));
  return r;
}
static Value scalarOf(AddOp, Scalar s, ValueRange a) {
  return add(s, a[0], a[1]);
}
static Value scalarOf(SubOp, Scalar s, ValueRange a) {
  return sub(s, a[0], a[1]);
}
static Value scalarOf(MulOp, Scalar s, ValueRange a) {
  return mul(s, a[0], a[1]);
}
static Value scalarOf(DivOp, Scalar s, ValueRange a) {
  return div(s, a[0], a[1]);
}
static Value scalarOf(MaxOp, Scalar s, ValueRange a) {
  return maxOf(s, a[0], a[1]);
}
static Value scalarOf(MinOp, Scalar s, ValueRange a) {
  return minOf(s, a[0], a[1]);
}
static Value scalarOf(PowOp op, Scalar s, ValueRange a) {
  Type expType = signless(elementTypeOf(op.getRhs()));
  Value e = a[1];
  if (s.isFloat()) {
    if (expType != s.type)
      e = convertScalar(s.b, s.loc, e, expType,
                        isUnsignedInt(elementTypeOf(op.getRhs())), s.type,
                        false);
    return math::PowFOp::create(s.b, s.loc, a[0], e);
  }
  // Integer base: compute in f64 like ONNX Runtime, then convert back.
  Type f64 = s.b.getF64Type();
  Value base =
      convertScalar(s.b, s.loc, a[0], s.type, s.isUnsigned, f64, false);
  Value exp =
      convertScalar(s.b, s.loc, e, expType,
                    isUnsignedInt(elementTypeOf(op.getRhs())), f64, false);
  Value p = math::PowFOp::create(s.b, s.loc, base, exp);
  return convertScalar(s.b, s.loc, p, f64, false, s.type, s.isUnsigned);
}
static Value scalarOf(ModOp, Scalar s, ValueRange a) {
  if (s.isFloat()) // ONNX requires fmod=1 for floats; the importer checks.
    return arith::RemFOp::create(s.b, s.loc, a[0], a[1]);
  if (s.isUnsigned)
    return arith::RemUIOp::create(s.b, s.loc, a[0], a[1]);
  // Result takes the sign of the divisor (Python %).
  Value r = arith::RemSIOp::create(s.b, s.loc, a[0], a[1]);
  Value nonZero =
      arith::CmpIOp::create(s.b, s.loc, arith::CmpIPredicate::ne, r, s.c(0));
  Value signDiffers =
      arith::XOrIOp::create(s.b, s.loc, isNegative(s, r), isNegative(s, a[1]));
  Value fix = arith::AndIOp::create(s.b, s.loc, nonZero, signDiffers);
  return select(s, fix, add(s, r, a[1]), r);
}
static Value scalarOf(FModOp, Scalar s, ValueRange a) {
  if (s.isFloat())
    return arith::RemFOp::create(s.b, s.loc, a[0], a[1]);
  if (s.isUnsigned)
    return arith::RemUIOp::create(s.b, s.loc, a[0], a[1]);
  return arith::RemSIOp::create(s.b, s.loc, a[0], a[1]);
}
static Value scalarOf(PReluOp, Scalar s, ValueRange a) {
  return select(s, isNegative(s, a[0]), mul(s, a[0], a[1]), a[0]);
}
static Value scalarOf(EqualOp, Scalar s, ValueRange a) {
  return cmp(s, arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq,
             arith::CmpIPredicate::eq, a[0], a[1]);
}
static Value scalarOf(LessOp, Scalar s, ValueRange a) {
  return cmp(s, arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt,
             arith::CmpIPredicate::ult, a[0], a[1]);
}
static Value scalarOf(LessOrEqualOp, Scalar s, ValueRange a) {
  return cmp(s, arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle,
             arith::CmpIPredicate::ule, a[0], a[1]);
}
static Value scalarOf(GreaterOp, Scalar s, ValueRange a) {
  return cmp(s, arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt,
             arith::CmpIPredicate::ugt, a[0], a[1]);
}
static Value scalarOf(GreaterOrEqualOp, Scalar s, ValueRange a) {
  return cmp(s, arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge,
             arith::CmpIPredicate::uge, a[0], a[1]);
}
static Value scalarOf(AndOp, Scalar s, ValueRange a) {
  return arith::AndIOp::create(s.b, s.loc, a[0], a[1]);
}
static Value scalarOf(OrOp, Scalar s, ValueRange a) {
  return arith::OrIOp::create(s.b, s.loc, a[0], a[1]);
}
static Value scalarOf(XorOp, Scalar s, ValueRange a) {
  return arith::XOrIOp::create(s.b, s.loc, a[0], a[1]);
}
static Value scalarOf(WhereOp, Scalar s, ValueRange a) {
  return select(s, a[0], a[1], a[2]);
}
static Value scalarOf(CastOp op, Scalar s, ValueRange a) {
  Type dst = elementTypeOf(op.getOutput());
  return convertScalar(s.b, s.loc, a[0], s.type, s.isUnsigned, dst,
                       isUnsignedInt(dst));
}

namespace {
template <typename OpTy>
struct ElementwiseLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    if (!resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    // The element type that decides the arithmetic: Where selects on x.
    Value typed = op->getOperand(0);
    if constexpr (std::is_same_v<OpTy, WhereOp>)
      typed = op->getOperand(1);
    Type elem = elementTypeOf(typed);
    Value r = buildElementwise(
        rewriter, op.getLoc(), signless(resultType), adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Scalar s{b, loc, signless(elem), isUnsignedInt(elem)};
          return scalarOf(op, s, args);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};
} // namespace

void qcc::populateQccElementwiseToLinalgPatterns(TypeConverter &converter,
                                                 RewritePatternSet &patterns) {
  patterns
      .add<ElementwiseLowering<SqrtOp>, ElementwiseLowering<ExpOp>,
           ElementwiseLowering<LogOp>, ElementwiseLowering<ErfOp>,
           ElementwiseLowering<TanhOp>, ElementwiseLowering<SigmoidOp>,
           ElementwiseLowering<ReluOp>, ElementwiseLowering<NegOp>,
           ElementwiseLowering<AbsOp>, ElementwiseLowering<FloorOp>,
           ElementwiseLowering<CeilOp>, ElementwiseLowering<RoundOp>,
           ElementwiseLowering<ReciprocalOp>, ElementwiseLowering<SinOp>,
           ElementwiseLowering<CosOp>, ElementwiseLowering<SignOp>,
           ElementwiseLowering<NotOp>, ElementwiseLowering<SoftplusOp>,
           ElementwiseLowering<HardSwishOp>, ElementwiseLowering<LeakyReluOp>,
           ElementwiseLowering<EluOp>, ElementwiseLowering<HardSigmoidOp>,
           ElementwiseLowering<GeluOp>, ElementwiseLowering<ClipOp>,
           ElementwiseLowering<AddOp>, ElementwiseLowering<SubOp>,
           ElementwiseLowering<MulOp>, ElementwiseLowering<DivOp>,
           ElementwiseLowering<MaxOp>, ElementwiseLowering<MinOp>,
           ElementwiseLowering<PowOp>, ElementwiseLowering<ModOp>,
           ElementwiseLowering<FModOp>, ElementwiseLowering<PReluOp>,
           ElementwiseLowering<EqualOp>, ElementwiseLowering<LessOp>,
           ElementwiseLowering<LessOrEqualOp>, ElementwiseLowering<GreaterOp>,
           ElementwiseLowering<GreaterOrEqualOp>, ElementwiseLowering<AndOp>,
           ElementwiseLowering<OrOp>, ElementwiseLowering<XorOp>,
           ElementwiseLowering<WhereOp>, ElementwiseLowering<CastOp>>(
          converter, patterns.getContext());
}
