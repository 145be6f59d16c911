//===- LowerVectorTransfers.cpp - transfers to loads and broadcasts -------===//
//
// A vectorized op that reads a per-channel or scalar operand does so with a
// broadcasting `vector.transfer_read`. Lowered as is (VectorToSCF), that
// becomes a loop filling one lane at a time; rewritten first into a plain
// read and `vector.broadcast`, it is one load and one broadcast instruction.
//
//===----------------------------------------------------------------------===//
#include "qcc/Conversion/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qcc {
#define GEN_PASS_DEF_LOWERVECTORTRANSFERS
#include "qcc/Conversion/Passes.h.inc"
} // namespace qcc

using namespace mlir;

namespace {
/// A read that broadcasts one element (every dim of the vector longer than
/// one is a broadcast: a per-channel scale or bias) is a scalar load and a
/// splat.
struct ScalarBroadcastRead : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    if (!isa<MemRefType>(read.getBase().getType()) || read.getMask())
      return failure();
    VectorType type = read.getVectorType();
    AffineMap map = read.getPermutationMap();
    bool broadcastOnly = false;
    for (unsigned i = 0; i < map.getNumResults(); ++i) {
      auto c = dyn_cast<AffineConstantExpr>(map.getResult(i));
      bool isBroadcast = c && c.getValue() == 0;
      if (type.getDimSize(i) > 1 && !isBroadcast)
        return failure();
      broadcastOnly |= isBroadcast && type.getDimSize(i) > 1;
    }
    if (!broadcastOnly)
      return failure();
    Value scalar = memref::LoadOp::create(rewriter, read.getLoc(),
                                          read.getBase(), read.getIndices());
    rewriter.replaceOpWithNewOp<vector::BroadcastOp>(read, type, scalar);
    return success();
  }
};

struct LowerVectorTransfersPass
    : qcc::impl::LowerVectorTransfersBase<LowerVectorTransfersPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ScalarBroadcastRead>(&getContext(), /*benefit=*/2);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
