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
#include "qcc/Codegen/Common/LinalgUtils.h"
#include "qcc/Codegen/CPU/Passes.h"

#include "mlir/IR/IRMapping.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace qcc {
#define GEN_PASS_DEF_VECTORIZEREDUCTIONS
#include "qcc/Codegen/CPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

static constexpr int64_t kLanes = 16, kAccumulators = 4;

/// A reduction body `yield op_k(f_k(in...), out_k)...`, one combining op per
/// output: the ops computing the f_k (elementwise arithmetic and
/// single-instruction math: a fused DequantizeLinear, a LayerNorm
/// DynamicQuantizeLinear reads), in order, and each output's combining op
/// with the value it folds in.
struct ReductionBody {
  SmallVector<Operation *> prefix;
  struct Fold {
    vector::CombiningKind kind;
    TypedAttr identity;
    Value value; ///< f_k(in...): a prefix result or a block argument
  };
  SmallVector<Fold> folds;
};

/// The combining kind of `inner` and its identity for type `t`.
static std::optional<std::pair<vector::CombiningKind, TypedAttr>>
combiningKind(Operation *inner, Type t) {
  Builder b(inner->getContext());
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

static std::optional<ReductionBody> parseBody(linalg::GenericOp op) {
  Block *body = op.getBody();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  unsigned inits = op.getNumDpsInits(), inputs = op.getNumDpsInputs();
  ReductionBody parsed;
  SmallPtrSet<Operation *, 4> combining;
  for (unsigned k = 0; k < inits; ++k) {
    Value out = body->getArgument(inputs + k);
    Operation *inner = yield.getOperand(k).getDefiningOp();
    if (!inner || inner->getBlock() != body || inner->getNumOperands() != 2 ||
        !inner->getResult(0).hasOneUse() || !combining.insert(inner).second)
      return std::nullopt;
    Value value;
    if (inner->getOperand(1) == out)
      value = inner->getOperand(0);
    else if (inner->getOperand(0) == out)
      value = inner->getOperand(1);
    else
      return std::nullopt;
    auto kind = combiningKind(inner, out.getType());
    if (!kind || value.getType() != out.getType())
      return std::nullopt;
    parsed.folds.push_back({kind->first, kind->second, value});
  }
  for (Operation &inner : body->without_terminator()) {
    if (combining.contains(&inner))
      continue;
    // Lanes past a masked tail compute on zeros: nothing may trap.
    if (!qcc::isLanewiseBodyOp(inner))
      return std::nullopt;
    for (Value v : inner.getOperands())
      if (auto arg = dyn_cast<BlockArgument>(v))
        if (arg.getOwner() == body && arg.getArgNumber() >= inputs)
          return std::nullopt;
    parsed.prefix.push_back(&inner);
  }
  return parsed;
}

/// Lowers `op` if it reduces its first input's trailing contiguous dims into
/// outputs indexed by the leading ones. Other inputs are read like the
/// first (the other terms of a fused sum), indexed by output dims only (the
/// scale and zero point of a fused DequantizeLinear), or, when whole
/// vectors fit the innermost dim, by any dims with the innermost one last
/// or absent (a LayerNorm's per-row statistics and per-column weights).
static bool vectorize(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() < 1 ||
      op.getNumDpsInits() < 1)
    return false;
  std::optional<ReductionBody> parsed = parseBody(op);
  if (!parsed)
    return false;
  SmallVector<Operation *> prefix = std::move(parsed->prefix);
  Value input = op.getDpsInputOperand(0)->get();
  auto inType = cast<MemRefType>(input.getType());
  Type elem = inType.getElementType();
  if (!inType.hasStaticShape() || !inType.getLayout().isIdentity() ||
      !elem.isIntOrFloat() || elem.getIntOrFloatBitWidth() < 8)
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
  if (!inMap.isIdentity())
    return false;
  SmallVector<Value> outputs;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    auto type = cast<MemRefType>(init.get().getType());
    Type accElem = type.getElementType();
    if (!(accElem.isF32() || accElem.isInteger(32)))
      return false;
    AffineMap outMap = op.getMatchingIndexingMap(&init);
    if (outMap.getNumResults() != p)
      return false;
    for (unsigned i = 0; i < p; ++i)
      if (outMap.getResult(i) != getAffineDimExpr(i, op.getContext()))
        return false;
    outputs.push_back(init.get());
  }
  int64_t R = 1;
  for (int64_t d : inType.getShape().drop_front(p))
    R *= d;
  int64_t innermost = inType.getShape().back();
  if (R < kLanes)
    return false;
  // Extra inputs: read like the first, indexed by output dims only, or
  // indexed by dims with the innermost one last (or absent) when vectors
  // never cross the innermost dim's rows.
  SmallVector<OpOperand *> inputs = op.getDpsInputOperands();
  SmallVector<OpOperand *> scalarInputs, vectorInputs, indexedInputs;
  for (OpOperand *extra : llvm::drop_begin(inputs)) {
    auto type = cast<MemRefType>(extra->get().getType());
    AffineMap map = op.getMatchingIndexingMap(extra);
    if (map == inMap && type.getShape() == inType.getShape() &&
        type.getLayout().isIdentity() &&
        type.getElementType().getIntOrFloatBitWidth() >= 8) {
      vectorInputs.push_back(extra);
      continue;
    }
    bool outputDimsOnly = true, indexed = innermost % kLanes == 0;
    for (auto [r, e] : llvm::enumerate(map.getResults())) {
      auto d = dyn_cast<AffineDimExpr>(e);
      auto c = dyn_cast<AffineConstantExpr>(e);
      if (c && c.getValue() == 0)
        continue;
      if (!d) {
        outputDimsOnly = indexed = false;
        break;
      }
      outputDimsOnly &= d.getPosition() < p;
      if (d.getPosition() == n - 1)
        indexed &= r + 1 == map.getNumResults() &&
                   type.getLayout().isIdentity() && type.hasStaticShape() &&
                   type.getElementType().getIntOrFloatBitWidth() >= 8;
    }
    if (outputDimsOnly)
      scalarInputs.push_back(extra);
    else if (indexed)
      indexedInputs.push_back(extra);
    else
      return false;
  }
  if ((!vectorInputs.empty() || !indexedInputs.empty()) && prefix.empty())
    return false;
  Block *body = op.getBody();
  for (const ReductionBody::Fold &fold : parsed->folds) {
    // Each output folds the first input or a prefix value.
    if (fold.value != body->getArgument(0) &&
        !llvm::is_contained(prefix, fold.value.getDefiningOp()))
      return false;
  }

  OpBuilder b(op);
  Location loc = op.getLoc();
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
  SmallVector<Value> idVecs;
  for (const ReductionBody::Fold &fold : parsed->folds) {
    auto accType = VectorType::get({kLanes}, fold.identity.getType());
    idVecs.push_back(arith::ConstantOp::create(
        b, loc, accType, DenseElementsAttr::get(accType, fold.identity)));
  }

  SmallVector<Value> ivs;
  for (unsigned i = 0; i < p; ++i) {
    auto loop =
        scf::ForOp::create(b, loc, cst(0), cst(inType.getDimSize(i)), cst(1));
    b.setInsertionPointToStart(loop.getBody());
    ivs.push_back(loop.getInductionVar());
  }
  // Extra inputs: one scalar per output element.
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
  // An indexed input at flattened position i (a whole vector within one
  // innermost row): reduced dim j is (i / stride_j) mod extent_j.
  auto loadIndexed = [&](OpOperand *extra, Value i) -> Value {
    auto type = cast<MemRefType>(extra->get().getType());
    SmallVector<Value> idx;
    bool lanes = false;
    for (AffineExpr e : op.getMatchingIndexingMap(extra).getResults()) {
      auto d = dyn_cast<AffineDimExpr>(e);
      if (!d) {
        idx.push_back(cst(0));
        continue;
      }
      unsigned j = d.getPosition();
      if (j < p) {
        idx.push_back(ivs[j]);
        continue;
      }
      int64_t stride = 1;
      for (unsigned k = j + 1; k < n; ++k)
        stride *= inType.getDimSize(k);
      Value v = i;
      if (stride != 1)
        v = arith::DivUIOp::create(b, loc, v, cst(stride));
      if (j != p)
        v = arith::RemUIOp::create(b, loc, v, cst(inType.getDimSize(j)));
      idx.push_back(v);
      lanes |= j == n - 1;
    }
    auto vecType = VectorType::get({kLanes}, type.getElementType());
    if (lanes)
      return vector::LoadOp::create(b, loc, vecType, extra->get(), idx);
    return vector::BroadcastOp::create(
        b, loc, vecType, memref::LoadOp::create(b, loc, extra->get(), idx));
  };
  // f_k(in) on the vectors of elements [i, i + kLanes): the prefix cloned
  // on vectors; scalars (extra inputs, values from outside the body,
  // constants) broadcast.
  auto apply = [&](Value i, Value mask = {}) {
    IRMapping map;
    map.map(body->getArgument(0), load(flat, i, mask));
    for (auto [extra, memref] : llvm::zip(vectorInputs, flatExtras))
      map.map(body->getArgument(extra->getOperandNumber()),
              load(memref, i, mask));
    for (OpOperand *extra : indexedInputs)
      map.map(body->getArgument(extra->getOperandNumber()),
              loadIndexed(extra, i));
    qcc::cloneOnVectors(b, loc, prefix, map, kLanes,
                        [&](Value v) { return scalars.lookupOrDefault(v); });
    SmallVector<Value> values;
    for (const ReductionBody::Fold &fold : parsed->folds)
      values.push_back(map.lookup(fold.value));
    return values;
  };
  unsigned numFolds = parsed->folds.size();
  auto fold = [&](unsigned k, Value a, Value v) {
    return vector::makeArithReduction(b, loc, parsed->folds[k].kind, a, v);
  };
  // Independent accumulators hide the add latency; then single vectors,
  // then a masked tail.
  int64_t block = kLanes * kAccumulators, blocked = R / block * block;
  // accs[k * kAccumulators + a]: output k's accumulator a.
  SmallVector<Value> accs;
  for (unsigned k = 0; k < numFolds; ++k)
    accs.append(kAccumulators, idVecs[k]);
  if (blocked > 0) {
    auto loop = scf::ForOp::create(
        b, loc, cst(0), cst(blocked), cst(block), accs,
        [&](OpBuilder &nb, Location nl, Value i, ValueRange carried) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          SmallVector<Value> next(carried.begin(), carried.end());
          for (int64_t a = 0; a < kAccumulators; ++a) {
            Value at_i = arith::AddIOp::create(b, loc, i, cst(a * kLanes));
            SmallVector<Value> values = apply(at_i);
            for (unsigned k = 0; k < numFolds; ++k) {
              Value &acc = next[k * kAccumulators + a];
              acc = fold(k, acc, values[k]);
            }
          }
          scf::YieldOp::create(b, loc, next);
        });
    accs.assign(loop.getResults().begin(), loop.getResults().end());
  }
  SmallVector<Value> acc;
  for (unsigned k = 0; k < numFolds; ++k) {
    Value *a = &accs[k * kAccumulators];
    acc.push_back(fold(k, fold(k, a[0], a[1]), fold(k, a[2], a[3])));
  }
  for (int64_t i = blocked; i + kLanes <= R; i += kLanes) {
    SmallVector<Value> values = apply(cst(i));
    for (unsigned k = 0; k < numFolds; ++k)
      acc[k] = fold(k, acc[k], values[k]);
  }
  if (int64_t rest = R % kLanes) {
    Value mask = vector::ConstantMaskOp::create(
        b, loc, VectorType::get({kLanes}, b.getI1Type()), {rest});
    if (prefix.empty()) {
      auto vecType = VectorType::get({kLanes}, elem);
      for (unsigned k = 0; k < numFolds; ++k) {
        Value tail = vector::MaskedLoadOp::create(
            b, loc, vecType, flat, at(cst(R - rest)), mask, idVecs[k]);
        acc[k] = fold(k, acc[k], tail);
      }
    } else {
      // Lanes past the end take the identity after f.
      SmallVector<Value> values = apply(cst(R - rest), mask);
      for (unsigned k = 0; k < numFolds; ++k)
        acc[k] =
            fold(k, acc[k],
                 arith::SelectOp::create(b, loc, mask, values[k], idVecs[k]));
    }
  }
  // Without reassociation the lanes add in order: the same sum on every
  // target, whatever its vector width.
  for (unsigned k = 0; k < numFolds; ++k) {
    vector::CombiningKind kind = parsed->folds[k].kind;
    Value reduced = vector::ReductionOp::create(b, loc, kind, acc[k]);
    Value prev = memref::LoadOp::create(b, loc, outputs[k], ivs);
    Value result = vector::makeArithReduction(b, loc, kind, prev, reduced);
    memref::StoreOp::create(b, loc, result, outputs[k], ivs);
  }
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
