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

/// Why `op` is float: an edge conversion qcc-integer-io could not move to
/// the caller, or arithmetic without an integer form.
static std::string reason(Operation *op) {
  if (auto q = dyn_cast<QuantizeLinearOp>(op);
      q && isa<BlockArgument>(q.getInput()))
    return "quantizes a model input that cannot become an integer input "
           "(integer inputs need one per-tensor 8-bit scale and zero point, "
           "and no other float reader)";
  if (isa<DequantizeLinearOp>(op) && !op->use_empty() &&
      llvm::all_of(op->getUsers(),
                   [](Operation *u) { return isa<func::ReturnOp>(u); }))
    return "dequantizes a model output that cannot become an integer output "
           "(integer outputs need one per-tensor 8-bit scale and zero point)";
  return "computes in floating point (no integer-only form yet)";
}

namespace {
struct VerifyIntegerOnlyPass
    : qcc::impl::VerifyIntegerOnlyBase<VerifyIntegerOnlyPass> {
  void runOnOperation() override {
    bool failed = false;
    getOperation().walk([&](Operation *op) {
      if (isa<func::FuncOp, func::ReturnOp>(op))
        return;
      // Float values come from float ops (reported there) or float inputs.
      bool floatResult = llvm::any_of(op->getResultTypes(), isFloatTensor);
      bool floatInput = llvm::any_of(op->getOperands(), [](Value v) {
        return isa<BlockArgument>(v) && isFloatTensor(v.getType());
      });
      if (!floatResult && !floatInput)
        return;
      // A float constant is reported where it is computed with (boundary
      // scales are not).
      if (isa<ConstantOp>(op))
        return;
      op->emitError("--integer-only: '")
          << op->getName().getStringRef() << "' " << reason(op);
      failed = true;
    });
    if (failed)
      signalPassFailure();
  }
};
} // namespace
