//===- QuantWeights.cpp - weight quantization shared by the modes ---------===//
#include "qcc/Dialect/Qcc/Transforms/QuantWeights.h"
#include "qcc/Dialect/Qcc/IR/Weights.h"

#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using qcc::makeWeight;
using qcc::WeightBuffer;

/// A constant of `shape` and `elem` from `values`, one byte or float each,
/// in the size class of `like` (resource or dense).
template <typename T>
static ElementsAttr constantLike(ElementsAttr like, ArrayRef<int64_t> shape,
                                 Type elem, ArrayRef<T> values,
                                 StringRef hint) {
  WeightBuffer buffer(values.size() * sizeof(T));
  std::memcpy(buffer.data(), values.data(), buffer.size());
  return makeWeight(RankedTensorType::get(shape, elem), std::move(buffer),
                    qcc::isResourceWeight(like), hint);
}

std::optional<qcc::QuantizedWeight>
qcc::quantizeInt8PerChannel(ElementsAttr w, int64_t axis) {
  auto shape = w.getShapedType().getShape();
  int64_t channels = shape[axis];
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < (int64_t)shape.size(); ++d)
    inner *= shape[d];
  std::vector<float> values = weightFloats(w);
  SmallVector<float> scales(channels, 0.0f);
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i]))
      return std::nullopt;
    int64_t c = (i / inner) % channels;
    scales[c] = std::max(scales[c], std::fabs(values[i]));
  }
  for (float &s : scales)
    s = s > 0 ? s / 127.0f : 1.0f;
  std::vector<int8_t> q(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    // nearbyint rounds half to even in the default rounding mode.
    float v = std::nearbyint(values[i] / scales[(i / inner) % channels]);
    q[i] = (int8_t)std::clamp(v, -127.0f, 127.0f);
  }
  MLIRContext *ctx = w.getContext();
  doneReadingWeight(w);
  return QuantizedWeight{
      constantLike<int8_t>(w, shape, IntegerType::get(ctx, 8), q, "int8"),
      DenseElementsAttr::get(
          RankedTensorType::get({channels}, Float32Type::get(ctx)),
          ArrayRef(scales))};
}

