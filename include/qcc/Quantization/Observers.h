//===- Observers.h - activation statistics and range selection --*- C++ -*-===//
//
// An observer watches one float tensor over a calibration set and picks the
// range [lo, hi] that its uint8 quantization will cover. Plain C++ (no MLIR)
// so the numerics are unit-tested directly.
//
//===----------------------------------------------------------------------===//
#ifndef QCC_QUANTIZATION_OBSERVERS_H
#define QCC_QUANTIZATION_OBSERVERS_H

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace qcc {

enum class CalibMethod {
  MinMax,        ///< min and max over all samples
  MovingAverage, ///< per-sample min/max, exponentially averaged
  Percentile,    ///< clip each tail at (100 - p)% of the values
  Entropy,       ///< KL-divergence threshold on |x| (TensorRT)
  MSE,           ///< range minimizing the quantization mean squared error
};

std::optional<CalibMethod> parseCalibMethod(const std::string &name);
const char *calibMethodName(CalibMethod method);

struct ObserverOptions {
  CalibMethod method = CalibMethod::MinMax;
  /// Percentile: the share of values kept, per tail (99.999 clips 0.001%).
  double percentile = 99.999;
  /// MovingAverage: weight of each new sample's min/max.
  double averagingConstant = 0.01;
  /// Histogram bins for Percentile, Entropy and MSE (Entropy uses fewer
  /// for tensors with few values, down to its quantized levels).
  int bins = 2048;
};

class Observer {
public:
  explicit Observer(const ObserverOptions &options) : options(options) {}

  /// Pass 1, once per sample: min/max (and their moving average). NaN and
  /// infinities are counted and skipped.
  void observe(const float *data, size_t count);
  /// Whether the method needs pass 2 (a histogram over pass 1's range).
  bool needsHistogram() const;
  /// Pass 2, once per sample, after pass 1 over every sample.
  void observeHistogram(const float *data, size_t count);

  /// Whether any finite value was seen.
  bool seenFinite() const { return lo <= hi; }
  uint64_t nonFiniteCount() const { return nonFinite; }
  /// The observed extremes over all samples.
  float observedMin() const { return lo; }
  float observedMax() const { return hi; }
  /// The range the method selects (within the observed extremes).
  std::pair<float, float> range() const;

  /// The selection rules on a finished histogram, exposed for tests:
  /// `counts` over [lo, hi] in equal bins (Entropy: over [0, max |x|]).
  static std::pair<double, double>
  percentileRange(const std::vector<uint64_t> &counts, double lo, double hi,
                  double percentile);
  static std::pair<double, double> mseRange(const std::vector<uint64_t> &counts,
                                            double lo, double hi);
  static double entropyThreshold(const std::vector<uint64_t> &absCounts,
                                 double absMax, int levels);

private:
  ObserverOptions options;
  float lo = std::numeric_limits<float>::infinity();
  float hi = -std::numeric_limits<float>::infinity();
  double avgLo = 0, avgHi = 0;
  bool haveAverage = false;
  uint64_t nonFinite = 0;
  uint64_t finiteCount = 0; ///< values seen in pass 1 (an upper bound)
  std::vector<uint64_t> histogram;
};

} // namespace qcc

#endif // QCC_QUANTIZATION_OBSERVERS_H
