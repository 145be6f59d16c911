//===- FoldBatchNorm.cpp - BatchNormalization into Conv weights -----------===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

namespace qcc {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

static std::optional<SmallVector<double>> constantValues(Value v) {
  ElementsAttr attr = v ? matchWeight(v) : ElementsAttr();
  if (!attr || !attr.getElementType().isF32())
    return std::nullopt;
  SmallVector<double> out;
  for (float f : weightFloats(attr))
    out.push_back(f);
  return out;
}

namespace {
struct FoldBatchNormPass : qcc::impl::FoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    SmallVector<BatchNormOp> norms;
    getOperation().walk([&](BatchNormOp bn) { norms.push_back(bn); });
    for (BatchNormOp bn : norms) {
      auto conv = bn.getInput().getDefiningOp<ConvOp>();
      if (!conv || !conv->hasOneUse())
        continue;
      auto weight = constantValues(conv.getWeight());
      auto scale = constantValues(bn.getScale());
      auto shift = constantValues(bn.getBias());
      auto mean = constantValues(bn.getMean());
      auto var = constantValues(bn.getVariance());
      std::optional<SmallVector<double>> bias;
      if (conv.getBias()) {
        bias = constantValues(conv.getBias());
        if (!bias)
          continue;
      }
      if (!weight || !scale || !shift || !mean || !var)
        continue;
      auto wType = cast<RankedTensorType>(conv.getWeight().getType());
      int64_t channels = wType.getDimSize(0);
      if ((int64_t)scale->size() != channels)
        continue;
      int64_t perChannel = wType.getNumElements() / channels;
      double eps = bn.getEpsilon().convertToDouble();
      WeightBuffer newWeightBytes(weight->size() * sizeof(float));
      auto newWeight = newWeightBytes.as<float>();
      SmallVector<float> newBias(channels);
      bool finite = true;
      for (int64_t o = 0; o < channels; ++o) {
        double k = (*scale)[o] / std::sqrt((*var)[o] + eps);
        for (int64_t i = 0; i < perChannel; ++i)
          newWeight[o * perChannel + i] =
              (float)((*weight)[o * perChannel + i] * k);
        double b = bias ? (*bias)[o] : 0.0;
        newBias[o] = (float)((b - (*mean)[o]) * k + (*shift)[o]);
        finite &= std::isfinite(k) && std::isfinite(newBias[o]);
      }
      if (!finite)
        continue;
      OpBuilder b(conv);
      Location loc = conv.getLoc();
      Value w = ConstantOp::create(
          b, loc, wType,
          makeWeight(wType, std::move(newWeightBytes),
                     isResourceWeight(matchWeight(conv.getWeight())),
                     "folded"));
      auto bType = RankedTensorType::get({channels}, b.getF32Type());
      Value bi = ConstantOp::create(
          b, loc, bType, DenseElementsAttr::get(bType, ArrayRef(newBias)));
      auto folded = ConvOp::create(
          b, loc, bn.getType(), conv.getInput(), w, bi, conv.getStridesAttr(),
          conv.getPadsAttr(), conv.getDilationsAttr(), conv.getGroupAttr());
      // Per-layer annotations (overrides, report tags) stay with the layer.
      folded->setDiscardableAttrs(conv->getDiscardableAttrDictionary());
      bn.replaceAllUsesWith(folded.getOutput());
      bn.erase();
      conv.erase();
    }
  }
};
} // namespace
