//===- OpsElementwise.cpp - importers of elementwise ONNX ops -------------===//
#include "NodeBinder.h"

using namespace mlir;
using namespace llvm;

namespace qcc::onnx_import {
namespace {

LogicalResult requireInputs(NodeBinder &n, size_t count) {
  for (size_t i = 0; i < count; ++i)
    if (!n.input(i))
      return n.error("missing required input " + Twine(i));
  return success();
}

template <typename OpTy>
LogicalResult unary(NodeBinder &n) {
  if (failed(requireInputs(n, 1)))
    return failure();
  n.setResult(0, n.create<OpTy>(n.type(0), n.input(0)));
  return success();
}

/// Elementwise binary op with numpy broadcasting; `boolResult` for compares.
template <typename OpTy, bool BoolResult = false>
LogicalResult binary(NodeBinder &n) {
  if (failed(requireInputs(n, 2)))
    return failure();
  if (n.elementType(0) != n.elementType(1) && !std::is_same_v<OpTy, PowOp>)
    return n.error("operand element types differ");
  Value rhs = n.input(1);
  if (n.opset < 7 && n.attrInt("broadcast", 0)) {
    // Legacy broadcasting: B's dims align with A's starting at `axis`.
    int64_t ra = n.rank(0), rb = n.rank(1);
    int64_t axis = n.attrInt("axis", ra - rb);
    if (axis < 0 || axis + rb > ra)
      return n.error("legacy broadcast axis out of range");
    SmallVector<int64_t> shape(n.shape(1));
    shape.append(ra - axis - rb, 1);
    rhs = n.create<ReshapeOp>(n.tensorType(shape, n.elementType(1)), rhs);
  }
  auto shape = broadcastOrError(n, n.shape(0),
                                cast<RankedTensorType>(rhs.getType()).getShape());
  if (failed(shape))
    return failure();
  Type elem = BoolResult ? (Type)n.b.getI1Type() : n.elementType(0);
  n.setResult(0, n.create<OpTy>(n.tensorType(*shape, elem), n.input(0), rhs));
  return success();
}

/// Sum, Max, Min, Mean: left fold of a binary op over all inputs.
template <typename OpTy>
LogicalResult variadic(NodeBinder &n) {
  if (n.numInputs() == 0 || !n.input(0))
    return n.error("needs at least one input");
  Value acc = n.input(0);
  for (size_t i = 1; i < n.numInputs(); ++i) {
    auto accType = cast<RankedTensorType>(acc.getType());
    auto shape = broadcastOrError(n, accType.getShape(), n.shape(i));
    if (failed(shape))
      return failure();
    acc = n.create<OpTy>(n.tensorType(*shape, accType.getElementType()), acc,
                         n.input(i));
  }
  n.setResult(0, acc);
  return success();
}

LogicalResult importMean(NodeBinder &n) {
  if (failed(variadic<AddOp>(n)))
    return failure();
  Value sum = n.getResults()[0];
  auto type = cast<RankedTensorType>(sum.getType());
  auto scalarType = RankedTensorType::get({}, type.getElementType());
  Value count = n.constantOf(DenseElementsAttr::get(
      scalarType, n.b.getFloatAttr(type.getElementType(), n.numInputs())));
  n.setResult(0, n.create<DivOp>(type, sum, count));
  return success();
}

LogicalResult importWhere(NodeBinder &n) {
  if (failed(requireInputs(n, 3)))
    return failure();
  auto s = broadcastOrError(n, n.shape(0), n.shape(1));
  if (failed(s))
    return failure();
  auto shape = broadcastOrError(n, *s, n.shape(2));
  if (failed(shape))
    return failure();
  n.setResult(0, n.create<WhereOp>(n.tensorType(*shape, n.elementType(1)),
                                   n.input(0), n.input(1), n.input(2)));
  return success();
}

LogicalResult importCast(NodeBinder &n) {
  if (failed(requireInputs(n, 1)))
    return failure();
  int64_t to = n.attrInt("to", 0);
  Type elem = convertDataType(n.b.getContext(), to);
  if (!elem)
    return n.error("cast to unsupported type " + dataTypeName(to));
  n.setResult(0, n.create<CastOp>(n.tensorType(n.shape(0), elem), n.input(0)));
  return success();
}

LogicalResult importCastLike(NodeBinder &n) {
  if (failed(requireInputs(n, 2)))
    return failure();
  n.setResult(0, n.create<CastOp>(n.tensorType(n.shape(0), n.elementType(1)),
                                  n.input(0)));
  return success();
}

LogicalResult importIdentity(NodeBinder &n) {
  if (failed(requireInputs(n, 1)))
    return failure();
  n.setResult(0, n.input(0));
  return success();
}

LogicalResult importDropout(NodeBinder &n) {
  if (failed(requireInputs(n, 1)))
    return failure();
  // Inference only: training_mode (opset 12+) must be absent or false,
  // unless the ratio is a constant 0 (then Dropout is the identity; torch
  // exports such nodes).
  if (n.input(2)) {
    DenseElementsAttr mode = n.constant(2);
    bool zeroRatio = false;
    if (DenseElementsAttr ratio = n.constant(1))
      zeroRatio = isa<FloatType>(ratio.getElementType()) &&
                  ratio.getNumElements() == 1 &&
                  (*ratio.getValues<APFloat>().begin()).isZero();
    if ((!mode || mode.getSplatValue<bool>()) && !zeroRatio)
      return n.error("training-mode Dropout is not supported (inference only)");
  }
  n.setResult(0, n.input(0));
  if (n.numOutputs() > 1) {
    auto maskType = n.tensorType(n.shape(0), n.b.getI1Type());
    n.setResult(1, n.constantOf(DenseElementsAttr::get(maskType, true)));
  }
  return success();
}

LogicalResult importClip(NodeBinder &n) {
  if (failed(requireInputs(n, 1)))
    return failure();
  std::optional<double> lo, hi;
  if (n.opset < 11) {
    if (n.hasAttr("min"))
      lo = n.attrFloat("min", 0);
    if (n.hasAttr("max"))
      hi = n.attrFloat("max", 0);
  } else {
    for (int i : {1, 2}) {
      if (!n.input(i))
        continue;
      auto v = n.constFloats(i, i == 1 ? "min" : "max");
      if (failed(v))
        return failure();
      if (v->size() != 1)
        return n.error("Clip bounds must be scalars");
      (i == 1 ? lo : hi) = (*v)[0];
    }
  }
  auto toAttr = [&](std::optional<double> v) {
    return v ? n.b.getF64FloatAttr(*v) : FloatAttr();
  };
  n.setResult(0, n.create<ClipOp>(n.type(0), n.input(0), toAttr(lo), toAttr(hi)));
  return success();
}

LogicalResult importLeakyRelu(NodeBinder &n) {
  if (failed(requireInputs(n, 1)))
    return failure();
  n.setResult(0, n.create<LeakyReluOp>(n.type(0), n.input(0),
                                       n.b.getF32FloatAttr(n.attrFloat("alpha", 0.01f))));
  return success();
}

LogicalResult importElu(NodeBinder &n) {
  if (failed(requireInputs(n, 1)))
    return failure();
  n.setResult(0, n.create<EluOp>(n.type(0), n.input(0),
                                 n.b.getF32FloatAttr(n.attrFloat("alpha", 1.0f))));
  return success();
}

LogicalResult importHardSigmoid(NodeBinder &n) {
  if (failed(requireInputs(n, 1)))
    return failure();
  n.setResult(0, n.create<HardSigmoidOp>(
                     n.type(0), n.input(0),
                     n.b.getF32FloatAttr(n.attrFloat("alpha", 0.2f)),
                     n.b.getF32FloatAttr(n.attrFloat("beta", 0.5f))));
  return success();
}

LogicalResult importGelu(NodeBinder &n) {
  if (failed(requireInputs(n, 1)))
    return failure();
  std::string approx = n.attrString("approximate", "none");
  if (approx != "none" && approx != "tanh")
    return n.error("unknown approximate '" + approx + "'");
  n.setResult(0, n.create<GeluOp>(n.type(0), n.input(0),
                                  n.b.getStringAttr(approx)));
  return success();
}

LogicalResult importMod(NodeBinder &n) {
  bool fmod = n.attrInt("fmod", 0) != 0;
  if (n.input(0) && isa<FloatType>(n.elementType(0)) && !fmod)
    return n.error("Mod of floating point tensors requires fmod=1");
  return fmod ? binary<FModOp>(n) : binary<ModOp>(n);
}

LogicalResult importPRelu(NodeBinder &n) {
  if (failed(requireInputs(n, 2)))
    return failure();
  Value slope = n.input(1);
  if (n.opset < 7 && n.rank(1) == 1 && n.rank(0) >= 2 &&
      n.shape(1)[0] == n.shape(0)[1] && n.shape(1)[0] != 1) {
    // Opset 6 applies a 1-D slope per channel (dim 1).
    SmallVector<int64_t> shape(n.rank(0) - 1, 1);
    shape[0] = n.shape(1)[0];
    slope = n.create<ReshapeOp>(n.tensorType(shape, n.elementType(1)), slope);
  }
  auto shape = broadcastOrError(n, n.shape(0),
                                cast<RankedTensorType>(slope.getType()).getShape());
  if (failed(shape))
    return failure();
  if (ArrayRef<int64_t>(*shape) != n.shape(0))
    return n.error("slope must broadcast to the input shape");
  n.setResult(0, n.create<PReluOp>(n.type(0), n.input(0), slope));
  return success();
}

/// Trilu: the kept triangle is a compile-time mask (shapes are static).
LogicalResult importTrilu(NodeBinder &n) {
  if (failed(requireInputs(n, 1)))
    return failure();
  if (n.rank(0) < 2)
    return n.error("input must have rank >= 2");
  int64_t k = 0;
  if (n.input(1)) {
    auto v = n.constInts(1, "k");
    if (failed(v))
      return failure();
    if (v->size() != 1)
      return n.error("k must be a scalar");
    k = (*v)[0];
  }
  bool upper = n.attrInt("upper", 1) != 0;
  int64_t rows = n.shape(0)[n.rank(0) - 2], cols = n.shape(0).back();
  SmallVector<bool> mask;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      mask.push_back(upper ? j - i >= k : j - i <= k);
  Value maskV = n.constantOf(DenseElementsAttr::get(
      n.tensorType({rows, cols}, n.b.getI1Type()), mask));
  Type elem = n.elementType(0);
  TypedAttr zero = isa<FloatType>(elem) ? (TypedAttr)n.b.getFloatAttr(elem, 0)
                                        : (TypedAttr)n.b.getIntegerAttr(elem, 0);
  Value zeroV = n.constantOf(
      DenseElementsAttr::get(n.tensorType({}, elem), zero));
  n.setResult(0, n.create<WhereOp>(n.type(0), maskV, n.input(0), zeroV));
  return success();
}

const OpImporterEntry kImporters[] = {
    {"Abs", 1, unary<AbsOp>},
    {"Add", 1, binary<AddOp>},
    {"And", 1, binary<AndOp, true>},
    {"Cast", 1, importCast},
    {"CastLike", 15, importCastLike},
    {"Ceil", 1, unary<CeilOp>},
    {"Clip", 1, importClip},
    {"Cos", 7, unary<CosOp>},
    {"Div", 1, binary<DivOp>},
    {"Dropout", 1, importDropout},
    {"Elu", 1, importElu},
    {"Equal", 1, binary<EqualOp, true>},
    {"Erf", 9, unary<ErfOp>},
    {"Exp", 1, unary<ExpOp>},
    {"Floor", 1, unary<FloorOp>},
    {"Gelu", 20, importGelu},
    {"Greater", 1, binary<GreaterOp, true>},
    {"GreaterOrEqual", 12, binary<GreaterOrEqualOp, true>},
    {"HardSigmoid", 1, importHardSigmoid},
    {"HardSwish", 14, unary<HardSwishOp>},
    {"Identity", 1, importIdentity},
    {"LeakyRelu", 1, importLeakyRelu},
    {"Less", 1, binary<LessOp, true>},
    {"LessOrEqual", 12, binary<LessOrEqualOp, true>},
    {"Log", 1, unary<LogOp>},
    {"Max", 1, variadic<MaxOp>},
    {"Mean", 1, importMean},
    {"Min", 1, variadic<MinOp>},
    {"Mod", 10, importMod},
    {"Mul", 1, binary<MulOp>},
    {"Neg", 1, unary<NegOp>},
    {"Not", 1, unary<NotOp>},
    {"Or", 1, binary<OrOp, true>},
    {"Pow", 1, binary<PowOp>},
    {"PRelu", 1, importPRelu},
    {"Reciprocal", 1, unary<ReciprocalOp>},
    {"Relu", 1, unary<ReluOp>},
    {"Round", 11, unary<RoundOp>},
    {"Sigmoid", 1, unary<SigmoidOp>},
    {"Sign", 9, unary<SignOp>},
    {"Sin", 7, unary<SinOp>},
    {"Softplus", 1, unary<SoftplusOp>},
    {"Sqrt", 1, unary<SqrtOp>},
    {"Sub", 1, binary<SubOp>},
    {"Sum", 1, variadic<AddOp>},
    {"Tanh", 1, unary<TanhOp>},
    {"Trilu", 14, importTrilu},
    {"Where", 9, importWhere},
    {"Xor", 1, binary<XorOp, true>},
};
} // namespace

ArrayRef<OpImporterEntry> elementwiseImporters() { return kImporters; }

} // namespace qcc::onnx_import
