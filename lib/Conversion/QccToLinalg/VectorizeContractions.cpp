//===- VectorizeContractions.cpp - register-tiled contractions ------------===//
#include "LoweringUtils.h"
#include "qcc/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace qcc {
#define GEN_PASS_DEF_VECTORIZECONTRACTIONS
#include "qcc/Conversion/Passes.h.inc"
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
      unsigned inner = op.getNumLoops() - 1;
      (void)qcc::tileAndVectorize(
          rewriter, op, *sizes, order, [&](linalg::GenericOp tile) {
            qcc::dropOuterIndices(rewriter, tile, inner);
          });
    }
  }
};

} // namespace
