//===- FuseQDQ.cpp - QDQ patterns to integer convolutions and matmuls -----===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantParams.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace qcc {
#define GEN_PASS_DEF_FUSEQDQ
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

static RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}
static bool isScalar(Value v) {
  return v && tensorType(v).getNumElements() == 1;
}
static bool isInt8(Value v) {
  auto t = dyn_cast<IntegerType>(tensorType(v).getElementType());
  return t && t.getWidth() == 8;
}

/// Zero point usable as one value: absent, a scalar, or a constant splat.
static FailureOr<Value> scalarZeroPoint(PatternRewriter &b, Location loc,
                                        Value zp) {
  if (!zp || isScalar(zp))
    return zp ? reshapeToScalar(b, loc, zp) : zp;
  DenseElementsAttr c;
  if (!matchPattern(zp, m_Constant(&c)) || !c.isSplat())
    return failure();
  auto type = RankedTensorType::get({}, c.getElementType());
  return (Value)ConstantOp::create(
      b, loc, type, DenseElementsAttr::get(type, c.getSplatValue<Attribute>()));
}

/// The per-tensor activation DequantizeLinear feeding `v`.
static DequantizeLinearOp activationDQ(Value v) {
  auto dq = v.getDefiningOp<DequantizeLinearOp>();
  if (!dq || dq.getBlockSize() != 0 || !isScalar(dq.getScale()) ||
      (dq.getZeroPoint() && !isScalar(dq.getZeroPoint())) ||
      !isInt8(dq.getInput()) ||
      !tensorType(dq.getOutput()).getElementType().isF32())
    return {};
  return dq;
}

/// The weight DequantizeLinear: per tensor, or per channel along `axis`
/// with `channels` scales.
static DequantizeLinearOp weightDQ(Value v, int64_t axis, int64_t channels) {
  auto dq = v.getDefiningOp<DequantizeLinearOp>();
  if (!dq || dq.getBlockSize() != 0 || !isInt8(dq.getInput()) ||
      !tensorType(dq.getOutput()).getElementType().isF32())
    return {};
  auto scale = tensorType(dq.getScale());
  if (scale.getNumElements() == 1)
    return dq;
  if (scale.getRank() == 1 && scale.getDimSize(0) == channels &&
      (int64_t)dq.getAxis() == axis)
    return dq;
  return {};
}

/// The int32 bias for an accumulator of scale s_x * s_w: the int32 tensor
/// under a DequantizeLinear, or a float constant quantized with that scale.
static FailureOr<Value> int32Bias(PatternRewriter &b, Location loc, Value bias,
                                  Value sx, Value sw, int64_t channels) {
  if (auto dq = bias.getDefiningOp<DequantizeLinearOp>()) {
    if (!tensorType(dq.getInput()).getElementType().isInteger(32) ||
        (dq.getZeroPoint() && !matchPattern(dq.getZeroPoint(), m_Zero())))
      return failure();
    return dq.getInput();
  }
  ElementsAttr values = matchWeight(bias), xs = matchWeight(sx),
               ws = matchWeight(sw);
  if (!values || !xs || !ws || !values.getElementType().isF32() ||
      !xs.getElementType().isF32() || !ws.getElementType().isF32() ||
      values.getNumElements() != channels)
    return failure();
  float x = weightFloats(xs).front();
  std::vector<float> wScales = weightFloats(ws);
  SmallVector<int32_t> q;
  for (auto [i, v] : llvm::enumerate(weightFloats(values))) {
    double s = double(x) * wScales[wScales.size() == 1 ? 0 : i];
    double r = s > 0 ? std::nearbyint(v / s) : 0;
    if (!(std::fabs(r) < 2147483647.0))
      return failure();
    q.push_back((int32_t)r);
  }
  auto type = RankedTensorType::get({channels}, b.getI32Type());
  return (Value)ConstantOp::create(b, loc, type,
                                   DenseElementsAttr::get(type, ArrayRef(q)));
}

/// int32Bias of a convolution's optional bias: null when there is none.
static FailureOr<Value> optionalInt32Bias(PatternRewriter &b, Location loc,
                                          Value bias, Value sx, Value sw,
                                          int64_t channels) {
  if (!bias)
    return Value();
  return int32Bias(b, loc, bias, sx, sw, channels);
}