std::optional<int64_t> qcc::firstNonFinite(ElementsAttr w) {
  std::optional<WeightData> data = getWeightData(w);
  if (!data || !isa<FloatType>(data->type.getElementType()))
    return std::nullopt;
  if (data->type.getElementType().isF32()) {
    int64_t n = data->splat ? 1 : data->type.getNumElements();
    for (int64_t i = 0; i < n; ++i)
      if (!std::isfinite(data->at<float>(i)))
        return i;
    return std::nullopt;
  }
  std::vector<float> values = weightFloats(w);
  for (size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      return i;
  return std::nullopt;
}

qcc::GroupedWeight qcc::quantizeGrouped(ElementsAttr w,
                                        int64_t reductionAxis,
                                        const WeightScheme &scheme) {
  MLIRContext *ctx = w.getContext();
  auto shape = w.getShapedType().getShape();
  int64_t rows = shape[0], cols = shape[1];
  int64_t k = shape[reductionAxis];
  int64_t channelAxis = 1 - reductionAxis;
  int64_t channels = shape[channelAxis];
  int64_t block = scheme.groupSize > 0 ? std::min(scheme.groupSize, k) : k;
  int64_t groups = (k + block - 1) / block;
  unsigned bits = scheme.bits;
  unsigned width = bits <= 2 ? 2 : bits <= 4 ? 4 : 8;
  double qmax = scheme.symmetric ? std::ldexp(1.0, bits - 1) - 1
                                 : std::ldexp(1.0, bits) - 1;
  double qmin = scheme.symmetric ? -qmax : 0;

  std::optional<WeightData> data = getWeightData(w);
  std::vector<float> converted;
  if (!data->type.getElementType().isF32() || data->splat)
    converted = weightFloats(w);
  const float *values = converted.empty()
                            ? reinterpret_cast<const float *>(data->raw.data())
                            : converted.data();
  // Group g of channel c covers reduction indices [g*block, (g+1)*block).
  auto at = [&](int64_t r, int64_t c) -> float {
    return reductionAxis == 0 ? values[r * cols + c] : values[c * cols + r];
  };
  SmallVector<float> scales(groups * channels);
  SmallVector<int8_t> zps(groups * channels, 0);
  // Values one per byte (DenseElementsAttr's layout of sub-byte integers).
  WeightBuffer q(rows * cols);
  auto qs = q.as<int8_t>();
  for (int64_t c = 0; c < channels; ++c) {
    for (int64_t g = 0; g < groups; ++g) {
      int64_t begin = g * block, end = std::min(k, begin + block);
      double lo = 0, hi = 0;
      for (int64_t r = begin; r < end; ++r) {
        lo = std::min(lo, (double)at(r, c));
        hi = std::max(hi, (double)at(r, c));
      }
      float s;
      int64_t z = 0;
      if (scheme.symmetric) {
        s = (float)(std::max(-lo, hi) / qmax);
      } else {
        s = (float)((hi - lo) / qmax);
      }
      if (!(s >= std::numeric_limits<float>::min())) {
        s = 1.0f;
      } else if (!scheme.symmetric) {
        z = (int64_t)std::clamp(std::nearbyint(-lo / (double)s), 0.0, qmax);
      }
      // Scales are indexed [group][channel] when the reduction axis is 0
      // and [channel][group] otherwise: the weight's own dim order.
      int64_t idx = reductionAxis == 0 ? g * channels + c : c * groups + g;
      scales[idx] = s;
      zps[idx] = (int8_t)z;
      for (int64_t r = begin; r < end; ++r) {
        // Divide in float as DequantizeLinear's inverse, QuantizeLinear,
        // does; nearbyint rounds half to even.
        double v = std::nearbyint(at(r, c) / s) + (double)z;
        int64_t flat = reductionAxis == 0 ? r * cols + c : c * cols + r;
        // Two's complement in the byte: the container keeps the low bits.
        qs[flat] = (int8_t)(int64_t)std::clamp(v, qmin, qmax);
      }
    }
  }
  doneReadingWeight(w);
  // Sub-byte values in DenseElementsAttr's layout keep only `width` bits.
  if (width < 8)
    for (int8_t &v : qs)
      v = (int8_t)((uint8_t)v & ((1u << width) - 1));

  auto elem = IntegerType::get(ctx, width,
                               scheme.symmetric ? IntegerType::Signless
                                                : IntegerType::Unsigned);
  GroupedWeight out;
  out.values = makeWeight(RankedTensorType::get({rows, cols}, elem),
                          std::move(q), isResourceWeight(w), "packed");
  SmallVector<int64_t> paramShape;
  if (scheme.groupSize > 0) {
    out.axis = reductionAxis;
    out.blockSize = block;
    paramShape = reductionAxis == 0 ? SmallVector<int64_t>{groups, channels}
                                    : SmallVector<int64_t>{channels, groups};
  } else {
    out.axis = channelAxis;
    paramShape = {channels};
  }
  out.scales = constantLike<float>(w, paramShape, Float32Type::get(ctx),
                                   scales, "scales");
  if (!scheme.symmetric) {
    if (width < 8)
      for (int8_t &z : zps)
        z = (int8_t)((uint8_t)z & ((1u << width) - 1));
    out.zeroPoints =
        constantLike<int8_t>(w, paramShape, elem, zps, "zero_points");
  }
  return out;
}

qcc::QuantizedWeight qcc::quantizeInt8PerTensor(ElementsAttr w) {
  std::vector<float> values = weightFloats(w);
  float absMax = 0;
  for (float v : values)
    absMax = std::max(absMax, std::fabs(v));
  float s = absMax > 0 ? absMax / 127.0f : 1.0f;
  std::vector<int8_t> q(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    q[i] = (int8_t)std::clamp(std::nearbyint(values[i] / s), -127.0f, 127.0f);
  MLIRContext *ctx = w.getContext();
  doneReadingWeight(w);
  auto scalar = RankedTensorType::get({}, Float32Type::get(ctx));
  return QuantizedWeight{
      constantLike<int8_t>(w, w.getShapedType().getShape(),
                           IntegerType::get(ctx, 8), q, "int8"),
      DenseElementsAttr::get(scalar, s)};
}
