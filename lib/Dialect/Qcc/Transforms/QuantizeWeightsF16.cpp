//===- QuantizeWeightsF16.cpp - float16 weight storage --------------------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantRanges.h"

#include "mlir/IR/Matchers.h"

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
static DenseElementsAttr toF16(DenseElementsAttr weights) {
  Type f16 = Float16Type::get(weights.getContext());
  SmallVector<APFloat> out;
  out.reserve(weights.getNumElements());
  for (APFloat v : weights.getValues<APFloat>()) {
    if (!v.isFinite())
      return {};
    bool lost;
    APFloat::opStatus status =
        v.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven, &lost);
    if ((status & APFloat::opOverflow) || v.isInfinity())
      return {};
    out.push_back(v);
  }
  auto type = RankedTensorType::get(weights.getType().getShape(), f16);
  return DenseElementsAttr::get(type, out);
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
        DenseElementsAttr value;
        if (!matchPattern(weight, m_Constant(&value)) ||
            !value.getElementType().isF32() ||
            value.getNumElements() < minElements)
          continue;
        if (Value done = converted.lookup(weight)) {
          operand->set(done);
          continue;
        }
        DenseElementsAttr half = toF16(value);
        if (!half) {
          op->emitRemark("weight kept in float32: it has values outside "
                         "float16's finite range");
          continue;
        }
        OpBuilder b(weight.getDefiningOp());
        b.setInsertionPointAfterValue(weight);
        Location loc = weight.getLoc();
        Value stored = ConstantOp::create(b, loc, half.getType(), half);
        Value widened = CastOp::create(b, loc, weight.getType(), stored);
        converted[weight] = widened;
        operand->set(widened);
      }
    });
  }
};
} // namespace
