//===- QuantizeDynamic.cpp - int8 weights, run-time activation scales -----===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

namespace qcc {
#define GEN_PASS_DEF_QUANTIZEDYNAMIC
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

namespace {
/// A K x N weight quantized per column: int8 values and float32 scales.
struct QuantizedWeight {
  DenseElementsAttr values; // tensor<KxNxi8>
  DenseElementsAttr scales; // tensor<Nxf32>
};
} // namespace

/// Per-column symmetric narrow-range int8 quantization of `w` (K x N, or
/// N x K when `transposed`); null for non-finite weights.
static std::optional<QuantizedWeight> quantizeColumns(DenseElementsAttr w,
                                                      bool transposed) {
  auto shape = w.getType().getShape();
  int64_t k = transposed ? shape[1] : shape[0];
  int64_t n = transposed ? shape[0] : shape[1];
  SmallVector<float> values(w.getValues<float>().begin(),
                            w.getValues<float>().end());
  auto at = [&](int64_t r, int64_t c) {
    return transposed ? values[c * k + r] : values[r * n + c];
  };
  SmallVector<float> scales(n, 1.0f);
  for (int64_t c = 0; c < n; ++c) {
    float maxAbs = 0;
    for (int64_t r = 0; r < k; ++r) {
      float v = at(r, c);
      if (!std::isfinite(v))
        return std::nullopt;
      maxAbs = std::max(maxAbs, std::fabs(v));
    }
    if (maxAbs > 0)
      scales[c] = maxAbs / 127.0f;
  }
  SmallVector<int8_t> q(k * n);
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c) {
      // nearbyint rounds half to even in the default rounding mode.
      float v = std::nearbyint(at(r, c) / scales[c]);
      q[r * n + c] = (int8_t)std::clamp(v, -127.0f, 127.0f);
    }
  MLIRContext *ctx = w.getContext();
  Type i8 = IntegerType::get(ctx, 8), f32 = Float32Type::get(ctx);
  return QuantizedWeight{
      DenseElementsAttr::get(RankedTensorType::get({k, n}, i8), ArrayRef(q)),
      DenseElementsAttr::get(RankedTensorType::get({n}, f32), ArrayRef(scales))};
}

/// y = float(MatMulInteger(dql(A), qW)) * (s_A * s_W): the integer core.
static Value buildIntegerMatMul(OpBuilder &b, Location loc, Value a,
                                const QuantizedWeight &qw,
                                RankedTensorType resultType) {
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
  Value weights = ConstantOp::create(b, loc, qw.values.getType(), qw.values);
  Value scales = ConstantOp::create(b, loc, qw.scales.getType(), qw.scales);
  auto accType =
      RankedTensorType::get(resultType.getShape(), IntegerType::get(ctx, 32));
  Value acc = MatMulIntegerOp::create(b, loc, accType, dql.getOutput(), weights,
                                      dql.getZeroPoint(), Value());
  Value f = CastOp::create(b, loc, resultType, acc);
  Value s = MulOp::create(b, loc, scales.getType(), dql.getScale(), scales);
  return MulOp::create(b, loc, resultType, f, s);
}

namespace {
struct QuantizeDynamicPass : qcc::impl::QuantizeDynamicBase<QuantizeDynamicPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<Operation *> candidates;
    getOperation().walk([&](Operation *op) {
      if (isa<MatMulOp, GemmOp>(op))
        candidates.push_back(op);
    });
    for (Operation *op : candidates) {
      if (auto matmul = dyn_cast<MatMulOp>(op))
        rewriteMatMul(matmul);
      else
        rewriteGemm(cast<GemmOp>(op));
    }
  }

  /// The constant 2-D float32 weight worth quantizing, if `v` is one.
  DenseElementsAttr weightOf(Value v) {
    DenseElementsAttr w;
    if (!matchPattern(v, m_Constant(&w)) || !w.getElementType().isF32() ||
        w.getType().getRank() != 2 || w.getNumElements() < minElements)
      return {};
    return w;
  }

  void rewriteMatMul(MatMulOp op) {
    DenseElementsAttr w = weightOf(op.getB());
    auto aType = cast<RankedTensorType>(op.getA().getType());
    if (!w || !aType.getElementType().isF32() || aType.getRank() < 2)
      return;
    std::optional<QuantizedWeight> qw = quantizeColumns(w, false);
    if (!qw)
      return;
    OpBuilder b(op);
    auto type = cast<RankedTensorType>(op.getType());
    op.replaceAllUsesWith(buildIntegerMatMul(b, op.getLoc(), op.getA(), *qw, type));
    op.erase();
  }

  void rewriteGemm(GemmOp op) {
    DenseElementsAttr w = weightOf(op.getB());
    auto aType = cast<RankedTensorType>(op.getA().getType());
    if (!w || op.getTransA() || !aType.getElementType().isF32())
      return;
    std::optional<QuantizedWeight> qw = quantizeColumns(w, op.getTransB());
    if (!qw)
      return;
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value y = buildIntegerMatMul(b, loc, op.getA(), *qw, type);
    auto scalar = [&](double v) -> Value {
      auto t = RankedTensorType::get({}, b.getF32Type());
      return ConstantOp::create(b, loc, t,
                                DenseElementsAttr::get(t, (float)v));
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
    op.replaceAllUsesWith(y);
    op.erase();
  }
};
} // namespace
