//===- ApproximateErf.cpp - erf as a vectorizable rational polynomial -----===//
//
// libm's erff is a call per element: a GELU's quantization or sum then
// stays a scalar loop. Upstream's piecewise rational approximation is made
// of arithmetic, fma, abs and selects, which the vectorizers accept. Its
// accuracy against the exact erf is measured in docs/Numerics.md.
//
//===----------------------------------------------------------------------===//
#include "qcc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qcc {
#define GEN_PASS_DEF_APPROXIMATEERF
#include "qcc/Codegen/CPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

namespace {
struct ApproximateErfPass : qcc::impl::ApproximateErfBase<ApproximateErfPass> {
  void runOnOperation() override {
    // erf is odd: the sign of x, -0.0's too (the approximation gives +0).
    SmallVector<math::ErfOp> erfs;
    getOperation()->walk([&](math::ErfOp op) {
      // The approximation is f32's only; other types keep libm's.
      if (getElementTypeOrSelf(op.getType()).isF32())
        erfs.push_back(op);
    });
    for (math::ErfOp op : erfs) {
      OpBuilder b(op);
      auto erf = math::ErfOp::create(b, op.getLoc(), op.getOperand());
      auto sign = math::CopySignOp::create(b, op.getLoc(), erf.getResult(),
                                           op.getOperand());
      op.replaceAllUsesWith(sign.getResult());
      op.erase();
    }
    RewritePatternSet patterns(&getContext());
    populatePolynomialApproximateErfPattern(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
