//===- FixedPointTest.cpp - integer-only requantization arithmetic --------===//
#include "qcc/Dialect/Qcc/Transforms/FixedPoint.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace qcc;

TEST(FixedPoint, RepresentsScalesToWithinHalfAnUlpOfTheMultiplier) {
  for (double scale : {1.0, 0.5, 0.75, 1e-3, 3.0517578125e-05, 0.3333333333,
                       7.123e-7, 1.9999999, 12345.678}) {
    auto fp = toFixedPoint(scale);
    ASSERT_TRUE(fp) << scale;
    EXPECT_GE(fp->multiplier, 1 << 30);
    double back = std::ldexp((double)fp->multiplier, -fp->shift);
    EXPECT_LE(std::fabs(back - scale), std::ldexp(0.5, -fp->shift)) << scale;
  }
}

TEST(FixedPoint, RejectsScalesWithoutAForm) {
  EXPECT_FALSE(toFixedPoint(0.0));
  EXPECT_FALSE(toFixedPoint(-1e-3));
  EXPECT_FALSE(toFixedPoint(NAN));
  EXPECT_FALSE(toFixedPoint(INFINITY));
  EXPECT_FALSE(toFixedPoint(0x1p31));
  // Too small to move any int32: multiplier 0.
  auto tiny = toFixedPoint(0x1p-40);
  ASSERT_TRUE(tiny);
  EXPECT_EQ(tiny->multiplier, 0);
  EXPECT_EQ(requantize(INT32_MAX, *tiny, 3, 0, 255), 3);
}

TEST(FixedPoint, RoundsHalfUpAndSaturates) {
  auto half = *toFixedPoint(0.5);
  EXPECT_EQ(requantize(3, half, 0, -128, 127), 2);   // 1.5 -> 2
  EXPECT_EQ(requantize(-3, half, 0, -128, 127), -1); // -1.5 -> -1
  EXPECT_EQ(requantize(5, half, 0, -128, 127), 3);   // 2.5 -> 3
  EXPECT_EQ(requantize(1000, half, 10, 0, 255), 255);
  EXPECT_EQ(requantize(-1000, half, 10, 0, 255), 0);
  EXPECT_EQ(
      requantize(INT32_MIN, *toFixedPoint(0.999), 0, INT32_MIN, INT32_MAX),
      (int32_t)std::floor(INT32_MIN * 0.999 + 0.5));
}

TEST(FixedPoint, MatchesRealArithmeticWithinOneStep) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> logScale(-20, 2);
  std::uniform_int_distribution<int32_t> acc(-(1 << 24), 1 << 24);
  for (int i = 0; i < 20000; ++i) {
    double scale = std::exp2(logScale(rng));
    auto fp = *toFixedPoint(scale);
    int32_t a = acc(rng);
    double exact = std::floor(a * scale + 0.5);
    int32_t got = requantize(a, fp, 0, INT32_MIN, INT32_MAX);
    // The multiplier's rounding error is below 2^-31 relative: at most one
    // step off, and only next to a tie.
    EXPECT_LE(std::fabs(got - exact), 1.0) << a << " * " << scale;
  }
}
