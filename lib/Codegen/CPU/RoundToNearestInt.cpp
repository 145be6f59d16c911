//===- RoundToNearestInt.cpp - fptosi(roundeven(x)) as lrint(x) -----------===//
//
// The last step of the CPU pipeline: a rounding and a truncating conversion
// become one conversion that rounds to nearest even (vcvtps2dq on x86).
//
//===----------------------------------------------------------------------===//
#include "qcc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qcc {
#define GEN_PASS_DEF_ROUNDTONEARESTINT
#include "qcc/Codegen/CPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

namespace {

/// fptosi(roundeven(x)) -> lrint(x): equal in LLVM's default floating-point
/// environment (round to nearest even), where LLVM compiles every function
/// qcc emits; out-of-range values were poison and stay unspecified.
struct RoundEvenToLrint : OpRewritePattern<LLVM::FPToSIOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LLVM::FPToSIOp cast,
                                PatternRewriter &rewriter) const override {
    auto round = cast.getArg().getDefiningOp<LLVM::RoundEvenOp>();
    if (!round)
      return failure();
    Type from = getElementTypeOrSelf(round.getType());
    Type to = getElementTypeOrSelf(cast.getType());
    if (!from.isF32() && !from.isF64())
      return failure();
    if (!to.isInteger(32) && !to.isInteger(64))
      return failure();
    rewriter.replaceOpWithNewOp<LLVM::LrintOp>(cast, cast.getType(),
                                               round.getOperand());
    return success();
  }
};

struct RoundToNearestIntPass
    : qcc::impl::RoundToNearestIntBase<RoundToNearestIntPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RoundEvenToLrint>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
