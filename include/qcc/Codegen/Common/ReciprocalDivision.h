//===- ReciprocalDivision.h - x / s rounded to an integer, by multiplying -===//
//
// QuantizeLinear divides by its scale: a vector division costs about ten
// times a multiply. Before a saturating round, x / s can instead be
//
//   xc = x > limit ? limit : x        (NaN stays NaN)
//   q  = xc * r                       (r = RN(1/s))
//   e  = fma(q, -s, xc)               (the exact remainder)
//   q' = fma(e, r, q)                 (one Newton step: RN(x / s))
//
// Markstein's correction makes q' the correctly rounded quotient wherever no
// intermediate over- or underflows; the clamp at `limit` (far past the top
// bound) keeps +Inf and huge x from turning into NaN. qcc does not take the
// theorem on trust: reciprocalDivisionFor() checks, for each scale and
// integer range, every x that could round differently (docs/Numerics.md).
//
//===----------------------------------------------------------------------===//
#ifndef QCC_CONVERSION_QCCTOLINALG_RECIPROCALDIVISION_H
#define QCC_CONVERSION_QCCTOLINALG_RECIPROCALDIVISION_H

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

namespace qcc {

struct ReciprocalDivision {
  float scale;      ///< s, the divisor
  float reciprocal; ///< RN(1 / s)
  float limit;      ///< x is clamped to at most this before the multiply
};

/// x / s through the reciprocal and one FMA correction.
inline float divideByReciprocal(float x, const ReciprocalDivision &d) {
  float xc = x > d.limit ? d.limit : x;
  float q = xc * d.reciprocal;
  float e = std::fma(q, -d.scale, xc);
  return std::fma(e, d.reciprocal, q);
}

/// roundeven(minnum(maxnum(v, lo), hi)): NaN saturates to lo.
inline float saturatingRound(float v, float lo, float hi) {
  return std::nearbyint(std::fmin(std::fmax(v, lo), hi));
}

/// Whether `divide(x)` rounds every float x (NaN and infinities included)
/// to the same integer as x / scale under saturatingRound(., lo, hi),
/// given that it is within a few ulps of x / scale wherever |x| <= limit
/// and saturates beyond it. The quotients can then differ in rounding
/// only for x within a few ulps of (k + 0.5) * scale, a rounding
/// threshold: every float within 32 ulps of each threshold in [lo, hi],
/// and the special values, is compared.
template <typename Divide>
bool roundsLikeDivision(float scale, float lo, float hi, float limit,
                        Divide divide) {
  auto agrees = [&](float x) {
    return saturatingRound(x / scale, lo, hi) ==
           saturatingRound(divide(x), lo, hi);
  };
  constexpr float inf = std::numeric_limits<float>::infinity();
  constexpr float big = std::numeric_limits<float>::max();
  constexpr float tiny = std::numeric_limits<float>::denorm_min();
  for (float x : {0.0f, -0.0f, inf, -inf, std::nanf(""), big, -big, limit,
                  -limit, std::nextafter(limit, inf), tiny, -tiny,
                  std::numeric_limits<float>::min(), lo * scale, hi * scale})
    if (!agrees(x))
      return false;
  constexpr int kWindow = 32;
  for (float k = lo; k < hi; ++k) {
    float x = static_cast<float>((k + 0.5) * static_cast<double>(scale));
    for (int i = 0; i < kWindow; ++i)
      x = std::nextafter(x, -inf);
    for (int i = 0; i <= 2 * kWindow; ++i, x = std::nextafter(x, inf))
      if (!agrees(x))
        return false;
  }
  return true;
}

/// The reciprocal form of dividing by `scale` ahead of
/// saturatingRound(., lo, hi) with integral lo <= hi, when
/// roundsLikeDivision() confirms it; nothing otherwise (also for a scale
/// outside [2^-40, 2^40], which keeps every intermediate normal, or a
/// range over 2^16 values).
inline std::optional<ReciprocalDivision>
reciprocalDivisionFor(float scale, float lo, float hi) {
  if (!(scale >= 0x1p-40f && scale <= 0x1p40f) || !(lo <= hi) ||
      lo != std::floor(lo) || hi != std::floor(hi) || lo < -0x1p20f ||
      hi > 0x1p20f || hi - lo > 65536)
    return std::nullopt;
  // Far enough past the top bound that clamping x there saturates alike.
  float bound = std::fmax(std::fabs(lo), std::fabs(hi)) + 1;
  ReciprocalDivision d{scale, 1.0f / scale,
                       static_cast<float>(2.0 * bound * scale)};
  if (!roundsLikeDivision(scale, lo, hi, d.limit,
                          [&](float x) { return divideByReciprocal(x, d); }))
    return std::nullopt;
  return d;
}

} // namespace qcc

#endif // QCC_CONVERSION_QCCTOLINALG_RECIPROCALDIVISION_H
