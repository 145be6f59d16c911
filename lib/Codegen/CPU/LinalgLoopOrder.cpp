//===- LinalgLoopOrder.cpp - vectorizable loop order for reductions -------===//
#include "qcc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace qcc {
#define GEN_PASS_DEF_LINALGLOOPORDER
#include "qcc/Codegen/CPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

/// The loops to make innermost, outermost first: the longest suffix of the
/// output's dims that are parallel loops, stay contiguous in every operand,
/// and whose last one drives an input's innermost dim (so accesses are
/// contiguous along the new innermost loop).
static SmallVector<unsigned> innermostLoops(linalg::GenericOp op) {
  auto iters = op.getIteratorTypesArray();
  if (iters.empty() || iters.back() != utils::IteratorType::reduction ||
      op.getNumDpsInits() != 1)
    return {};
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SmallVector<unsigned> dims;
  for (AffineExpr e : llvm::reverse(outMap.getResults())) {
    auto dim = dyn_cast<AffineDimExpr>(e);
    if (!dim || iters[dim.getPosition()] != utils::IteratorType::parallel)
      break;
    dims.insert(dims.begin(), dim.getPosition());
  }
  if (dims.empty())
    return {};
  bool contiguousInput = false;
  for (OpOperand *in : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(in);
    if (map.getNumResults())
      contiguousInput |= map.getResults().back().isFunctionOfDim(dims.back());
  }
  if (!contiguousInput)
    return {};
  // Keep the suffix that every operand reads as one contiguous run.
  auto maps = op.getIndexingMapsArray();
  while (dims.size() > 1) {
    bool ok = llvm::all_of(maps, [&](AffineMap map) {
      SmallVector<int64_t> positions;
      for (unsigned d : dims) {
        std::optional<unsigned> pos =
            map.getResultPosition(getAffineDimExpr(d, op.getContext()));
        if (!pos) {
          if (llvm::any_of(map.getResults(),
                           [&](AffineExpr r) { return r.isFunctionOfDim(d); }))
            return false;
          positions.push_back(-1);
          continue;
        }
        positions.push_back(*pos);
      }
      if (llvm::all_of(positions, [](int64_t p) { return p < 0; }))
        return true;
      for (size_t i = 1; i < positions.size(); ++i)
        if (positions[i] != positions[i - 1] + 1)
          return false;
      return positions.back() + 1 == (int64_t)map.getNumResults();
    });
    if (ok)
      break;
    dims.erase(dims.begin());
  }
  return dims;
}

namespace {
struct LinalgLoopOrderPass
    : qcc::impl::LinalgLoopOrderBase<LinalgLoopOrderPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> ops;
    getOperation()->walk([&](linalg::GenericOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : ops) {
      SmallVector<unsigned> inner = innermostLoops(op);
      if (inner.empty())
        continue;
      SmallVector<unsigned> order;
      for (unsigned i = 0, e = op.getNumLoops(); i < e; ++i)
        if (!llvm::is_contained(inner, i))
          order.push_back(i);
      order.append(inner);
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::GenericOp> permuted =
          linalg::interchangeGenericOp(rewriter, op, order);
      if (failed(permuted) || inner.size() < 2 ||
          !isa<RankedTensorType>(permuted->getResult(0).getType()))
        continue;
      // Fuse the innermost loops into one long loop (e.g. a conv's output
      // rows and columns), which vectorizes without short-trip remainders.
      SmallVector<ReassociationIndices> groups;
      int64_t n = order.size(), first = n - inner.size();
      for (int64_t i = 0; i < first; ++i)
        groups.push_back({i});
      ReassociationIndices last;
      for (int64_t i = first; i < n; ++i)
        last.push_back(i);
      groups.push_back(last);
      if (!linalg::areDimSequencesPreserved(permuted->getIndexingMapsArray(),
                                            {last}))
        continue;
      // Collapsing handles dim expressions only (pointwise convolutions
      // index their 1x1 kernel with constants).
      if (llvm::any_of(permuted->getIndexingMapsArray(), [](AffineMap map) {
            return llvm::any_of(map.getResults(), [](AffineExpr e) {
              return !isa<AffineDimExpr>(e);
            });
          }))
        continue;
      rewriter.setInsertionPoint(*permuted);
      FailureOr<linalg::CollapseResult> collapsed =
          linalg::collapseOpIterationDims(
              cast<linalg::LinalgOp>(permuted->getOperation()), groups,
              rewriter);
      if (succeeded(collapsed))
        rewriter.replaceOp(*permuted, collapsed->results);
    }
  }
};
} // namespace
