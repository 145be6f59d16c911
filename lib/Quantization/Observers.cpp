//===- Observers.cpp - activation statistics and range selection ----------===//
#include "qcc/Quantization/Observers.h"

#include <algorithm>
#include <cmath>

using namespace qcc;

std::optional<CalibMethod> qcc::parseCalibMethod(const std::string &name) {
  if (name == "minmax")
    return CalibMethod::MinMax;
  if (name == "moving-average")
    return CalibMethod::MovingAverage;
  if (name == "percentile")
    return CalibMethod::Percentile;
  if (name == "entropy")
    return CalibMethod::Entropy;
  if (name == "mse")
    return CalibMethod::MSE;
  return std::nullopt;
}

const char *qcc::calibMethodName(CalibMethod method) {
  switch (method) {
  case CalibMethod::MinMax:
    return "minmax";
  case CalibMethod::MovingAverage:
    return "moving-average";
  case CalibMethod::Percentile:
    return "percentile";
  case CalibMethod::Entropy:
    return "entropy";
  case CalibMethod::MSE:
    return "mse";
  }
  return "";
}

void Observer::observe(const float *data, size_t count) {
  float sampleLo = std::numeric_limits<float>::infinity();
  float sampleHi = -sampleLo;
  for (size_t i = 0; i < count; ++i) {
    float v = data[i];
    if (!std::isfinite(v)) {
      ++nonFinite;
      continue;
    }
    sampleLo = std::min(sampleLo, v);
    sampleHi = std::max(sampleHi, v);
  }
  if (sampleLo > sampleHi)
    return;
  finiteCount += count;
  lo = std::min(lo, sampleLo);
  hi = std::max(hi, sampleHi);
  // ONNX Runtime's moving average: m += c * (m_sample - m).
  if (!haveAverage) {
    avgLo = sampleLo;
    avgHi = sampleHi;
    haveAverage = true;
  } else {
    avgLo += options.averagingConstant * (sampleLo - avgLo);
    avgHi += options.averagingConstant * (sampleHi - avgHi);
  }
}

bool Observer::needsHistogram() const {
  return options.method == CalibMethod::Percentile ||
         options.method == CalibMethod::Entropy ||
         options.method == CalibMethod::MSE;
}

void Observer::observeHistogram(const float *data, size_t count) {
  if (!seenFinite())
    return;
  bool absolute = options.method == CalibMethod::Entropy;
  if (histogram.empty()) {
    int bins = std::max(options.bins, 16);
    // KL thresholds need a populated histogram: with few values (a small
    // tensor over few samples) most bins are empty and the search clips
    // far too much. Halve the bins until they average 16 values, but never
    // below the quantized levels (which then leaves the range unclipped).
    if (absolute) {
      int levels = lo >= 0 ? 256 : 128;
      while (bins > levels && finiteCount < (uint64_t)bins * 16)
        bins /= 2;
      bins = std::max(bins, levels);
    }
    histogram.assign(bins, 0);
  }
  int bins = (int)histogram.size();
  double base = absolute ? 0.0 : lo;
  double top = absolute ? std::max(std::fabs(lo), std::fabs(hi)) : hi;
  double width = (top - base) / bins;
  if (!(width > 0)) {
    histogram[0] += count;
    return;
  }
  for (size_t i = 0; i < count; ++i) {
    float v = data[i];
    if (!std::isfinite(v))
      continue;
    double x = absolute ? std::fabs(v) : v;
    int64_t b = (int64_t)((x - base) / width);
    histogram[std::clamp<int64_t>(b, 0, bins - 1)]++;
  }
}

std::pair<double, double>
Observer::percentileRange(const std::vector<uint64_t> &counts, double lo,
                          double hi, double percentile) {
  uint64_t total = 0;
  for (uint64_t c : counts)
    total += c;
  size_t bins = counts.size();
  double width = (hi - lo) / bins;
  // Values beyond `tail` on each side are clipped; the kept range ends at
  // the edges of the bins holding the percentiles.
  double tail = total * (100.0 - percentile) / 100.0;
  size_t first = 0, last = bins - 1;
  uint64_t below = 0;
  while (first + 1 < bins && below + counts[first] <= tail)
    below += counts[first++];
  uint64_t above = 0;
  while (last > first && above + counts[last] <= tail)
    above += counts[last--];
  return {lo + first * width, lo + (last + 1) * width};
}

