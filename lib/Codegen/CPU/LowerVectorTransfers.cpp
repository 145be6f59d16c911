//===- LowerVectorTransfers.cpp - transfers to loads and broadcasts -------===//
//
// A vectorized op that reads a per-channel or scalar operand does so with a
// broadcasting `vector.transfer_read`. Lowered as is (VectorToSCF), that
// becomes a loop filling one lane at a time; rewritten first into a plain
// read and `vector.broadcast`, it is one load and one broadcast instruction.
//
//===----------------------------------------------------------------------===//
#include "qcc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qcc {
#define GEN_PASS_DEF_LOWERVECTORTRANSFERS
#include "qcc/Codegen/CPU/Passes.h.inc"
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

/// A read along an innermost dim of static stride s > 1 (a strided subview
/// of a unit-stride buffer): a masked load of the run that covers the
/// lanes, then a shuffle.
struct StridedRead : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    auto subview = read.getBase().getDefiningOp<memref::SubViewOp>();
    if (!subview || read.getMask() ||
        !read.getPermutationMap().isMinorIdentity())
      return failure();
    VectorType type = read.getVectorType();
    // Rank-reducing subviews are left alone: the run would keep their
    // dropped dims.
    if (subview.getType().getRank() != subview.getSourceType().getRank())
      return failure();
    int64_t lanes = type.getShape().back();
    if (llvm::any_of(type.getShape().drop_back(),
                     [](int64_t d) { return d != 1; }) ||
        !read.getInBoundsValues().back() || lanes < 2)
      return failure();
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(subview.getSourceType().getStridesAndOffset(strides, offset)) ||
        strides.back() != 1)
      return failure();
    ArrayRef<int64_t> relative = subview.getStaticStrides();
    int64_t s = relative.back();
    if (ShapedType::isDynamic(s) || s < 2 ||
        ShapedType::isDynamic(subview.getStaticSizes().back()))
      return failure();
    Location loc = read.getLoc();
    // The same window with unit stride, long enough for the last lane.
    SmallVector<OpFoldResult> sizes = subview.getMixedSizes();
    SmallVector<OpFoldResult> unit = subview.getMixedStrides();
    int64_t extent = subview.getStaticSizes().back();
    sizes.back() = rewriter.getIndexAttr(s * (extent - 1) + 1);
    unit.back() = rewriter.getIndexAttr(1);
    Value run =
        memref::SubViewOp::create(rewriter, loc, subview.getSource(),
                                  subview.getMixedOffsets(), sizes, unit);
    SmallVector<Value> idx(read.getIndices());
    idx.back() =
        arith::MulIOp::create(rewriter, loc, idx.back(),
                              arith::ConstantIndexOp::create(rewriter, loc, s));
    auto wide = VectorType::get({s * lanes}, type.getElementType());
    Value mask = vector::ConstantMaskOp::create(
        rewriter, loc, VectorType::get({s * lanes}, rewriter.getI1Type()),
        {s * (lanes - 1) + 1});
    Value zeros = arith::ConstantOp::create(rewriter, loc, wide,
                                            rewriter.getZeroAttr(wide));
    Value loaded = vector::MaskedLoadOp::create(rewriter, loc, wide, run, idx,
                                                mask, zeros);
    SmallVector<int64_t> every;
    for (int64_t i = 0; i < lanes; ++i)
      every.push_back(i * s);
    Value picked =
        vector::ShuffleOp::create(rewriter, loc, loaded, loaded, every);
    rewriter.replaceOpWithNewOp<vector::ShapeCastOp>(read, type, picked);
    return success();
  }
};

struct LowerVectorTransfersPass
    : qcc::impl::LowerVectorTransfersBase<LowerVectorTransfersPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ScalarBroadcastRead, StridedRead>(&getContext(),
                                                   /*benefit=*/2);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
