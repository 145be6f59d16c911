//===- FuseWeightGemv.cpp - GEMVs that unpack their weights in registers --===//
//
// A weight-only model's MatMul reads float weights that an elementwise
// generic computes from packed constants (w8/w4/w3/w2, f16, groups or
// channels, zero points or not). With few rows (decoding), writing those
// floats to memory and reading them back costs more than the product:
// this pass computes the producer's body on vectors where the product
// reads each weight, straight from the packed bytes, so the float weights
// never exist in memory and the model's workspace holds none.
//
// The kernel walks the producer's iteration space: each tile is `u`
// chunks of 16 consecutive producer columns (its innermost dim) for every
// value of the producer's other column dims (the nibble or crumb of a
// packed byte), so one load of packed bytes serves all of them after CSE.
// The reduction runs in groups when the producer reads its scales per
// group (`k floordiv G`): the group's scales and zero points are then
// loop-invariant in the inner loop and hoisted. Each output element gets
// the same scalar operations in the same order as the unfused contraction
// (dequantize, multiply, add in k order): results are bit-identical.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Codegen/CPU/Passes.h"
#include "qcc/Codegen/Common/IntegerContraction.h"
#include "qcc/Codegen/Common/LinalgUtils.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

#include <cstring>
#include <numeric>

namespace qcc {
#define GEN_PASS_DEF_FUSEWEIGHTGEMV
#include "qcc/Codegen/CPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

namespace {

/// f32 lanes of one 512-bit vector.
constexpr int64_t kLanes = 16;
/// Accumulator vectors a tile keeps in registers (of 32).
constexpr int64_t kMaxAccumulators = 16;

/// A contraction `out[rows, n] += x[rows, k] * w[k, n]` whose `w` an
/// elementwise producer computes from constants.
struct WeightGemv {
  linalg::GenericOp op, producer;
  unsigned xInput, wInput;
  unsigned kLoop, nLoop;
  SmallVector<unsigned> rowLoops;
  SmallVector<int64_t> ranges; ///< the contraction's loop extents
  int64_t rows = 1;
  /// The producer's dim along K, and its dims along N (outer to inner; the
  /// innermost is the vector lane dim).
  unsigned pk;
  SmallVector<unsigned> nDims;
  SmallVector<int64_t> pRanges;
  int64_t group = 1; ///< K splits into groups of this many
  /// Per producer input: read in column tiles (`[tile, ..., lane]`), its
  /// data repacked at compile time so that a tile's reads are contiguous.
  SmallVector<bool> tiled;
  int64_t combos = 1, unroll = 1;
  bool xIsMulLhs = true, outIsAddLhs = true;
  /// The producer is `w = f * s` with s fixed within a group (`affine`):
  /// unless exact results are asked for, the kernel sums x * f per group
  /// and multiplies by s once per group.
  bool affine = false;
  Value q, scale; ///< f and s, in the producer's body
  Operation *scaled = nullptr;
};

/// The loop `e` is, when it is a plain dim.
std::optional<unsigned> dimOf(AffineExpr e) {
  if (auto d = dyn_cast<AffineDimExpr>(e))
    return d.getPosition();
  return std::nullopt;
}

/// Whether `e` reads a run along dim `lane`: it is free of it, or is
/// `lane + (an expression free of it)`.
bool contiguousAlong(AffineExpr e, unsigned lane, unsigned numDims) {
  if (!e.isFunctionOfDim(lane))
    return true;
  MLIRContext *ctx = e.getContext();
  AffineExpr d = getAffineDimExpr(lane, ctx);
  AffineExpr rest = e.replace(d, getAffineConstantExpr(0, ctx));
  return simplifyAffineExpr(e - rest, numDims, 0) == d;
}

/// The divisors `c` of `(dim floordiv c)` and `(dim mod c)` in `e`.
void divisorsOf(AffineExpr e, unsigned dim, SmallVectorImpl<int64_t> &out) {
  e.walk([&](AffineExpr sub) {
    auto bin = dyn_cast<AffineBinaryOpExpr>(sub);
    if (!bin || (sub.getKind() != AffineExprKind::FloorDiv &&
                 sub.getKind() != AffineExprKind::Mod))
      return;
    auto c = dyn_cast<AffineConstantExpr>(bin.getRHS());
    if (c && bin.getLHS().isFunctionOfDim(dim) && c.getValue() > 0)
      out.push_back(c.getValue());
  });
}

/// `e` with `kk floordiv c` as 0 and `kk mod c` as kk, for kk in [0, g)
/// and g <= c.
AffineExpr withinGroup(AffineExpr e, AffineExpr kk, int64_t g) {
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin)
    return e;
  AffineExpr lhs = withinGroup(bin.getLHS(), kk, g);
  AffineExpr rhs = withinGroup(bin.getRHS(), kk, g);
  auto c = dyn_cast<AffineConstantExpr>(rhs);
  switch (e.getKind()) {
  case AffineExprKind::Add:
    return lhs + rhs;
  case AffineExprKind::Mul:
    return lhs * rhs;
  case AffineExprKind::FloorDiv:
    if (lhs == kk && c && g <= c.getValue())
      return getAffineConstantExpr(0, e.getContext());
    return lhs.floorDiv(rhs);
  case AffineExprKind::CeilDiv:
    return lhs.ceilDiv(rhs);
  case AffineExprKind::Mod:
    if (lhs == kk && c && g <= c.getValue())
      return lhs;
    return lhs % rhs;
  default:
    return e;
  }
}

/// Whether `map` (over the producer's loops) reads the same element for
/// every k of a group: k only as `k floordiv group`.
/// `e` (over `numDims` producer dims) with dim `pk` as `g * group + kk`,
/// g and kk two more dims (numDims, numDims + 1) and kk in [0, group):
/// an expression of g alone when `e` reads k only per group.
AffineExpr inGroupCoordinates(AffineExpr e, unsigned pk, int64_t group,
                              unsigned numDims) {
  MLIRContext *ctx = e.getContext();
  AffineExpr kk = getAffineDimExpr(numDims + 1, ctx);
  AffineExpr k = getAffineDimExpr(numDims, ctx) * group + kk;
  e = simplifyAffineExpr(e.replace(getAffineDimExpr(pk, ctx), k), numDims + 2,
                         0);
  return simplifyAffineExpr(withinGroup(e, kk, group), numDims + 2, 0);
}

bool groupInvariant(AffineMap map, unsigned pk, int64_t group) {
  unsigned n = map.getNumDims();
  return llvm::none_of(map.getResults(), [&](AffineExpr e) {
    return inGroupCoordinates(e, pk, group, n).isFunctionOfDim(n + 1);
  });
}

/// Whether body value `v` of `p` is fixed within a group: computed from
/// group-invariant inputs, constants and the column indices only.
bool fixedInGroup(linalg::GenericOp p, Value v, unsigned pk, int64_t group) {
  if (auto arg = dyn_cast<BlockArgument>(v))
    return arg.getOwner() != p.getBody() ||
           (arg.getArgNumber() < p.getNumDpsInputs() &&
            groupInvariant(p.getIndexingMapsArray()[arg.getArgNumber()], pk,
                           group));
  Operation *def = v.getDefiningOp();
  if (!def || def->getBlock() != p.getBody())
    return true;
  if (auto index = dyn_cast<linalg::IndexOp>(def))
    return index.getDim() != pk;
  return llvm::all_of(def->getOperands(), [&](Value operand) {
    return fixedInGroup(p, operand, pk, group);
  });
}

/// Recognizes `yield f * s` (either order) with s fixed within a group and
/// f = sitofp(an integer that is not): the integer weight formats' `(q -
/// z) * s`. f, exact in f32 for 8 bits and fewer, is what the kernel sums.
void matchAffineDequantization(WeightGemv &g) {
  linalg::GenericOp p = g.producer;
  Value y = p.getBody()->getTerminator()->getOperand(0);
  auto mul = y.getDefiningOp<arith::MulFOp>();
  if (!mul || !mul->hasOneUse())
    return;
  for (int swap = 0; swap < 2; ++swap) {
    Value f = mul->getOperand(swap), s = mul->getOperand(1 - swap);
    auto toFloat = f.getDefiningOp<arith::SIToFPOp>();
    if (!toFloat || !toFloat->hasOneUse() ||
        toFloat.getIn().getType().getIntOrFloatBitWidth() > 32 ||
        !fixedInGroup(p, s, g.pk, g.group) ||
        fixedInGroup(p, f, g.pk, g.group))
      continue;
    g.affine = true;
    g.q = f;
    g.scale = s;
    g.scaled = mul;
    return;
  }
}

/// The producer of `v` this pass fuses: an all-parallel generic writing a
/// fresh tensor from constants only, read only by the contraction (through
/// at most one collapse_shape).
linalg::GenericOp weightProducer(Value v, tensor::CollapseShapeOp &collapse) {
  collapse = v.getDefiningOp<tensor::CollapseShapeOp>();
  if (collapse) {
    if (!collapse->hasOneUse())
      return {};
    v = collapse.getSrc();
  }
  auto producer = v.getDefiningOp<linalg::GenericOp>();
  if (!producer || !producer->hasOneUse() || producer.getNumDpsInits() != 1 ||
      !producer.hasPureTensorSemantics() ||
      producer.getNumParallelLoops() != producer.getNumLoops() ||
      !producer.getIndexingMapsArray().back().isIdentity() ||
      !producer.getDpsInitOperand(0)->get().getDefiningOp<tensor::EmptyOp>() ||
      llvm::any_of(producer.getStaticLoopRanges(), ShapedType::isDynamic))
    return {};
  for (OpOperand *in : producer.getDpsInputOperands())
    if (!matchPattern(in->get(), m_Constant()))
      return {};
  for (Operation &inner : producer.getBody()->without_terminator())
    if (!isa<linalg::IndexOp>(inner) && !qcc::isLanewiseBodyOp(inner))
      return {};
  return producer;
}

std::optional<WeightGemv> match(linalg::GenericOp op, int64_t maxRows,
                                bool exact) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() || op.getNumReductionLoops() != 1 ||
      !getElementTypeOrSelf(op.getDpsInitOperand(0)->get()).isF32())
    return std::nullopt;
  WeightGemv g;
  g.op = op;
  g.ranges = op.getStaticLoopRanges();
  if (llvm::any_of(g.ranges, ShapedType::isDynamic))
    return std::nullopt;
  // `yield out + x * w`, nothing else.
  arith::MulFOp mul = qcc::accumulatedFloatProduct(op);
  Block *body = op.getBody();
  if (!mul || std::distance(body->begin(), body->end()) != 3)
    return std::nullopt;
  auto lhs = dyn_cast<BlockArgument>(mul.getLhs());
  auto rhs = dyn_cast<BlockArgument>(mul.getRhs());
  if (!lhs || !rhs || lhs.getOwner() != body || rhs.getOwner() != body ||
      lhs.getArgNumber() >= 2 || rhs.getArgNumber() >= 2 || lhs == rhs)
    return std::nullopt;
  auto add = cast<arith::AddFOp>(*mul->getUsers().begin());
  g.outIsAddLhs = add.getLhs() == body->getArgument(2);

  tensor::CollapseShapeOp collapse;
  for (unsigned i = 0; i < 2 && !g.producer; ++i) {
    g.producer = weightProducer(op.getDpsInputOperand(i)->get(), collapse);
    g.wInput = i;
  }
  if (!g.producer)
    return std::nullopt;
  g.xInput = 1 - g.wInput;
  g.xIsMulLhs = lhs.getArgNumber() == g.xInput;

  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  for (unsigned l = 0; l < g.ranges.size(); ++l)
    if (op.getIteratorTypesArray()[l] == utils::IteratorType::reduction)
      g.kLoop = l;
  // w[k, n] (either order), each a loop.
  AffineMap wMap = maps[g.wInput];
  if (wMap.getNumResults() != 2)
    return std::nullopt;
  std::optional<unsigned> w0 = dimOf(wMap.getResult(0)),
                          w1 = dimOf(wMap.getResult(1));
  if (!w0 || !w1 || (*w0 != g.kLoop && *w1 != g.kLoop) || *w0 == *w1)
    return std::nullopt;
  unsigned bK = *w0 == g.kLoop ? 0 : 1;
  g.nLoop = bK == 0 ? *w1 : *w0;
  for (unsigned l = 0; l < g.ranges.size(); ++l)
    if (l != g.kLoop && l != g.nLoop) {
      g.rowLoops.push_back(l);
      g.rows *= g.ranges[l];
    }
  if (g.rows > maxRows)
    return std::nullopt;
  // x reads rows and k; out reads rows and n: plain loops each.
  for (AffineExpr e : maps[g.xInput].getResults()) {
    std::optional<unsigned> d = dimOf(e);
    if (!d || *d == g.nLoop)
      return std::nullopt;
  }
  for (AffineExpr e : maps[2].getResults()) {
    std::optional<unsigned> d = dimOf(e);
    if (!d || *d == g.kLoop)
      return std::nullopt;
  }
  // Vectors run along the output's innermost dim.
  if (dimOf(maps[2].getResults().back()) != g.nLoop)
    return std::nullopt;
  if (!maps[g.xInput].isFunctionOfDim(g.kLoop))
    return std::nullopt;

  // The producer's dims along K and N.
  g.pRanges = g.producer.getStaticLoopRanges();
  SmallVector<ReassociationIndices> groups;
  if (collapse)
    groups = collapse.getReassociationIndices();
  else
    groups = {{0}, {1}};
  if (groups.size() != 2 || groups[bK].size() != 1)
    return std::nullopt;
  g.pk = groups[bK][0];
  g.nDims.assign(groups[1 - bK].begin(), groups[1 - bK].end());
  unsigned lane = g.nDims.back();
  int64_t laneExtent = g.pRanges[lane];
  if (laneExtent % kLanes != 0)
    return std::nullopt;
  for (unsigned d : ArrayRef<unsigned>(g.nDims).drop_back())
    g.combos *= g.pRanges[d];
  if (g.combos * g.rows > kMaxAccumulators)
    return std::nullopt;
  // Every producer input reads a run along the lane dim (or one value).
  unsigned numDims = g.producer.getNumLoops();
  SmallVector<int64_t> divisors;
  for (OpOperand *in : g.producer.getDpsInputOperands()) {
    AffineMap map = g.producer.getMatchingIndexingMap(in);
    for (auto [r, e] : llvm::enumerate(map.getResults()))
      if (e.isFunctionOfDim(lane) &&
          (r + 1 != map.getNumResults() || !contiguousAlong(e, lane, numDims)))
        return std::nullopt;
    for (AffineExpr e : map.getResults())
      divisorsOf(e, g.pk, divisors);
  }
  // Groups: the scales' `k floordiv G`, when it divides K.
  int64_t K = g.pRanges[g.pk];
  g.group = K;
  if (!divisors.empty()) {
    int64_t l = 1;
    for (int64_t c : divisors)
      l = std::lcm(l, c);
    if (K % l == 0)
      g.group = l;
  }
  // More independent accumulators per row where they fit.
  for (int64_t u : {4, 2})
    if (g.combos * u <= 4 && laneExtent % (kLanes * u) == 0 &&
        g.rows * g.combos * u <= kMaxAccumulators) {
      g.unroll = u;
      break;
    }
  // Inputs indexed [..., lane] (the packed weights) are stored tile by
  // tile: a row-major [K, N] would make each tile read a few bytes of
  // every row, one page apart.
  for (OpOperand *in : g.producer.getDpsInputOperands()) {
    AffineMap map = g.producer.getMatchingIndexingMap(in);
    ElementsAttr attr = matchWeight(in->get());
    std::optional<WeightData> data = getWeightData(attr);
    bool tiled = map.getNumResults() > 0 &&
                 map.getResults().back() == getAffineDimExpr(lane, map.getContext()) &&
                 in->get().hasOneUse() && data && !data->splat &&
                 data->type.getElementTypeBitWidth() % 8 == 0 &&
                 data->type.getShape().back() == laneExtent;
    for (AffineExpr e : map.getResults().drop_back())
      tiled = tiled && !e.isFunctionOfDim(lane);
    g.tiled.push_back(tiled);
  }
  if (!exact)
    matchAffineDequantization(g);
  return g;
}

