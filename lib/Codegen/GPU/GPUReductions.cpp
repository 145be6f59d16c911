//===- GPUReductions.cpp - reductions as one block per output ------------===//
//
// The generic mapping gives each output element of a reduction one thread
// that loops over the whole reduced extent: a LayerNorm's row statistics,
// a softmax's row sums, and worst of all DynamicQuantizeLinear's min and
// max over the whole tensor, which is one output and so one thread. Here
// each output element gets a block instead: its threads stride over the
// reduced elements (consecutive threads on consecutive elements), each
// folding its share into a register, and the block combines the threads'
// values in shared memory by halving, in a fixed order.
//
//===----------------------------------------------------------------------===//
#include "ContractionLoops.h"
#include "qcc/Codegen/Common/EpilogueFusion.h"
#include "qcc/Codegen/GPU/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/TypeSwitch.h"

namespace qcc {
#define GEN_PASS_DEF_GPUREDUCTIONS
#include "qcc/Codegen/GPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

namespace {
/// Reduced elements below this stay with one thread per output.
constexpr int64_t kMinReduced = 64;
/// With more outputs than this, one thread per output already fills the
/// GPU, unless each output reduces at least kLongReduction elements.
constexpr int64_t kManyOutputs = 16384, kLongReduction = 1024;
constexpr int64_t kMaxThreads = 256;

/// One output of the reduction: `out = combiner(value, out)`.
struct Output {
  Operation *combiner;
  /// The combiner's operand that is not the output (computed from inputs).
  Value value;
  TypedAttr identity;
};
} // namespace

/// -inf (+inf when `!negative`), or the most negative (positive) finite
/// value of a type without infinities.
static APFloat lowest(const llvm::fltSemantics &sem, bool negative) {
  if (APFloat::semanticsHasInf(sem))
    return APFloat::getInf(sem, negative);
  return APFloat::getLargest(sem, negative);
}

/// The identity of the combiner (`combiner(identity, x) == x` for every x),
/// or null when it is not a supported associative, commutative operation.
static TypedAttr identityOf(Operation *op) {
  Type type = op->getResult(0).getType();
  Builder b(op->getContext());
  if (auto f = dyn_cast<FloatType>(type)) {
    const llvm::fltSemantics &sem = f.getFloatSemantics();
    auto fp = [&](const APFloat &v) { return b.getFloatAttr(f, v); };
    return TypeSwitch<Operation *, TypedAttr>(op)
        .Case([&](arith::AddFOp) { return fp(APFloat::getZero(sem, true)); })
        .Case([&](arith::MulFOp) { return fp(APFloat::getOne(sem)); })
        .Case([&](arith::MaximumFOp) { return fp(lowest(sem, true)); })
        .Case([&](arith::MinimumFOp) { return fp(lowest(sem, false)); })
        .Case<arith::MaxNumFOp, arith::MinNumFOp>(
            [&](Operation *) { return fp(APFloat::getNaN(sem)); })
        .Default([](Operation *) { return TypedAttr(); });
  }
  auto i = dyn_cast<IntegerType>(type);
  if (!i)
    return {};
  unsigned w = i.getWidth();
  auto in = [&](const APInt &v) { return b.getIntegerAttr(i, v); };
  return TypeSwitch<Operation *, TypedAttr>(op)
      .Case<arith::AddIOp, arith::OrIOp, arith::XOrIOp, arith::MaxUIOp>(
          [&](Operation *) { return in(APInt::getZero(w)); })
      .Case([&](arith::MulIOp) { return in(APInt(w, 1)); })
      .Case<arith::AndIOp, arith::MinUIOp>(
          [&](Operation *) { return in(APInt::getAllOnes(w)); })
      .Case([&](arith::MaxSIOp) { return in(APInt::getSignedMinValue(w)); })
      .Case([&](arith::MinSIOp) { return in(APInt::getSignedMaxValue(w)); })
      .Default([](Operation *) { return TypedAttr(); });
}

/// Each yielded value is `combiner(value, out)` with its output used only
/// there and `value` computed from the inputs alone.
static std::optional<SmallVector<Output>> matchOutputs(linalg::GenericOp op) {
  Block *body = op.getBody();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  SmallVector<Output> outputs;
  for (auto [i, yielded] : llvm::enumerate(yield.getOperands())) {
    BlockArgument out = body->getArgument(op.getNumDpsInputs() + i);
    Operation *combiner = yielded.getDefiningOp();
    if (!combiner || combiner->getBlock() != body ||
        combiner->getNumOperands() != 2 || !out.hasOneUse() ||
        out.getUses().begin()->getOwner() != combiner ||
        combiner->getOperand(0) == combiner->getOperand(1))
      return std::nullopt;
    TypedAttr identity = identityOf(combiner);
    if (!identity)
      return std::nullopt;
    Value value = combiner->getOperand(0) == out ? combiner->getOperand(1)
                                                 : combiner->getOperand(0);
    outputs.push_back({combiner, value, identity});
  }
  // The values must not depend on any output (only the combiners read
  // them, and a combiner's result is only yielded).
  for (const Output &o : outputs)
    if (!o.combiner->getResult(0).hasOneUse())
      return std::nullopt;
  return outputs;
}

/// The combiner without fast-math or overflow flags: they held for the
/// loop's order of operations, not for the block's.
static Operation *dropFlags(Operation *op) {
  if (auto fm = dyn_cast<arith::ArithFastMathInterface>(op))
    op->setAttr(fm.getFastMathAttrName(),
                arith::FastMathFlagsAttr::get(op->getContext(),
                                              arith::FastMathFlags::none));
  if (auto ov = dyn_cast<arith::ArithIntegerOverflowFlagsInterface>(op))
    op->setAttr(ov.getIntegerOverflowAttrName(),
                arith::IntegerOverflowFlagsAttr::get(
                    op->getContext(), arith::IntegerOverflowFlags::none));
  return op;
}

namespace {
struct GPUReductionsPass : qcc::impl::GPUReductionsBase<GPUReductionsPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> found;
    getOperation().walk([&](linalg::GenericOp op) {
      if (op.hasPureBufferSemantics() && op.getNumReductionLoops() != 0 &&
          op.getNumDpsInits() != 0 && matches(op))
        found.push_back(op);
    });
    for (linalg::GenericOp op : found)
      build(op);
  }