/// saturate(round(float(acc) * s_x * s_w * factor / s_y) + z_y), then
/// max(., z_y) for a fused Relu; `factor` is a fused positive scaling.
static Value requantize(PatternRewriter &b, QuantizeLinearOp q, Value acc,
                        Value sx, Value sw, int64_t channelAxis, bool relu,
                        double factor) {
  Location loc = q.getLoc();
  auto accType = tensorType(acc);
  int64_t rank = accType.getRank();
  Type f32 = b.getF32Type();
  auto f32Of = [&](Value v) {
    return RankedTensorType::get(tensorType(v).getShape(), f32);
  };
  Value swB = reshapeAlongAxis(b, loc, sw, rank, channelAxis);
  Value sxB = reshapeToScalar(b, loc, sx),
        syB = reshapeToScalar(b, loc, q.getScale());
  Value m = b.createOrFold<MulOp>(loc, f32Of(swB), sxB, swB);
  if (factor != 1) {
    auto scalar = RankedTensorType::get({}, f32);
    Value c = ConstantOp::create(b, loc, scalar,
                                 DenseElementsAttr::get(scalar, float(factor)));
    m = b.createOrFold<MulOp>(loc, f32Of(m), m, c);
  }
  m = b.createOrFold<DivOp>(loc, f32Of(m), m, syB);
  Value f = b.createOrFold<CastOp>(
      loc, RankedTensorType::get(accType.getShape(), f32), acc);
  f = b.createOrFold<MulOp>(loc, f.getType(), f, m);
  auto oneType = RankedTensorType::get({}, f32);
  Value one = ConstantOp::create(b, loc, oneType,
                                 DenseElementsAttr::get(oneType, 1.0f));
  Value zy =
      q.getZeroPoint() ? reshapeToScalar(b, loc, q.getZeroPoint()) : Value();
  // The accumulator's shape: a ConvTranspose requantizes before it
  // interleaves its kernel offsets into the output.
  auto yType = RankedTensorType::get(
      accType.getShape(), tensorType(q.getOutput()).getElementType());
  Value y =
      QuantizeLinearOp::create(b, loc, yType, f, one, zy,
                               b.getI64IntegerAttr(0), b.getI64IntegerAttr(0));
  if (relu) {
    Type qElem = tensorType(y).getElementType();
    auto zType = RankedTensorType::get({}, qElem);
    Value floor =
        zy ? zy
           : (Value)ConstantOp::create(
                 b, loc, zType,
                 DenseElementsAttr::get(zType, b.getIntegerAttr(qElem, 0)));
    y = MaxOp::create(b, loc, y.getType(), y, floor);
  }
  return y;
}

namespace {
/// Q(Relu?(Scale?(op))) where op is matched by a subclass and Scale is a
/// Mul or Div by a positive scalar constant (attention's 1/sqrt(d)),
/// folded into the requantization scale.
template <typename Derived>
struct QuantizeRootPattern : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp q,
                                PatternRewriter &b) const override {
    if (q.getBlockSize() != 0 || !isScalar(q.getScale()) ||
        (q.getZeroPoint() && !isScalar(q.getZeroPoint())) ||
        !isInt8(q.getOutput()))
      return failure();
    Value v = q.getInput();
    bool relu = false;
    if (auto r = v.getDefiningOp<ReluOp>(); r && r->hasOneUse()) {
      relu = true;
      v = r.getInput();
    }
    if (!v.hasOneUse())
      return failure();
    double factor = 1;
    if (Operation *def = v.getDefiningOp())
      for (Value x : def->getOperands())
        if (std::optional<double> f = positiveScaling(def, x);
            f && x.hasOneUse()) {
          factor = *f;
          v = x;
          break;
        }
    FailureOr<Value> y =
        static_cast<const Derived *>(this)->fuse(b, q, v, relu, factor);
    if (failed(y))
      return failure();
    b.replaceOp(q, *y);
    return success();
  }
};

struct ConvPattern : QuantizeRootPattern<ConvPattern> {
  using QuantizeRootPattern::QuantizeRootPattern;
  FailureOr<Value> fuse(PatternRewriter &b, QuantizeLinearOp q, Value v,
                        bool relu, double factor) const {
    auto conv = v.getDefiningOp<ConvOp>();
    if (!conv)
      return failure();
    int64_t channels = tensorType(conv.getOutput()).getDimSize(1);
    DequantizeLinearOp dx = activationDQ(conv.getInput());
    DequantizeLinearOp dw = weightDQ(conv.getWeight(), 0, channels);
    if (!dx || !dw)
      return failure();
    Location loc = conv.getLoc();
    FailureOr<Value> zw = scalarZeroPoint(b, loc, dw.getZeroPoint());
    if (failed(zw))
      return failure();
    FailureOr<Value> bias = optionalInt32Bias(
        b, loc, conv.getBias(), dx.getScale(), dw.getScale(), channels);
    if (failed(bias))
      return failure();
    Value zx = dx.getZeroPoint() ? reshapeToScalar(b, loc, dx.getZeroPoint())
                                 : Value();
    auto accType = RankedTensorType::get(
        tensorType(conv.getOutput()).getShape(), b.getI32Type());
    Value acc =
        ConvIntegerOp::create(b, loc, accType, dx.getInput(), dw.getInput(), zx,
                              *zw, conv.getStridesAttr(), conv.getPadsAttr(),
                              conv.getDilationsAttr(), conv.getGroupAttr());
    if (*bias)
      acc =
          AddOp::create(b, loc, accType, acc,
                        reshapeAlongAxis(b, loc, *bias, accType.getRank(), 1));
    return requantize(b, q, acc, dx.getScale(), dw.getScale(), 1, relu, factor);
  }
};