/// Emits the fused kernel of `g` in place of its contraction.
class KernelBuilder {
public:
  KernelBuilder(RewriterBase &rewriter, const WeightGemv &g)
      : b(rewriter), g(g), loc(g.op->getLoc()), f32(b.getF32Type()),
        vecType(VectorType::get({kLanes}, f32)) {}

  Value build();

private:
  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  /// The row loops' values of row `m` (row-major in rowLoops order).
  SmallVector<int64_t> rowValues(int64_t m) const;
  /// Indices of `map` (over the contraction's loops) with the given loop
  /// values (`kValue` for k, `nValue` for n, constants for rows).
  SmallVector<Value> indices(AffineMap map, int64_t m, Value kValue,
                             Value nValue);
  /// The producer's output at (k = g*G + kk, the combo's outer N dims,
  /// lanes from `laneBase`) as a vector.
  /// The producer's body at (k = g*G + kk, the combo's outer N dims, the
  /// tile's lanes from `laneOffset`) on vectors; the mapping of its values.
  IRMapping producerBody(Value group, Value kk, ArrayRef<int64_t> combo,
                         Value tile, int64_t laneOffset);
  Value splat(Value v) {
    return vector::BroadcastOp::create(
        b, loc, VectorType::get({kLanes}, v.getType()), v);
  }
  /// The body value `v` in `map` (splat when it comes from outside).
  Value lookup(IRMapping &map, Value v) {
    return map.contains(v) ? map.lookup(v) : splat(v);
  }
  /// `data` ([..., N]) as [N / tileCols, ..., tileCols].
  Value tiledConstant(ElementsAttr attr);

