//===- SaturatingRound.cpp - clamp, then round to an integer once ---------===//
//
// QuantizeLinear's tail, `cast(clamp(roundeven(v) + zp, lo, hi))`, costs a
// round, an add, two bounds and a truncating conversion per element. With
// integer bounds the clamp commutes with the rounding, so the same values
// come from clamping v to [lo - zp, hi - zp], rounding to an i32 in one
// conversion and adding zp as an integer. On the CPU, qcc-round-to-nearest-int
// then makes that conversion one instruction.
//
//===----------------------------------------------------------------------===//
#include "qcc/Codegen/Common/LinalgUtils.h"
#include "qcc/Codegen/Common/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace qcc {
#define GEN_PASS_DEF_SATURATINGROUND
#include "qcc/Codegen/Common/Passes.h.inc"
} // namespace qcc

using namespace mlir;

namespace {

Type withElement(Type type, Type element) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return shaped.clone(element);
  return element;
}

/// cast(clamp(roundeven(v) + zp, lo, hi)) with integral lo <= hi and zp ->
/// trunc(fptosi(roundeven(clamp(v, lo - zp, hi - zp))) + zp).
///
/// Exact: roundeven is monotone and keeps integers, so clamping to integer
/// bounds before or after it gives the same integer, and every value in
/// [lo - zp, hi - zp] rounds to an integer that f32 holds exactly, so
/// adding zp in i32 equals the f32 sum. NaN clamps to lo - zp and ends at
/// lo, as maxnum/minnum saturate it; with NaN-propagating bounds the
/// original cast of NaN was poison, which any value refines.
template <typename CastOp>
struct ClampThenRound : OpRewritePattern<CastOp> {
  using OpRewritePattern<CastOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(CastOp cast,
                                PatternRewriter &rewriter) const override {
    constexpr bool isUnsigned = std::is_same_v<CastOp, arith::FPToUIOp>;
    Type intType = getElementTypeOrSelf(cast.getType());
    unsigned width = intType.getIntOrFloatBitWidth();
    if (width > 32 || width < 2)
      return failure();
    std::optional<qcc::ConstantClamp> clamp =
        qcc::matchConstantClamp(cast.getIn());
    if (!clamp)
      return failure();
    Value inner = clamp->input;
    double lo = clamp->lo, hi = clamp->hi, zp = 0;
    if (auto add = inner.getDefiningOp<arith::AddFOp>()) {
      for (int i = 0; i < 2; ++i)
        if (std::optional<double> c =
                qcc::integralF32Constant(add->getOperand(i))) {
          inner = add->getOperand(1 - i);
          zp = *c;
          break;
        }
    }
    auto round = inner.getDefiningOp<math::RoundEvenOp>();
    if (!round)
      return failure();
    // The cast's result type must hold [lo, hi].
    double typeLo = isUnsigned ? 0 : -std::ldexp(1.0, width - 1);
    double typeHi = isUnsigned ? std::ldexp(1.0, width) - 1
                               : std::ldexp(1.0, width - 1) - 1;
    if (lo < typeLo || hi > typeHi)
      return failure();

    Location loc = cast.getLoc();
    Value v = round.getOperand();
    Type floatType = v.getType();
    auto f32Const = [&](double d) {
      return createScalarOrSplatConstant(rewriter, loc, floatType,
                                         APFloat(static_cast<float>(d)));
    };
    Value lower = f32Const(lo - zp), upper = f32Const(hi - zp);
    v = arith::MaxNumFOp::create(rewriter, loc, v, lower);
    v = arith::MinNumFOp::create(rewriter, loc, v, upper);
    v = math::RoundEvenOp::create(rewriter, loc, v);
    Type wideType = withElement(floatType, rewriter.getI32Type());
    Value wide = arith::FPToSIOp::create(rewriter, loc, wideType, v);
    if (zp != 0)
      wide = arith::AddIOp::create(
          rewriter, loc, wide,
          createScalarOrSplatConstant(rewriter, loc, wideType,
                                      static_cast<int64_t>(zp)));
    // Extensions of the result are the i32 value itself when the bounds
    // fit the narrow type read the way the extension reads it.
    for (Operation *user : llvm::make_early_inc_range(cast->getUsers())) {
      bool same = isa<arith::ExtUIOp>(user)
                      ? lo >= 0
                      : isa<arith::ExtSIOp>(user) &&
                            hi <= std::ldexp(1.0, width - 1) - 1;
      if (!same || user->getResult(0).getType() != wideType)
        continue;
      rewriter.replaceOp(user, wide);
    }
    if (width == 32)
      rewriter.replaceOp(cast, wide);
    else
      rewriter.replaceOpWithNewOp<arith::TruncIOp>(cast, cast.getType(), wide);
    return success();
  }
};

struct SaturatingRoundPass
    : qcc::impl::SaturatingRoundBase<SaturatingRoundPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns
        .add<ClampThenRound<arith::FPToUIOp>, ClampThenRound<arith::FPToSIOp>>(
            &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