/// A tiling ConvTranspose as integer ops: a pointwise ConvInteger of the
/// 8-bit input into C_out * k output channels (the weight transposed to
/// (C_out, k..., C_in) at compile time), the int32 bias, the requantization
/// to (N, C_out, k..., X...), and one transpose of the 8-bit result that
/// interleaves kernel offsets and positions: the products run on the int8
/// dot-product kernels and only bytes move.
static Value tilingConvTransposeInteger(PatternRewriter &b, QuantizeLinearOp q,
                                        ConvTransposeOp ct,
                                        DequantizeLinearOp dx,
                                        DequantizeLinearOp dw, Value bias,
                                        bool relu, double factor) {
  Location loc = ct.getLoc();
  auto inType = tensorType(ct.getInput());
  auto wType = tensorType(dw.getInput());
  int64_t S = inType.getRank() - 2, cin = wType.getDimSize(0),
          cout = wType.getDimSize(1), taps = 1;
  SmallVector<int64_t> kernel(wType.getShape().drop_front(2));
  for (int64_t k : kernel)
    taps *= k;
  // (C_in, C_out, k...) -> (C_out, k..., C_in) -> (C_out * taps, C_in, 1...).
  SmallVector<int64_t> perm, permuted;
  for (int64_t i = 1; i < 2 + S; ++i)
    perm.push_back(i);
  perm.push_back(0);
  for (int64_t p : perm)
    permuted.push_back(wType.getDimSize(p));
  Value w = TransposeOp::create(
      b, loc, RankedTensorType::get(permuted, wType.getElementType()),
      dw.getInput(), b.getDenseI64ArrayAttr(perm));
  SmallVector<int64_t> pointwise{cout * taps, cin};
  pointwise.append(S, 1);
  w = ReshapeOp::create(
      b, loc, RankedTensorType::get(pointwise, wType.getElementType()), w);
  SmallVector<int64_t> accShape{inType.getDimSize(0), cout * taps};
  accShape.append(inType.getShape().begin() + 2, inType.getShape().end());
  Value zx =
      dx.getZeroPoint() ? reshapeToScalar(b, loc, dx.getZeroPoint()) : Value();
  SmallVector<int64_t> ones(S, 1), zeros(2 * S, 0);
  Value acc = ConvIntegerOp::create(
      b, loc, RankedTensorType::get(accShape, b.getI32Type()), dx.getInput(), w,
      zx, Value(), b.getDenseI64ArrayAttr(ones), b.getDenseI64ArrayAttr(zeros),
      b.getDenseI64ArrayAttr(ones), b.getI64IntegerAttr(1));
  // (N, C_out, k..., X...): channels stay on axis 1 for the bias and the
  // per-channel requantization.
  SmallVector<int64_t> split{inType.getDimSize(0), cout};
  split.append(kernel);
  split.append(inType.getShape().begin() + 2, inType.getShape().end());
  auto splitType = RankedTensorType::get(split, b.getI32Type());
  acc = ReshapeOp::create(b, loc, splitType, acc);
  if (bias)
    acc = AddOp::create(b, loc, splitType, acc,
                        reshapeAlongAxis(b, loc, bias, split.size(), 1));
  Value y =
      requantize(b, q, acc, dx.getScale(), dw.getScale(), 1, relu, factor);
  // (N, C_out, k..., X...) -> (N, C_out, X_1, k_1, ..., X_S, k_S).
  SmallVector<int64_t> interleave{0, 1}, interleaved{split[0], cout};
  for (int64_t i = 0; i < S; ++i) {
    interleave.append({2 + S + i, 2 + i});
    interleaved.append({split[2 + S + i], split[2 + i]});
  }
  Type qElem = tensorType(q.getOutput()).getElementType();
  y = TransposeOp::create(b, loc, RankedTensorType::get(interleaved, qElem), y,
                          b.getDenseI64ArrayAttr(interleave));
  return ReshapeOp::create(b, loc, q.getType(), y);
}

