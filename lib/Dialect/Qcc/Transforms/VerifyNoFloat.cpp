//===- VerifyNoFloat.cpp - no floating-point type after lowering ----------===//
//
// The compiler-checked half of --integer-only: qcc-verify-integer-only
// checks the graph, this checks what lowering made of it, down to the
// LLVM dialect, so no float instruction can reach the object file.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "mlir/IR/BuiltinOps.h"

namespace qcc {
#define GEN_PASS_DEF_VERIFYNOFLOAT
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;

/// Whether `t` is or holds a floating-point type.
static bool holdsFloat(Type t) {
  if (isa<FloatType>(t))
    return true;
  if (auto shaped = dyn_cast<ShapedType>(t))
    return holdsFloat(shaped.getElementType());
  if (auto s = dyn_cast<LLVM::LLVMStructType>(t))
    return llvm::any_of(s.getBody(), holdsFloat);
  if (auto a = dyn_cast<LLVM::LLVMArrayType>(t))
    return holdsFloat(a.getElementType());
  if (auto f = dyn_cast<LLVM::LLVMFunctionType>(t))
    return holdsFloat(f.getReturnType()) ||
           llvm::any_of(f.getParams(), holdsFloat);
  if (auto f = dyn_cast<FunctionType>(t))
    return llvm::any_of(f.getInputs(), holdsFloat) ||
           llvm::any_of(f.getResults(), holdsFloat);
  return false;
}

namespace {
struct VerifyNoFloatPass : qcc::impl::VerifyNoFloatBase<VerifyNoFloatPass> {
  void runOnOperation() override {
    int reported = 0;
    const int kMaxReports = 10;
    getOperation().walk([&](Operation *op) {
      std::optional<Type> bad;
      for (Type t : op->getResultTypes())
        if (!bad && holdsFloat(t))
          bad = t;
      for (Type t : op->getOperandTypes())
        if (!bad && holdsFloat(t))
          bad = t;
      for (Region &r : op->getRegions())
        for (Block &b : r)
          for (BlockArgument a : b.getArguments())
            if (!bad && holdsFloat(a.getType()))
              bad = a.getType();
      if (auto g = dyn_cast<LLVM::GlobalOp>(op);
          g && !bad && holdsFloat(g.getGlobalType()))
        bad = g.getGlobalType();
      if (auto f = dyn_cast<LLVM::LLVMFuncOp>(op);
          f && !bad && holdsFloat(f.getFunctionType()))
        bad = f.getFunctionType();
      if (!bad)
        return;
      if (reported++ < kMaxReports)
        op->emitError("--integer-only: floating-point type ")
            << *bad << " survived lowering in '" << op->getName().getStringRef()
            << "'";
    });
    if (reported > kMaxReports)
      getOperation().emitError("--integer-only: ")
          << reported - kMaxReports << " more operations use floating point";
    if (reported)
      signalPassFailure();
  }
};
} // namespace
