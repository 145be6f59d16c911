//===- QuantizeDynamic.cpp - int8 weights, run-time activation scales -----===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantRanges.h"
#include "qcc/Dialect/Qcc/Transforms/QuantWeights.h"

#include "mlir/IR/Matchers.h"

namespace qcc {
#define GEN_PASS_DEF_QUANTIZEDYNAMIC
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

/// Per-column int8 of a K x N weight (N x K when `transposed`, as Gemm's
/// transB stores it), returned as K x N.
static std::optional<QuantizedWeight> quantizeColumns(ElementsAttr w,
                                                      bool transposed) {
  std::optional<QuantizedWeight> qw =
      quantizeInt8PerChannel(w, transposed ? 0 : 1);
  if (!qw || !transposed)
    return qw;
  auto shape = w.getShapedType().getShape(); // N x K
  int64_t n = shape[0], k = shape[1];
  std::optional<WeightData> q = getWeightData(qw->values);
  WeightBuffer t(n * k);
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c)
      t.data()[r * n + c] = q->raw[c * k + r];
  qw->values = makeWeight(
      RankedTensorType::get({k, n}, qw->values.getElementType()), std::move(t),
      isResourceWeight(w), "int8");
  return qw;
}

/// y = float(MatMulInteger(dql(A), qW)) * (s_A * s_W): the integer core.
/// `layer` (the `qcc.layer` tag the quantization report sets, if any) moves
/// to the integer product.
static Value buildIntegerMatMul(OpBuilder &b, Location loc, Value a,
                                const QuantizedWeight &qw,
                                RankedTensorType resultType, Attribute layer) {
  MLIRContext *ctx = b.getContext();
  auto aType = cast<RankedTensorType>(a.getType());
  Type u8 = IntegerType::get(ctx, 8, IntegerType::Unsigned);
  Type f32 = Float32Type::get(ctx);
  auto scalarF32 = RankedTensorType::get({}, f32);
  auto dql = DynamicQuantizeLinearOp::create(
      b, loc,
      TypeRange{RankedTensorType::get(aType.getShape(), u8), scalarF32,
                RankedTensorType::get({}, u8)},
      a);
  Value weights =
      ConstantOp::create(b, loc, qw.values.getShapedType(), qw.values);
  Value scales =
      ConstantOp::create(b, loc, qw.scales.getShapedType(), qw.scales);
  auto accType =
      RankedTensorType::get(resultType.getShape(), IntegerType::get(ctx, 32));
  auto acc = MatMulIntegerOp::create(b, loc, accType, dql.getOutput(), weights,
                                     dql.getZeroPoint(), Value());
  if (layer)
    acc->setAttr("qcc.layer", layer);
  Value f = CastOp::create(b, loc, resultType, acc);
  Value s = MulOp::create(b, loc, scales.getType(), dql.getScale(), scales);
  return MulOp::create(b, loc, resultType, f, s);
}

namespace {
struct QuantizeDynamicPass
    : qcc::impl::QuantizeDynamicBase<QuantizeDynamicPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<MatMulOp, GemmOp>(op) && !isExcluded(op))
        candidates.push_back(op);
    });
    for (Operation *op : candidates) {
      ElementsAttr w = weightOf(op->getOperand(1));
      if (!w)
        continue;
      if (std::optional<int64_t> bad = firstNonFinite(w)) {
        op->emitError("weight ") << locName(op->getOperand(1).getLoc())
                                 << " has a non-finite value at flat index "
                                 << *bad << "; it cannot be quantized";
        return signalPassFailure();
      }
      auto gemm = dyn_cast<GemmOp>(op);
      int64_t k = w.getShapedType().getDimSize(gemm && gemm.getTransB() ? 1 : 0);
      if (k > kMaxInt32Terms) {
        op->emitWarning("kept in float: its reduction of ")
            << k << " products could overflow int32 accumulation";
        continue;
      }
      if (auto matmul = dyn_cast<MatMulOp>(op))
        rewriteMatMul(matmul);
      else
        rewriteGemm(gemm);
    }
  }

  /// The constant 2-D float32 weight worth quantizing, if `v` is one.
  ElementsAttr weightOf(Value v) {
    ElementsAttr w = matchWeight(v);
    if (!w || !w.getElementType().isF32() ||
        w.getShapedType().getRank() != 2 || w.getNumElements() < minElements)
      return {};
    return w;
  }

  void rewriteMatMul(MatMulOp op) {
    ElementsAttr w = weightOf(op.getB());
    auto aType = cast<RankedTensorType>(op.getA().getType());
    if (!w || !aType.getElementType().isF32() || aType.getRank() < 2)
      return;
    std::optional<QuantizedWeight> qw = quantizeColumns(w, false);
    if (!qw)
      return;
    OpBuilder b(op);
    auto type = cast<RankedTensorType>(op.getType());
    Value y = buildIntegerMatMul(b, op.getLoc(), op.getA(), *qw, type,
                                 op->getAttr("qcc.layer"));
    markLayerOutput(op, y);
    op.replaceAllUsesWith(y);
    op.erase();
  }

  void rewriteGemm(GemmOp op) {
    ElementsAttr w = weightOf(op.getB());
    auto aType = cast<RankedTensorType>(op.getA().getType());
    if (!w || op.getTransA() || !aType.getElementType().isF32())
      return;
    std::optional<QuantizedWeight> qw = quantizeColumns(w, op.getTransB());
    if (!qw)
      return;
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value y = buildIntegerMatMul(b, loc, op.getA(), *qw, type,
                                 op->getAttr("qcc.layer"));
    auto scalar = [&](double v) -> Value {
      auto t = RankedTensorType::get({}, b.getF32Type());
      return ConstantOp::create(b, loc, t, DenseElementsAttr::get(t, (float)v));
    };
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    if (alpha != 1)
      y = MulOp::create(b, loc, type, y, scalar(alpha));
    if (Value c = op.getC(); c && beta != 0) {
      if (beta != 1)
        c = MulOp::create(b, loc, c.getType(), c, scalar(beta));
      y = AddOp::create(b, loc, type, y, c);
    }
    markLayerOutput(op, y);
    op.replaceAllUsesWith(y);
    op.erase();
  }

  /// The report finds a rewritten layer's float output by this tag.
  static void markLayerOutput(Operation *layer, Value output) {
    if (Attribute tag = layer->getAttr("qcc.layer"))
      output.getDefiningOp()->setAttr("qcc.layer_output", tag);
  }
};
} // namespace
