//===- LoweringUtils.cpp - IR builders of the qcc lowering ----------------===//
#include "qcc/Conversion/QccToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;

namespace qcc {

Type elementTypeOf(Value v) {
  return cast<ShapedType>(v.getType()).getElementType();
}

bool isUnsignedInt(Type t) {
  auto i = dyn_cast<IntegerType>(t);
  return i && i.isUnsigned();
}

Type signless(Type t) {
  if (auto i = dyn_cast<IntegerType>(t); i && !i.isSignless())
    return IntegerType::get(t.getContext(), i.getWidth());
  return t;
}

RankedTensorType signless(RankedTensorType t) {
  return RankedTensorType::get(t.getShape(), signless(t.getElementType()));
}

Value scalarConst(OpBuilder &b, Location loc, Type type, double value) {
  if (auto f = dyn_cast<FloatType>(type)) {
    APFloat v(value);
    bool lost;
    v.convert(f.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, v));
  }
  if (type.isIndex())
    return arith::ConstantIndexOp::create(b, loc, (int64_t)value);
  auto i = cast<IntegerType>(type);
  APInt v(i.getWidth(), (uint64_t)(int64_t)value, /*isSigned=*/true);
  return arith::ConstantOp::create(b, loc, signless(type),
                                   b.getIntegerAttr(signless(type), v));
}

Value lowestValue(OpBuilder &b, Location loc, Type type, bool isUnsigned) {
  if (auto f = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc, type,
        b.getFloatAttr(type, APFloat::getInf(f.getFloatSemantics(), true)));
  unsigned w = type.getIntOrFloatBitWidth();
  APInt v = isUnsigned ? APInt::getMinValue(w) : APInt::getSignedMinValue(w);
  return arith::ConstantOp::create(b, loc, type, b.getIntegerAttr(type, v));
}

Value highestValue(OpBuilder &b, Location loc, Type type, bool isUnsigned) {
  if (auto f = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc, type,
        b.getFloatAttr(type, APFloat::getInf(f.getFloatSemantics(), false)));
  unsigned w = type.getIntOrFloatBitWidth();
  APInt v = isUnsigned ? APInt::getMaxValue(w) : APInt::getSignedMaxValue(w);
  return arith::ConstantOp::create(b, loc, type, b.getIntegerAttr(type, v));
}

Value convertScalar(OpBuilder &b, Location loc, Value v, Type src,
                    bool srcUnsigned, Type dst, bool dstUnsigned) {
  src = signless(src);
  dst = signless(dst);
  if (src == dst)
    return v;
  bool srcFloat = isa<FloatType>(src), dstFloat = isa<FloatType>(dst);
  if (dst.isInteger(1)) {
    if (srcFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v,
                                   scalarConst(b, loc, src, 0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v,
                                 scalarConst(b, loc, src, 0));
  }
  if (srcFloat && dstFloat) {
    if (src.getIntOrFloatBitWidth() < dst.getIntOrFloatBitWidth())
      return arith::ExtFOp::create(b, loc, dst, v);
    return arith::TruncFOp::create(b, loc, dst, v);
  }
  if (srcFloat) {
    if (dstUnsigned)
      return arith::FPToUIOp::create(b, loc, dst, v);
    return arith::FPToSIOp::create(b, loc, dst, v);
  }
  if (dstFloat) {
    if (srcUnsigned || src.isInteger(1))
      return arith::UIToFPOp::create(b, loc, dst, v);
    return arith::SIToFPOp::create(b, loc, dst, v);
  }
  unsigned sw = src.getIntOrFloatBitWidth(), dw = dst.getIntOrFloatBitWidth();
  if (sw > dw)
    return arith::TruncIOp::create(b, loc, dst, v);
  if (srcUnsigned || src.isInteger(1))
    return arith::ExtUIOp::create(b, loc, dst, v);
  return arith::ExtSIOp::create(b, loc, dst, v);
}

Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 signless(type.getElementType()));
}

Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value fill) {
  Value empty = emptyTensor(b, loc, type);
  return linalg::FillOp::create(b, loc, fill, empty).getResult(0);
}

AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> inShape,
                       ArrayRef<int64_t> outShape) {
  SmallVector<AffineExpr> exprs;
  int64_t offset = outShape.size() - inShape.size();
  for (int64_t d = 0; d < (int64_t)inShape.size(); ++d) {
    if (inShape[d] == 1 && outShape[d + offset] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(d + offset, ctx));
  }
  return AffineMap::get(outShape.size(), 0, exprs, ctx);
}

Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, BodyFn body) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> outShape = resultType.getShape();
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(
        ctx, cast<RankedTensorType>(in.getType()).getShape(), outShape));
  maps.push_back(AffineMap::getMultiDimIdentityMap(outShape.size(), ctx));
  SmallVector<utils::IteratorType> iters(outShape.size(),
                                         utils::IteratorType::parallel);
  Value init = emptyTensor(b, loc, resultType);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init, maps, iters,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value r = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, r);
      });
  return generic.getResult(0);
}

Value reshapeTensor(OpBuilder &b, Location loc, Value input,
                    ArrayRef<int64_t> shape) {
  auto inType = cast<RankedTensorType>(input.getType());
  if (inType.getShape() == shape)
    return input;
  auto outType = RankedTensorType::get(shape, inType.getElementType());
  // Prefer collapse/expand (views after bufferization) when one side is a
  // grouping of the other; fall back to tensor.reshape.
  if (auto reassoc = getReassociationIndicesForReshape(inType, outType)) {
    if (outType.getRank() < inType.getRank())
      return tensor::CollapseShapeOp::create(b, loc, outType, input, *reassoc);
    if (outType.getRank() > inType.getRank())
      return tensor::ExpandShapeOp::create(b, loc, outType, input, *reassoc);
  }
  auto shapeType =
      RankedTensorType::get({(int64_t)shape.size()}, b.getIndexType());
  SmallVector<Attribute> dims;
  for (int64_t d : shape)
    dims.push_back(b.getIndexAttr(d));
  Value shapeValue = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(shapeType, dims));
  return tensor::ReshapeOp::create(b, loc, outType, input, shapeValue);
}

Value padTensor(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                ArrayRef<int64_t> high, Value value) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  // Crop first for negative pads.
  bool crop = false;
  SmallVector<OpFoldResult> offsets, sizes, strides;
  SmallVector<int64_t> croppedShape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t lo = std::max<int64_t>(0, -low[d]);
    int64_t hi = std::max<int64_t>(0, -high[d]);
    crop |= lo || hi;
    offsets.push_back(b.getIndexAttr(lo));
    croppedShape.push_back(type.getDimSize(d) - lo - hi);
    sizes.push_back(b.getIndexAttr(croppedShape.back()));
    strides.push_back(b.getIndexAttr(1));
  }
  if (crop)
    input = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get(croppedShape, type.getElementType()),
        input, offsets, sizes, strides);
  SmallVector<int64_t> lo, hi, outShape;
  bool any = false;
  for (int64_t d = 0; d < rank; ++d) {
    lo.push_back(std::max<int64_t>(0, low[d]));
    hi.push_back(std::max<int64_t>(0, high[d]));
    any |= lo.back() || hi.back();
    outShape.push_back(croppedShape[d] + lo.back() + hi.back());
  }
  if (!any)
    return input;
  SmallVector<OpFoldResult> loF, hiF;
  for (int64_t d = 0; d < rank; ++d) {
    loF.push_back(b.getIndexAttr(lo[d]));
    hiF.push_back(b.getIndexAttr(hi[d]));
  }
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(outShape, type.getElementType()), input,
      loF, hiF, value);
}

Value padSpatial(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> pads, Value value) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  int64_t spatial = rank - 2;
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  for (int64_t i = 0; i < spatial; ++i) {
    low[i + 2] = pads[i];
    high[i + 2] = pads[i + spatial];
  }
  return padTensor(b, loc, input, low, high, value);
}

Value broadcastTo(OpBuilder &b, Location loc, Value input,
                  ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getShape() == shape)
    return input;
  auto outType = RankedTensorType::get(shape, type.getElementType());
  return buildElementwise(
      b, loc, outType, input,
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });
}

} // namespace qcc
