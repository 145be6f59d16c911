//===- PackInt8Contractions.cpp - layouts for 4-byte dot products ---------===//
//
// An integer contraction of 8-bit activations with constant int8 weights is
// rewritten into the operand layouts of a 4-byte dot-product instruction
// (x86 VNNI `vpdpbusd`: 4 unsigned x signed byte products summed into each
// 32-bit lane). The reduction loops are flattened to K and cut into K/4
// groups of 4 adjacent bytes (zero weights pad K). The operand that walks
// the output's innermost dim (the "vector" operand) is packed
// [..., K/4, N, 4], so 64 contiguous bytes feed 16 output lanes; the other
// (the "broadcast" operand) is packed [..., K/4, 4] and its 4 bytes are
// broadcast. Weights are packed at compile time, activations by a copy at
// run time. The instruction multiplies unsigned by signed bytes, so the
// activation zero point leaves the product as a constant per-output term,
// -zp * sum_k w (int8 activations are biased by 128 to uint8 first). The
// result is exact: the same integers, summed in another order, in wrapping
// int32 arithmetic.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Conversion/QccToLinalg/LoweringUtils.h"
#include "qcc/Codegen/Common/EpilogueFusion.h"
#include "qcc/Codegen/Common/IntegerContraction.h"
#include "qcc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"

namespace qcc {
#define GEN_PASS_DEF_PACKINT8CONTRACTIONS
#include "qcc/Codegen/CPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

namespace {
/// A matched contraction: activation and weight sides, the weight data.
struct Match {
  Int8Operand act, weight;
  ElementsAttr weightData;
};
} // namespace

/// out += (ext(a) - zpA) * (ext(b) - zpB) in i32, with one constant signed
/// 8-bit operand without zero point.
static std::optional<Match> matchBody(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics() ||
      !elementTypeOf(op.getDpsInitOperand(0)->get()).isInteger(32))
    return std::nullopt;
  arith::MulIOp mul = accumulatedProduct(op);
  if (!mul)
    return std::nullopt;
  std::optional<Int8Operand> a = matchInt8Operand(op, mul.getLhs());
  std::optional<Int8Operand> b = matchInt8Operand(op, mul.getRhs());
  if (!a || !b || a->input == b->input)
    return std::nullopt;
  for (int swap = 0; swap < 2; ++swap, std::swap(a, b)) {
    ElementsAttr data =
        tracedIntConstant(op.getDpsInputOperand(b->input)->get());
    if (!data || b->isUnsigned || b->hasZeroPoint())
      continue;
    int64_t lo = a->isUnsigned ? 0 : -128, hi = a->isUnsigned ? 255 : 127;
    if (a->zeroPoint < lo || a->zeroPoint > hi)
      continue;
    return Match{*a, *b, data};
  }
  return std::nullopt;
}

namespace {
/// Loop structure of a matched contraction.
struct Layout {
  SmallVector<int64_t> ranges;
  SmallVector<unsigned> reductions; ///< in loop order
  SmallVector<int64_t> reductionStride;
  unsigned vecLoop;
  bool vecIsAct;
  int64_t K, K4;
};
} // namespace

static std::optional<Layout> analyze(linalg::GenericOp op, const Match &m,
                                     int64_t minVector) {
  Layout l;
  l.ranges = op.getStaticLoopRanges();
  if (llvm::any_of(l.ranges, ShapedType::isDynamic))
    return std::nullopt;
  auto iters = op.getIteratorTypesArray();
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  AffineMap actMap = op.getIndexingMapsArray()[m.act.input];
  AffineMap wMap = op.getIndexingMapsArray()[m.weight.input];
  if (!outMap.isProjectedPermutation() || outMap.getNumResults() == 0 ||
      !actMap.isProjectedPermutation(/*allowZeroInResults=*/true) ||
      !wMap.isProjectedPermutation(/*allowZeroInResults=*/true))
    return std::nullopt;
  unsigned parallel = 0;
  for (unsigned d = 0; d < iters.size(); ++d) {
    if (iters[d] == utils::IteratorType::parallel) {
      ++parallel;
      continue;
    }
    // Every reduction loop indexes both multiplicands.
    if (!actMap.isFunctionOfDim(d) || !wMap.isFunctionOfDim(d))
      return std::nullopt;
    l.reductions.push_back(d);
  }
  if (l.reductions.empty() || outMap.getNumResults() != parallel)
    return std::nullopt;
  l.vecLoop = cast<AffineDimExpr>(outMap.getResults().back()).getPosition();
  bool onAct = actMap.isFunctionOfDim(l.vecLoop);
  if (onAct == wMap.isFunctionOfDim(l.vecLoop))
    return std::nullopt;
  l.vecIsAct = onAct;
  l.K = 1;
  l.reductionStride.assign(l.reductions.size(), 1);
  for (int i = (int)l.reductions.size() - 1; i >= 0; --i) {
    l.reductionStride[i] = l.K;
    l.K *= l.ranges[l.reductions[i]];
  }
  l.K4 = (l.K + 3) / 4;
  // Short rows or reductions gain nothing from the packing copy: a 3x3
  // depthwise convolution (K = 9, padded to 12) ran 15% slower packed on
  // the example CNN than on the generic path.
  if (l.ranges[l.vecLoop] < minVector || l.K < 16)
    return std::nullopt;
  return l;
}