  bool matches(linalg::GenericOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (llvm::any_of(ranges, ShapedType::isDynamic))
      return false;
    auto iters = op.getIteratorTypesArray();
    int64_t parallel = 1, reduced = 1;
    for (auto [range, iter] : llvm::zip(ranges, iters))
      (iter == utils::IteratorType::reduction ? reduced : parallel) *= range;
    if (reduced < kMinReduced || parallel < 1 || parallel > INT32_MAX ||
        (parallel > kManyOutputs && reduced < kLongReduction))
      return false;
    // Each output element is indexed by exactly the parallel loops.
    for (OpOperand &init : op.getDpsInitsMutable()) {
      AffineMap map = op.getMatchingIndexingMap(&init);
      if (!map.isProjectedPermutation() ||
          map.getNumResults() != op.getNumParallelLoops() ||
          llvm::any_of(map.getResults(), [&](AffineExpr e) {
            return iters[cast<AffineDimExpr>(e).getPosition()] !=
                   utils::IteratorType::parallel;
          }))
        return false;
    }
    // Blocks read inputs while thread 0s store outputs: no input may share
    // an output's bytes.
    for (Value in : op.getDpsInputs())
      for (Value out : op.getDpsInits())
        if (isa<MemRefType>(in.getType()) && qcc::mayOverlap(in, out))
          return false;
    for (Operation &inner : op.getBody()->without_terminator())
      if (inner.getNumRegions() != 0 ||
          !isa<arith::ArithDialect, math::MathDialect, linalg::LinalgDialect>(
              inner.getDialect()))
        return false;
    return matchOutputs(op).has_value();
  }

