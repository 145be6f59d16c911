//===- QccFolders.cpp - constant folding of qcc ops -----------------------===//
//
// Folding exists so that shape sub-graphs (Shape -> Gather -> Concat ->
// Reshape ...) become constants once input shapes are specialized. It is
// limited to small tensors: weights are never materialized element by element
// here.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/IR/Weights.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/APSInt.h"

using namespace mlir;
using namespace qcc;

static constexpr int64_t kMaxFoldElements = 1 << 16;

static DenseElementsAttr foldable(Attribute a) {
  auto d = dyn_cast_or_null<DenseElementsAttr>(a);
  if (!d || d.getNumElements() > kMaxFoldElements)
    return {};
  Type e = d.getElementType();
  if (!isa<IntegerType, FloatType>(e))
    return {};
  return d;
}

/// Linear index into `shape` (right-aligned broadcast) for output index
/// `outIdx` of `outShape`.
static int64_t broadcastIndex(ArrayRef<int64_t> outShape,
                              ArrayRef<int64_t> shape, int64_t outLinear) {
  int64_t idx = 0, stride = 1;
  int64_t offset = outShape.size() - shape.size();
  for (int64_t d = outShape.size() - 1; d >= 0; --d) {
    int64_t coord = outLinear % outShape[d];
    outLinear /= outShape[d];
    int64_t sd = d - offset;
    if (sd < 0)
      continue;
    if (shape[sd] != 1)
      idx += coord * stride;
    stride *= shape[sd];
  }
  return idx;
}

namespace {
enum class BinKind {
  Add, Sub, Mul, Div, Max, Min, Mod, Equal, Less, LessEq, Greater, GreaterEq,
  And, Or, Xor
};
}

static std::optional<APInt> foldInt(BinKind k, const APInt &a, const APInt &b,
                                    bool isUnsigned) {
  APSInt x(a, isUnsigned), y(b, isUnsigned);
  auto boolean = [&](bool v) { return APInt(1, v); };
  switch (k) {
  case BinKind::Add: return a + b;
  case BinKind::Sub: return a - b;
  case BinKind::Mul: return a * b;
  case BinKind::Div:
    if (b.isZero()) return std::nullopt;
    return isUnsigned ? a.udiv(b) : a.sdiv(b);
  case BinKind::Max: return x < y ? b : a;
  case BinKind::Min: return x < y ? a : b;
  case BinKind::Mod: {
    if (b.isZero()) return std::nullopt;
    if (isUnsigned) return a.urem(b);
    APInt r = a.srem(b); // Python-style: sign of the divisor.
    if (!r.isZero() && (r.isNegative() != b.isNegative())) r += b;
    return r;
  }
  case BinKind::Equal: return boolean(a == b);
  case BinKind::Less: return boolean(x < y);
  case BinKind::LessEq: return boolean(x <= y);
  case BinKind::Greater: return boolean(x > y);
  case BinKind::GreaterEq: return boolean(x >= y);
  case BinKind::And: return a & b;
  case BinKind::Or: return a | b;
  case BinKind::Xor: return a ^ b;
  }
  return std::nullopt;
}

static std::optional<APFloat> foldFloat(BinKind k, const APFloat &a,
                                        const APFloat &b) {
  switch (k) {
  case BinKind::Add: return a + b;
  case BinKind::Sub: return a - b;
  case BinKind::Mul: return a * b;
  case BinKind::Div: return a / b;
  case BinKind::Max: return llvm::maximum(a, b);
  case BinKind::Min: return llvm::minimum(a, b);
  default: return std::nullopt;
  }
}

static std::optional<bool> foldFloatCmp(BinKind k, const APFloat &a,
                                        const APFloat &b) {
  switch (k) {
  case BinKind::Equal: return a.compare(b) == APFloat::cmpEqual;
  case BinKind::Less: return a.compare(b) == APFloat::cmpLessThan;
  case BinKind::LessEq: {
    auto c = a.compare(b);
    return c == APFloat::cmpLessThan || c == APFloat::cmpEqual;
  }
  case BinKind::Greater: return a.compare(b) == APFloat::cmpGreaterThan;
  case BinKind::GreaterEq: {
    auto c = a.compare(b);
    return c == APFloat::cmpGreaterThan || c == APFloat::cmpEqual;
  }
  default: return std::nullopt;
  }
}

