//===- QccOps.cpp - qcc op verifiers --------------------------------------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Runtime/qcc_model.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace qcc;

FailureOr<SmallVector<int64_t>> qcc::broadcastShapes(ArrayRef<int64_t> a,
                                                     ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return failure();
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Value qcc::reshapeToScalar(OpBuilder &b, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  return b.createOrFold<ReshapeOp>(
      loc, RankedTensorType::get({}, type.getElementType()), v);
}

Value qcc::reshapeAlongAxis(OpBuilder &b, Location loc, Value v, int64_t rank,
                            int64_t axis) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getNumElements() == 1)
    return reshapeToScalar(b, loc, v);
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = type.getNumElements();
  return b.createOrFold<ReshapeOp>(
      loc, RankedTensorType::get(shape, type.getElementType()), v);
}

int32_t qcc::dtypeCodeOf(Type t) {
  if (t.isF32())
    return QCC_DTYPE_FLOAT;
  if (t.isF64())
    return QCC_DTYPE_DOUBLE;
  if (t.isF16())
    return QCC_DTYPE_FLOAT16;
  if (t.isBF16())
    return QCC_DTYPE_BFLOAT16;
  if (auto i = dyn_cast<IntegerType>(t)) {
    bool u = i.isUnsigned();
    switch (i.getWidth()) {
    case 1:
      return QCC_DTYPE_BOOL;
    case 8:
      return u ? QCC_DTYPE_UINT8 : QCC_DTYPE_INT8;
    case 16:
      return u ? QCC_DTYPE_UINT16 : QCC_DTYPE_INT16;
    case 32:
      return u ? QCC_DTYPE_UINT32 : QCC_DTYPE_INT32;
    case 64:
      return u ? QCC_DTYPE_UINT64 : QCC_DTYPE_INT64;
    }
  }
  return 0;
}

float qcc::resizeSourceCoordinate(StringRef ctm, float s, int64_t in,
                                  int64_t out, int64_t i) {
  float x = (float)i;
  if (ctm == "align_corners") {
    // ONNX divides by (in * scale - 1), the unrounded output size.
    double resized = in * (double)s - 1;
    return x * (float)(resized > 0 ? double(in - 1) / resized : 0.0);
  }
  if (ctm == "asymmetric")
    return x / s;
  if (ctm == "tf_half_pixel_for_nn")
    return (x + 0.5f) / s;
  if (ctm == "pytorch_half_pixel" && out <= 1)
    return 0;
  return (x + 0.5f) / s - 0.5f; // half_pixel, pytorch_half_pixel
}

int64_t qcc::clampSourceIndex(float index, int64_t in) {
  int64_t k =
      std::isfinite(index) ? (int64_t)std::clamp(index, -1e9f, 1e9f) : 0;
  return std::clamp<int64_t>(k, 0, in - 1);
}

/// Checks that `operands` broadcast to exactly the shape of `result`.
static LogicalResult verifyBroadcast(Operation *op, ValueRange operands,
                                     Value result) {
  SmallVector<int64_t> shape;
  for (Value v : operands) {
    auto type = cast<RankedTensorType>(v.getType());
    if (!type.hasStaticShape())
      return success(); // Checked once shapes are specialized.
    auto b = broadcastShapes(shape, type.getShape());
    if (failed(b))
      return op->emitOpError("operands are not broadcast-compatible");
    shape = *b;
  }
  auto resultType = cast<RankedTensorType>(result.getType());
  if (resultType.hasStaticShape() && resultType.getShape() != ArrayRef(shape))
    return op->emitOpError("result shape does not match the broadcast shape "
                           "of the operands");
  return success();
}

#define QCC_BINARY_VERIFIER(Op)                                                \
  LogicalResult Op::verify() {                                                 \
    return verifyBroadcast(*this, getOperands(), getOutput());                 \
  }