  /// The producer's inputs as the kernel reads them (tiled or not).
  SmallVector<Value> inputs;
  /// One group of the reduction, from the accumulators `acc`: each weight
  /// dequantized, multiplied and added as the unfused contraction does.
  SmallVector<Value> exactGroup(Value gi, Value tile, ValueRange acc);
  /// One group of the affine form: sums of x * q and of x, then the
  /// group's scale and zero point applied once.
  SmallVector<Value> affineGroup(Value gi, Value tile, ValueRange acc);
  /// k = gi * G + kk.
  Value kIndex(Value gi, Value kk) {
    return affine::AffineApplyOp::create(
        b, loc,
        AffineMap::get(2, 0, b.getAffineDimExpr(0) * g.group +
                                 b.getAffineDimExpr(1)),
        ValueRange{gi, kk});
  }
  /// x[row m, k] as a scalar.
  Value xAt(int64_t m, Value k) {
    linalg::GenericOp op = g.op;
    return tensor::ExtractOp::create(
        b, loc, op.getDpsInputOperand(g.xInput)->get(),
        indices(op.getIndexingMapsArray()[g.xInput], m, k, Value()));
  }
  int64_t accIndex(int64_t m, int64_t c, int64_t u) const {
    return (m * g.combos + c) * g.unroll + u;
  }
  /// The outer N dims' values of each combo (row-major).
  SmallVector<SmallVector<int64_t>> combos;

