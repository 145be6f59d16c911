//===- SinkDequantize.cpp - data movement on quantized values -------------===//
//
// Ops that only select or move elements commute exactly with a per-tensor
// DequantizeLinear (it is monotonic: max of dequantized values is the
// dequantized max): MaxPool(DQ(x)) = DQ(MaxPool(x)), and likewise Reshape,
// Transpose, Slice and nearest Resize. A QuantizeLinear of a Concat
// quantizes its inputs instead. Moving the DequantizeLinear below them keeps
// them on 8-bit data; a QuantizeLinear that then directly undoes a
// DequantizeLinear with the same scale and zero point disappears. A
// QuantizeLinear after such an op moves above it for the same reason
// (quantization is monotonic too). A MaxPool of a product with a
// non-negative per-channel factor pools first, so that its input can be
// such a DequantizeLinear.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantParams.h"

#include "mlir/IR/Matchers.h"

#include <algorithm>
#include <cmath>

namespace qcc {
#define GEN_PASS_DEF_SINKDEQUANTIZE
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

static bool isPerTensor(DequantizeLinearOp dq) {
  return dq.getBlockSize() == 0 &&
         perTensorParams(dq.getScale(), dq.getZeroPoint());
}

/// Ops that move or select elements of their one operand, exactly.
static bool isDataMovement(Operation *op) {
  if (!isa<MaxPoolOp, ReshapeOp, ResizeOp, TransposeOp, SliceOp>(op) ||
      op->getNumOperands() != 1)
    return false;
  auto resize = dyn_cast<ResizeOp>(op);
  return !resize || resize.getMode() == "nearest";
}

static bool isFiniteNonNegative(const APFloat &x) {
  return x.isFinite() && !x.isNegative();
}

/// Whether every element of `v` is a non-negative number: the result of a
/// gate (HardSigmoid, Sigmoid), Relu, Clip with a finite non-negative
/// minimum, or a finite constant (an infinite factor would turn 0 into NaN).
static bool isNonNegative(Value v) {
  Operation *def = v.getDefiningOp();
  if (!def)
    return false;
  if (isa<HardSigmoidOp, SigmoidOp, ReluOp>(def))
    return true;
  if (auto clip = dyn_cast<ClipOp>(def))
    return clip.getMin() && isFiniteNonNegative(*clip.getMin());
  ElementsAttr values = matchWeight(v);
  if (!values || !isa<FloatType>(values.getElementType()))
    return false;
  return llvm::all_of(weightFloats(values), [](float f) {
    return std::isfinite(f) && !std::signbit(f);
  });
}

/// MaxPool(x * g) -> MaxPool(x) * g when g >= 0 is constant over the pooled
/// (spatial) dims: multiplying by g is monotonic within each window, so the
/// largest product is the product of the largest element, bit for bit.
/// The pool then reads x, which may be a DequantizeLinear, and the product
/// covers the pooled elements only.
static bool poolBeforeScale(MaxPoolOp pool) {
  auto mul = pool.getInput().getDefiningOp<MulOp>();
  if (!mul || !mul->hasOneUse())
    return false;
  auto inType = cast<RankedTensorType>(pool.getInput().getType());
  auto outType = cast<RankedTensorType>(pool.getType());
  for (auto [x, g] : {std::pair(mul.getLhs(), mul.getRhs()),
                      std::pair(mul.getRhs(), mul.getLhs())}) {
    auto gType = cast<RankedTensorType>(g.getType());
    if (x.getType() != inType || !gType.getElementType().isF32() ||
        gType.getRank() > inType.getRank() || !isNonNegative(g))
      continue;
    // g broadcasts along every pooled dim (the dims after N and C).
    ArrayRef<int64_t> gShape = gType.getShape();
    int64_t lead = inType.getRank() - gType.getRank();
    bool constantOverWindows = true;
    for (int64_t i = std::max<int64_t>(2, lead); i < inType.getRank(); ++i)
      constantOverWindows &= gShape[i - lead] == 1;
    if (!constantOverWindows)
      continue;
    OpBuilder b(pool);
    auto pooled = cast<MaxPoolOp>(b.clone(*pool));
    pooled.getInputMutable().assign(x);
    auto scaled =
        MulOp::create(b, mul.getLoc(), outType, pooled.getResult(), g);
    pool.replaceAllUsesWith(scaled.getResult());
    pool.erase();
    mul.erase();
    return true;
  }
  return false;
}

/// op(DQ(x)) -> DQ(op(x)) for the exact data-movement ops.
static bool sink(Operation *op) {
  if (!isDataMovement(op))
    return false;
  auto dq = op->getOperand(0).getDefiningOp<DequantizeLinearOp>();
  if (!dq || !isPerTensor(dq))
    return false;
  OpBuilder b(op);
  Value x = dq.getInput();
  Operation *moved = b.clone(*op);
  moved->setOperand(0, x);
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  moved->getResult(0).setType(RankedTensorType::get(
      resultType.getShape(),
      cast<RankedTensorType>(x.getType()).getElementType()));
  auto newDq = DequantizeLinearOp::create(
      b, op->getLoc(), resultType, moved->getResult(0), dq.getScale(),
      dq.getZeroPoint(), dq.getAxis(), dq.getBlockSize());
  op->getResult(0).replaceAllUsesWith(newDq.getResult());
  op->erase();
  if (dq->use_empty())
    dq->erase();
  return true;
}

/// Q(op(y)) -> op(Q(y)) for the same ops, when op has no other user: the
/// quantized value then reaches an op (a GlobalAveragePool, a
/// DequantizeLinear) that the integer rewrites match.
static bool hoist(QuantizeLinearOp q) {
  Operation *op = q.getInput().getDefiningOp();
  if (!op || !isDataMovement(op) || !op->hasOneUse() || q.getBlockSize() != 0 ||
      !perTensorParams(q.getScale(), q.getZeroPoint()))
    return false;
  OpBuilder b(q);
  Value y = op->getOperand(0);
  auto yType = cast<RankedTensorType>(y.getType());
  auto qType = cast<RankedTensorType>(q.getType());
  auto inner = QuantizeLinearOp::create(
      b, q.getLoc(),
      RankedTensorType::get(yType.getShape(), qType.getElementType()), y,
      q.getScale(), q.getZeroPoint(), q.getAxis(), q.getBlockSize());
  Operation *moved = b.clone(*op);
  moved->setOperand(0, inner.getResult());
  moved->getResult(0).setType(qType);
  q.replaceAllUsesWith(moved->getResult(0));
  q.erase();
  op->erase();
  return true;
}

/// Q(Concat(v_1, ..., v_n)) -> Concat(Q(v_1), ..., Q(v_n)): quantization is
/// elementwise, so this is exact. Each Q(v_i) then folds with v_i's own
/// DequantizeLinear (same parameters) or becomes a requantization table:
/// Concat itself only moves 8-bit values.
static bool hoistThroughConcat(QuantizeLinearOp q) {
  auto concat = q.getInput().getDefiningOp<ConcatOp>();
  if (!concat || !concat->hasOneUse() || q.getBlockSize() != 0 ||
      !perTensorParams(q.getScale(), q.getZeroPoint()))
    return false;
  OpBuilder b(q);
  Type qElem = cast<RankedTensorType>(q.getType()).getElementType();
  SmallVector<Value> inputs;
  for (Value v : concat.getInputs()) {
    auto type = cast<RankedTensorType>(v.getType());
    inputs.push_back(QuantizeLinearOp::create(
        b, q.getLoc(), RankedTensorType::get(type.getShape(), qElem), v,
        q.getScale(), q.getZeroPoint(), q.getAxis(), q.getBlockSize()));
  }
  Value y = ConcatOp::create(b, concat.getLoc(), q.getType(), inputs,
                             concat.getAxisAttr());
  q.replaceAllUsesWith(y);
  q.erase();
  concat.erase();
  return true;
}

/// Q(Gather(C, i)) with a constant float table C -> Gather(Q(C), i), Q(C)
/// computed now (an embedding lookup then reads 8- or 16-bit rows).
static bool quantizeTable(QuantizeLinearOp q) {
  auto gather = q.getInput().getDefiningOp<GatherOp>();
  ElementsAttr table;
  auto params = perTensorParams(q.getScale(), q.getZeroPoint());
  if (!gather || !gather->hasOneUse() || q.getBlockSize() != 0 || !params ||
      !(table = matchWeight(gather.getData())) ||
      !table.getElementType().isF32())
    return false;
  auto qElem =
      cast<IntegerType>(cast<RankedTensorType>(q.getType()).getElementType());
  // Stored in DenseElementsAttr's layout: the value's low bits, 1 or 2
  // bytes.
  size_t esize = qElem.getWidth() > 8 ? 2 : 1;
  std::vector<float> xs = weightFloats(table);
  WeightBuffer values(xs.size() * esize);
  for (size_t i = 0; i < xs.size(); ++i) {
    float x = xs[i];
    int64_t v =
        std::isnan(x) ? params->zeroPoint : quantizeScalar(x, *params, qElem);
    uint64_t bits = (uint64_t)v & ((uint64_t(1) << qElem.getWidth()) - 1);
    std::memcpy(values.data() + i * esize, &bits, esize);
  }
  OpBuilder b(q);
  auto tableType =
      RankedTensorType::get(table.getShapedType().getShape(), qElem);
  Value data = ConstantOp::create(
      b, gather.getLoc(), tableType,
      makeWeight(tableType, std::move(values), isResourceWeight(table),
                 "table"));
  Value y = GatherOp::create(b, gather.getLoc(), q.getType(), data,
                             gather.getIndices(), gather.getAxisAttr());
  q.replaceAllUsesWith(y);
  q.erase();
  gather.erase();
  return true;
}

/// A float value that is quantized and also used as float elsewhere: the
/// other users read the quantized value, dequantized (in an integer-only
/// model every value between integer layers is quantized; this is where
/// a QDQ graph of the same model would put its Q/DQ pair).
static bool share(QuantizeLinearOp q) {
  Value v = q.getInput();
  if (v.hasOneUse() || q.getBlockSize() != 0 ||
      !perTensorParams(q.getScale(), q.getZeroPoint()) || isa<BlockArgument>(v))
    return false;
  // Right after v, so that the DequantizeLinear dominates every reader
  // (one may come before q): the constant parameters are cloned there.
  OpBuilder b(v.getContext());
  b.setInsertionPointAfterValue(v);
  auto cloneConstant = [&](Value c) {
    return c ? b.clone(*c.getDefiningOp())->getResult(0) : c;
  };
  Value scale = cloneConstant(q.getScale());
  Value zeroPoint = cloneConstant(q.getZeroPoint());
  auto early =
      QuantizeLinearOp::create(b, q.getLoc(), q.getType(), v, scale, zeroPoint,
                               q.getAxisAttr(), q.getBlockSizeAttr());
  auto dq = DequantizeLinearOp::create(b, q.getLoc(), v.getType(),
                                       early.getResult(), scale, zeroPoint,
                                       q.getAxisAttr(), q.getBlockSizeAttr());
  q.replaceAllUsesWith(early.getResult());
  q.erase();
  v.replaceAllUsesExcept(dq.getResult(), early);
  return true;
}

/// Q2(DQ1(Q1(v))) -> Q2(v) when nothing else reads Q1's integers (a Concat
/// input quantized for its own reader and then for the Concat's): one
/// rounding instead of two.
static bool skipRequantization(QuantizeLinearOp q) {
  auto dq = q.getInput().getDefiningOp<DequantizeLinearOp>();
  auto inner =
      dq ? dq.getInput().getDefiningOp<QuantizeLinearOp>() : QuantizeLinearOp();
  if (!inner || !dq->hasOneUse() || !inner->hasOneUse() ||
      q.getBlockSize() != 0 || dq.getBlockSize() != 0 ||
      inner.getBlockSize() != 0 ||
      !perTensorParams(q.getScale(), q.getZeroPoint()))
    return false;
  q.getInputMutable().assign(inner.getInput());
  dq.erase();
  inner.erase();
  return true;
}

/// Q(DQ(y)) with the same scale, zero point and type -> y.
static bool fold(QuantizeLinearOp q) {
  auto dq = q.getInput().getDefiningOp<DequantizeLinearOp>();
  if (!dq || q.getBlockSize() != 0 || dq.getBlockSize() != 0 ||
      dq.getInput().getType() != q.getType())
    return false;
  auto a = perTensorParams(dq.getScale(), dq.getZeroPoint());
  auto c = perTensorParams(q.getScale(), q.getZeroPoint());
  if (!a || !c || a->scale != c->scale || a->zeroPoint != c->zeroPoint)
    return false;
  q.replaceAllUsesWith(dq.getInput());
  q.erase();
  if (dq->use_empty())
    dq->erase();
  return true;
}

namespace {
struct SinkDequantizePass : qcc::impl::SinkDequantizeBase<SinkDequantizePass> {
  using Base::Base;
  void runOnOperation() override {
    for (bool changed = true; changed;) {
      changed = false;
      SmallVector<Operation *> ops;
      getOperation().walk([&](Operation *op) { ops.push_back(op); });
      for (Operation *op : ops) {
        if (auto q = dyn_cast<QuantizeLinearOp>(op))
          changed |= fold(q) || (!exact && skipRequantization(q)) || hoist(q) ||
                     hoistThroughConcat(q) || quantizeTable(q) ||
                     (!exact && share(q));
        else if (auto pool = dyn_cast<MaxPoolOp>(op);
                 pool && poolBeforeScale(pool))
          changed = true;
        else
          changed |= sink(op);
      }
    }
  }
};
} // namespace
