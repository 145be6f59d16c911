//===- QuantizeWeightsF16.cpp - float16 weight storage --------------------===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantRanges.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

namespace qcc {
#define GEN_PASS_DEF_QUANTIZEWEIGHTSF16
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

/// The weight operands worth compressing: convolution kernels and the right
/// operand of Gemm/MatMul.
static SmallVector<OpOperand *> weightOperands(Operation *op) {
  if (auto conv = dyn_cast<ConvOp>(op))
    return {&conv.getWeightMutable()};
  if (auto conv = dyn_cast<ConvTransposeOp>(op))
    return {&conv.getWeightMutable()};
  if (auto gemm = dyn_cast<GemmOp>(op))
    return {&gemm.getBMutable()};
  if (auto matmul = dyn_cast<MatMulOp>(op))
    return {&matmul.getBMutable()};
  return {};
}

/// f32 -> f16 with round-to-nearest-even; null when a value is not finite
/// or does not fit.
static ElementsAttr toF16(ElementsAttr weights) {
  std::optional<WeightData> data = getWeightData(weights);
  Type f16 = Float16Type::get(weights.getContext());
  int64_t n = weights.getNumElements();
  WeightBuffer out(n * 2);
  auto halves = out.as<uint16_t>();
  for (int64_t i = 0; i < n; ++i) {
    float f = data->at<float>(i);
    if (!std::isfinite(f))
      return {};
    // Round to nearest even: what APFloat's conversion does, without an
    // APFloat per weight.
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    uint32_t sign = (bits >> 16) & 0x8000u;
    uint32_t absBits = bits & 0x7fffffffu;
    uint16_t h;
    if (absBits >= 0x477ff000u) {
      return {}; // Rounds to infinity: above 65504 + half an ulp.
    } else if (absBits < 0x38800000u) {
      // Subnormal or zero in f16: the value in units of 2^-24, rounded
      // half to even.
      float mag;
      std::memcpy(&mag, &absBits, 4);
      h = (uint16_t)std::nearbyint(std::ldexp(mag, 24));
    } else {
      uint32_t mant = absBits & 0x7fffffu;
      int32_t exp = (int32_t)(absBits >> 23) - 127 + 15;
      uint32_t half = ((uint32_t)exp << 10) | (mant >> 13);
      uint32_t rest = mant & 0x1fffu;
      if (rest > 0x1000u || (rest == 0x1000u && (half & 1)))
        ++half; // A carry into the exponent is the right rounding too.
      h = (uint16_t)half;
    }
    halves[i] = (uint16_t)(sign | h);
  }
  doneReadingWeight(weights);
  auto type = RankedTensorType::get(weights.getShapedType().getShape(), f16);
  return makeWeight(type, std::move(out), isResourceWeight(weights), "f16");
}

namespace {
struct QuantizeWeightsF16Pass
    : qcc::impl::QuantizeWeightsF16Base<QuantizeWeightsF16Pass> {
  using Base::Base;
  void runOnOperation() override {
    DenseMap<Value, Value> converted; // f32 constant -> widened f16 value
    getOperation().walk([&](Operation *op) {
      if (isExcluded(op))
        return;
      for (OpOperand *operand : weightOperands(op)) {
        Value weight = operand->get();
        ElementsAttr value = matchWeight(weight);
        if (!value || !value.getElementType().isF32() ||
            value.getNumElements() < minElements)
          continue;
        if (Value done = converted.lookup(weight)) {
          operand->set(done);
          continue;
        }
        ElementsAttr half = toF16(value);
        if (!half) {
          op->emitRemark("weight kept in float32: it has values outside "
                         "float16's finite range");
          continue;
        }
        OpBuilder b(weight.getDefiningOp());
        b.setInsertionPointAfterValue(weight);
        Location loc = weight.getLoc();
        Value stored = ConstantOp::create(b, loc, half.getShapedType(), half);
        Value widened = CastOp::create(b, loc, weight.getType(), stored);
        converted[weight] = widened;
        operand->set(widened);
      }
    });
  }
};
} // namespace
