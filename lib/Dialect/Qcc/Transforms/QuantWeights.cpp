//===- QuantWeights.cpp - weight quantization shared by the modes ---------===//
#include "qcc/Dialect/Qcc/Transforms/QuantWeights.h"

#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

std::optional<int64_t> qcc::firstNonFinite(DenseElementsAttr w) {
  int64_t i = 0;
  for (APFloat v : w.getValues<APFloat>()) {
    if (!v.isFinite())
      return i;
    ++i;
  }
  return std::nullopt;
}

qcc::GroupedWeight qcc::quantizeGrouped(DenseElementsAttr w,
                                        int64_t reductionAxis,
                                        const WeightScheme &scheme) {
  MLIRContext *ctx = w.getContext();
  auto shape = w.getType().getShape();
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

  auto values = llvm::to_vector(w.getValues<float>());
  // Group g of channel c covers reduction indices [g*block, (g+1)*block).
  auto at = [&](int64_t r, int64_t c) -> float & {
    return reductionAxis == 0 ? values[r * cols + c] : values[c * cols + r];
  };
  SmallVector<float> scales(groups * channels);
  SmallVector<int64_t> zps(groups * channels, 0);
  SmallVector<int64_t> q(values.size());
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
      zps[idx] = z;
      for (int64_t r = begin; r < end; ++r) {
        // Divide in float as DequantizeLinear's inverse, QuantizeLinear,
        // does; nearbyint rounds half to even.
        double v = std::nearbyint(at(r, c) / s) + (double)z;
        int64_t flat = reductionAxis == 0 ? r * cols + c : c * cols + r;
        q[flat] = (int64_t)std::clamp(v, qmin, qmax);
      }
    }
  }

  auto elem = IntegerType::get(ctx, width,
                               scheme.symmetric ? IntegerType::Signless
                                                : IntegerType::Unsigned);
  auto toAttr = [&](ArrayRef<int64_t> data, ArrayRef<int64_t> dims) {
    SmallVector<APInt> ints;
    ints.reserve(data.size());
    for (int64_t v : data)
      ints.emplace_back(width, (uint64_t)v, /*isSigned=*/scheme.symmetric);
    return DenseElementsAttr::get(RankedTensorType::get(dims, elem), ints);
  };

  GroupedWeight out;
  out.values = toAttr(q, {rows, cols});
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
  out.scales = DenseElementsAttr::get(
      RankedTensorType::get(paramShape, Float32Type::get(ctx)),
      ArrayRef(scales));
  if (!scheme.symmetric)
    out.zeroPoints = toAttr(zps, paramShape);
  return out;
}

qcc::QuantizedWeight qcc::quantizeInt8PerTensor(DenseElementsAttr w) {
  auto values = llvm::to_vector(w.getValues<float>());
  float absMax = 0;
  for (float v : values)
    absMax = std::max(absMax, std::fabs(v));
  float s = absMax > 0 ? absMax / 127.0f : 1.0f;
  SmallVector<int8_t> q(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    q[i] = (int8_t)std::clamp(std::nearbyint(values[i] / s), -127.0f, 127.0f);
  MLIRContext *ctx = w.getContext();
  auto scalar = RankedTensorType::get({}, Float32Type::get(ctx));
  return QuantizedWeight{
      DenseElementsAttr::get(RankedTensorType::get(w.getType().getShape(),
                                                   IntegerType::get(ctx, 8)),
                             ArrayRef(q)),
      DenseElementsAttr::get(scalar, s)};
}
