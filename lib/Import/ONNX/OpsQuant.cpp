//===- OpsQuant.cpp - importers of ONNX quantization operators ------------===//
//
// QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, MatMulInteger and
// ConvInteger map to qcc ops one to one. QLinearMatMul and QLinearConv are
// decomposed the way ONNX Runtime evaluates them: an exact i32 accumulation,
// then one float multiply by (s_a * s_b / s_y) and a saturating
// round-half-even requantization.
//
//===----------------------------------------------------------------------===//
#include "NodeBinder.h"

using namespace mlir;
using namespace llvm;

namespace qcc::onnx_import {
namespace {

struct QuantLayout {
  int64_t axis = 0;
  int64_t blockSize = 0;
};

/// Scale and zero point are scalars, 1-D along `axis`, or (opset 21) blocks
/// along `axis` with the input's rank.
FailureOr<QuantLayout> quantLayout(NodeBinder &n, size_t scaleIdx,
                                   int64_t rank) {
  QuantLayout layout;
  int64_t block = n.attrInt("block_size", 0);
  auto scaleType = n.type(scaleIdx);
  if (block == 0 && scaleType.getNumElements() == 1 && n.rank(scaleIdx) <= 1)
    return layout;
  auto axis = n.axis(n.attrInt("axis", 1), rank);
  if (failed(axis))
    return failure();
  layout.axis = *axis;
  if (block > 0) {
    if (n.rank(scaleIdx) != rank)
      return n.error("blocked quantization needs a scale of the input's rank");
    for (int64_t d = 0; d < rank; ++d) {
      int64_t want = d == *axis ? (n.shape(0)[d] + block - 1) / block : n.shape(0)[d];
      if (n.shape(scaleIdx)[d] != want)
        return n.error("blocked scale dim " + Twine(d) + " is " +
                       Twine(n.shape(scaleIdx)[d]) + ", expected " + Twine(want));
    }
    layout.blockSize = block;
  } else {
    if (n.rank(scaleIdx) != 1)
      return n.error("scale must be a scalar or 1-D (or blocked with block_size)");
    if (n.shape(scaleIdx)[0] != n.shape(0)[*axis])
      return n.error("per-axis scale has " + Twine(n.shape(scaleIdx)[0]) +
                     " entries for dim " + Twine(*axis) + " of size " +
                     Twine(n.shape(0)[*axis]));
  }
  if (n.input(2) && n.type(2).getShape() != scaleType.getShape())
    return n.error("zero point and scale shapes differ");
  return layout;
}

bool isQuantType(Type t) {
  auto i = dyn_cast<IntegerType>(t);
  return i && (i.getWidth() == 8 || i.getWidth() == 16 || i.getWidth() == 32);
}

LogicalResult importQuantizeLinear(NodeBinder &n) {
  if (!n.input(0) || !n.input(1))
    return n.error("needs x and y_scale");
  if (!isa<FloatType>(n.elementType(0)))
    return n.error("x must be a float tensor");
  auto layout = quantLayout(n, 1, n.rank(0));
  if (failed(layout))
    return failure();
  Type q = n.input(2) ? n.elementType(2) : n.b.getIntegerType(8, false);
  if (!isQuantType(q) || q.getIntOrFloatBitWidth() == 32)
    return n.error("output type must be int8/uint8/int16/uint16");
  n.setResult(0, n.create<QuantizeLinearOp>(
                     n.tensorType(n.shape(0), q), n.input(0), n.input(1),
                     n.input(2), n.b.getI64IntegerAttr(layout->axis),
                     n.b.getI64IntegerAttr(layout->blockSize)));
  return success();
}

LogicalResult importDequantizeLinear(NodeBinder &n) {
  if (!n.input(0) || !n.input(1))
    return n.error("needs x and x_scale");
  if (!isQuantType(n.elementType(0)))
    return n.error("x must be an 8, 16 or 32-bit integer tensor");
  auto layout = quantLayout(n, 1, n.rank(0));
  if (failed(layout))
    return failure();
  n.setResult(0, n.create<DequantizeLinearOp>(
                     n.tensorType(n.shape(0), n.elementType(1)), n.input(0),
                     n.input(1), n.input(2), n.b.getI64IntegerAttr(layout->axis),
                     n.b.getI64IntegerAttr(layout->blockSize)));
  return success();
}

LogicalResult importDynamicQuantizeLinear(NodeBinder &n) {
  if (!n.input(0) || !n.elementType(0).isF32())
    return n.error("x must be a float32 tensor");
  Type u8 = n.b.getIntegerType(8, false);
  auto op = DynamicQuantizeLinearOp::create(
      n.b, n.loc, TypeRange{n.tensorType(n.shape(0), u8),
                            n.tensorType({}, n.b.getF32Type()),
                            n.tensorType({}, u8)},
      n.input(0));
  for (int i = 0; i < 3; ++i)
    n.setResult(i, op->getResult(i));
  return success();
}

/// A zero point that is a scalar, or 1-D of `size` (per row/column).
LogicalResult checkZeroPoint(NodeBinder &n, size_t idx, int64_t size,
                             StringRef what) {
  if (!n.input(idx))
    return success();
  auto type = n.type(idx);
  if (type.getNumElements() == 1 || (type.getRank() == 1 && type.getDimSize(0) == size))
    return success();
  return n.error(what + " must be a scalar or have " + Twine(size) + " entries");
}

LogicalResult importMatMulInteger(NodeBinder &n) {
  if (!n.input(0) || !n.input(1))
    return n.error("needs A and B");
  auto shape = matmulShape(n, n.shape(0), n.shape(1));
  if (failed(shape))
    return failure();
  int64_t m = n.rank(0) > 1 ? n.shape(0)[n.rank(0) - 2] : 1;
  if (failed(checkZeroPoint(n, 2, m, "a_zero_point")) ||
      failed(checkZeroPoint(n, 3, n.shape(1).back(), "b_zero_point")))
    return failure();
  n.setResult(0, n.create<MatMulIntegerOp>(
                     n.tensorType(*shape, n.b.getI32Type()), n.input(0),
                     n.input(1), n.input(2), n.input(3)));
  return success();
}

/// Conv attributes and output shape for ConvInteger / QLinearConv, by
/// importing a float-free Conv-shaped computation.
struct ConvGeometry {
  SmallVector<int64_t> strides, pads, dilations, shape;
  int64_t group;
};

FailureOr<ConvGeometry> convGeometry(NodeBinder &n, size_t x, size_t w) {
  auto in = n.shape(x), ws = n.shape(w);
  int64_t rank = in.size();
  if (rank < 3 || (int64_t)ws.size() != rank)
    return n.error("x and w must have the same rank >= 3");
  ConvGeometry g;
  g.group = n.attrInt("group", 1);
  if (g.group < 1 || in[1] % g.group || in[1] / g.group != ws[1] || ws[0] % g.group)
    return n.error("channels do not match group and w");
  Window window;
  if (failed(readWindow(n, rank - 2, ws.drop_front(2), window)))
    return failure();
  auto out = forwardOutput(n, in.drop_front(2), window, /*ceilMode=*/false);
  if (failed(out))
    return failure();
  g.strides = window.strides;
  g.pads = window.pads;
  g.dilations = window.dilations;
  g.shape = {in[0], ws[0]};
  g.shape.append(*out);
  return g;
}

Value buildConvInteger(NodeBinder &n, const ConvGeometry &g, Value x, Value w,
                       Value xzp, Value wzp) {
  return n.create<ConvIntegerOp>(
      n.tensorType(g.shape, n.b.getI32Type()), x, w, xzp, wzp,
      n.b.getDenseI64ArrayAttr(g.strides), n.b.getDenseI64ArrayAttr(g.pads),
      n.b.getDenseI64ArrayAttr(g.dilations), g.group);
}

LogicalResult importConvInteger(NodeBinder &n) {
  if (!n.input(0) || !n.input(1))
    return n.error("needs x and w");
  auto g = convGeometry(n, 0, 1);
  if (failed(g))
    return failure();
  for (size_t i : {2, 3})
    if (n.input(i) && n.type(i).getNumElements() != 1)
      return n.error("per-channel zero points are not supported by ConvInteger");
  n.setResult(0, buildConvInteger(n, *g, n.input(0), n.input(1), n.input(2),
                                  n.input(3)));
  return success();
}

/// A per-channel vector reshaped to broadcast along `axis` of `rank` dims.
Value alongAxis(NodeBinder &n, Value v, int64_t rank, int64_t axis) {
  return reshapeAlongAxis(n.b, n.loc, v, rank, axis);
}

/// y = saturate(round(acc * (sa * sb / sy)) + zy), acc already i32. A
/// per-row `sa` runs along `rowAxis`, a per-channel `sb` along `channelAxis`.
FailureOr<Value> requantize(NodeBinder &n, Value acc, Value sa, Value sb,
                            Value sy, Value zy, int64_t rowAxis,
                            int64_t channelAxis) {
  auto accType = cast<RankedTensorType>(acc.getType());
  int64_t rank = accType.getRank();
  Type f32 = n.b.getF32Type();
  auto f32Of = [&](Value v) {
    auto t = cast<RankedTensorType>(v.getType());
    return n.tensorType(t.getShape(), f32);
  };
  sb = alongAxis(n, sb, rank, channelAxis);
  sa = alongAxis(n, sa, rank, rowAxis);
  sy = alongAxis(n, sy, rank, channelAxis);
  auto shapeOf = [](Value v) { return cast<RankedTensorType>(v.getType()).getShape(); };
  auto s1 = broadcastOrError(n, shapeOf(sa), shapeOf(sb));
  if (failed(s1))
    return failure();
  Value m = n.create<MulOp>(n.tensorType(*s1, f32), sa, sb);
  auto s2 = broadcastOrError(n, shapeOf(m), shapeOf(sy));
  if (failed(s2))
    return failure();
  m = n.create<DivOp>(n.tensorType(*s2, f32), m, sy);
  Value f = n.create<CastOp>(f32Of(acc), acc);
  f = n.create<MulOp>(f32Of(acc), f, m);
  Value one = n.constantOf(DenseElementsAttr::get(n.tensorType({}, f32), 1.0f));
  Type q = cast<RankedTensorType>(zy.getType()).getElementType();
  return n.create<QuantizeLinearOp>(n.tensorType(accType.getShape(), q), f,
                                    one, alongAxis(n, zy, 0, 0),
                                    n.b.getI64IntegerAttr(0),
                                    n.b.getI64IntegerAttr(0));
}

LogicalResult importQLinearMatMul(NodeBinder &n) {
  for (int i = 0; i < 8; ++i)
    if (!n.input(i))
      return n.error("needs all 8 inputs");
  auto shape = matmulShape(n, n.shape(0), n.shape(3));
  if (failed(shape))
    return failure();
  int64_t m = n.rank(0) > 1 ? n.shape(0)[n.rank(0) - 2] : 1;
  if (failed(checkZeroPoint(n, 2, m, "a_zero_point")) ||
      failed(checkZeroPoint(n, 5, n.shape(3).back(), "b_zero_point")))
    return failure();
  if (n.type(6).getNumElements() != 1 || n.type(7).getNumElements() != 1)
    return n.error("y_scale and y_zero_point must be scalars");
  Value acc = n.create<MatMulIntegerOp>(n.tensorType(*shape, n.b.getI32Type()),
                                        n.input(0), n.input(3), n.input(2),
                                        n.input(5));
  // Per-row a scales run along the rows (dim -2), per-column b scales
  // along the last dim.
  int64_t rank = shape->size();
  if (n.type(1).getNumElements() != 1 &&
      (n.rank(0) < 2 || n.type(1).getNumElements() != m))
    return n.error("a_scale must be a scalar or have one entry per row of a");
  if (n.type(4).getNumElements() != 1 &&
      n.type(4).getNumElements() != n.shape(3).back())
    return n.error("b_scale must be a scalar or have one entry per column of b");
  auto y = requantize(n, acc, n.input(1), n.input(4), n.input(6), n.input(7),
                      std::max<int64_t>(0, rank - 2),
                      std::max<int64_t>(0, rank - 1));
  if (failed(y))
    return failure();
  n.setResult(0, *y);
  return success();
}

LogicalResult importQLinearConv(NodeBinder &n) {
  for (int i = 0; i < 8; ++i)
    if (!n.input(i))
      return n.error("needs inputs 0 to 7");
  auto g = convGeometry(n, 0, 3);
  if (failed(g))
    return failure();
  if (n.type(2).getNumElements() != 1)
    return n.error("x_zero_point must be a scalar");
  if (n.type(5).getNumElements() != 1) {
    // Per-channel weight zero points must all be equal to fold into one.
    DenseElementsAttr c = n.constant(5);
    if (!c || !c.isSplat())
      return n.error("per-channel w_zero_point with differing values is not supported");
  }
  Value wzp = n.input(5);
  if (n.type(5).getNumElements() != 1) {
    DenseElementsAttr c = n.constant(5);
    wzp = n.constantOf(DenseElementsAttr::get(
        n.tensorType({}, c.getElementType()), c.getSplatValue<Attribute>()));
  }
  Value acc = buildConvInteger(n, *g, n.input(0), n.input(3), n.input(2), wzp);
  if (n.input(8)) {
    if (!n.elementType(8).isInteger(32))
      return n.error("B must be int32");
    Value bias = alongAxis(n, n.input(8), g->shape.size(), 1);
    acc = n.create<AddOp>(cast<RankedTensorType>(acc.getType()), acc, bias);
  }
  if (n.type(1).getNumElements() != 1 || n.type(6).getNumElements() != 1)
    return n.error("x_scale and y_scale must be scalars");
  if (n.type(4).getNumElements() != 1 &&
      n.type(4).getNumElements() != g->shape[1])
    return n.error("w_scale must be a scalar or have one entry per output channel");
  auto y = requantize(n, acc, n.input(1), n.input(4), n.input(6), n.input(7),
                      1, 1);
  if (failed(y))
    return failure();
  n.setResult(0, *y);
  return success();
}

const OpImporterEntry kImporters[] = {
    {"ConvInteger", 10, importConvInteger},
    {"DequantizeLinear", 10, importDequantizeLinear},
    {"DynamicQuantizeLinear", 11, importDynamicQuantizeLinear},
    {"MatMulInteger", 10, importMatMulInteger},
    {"QLinearConv", 10, importQLinearConv},
    {"QLinearMatMul", 10, importQLinearMatMul},
    {"QuantizeLinear", 10, importQuantizeLinear},
};
} // namespace

ArrayRef<OpImporterEntry> quantImporters() { return kImporters; }

} // namespace qcc::onnx_import