QCC_BINARY_VERIFIER(AddOp)
QCC_BINARY_VERIFIER(SubOp)
QCC_BINARY_VERIFIER(MulOp)
QCC_BINARY_VERIFIER(DivOp)
QCC_BINARY_VERIFIER(PowOp)
QCC_BINARY_VERIFIER(MaxOp)
QCC_BINARY_VERIFIER(MinOp)
QCC_BINARY_VERIFIER(ModOp)
QCC_BINARY_VERIFIER(FModOp)
QCC_BINARY_VERIFIER(PReluOp)
QCC_BINARY_VERIFIER(EqualOp)
QCC_BINARY_VERIFIER(LessOp)
QCC_BINARY_VERIFIER(LessOrEqualOp)
QCC_BINARY_VERIFIER(GreaterOp)
QCC_BINARY_VERIFIER(GreaterOrEqualOp)
QCC_BINARY_VERIFIER(AndOp)
QCC_BINARY_VERIFIER(OrOp)
QCC_BINARY_VERIFIER(XorOp)
QCC_BINARY_VERIFIER(WhereOp)
#undef QCC_BINARY_VERIFIER

static int64_t rankOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getRank();
}

LogicalResult LookupOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto table = cast<RankedTensorType>(getTable().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (!in.getElementType().isInteger(8))
    return emitOpError("input must be 8-bit integers");
  if (table.getRank() != 1 || table.getDimSize(0) != 256)
    return emitOpError("table must have 256 entries");
  if (out.getShape() != in.getShape() ||
      out.getElementType() != table.getElementType())
    return emitOpError(
        "result must have the input's shape and the table's element type");
  return success();
}

LogicalResult LayerNormIntegerOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  auto gain = cast<RankedTensorType>(getGain().getType());
  auto bias = cast<RankedTensorType>(getBias().getType());
  auto zy = cast<RankedTensorType>(getZeroPoint().getType());
  int64_t axis = getAxis();
  if (!in.hasStaticShape() || axis < 0 || axis >= in.getRank())
    return emitOpError("needs a static input shape and an axis in [0, rank)");
  unsigned inBits = in.getElementTypeBitWidth();
  if (!isa<IntegerType>(in.getElementType()) || (inBits != 8 && inBits != 16) ||
      !out.getElementType().isInteger(8))
    return emitOpError("input must be 8- or 16-bit and the result 8-bit "
                       "integers");
  if (out.getShape() != in.getShape())
    return emitOpError("result shape must equal the input shape");
  if (zy.getRank() != 0 || zy.getElementType() != out.getElementType())
    return emitOpError("zero point must be a scalar of the result type");
  ArrayRef<int64_t> normalized = in.getShape().drop_front(axis);
  if (gain.getShape() != normalized || bias.getShape() != normalized ||
      !gain.getElementType().isInteger(32) ||
      !bias.getElementType().isInteger(64))
    return emitOpError("gain (i32) and bias (i64) must have the normalized "
                       "dims' shape");
  // |d_i| < 2^bits N: the shifted sum of squares must stay under 2^63.
  double n = (double)gain.getNumElements();
  double dMax = std::ldexp(1.0, inBits) * n;
  double bound = (n * dMax * dMax + (double)getOffset()) *
                 std::ldexp(1.0, 2 * getPreShift());
  if (getOffset() < 1 || getPreShift() < 0 || getPreShift() > 15 ||
      !(bound < std::ldexp(1.0, 63)))
    return emitOpError("offset must be >= 1 and the shifted variance sum "
                       "must stay under 2^63");
  if (getGainShift() < 0 || getGainShift() > 31)
    return emitOpError("gain_shift must be in [0, 31]");
  return success();
}

