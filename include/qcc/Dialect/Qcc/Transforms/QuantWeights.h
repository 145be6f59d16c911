//===- QuantWeights.h - weight quantization shared by the modes -*- C++ -*-===//
#ifndef QCC_DIALECT_QCC_TRANSFORMS_QUANTWEIGHTS_H
#define QCC_DIALECT_QCC_TRANSFORMS_QUANTWEIGHTS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"

#include <optional>

namespace qcc {

// Weights are read and written through qcc/Dialect/Qcc/IR/Weights.h: a
// resource weight quantizes into resource values (and scales and zero
// points of its size class), a dense one into dense attributes.

struct QuantizedWeight {
  mlir::ElementsAttr values; ///< int8, the weight's shape
  mlir::ElementsAttr scales; ///< f32, one per channel
};

/// Symmetric narrow-range int8 per channel along `axis` of a float32
/// constant: `s = max |w| / 127` (1 for an all-zero channel),
/// `q = clamp(round_half_even(w / s), -127, 127)`. Nothing for non-finite
/// weights.
std::optional<QuantizedWeight>
quantizeInt8PerChannel(mlir::ElementsAttr weights, int64_t axis);

/// Symmetric narrow-range int8 with one scale for the whole (finite)
/// tensor: `s = max |w| / 127` (1 when all zero), scale rank 0.
QuantizedWeight quantizeInt8PerTensor(mlir::ElementsAttr weights);

/// How a weight-only mode stores a 2-D weight.
struct WeightScheme {
  unsigned bits = 4;       ///< 2..8
  int64_t groupSize = 128; ///< along the reduction axis; 0: per channel
  bool symmetric = false;
};

/// A weight as ONNX DequantizeLinear operands: `values` of the weight's
/// shape in the smallest container of 2, 4 or 8 bits (signless when
/// symmetric, unsigned otherwise), f32 `scales`, and `zeroPoints` of the
/// values' type (null when symmetric). Per channel (`blockSize` 0) the
/// scales are 1-D along `axis`; grouped, they have the weight's rank with
/// dim `axis` divided by `blockSize`.
struct GroupedWeight {
  mlir::ElementsAttr values, scales, zeroPoints;
  int64_t axis = 0;
  int64_t blockSize = 0;
};

/// Round-to-nearest quantization of a finite 2-D float32 `weights` in groups
/// of `scheme.groupSize` along `reductionAxis` (whole columns when 0).
/// Asymmetric: the group's range widened to include 0,
/// `s = (max - min) / (2^bits - 1)`, `z = clamp(round(-min / s))`,
/// `q = clamp(round(w / s) + z, 0, 2^bits - 1)`. Symmetric: `s = max |w| /
/// (2^(bits-1) - 1)`, `q` in +-(2^(bits-1) - 1). Rounding is half to even. A
/// group whose scale would be zero or below the smallest normal float32
/// (all values zero or denormal) gets `s = 1` and `q = z = 0`.
GroupedWeight quantizeGrouped(mlir::ElementsAttr weights,
                              int64_t reductionAxis,
                              const WeightScheme &scheme);

/// Index of the first NaN or infinity of a float constant, if any.
std::optional<int64_t> firstNonFinite(mlir::ElementsAttr weights);

} // namespace qcc

#endif
