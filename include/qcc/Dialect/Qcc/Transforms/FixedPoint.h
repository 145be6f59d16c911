//===- FixedPoint.h - integer-only requantization arithmetic ----*- C++ -*-===//
//
// A positive real scale r is represented as m * 2^-s with a 31-bit
// multiplier m in [2^30, 2^31) and a right shift s, so that an int32
// accumulator a requantizes with integer operations only:
//
//   q = (a * m + 2^(s-1)) >> s      (64-bit product, arithmetic shift)
//
// i.e. a * r rounded half up (toward +infinity), with m rounded to nearest
// from r's binary representation. docs/IntegerOnly.md has a worked example.
//
//===----------------------------------------------------------------------===//
#ifndef QCC_DIALECT_QCC_TRANSFORMS_FIXEDPOINT_H
#define QCC_DIALECT_QCC_TRANSFORMS_FIXEDPOINT_H

#include <cmath>
#include <cstdint>
#include <optional>

namespace qcc {

struct FixedPointScale {
  int32_t multiplier; ///< in [2^30, 2^31), or 0 for scales that round to 0
  int32_t shift;      ///< right shift, 1..62
};

/// The fixed-point form of `scale`, or nothing when it is not a finite
/// positive number below 2^30. Scales under 2^-32 give multiplier 0: every
/// int32 accumulator times them rounds to 0.
inline std::optional<FixedPointScale> toFixedPoint(double scale) {
  if (!std::isfinite(scale) || scale <= 0 || scale >= 0x1p30)
    return std::nullopt;
  int exponent;
  double fraction =
      std::frexp(scale, &exponent); // scale = f * 2^e, f in [0.5, 1)
  int64_t m = std::llround(fraction * 0x1p31);
  if (m == (int64_t(1) << 31)) { // rounding carried into the next power
    m >>= 1;
    ++exponent;
  }
  int shift = 31 - exponent;
  if (shift > 62)
    return FixedPointScale{0, 1};
  if (shift < 1)
    return std::nullopt;
  return FixedPointScale{(int32_t)m, shift};
}

/// The reference requantization: saturate(((a * m + 2^(s-1)) >> s) + zp)
/// to [lo, hi].
inline int32_t requantize(int32_t acc, FixedPointScale fp, int32_t zeroPoint,
                          int32_t lo, int32_t hi) {
  int64_t product = (int64_t)acc * fp.multiplier;
  int64_t q = (product + (int64_t(1) << (fp.shift - 1))) >> fp.shift;
  q += zeroPoint;
  return (int32_t)(q < lo ? lo : q > hi ? hi : q);
}

} // namespace qcc

#endif // QCC_DIALECT_QCC_TRANSFORMS_FIXEDPOINT_H