LogicalResult RequantizeOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  auto m = cast<RankedTensorType>(getMultiplier().getType());
  auto sh = cast<RankedTensorType>(getShift().getType());
  auto zp = cast<RankedTensorType>(getZeroPoint().getType());
  if (!in.getElementType().isInteger(32) || !m.getElementType().isInteger(32) ||
      !sh.getElementType().isInteger(32))
    return emitOpError("input, multiplier and shift must be 32-bit integers");
  if (!out.getElementType().isInteger(8) && !out.getElementType().isInteger(16))
    return emitOpError("result must be 8- or 16-bit integers");
  if (zp.getRank() != 0 || zp.getElementType() != out.getElementType())
    return emitOpError("zero point must be a scalar of the result type");
  if (m.getShape() != sh.getShape())
    return emitOpError("multiplier and shift must have one shape");
  if (in.getShape() != out.getShape())
    return emitOpError("result shape must equal the input shape");
  if (m.getRank() > in.getRank())
    return emitOpError("multiplier has a higher rank than the input");
  for (int64_t i = 0; i < m.getRank(); ++i) {
    int64_t d = m.getDimSize(m.getRank() - 1 - i);
    int64_t x = in.getDimSize(in.getRank() - 1 - i);
    if (d != 1 && d != x)
      return emitOpError("multiplier does not broadcast against the input");
  }
  return success();
}

LogicalResult MatMulOp::verify() {
  if (rankOf(getA()) < 1 || rankOf(getB()) < 1)
    return emitOpError("operands must have rank >= 1");
  auto a = cast<RankedTensorType>(getA().getType()).getShape();
  auto b = cast<RankedTensorType>(getB().getType()).getShape();
  int64_t k1 = a.back(), k2 = b.size() == 1 ? b[0] : b[b.size() - 2];
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2)
    return emitOpError("contraction dims differ: ") << k1 << " vs " << k2;
  return success();
}

LogicalResult GemmOp::verify() {
  if (rankOf(getA()) != 2 || rankOf(getB()) != 2 || rankOf(getOutput()) != 2)
    return emitOpError("A, B and the result must be 2-D");
  auto a = cast<RankedTensorType>(getA().getType()).getShape();
  auto b = cast<RankedTensorType>(getB().getType()).getShape();
  int64_t k1 = getTransA() ? a[0] : a[1], k2 = getTransB() ? b[1] : b[0];
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2)
    return emitOpError("contraction dims differ: ") << k1 << " vs " << k2;
  return success();
}

template <typename ConvLike>
static LogicalResult verifyConvLike(ConvLike op) {
  int64_t rank = rankOf(op.getInput());
  int64_t spatial = rank - 2;
  if (rank < 3 || rankOf(op.getWeight()) != rank)
    return op.emitOpError("input and weight must have the same rank >= 3");
  if ((int64_t)op.getStrides().size() != spatial ||
      (int64_t)op.getDilations().size() != spatial ||
      (int64_t)op.getPads().size() != 2 * spatial)
    return op.emitOpError("strides/dilations need ")
           << spatial << " entries and pads " << 2 * spatial;
  if (op.getGroup() < 1)
    return op.emitOpError("group must be >= 1");
  for (int64_t s : op.getStrides())
    if (s < 1)
      return op.emitOpError("strides must be >= 1");
  for (int64_t d : op.getDilations())
    if (d < 1)
      return op.emitOpError("dilations must be >= 1");
  return success();
}

LogicalResult ConvOp::verify() {
  if (failed(verifyConvLike(*this)))
    return failure();
  auto in = cast<RankedTensorType>(getInput().getType()).getShape();
  auto w = cast<RankedTensorType>(getWeight().getType()).getShape();
  if (in[1] != w[1] * getGroup())
    return emitOpError("input channels (")
           << in[1] << ") != weight channels (" << w[1] << ") x group ("
           << getGroup() << ")";
  if (w[0] % getGroup() != 0)
    return emitOpError("output channels not divisible by group");
  return success();
}

