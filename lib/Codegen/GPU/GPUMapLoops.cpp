//===- GPUMapLoops.cpp - loop nests onto GPU blocks and threads -----------===//
//
// The first GPU mapping: one thread per iteration of the collapsed parallel
// dimensions, reductions sequential within the thread. Contractions get
// their own tiled kernels later in the pipeline; this covers the rest.
//
//===----------------------------------------------------------------------===//
#include "qcc/Codegen/GPU/Passes.h"

#include "mlir/Dialect/GPU/Transforms/ParallelLoopMapper.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <numeric>

namespace qcc {
#define GEN_PASS_DEF_GPUMAPLOOPS
#include "qcc/Codegen/GPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

static gpu::ParallelLoopDimMappingAttr mapTo(MLIRContext *ctx,
                                             gpu::Processor processor) {
  AffineMap id = AffineMap::getMultiDimIdentityMap(1, ctx);
  return gpu::ParallelLoopDimMappingAttr::get(ctx, processor, id, id);
}

/// Marks `outer` as the grid and `inner` as the block of one launch.
static LogicalResult mapNest(scf::ParallelOp outer, scf::ParallelOp inner) {
  MLIRContext *ctx = outer.getContext();
  if (failed(gpu::setMappingAttr(outer, {mapTo(ctx, gpu::Processor::BlockX)})))
    return failure();
  return gpu::setMappingAttr(inner, {mapTo(ctx, gpu::Processor::ThreadX)});
}

/// Operations the host part of `main` keeps: they compute addresses and
/// sizes, never touch the memory behind them.
static bool staysOnHost(Operation *op) {
  if (op->hasTrait<OpTrait::IsTerminator>() ||
      op->hasTrait<OpTrait::ConstantLike>())
    return true;
  if (isa<ViewLikeOpInterface, memref::GetGlobalOp,
          memref::ExtractStridedMetadataOp, memref::DimOp, memref::AllocOp,
          memref::DeallocOp, gpu::LaunchOp>(op))
    return true;
  // Index arithmetic (affine.apply, arith on index values).
  return isMemoryEffectFree(op) && op->getNumRegions() == 0;
}

namespace {
struct GPUMapLoopsPass : qcc::impl::GPUMapLoopsBase<GPUMapLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    IRRewriter rewriter(&getContext());
    // Consecutive operations between parallel loops that touch memory (a
    // reduction to a scalar, the scalar arithmetic after it) run together
    // on one thread, with the host operations that read their results.
    SmallVector<Operation *> serial;
    llvm::SmallPtrSet<Operation *, 16> inSerial;
    auto flush = [&]() -> LogicalResult {
      if (serial.empty())
        return success();
      LogicalResult result = wrapSerial(rewriter, serial);
      serial.clear();
      inSerial.clear();
      return result;
    };
    for (Operation &op : llvm::make_early_inc_range(func.getBody().front())) {
      if (auto loop = dyn_cast<scf::ParallelOp>(&op)) {
        if (failed(flush()) || failed(mapParallel(rewriter, loop)))
          return signalPassFailure();
        continue;
      }
      // A kernel made earlier (tensor cores, tiles, reductions) orders
      // memory like a loop, and a deallocation ends a buffer's life:
      // serial work before either stays before it.
      if (op.hasTrait<OpTrait::IsTerminator>() ||
          isa<gpu::LaunchOp, memref::DeallocOp>(op)) {
        if (failed(flush()))
          return signalPassFailure();
        continue;
      }
      bool readsSerial = llvm::any_of(op.getOperands(), [&](Value v) {
        return inSerial.contains(v.getDefiningOp());
      });
      if (staysOnHost(&op) && !readsSerial)
        continue;
      serial.push_back(&op);
      inSerial.insert(&op);
    }
  }

  LogicalResult mapParallel(IRRewriter &rewriter, scf::ParallelOp loop) {
    if (loop.getNumResults())
      return loop.emitError("a parallel loop with reductions cannot be mapped "
                            "to GPU threads yet");
    if (loop.getNumLoops() > 1) {
      Operation *before = loop->getPrevNode();
      Block *block = loop->getBlock();
      std::vector<unsigned> all(loop.getNumLoops());
      std::iota(all.begin(), all.end(), 0u);
      rewriter.setInsertionPoint(loop);
      collapseParallelLoops(rewriter, loop, {all});
      // The collapsed loop replaces `loop` at the same place.
      Operation *next = before ? before->getNextNode() : &block->front();
      while (next && !isa<scf::ParallelOp>(next))
        next = next->getNextNode();
      if (!next)
        return emitError(block->getParentOp()->getLoc(),
                         "collapsing a parallel loop nest failed");
      loop = cast<scf::ParallelOp>(next);
    }
    auto [outer, inner] =
        scf::tileParallelLoop(loop, {blockSize}, /*noMinMaxBounds=*/true);
    return mapNest(outer, inner);
  }

  /// Runs `ops` on one GPU thread: a one-iteration grid of one-thread
  /// blocks, placed where the last of them was.
  LogicalResult wrapSerial(IRRewriter &rewriter, ArrayRef<Operation *> ops) {
    auto inGroup = [&](Operation *user) {
      return llvm::any_of(ops,
                          [&](Operation *o) { return o->isAncestor(user); });
    };
    for (Operation *op : ops)
      for (Operation *user : op->getUsers())
        if (!inGroup(user))
          return op->emitError("cannot run on the GPU: its result is used "
                               "by host code");
    Location loc = ops.back()->getLoc();
    rewriter.setInsertionPointAfter(ops.back());
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    auto outer = scf::ParallelOp::create(rewriter, loc, ValueRange{zero},
                                         ValueRange{one}, ValueRange{one});
    rewriter.setInsertionPointToStart(outer.getBody());
    auto inner = scf::ParallelOp::create(rewriter, loc, ValueRange{zero},
                                         ValueRange{one}, ValueRange{one});
    for (Operation *op : ops)
      rewriter.moveOpBefore(op, inner.getBody()->getTerminator());
    return mapNest(outer, inner);
  }
};
} // namespace