  RewriterBase &b;
  const WeightGemv &g;
  Location loc;
  Type f32;
  VectorType vecType;
};

SmallVector<int64_t> KernelBuilder::rowValues(int64_t m) const {
  SmallVector<int64_t> values(g.rowLoops.size());
  for (int64_t i = g.rowLoops.size() - 1; i >= 0; --i) {
    int64_t extent = g.ranges[g.rowLoops[i]];
    values[i] = m % extent;
    m /= extent;
  }
  return values;
}

SmallVector<Value> KernelBuilder::indices(AffineMap map, int64_t m,
                                          Value kValue, Value nValue) {
  SmallVector<int64_t> rows = rowValues(m);
  SmallVector<Value> result;
  for (AffineExpr e : map.getResults()) {
    unsigned d = *dimOf(e);
    if (d == g.kLoop)
      result.push_back(kValue);
    else if (d == g.nLoop)
      result.push_back(nValue);
    else
      result.push_back(idx(rows[llvm::find(g.rowLoops, d) - g.rowLoops.begin()]));
  }
  return result;
}

Value KernelBuilder::tiledConstant(ElementsAttr attr) {
  std::optional<WeightData> data = getWeightData(attr);
  ArrayRef<int64_t> shape = data->type.getShape();
  int64_t cols = kLanes * g.unroll, n = shape.back();
  int64_t rows = data->type.getNumElements() / n;
  int64_t bytes = data->type.getElementTypeBitWidth() / 8;
  ArrayRef<char> raw = data->raw;
  WeightBuffer out(raw.size());
  // Whole tile rows at a time: `cols` contiguous elements per memcpy.
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < n; c += cols) {
      int64_t span = std::min(cols, n - c);
      std::memcpy(out.data() + (((c / cols) * rows + r) * cols) * bytes,
                  &raw[(r * n + c) * bytes], span * bytes);
    }
  SmallVector<int64_t> tiledShape{n / cols};
  tiledShape.append(shape.begin(), shape.end() - 1);
  tiledShape.push_back(cols);
  auto type = RankedTensorType::get(tiledShape, data->type.getElementType());
  return arith::ConstantOp::create(
      b, loc,
      cast<TypedAttr>(makeWeight(type, std::move(out), isResourceWeight(attr),
                                 "tiled")));
}