bool ConvTransposeOp::tilesOutput() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getType());
  auto w = cast<RankedTensorType>(getWeight().getType());
  int64_t S = in.getRank() - 2;
  if (getGroup() != 1 || !in.hasStaticShape() || !out.hasStaticShape() ||
      !w.hasStaticShape())
    return false;
  for (int64_t i = 0; i < S; ++i)
    if (getStrides()[i] != w.getDimSize(2 + i) || getDilations()[i] != 1 ||
        getPads()[i] != 0 || getPads()[S + i] != 0 ||
        out.getDimSize(2 + i) != in.getDimSize(2 + i) * w.getDimSize(2 + i))
      return false;
  return true;
}

LogicalResult ConvTransposeOp::verify() {
  if (failed(verifyConvLike(*this)))
    return failure();
  auto in = cast<RankedTensorType>(getInput().getType()).getShape();
  auto w = cast<RankedTensorType>(getWeight().getType()).getShape();
  if (in[1] != w[0])
    return emitOpError("input channels differ from weight dim 0");
  return success();
}

LogicalResult LayerNormOp::verify() {
  int64_t rank = rankOf(getInput());
  if (getAxis() < 0 || getAxis() >= rank)
    return emitOpError("axis out of range");
  return success();
}

template <typename ReduceLike>
static LogicalResult verifyReduce(ReduceLike op) {
  int64_t rank = rankOf(op.getInput());
  int64_t prev = -1;
  for (int64_t a : op.getAxes()) {
    if (a <= prev || a >= rank)
      return op.emitOpError("axes must be sorted, unique and in [0, rank)");
    prev = a;
  }
  int64_t expected =
      op.getKeepdims() ? rank : rank - (int64_t)op.getAxes().size();
  if (rankOf(op.getOutput()) != expected)
    return op.emitOpError("result rank must be ") << expected;
  return success();
}
LogicalResult ReduceSumOp::verify() { return verifyReduce(*this); }
LogicalResult ReduceMeanOp::verify() { return verifyReduce(*this); }
LogicalResult ReduceMaxOp::verify() { return verifyReduce(*this); }
LogicalResult ReduceMinOp::verify() { return verifyReduce(*this); }
LogicalResult ReduceProdOp::verify() { return verifyReduce(*this); }

LogicalResult ReshapeOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (in.hasStaticShape() && out.hasStaticShape() &&
      in.getNumElements() != out.getNumElements())
    return emitOpError("element count changes from ")
           << in.getNumElements() << " to " << out.getNumElements();
  if (in.getElementType() != out.getElementType())
    return emitOpError("element type must not change");
  return success();
}

LogicalResult TransposeOp::verify() {
  int64_t rank = rankOf(getInput());
  if (rankOf(getOutput()) != rank)
    return emitOpError("result rank must equal the input rank");
  if ((int64_t)getPerm().size() != rank)
    return emitOpError("perm needs ") << rank << " entries";
  SmallVector<bool> seen(rank, false);
  auto in = cast<RankedTensorType>(getInput().getType()).getShape();
  auto out = cast<RankedTensorType>(getOutput().getType()).getShape();
  for (auto [i, p] : llvm::enumerate(getPerm())) {
    if (p < 0 || p >= rank || seen[p])
      return emitOpError("perm is not a permutation");
    seen[p] = true;
    if (out[i] != in[p])
      return emitOpError("result dim ") << i << " must be input dim " << p;
  }
  return success();
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  int64_t rank = rankOf(getOutput());
  if (getAxis() < 0 || getAxis() >= rank)
    return emitOpError("axis out of range");
  int64_t total = 0;
  auto out = cast<RankedTensorType>(getOutput().getType()).getShape();
  for (Value v : getInputs()) {
    auto s = cast<RankedTensorType>(v.getType()).getShape();
    if ((int64_t)s.size() != rank)
      return emitOpError("inputs must have the result's rank");
    for (int64_t d = 0; d < rank; ++d)
      if (d != getAxis() && s[d] != out[d])
        return emitOpError("non-axis dim ") << d << " differs";
    total += s[getAxis()];
  }
  if (total != out[getAxis()])
    return emitOpError("axis dim of the result must be the sum of the inputs'");
  return success();
}

