//===- ObserversTest.cpp - calibration range selection --------------------===//
#include "qcc/Quantization/Observers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace qcc;

namespace {

ObserverOptions with(CalibMethod method) {
  ObserverOptions o;
  o.method = method;
  return o;
}

/// Feeds `samples` to both passes as the calibration driver does.
std::pair<float, float> select(const ObserverOptions &options,
                               const std::vector<std::vector<float>> &samples) {
  Observer obs(options);
  for (const auto &s : samples)
    obs.observe(s.data(), s.size());
  if (obs.needsHistogram())
    for (const auto &s : samples)
      obs.observeHistogram(s.data(), s.size());
  return obs.range();
}

/// Gaussian values with a few far outliers.
std::vector<float> gaussianWithOutliers(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(n);
  for (float &x : v)
    x = normal(rng);
  v[0] = 40.0f;
  v[1] = -35.0f;
  return v;
}

TEST(Observers, ParseNames) {
  for (const char *name :
       {"minmax", "moving-average", "percentile", "entropy", "mse"})
    EXPECT_STREQ(calibMethodName(*parseCalibMethod(name)), name);
  EXPECT_FALSE(parseCalibMethod("kl"));
}

TEST(Observers, MinMaxSkipsNonFinite) {
  std::vector<float> a{1.0f, NAN, -2.0f, INFINITY}, b{3.0f, -INFINITY};
  Observer obs(with(CalibMethod::MinMax));
  obs.observe(a.data(), a.size());
  obs.observe(b.data(), b.size());
  EXPECT_EQ(obs.range(), std::make_pair(-2.0f, 3.0f));
  EXPECT_EQ(obs.nonFiniteCount(), 3u);
}

TEST(Observers, AllNonFiniteSeesNothing) {
  std::vector<float> a{NAN, INFINITY};
  Observer obs(with(CalibMethod::MinMax));
  obs.observe(a.data(), a.size());
  EXPECT_FALSE(obs.seenFinite());
}

TEST(Observers, MovingAverageFollowsOnnxRuntime) {
  // m = m0, then m += 0.5 * (m_s - m).
  ObserverOptions o = with(CalibMethod::MovingAverage);
  o.averagingConstant = 0.5;
  auto r = select(o, {{-1.0f, 1.0f}, {-3.0f, 5.0f}, {0.0f, 2.0f}});
  EXPECT_FLOAT_EQ(r.first, -1.0f); // -1 -> -2 -> -1
  EXPECT_FLOAT_EQ(r.second, 2.5f); // 1 -> 3 -> 2.5
}

TEST(Observers, PercentileClipsOutliers) {
  ObserverOptions o = with(CalibMethod::Percentile);
  o.percentile = 99.9;
  auto r = select(o, {gaussianWithOutliers(100000, 1)});
  // The 0.1% tails of N(0, 1) are at +-3.09; the outliers are gone.
  EXPECT_NEAR(r.first, -3.09f, 0.1f);
  EXPECT_NEAR(r.second, 3.09f, 0.1f);
}

TEST(Observers, PercentileOfUniformHistogram) {
  // 100 bins of 10 over [0, 100]: keeping 90% per tail drops 10 bins a side.
  std::vector<uint64_t> counts(100, 10);
  auto [lo, hi] = Observer::percentileRange(counts, 0.0, 100.0, 90.0);
  EXPECT_DOUBLE_EQ(lo, 10.0);
  EXPECT_DOUBLE_EQ(hi, 90.0);
}

TEST(Observers, EntropyClipsLongTail) {
  auto r =
      select(with(CalibMethod::Entropy), {gaussianWithOutliers(100000, 2)});
  // Far inside the outliers, but keeping the body of the distribution.
  EXPECT_GT(r.second, 2.5f);
  EXPECT_LT(r.second, 15.0f);
  EXPECT_FLOAT_EQ(r.first, -r.second);
}

TEST(Observers, EntropyKeepsUniformRange) {
  // Nothing to gain by clipping a uniform distribution.
  std::vector<uint64_t> counts(2048, 5);
  EXPECT_NEAR(Observer::entropyThreshold(counts, 1.0, 128), 1.0, 0.01);
}

TEST(Observers, MseClipsOutliersButNotBody) {
  auto r = select(with(CalibMethod::MSE), {gaussianWithOutliers(100000, 3)});
  EXPECT_LT(r.second, 40.0f);
  EXPECT_GT(r.second, 2.0f);
  EXPECT_LT(r.first, -2.0f);
}

TEST(Observers, MseKeepsUniformRange) {
  std::vector<uint64_t> counts(2048, 5);
  auto [lo, hi] = Observer::mseRange(counts, 0.0, 8.0);
  EXPECT_DOUBLE_EQ(lo, 0.0);
  EXPECT_NEAR(hi, 8.0, 0.25);
}

TEST(Observers, ConstantTensor) {
  for (CalibMethod m : {CalibMethod::MinMax, CalibMethod::Percentile,
                        CalibMethod::Entropy, CalibMethod::MSE}) {
    auto r = select(with(m), {{2.0f, 2.0f}, {2.0f}});
    EXPECT_EQ(r, std::make_pair(2.0f, 2.0f)) << calibMethodName(m);
  }
}

TEST(Observers, Deterministic) {
  auto data = gaussianWithOutliers(5000, 4);
  for (CalibMethod m :
       {CalibMethod::Percentile, CalibMethod::Entropy, CalibMethod::MSE})
    EXPECT_EQ(select(with(m), {data}), select(with(m), {data}));
}

} // namespace

namespace {
TEST(Observers, EntropyNeedsData) {
  // 160 values (a 10-wide classifier over 16 samples): too few for a 2048
  // bin KL search, which would clip to a sliver; the range stays whole.
  std::mt19937 rng(5);
  std::normal_distribution<float> normal(0.0f, 0.2f);
  std::vector<std::vector<float>> samples(16, std::vector<float>(10));
  for (auto &s : samples)
    for (float &v : s)
      v = normal(rng);
  ObserverOptions o;
  o.method = CalibMethod::Entropy;
  Observer obs(o);
  for (auto &s : samples)
    obs.observe(s.data(), s.size());
  for (auto &s : samples)
    obs.observeHistogram(s.data(), s.size());
  auto [lo, hi] = obs.range();
  EXPECT_GT(hi - lo, 0.5f * (obs.observedMax() - obs.observedMin()));
}
} // namespace
