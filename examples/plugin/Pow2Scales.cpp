//===- Pow2Scales.cpp - example qcc pass plugin ---------------------------===//
//
// A quantization pass added to qcc without forking it: int8 weight scales
// rounded up to powers of two, for accelerators whose requantization can
// only shift. It runs where qcc's own quantization has made Q/DQ explicit:
//
//   qcc m.onnx --quant=int8 --calib=DIR \
//       --load-pass-plugin=build/lib/QccPow2Scales.so \
//       --pass-at='after-quantize=func.func(qcc-example-pow2-scales)'
//
// See docs/Plugins.md for the walk-through.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Tools/Plugins/PassPlugin.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace {
struct Pow2ScalesPass
    : PassWrapper<Pow2ScalesPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(Pow2ScalesPass)

  StringRef getArgument() const override { return "qcc-example-pow2-scales"; }
  StringRef getDescription() const override {
    return "Round int8 weight scales up to powers of two (example plugin)";
  }

  void runOnOperation() override {
    getOperation().walk([&](qcc::DequantizeLinearOp dq) {
      // Symmetric int8 weights: constant values and scales, no zero point,
      // per tensor or per channel (not blocked).
      DenseElementsAttr values, scales;
      if (dq.getZeroPoint() || dq.getBlockSize() != 0 ||
          !matchPattern(dq.getInput(), m_Constant(&values)) ||
          !matchPattern(dq.getScale(), m_Constant(&scales)) ||
          !values.getElementType().isSignlessInteger(8) ||
          !scales.getElementType().isF32())
        return;
      auto shape = values.getType().getShape();
      int64_t axis = dq.getAxis(), channels = scales.getNumElements();
      int64_t inner = 1;
      for (int64_t d = axis + 1; d < (int64_t)shape.size(); ++d)
        inner *= shape[d];
      SmallVector<float> s(scales.getValues<float>());
      SmallVector<float> p(s.size());
      for (size_t c = 0; c < s.size(); ++c)
        p[c] = s[c] > 0 ? std::exp2(std::ceil(std::log2(s[c]))) : 1.0f;
      // q' = round_half_even(q * s / p): the same real weight, within half
      // a step of the (coarser or equal) power-of-two grid.
      SmallVector<int8_t> q;
      int64_t i = 0;
      for (const APInt &v : values.getValues<APInt>()) {
        int64_t c = channels == 1 ? 0 : (i / inner) % channels;
        float r = std::nearbyint((float)v.getSExtValue() * s[c] / p[c]);
        q.push_back((int8_t)std::clamp(r, -127.0f, 127.0f));
        ++i;
      }
      OpBuilder b(dq);
      Location loc = dq.getLoc();
      auto qAttr = DenseElementsAttr::get(values.getType(), ArrayRef(q));
      auto sAttr = DenseElementsAttr::get(scales.getType(), ArrayRef(p));
      dq.getInputMutable().assign(
          qcc::ConstantOp::create(b, loc, qAttr.getType(), qAttr));
      dq.getScaleMutable().assign(
          qcc::ConstantOp::create(b, loc, sAttr.getType(), sAttr));
    });
  }
};
} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "QccPow2Scales", "0.1",
          []() { PassRegistration<Pow2ScalesPass>(); }};
}
