//===- VerifyIntegerOnly.cpp - no float arithmetic inside the model -------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace qcc {
#define GEN_PASS_DEF_VERIFYINTEGERONLY
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

static bool isFloatTensor(Type t) {
  auto shaped = dyn_cast<ShapedType>(t);
  return shaped && isa<FloatType>(shaped.getElementType());
}

/// The model's float boundary: QuantizeLinear of a graph input, and
/// DequantizeLinear whose only users return it.
static bool isBoundary(Operation *op) {
  if (auto q = dyn_cast<QuantizeLinearOp>(op))
    return isa<BlockArgument>(q.getInput());
  if (auto dq = dyn_cast<DequantizeLinearOp>(op))
    return !dq->use_empty() && llvm::all_of(dq->getUsers(), [](Operation *u) {
      return isa<func::ReturnOp>(u);
    });
  return false;
}

namespace {
struct VerifyIntegerOnlyPass
    : qcc::impl::VerifyIntegerOnlyBase<VerifyIntegerOnlyPass> {
  void runOnOperation() override {
    bool failed = false;
    getOperation().walk([&](Operation *op) {
      if (isa<func::FuncOp, func::ReturnOp>(op) || isBoundary(op))
        return;
      bool floatResult = llvm::any_of(op->getResultTypes(), isFloatTensor);
      if (!floatResult)
        return;
      // A float constant is reported where it is computed with (boundary
      // scales are not).
      if (isa<ConstantOp>(op))
        return;
      op->emitError("--integer-only: '")
          << op->getName().getStringRef()
          << "' computes in floating point (no integer-only form yet)";
      failed = true;
    });
    if (failed)
      signalPassFailure();
  }
};
} // namespace
