//===- GPUNativeMath.cpp - exactly rounded math as PTX instructions -------===//
#include "qcc/Codegen/GPU/Passes.h"

#include "llvm/ADT/StringSwitch.h"

namespace qcc {
#define GEN_PASS_DEF_GPUNATIVEMATH
#include "qcc/Codegen/GPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

/// The intrinsic for a libdevice function PTX has an instruction for.
static Operation *createIntrinsic(OpBuilder &b, LLVM::CallOp call,
                                  StringRef callee) {
  StringRef base = callee;
  if (!base.consume_front("__nv_"))
    return nullptr;
  // __nv_rintf (f32) and __nv_rint (f64).
  if (base.ends_with("f") && call.getResultTypes().front().isF32())
    base = base.drop_back();
  Location loc = call.getLoc();
  Type type = call.getResultTypes().front();
  ValueRange args = call.getArgOperands();
  auto unary = [&](auto tag) -> Operation * {
    using Op = decltype(tag);
    return args.size() == 1 ? Op::create(b, loc, type, args[0]).getOperation()
                            : nullptr;
  };
  return llvm::StringSwitch<std::function<Operation *()>>(base)
      .Case("rint", [&] { return unary(LLVM::RoundEvenOp()); })
      .Case("floor", [&] { return unary(LLVM::FFloorOp()); })
      .Case("ceil", [&] { return unary(LLVM::FCeilOp()); })
      .Case("trunc", [&] { return unary(LLVM::FTruncOp()); })
      .Case("fabs", [&] { return unary(LLVM::FAbsOp()); })
      .Case("sqrt", [&] { return unary(LLVM::SqrtOp()); })
      .Case("fma",
            [&]() -> Operation * {
              if (args.size() != 3)
                return nullptr;
              return LLVM::FMAOp::create(b, loc, type, args[0], args[1],
                                         args[2])
                  .getOperation();
            })
      .Default([] { return nullptr; })();
}

namespace {
struct GPUNativeMathPass : qcc::impl::GPUNativeMathBase<GPUNativeMathPass> {
  void runOnOperation() override {
    gpu::GPUModuleOp module = getOperation();
    SmallVector<LLVM::CallOp> calls;
    module.walk([&](LLVM::CallOp call) {
      if (call.getCallee() && call.getNumResults() == 1)
        calls.push_back(call);
    });
    for (LLVM::CallOp call : calls) {
      OpBuilder b(call);
      if (Operation *op = createIntrinsic(b, call, *call.getCallee())) {
        call.replaceAllUsesWith(op->getResults());
        call.erase();
      }
    }
    // Declarations nothing calls any more.
    for (auto func :
         llvm::make_early_inc_range(module.getOps<LLVM::LLVMFuncOp>()))
      if (func.isExternal() && func.getName().starts_with("__nv_") &&
          SymbolTable::symbolKnownUseEmpty(func, module))
        func.erase();
  }
};
} // namespace
