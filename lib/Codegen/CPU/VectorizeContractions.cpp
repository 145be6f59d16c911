//===- VectorizeContractions.cpp - register-tiled contractions ------------===//
#include "qcc/Codegen/Common/LinalgUtils.h"
#include "qcc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

namespace qcc {
#define GEN_PASS_DEF_VECTORIZECONTRACTIONS
#include "qcc/Codegen/CPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

/// Output block: rows x columns; columns are whole vectors.
static constexpr int64_t kRowChoices[] = {4, 2};
static constexpr int64_t kColChoices[] = {64, 32, 16, 8};

/// Tile sizes for a contraction in (parallel..., reduction..., n) order, or
/// nothing when the op is not a simple register-tileable contraction.
static std::optional<SmallVector<int64_t>> tileSizes(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumReductionLoops() == 0 ||
      !op.hasPureTensorSemantics())
    return std::nullopt;
  auto iters = op.getIteratorTypesArray();
  if (iters.back() != utils::IteratorType::parallel)
    return std::nullopt;
  // Inputs may read windows along the vector loop (a depthwise
  // convolution's rows): one contiguous run per tile.
  unsigned inner = op.getNumLoops() - 1;
  SmallVector<AffineMap> windows;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (map.isProjectedPermutation(/*allowZeroInResults=*/true))
      continue;
    if (op.isDpsInit(&operand) || !qcc::isWindowMap(map, inner))
      return std::nullopt;
    windows.push_back(map);
  }
  // Only arithmetic in the body (no index computations or tensor reads).
  for (Operation &inner : op.getRegion().front().without_terminator())
    if (!isa<arith::ArithDialect>(inner.getDialect()))
      return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return std::nullopt;
  unsigned n = ranges.size() - 1;
  SmallVector<int64_t> sizes(ranges.size(), 1);
  auto pick = [](ArrayRef<int64_t> choices, int64_t extent) -> int64_t {
    for (int64_t c : choices)
      if (extent % c == 0)
        return c;
    return 0;
  };
  sizes[n] = pick(kColChoices, ranges[n]);
  if (!sizes[n])
    return std::nullopt;
  // The row loop: the output dim just before n, if it is a parallel loop.
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (out.getNumResults() >= 2)
    if (auto row =
            dyn_cast<AffineDimExpr>(out.getResult(out.getNumResults() - 2)))
      if (iters[row.getPosition()] == utils::IteratorType::parallel &&
          llvm::none_of(windows, [&](AffineMap map) {
            return llvm::any_of(map.getResults(), [&](AffineExpr e) {
              return e.isFunctionOfDim(row.getPosition());
            });
          }))
        if (int64_t r = pick(kRowChoices, ranges[row.getPosition()]))
          sizes[row.getPosition()] = r;
  return sizes;
}

/// The fill producing `op`'s init when it writes a constant and nothing
/// else reads it: each output tile can then start from the constant.
static linalg::FillOp constantInitFill(linalg::GenericOp op) {
  auto fill = op.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  if (!fill || !fill->hasOneUse() || !matchPattern(fill.value(), m_Constant()))
    return {};
  return fill;
}

/// Tiles `op` (whose init `fill` writes a constant) in two steps: output
/// blocks with whole reductions, each block filled with the constant, then
/// the reductions one step at a time, vectorized. The block starts from
/// the constant in registers (the fill's write and the accumulator's read
/// fold away) instead of from a buffer filled, and then read, in full.
static LogicalResult tileFromConstant(RewriterBase &rewriter,
                                      linalg::GenericOp op, linalg::FillOp fill,
                                      ArrayRef<int64_t> sizes,
                                      ArrayRef<int64_t> order) {
  auto iters = op.getIteratorTypesArray();
  SmallVector<int64_t> blockSizes(sizes), stepSizes(sizes);
  for (auto [i, iter] : llvm::enumerate(iters))
    (iter == utils::IteratorType::parallel ? stepSizes : blockSizes)[i] = 0;
  Value filled = op.getDpsInits()[0], constant = fill.value();
  rewriter.modifyOpInPlace(
      op, [&] { op.getDpsInitsMutable()[0].set(fill.getOutputs()[0]); });
  FailureOr<SmallVector<Operation *>> blocks =
      qcc::tileGeneric(rewriter, op, blockSizes, order);
  if (failed(blocks)) {
    rewriter.modifyOpInPlace(op,
                             [&] { op.getDpsInitsMutable()[0].set(filled); });
    return failure();
  }
  rewriter.eraseOp(fill);
  for (Operation *tiled : *blocks) {
    auto block = cast<linalg::GenericOp>(tiled);
    rewriter.setInsertionPoint(block);
    auto blockFill = linalg::FillOp::create(rewriter, block.getLoc(), constant,
                                            block.getDpsInits()[0]);
    rewriter.modifyOpInPlace(block, [&] {
      block.getDpsInitsMutable()[0].set(blockFill.getResult(0));
    });
    unsigned inner = block.getNumLoops() - 1;
    (void)qcc::tileAndVectorize(rewriter, block, stepSizes, order,
                                [&](linalg::GenericOp tile) {
                                  qcc::dropOuterIndices(rewriter, tile, inner);
                                });
    rewriter.setInsertionPoint(blockFill);
    FailureOr<linalg::VectorizationResult> vectorized =
        linalg::vectorize(rewriter, blockFill);
    if (succeeded(vectorized))
      rewriter.replaceOp(blockFill, vectorized->replacements);
  }
  return success();
}

namespace {
struct VectorizeContractionsPass
    : qcc::impl::VectorizeContractionsBase<VectorizeContractionsPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> ops;
    getOperation()->walk([&](linalg::GenericOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : ops) {
      std::optional<SmallVector<int64_t>> sizes = tileSizes(op);
      if (!sizes)
        continue;
      // Block loops (parallel) outside, reduction loops inside them.
      auto iters = op.getIteratorTypesArray();
      SmallVector<int64_t> order;
      for (unsigned i = 0; i < iters.size(); ++i)
        if (iters[i] == utils::IteratorType::parallel)
          order.push_back(i);
      for (unsigned i = 0; i < iters.size(); ++i)
        if (iters[i] == utils::IteratorType::reduction)
          order.push_back(i);
      if (linalg::FillOp fill = constantInitFill(op)) {
        (void)tileFromConstant(rewriter, op, fill, *sizes, order);
        continue;
      }
      unsigned inner = op.getNumLoops() - 1;
      (void)qcc::tileAndVectorize(
          rewriter, op, *sizes, order, [&](linalg::GenericOp tile) {
            qcc::dropOuterIndices(rewriter, tile, inner);
          });
    }
  }
};

} // namespace