/// Parallel loops `map` reads, except the vector loop, in loop order.
static SmallVector<unsigned> parallelLoops(linalg::GenericOp op, AffineMap map,
                                           const Layout &l) {
  SmallVector<unsigned> loops;
  auto iters = op.getIteratorTypesArray();
  for (unsigned d = 0; d < iters.size(); ++d)
    if (iters[d] == utils::IteratorType::parallel && d != l.vecLoop &&
        map.isFunctionOfDim(d))
      loops.push_back(d);
  return loops;
}

/// Packed shape of an operand reading parallel loops `loops`.
static SmallVector<int64_t> packedShape(ArrayRef<unsigned> loops, bool vec,
                                        const Layout &l) {
  SmallVector<int64_t> shape;
  for (unsigned d : loops)
    shape.push_back(l.ranges[d]);
  shape.push_back(l.K4);
  if (vec)
    shape.push_back(l.ranges[l.vecLoop]);
  shape.push_back(4);
  return shape;
}

/// Packs the constant weights and sums each output's weights (for the
/// zero-point term). `sums` is indexed like the weight's parallel loops
/// (the vector loop included, in loop order).
static ElementsAttr packWeights(linalg::GenericOp op, const Match &m,
                                     const Layout &l, ArrayRef<unsigned> loops,
                                     bool vec, SmallVectorImpl<int64_t> &sums) {
  AffineMap wMap = op.getIndexingMapsArray()[m.weight.input];
  auto wType = cast<RankedTensorType>(op->getOperand(m.weight.input).getType());
  ArrayRef<int64_t> wShape = wType.getShape();
  SmallVector<int64_t> wStride(wShape.size(), 1);
  for (int i = (int)wShape.size() - 2; i >= 0; --i)
    wStride[i] = wStride[i + 1] * wShape[i + 1];
  std::optional<WeightData> src = getWeightData(m.weightData);

  SmallVector<int64_t> shape = packedShape(loops, vec, l);
  int64_t total = 1;
  for (int64_t s : shape)
    total *= s;
  WeightBuffer packedBytes(total);
  auto packed = packedBytes.as<int8_t>();
  // Weight-parallel loops in loop order (vector loop included when the
  // weights carry it), for the sums.
  SmallVector<unsigned> sumLoops(loops);
  if (vec) {
    sumLoops.push_back(l.vecLoop);
    llvm::sort(sumLoops);
  }
  int64_t sumCount = 1;
  for (unsigned d : sumLoops)
    sumCount *= l.ranges[d];
  sums.assign(sumCount, 0);

  SmallVector<int64_t> loopIndex(l.ranges.size(), 0), idx(shape.size(), 0);
  for (int64_t flat = 0; flat < total; ++flat) {
    // idx is the packed multi-index: loops..., k4, [n,] j.
    for (size_t i = 0; i < loops.size(); ++i)
      loopIndex[loops[i]] = idx[i];
    int64_t k = 4 * idx[loops.size()] + idx.back();
    if (vec)
      loopIndex[l.vecLoop] = idx[loops.size() + 1];
    if (k < l.K) {
      for (size_t i = 0; i < l.reductions.size(); ++i)
        loopIndex[l.reductions[i]] =
            (k / l.reductionStride[i]) % l.ranges[l.reductions[i]];
      int64_t offset = 0;
      for (unsigned r = 0; r < wMap.getNumResults(); ++r)
        if (auto d = dyn_cast<AffineDimExpr>(wMap.getResult(r)))
          offset += loopIndex[d.getPosition()] * wStride[r];
      int8_t w = src->at<int8_t>(offset);
      packed[flat] = w;
      int64_t s = 0;
      for (unsigned d : sumLoops)
        s = s * l.ranges[d] + loopIndex[d];
      sums[s] += w;
    }
    for (int i = (int)idx.size() - 1; i >= 0; --i) {
      if (++idx[i] < shape[i])
        break;
      idx[i] = 0;
    }
  }
  auto type =
      RankedTensorType::get(shape, IntegerType::get(op.getContext(), 8));
  return makeWeight(type, std::move(packedBytes),
                    isResourceWeight(m.weightData), "packed");
}