  void build(linalg::GenericOp op) {
    SmallVector<Output> outputs = *matchOutputs(op);
    Location loc = op.getLoc();
    OpBuilder b(op);
    auto idx = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    SmallVector<unsigned> parallelDims, reducedDims;
    int64_t parallel = 1, reduced = 1;
    for (auto [d, iter] : llvm::enumerate(op.getIteratorTypesArray())) {
      if (iter == utils::IteratorType::reduction) {
        reducedDims.push_back(d);
        reduced *= ranges[d];
      } else {
        parallelDims.push_back(d);
        parallel *= ranges[d];
      }
    }
    const int64_t threads =
        std::min<int64_t>(kMaxThreads, llvm::PowerOf2Ceil(reduced));

    auto shared = gpu::AddressSpaceAttr::get(b.getContext(),
                                             gpu::AddressSpace::Workgroup);
    SmallVector<Type> workgroup;
    for (const Output &o : outputs)
      workgroup.push_back(MemRefType::get({threads}, o.identity.getType(),
                                          MemRefLayoutAttrInterface{}, shared));
    auto launch =
        qcc::startLaunch(b, loc, {parallel, 1, 1}, threads, workgroup);
    Value tid = launch.getThreadIds().x;
    SmallVector<Value> loops(ranges.size(), Value());
    qcc::delinearize(b, loc, launch.getBlockIds().x, parallelDims, ranges,
                     loops);

    // This thread's share: reduced elements tid, tid + threads, ...
    SmallVector<Value> init;
    for (const Output &o : outputs)
      init.push_back(arith::ConstantOp::create(b, loc, o.identity));
    Block *genericBody = op.getBody();
    auto share = scf::ForOp::create(
        b, loc, tid, idx(reduced), idx(threads), init,
        [&](OpBuilder &nested, Location, Value r, ValueRange acc) {
          SmallVector<Value> here(loops);
          qcc::delinearize(nested, loc, r, reducedDims, ranges, here);
          IRMapping map;
          for (OpOperand *in : op.getDpsInputOperands()) {
            Value arg = genericBody->getArgument(in->getOperandNumber());
            map.map(arg, isa<MemRefType>(in->get().getType())
                             ? qcc::loadAt(nested, loc, in->get(),
                                           op.getMatchingIndexingMap(in), here)
                             : in->get());
          }
          for (auto [i, a] : llvm::enumerate(acc))
            map.map(genericBody->getArgument(op.getNumDpsInputs() + i), a);
          for (Operation &inner : genericBody->without_terminator()) {
            if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
              map.map(index.getResult(), here[index.getDim()]);
              continue;
            }
            Operation *clone = nested.clone(inner, map);
            if (llvm::any_of(outputs, [&](const Output &o) {
                  return o.combiner == &inner;
                }))
              dropFlags(clone);
          }
          SmallVector<Value> next;
          for (const Output &o : outputs)
            next.push_back(map.lookup(o.combiner->getResult(0)));
          scf::YieldOp::create(nested, loc, next);
        });

    // combiner(x, y), whatever the order of its operands in the body.
    auto combine = [&](const Output &o, Value x, Value y) {
      IRMapping map;
      Value out = o.combiner->getOperand(0) == o.value
                      ? o.combiner->getOperand(1)
                      : o.combiner->getOperand(0);
      map.map(o.value, x);
      map.map(out, y);
      return dropFlags(b.clone(*o.combiner, map))->getResult(0);
    };
    ArrayRef<BlockArgument> partials = launch.getWorkgroupAttributions();
    for (auto [i, o] : llvm::enumerate(outputs))
      memref::StoreOp::create(b, loc, share.getResult(i), partials[i], tid);
    // Halving: thread t < s adds t + s; every thread reaches each barrier.
    for (int64_t s = threads / 2; s >= 1; s /= 2) {
      gpu::BarrierOp::create(b, loc);
      Value active =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, tid, idx(s));
      auto step = scf::IfOp::create(b, loc, active, /*withElseRegion=*/false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(step.thenBlock());
      Value other = arith::AddIOp::create(b, loc, tid, idx(s));
      for (auto [i, o] : llvm::enumerate(outputs)) {
        Value mine = memref::LoadOp::create(b, loc, partials[i], tid);
        Value theirs = memref::LoadOp::create(b, loc, partials[i], other);
        memref::StoreOp::create(b, loc, combine(o, theirs, mine), partials[i],
                                tid);
      }
    }
    gpu::BarrierOp::create(b, loc);
    Value first =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, tid, idx(0));
    auto last = scf::IfOp::create(b, loc, first, /*withElseRegion=*/false);
    b.setInsertionPointToStart(last.thenBlock());
    for (auto [i, o] : llvm::enumerate(outputs)) {
      OpOperand *init = op.getDpsInitOperand(i);
      SmallVector<Value> indices =
          qcc::applyMap(b, loc, op.getMatchingIndexingMap(init), loops);
      Value old = memref::LoadOp::create(b, loc, init->get(), indices);
      Value total = memref::LoadOp::create(b, loc, partials[i], idx(0));
      memref::StoreOp::create(b, loc, combine(o, total, old), init->get(),
                              indices);
    }
    op.erase();
  }
};
} // namespace
