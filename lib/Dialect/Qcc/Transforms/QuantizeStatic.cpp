//===- QuantizeStatic.cpp - QDQ from calibrated ranges --------------------===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantParams.h"
#include "qcc/Dialect/Qcc/Transforms/QuantRanges.h"
#include "qcc/Dialect/Qcc/Transforms/QuantWeights.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

namespace qcc {
#define GEN_PASS_DEF_QUANTIZESTATIC
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

/// Activation parameters for [lo, hi]: uint8 asymmetric over the range
/// widened to include 0, or (symmetric) int8 with zero point 0 and scale
/// 2 max|x| / 255, as ONNX Runtime's symmetric activations.
static std::pair<float, int64_t> activationParams(float lo, float hi,
                                                  bool symmetric) {
  lo = std::min(lo, 0.0f);
  hi = std::max(hi, 0.0f);
  float scale =
      symmetric ? 2.0f * std::max(-lo, hi) / 255.0f : (hi - lo) / 255.0f;
  if (!(scale > 0) || !std::isnormal(scale))
    return {1.0f, 0}; // A constant-zero tensor: any scale is exact.
  if (symmetric)
    return {scale, 0};
  float zp = std::nearbyint(-lo / scale);
  return {scale, (int64_t)std::clamp(zp, 0.0f, 255.0f)};
}

/// DequantizeLinear(QuantizeLinear(v)) with the parameters of [lo, hi]:
/// 8-bit as activationParams says, or (`wide`) int16 with zero point 0
/// and scale max|x| / 32767, as TensorFlow Lite's 16-bit activations.
static Value insertQDQ(OpBuilder &b, Value v, float lo, float hi,
                       bool symmetric, bool wide = false) {
  auto [scale, zp] = activationParams(lo, hi, symmetric);
  if (wide) {
    float m = std::max(-std::min(lo, 0.0f), std::max(hi, 0.0f));
    scale = m > 0 && std::isnormal(m / 32767.0f) ? m / 32767.0f : 1.0f;
    zp = 0;
  }
  MLIRContext *ctx = b.getContext();
  Location loc = v.getLoc();
  auto type = cast<RankedTensorType>(v.getType());
  unsigned bits = wide ? 16 : 8;
  Type q8 = symmetric || wide
                ? IntegerType::get(ctx, bits)
                : IntegerType::get(ctx, bits, IntegerType::Unsigned);
  auto f32Scalar = RankedTensorType::get({}, Float32Type::get(ctx));
  auto q8Scalar = RankedTensorType::get({}, q8);
  Value s = ConstantOp::create(b, loc, f32Scalar,
                               DenseElementsAttr::get(f32Scalar, scale));
  Value z = ConstantOp::create(
      b, loc, q8Scalar,
      DenseElementsAttr::get(q8Scalar, b.getIntegerAttr(q8, APInt(bits, zp))));
  Value q = QuantizeLinearOp::create(
      b, loc, RankedTensorType::get(type.getShape(), q8), v, s, z,
      b.getI64IntegerAttr(0), b.getI64IntegerAttr(0));
  return DequantizeLinearOp::create(
      b, loc, type, q, s, z, b.getI64IntegerAttr(0), b.getI64IntegerAttr(0));
}

/// The value a layer's output is observed at: its only Relu user, if any.
Value qcc::observedOutput(Operation *layer) {
  Value y = layer->getResult(0);
  // A fully connected layer's bias: MatMul + constant per-column vector.
  if (isa<MatMulOp>(layer) && y.hasOneUse())
    if (auto add = dyn_cast<AddOp>(*y.getUsers().begin())) {
      ElementsAttr bias = matchWeight(add.getRhs());
      auto yType = cast<RankedTensorType>(y.getType());
      if (add.getLhs() == y && bias && bias.getShapedType().getRank() == 1 &&
          bias.getNumElements() == yType.getShape().back())
        y = add.getResult();
    }
  if (y.hasOneUse())
    if (Operation *user = *y.getUsers().begin(); positiveScaling(user, y))
      y = user->getResult(0);
  if (y.hasOneUse())
    if (auto relu = dyn_cast<ReluOp>(*y.getUsers().begin()))
      return relu.getOutput();
  return y;
}

bool qcc::isActivationMatMul(Operation *op) {
  auto mm = dyn_cast<MatMulOp>(op);
  if (!mm || isExcluded(op) || matchPattern(mm.getA(), m_Constant()) ||
      matchPattern(mm.getB(), m_Constant()))
    return false;
  auto a = cast<RankedTensorType>(mm.getA().getType());
  auto b = cast<RankedTensorType>(mm.getB().getType());
  // u8 x u8 products reach 255^2: K of them must fit int32.
  return a.getElementType().isF32() && b.getElementType().isF32() &&
         a.hasStaticShape() && a.getRank() >= 2 && b.getRank() >= 2 &&
         a.getShape().back() <= 2147483647 / (255 * 255);
}

/// With --integer-only, the residual stream: LayerNormalization inputs and
/// the Add/Sub sums that carry them on, when every reader takes int16 (a
/// LayerNorm, another such sum, the model's output). 8 bits there cost
/// about 3 dB each on the example transformer: the stream is the sum of
/// every block's output, and its range is set by its largest values.
static DenseSet<Value> residualStream(Operation *root) {
  DenseSet<Value> wide;
  root->walk([&](LayerNormOp ln) {
    if (!isExcluded(ln))
      wide.insert(ln.getInput());
  });
  root->walk([&](Operation *op) {
    if (isa<AddOp, SubOp>(op) && isRequantizedArithmetic(op) &&
        llvm::any_of(op->getOperands(),
                     [&](Value v) { return wide.contains(v); }))
      wide.insert(op->getResult(0));
  });
  auto takesInt16 = [](Operation *user) {
    return isa<LayerNormOp, func::ReturnOp>(user) ||
           (isa<AddOp, SubOp>(user) && isRequantizedArithmetic(user));
  };
  DenseSet<Value> result;
  for (Value v : wide)
    if (llvm::all_of(v.getUsers(), takesInt16))
      result.insert(v);
  return result;
}

SmallVector<Value> qcc::integerOnlyObserved(Operation *op) {
  if (isRequantizedArithmetic(op)) {
    // A Relu after it is applied to the requantized value: observe its
    // output (ResNet's sums), one rounding instead of two.
    Value y = op->getResult(0);
    if (y.hasOneUse())
      if (auto relu = dyn_cast<ReluOp>(*y.getUsers().begin()))
        return {relu.getOutput()};
    return {y};
  }
  if (isActivationMatMul(op)) {
    // A Softmax output has fixed parameters (see QuantizeStatic).
    SmallVector<Value> values;
    for (Value v : op->getOperands())
      if (!v.getDefiningOp<SoftmaxOp>())
        values.push_back(v);
    values.push_back(observedOutput(op));
    return values;
  }
  if (auto ln = dyn_cast<LayerNormOp>(op); ln && !isExcluded(op))
    return {ln.getInput(), ln.getOutput()};
  // An int32 sum whose result needs an output scale even when no layer
  // reads it (a pooled model output).
  if (isa<GlobalAveragePoolOp, ReduceMeanOp, AveragePoolOp>(op) &&
      !isExcluded(op))
    return {op->getResult(0)};
  // Likewise a linear Resize's weighted sums (a segmentation head's
  // upsampled output).
  if (auto resize = dyn_cast<ResizeOp>(op);
      resize && resize.getMode() == "linear" && !isExcluded(op))
    return {resize.getOutput()};
  return {};
}

bool qcc::isQuantizableLayer(Operation *op) {
  if (isExcluded(op))
    return false;
  Value weight;
  if (auto conv = dyn_cast<ConvOp>(op))
    weight = conv.getWeight();
  else if (auto ct = dyn_cast<ConvTransposeOp>(op)) {
    // Per-channel scales along the weight's output-channel dim 1.
    if (ct.getGroup() != 1)
      return false;
    weight = ct.getWeight();
  } else if (auto mm = dyn_cast<MatMulOp>(op)) {
    weight = mm.getB();
    if (cast<RankedTensorType>(weight.getType()).getRank() != 2)
      return false;
  } else {
    return false;
  }
  ElementsAttr w = matchWeight(weight);
  return w && w.getElementType().isF32() &&
         cast<RankedTensorType>(op->getOperand(0).getType())
             .getElementType()
             .isF32();
}

bool qcc::isRequantizedArithmetic(Operation *op) {
  if (!isa<AddOp, SubOp, MulOp>(op) || isExcluded(op))
    return false;
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type || !type.getElementType().isF32() ||
      llvm::any_of(op->getOperands(),
                   [](Value v) { return matchPattern(v, m_Constant()); }))
    return false;
  return !(isa<AddOp, SubOp>(op) && op->hasOneUse() &&
           isa<AddOp, SubOp>(*op->getUsers().begin()));
}

