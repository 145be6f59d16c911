//===- QuantWeights.cpp - weight quantization shared by the modes ---------===//
#include "qcc/Dialect/Qcc/Transforms/QuantWeights.h"

#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

std::optional<qcc::QuantizedWeight>
qcc::quantizeInt8PerChannel(DenseElementsAttr w, int64_t axis) {
  auto shape = w.getType().getShape();
  int64_t channels = shape[axis];
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < (int64_t)shape.size(); ++d)
    inner *= shape[d];
  auto values = llvm::to_vector(w.getValues<float>());
  SmallVector<float> scales(channels, 0.0f);
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i]))
      return std::nullopt;
    int64_t c = (i / inner) % channels;
    scales[c] = std::max(scales[c], std::fabs(values[i]));
  }
  for (float &s : scales)
    s = s > 0 ? s / 127.0f : 1.0f;
  SmallVector<int8_t> q(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    // nearbyint rounds half to even in the default rounding mode.
    float v = std::nearbyint(values[i] / scales[(i / inner) % channels]);
    q[i] = (int8_t)std::clamp(v, -127.0f, 127.0f);
  }
  MLIRContext *ctx = w.getContext();
  return QuantizedWeight{
      DenseElementsAttr::get(
          RankedTensorType::get(shape, IntegerType::get(ctx, 8)), ArrayRef(q)),
      DenseElementsAttr::get(
          RankedTensorType::get({channels}, Float32Type::get(ctx)),
          ArrayRef(scales))};
}
