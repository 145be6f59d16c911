//===- DivideByReciprocal.cpp - quantizing divisions as multiplies --------===//
//
// Every QuantizeLinear of a float value divides by its scale, and a vector
// division is the slowest arithmetic instruction there is (vdivps on a
// 512-bit vector: ~10 cycles against 1 for a multiply). Where the quotient
// only feeds a saturating round, the division becomes a reciprocal
// multiply and one FMA correction that rounds every input to the same
// integer (ReciprocalDivision.h checks it for each scale and range).
//
//===----------------------------------------------------------------------===//
#include "qcc/Codegen/Common/LinalgUtils.h"
#include "qcc/Codegen/Common/Passes.h"
#include "qcc/Codegen/Common/ReciprocalDivision.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qcc {
#define GEN_PASS_DEF_DIVIDEBYRECIPROCAL
#include "qcc/Codegen/Common/Passes.h.inc"
} // namespace qcc

using namespace mlir;

namespace {

/// roundeven(minnumf(maxnumf(x / s, lo), hi)) (bounds in either order) with
/// a constant s: x / s -> fma(e, r, q) as in ReciprocalDivision.h.
struct DivisionBeforeRound : OpRewritePattern<arith::DivFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::DivFOp div,
                                PatternRewriter &rewriter) const override {
    std::optional<float> scale = qcc::f32Constant(div.getRhs());
    if (!scale || !div->hasOneUse())
      return failure();
    // Only the rounded integer may be observed: the two bounds (num
    // variants: NaN saturates, as the check assumes) each read the value
    // once, and only roundeven reads the clamped value.
    Operation *inner = *div->getUsers().begin();
    if (!isa<arith::MaxNumFOp, arith::MinNumFOp>(inner) || !inner->hasOneUse())
      return failure();
    Operation *outer = *inner->getUsers().begin();
    if (!isa<arith::MaxNumFOp, arith::MinNumFOp>(outer) ||
        outer->getName() == inner->getName() || outer->use_empty() ||
        !llvm::all_of(outer->getUsers(), llvm::IsaPred<math::RoundEvenOp>))
      return failure();
    std::optional<qcc::ConstantClamp> clamp =
        qcc::matchConstantClamp(outer->getResult(0));
    if (!clamp || clamp->input != div.getResult())
      return failure();
    std::optional<qcc::ReciprocalDivision> d = qcc::reciprocalDivisionFor(
        *scale, static_cast<float>(clamp->lo), static_cast<float>(clamp->hi));
    if (!d)
      return failure();

    Location loc = div.getLoc();
    Type type = div.getType();
    auto constant = [&](float f) {
      return createScalarOrSplatConstant(rewriter, loc, type, APFloat(f));
    };
    Value x = div.getLhs(), limit = constant(d->limit);
    Value above = arith::CmpFOp::create(rewriter, loc,
                                        arith::CmpFPredicate::OGT, x, limit);
    x = arith::SelectOp::create(rewriter, loc, above, limit, x);
    Value r = constant(d->reciprocal);
    Value q = arith::MulFOp::create(rewriter, loc, x, r);
    Value e = math::FmaOp::create(rewriter, loc, q, constant(-d->scale), x);
    rewriter.replaceOpWithNewOp<math::FmaOp>(div, e, r, q);
    return success();
  }
};

struct DivideByReciprocalPass
    : qcc::impl::DivideByReciprocalBase<DivideByReciprocalPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DivisionBeforeRound>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
