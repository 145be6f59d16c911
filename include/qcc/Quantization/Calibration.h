//===- Calibration.h - activation ranges from a calibration set -*- C++ -*-===//
#ifndef QCC_QUANTIZATION_CALIBRATION_H
#define QCC_QUANTIZATION_CALIBRATION_H

#include "qcc/Quantization/Observers.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>

namespace qcc {

struct CalibrationOptions {
  /// A folder of samples: one sub-folder per sample holding `<input>.npy`
  /// or `input_<k>.pb` files (ONNX test-data layout); a folder without
  /// sub-folders is one sample.
  std::string dir;
  /// Use at most this many samples (0: all).
  int64_t maxSamples = 0;
  /// Print "calibrating: i/N" on a terminal.
  bool progress = true;
  /// How ranges are chosen from the observed values.
  ObserverOptions observer;
  /// Also observe what --integer-only requantizes (isRequantizedArithmetic).
  bool integerOnly = false;
};

/// What calibration saw for one observed tensor, for reports.
struct ObservedRange {
  std::string tensor; ///< which tensor, in words
  float min, max;     ///< observed extremes
  float lo, hi;       ///< the range chosen
  uint64_t nonFinite; ///< NaN/Inf values left out
};

/// Runs the float model on the calibration set, in process (compiled by
/// qcc's own pipeline for the host and loaded), observing the inputs and
/// outputs of the layers static quantization will rewrite, and records their
/// [min, max] as `qcc.range` (see QuantRanges.h). Non-finite values are
/// counted and left out; a tensor with no finite value is an error. The
/// range comes from `options.observer` (histogram methods run the set
/// twice: min/max first, then a histogram over that range). `stats`, when
/// given, receives one entry per observed tensor.
llvm::Error calibrate(mlir::ModuleOp module, const CalibrationOptions &options,
                      std::vector<ObservedRange> *stats = nullptr);

} // namespace qcc

#endif // QCC_QUANTIZATION_CALIBRATION_H