IRMapping KernelBuilder::producerBody(Value group, Value kk,
                                     ArrayRef<int64_t> combo, Value tile,
                                     int64_t laneOffset) {
  Value laneBase = arith::AddIOp::create(
      b, loc,
      arith::MulIOp::create(b, loc, tile, idx(kLanes * g.unroll)),
      idx(laneOffset));
  linalg::GenericOp p = g.producer;
  MLIRContext *ctx = b.getContext();
  unsigned numDims = p.getNumLoops(), lane = g.nDims.back();
  // Producer dim values: k split as (group, kk); outer N dims constants.
  SmallVector<Value> operands(numDims);
  SmallVector<Value> dimValues(numDims);
  operands[g.pk] = idx(0);
  for (auto [i, d] : llvm::enumerate(ArrayRef<unsigned>(g.nDims).drop_back()))
    operands[d] = dimValues[d] = idx(combo[i]);
  operands[lane] = dimValues[lane] = laneBase;
  operands.push_back(group);
  operands.push_back(kk);
  auto apply = [&](AffineExpr e) -> Value {
    e = inGroupCoordinates(e, g.pk, g.group, numDims);
    // Composed and folded: unused dims and constant operands go, so equal
    // indices are one value (CSE) and group-invariant ones leave the
    // inner loop.
    return getValueOrCreateConstantIndexOp(
        b, loc,
        affine::makeComposedFoldedAffineApply(
            b, loc, AffineMap::get(numDims + 2, 0, e),
            getAsOpFoldResult(operands)));
  };
  dimValues[g.pk] = apply(getAffineDimExpr(g.pk, ctx));

  IRMapping map;
  Block *body = p.getBody();
  for (OpOperand *in : p.getDpsInputOperands()) {
    unsigned i = in->getOperandNumber();
    AffineMap inMap = p.getMatchingIndexingMap(in);
    SmallVector<Value> at;
    if (g.tiled[i]) {
      at.push_back(tile);
      for (AffineExpr e : inMap.getResults().drop_back())
        at.push_back(apply(e));
      at.push_back(idx(laneOffset));
    } else {
      for (AffineExpr e : inMap.getResults())
        at.push_back(apply(e));
    }
    Value arg = body->getArgument(i);
    Type element = getElementTypeOrSelf(in->get());
    if (inMap.isFunctionOfDim(lane)) {
      Value pad = ub::PoisonOp::create(b, loc, element);
      map.map(arg, vector::TransferReadOp::create(
                       b, loc, VectorType::get({kLanes}, element), inputs[i],
                       at, pad, ArrayRef<bool>{true}));
    } else {
      map.map(arg, splat(tensor::ExtractOp::create(b, loc, inputs[i], at)));
    }
  }
  SmallVector<Operation *> ops;
  for (Operation &inner : body->without_terminator()) {
    auto index = dyn_cast<linalg::IndexOp>(inner);
    if (!index) {
      // The affine form scales once per group instead.
      if (!g.affine || &inner != g.scaled)
        ops.push_back(&inner);
      continue;
    }
    unsigned d = index.getDim();
    Value v = splat(dimValues[d]);
    if (d == lane)
      v = arith::AddIOp::create(
          b, loc, v,
          vector::StepOp::create(
              b, loc, VectorType::get({kLanes}, b.getIndexType())));
    map.map(index.getResult(), v);
  }
  qcc::cloneOnVectors(b, loc, ops, map, kLanes);
  return map;
}

