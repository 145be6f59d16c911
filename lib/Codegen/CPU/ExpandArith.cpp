//===- ExpandArith.cpp - arith ops LLVM has no instruction for ------------===//
//
// Upstream's arith-expand also rewrites maxnumf/minnumf/maximumf/minimumf
// as compares and selects, which x86 then compiles to a compare, a mask
// operation and a blend per bound; as llvm.maxnum/llvm.minnum (what
// arith-to-llvm makes of them) a bound by a constant is one vmaxps/vminps.
// So only what has no LLVM lowering is expanded here.
//
//===----------------------------------------------------------------------===//
#include "qcc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qcc {
#define GEN_PASS_DEF_EXPANDARITH
#include "qcc/Codegen/CPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

namespace {
struct ExpandArithPass : qcc::impl::ExpandArithBase<ExpandArithPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    arith::populateCeilFloorDivExpandOpsPatterns(patterns);
    arith::populateExpandBFloat16Patterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
