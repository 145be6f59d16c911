//===- QuantParams.h - constant Q/DQ parameters -----------------*- C++ -*-===//
#ifndef QCC_DIALECT_QCC_TRANSFORMS_QUANTPARAMS_H
#define QCC_DIALECT_QCC_TRANSFORMS_QUANTPARAMS_H

#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/FixedPoint.h"

#include <optional>

namespace qcc {

/// A per-tensor quantization: a positive finite scale and a zero point.
struct PerTensorParams {
  double scale;
  int64_t zeroPoint;
};

/// The parameters of a per-tensor QuantizeLinear/DequantizeLinear whose
/// scale (rank 0) and zero point (absent: 0) are constants; nothing
/// otherwise, or when the scale is not finite and positive.
std::optional<PerTensorParams> perTensorParams(mlir::Value scale,
                                               mlir::Value zeroPoint);

/// For `op` = Mul(x, c), Mul(c, x) or Div(x, c) with a positive finite
/// float scalar constant c: the factor (c or 1/c) op scales `x` by. A
/// quantized x scaled so is the same integers with a scaled scale.
std::optional<double> positiveScaling(mlir::Operation *op, mlir::Value x);

/// ONNX QuantizeLinear of one non-NaN value: x / scale in f32, rounded half
/// to even, plus the zero point, saturated to `type`'s range (8 or 16 bits,
/// signed or not).
int64_t quantizeScalar(float x, PerTensorParams p, mlir::IntegerType type);

/// `q` = QuantizeLinear(op(DequantizeLinear(x), ...)) with constant
/// per-tensor parameters on both sides (the start of the integer rewrites of
/// one op between 8-bit values): `op`, the DequantizeLinear and both
/// parameters. The caller checks what `op` is.
struct QuantizedUnary {
  mlir::Operation *op;
  DequantizeLinearOp dq;
  PerTensorParams in, out;
};
std::optional<QuantizedUnary> matchQuantizedUnary(QuantizeLinearOp q);

/// The zero point of `q` as rank 0, or a constant 0 of its result type when
/// absent.
mlir::Value zeroPointOrZero(mlir::OpBuilder &b, QuantizeLinearOp q);

/// A rank-0 int32 constant.
mlir::Value i32Scalar(mlir::OpBuilder &b, mlir::Location loc, int64_t v);

/// cast<i32>(x) - zeroPoint, for an 8-bit tensor x.
mlir::Value shiftedToI32(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                         int64_t zeroPoint);

/// `acc` (int32) requantized by `fp` into `q`'s result type and zero point:
/// the integer form of `q` applied to `acc` times fp's scale.
mlir::Value requantizeLike(mlir::OpBuilder &b, QuantizeLinearOp q,
                           mlir::Value acc, FixedPointScale fp);

/// Runs `rewrite` on every QuantizeLinear under `root` (collected first, so
/// a rewrite may erase its op); failures leave an op as it is.
void forEachQuantize(
    mlir::Operation *root,
    llvm::function_ref<mlir::LogicalResult(QuantizeLinearOp)> rewrite);

} // namespace qcc

#endif // QCC_DIALECT_QCC_TRANSFORMS_QUANTPARAMS_H