SmallVector<Value> KernelBuilder::exactGroup(Value gi, Value tile,
                                             ValueRange acc) {
  auto inner = scf::ForOp::create(
      b, loc, idx(0), idx(g.group), idx(1), acc,
      [&](OpBuilder &, Location, Value kk, ValueRange kAcc) {
        Value k = kIndex(gi, kk);
        Value yielded =
            linalg::GenericOp(g.producer).getBody()->getTerminator()->getOperand(0);
        SmallVector<Value> w(g.combos * g.unroll);
        for (int64_t c = 0; c < g.combos; ++c)
          for (int64_t u = 0; u < g.unroll; ++u) {
            IRMapping body = producerBody(gi, kk, combos[c], tile, u * kLanes);
            w[c * g.unroll + u] = lookup(body, yielded);
          }
        SmallVector<Value> next(kAcc);
        for (int64_t m = 0; m < g.rows; ++m) {
          Value xv = splat(xAt(m, k));
          for (int64_t c = 0; c < g.combos; ++c)
            for (int64_t u = 0; u < g.unroll; ++u) {
              Value wv = w[c * g.unroll + u];
              Value prod = g.xIsMulLhs ? arith::MulFOp::create(b, loc, xv, wv)
                                       : arith::MulFOp::create(b, loc, wv, xv);
              Value &a = next[accIndex(m, c, u)];
              a = g.outIsAddLhs ? arith::AddFOp::create(b, loc, a, prod)
                                : arith::AddFOp::create(b, loc, prod, a);
            }
        }
        scf::YieldOp::create(b, loc, next);
      });
  return SmallVector<Value>(inner.getResults());
}