/// Run-time packing copy of the activation (biased to unsigned when
/// signed). Reduction loops are recovered from k = 4 * k4 + j; the
/// outermost one is padded so that k up to 4 * K4 - 1 stays in bounds.
static Value packActivation(OpBuilder &b, Location loc, linalg::GenericOp op,
                            const Match &m, const Layout &l,
                            ArrayRef<unsigned> loops) {
  MLIRContext *ctx = b.getContext();
  AffineMap actMap = op.getIndexingMapsArray()[m.act.input];
  Value act = op->getOperand(m.act.input);
  auto actType = cast<RankedTensorType>(act.getType());
  bool vec = l.vecIsAct;
  SmallVector<int64_t> shape = packedShape(loops, vec, l);
  unsigned rank = shape.size();
  AffineExpr k4 = getAffineDimExpr(loops.size(), ctx);
  AffineExpr j = getAffineDimExpr(rank - 1, ctx);
  AffineExpr k = k4 * 4 + j;
  SmallVector<AffineExpr> exprs;
  SmallVector<int64_t> padHigh(actType.getRank(), 0);
  for (unsigned r = 0; r < actMap.getNumResults(); ++r) {
    auto d = dyn_cast<AffineDimExpr>(actMap.getResult(r));
    if (!d) {
      exprs.push_back(getAffineConstantExpr(0, ctx));
      continue;
    }
    unsigned pos = d.getPosition();
    if (pos == l.vecLoop) {
      exprs.push_back(getAffineDimExpr(loops.size() + 1, ctx));
      continue;
    }
    auto it = llvm::find(l.reductions, pos);
    if (it == l.reductions.end()) {
      exprs.push_back(
          getAffineDimExpr(llvm::find(loops, pos) - loops.begin(), ctx));
      continue;
    }
    size_t i = it - l.reductions.begin();
    AffineExpr e = k.floorDiv(l.reductionStride[i]);
    if (i == 0) {
      int64_t need = (4 * l.K4 - 1) / l.reductionStride[0] + 1;
      padHigh[r] = need - l.ranges[pos];
    } else {
      e = e % l.ranges[pos];
    }
    exprs.push_back(e);
  }
  if (llvm::any_of(padHigh, [](int64_t p) { return p > 0; }))
    act = padTensor(b, loc, act, SmallVector<int64_t>(padHigh.size(), 0),
                    padHigh, scalarConst(b, loc, b.getI8Type(), 0));
  auto type = RankedTensorType::get(shape, b.getI8Type());
  bool bias = !m.act.isUnsigned;
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  auto copy = linalg::GenericOp::create(
      b, loc, type, act, emptyTensor(b, loc, type),
      ArrayRef<AffineMap>{AffineMap::get(rank, 0, exprs, ctx),
                          AffineMap::getMultiDimIdentityMap(rank, ctx)},
      iters, [&](OpBuilder &nb, Location nl, ValueRange a) {
        Value x = a[0];
        if (bias)
          x = arith::XOrIOp::create(nb, nl, x,
                                    scalarConst(nb, nl, nb.getI8Type(), -128));
        linalg::YieldOp::create(nb, nl, x);
      });
  // qcc-lower-int8-dot interleaves it with vector shuffles.
  if (vec)
    copy->setAttr("qcc.int8_pack", b.getUnitAttr());
  return copy.getResult(0);
}

/// The constant a tensor is filled with (through reshapes), or null.
static Value constantFill(Value v) {
  auto fill = throughReshapes(v).getDefiningOp<linalg::FillOp>();
  if (!fill || !fill.getInputs()[0].getDefiningOp<arith::ConstantOp>())
    return {};
  return fill.getInputs()[0];
}

