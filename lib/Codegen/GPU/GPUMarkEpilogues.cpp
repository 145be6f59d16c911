//===- GPUMarkEpilogues.cpp - mark contraction readers for fusion --------===//
//
// On tensors, for -target=cuda: the only elementwise reader of an int32 or
// f32 contraction is marked and placed right after it, so that the
// contraction's kernel (int8 tensor cores, float tiles or GEMV) can
// compute it on each finished element (KernelEpilogue.h).
//
//===----------------------------------------------------------------------===//
#include "qcc/Codegen/Common/EpilogueFusion.h"
#include "qcc/Codegen/Common/IntegerContraction.h"
#include "qcc/Codegen/GPU/Passes.h"

#include "mlir/IR/Dominance.h"

namespace qcc {
#define GEN_PASS_DEF_GPUMARKEPILOGUES
#include "qcc/Codegen/GPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

namespace {
struct GPUMarkEpiloguesPass
    : qcc::impl::GPUMarkEpiloguesBase<GPUMarkEpiloguesPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> contractions;
    getOperation().walk([&](linalg::GenericOp op) {
      if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
          op.getNumReductionLoops() == 0)
        return;
      Type type = getElementTypeOrSelf(op.getResult(0).getType());
      if ((type.isInteger(32) && qcc::accumulatedProduct(op)) ||
          (type.isF32() && qcc::accumulatedFloatProduct(op)))
        contractions.push_back(op);
    });
    DominanceInfo dom(getOperation());
    OpBuilder b(&getContext());
    for (linalg::GenericOp op : contractions)
      (void)qcc::markEpilogue(b, dom, op);
  }
};
} // namespace