SmallVector<Value> KernelBuilder::affineGroup(Value gi, Value tile,
                                              ValueRange acc) {
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  SmallVector<Value> init(acc.size(), splat(zero));
  auto inner = scf::ForOp::create(
      b, loc, idx(0), idx(g.group), idx(1), init,
      [&](OpBuilder &, Location, Value kk, ValueRange kAcc) {
        Value k = kIndex(gi, kk);
        SmallVector<Value> f(g.combos * g.unroll);
        for (int64_t c = 0; c < g.combos; ++c)
          for (int64_t u = 0; u < g.unroll; ++u) {
            IRMapping body = producerBody(gi, kk, combos[c], tile, u * kLanes);
            f[c * g.unroll + u] = lookup(body, g.q);
          }
        SmallVector<Value> next(kAcc);
        for (int64_t m = 0; m < g.rows; ++m) {
          Value xv = splat(xAt(m, k));
          for (int64_t c = 0; c < g.combos; ++c)
            for (int64_t u = 0; u < g.unroll; ++u) {
              Value &a = next[accIndex(m, c, u)];
              a = math::FmaOp::create(b, loc, xv, f[c * g.unroll + u], a);
            }
        }
        scf::YieldOp::create(b, loc, next);
      });
  // sum_k x_k (f_k s) = s * sum_k x_k f_k: the scale once per group.
  SmallVector<Value> out(acc);
  for (int64_t c = 0; c < g.combos; ++c)
    for (int64_t u = 0; u < g.unroll; ++u) {
      IRMapping fixed = producerBody(gi, idx(0), combos[c], tile, u * kLanes);
      Value scale = lookup(fixed, g.scale);
      for (int64_t m = 0; m < g.rows; ++m) {
        Value &a = out[accIndex(m, c, u)];
        a = math::FmaOp::create(b, loc, inner.getResult(accIndex(m, c, u)),
                                scale, a);
      }
    }
  return out;
}

Value KernelBuilder::build() {
  linalg::GenericOp op = g.op;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  Value init = op.getDpsInitOperand(0)->get();
  Value fillValue;
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    fillValue = fill.getInputs()[0];
  unsigned lane = g.nDims.back();
  int64_t laneExtent = g.pRanges[lane];
  int64_t tileCols = kLanes * g.unroll;
  int64_t K = g.pRanges[g.pk];
  for (int64_t c = 0; c < g.combos; ++c) {
    SmallVector<int64_t> combo(g.nDims.size() - 1);
    int64_t rest = c;
    for (int64_t i = combo.size() - 1; i >= 0; --i) {
      combo[i] = rest % g.pRanges[g.nDims[i]];
      rest /= g.pRanges[g.nDims[i]];
    }
    combos.push_back(combo);
  }
  int64_t numAcc = g.rows * g.combos * g.unroll;
  for (OpOperand *in : linalg::GenericOp(g.producer).getDpsInputOperands()) {
    ElementsAttr data = matchWeight(in->get());
    inputs.push_back(g.tiled[in->getOperandNumber()] && data
                         ? tiledConstant(data)
                         : in->get());
  }
  // Tiles write disjoint columns: a parallel loop, which the CPU target
  // runs on the caller's threads (qcc-outline-parallel-loops).
  auto tiles = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(laneExtent / tileCols)},
      ValueRange{init}, std::nullopt);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(tiles.getTerminator());
    Value t = tiles.getInductionVar(0);
    Value out = tiles.getRegionIterArgs()[0];
    Value j0 = arith::MulIOp::create(b, loc, t, idx(tileCols));
    // The output column of combo c, chunk u.
    auto column = [&](int64_t c, int64_t u) -> Value {
      return arith::AddIOp::create(b, loc, j0,
                                   idx(c * laneExtent + u * kLanes));
    };
    SmallVector<Value> acc(numAcc);
    Value pad = ub::PoisonOp::create(b, loc, f32);
    for (int64_t m = 0; m < g.rows; ++m)
      for (int64_t c = 0; c < g.combos; ++c)
        for (int64_t u = 0; u < g.unroll; ++u)
          acc[accIndex(m, c, u)] =
              fillValue
                  ? vector::BroadcastOp::create(b, loc, vecType, fillValue)
                        .getResult()
                  : vector::TransferReadOp::create(
                        b, loc, vecType, out,
                        indices(maps[2], m, Value(), column(c, u)), pad,
                        ArrayRef<bool>{true})
                        .getResult();
    auto groups = scf::ForOp::create(
        b, loc, idx(0), idx(K / g.group), idx(1), acc,
        [&](OpBuilder &, Location, Value gi, ValueRange groupAcc) {
          scf::YieldOp::create(b, loc,
                               g.affine ? affineGroup(gi, t, groupAcc)
                                        : exactGroup(gi, t, groupAcc));
        });
    // Each row's columns of each combo: a slice of the output, written in
    // place (extract_slice of the shared output, parallel_insert_slice).
    unsigned rank = maps[2].getNumResults();
    for (int64_t m = 0; m < g.rows; ++m)
      for (int64_t c = 0; c < g.combos; ++c) {
        SmallVector<Value> at = indices(maps[2], m, Value(), column(c, 0));
        SmallVector<OpFoldResult> offsets = getAsOpFoldResult(at);
        SmallVector<OpFoldResult> sizes(rank, b.getIndexAttr(1));
        SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
        unsigned nPos = 0;
        for (auto [r, e] : llvm::enumerate(maps[2].getResults()))
          if (*dimOf(e) == g.nLoop)
            nPos = r;
        sizes[nPos] = b.getIndexAttr(tileCols);
        Value slice = tensor::ExtractSliceOp::create(b, loc, out, offsets,
                                                     sizes, strides);
        for (int64_t u = 0; u < g.unroll; ++u) {
          SmallVector<Value> within(rank, idx(0));
          within[nPos] = idx(u * kLanes);
          slice = vector::TransferWriteOp::create(
                      b, loc, groups.getResult(accIndex(m, c, u)), slice,
                      within, ArrayRef<bool>{true})
                      .getResult();
        }
        OpBuilder::InsertionGuard inParallel(b);
        b.setInsertionPointToEnd(tiles.getTerminator().getBody());
        tensor::ParallelInsertSliceOp::create(b, loc, slice, out, offsets,
                                              sizes, strides);
      }
  }
  return tiles.getResult(0);
}

