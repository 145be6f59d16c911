//===- ReciprocalDivisionTest.cpp - quantizing x / s by multiplying -------===//
#include "qcc/Codegen/Common/ReciprocalDivision.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>

using namespace qcc;

namespace {

float fromBits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

uint32_t toBits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return bits;
}

} // namespace

// Beyond what the pass's own check covers: every third float of either sign
// from s/4 up to the clamp (2 * 129 * s, past the whole rounding range)
// gives the correctly rounded quotient itself, not only the same integer.
TEST(ReciprocalDivision, GivesTheCorrectlyRoundedQuotient) {
  for (float scale : {0.1f, 0.00389891723f, 0.0335836411f, 3.0f}) {
    auto d = reciprocalDivisionFor(scale, -128, 127);
    ASSERT_TRUE(d) << scale;
    uint32_t from = toBits(scale / 4), to = toBits(d->limit);
    for (uint32_t bits = from; bits <= to; bits += 3)
      for (uint32_t sign : {0u, 0x80000000u}) {
        float x = fromBits(bits | sign);
        ASSERT_EQ(toBits(divideByReciprocal(x, *d)), toBits(x / scale))
            << "x = " << x << ", s = " << scale;
      }
  }
}

TEST(ReciprocalDivision, SaturatesSpecialValuesLikeTheDivision) {
  auto d = reciprocalDivisionFor(0.0123f, 0, 255);
  ASSERT_TRUE(d);
  float inf = std::numeric_limits<float>::infinity();
  auto q = [&](float x) {
    return saturatingRound(divideByReciprocal(x, *d), 0, 255);
  };
  EXPECT_EQ(q(inf), 255);
  EXPECT_EQ(q(std::numeric_limits<float>::max()), 255);
  EXPECT_EQ(q(-inf), 0);
  EXPECT_EQ(q(-std::numeric_limits<float>::max()), 0);
  EXPECT_EQ(q(std::nanf("")), 0);
  // Without the clamp at `limit`, +Inf would become NaN and then 0.
  ReciprocalDivision unclamped = *d;
  unclamped.limit = inf;
  EXPECT_TRUE(std::isnan(divideByReciprocal(inf, unclamped)));
}

// The check is not vacuous: a bare reciprocal multiply rounds some inputs
// differently for most scales, and the check finds them.
TEST(ReciprocalDivision, CheckRejectsABareReciprocalMultiply) {
  int rejected = 0, scales = 0;
  for (float scale = 0.001f; scale < 0.01f; scale *= 1.37f, ++scales) {
    float r = 1.0f / scale;
    if (!roundsLikeDivision(scale, -128, 127, 1e30f,
                            [&](float x) { return x * r; }))
      ++rejected;
    // The corrected form passes for all of them.
    EXPECT_TRUE(reciprocalDivisionFor(scale, -128, 127)) << scale;
  }
  EXPECT_GT(rejected, scales / 2);
}

TEST(ReciprocalDivision, RejectsScalesAndRangesOutsideTheCheck) {
  EXPECT_FALSE(reciprocalDivisionFor(0.0f, 0, 255));
  EXPECT_FALSE(reciprocalDivisionFor(-0.1f, 0, 255));
  EXPECT_FALSE(reciprocalDivisionFor(std::nanf(""), 0, 255));
  EXPECT_FALSE(reciprocalDivisionFor(1e-20f, 0, 255));
  EXPECT_FALSE(reciprocalDivisionFor(1e20f, 0, 255));
  EXPECT_FALSE(reciprocalDivisionFor(0.1f, 255, 0));
  EXPECT_FALSE(reciprocalDivisionFor(0.1f, 0.5f, 255));
  EXPECT_FALSE(reciprocalDivisionFor(0.1f, -70000, 70000));
  EXPECT_TRUE(reciprocalDivisionFor(0.1f, -32768, 32767));
}
