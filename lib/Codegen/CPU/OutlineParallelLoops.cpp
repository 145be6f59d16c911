//===- OutlineParallelLoops.cpp - parallel loops as tasks for the caller ---===//
//
// A model runs on threads its caller provides (P_run_parallel, ABI version
// 4): each top-level `scf.forall` on buffers becomes a task function over a
// range of its iterations and a call that hands the range [0, n) to the
// caller's parallel-for. The call is to a declaration the CPU target
// defines when it writes the model (ParallelABI.cpp): it packs the
// captured buffers, and without a thread pool (P_run) runs the task on the
// whole range itself. Iterations write disjoint data and each computes
// what it would serially, so results do not depend on the thread count.
//
//===----------------------------------------------------------------------===//
#include "qcc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace qcc {
#define GEN_PASS_DEF_OUTLINEPARALLELLOOPS
#include "qcc/Codegen/CPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

namespace {

/// Ops a task recomputes instead of receiving: constants and globals'
/// addresses.
bool rematerializable(Operation *op) {
  return op && op->getNumOperands() == 0 && op->getNumRegions() == 0 &&
         (op->hasTrait<OpTrait::ConstantLike>() ||
          isa<memref::GetGlobalOp, ub::PoisonOp>(op));
}

/// Values a task can receive: scalars and static, identity-layout buffers
/// (a bare pointer each under the model's calling convention).
bool passable(Type type) {
  if (type.isIndex() || type.isIntOrFloat())
    return true;
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.hasStaticShape() && memref.getLayout().isIdentity();
}

struct OutlineParallelLoopsPass
    : qcc::impl::OutlineParallelLoopsBase<OutlineParallelLoopsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    unsigned counter = 0;
    SmallVector<scf::ForallOp> loops;
    module.walk([&](scf::ForallOp loop) {
      if (!loop->getParentOfType<scf::ForallOp>())
        loops.push_back(loop);
    });
    for (scf::ForallOp loop : loops)
      if (failed(outline(loop, symbols, counter)))
        serialize(loop);
  }

  /// The loop as a sequential scf.for (what cannot be outlined).
  static void serialize(scf::ForallOp loop) {
    OpBuilder b(loop);
    Location loc = loop.getLoc();
    if (loop.getRank() != 1 || loop.getNumResults() != 0) {
      loop.emitOpError("qcc-outline-parallel-loops: only 1-D loops on "
                       "buffers");
      return;
    }
    Value lb = getValueOrCreateConstantIndexOp(b, loc, loop.getMixedLowerBound()[0]);
    Value ub = getValueOrCreateConstantIndexOp(b, loc, loop.getMixedUpperBound()[0]);
    Value step = getValueOrCreateConstantIndexOp(b, loc, loop.getMixedStep()[0]);
    auto seq = scf::ForOp::create(b, loc, lb, ub, step);
    IRMapping map;
    map.map(loop.getInductionVar(0), seq.getInductionVar());
    b.setInsertionPoint(seq.getBody()->getTerminator());
    for (Operation &op : loop.getBody()->without_terminator())
      b.clone(op, map);
    loop.erase();
  }

  LogicalResult outline(scf::ForallOp loop, SymbolTable &symbols,
                        unsigned &counter) {
    if (loop.getRank() != 1 || loop.getNumResults() != 0)
      return failure();
    auto func = loop->getParentOfType<func::FuncOp>();
    std::optional<int64_t> lb = getConstantIntValue(loop.getMixedLowerBound()[0]);
    std::optional<int64_t> ub = getConstantIntValue(loop.getMixedUpperBound()[0]);
    std::optional<int64_t> step = getConstantIntValue(loop.getMixedStep()[0]);
    if (!func || !lb || !ub || !step || *step <= 0 || *ub <= *lb)
      return failure();
    int64_t count = (*ub - *lb + *step - 1) / *step;
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(loop.getRegion(), captured);
    SmallVector<Value> passed;
    SmallVector<Operation *> recomputed;
    for (Value v : captured) {
      if (rematerializable(v.getDefiningOp()))
        recomputed.push_back(v.getDefiningOp());
      else if (passable(v.getType()))
        passed.push_back(v);
      else
        return failure();
    }

    OpBuilder b(func);
    Location loc = loop.getLoc();
    MLIRContext *ctx = &getContext();
    std::string name = (func.getSymName() + "_task" + Twine(counter)).str();
    std::string forName = "qcc.parallel_for." + name;
    ++counter;
    // task(begin, end, passed...): iterations [begin, end) of the loop.
    SmallVector<Type> args{b.getIndexType(), b.getIndexType()};
    for (Value v : passed)
      args.push_back(v.getType());
    auto task = func::FuncOp::create(b, loc, name,
                                     FunctionType::get(ctx, args, {}));
    task.setPrivate();
    symbols.insert(task);
    Block *entry = task.addEntryBlock();
    OpBuilder tb = OpBuilder::atBlockBegin(entry);
    IRMapping map;
    for (Operation *op : recomputed)
      tb.clone(*op, map);
    for (auto [i, v] : llvm::enumerate(passed))
      map.map(v, entry->getArgument(i + 2));
    Value one = arith::ConstantIndexOp::create(tb, loc, 1);
    auto range = scf::ForOp::create(tb, loc, entry->getArgument(0),
                                    entry->getArgument(1), one);
    func::ReturnOp::create(tb, loc);
    tb.setInsertionPoint(range.getBody()->getTerminator());
    // iv = lb + i * step.
    Value iv = arith::AddIOp::create(
        tb, loc, arith::ConstantIndexOp::create(tb, loc, *lb),
        arith::MulIOp::create(tb, loc, range.getInductionVar(),
                              arith::ConstantIndexOp::create(tb, loc, *step)));
    map.map(loop.getInductionVar(0), iv);
    for (Operation &op : loop.getBody()->without_terminator())
      tb.clone(op, map);

    // The call that hands [0, count) to the caller's threads.
    SmallVector<Type> callArgs{b.getIndexType()};
    for (Value v : passed)
      callArgs.push_back(v.getType());
    auto decl = func::FuncOp::create(b, loc, forName,
                                     FunctionType::get(ctx, callArgs, {}));
    decl.setPrivate();
    symbols.insert(decl);
    OpBuilder cb(loop);
    SmallVector<Value> operands{arith::ConstantIndexOp::create(cb, loc, count)};
    operands.append(passed.begin(), passed.end());
    func::CallOp::create(cb, loc, decl, operands);
    loop.erase();
    return success();
  }
};

} // namespace