LogicalResult SliceOp::verify() {
  int64_t rank = rankOf(getInput());
  if (rankOf(getOutput()) != rank)
    return emitOpError("result rank must equal the input rank");
  if ((int64_t)getStarts().size() != rank || (int64_t)getSteps().size() != rank)
    return emitOpError("starts and steps need one entry per dim");
  auto in = cast<RankedTensorType>(getInput().getType()).getShape();
  auto out = cast<RankedTensorType>(getOutput().getType()).getShape();
  for (int64_t d = 0; d < rank; ++d) {
    int64_t step = getSteps()[d], start = getStarts()[d];
    if (step == 0)
      return emitOpError("step must not be 0");
    if (out[d] == 0)
      continue;
    int64_t last = start + (out[d] - 1) * step;
    if (start < 0 || start >= in[d] || last < 0 || last >= in[d])
      return emitOpError("slice of dim ") << d << " reads out of bounds";
  }
  return success();
}

LogicalResult ExpandOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType()).getShape();
  auto out = cast<RankedTensorType>(getOutput().getType()).getShape();
  auto b = broadcastShapes(in, out);
  if (failed(b) || ArrayRef<int64_t>(*b) != out)
    return emitOpError("input does not broadcast to the result shape");
  return success();
}

/// A zero point must be one value, or (when `along` >= 0) `along` values.
static LogicalResult verifyZeroPoint(Operation *op, Value zp, StringRef name,
                                     int64_t along) {
  if (!zp)
    return success();
  auto type = cast<RankedTensorType>(zp.getType());
  if (!type.hasStaticShape() || type.getNumElements() == 1)
    return success();
  if (along >= 0 && type.getRank() == 1 && type.getDimSize(0) == along)
    return success();
  return op->emitOpError(name) << " must hold one value"
                               << (along >= 0 ? " or one per row/column" : "");
}

LogicalResult MatMulIntegerOp::verify() {
  if (rankOf(getA()) < 1 || rankOf(getB()) < 1)
    return emitOpError("operands must have rank >= 1");
  if (!isa<IntegerType>(
          cast<RankedTensorType>(getOutput().getType()).getElementType()))
    return emitOpError("result must be an integer tensor");
  auto a = cast<RankedTensorType>(getA().getType()).getShape();
  auto b = cast<RankedTensorType>(getB().getType()).getShape();
  int64_t m = a.size() > 1 ? a[a.size() - 2] : 1;
  if (failed(verifyZeroPoint(*this, getAZeroPoint(), "a_zero_point", m)) ||
      failed(verifyZeroPoint(*this, getBZeroPoint(), "b_zero_point", b.back())))
    return failure();
  return success();
}

LogicalResult ConvIntegerOp::verify() {
  int64_t rank = rankOf(getInput());
  if (rank < 3 || rankOf(getWeight()) != rank)
    return emitOpError("input and weight must have the same rank >= 3");
  int64_t spatial = rank - 2;
  if ((int64_t)getStrides().size() != spatial ||
      (int64_t)getDilations().size() != spatial ||
      (int64_t)getPads().size() != 2 * spatial)
    return emitOpError("strides/dilations need ")
           << spatial << " entries and pads " << 2 * spatial;
  if (getGroup() < 1)
    return emitOpError("group must be >= 1");
  return failure(
      failed(verifyZeroPoint(*this, getInputZeroPoint(), "x_zero_point", -1)) ||
      failed(verifyZeroPoint(*this, getWeightZeroPoint(), "w_zero_point", -1)));
}

#define GET_OP_CLASSES
#include "qcc/Dialect/Qcc/IR/QccOps.cpp.inc"
