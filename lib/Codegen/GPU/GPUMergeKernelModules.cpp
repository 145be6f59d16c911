//===- GPUMergeKernelModules.cpp - one device module per model ------------===//
#include "qcc/Codegen/GPU/Passes.h"

#include "mlir/IR/SymbolTable.h"

namespace qcc {
#define GEN_PASS_DEF_GPUMERGEKERNELMODULES
#include "qcc/Codegen/GPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

namespace {
struct GPUMergeKernelModulesPass
    : qcc::impl::GPUMergeKernelModulesBase<GPUMergeKernelModulesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto modules = llvm::to_vector(module.getOps<gpu::GPUModuleOp>());
    if (modules.empty())
      return;
    OpBuilder b(modules.front());
    auto merged =
        gpu::GPUModuleOp::create(b, modules.front().getLoc(), "qcc_kernels");
    SymbolTable mergedSymbols(merged);
    // Kernel name in its old module -> its (unique) name in the merged one.
    llvm::DenseMap<std::pair<StringAttr, StringAttr>, StringAttr> renamed;
    for (gpu::GPUModuleOp old : modules) {
      for (Operation &op : llvm::make_early_inc_range(*old.getBody())) {
        auto symbol = dyn_cast<SymbolOpInterface>(&op);
        if (symbol && !isa<gpu::GPUFuncOp>(&op) &&
            mergedSymbols.lookup(symbol.getNameAttr())) {
          // A global cloned from the host module by several outlinings:
          // the same symbol, the same contents.
          op.erase();
          continue;
        }
        StringAttr oldName = symbol ? symbol.getNameAttr() : StringAttr();
        op.moveBefore(merged.getBody(), merged.getBody()->end());
        if (!symbol)
          continue;
        // Kernels of different modules may share a name: insert() renames.
        StringAttr newName = mergedSymbols.insert(&op);
        if (isa<gpu::GPUFuncOp>(&op))
          renamed[{old.getNameAttr(), oldName}] = newName;
      }
      old.erase();
    }
    WalkResult result = module.walk([&](gpu::LaunchFuncOp launch) {
      auto it =
          renamed.find({launch.getKernelModuleName(), launch.getKernelName()});
      if (it == renamed.end()) {
        launch.emitError("launch of a kernel that is not in a gpu.module");
        return WalkResult::interrupt();
      }
      launch.setKernelAttr(SymbolRefAttr::get(
          merged.getNameAttr(), {FlatSymbolRefAttr::get(it->second)}));
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
