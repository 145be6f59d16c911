//===- QuantRanges.h - calibrated activation ranges -------------*- C++ -*-===//
//
// Calibration records the observed [min, max] of an activation as
// `qcc.range` on the op producing it (`qcc.ranges`, one pair per result) or
// on the `main` argument; quantization passes read them back.
//
//===----------------------------------------------------------------------===//
#ifndef QCC_DIALECT_QCC_TRANSFORMS_QUANTRANGES_H
#define QCC_DIALECT_QCC_TRANSFORMS_QUANTRANGES_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>
#include <utility>

namespace qcc {
/// The calibrated range of `v`, if recorded.
std::optional<std::pair<float, float>> getRange(mlir::Value v);
/// Records the calibrated range of `v`.
void setRange(mlir::Value v, float lo, float hi);
/// Conv, ConvTranspose and MatMul with a constant float weight: the layers
/// static int8 quantizes.
bool isQuantizableLayer(mlir::Operation *op);
/// With --integer-only, also Add, Sub and Mul of two activations: computed
/// in int32 and requantized, so their output needs a calibrated scale (an
/// Add/Sub whose only user is another one is inside a tree summed at once).
bool isRequantizedArithmetic(mlir::Operation *op);
/// Where a layer's output is observed: past a per-column bias Add and a
/// Mul or Div by a positive scalar constant (attention's 1/sqrt(d)), its
/// only Relu user, or itself.
mlir::Value observedOutput(mlir::Operation *layer);
/// With --integer-only, a MatMul of two activations (attention's Q K^T and
/// P V): both operands and the output are calibrated, the product runs as
/// MatMulInteger on 8-bit values.
bool isActivationMatMul(mlir::Operation *op);
/// The values beyond the layers' inputs and outputs that --integer-only
/// calibrates for `op`: requantized arithmetic's output, an activation
/// MatMul's operands and output, LayerNormalization's input and output,
/// GlobalAveragePool's, ReduceMean's and linear Resize's output.
llvm::SmallVector<mlir::Value> integerOnlyObserved(mlir::Operation *op);

/// 'name' for a named location (an initializer or node), else the location
/// printed: for messages.
std::string locName(mlir::Location loc);

/// The number of products an output of a Conv or MatMul layer sums (its
/// weight's elements per output channel, or K).
int64_t reductionLength(mlir::Operation *layer);
/// u8 x s8 products are at most 255 * 127 in magnitude: this many always fit
/// an int32 accumulator.
constexpr int64_t kMaxInt32Terms = 2147483647 / (255 * 127);

/// Per-layer overrides (`--exclude`, `--quant-config`), as attributes on the
/// layer op: `qcc.quant = "float"` keeps it in float in every mode;
/// `qcc.weight_bits`, `qcc.group_size` and `qcc.symmetric` replace the
/// weight-only scheme.
bool isExcluded(mlir::Operation *op);
std::optional<int64_t> overrideInt(mlir::Operation *op, llvm::StringRef name);
std::optional<bool> overrideBool(mlir::Operation *op, llvm::StringRef name);
} // namespace qcc

#endif
