//===- VectorizeReductions.cpp - reductions over contiguous trailing dims -===//
//
// A reduction whose reduced dims are the input's innermost, contiguous dims
// (GlobalAveragePool, ReduceSum/Mean/Max over the last axes, LayerNorm's
// means), possibly of an elementwise function of its input that fusion put
// in its body (a DequantizeLinear of 8-bit values), otherwise runs as a
// scalar loop that LLVM cannot vectorize for floats (it may not
// reassociate) and that stores its accumulator on every step (the output
// may alias the input as far as it can tell). The float
// summation order this fixes is documented in docs/Numerics.md.
//
//===----------------------------------------------------------------------===//
#include "LoweringUtils.h"
#include "qcc/Conversion/Passes.h"

#include "mlir/IR/IRMapping.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace qcc {
#define GEN_PASS_DEF_VECTORIZEREDUCTIONS
#include "qcc/Conversion/Passes.h.inc"
} // namespace qcc

using namespace mlir;

static constexpr int64_t kLanes = 16, kAccumulators = 4;

/// The elementwise ops of a body `yield op(f(in), out)` that compute f(in)
/// (a fused DequantizeLinear: extension, subtraction, conversion, scale),
/// in order, or nothing when the body has another form. They may read
/// `in`, each other and values defined outside the body.
static std::optional<SmallVector<Operation *>>
inputPrefix(linalg::GenericOp op) {
  Block *body = op.getBody();
  SmallVector<Operation *> prefix;
  for (Operation &inner : body->without_terminator())
    prefix.push_back(&inner);
  if (prefix.empty())
    return std::nullopt;
  prefix.pop_back(); // the combining op
  Value out = body->getArguments().back();
  for (Operation *inner : prefix) {
    if (!isa<arith::ArithDialect>(inner->getDialect()) ||
        inner->getNumResults() != 1 || inner->getNumRegions() != 0 ||
        !(isa<arith::ConstantOp>(inner) ||
          OpTrait::hasElementwiseMappableTraits(inner)))
      return std::nullopt;
    if (llvm::is_contained(inner->getOperands(), out))
      return std::nullopt;
  }
  return prefix;
}

/// The combining kind of a body `yield op(f(in), out)`, f being `prefix`,
/// and its identity.
static std::optional<std::pair<vector::CombiningKind, TypedAttr>>
combiner(linalg::GenericOp op, ArrayRef<Operation *> prefix) {
  Block *body = op.getBody();
  Operation *inner = body->getTerminator()->getPrevNode();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getOperand(0) != inner->getResult(0) ||
      inner->getNumOperands() != 2)
    return std::nullopt;
  Value in = prefix.empty() ? (Value)body->getArgument(0)
                            : prefix.back()->getResult(0),
        out = body->getArguments().back();
  if (!((inner->getOperand(0) == in && inner->getOperand(1) == out) ||
        (inner->getOperand(0) == out && inner->getOperand(1) == in)))
    return std::nullopt;
  Type t = in.getType();
  Builder b(op.getContext());
  auto f = dyn_cast<FloatType>(t);
  auto fl = [&](bool negative, bool inf) -> TypedAttr {
    APFloat v = inf ? APFloat::getInf(f.getFloatSemantics(), negative)
                    : APFloat::getZero(f.getFloatSemantics(), negative);
    return b.getFloatAttr(t, v);
  };
  auto in32 = [&](APInt v) -> TypedAttr { return b.getIntegerAttr(t, v); };
  unsigned w = t.getIntOrFloatBitWidth();
  using K = vector::CombiningKind;
  // -0.0 is the identity of a float sum (0.0 + -0.0 would lose the sign).
  if (isa<arith::AddFOp>(inner))
    return std::make_pair(K::ADD, fl(true, false));
  if (isa<arith::MaximumFOp>(inner))
    return std::make_pair(K::MAXIMUMF, fl(true, true));
  if (isa<arith::MinimumFOp>(inner))
    return std::make_pair(K::MINIMUMF, fl(false, true));
  if (isa<arith::AddIOp>(inner))
    return std::make_pair(K::ADD, in32(APInt::getZero(w)));
  if (isa<arith::MaxSIOp>(inner))
    return std::make_pair(K::MAXSI, in32(APInt::getSignedMinValue(w)));
  if (isa<arith::MinSIOp>(inner))
    return std::make_pair(K::MINSI, in32(APInt::getSignedMaxValue(w)));
  if (isa<arith::MaxUIOp>(inner))
    return std::make_pair(K::MAXUI, in32(APInt::getMinValue(w)));
  if (isa<arith::MinUIOp>(inner))
    return std::make_pair(K::MINUI, in32(APInt::getMaxValue(w)));
  return std::nullopt;
}