/// Squared error of uint8 quantization over [a, b] (widened to include 0,
/// as qcc-quantize-static does) of a histogram, each bin at its center.
static double quantizationError(const std::vector<uint64_t> &counts, double lo,
                                double width, double a, double b) {
  a = std::min(a, 0.0);
  b = std::max(b, 0.0);
  double s = (b - a) / 255.0;
  if (!(s > 0))
    return INFINITY;
  double z = std::clamp(std::nearbyint(-a / s), 0.0, 255.0);
  double err = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (!counts[i])
      continue;
    double x = lo + (i + 0.5) * width;
    double q = std::clamp(std::nearbyint(x / s) + z, 0.0, 255.0);
    double d = x - (q - z) * s;
    err += counts[i] * d * d;
  }
  return err;
}

std::pair<double, double>
Observer::mseRange(const std::vector<uint64_t> &counts, double lo, double hi) {
  double width = (hi - lo) / counts.size();
  // Grid over how much of each side to keep; lower error wins, the wider
  // range breaks ties, so the search is deterministic.
  constexpr int steps = 40;
  double bestErr = INFINITY;
  std::pair<double, double> best{lo, hi};
  for (int i = steps; i >= 1; --i) {
    double a = lo < 0 ? lo * i / steps : lo;
    for (int j = steps; j >= 1; --j) {
      double b = hi > 0 ? hi * j / steps : hi;
      if (b <= a)
        continue;
      double err = quantizationError(counts, lo, width, a, b);
      if (err < bestErr) {
        bestErr = err;
        best = {a, b};
      }
      if (hi <= 0)
        break;
    }
    if (lo >= 0)
      break;
  }
  return best;
}

double Observer::entropyThreshold(const std::vector<uint64_t> &counts,
                                  double absMax, int levels) {
  size_t bins = counts.size();
  double width = absMax / bins;
  if ((size_t)levels >= bins)
    return absMax;
  double bestKL = INFINITY;
  size_t bestI = bins;
  std::vector<double> p, q;
  for (size_t i = levels; i <= bins; ++i) {
    // P: the first i bins, everything beyond folded into the last one.
    p.assign(counts.begin(), counts.begin() + i);
    for (size_t k = i; k < bins; ++k)
      p[i - 1] += counts[k];
    // Q: the first i bins merged into `levels` chunks, each chunk's count
    // spread evenly over its non-empty bins (what quantization keeps).
    q.assign(i, 0.0);
    for (int l = 0; l < levels; ++l) {
      size_t begin = i * l / levels, end = i * (l + 1) / levels;
      double sum = 0;
      size_t nonEmpty = 0;
      for (size_t k = begin; k < end; ++k) {
        sum += counts[k];
        nonEmpty += counts[k] != 0;
      }
      for (size_t k = begin; k < end; ++k)
        if (counts[k])
          q[k] = sum / nonEmpty;
    }
    double pSum = 0, qSum = 0;
    for (size_t k = 0; k < i; ++k) {
      pSum += p[k];
      qSum += q[k];
    }
    if (pSum == 0 || qSum == 0)
      continue;
    double kl = 0;
    for (size_t k = 0; k < i; ++k) {
      if (p[k] == 0)
        continue;
      double pk = p[k] / pSum;
      // The folded outliers can land in an empty bin of Q: smooth it.
      double qk = q[k] > 0 ? q[k] / qSum : 1e-12;
      kl += pk * std::log(pk / qk);
    }
    if (kl < bestKL) {
      bestKL = kl;
      bestI = i;
    }
  }
  return bestI * width;
}

std::pair<float, float> Observer::range() const {
  if (!seenFinite())
    return {0.0f, 0.0f};
  switch (options.method) {
  case CalibMethod::MinMax:
    return {lo, hi};
  case CalibMethod::MovingAverage:
    return {(float)avgLo, (float)avgHi};
  case CalibMethod::Percentile:
  case CalibMethod::MSE:
  case CalibMethod::Entropy:
    break;
  }
  if (histogram.empty() || lo == hi)
    return {lo, hi};
  std::pair<double, double> r;
  if (options.method == CalibMethod::Percentile) {
    r = percentileRange(histogram, lo, hi, options.percentile);
  } else if (options.method == CalibMethod::MSE) {
    r = mseRange(histogram, lo, hi);
  } else {
    // TensorRT quantizes |x| into 128 levels (int8); a tensor without
    // negative values gets all 256 of uint8.
    double absMax = std::max(std::fabs(lo), std::fabs(hi));
    double t = entropyThreshold(histogram, absMax, lo >= 0 ? 256 : 128);
    r = {std::max<double>(lo, -t), std::min<double>(hi, t)};
  }
  return {(float)std::max<double>(r.first, lo),
          (float)std::min<double>(r.second, hi)};
}