static OpFoldResult foldBinary(BinKind kind, ArrayRef<Attribute> operands,
                               Type resultType) {
  DenseElementsAttr lhs = foldable(operands[0]), rhs = foldable(operands[1]);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!lhs || !rhs || !type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxFoldElements)
    return {};
  ArrayRef<int64_t> outShape = type.getShape();
  int64_t n = type.getNumElements();
  Type inElem = lhs.getElementType();
  if (auto intType = dyn_cast<IntegerType>(inElem)) {
    auto a = llvm::to_vector(lhs.getValues<APInt>());
    auto b = llvm::to_vector(rhs.getValues<APInt>());
    SmallVector<APInt> out;
    out.reserve(n);
    for (int64_t i = 0; i < n; ++i) {
      auto r = foldInt(kind, a[broadcastIndex(outShape, lhs.getType().getShape(), i)],
                       b[broadcastIndex(outShape, rhs.getType().getShape(), i)],
                       intType.isUnsigned());
      if (!r)
        return {};
      out.push_back(*r);
    }
    return DenseElementsAttr::get(type, out);
  }
  auto a = llvm::to_vector(lhs.getValues<APFloat>());
  auto b = llvm::to_vector(rhs.getValues<APFloat>());
  bool isCompare = type.getElementType().isInteger(1);
  SmallVector<APFloat> outF;
  SmallVector<bool> outB;
  for (int64_t i = 0; i < n; ++i) {
    const APFloat &x = a[broadcastIndex(outShape, lhs.getType().getShape(), i)];
    const APFloat &y = b[broadcastIndex(outShape, rhs.getType().getShape(), i)];
    if (isCompare) {
      auto r = foldFloatCmp(kind, x, y);
      if (!r)
        return {};
      outB.push_back(*r);
    } else {
      auto r = foldFloat(kind, x, y);
      if (!r)
        return {};
      outF.push_back(*r);
    }
  }
  if (isCompare)
    return DenseElementsAttr::get(type, outB);
  return DenseElementsAttr::get(type, outF);
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

#define QCC_BINARY_FOLDER(Op, Kind)                                            \
  OpFoldResult Op::fold(FoldAdaptor adaptor) {                                 \
    return foldBinary(BinKind::Kind, adaptor.getOperands(), getType());        \
  }
QCC_BINARY_FOLDER(AddOp, Add)
QCC_BINARY_FOLDER(SubOp, Sub)
QCC_BINARY_FOLDER(MulOp, Mul)
QCC_BINARY_FOLDER(DivOp, Div)
QCC_BINARY_FOLDER(MaxOp, Max)
QCC_BINARY_FOLDER(MinOp, Min)
QCC_BINARY_FOLDER(ModOp, Mod)
QCC_BINARY_FOLDER(EqualOp, Equal)
QCC_BINARY_FOLDER(LessOp, Less)
QCC_BINARY_FOLDER(LessOrEqualOp, LessEq)
QCC_BINARY_FOLDER(GreaterOp, Greater)
QCC_BINARY_FOLDER(GreaterOrEqualOp, GreaterEq)
QCC_BINARY_FOLDER(AndOp, And)
QCC_BINARY_FOLDER(OrOp, Or)
QCC_BINARY_FOLDER(XorOp, Xor)
#undef QCC_BINARY_FOLDER