/// Lowers `op` if it reduces its first input's trailing contiguous dims into
/// an output indexed by the leading ones. Other inputs (the scale and zero
/// point of a fused DequantizeLinear) must be indexed by output dims only.
static bool vectorize(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() < 1 ||
      op.getNumDpsInits() != 1)
    return false;
  std::optional<SmallVector<Operation *>> parsed = inputPrefix(op);
  if (!parsed)
    return false;
  SmallVector<Operation *> prefix = std::move(*parsed);
  auto combine = combiner(op, prefix);
  if (!combine)
    return false;
  Value input = op.getDpsInputOperand(0)->get();
  Value output = op.getDpsInitOperand(0)->get();
  auto inType = cast<MemRefType>(input.getType());
  Type elem = inType.getElementType();
  Type accElem = cast<MemRefType>(output.getType()).getElementType();
  if (!inType.hasStaticShape() || !inType.getLayout().isIdentity() ||
      !(accElem.isF32() || accElem.isInteger(32)) || !elem.isIntOrFloat() ||
      elem.getIntOrFloatBitWidth() < 8)
    return false;
  // The prefix must end in the accumulator's type.
  if (prefix.empty() ? elem != accElem
                     : prefix.back()->getResult(0).getType() != accElem)
    return false;
  auto iters = op.getIteratorTypesArray();
  unsigned n = iters.size(), p = 0;
  while (p < n && iters[p] == utils::IteratorType::parallel)
    ++p;
  if (p == n)
    return false;
  for (unsigned i = p; i < n; ++i)
    if (iters[i] != utils::IteratorType::reduction)
      return false;
  AffineMap inMap = op.getIndexingMapsArray()[0];
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  // Extra inputs: read like the first (the other terms of a fused sum), or
  // indexed by output dims only (a scale, a zero point).
  SmallVector<OpOperand *> inputs = op.getDpsInputOperands();
  SmallVector<OpOperand *> scalarInputs, vectorInputs;
  for (OpOperand *extra : llvm::drop_begin(inputs)) {
    auto type = cast<MemRefType>(extra->get().getType());
    if (op.getMatchingIndexingMap(extra) == inMap &&
        type.getShape() == inType.getShape() && type.getLayout().isIdentity() &&
        type.getElementType().getIntOrFloatBitWidth() >= 8) {
      vectorInputs.push_back(extra);
      continue;
    }
    for (AffineExpr e : op.getMatchingIndexingMap(extra).getResults()) {
      auto d = dyn_cast<AffineDimExpr>(e);
      auto c = dyn_cast<AffineConstantExpr>(e);
      if (!(d && d.getPosition() < p) && !(c && c.getValue() == 0))
        return false;
    }
    scalarInputs.push_back(extra);
  }
  if (!vectorInputs.empty() && prefix.empty())
    return false;
  if (!inMap.isIdentity() || outMap.getNumResults() != p)
    return false;
  for (unsigned i = 0; i < p; ++i)
    if (outMap.getResult(i) != getAffineDimExpr(i, op.getContext()))
      return false;
  int64_t R = 1;
  for (int64_t d : inType.getShape().drop_front(p))
    R *= d;
  if (R < kLanes)
    return false;

  OpBuilder b(op);
  Location loc = op.getLoc();
  vector::CombiningKind kind = combine->first;
  TypedAttr identity = combine->second;
  auto cst = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  SmallVector<ReassociationIndices> groups;
  for (unsigned i = 0; i < p; ++i)
    groups.push_back({(int64_t)i});
  ReassociationIndices last;
  for (unsigned i = p; i < n; ++i)
    last.push_back(i);
  groups.push_back(last);
  Value flat = memref::CollapseShapeOp::create(b, loc, input, groups);
  SmallVector<Value> flatExtras;
  for (OpOperand *extra : vectorInputs)
    flatExtras.push_back(
        memref::CollapseShapeOp::create(b, loc, extra->get(), groups));
  auto vecType = VectorType::get({kLanes}, elem);
  auto accType = VectorType::get({kLanes}, accElem);
  Value idVec = arith::ConstantOp::create(
      b, loc, accType, DenseElementsAttr::get(accType, identity));

  SmallVector<Value> ivs;
  for (unsigned i = 0; i < p; ++i) {
    auto loop =
        scf::ForOp::create(b, loc, cst(0), cst(inType.getDimSize(i)), cst(1));
    b.setInsertionPointToStart(loop.getBody());
    ivs.push_back(loop.getInductionVar());
  }
  // Extra inputs: one scalar per output element.
  Block *body = op.getBody();
  IRMapping scalars;
  for (OpOperand *extra : scalarInputs) {
    SmallVector<Value> idx;
    for (AffineExpr e : op.getMatchingIndexingMap(extra).getResults()) {
      if (auto d = dyn_cast<AffineDimExpr>(e))
        idx.push_back(ivs[d.getPosition()]);
      else
        idx.push_back(cst(0));
    }
    scalars.map(body->getArgument(extra->getOperandNumber()),
                memref::LoadOp::create(b, loc, extra->get(), idx));
  }
  auto at = [&](Value i) {
    SmallVector<Value> idx(ivs);
    idx.push_back(i);
    return idx;
  };
  // Elements [i, i + kLanes) of a flattened input; past `mask`, zeros.
  auto load = [&](Value memref, Value i, Value mask) -> Value {
    auto type = VectorType::get(
        {kLanes}, cast<MemRefType>(memref.getType()).getElementType());
    if (!mask)
      return vector::LoadOp::create(b, loc, type, memref, at(i));
    Value zeros = arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type));
    return vector::MaskedLoadOp::create(b, loc, type, memref, at(i), mask,
                                        zeros);
  };
  // f(in) on the vectors of elements [i, i + kLanes): the prefix cloned on
  // vectors; scalars (extra inputs, values from outside the body,
  // constants) broadcast.
  auto apply = [&](Value i, Value mask = {}) {
    Value loaded = load(flat, i, mask);
    if (prefix.empty())
      return loaded;
    IRMapping map;
    map.map(body->getArgument(0), loaded);
    for (auto [extra, memref] : llvm::zip(vectorInputs, flatExtras))
      map.map(body->getArgument(extra->getOperandNumber()),
              load(memref, i, mask));
    qcc::cloneOnVectors(b, loc, prefix, map, kLanes,
                        [&](Value v) { return scalars.lookupOrDefault(v); });
    return map.lookup(prefix.back()->getResult(0));
  };
  auto fold = [&](Value a, Value v) {
    return vector::makeArithReduction(b, loc, kind, a, v);
  };
  // Independent accumulators hide the add latency; then single vectors,
  // then a masked tail.
  int64_t block = kLanes * kAccumulators, blocked = R / block * block;
  SmallVector<Value> accs(kAccumulators, idVec);
  if (blocked > 0) {
    auto loop = scf::ForOp::create(
        b, loc, cst(0), cst(blocked), cst(block), accs,
        [&](OpBuilder &nb, Location nl, Value i, ValueRange carried) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          SmallVector<Value> next;
          for (int64_t a = 0; a < kAccumulators; ++a) {
            Value at_i = arith::AddIOp::create(b, loc, i, cst(a * kLanes));
            next.push_back(fold(carried[a], apply(at_i)));
          }
          scf::YieldOp::create(b, loc, next);
        });
    accs.assign(loop.getResults().begin(), loop.getResults().end());
  }
  Value acc = fold(fold(accs[0], accs[1]), fold(accs[2], accs[3]));
  for (int64_t i = blocked; i + kLanes <= R; i += kLanes)
    acc = fold(acc, apply(cst(i)));
  if (int64_t rest = R % kLanes) {
    Value mask = vector::ConstantMaskOp::create(
        b, loc, VectorType::get({kLanes}, b.getI1Type()), {rest});
    Value tail;
    if (prefix.empty()) {
      tail = vector::MaskedLoadOp::create(b, loc, vecType, flat,
                                          at(cst(R - rest)), mask, idVec);
    } else {
      // Lanes past the end take the identity after f.
      tail = arith::SelectOp::create(b, loc, mask, apply(cst(R - rest), mask),
                                     idVec);
    }
    acc = fold(acc, tail);
  }
  // Without reassociation the lanes add in order: the same sum on every
  // target, whatever its vector width.
  Value reduced = vector::ReductionOp::create(b, loc, kind, acc);
  Value prev = memref::LoadOp::create(b, loc, output, ivs);
  Value result = vector::makeArithReduction(b, loc, kind, prev, reduced);
  memref::StoreOp::create(b, loc, result, output, ivs);
  op->erase();
  return true;
}

namespace {
struct VectorizeReductionsPass
    : qcc::impl::VectorizeReductionsBase<VectorizeReductionsPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> ops;
    getOperation()->walk([&](linalg::GenericOp op) { ops.push_back(op); });
    for (linalg::GenericOp op : ops)
      (void)vectorize(op);
  }
};
} // namespace
