//===- QuantWeights.h - weight quantization shared by the modes -*- C++ -*-===//
#ifndef QCC_DIALECT_QCC_TRANSFORMS_QUANTWEIGHTS_H
#define QCC_DIALECT_QCC_TRANSFORMS_QUANTWEIGHTS_H

#include "mlir/IR/BuiltinAttributes.h"

#include <optional>

namespace qcc {

struct QuantizedWeight {
  mlir::DenseElementsAttr values; ///< int8, the weight's shape
  mlir::DenseElementsAttr scales; ///< f32, one per channel
};

/// Symmetric narrow-range int8 per channel along `axis` of a float32
/// constant: `s = max |w| / 127` (1 for an all-zero channel),
/// `q = clamp(round_half_even(w / s), -127, 127)`. Nothing for non-finite
/// weights.
std::optional<QuantizedWeight>
quantizeInt8PerChannel(mlir::DenseElementsAttr weights, int64_t axis);

} // namespace qcc

#endif
