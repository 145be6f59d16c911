//===- VectorizeElementwise.cpp - elementwise loops as vector code --------===//
//
// Elementwise generics (activations, quantize/dequantize/requantize chains)
// read and write slices of the one workspace buffer, where LLVM's loop
// vectorizer cannot prove the accesses independent and leaves them scalar.
// Vectorizing in MLIR makes the vector loads and stores explicit.
//
// Copies into and out of windows (padding, im2col's shifted rows, slices)
// index an operand with `d_inner + f(outer dims)`: tiled to one vector along
// the innermost loop, such a read is still one contiguous run.
//
//===----------------------------------------------------------------------===//
#include "qcc/Codegen/Common/LinalgUtils.h"
#include "qcc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace qcc {
#define GEN_PASS_DEF_VECTORIZEELEMENTWISE
#include "qcc/Codegen/CPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

/// Tile sizes [1, ..., 1, w] for an all-parallel generic with plain
/// arithmetic whose innermost extent w divides, or nothing.
static std::optional<SmallVector<int64_t>>
elementwiseTiles(linalg::GenericOp op, int64_t width) {
  // After bufferization: tiling tensors would thread results through loops
  // that bufferize out of place (an extra copy per graph output).
  if (op.getNumReductionLoops() != 0 || !op.hasPureBufferSemantics() ||
      op.getNumLoops() == 0)
    return std::nullopt;
  unsigned inner = op.getNumLoops() - 1;
  for (AffineMap map : op.getIndexingMapsArray())
    if (!qcc::isWindowMap(map, inner))
      return std::nullopt;
  // Vectors of sub-byte elements (i1 booleans, i4) are stored bit-packed,
  // while qcc's buffers hold one element per byte.
  for (OpOperand &operand : op->getOpOperands()) {
    Type elem = getElementTypeOrSelf(operand.get().getType());
    if (!elem.isIntOrIndexOrFloat() ||
        (!elem.isIndex() && elem.getIntOrFloatBitWidth() < 8))
      return std::nullopt;
  }
  // Math functions without a vector instruction (exp, erf, tanh, ...) would
  // be split back into scalar calls: not worth it.
  for (Operation &inner : op.getRegion().front().without_terminator())
    if (!qcc::hasVectorInstruction(inner))
      return std::nullopt;
  // The innermost loop must walk the output contiguously.
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  auto last = dyn_cast<AffineDimExpr>(out.getResults().back());
  if (!last || last.getPosition() != op.getNumLoops() - 1)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return std::nullopt;
  int64_t extent = ranges.back();
  int64_t w = width;
  while (w >= 4 && extent % w)
    w /= 2;
  if (w < 4)
    return std::nullopt;
  SmallVector<int64_t> sizes(ranges.size(), 1);
  sizes.back() = w;
  return sizes;
}

namespace {
struct VectorizeElementwisePass
    : qcc::impl::VectorizeElementwiseBase<VectorizeElementwisePass> {
  using Base::Base;
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // Copies (padding, slices) and maps (fills) are generics too.
    SmallVector<linalg::LinalgOp> named;
    getOperation()->walk([&](Operation *op) {
      if (isa<linalg::CopyOp, linalg::MapOp>(op))
        named.push_back(cast<linalg::LinalgOp>(op));
    });
    for (linalg::LinalgOp op : named) {
      rewriter.setInsertionPoint(op);
      (void)linalg::generalizeNamedOp(rewriter, op);
    }
    SmallVector<linalg::GenericOp> ops;
    getOperation()->walk([&](linalg::GenericOp op) { ops.push_back(op); });
    for (linalg::GenericOp op : ops) {
      std::optional<SmallVector<int64_t>> sizes = elementwiseTiles(op, width);
      if (!sizes)
        continue;
      unsigned inner = op.getNumLoops() - 1;
      (void)qcc::tileAndVectorize(
          rewriter, op, *sizes, {}, [&](linalg::GenericOp tile) {
            qcc::dropOuterIndices(rewriter, tile, inner);
          });
    }
  }
};
} // namespace