/// Float weights stored as they are: read through an identity producer,
/// so that they stream tile by tile like packed ones. The producer is
/// removed again when the contraction does not match.
std::optional<WeightGemv> matchFloatWeightsImpl(linalg::GenericOp op,
                                                int64_t maxRows) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics())
    return std::nullopt;
  for (unsigned i = 0; i < 2; ++i) {
    OpOperand *in = op.getDpsInputOperand(i);
    std::optional<WeightData> data = getWeightData(matchWeight(in->get()));
    if (!data || data->splat || data->type.getRank() != 2 ||
        !data->type.getElementType().isF32())
      continue;
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(in->get().getType());
    Value empty = tensor::EmptyOp::create(b, loc, type.getShape(),
                                          type.getElementType());
    AffineMap id = b.getMultiDimIdentityMap(2);
    auto copy = linalg::GenericOp::create(
        b, loc, type, ValueRange{in->get()}, ValueRange{empty},
        ArrayRef<AffineMap>{id, id},
        SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
        [](OpBuilder &nb, Location nl, ValueRange args) {
          linalg::YieldOp::create(nb, nl, args[0]);
        });
    Value original = in->get();
    in->set(copy.getResult(0));
    if (auto g = match(op, maxRows, /*exact=*/true))
      return g;
    in->set(original);
    copy->erase();
    empty.getDefiningOp()->erase();
  }
  return std::nullopt;
}

struct FuseWeightGemvPass
    : qcc::impl::FuseWeightGemvBase<FuseWeightGemvPass> {
  using Base::Base;
  std::optional<WeightGemv> matchFloatWeights(linalg::GenericOp op) {
    return matchFloatWeightsImpl(op, maxRows);
  }
  void runOnOperation() override {
    std::vector<WeightGemv> found;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (auto g = match(op, maxRows, exact))
        found.push_back(*g);
      else if (auto g = matchFloatWeights(op))
        found.push_back(*g);
    });
    if (found.empty())
      return;
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> kernels;
    for (WeightGemv &g : found) {
      rewriter.setInsertionPoint(g.op);
      Value result = KernelBuilder(rewriter, g).build();
      kernels.push_back(result.getDefiningOp());
      // The producer and its reshape are left dead, for canonicalization.
      rewriter.replaceOp(g.op, result);
    }
    // One load of packed bytes for every nibble's weights, and each
    // group's scales and zero points read once per group.
    DominanceInfo dominance;
    eliminateCommonSubExpressions(rewriter, dominance, getOperation());
    for (Operation *kernel : kernels)
      kernel->walk([](LoopLikeOpInterface loop) { moveLoopInvariantCode(loop); });
  }
};

} // namespace