static void rewrite(OpBuilder &b, DominanceInfo &dom, linalg::GenericOp op,
                    const Match &m, const Layout &l, StringRef isa) {
  MLIRContext *ctx = b.getContext();
  Location loc = op.getLoc();
  b.setInsertionPoint(op);
  AffineMap actMap = op.getIndexingMapsArray()[m.act.input];
  AffineMap wMap = op.getIndexingMapsArray()[m.weight.input];
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SmallVector<unsigned> actLoops = parallelLoops(op, actMap, l);
  SmallVector<unsigned> wLoops = parallelLoops(op, wMap, l);

  Value actPacked = packActivation(b, loc, op, m, l, actLoops);
  SmallVector<int64_t> sums;
  ElementsAttr wData = packWeights(op, m, l, wLoops, !l.vecIsAct, sums);
  Value wPacked = arith::ConstantOp::create(b, loc, cast<TypedAttr>(wData));

  // New loops: the parallel loops in their order, then k4 and j.
  auto iters = op.getIteratorTypesArray();
  SmallVector<int64_t> newPos(iters.size(), -1);
  unsigned P = 0;
  for (unsigned d = 0; d < iters.size(); ++d)
    if (iters[d] == utils::IteratorType::parallel)
      newPos[d] = P++;
  auto dim = [&](unsigned oldLoop) {
    return getAffineDimExpr(newPos[oldLoop], ctx);
  };
  AffineExpr k4 = getAffineDimExpr(P, ctx), j = getAffineDimExpr(P + 1, ctx);
  auto operandMap = [&](ArrayRef<unsigned> loops, bool vec) {
    SmallVector<AffineExpr> exprs;
    for (unsigned d : loops)
      exprs.push_back(dim(d));
    exprs.push_back(k4);
    if (vec)
      exprs.push_back(dim(l.vecLoop));
    exprs.push_back(j);
    return AffineMap::get(P + 2, 0, exprs, ctx);
  };
  SmallVector<AffineExpr> outExprs;
  for (AffineExpr e : outMap.getResults())
    outExprs.push_back(dim(cast<AffineDimExpr>(e).getPosition()));

  // The zero-point term joins the accumulator's initial value. A constant
  // initial value (a convolution's zero fill) is folded in: the generic
  // that then reads no accumulator (`qcc.int8_prologue`) is computed in
  // the kernel's registers, never stored.
  Value init = op.getDpsInitOperand(0)->get();
  Value fillValue = constantFill(init);
  int64_t zp = m.act.zeroPoint + (m.act.isUnsigned ? 0 : 128);
  auto initType = cast<RankedTensorType>(init.getType());
  unsigned rank = initType.getRank();
  SmallVector<utils::IteratorType> all(rank, utils::IteratorType::parallel);
  if (zp == 0 && !m.act.zeroPointInput && fillValue) {
    init = linalg::GenericOp::create(
               b, loc, initType, ValueRange{}, emptyTensor(b, loc, initType),
               AffineMap::getMultiDimIdentityMap(rank, ctx), all,
               [&](OpBuilder &nb, Location nl, ValueRange) {
                 linalg::YieldOp::create(nb, nl, fillValue);
               })
               .getResult(0);
    init.getDefiningOp()->setAttr("qcc.int8_prologue", b.getUnitAttr());
  } else if (zp != 0 || m.act.zeroPointInput) {
    SmallVector<unsigned> sumLoops(wLoops);
    if (!l.vecIsAct) {
      sumLoops.push_back(l.vecLoop);
      llvm::sort(sumLoops);
    }
    SmallVector<int64_t> sumShape;
    SmallVector<AffineExpr> sumExprs;
    for (unsigned d : sumLoops) {
      sumShape.push_back(l.ranges[d]);
      unsigned outDim =
          llvm::find_if(outMap.getResults(),
                        [&](AffineExpr e) {
                          return cast<AffineDimExpr>(e).getPosition() == d;
                        }) -
          outMap.getResults().begin();
      sumExprs.push_back(getAffineDimExpr(outDim, ctx));
    }
    // A constant zero point folds into the term; a run-time one (with the
    // int8 bias) multiplies the weight sums in the loop below.
    std::optional<unsigned> zpArg = m.act.zeroPointInput;
    SmallVector<int32_t> terms;
    for (int64_t s : sums)
      terms.push_back((int32_t)(uint32_t)(uint64_t)(zpArg ? s : -zp * s));
    auto termType = RankedTensorType::get(sumShape, b.getI32Type());
    Value termConst = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(termType, ArrayRef<int32_t>(terms)));
    SmallVector<Value> ins{termConst};
    SmallVector<AffineMap> maps{AffineMap::get(rank, 0, sumExprs, ctx)};
    if (!fillValue) {
      ins.insert(ins.begin(), init);
      maps.insert(maps.begin(), AffineMap::getMultiDimIdentityMap(rank, ctx));
    }
    if (zpArg) {
      ins.push_back(op->getOperand(*zpArg));
      maps.push_back(AffineMap::get(rank, 0, {}, ctx));
    }
    maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
    bool zpUnsigned = m.act.zeroPointUnsigned;
    int64_t bias = zp;
    init =
        linalg::GenericOp::create(
            b, loc, initType, ins, emptyTensor(b, loc, initType), maps, all,
            [&](OpBuilder &nb, Location nl, ValueRange a) {
              // a: [accumulator,] term[, zero point]
              Value acc = fillValue ? fillValue : a[0];
              ValueRange rest = a.drop_front(fillValue ? 0 : 1);
              Value r;
              if (zpArg) {
                Type i32 = nb.getI32Type();
                Value z =
                    zpUnsigned
                        ? (Value)arith::ExtUIOp::create(nb, nl, i32, rest[1])
                        : (Value)arith::ExtSIOp::create(nb, nl, i32, rest[1]);
                if (bias)
                  z = arith::AddIOp::create(nb, nl, z,
                                            scalarConst(nb, nl, i32, bias));
                r = arith::SubIOp::create(
                    nb, nl, acc, arith::MulIOp::create(nb, nl, z, rest[0]));
              } else {
                r = arith::AddIOp::create(nb, nl, acc, rest[0]);
              }
              linalg::YieldOp::create(nb, nl, r);
            })
            .getResult(0);
    if (fillValue)
      init.getDefiningOp()->setAttr("qcc.int8_prologue", b.getUnitAttr());
  }

  SmallVector<utils::IteratorType> newIters(P, utils::IteratorType::parallel);
  newIters.push_back(utils::IteratorType::reduction);
  newIters.push_back(utils::IteratorType::reduction);
  auto dot = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{actPacked, wPacked}, init,
      ArrayRef<AffineMap>{operandMap(actLoops, l.vecIsAct),
                          operandMap(wLoops, !l.vecIsAct),
                          AffineMap::get(P + 2, 0, outExprs, ctx)},
      newIters, [](OpBuilder &nb, Location nl, ValueRange a) {
        Type i32 = nb.getI32Type();
        Value x = arith::ExtUIOp::create(nb, nl, i32, a[0]);
        Value w = arith::ExtSIOp::create(nb, nl, i32, a[1]);
        Value r = arith::AddIOp::create(nb, nl, a[2],
                                        arith::MulIOp::create(nb, nl, x, w));
        linalg::YieldOp::create(nb, nl, r);
      });
  dot->setAttr("qcc.int8_dot", StringAttr::get(ctx, isa));
  op->getResult(0).replaceAllUsesWith(dot.getResult(0));
  op->erase();
  qcc::markEpilogue(b, dom, dot);
}

namespace {
struct PackInt8ContractionsPass
    : qcc::impl::PackInt8ContractionsBase<PackInt8ContractionsPass> {
  using Base::Base;
  void runOnOperation() override {
    if (isa != "x86-avx512-vnni") {
      getOperation()->emitError("qcc-pack-int8-contractions: unknown isa '")
          << isa << "' (supported: x86-avx512-vnni)";
      return signalPassFailure();
    }
    SmallVector<linalg::GenericOp> ops;
    getOperation()->walk([&](linalg::GenericOp op) { ops.push_back(op); });
    OpBuilder b(&getContext());
    DominanceInfo dom(getOperation());
    for (linalg::GenericOp op : ops) {
      if (op->hasAttr("qcc.int8_dot"))
        continue;
      std::optional<Match> m = matchBody(op);
      if (!m)
        continue;
      std::optional<Layout> l = analyze(op, *m, minVector);
      if (!l)
        continue;
      rewrite(b, dom, op, *m, *l, isa);
    }
  }
};
} // namespace