// Float-only semantics that shape sub-graphs never need.
OpFoldResult PowOp::fold(FoldAdaptor) { return {}; }
OpFoldResult FModOp::fold(FoldAdaptor) { return {}; }
OpFoldResult PReluOp::fold(FoldAdaptor) { return {}; }

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr c = foldable(adaptor.getCondition()),
                    x = foldable(adaptor.getX()), y = foldable(adaptor.getY());
  auto type = cast<RankedTensorType>(getType());
  if (!c || !x || !y || !type.hasStaticShape())
    return {};
  auto cond = llvm::to_vector(c.getValues<bool>());
  auto xs = llvm::to_vector(x.getValues<Attribute>());
  auto ys = llvm::to_vector(y.getValues<Attribute>());
  SmallVector<Attribute> out;
  for (int64_t i = 0, n = type.getNumElements(); i < n; ++i) {
    bool pick = cond[broadcastIndex(type.getShape(), c.getType().getShape(), i)];
    out.push_back(pick ? xs[broadcastIndex(type.getShape(), x.getType().getShape(), i)]
                       : ys[broadcastIndex(type.getShape(), y.getType().getShape(), i)]);
  }
  return DenseElementsAttr::get(type, out);
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  DenseElementsAttr in = foldable(adaptor.getInput());
  auto type = cast<RankedTensorType>(getType());
  if (!in)
    return {};
  Type src = in.getElementType(), dst = type.getElementType();
  auto srcInt = dyn_cast<IntegerType>(src);
  auto dstInt = dyn_cast<IntegerType>(dst);
  auto dstFloat = dyn_cast<FloatType>(dst);
  if (srcInt && dstInt) {
    SmallVector<APInt> out;
    for (APInt v : in.getValues<APInt>()) {
      if (dstInt.getWidth() == 1)
        out.push_back(APInt(1, !v.isZero()));
      else if (srcInt.isUnsigned() || srcInt.getWidth() == 1)
        out.push_back(v.zextOrTrunc(dstInt.getWidth()));
      else
        out.push_back(v.sextOrTrunc(dstInt.getWidth()));
    }
    return DenseElementsAttr::get(type, out);
  }
  // Numeric casts with IEEE round-to-nearest-even (what the lowering's
  // sitofp/fptrunc do at run time); float to int truncates toward zero.
  // Widening a float constant is left to run time: folding it would undo
  // weight compression (f16 weights widened where they are used).
  if (dstFloat && isa<FloatType>(src) &&
      dstFloat.getWidth() > src.getIntOrFloatBitWidth())
    return {};
  if (dstFloat && (srcInt || isa<FloatType>(src))) {
    SmallVector<APFloat> out;
    bool lost;
    if (srcInt) {
      for (APInt v : in.getValues<APInt>()) {
        APFloat f(dstFloat.getFloatSemantics());
        f.convertFromAPInt(v, !srcInt.isUnsigned() && srcInt.getWidth() > 1,
                           APFloat::rmNearestTiesToEven);
        out.push_back(f);
      }
    } else {
      for (APFloat v : in.getValues<APFloat>()) {
        v.convert(dstFloat.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &lost);
        out.push_back(v);
      }
    }
    return DenseElementsAttr::get(type, out);
  }
  if (dstInt && dstInt.getWidth() > 1 && isa<FloatType>(src)) {
    SmallVector<APInt> out;
    for (APFloat v : in.getValues<APFloat>()) {
      APSInt r(dstInt.getWidth(), dstInt.isUnsigned());
      bool exact;
      if (v.convertToInteger(r, APFloat::rmTowardZero, &exact) &
          APFloat::opInvalidOp)
        return {}; // Out of range: undefined in ONNX; left to run time.
      out.push_back(r);
    }
    return DenseElementsAttr::get(type, out);
  }
  return {};
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto d = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    return d.reshape(cast<ShapedType>(getType()));
  // A resource weight: the same blob under the new shape.
  if (isResourceWeight(adaptor.getInput()) &&
      cast<ShapedType>(getType()).hasStaticShape())
    return retypeWeight(cast<ElementsAttr>(adaptor.getInput()),
                        cast<ShapedType>(getType()));
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  if (llvm::all_of(llvm::enumerate(getPerm()), [](auto it) {
        return (int64_t)it.index() == it.value();
      }))
    return getInput();
  // Constant weights (Gemm's transB, exported Linear layers) are transposed
  // once here, on raw bytes, instead of at every run.
  std::optional<WeightData> in = getWeightData(adaptor.getInput());
  auto type = cast<RankedTensorType>(getType());
  if (!in || !type.hasStaticShape())
    return {};
  if (in->splat)
    return cast<DenseElementsAttr>(adaptor.getInput()).reshape(type);
  ArrayRef<char> raw = in->raw;
  int64_t n = type.getNumElements();
  size_t esize = raw.size() / std::max<int64_t>(1, n);
  if (esize == 0 || esize * n != raw.size())
    return {};
  ArrayRef<int64_t> inShape = in->type.getShape();
  int64_t rank = inShape.size();
  SmallVector<int64_t> inStrides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    inStrides[d] = inStrides[d + 1] * inShape[d + 1];
  WeightBuffer out(raw.size());
  SmallVector<int64_t> idx(rank, 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t src = 0;
    for (int64_t d = 0; d < rank; ++d)
      src += idx[d] * inStrides[getPerm()[d]];
    memcpy(out.data() + i * esize, raw.data() + src * esize, esize);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++idx[d] < type.getDimSize(d))
        break;
      idx[d] = 0;
    }
  }
  return makeWeight(type, std::move(out),
                    isResourceWeight(adaptor.getInput()), "transposed");
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1 && getInputs()[0].getType() == getType())
    return getInputs()[0];
  auto type = cast<RankedTensorType>(getType());
  SmallVector<DenseElementsAttr> ins;
  for (Attribute a : adaptor.getInputs()) {
    DenseElementsAttr d = foldable(a);
    if (!d)
      return {};
    ins.push_back(d);
  }
  // Row-major: the result is, for each outer index, the inputs' inner blocks
  // one after the other.
  int64_t axis = getAxis();
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= type.getDimSize(d);
  SmallVector<SmallVector<Attribute>> values;
  SmallVector<int64_t> blocks;
  for (DenseElementsAttr d : ins) {
    values.push_back(llvm::to_vector(d.getValues<Attribute>()));
    blocks.push_back(outer ? d.getNumElements() / outer : 0);
  }
  SmallVector<Attribute> out;
  for (int64_t o = 0; o < outer; ++o)
    for (auto [vals, block] : llvm::zip(values, blocks))
      out.append(vals.begin() + o * block, vals.begin() + (o + 1) * block);
  return DenseElementsAttr::get(type, out);
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType() &&
      llvm::all_of(getStarts(), [](int64_t s) { return s == 0; }) &&
      llvm::all_of(getSteps(), [](int64_t s) { return s == 1; }))
    return getInput();
  DenseElementsAttr in = foldable(adaptor.getInput());
  auto type = cast<RankedTensorType>(getType());
  if (!in)
    return {};
  auto vals = llvm::to_vector(in.getValues<Attribute>());
  ArrayRef<int64_t> inShape = in.getType().getShape();
  SmallVector<Attribute> out;
  for (int64_t i = 0, n = type.getNumElements(); i < n; ++i) {
    int64_t rem = i, src = 0, stride = 1;
    for (int64_t d = type.getRank() - 1; d >= 0; --d) {
      int64_t c = rem % type.getDimSize(d);
      rem /= type.getDimSize(d);
      src += (getStarts()[d] + c * getSteps()[d]) * stride;
      stride *= inShape[d];
    }
    out.push_back(vals[src]);
  }
  return DenseElementsAttr::get(type, out);
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr data = foldable(adaptor.getData());
  DenseElementsAttr indices = foldable(adaptor.getIndices());
  auto type = cast<RankedTensorType>(getType());
  if (!data || !indices)
    return {};
  ArrayRef<int64_t> dShape = data.getType().getShape();
  int64_t axis = getAxis();
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= dShape[d];
  for (int64_t d = axis + 1; d < (int64_t)dShape.size(); ++d)
    inner *= dShape[d];
  auto vals = llvm::to_vector(data.getValues<Attribute>());
  SmallVector<Attribute> out;
  for (int64_t o = 0; o < outer; ++o)
    for (APInt idx : indices.getValues<APInt>()) {
      int64_t k = idx.getSExtValue();
      if (k < 0)
        k += dShape[axis];
      if (k < 0 || k >= dShape[axis])
        return {}; // Out of range: left for the runtime to report.
      for (int64_t i = 0; i < inner; ++i)
        out.push_back(vals[(o * dShape[axis] + k) * inner + i]);
    }
  return DenseElementsAttr::get(type, out);
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr in = foldable(adaptor.getInput());
  if (!in)
    return {};
  if (isa<IntegerType>(in.getElementType()))
    return in.mapValues(in.getElementType(), [](const APInt &v) { return -v; });
  return in.mapValues(in.getElementType(), [](const APFloat &v) {
    APFloat r = v;
    r.changeSign();
    return r.bitcastToAPInt();
  });
}
