//===- GPUSinkKernelConstants.cpp - weights and constants into kernels ----===//
#include "qcc/Codegen/GPU/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"

namespace qcc {
#define GEN_PASS_DEF_GPUSINKKERNELCONSTANTS
#include "qcc/Codegen/GPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

/// Whether `value` is computed from constants and globals alone, through
/// views and pure arithmetic: the kernel can compute it itself.
static bool isSinkable(Value value, llvm::DenseMap<Value, bool> &memo) {
  auto it = memo.find(value);
  if (it != memo.end())
    return it->second;
  Operation *def = value.getDefiningOp();
  bool ok = false;
  if (def && def->getNumRegions() == 0) {
    if (def->hasTrait<OpTrait::ConstantLike>() || isa<memref::GetGlobalOp>(def))
      ok = true;
    else if (isa<ViewLikeOpInterface>(def) || isMemoryEffectFree(def))
      ok = llvm::all_of(def->getOperands(),
                        [&](Value v) { return isSinkable(v, memo); });
  }
  memo[value] = ok;
  return ok;
}

/// Clones the ops computing `value` at the builder's insertion point.
static Value cloneChain(OpBuilder &b, Value value, IRMapping &map) {
  if (Value mapped = map.lookupOrNull(value))
    return mapped;
  Operation *def = value.getDefiningOp();
  for (Value operand : def->getOperands())
    cloneChain(b, operand, map);
  b.clone(*def, map);
  return map.lookup(value);
}

namespace {
struct GPUSinkKernelConstantsPass
    : qcc::impl::GPUSinkKernelConstantsBase<GPUSinkKernelConstantsPass> {
  void runOnOperation() override {
    llvm::DenseMap<Value, bool> memo;
    getOperation().walk([&](gpu::LaunchOp launch) {
      Region &body = launch.getBody();
      llvm::SetVector<Value> above;
      getUsedValuesDefinedAbove(body, above);
      OpBuilder b(&body.front(), body.front().begin());
      IRMapping map;
      for (Value value : above) {
        if (!isSinkable(value, memo))
          continue;
        Value inside = cloneChain(b, value, map);
        replaceAllUsesInRegionWith(value, inside, body);
      }
    });
  }
};
} // namespace