/// ConvTranspose has no ONNX integer form. A tiling one becomes a pointwise
/// ConvInteger (above); others run on int32 values, the input shifted by
/// its zero point and the symmetric int8 weights widened, with the int32
/// bias; then the same requantization as Conv.
struct ConvTransposePattern : QuantizeRootPattern<ConvTransposePattern> {
  using QuantizeRootPattern::QuantizeRootPattern;
  FailureOr<Value> fuse(PatternRewriter &b, QuantizeLinearOp q, Value v,
                        bool relu, double factor) const {
    auto ct = v.getDefiningOp<ConvTransposeOp>();
    if (!ct || ct.getGroup() != 1)
      return failure();
    int64_t channels = tensorType(ct.getOutput()).getDimSize(1);
    DequantizeLinearOp dx = activationDQ(ct.getInput());
    DequantizeLinearOp dw = weightDQ(ct.getWeight(), 1, channels);
    if (!dx || !dw ||
        (dw.getZeroPoint() && !matchPattern(dw.getZeroPoint(), m_Zero())))
      return failure();
    auto px = perTensorParams(dx.getScale(), dx.getZeroPoint());
    if (!px)
      return failure();
    Location loc = ct.getLoc();
    FailureOr<Value> bias = optionalInt32Bias(
        b, loc, ct.getBias(), dx.getScale(), dw.getScale(), channels);
    if (failed(bias))
      return failure();
    if (ct.tilesOutput())
      return tilingConvTransposeInteger(b, q, ct, dx, dw, *bias, relu, factor);
    Value x = shiftedToI32(b, loc, dx.getInput(), px->zeroPoint);
    Value w = CastOp::create(
        b, loc,
        RankedTensorType::get(tensorType(dw.getInput()).getShape(),
                              b.getI32Type()),
        dw.getInput());
    auto accType = RankedTensorType::get(tensorType(ct.getOutput()).getShape(),
                                         b.getI32Type());
    Value acc = ConvTransposeOp::create(
        b, loc, accType, x, w, *bias, ct.getStridesAttr(), ct.getPadsAttr(),
        ct.getDilationsAttr(), ct.getGroupAttr());
    return requantize(b, q, acc, dx.getScale(), dw.getScale(), 1, relu, factor);
  }
};

struct MatMulPattern : QuantizeRootPattern<MatMulPattern> {
  using QuantizeRootPattern::QuantizeRootPattern;
  FailureOr<Value> fuse(PatternRewriter &b, QuantizeLinearOp q, Value v,
                        bool relu, double factor) const {
    // Optional bias: Add(MatMul, bias).
    Value bias;
    if (auto add = v.getDefiningOp<AddOp>()) {
      auto mm = add.getLhs().getDefiningOp<MatMulOp>();
      if (!mm || !add.getLhs().hasOneUse() || add.getType() != mm.getType())
        return failure();
      bias = add.getRhs();
      v = add.getLhs();
    }
    auto mm = v.getDefiningOp<MatMulOp>();
    if (!mm || tensorType(mm.getA()).getRank() < 2)
      return failure();
    auto bType = tensorType(mm.getB());
    int64_t n = bType.getShape().back();
    DequantizeLinearOp da = activationDQ(mm.getA());
    DequantizeLinearOp dw =
        bType.getRank() == 2 ? weightDQ(mm.getB(), 1, n) : nullptr;
    // Or two activations (attention): per-tensor parameters on both sides.
    DequantizeLinearOp db =
        dw || bias || bType.getRank() < 2 ? nullptr : activationDQ(mm.getB());
    if (!da || (!dw && !db))
      return failure();
    Location loc = mm.getLoc();
    auto accType = RankedTensorType::get(tensorType(mm.getOutput()).getShape(),
                                         b.getI32Type());
    Value za = da.getZeroPoint() ? reshapeToScalar(b, loc, da.getZeroPoint())
                                 : Value();
    if (db) {
      Value zb = db.getZeroPoint() ? reshapeToScalar(b, loc, db.getZeroPoint())
                                   : Value();
      Value acc = MatMulIntegerOp::create(b, loc, accType, da.getInput(),
                                          db.getInput(), za, zb);
      return requantize(b, q, acc, da.getScale(), db.getScale(),
                        accType.getRank() - 1, relu, factor);
    }
    Value zw = dw.getZeroPoint();
    if (zw && isScalar(zw))
      zw = reshapeToScalar(b, loc, zw);
    Value biasI32;
    if (bias) {
      if (tensorType(bias).getShape() != ArrayRef<int64_t>{n})
        return failure();
      FailureOr<Value> bi =
          int32Bias(b, loc, bias, da.getScale(), dw.getScale(), n);
      if (failed(bi))
        return failure();
      biasI32 = *bi;
    }
    Value acc = MatMulIntegerOp::create(b, loc, accType, da.getInput(),
                                        dw.getInput(), za, zw);
    if (biasI32)
      acc = AddOp::create(b, loc, accType, acc, biasI32);
    return requantize(b, q, acc, da.getScale(), dw.getScale(),
                      accType.getRank() - 1, relu, factor);
  }
};

struct FuseQDQPass : qcc::impl::FuseQDQBase<FuseQDQPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ConvPattern, ConvTransposePattern, MatMulPattern>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