namespace {
struct QuantizeStaticPass : qcc::impl::QuantizeStaticBase<QuantizeStaticPass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<Operation *> layers;
    bool failedWeights = false;
    getOperation().walk([&](Operation *op) {
      if (!isQuantizableLayer(op))
        return;
      ElementsAttr w = matchWeight(op->getOperand(1));
      if (std::optional<int64_t> bad = firstNonFinite(w)) {
        op->emitError("weight ") << locName(op->getOperand(1).getLoc())
                                 << " has a non-finite value at flat index "
                                 << *bad << "; it cannot be quantized";
        failedWeights = true;
        return;
      }
      if (int64_t k = reductionLength(op); k > kMaxInt32Terms) {
        op->emitWarning("kept in float: its reduction of ")
            << k << " products could overflow int32 accumulation (at most "
            << kMaxInt32Terms << " u8 x s8 products are safe)";
        return;
      }
      layers.push_back(op);
    });
    if (failedWeights)
      return signalPassFailure();
    DenseMap<Value, Value> dequantized; // activation -> DQ(Q(activation))
    DenseSet<Value> createdDQ;
    for (Operation *layer : layers) {
      Value x = layer->getOperand(0);
      OpBuilder b(layer);
      // An input that an earlier layer's output quantization already
      // replaced by DQ(Q(.)) is quantized as it is.
      if (!createdDQ.contains(x)) {
        std::optional<std::pair<float, float>> range = getRange(x);
        if (!range)
          continue;
        Value &xd = dequantized[x];
        if (!xd) {
          b.setInsertionPointAfterValue(x);
          xd = insertQDQ(b, x, range->first, range->second,
                         symmetricActivations);
          createdDQ.insert(xd);
        }
        layer->setOperand(0, xd);
      }
      // Weights: per output channel (Conv dim 0; ConvTranspose dim 1;
      // MatMul column dim 1).
      int64_t axis = isa<ConvOp>(layer) ? 0 : 1;
      Value weight = layer->getOperand(1);
      ElementsAttr w = matchWeight(weight);
      // Weights are finite here (checked when the layers were collected).
      std::optional<QuantizedWeight> qw = perTensorWeights
                                              ? quantizeInt8PerTensor(w)
                                              : quantizeInt8PerChannel(w, axis);
      if (!qw)
        continue;
      b.setInsertionPoint(layer);
      Location loc = layer->getLoc();
      Value q = ConstantOp::create(b, loc, qw->values.getShapedType(),
                                   qw->values);
      Value s = ConstantOp::create(b, loc, qw->scales.getShapedType(),
                                   qw->scales);
      layer->setOperand(1, DequantizeLinearOp::create(b, loc, weight.getType(),
                                                      q, s, Value(),
                                                      b.getI64IntegerAttr(axis),
                                                      b.getI64IntegerAttr(0)));
      // The output, when calibrated: later layers read it as integers.
      if (Value yd = quantizeForReaders(observedOutput(layer), dequantized))
        createdDQ.insert(yd);
    }
    if (!integerOnly)
      return;
    // Values that only the integer-only ops read as integers. One value
    // observed twice (a layer output and, transposed, a MatMul operand) has
    // one range: the second Q/DQ pair equals the first and folds away.
    SmallVector<Value> values;
    SmallVector<SoftmaxOp> softmaxes;
    getOperation().walk([&](Operation *op) {
      llvm::append_range(values, integerOnlyObserved(op));
      if (auto softmax = dyn_cast<SoftmaxOp>(op); softmax && !isExcluded(op))
        softmaxes.push_back(softmax);
    });
    // Softmax's output needs no calibration: it lies in [0, 1], uint8 at
    // 1/255 (the scale qcc-integer-softmax produces).
    for (SoftmaxOp softmax : softmaxes)
      if (cast<RankedTensorType>(softmax.getType()).getElementType().isF32())
        (void)quantizeReaders(softmax.getOutput(), 0.0f, 1.0f,
                              /*symmetric=*/false, /*wide=*/false, dequantized);
    DenseSet<Value> wide = residualStream(getOperation());
    for (Value v : values)
      (void)quantizeForReaders(v, dequantized, wide.contains(v));
  }

  /// Every reader of the calibrated value `y` reads DQ(Q(y)) instead (int16
  /// when `wide`); null when `y` has no range or is quantized already.
  Value quantizeForReaders(Value y, DenseMap<Value, Value> &dequantized,
                           bool wide = false) {
    std::optional<std::pair<float, float>> range = getRange(y);
    if (!range)
      return {};
    return quantizeReaders(y, range->first, range->second, symmetricActivations,
                           wide, dequantized);
  }

  /// The same over a given range [lo, hi].
  Value quantizeReaders(Value y, float lo, float hi, bool symmetric, bool wide,
                        DenseMap<Value, Value> &dequantized) {
    if (dequantized.count(y))
      return {};
    OpBuilder b(y.getContext());
    b.setInsertionPointAfterValue(y);
    Value yd = insertQDQ(b, y, lo, hi, symmetric, wide);
    Operation *quantize = yd.getDefiningOp()->getOperand(0).getDefiningOp();
    y.replaceAllUsesExcept(yd, quantize);
    dequantized[y] = yd;
    return yd;
  }
};
} // namespace
