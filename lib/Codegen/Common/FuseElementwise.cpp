//===- FuseElementwise.cpp - elementwise fusion without recomputation -----===//
#include "qcc/Codegen/Common/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qcc {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "qcc/Codegen/Common/Passes.h.inc"
} // namespace qcc

using namespace mlir;

static bool allProjectedPermutations(linalg::GenericOp op) {
  return llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
    return map.isProjectedPermutation(/*allowZeroInResults=*/true);
  });
}

/// A gather: a generic that reads through computed indices (a nearest
/// Resize's h / k) or with maps other than projected permutations. Fused
/// into a reader, it would make the reader's loads non-contiguous and keep
/// it from vectorizing: it is materialized.
static bool isGather(linalg::GenericOp op) {
  if (!allProjectedPermutations(op))
    return true;
  return op.getBody()
      ->walk([](Operation *inner) {
        return isa<linalg::IndexOp, tensor::ExtractOp>(inner)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

/// A generic whose body only yields one of its input block arguments.
static bool movesDataOnly(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 1)
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto arg = dyn_cast<BlockArgument>(yield.getOperand(0));
  if (!arg || arg.getArgNumber() >= op.getNumDpsInputs())
    return false;
  // Only broadcasts and transposes: a strided gather (im2col) is kept
  // materialized so the consumer reads it contiguously.
  return allProjectedPermutations(op);
}

/// Ops of a producer body cheap enough to recompute in every reader (a
/// DequantizeLinear: convert, subtract, multiply).
static constexpr size_t kCheapOps = 4;

static bool shouldFuse(OpOperand *fused) {
  auto consumer = dyn_cast<linalg::GenericOp>(fused->getOwner());
  auto producer = fused->get().getDefiningOp<linalg::GenericOp>();
  if (!consumer || !producer)
    return false;
  if (consumer.getNumReductionLoops() == 0) {
    // A producer the consumer reads broadcast (a per-channel gate, a scale
    // computed from a reduction) would be recomputed for every element it
    // is broadcast to: it stays a small loop of its own.
    AffineMap read = consumer.getMatchingIndexingMap(fused);
    if (!read.isPermutation() && !movesDataOnly(producer))
      return false;
    // A producer with other readers stays as it is in them; fusing a copy
    // of a longer chain (a requantization) would compute it again per
    // reader, where storing it once (8-bit values) and reading it back is
    // cheaper.
    if (!fused->get().hasOneUse() && !movesDataOnly(producer) &&
        producer.getBody()->getOperations().size() > kCheapOps + 1)
      return false;
    return !isGather(producer);
  }
  // A reduction that reads each element of its only reader once (a
  // GlobalAveragePool of a DequantizeLinear) computes it in the same loop:
  // nothing is recomputed and the intermediate tensor is never written.
  if (consumer.getMatchingIndexingMap(fused).isPermutation() &&
      fused->get().hasOneUse() && !isGather(producer))
    return true;
  return movesDataOnly(producer);
}

namespace {
struct FuseElementwisePass
    : qcc::impl::FuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, shouldFuse);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
