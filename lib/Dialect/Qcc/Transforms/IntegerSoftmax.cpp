//===- IntegerSoftmax.cpp - Softmax of an 8-bit tensor in integers --------===//
//
// softmax(DQ(x))_i = exp(s (x_i - max)) / sum_j exp(s (x_j - max)). The
// differences max - x_i are integers in [0, 255], so exp is a 256-entry
// table of fixed-point values (2^b at the maximum); the quotient is one
// exact, rounded 32-bit division per element, into uint8 with scale 1/255.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantParams.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cmath>

namespace qcc {
#define GEN_PASS_DEF_INTEGERSOFTMAX
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

/// Fraction bits of the exp table for a softmax over `n` elements: the row
/// sum (at most n 2^b) and the rounding numerator (255 2^b + sum / 2) must
/// stay under 2^31. Nothing when n is too large for 8 bits of precision.
static std::optional<int> tableBits(int64_t n) {
  int bits = 16;
  while (bits >= 8 && (n << bits) > (int64_t(1) << 30))
    --bits;
  return bits >= 8 ? std::optional<int>(bits) : std::nullopt;
}

static LogicalResult rewrite(SoftmaxOp softmax) {
  auto dq = softmax.getInput().getDefiningOp<DequantizeLinearOp>();
  if (!dq || dq.getBlockSize() != 0)
    return failure();
  auto params = perTensorParams(dq.getScale(), dq.getZeroPoint());
  auto xType = cast<RankedTensorType>(dq.getInput().getType());
  auto outType = cast<RankedTensorType>(softmax.getType());
  if (!params || !xType.hasStaticShape() ||
      !xType.getElementType().isInteger(8))
    return failure();
  int64_t axis = softmax.getAxis();
  if (axis < 0)
    axis += xType.getRank();
  if (axis < 0 || axis >= xType.getRank())
    return failure();
  std::optional<int> bits = tableBits(xType.getDimSize(axis));
  if (!bits)
    return failure();

  OpBuilder b(softmax);
  Location loc = softmax.getLoc();
  Type i32 = b.getIntegerType(32);
  auto full = RankedTensorType::get(xType.getShape(), i32);
  SmallVector<int64_t> rowShape(xType.getShape());
  rowShape[axis] = 1;
  auto row = RankedTensorType::get(rowShape, i32);
  DenseI64ArrayAttr axes = b.getDenseI64ArrayAttr({axis});

  Value x = CastOp::create(b, loc, full, dq.getInput());
  Value max = ReduceMaxOp::create(b, loc, row, x, axes, b.getBoolAttr(true));
  Value diff = SubOp::create(b, loc, full, max, x);
  auto u8 = IntegerType::get(b.getContext(), 8, IntegerType::Unsigned);
  Value index =
      CastOp::create(b, loc, RankedTensorType::get(xType.getShape(), u8), diff);
  SmallVector<int32_t> table(256);
  for (int d = 0; d < 256; ++d)
    table[d] =
        (int32_t)std::llround(std::ldexp(std::exp(-params->scale * d), *bits));
  auto tableType = RankedTensorType::get({256}, i32);
  Value exp = LookupOp::create(
      b, loc, full, index,
      ConstantOp::create(b, loc, tableType,
                         DenseElementsAttr::get(tableType, ArrayRef(table))));
  Value sum = ReduceSumOp::create(b, loc, row, exp, axes, b.getBoolAttr(true));
  // round(255 e / sum), half up: (255 e + sum / 2) / sum.
  Value num = AddOp::create(
      b, loc, full, MulOp::create(b, loc, full, exp, i32Scalar(b, loc, 255)),
      DivOp::create(b, loc, row, sum, i32Scalar(b, loc, 2)));
  Value quotient = DivOp::create(b, loc, full, num, sum);
  auto yType = RankedTensorType::get(xType.getShape(), u8);
  Value y = CastOp::create(b, loc, yType, quotient);
  auto f32Scalar = RankedTensorType::get({}, outType.getElementType());
  Value scale = ConstantOp::create(
      b, loc, f32Scalar,
      DenseElementsAttr::get(
          f32Scalar,
          b.getFloatAttr(outType.getElementType(), 1.0 / 255.0).getValue()));
  auto u8Scalar = RankedTensorType::get({}, u8);
  Value zero = ConstantOp::create(
      b, loc, u8Scalar, DenseElementsAttr::get(u8Scalar, APInt(8, 0)));
  Value real = DequantizeLinearOp::create(b, loc, outType, y, scale, zero,
                                          b.getI64IntegerAttr(0),
                                          b.getI64IntegerAttr(0));
  softmax.replaceAllUsesWith(real);
  softmax.erase();
  return success();
}

namespace {
struct IntegerSoftmaxPass : qcc::impl::IntegerSoftmaxBase<IntegerSoftmaxPass> {
  void runOnOperation() override {
    SmallVector<SoftmaxOp> ops;
    getOperation().walk([&](SoftmaxOp op) { ops.push_back(op); });
    for (SoftmaxOp op : ops)
      (void)rewrite(op);
  }
};
} // namespace
