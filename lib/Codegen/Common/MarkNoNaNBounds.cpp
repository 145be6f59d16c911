//===- MarkNoNaNBounds.cpp - NaN-propagating min/max of values never NaN -===//
//
// ONNX's Relu, Clip and HardSigmoid propagate NaN, so they lower to
// maximumf/minimumf, and x86 pays a compare and a masked move per vector
// to turn vmaxps's answer for NaN into NaN. In a requantization chain the
// operands are dequantized integers times constants: bounded, never NaN.
// There the fix-up is dead, and the `nnan` flag lets LLVM drop it; the
// results (signed zeros included) do not change.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Codegen/Common/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

namespace qcc {
#define GEN_PASS_DEF_MARKNONANBOUNDS
#include "qcc/Codegen/Common/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

namespace {

/// Comfortably below FLT_MAX: sums and products of values under it, rounded
/// to f32, stay finite.
constexpr double kFinite = 1e37;

/// The largest magnitude of a constant's f32 elements, if all are finite.
std::optional<double> constantBound(Attribute attr) {
  if (auto f = dyn_cast<FloatAttr>(attr)) {
    double d = std::fabs(f.getValueAsDouble());
    return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
  }
  std::optional<WeightData> data = getWeightData(attr);
  if (!data || !isa<FloatType>(data->type.getElementType()))
    return std::nullopt;
  double bound = 0;
  auto add = [&](float f) {
    double d = std::fabs((double)f);
    bound = std::isfinite(d) && std::isfinite(bound) ? std::max(bound, d)
                                                      : INFINITY;
  };
  if (data->type.getElementType().isF32()) {
    int64_t n = data->splat ? 1 : data->type.getNumElements();
    for (int64_t i = 0; i < n; ++i)
      add(data->at<float>(i));
  } else {
    for (float f : weightFloats(cast<ElementsAttr>(attr)))
      add(f);
  }
  return std::isfinite(bound) ? std::optional<double>(bound) : std::nullopt;
}

/// A bound on |v| proving v finite (hence never NaN), or nothing.
std::optional<double> finiteBound(Value v, int depth = 0) {
  if (depth > 24 || !isa<FloatType>(getElementTypeOrSelf(v.getType())))
    return std::nullopt;
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    // A linalg.generic input read element by element: a constant's bound.
    auto generic = dyn_cast<linalg::GenericOp>(arg.getOwner()->getParentOp());
    if (!generic || arg.getArgNumber() >= generic.getNumDpsInputs())
      return std::nullopt;
    Attribute attr;
    if (!matchPattern(generic.getDpsInputs()[arg.getArgNumber()],
                      m_Constant(&attr)))
      return std::nullopt;
    return constantBound(attr);
  }
  Operation *op = v.getDefiningOp();
  Attribute attr;
  if (matchPattern(v, m_Constant(&attr)))
    return constantBound(attr);
  auto operand = [&](unsigned i) {
    return finiteBound(op->getOperand(i), depth + 1);
  };
  auto within = [](double d) {
    return d < kFinite ? std::optional<double>(d) : std::nullopt;
  };
  if (isa<arith::SIToFPOp, arith::UIToFPOp>(op))
    return std::ldexp(1.0, getElementTypeOrSelf(op->getOperand(0).getType())
                               .getIntOrFloatBitWidth());
  if (isa<arith::NegFOp, math::AbsFOp>(op))
    return operand(0);
  if (isa<math::RoundEvenOp, math::RoundOp, math::FloorOp, math::CeilOp,
          math::TruncOp>(op))
    if (auto a = operand(0))
      return *a + 1;
  if (isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::MaxNumFOp,
          arith::MinNumFOp, arith::MaximumFOp, arith::MinimumFOp>(op)) {
    auto a = operand(0), b = operand(1);
    if (!a || !b)
      return std::nullopt;
    if (isa<arith::AddFOp, arith::SubFOp>(op))
      return within(*a + *b);
    if (isa<arith::MulFOp>(op))
      return within(*a * *b);
    return std::max(*a, *b);
  }
  if (auto select = dyn_cast<arith::SelectOp>(op)) {
    auto a = operand(1), b = operand(2);
    if (a && b)
      return std::max(*a, *b);
  }
  return std::nullopt;
}

struct MarkNoNaNBoundsPass
    : qcc::impl::MarkNoNaNBoundsBase<MarkNoNaNBoundsPass> {
  void runOnOperation() override {
    getOperation()->walk([](Operation *op) {
      if (!isa<arith::MaximumFOp, arith::MinimumFOp>(op))
        return;
      auto flags = cast<arith::ArithFastMathInterface>(op);
      if (bitEnumContainsAll(flags.getFastMathFlagsAttr().getValue(),
                             arith::FastMathFlags::nnan))
        return;
      if (!finiteBound(op->getOperand(0)) || !finiteBound(op->getOperand(1)))
        return;
      op->setAttr(
          flags.getFastMathAttrName(),
          arith::FastMathFlagsAttr::get(
              op->getContext(), flags.getFastMathFlagsAttr().getValue() |
                                    arith::FastMathFlags::nnan));
    });
  }
};

} // namespace
