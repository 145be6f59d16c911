//===- QuantOpsToLinalg.cpp - ONNX quantization operators to linalg -------===//
//
// Exact ONNX semantics: y = saturate(round_half_even(x / scale) + zp) and
// x = (q - zp) * scale, with per-tensor (scalar scale) or per-axis scales.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Conversion/QccToLinalg/LoweringUtils.h"
#include "qcc/Conversion/QccToLinalg/QccToLinalg.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"

#include <cmath>

using namespace mlir;
using namespace qcc;

/// Scale/zero-point operand: rank-0 (per tensor), 1-D along `axis`, or
/// blocked (same rank as the input, `axis` divided by `blockSize`).
static std::pair<Value, AffineMap> paramOperand(OpBuilder &b, Location loc,
                                                Value v, int64_t rank,
                                                int64_t axis,
                                                int64_t blockSize) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(v.getType());
  if (blockSize > 0) {
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d) {
      AffineExpr e = getAffineDimExpr(d, ctx);
      exprs.push_back(d == axis ? e.floorDiv(blockSize) : e);
    }
    return {v, AffineMap::get(rank, 0, exprs, ctx)};
  }
  if (type.getNumElements() == 1 &&
      (type.getRank() == 0 || rank == 0 || type.getRank() == 1))
    if (type.getRank() != 1 || rank == 0 || type.getDimSize(0) == 1)
      return {reshapeTensor(b, loc, v, {}), AffineMap::get(rank, 0, {}, ctx)};
  return {v, AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx), ctx)};
}

/// saturate(roundeven(x / scale) + zp) computed in f32.
static Value quantizeScalar(OpBuilder &b, Location loc, Value x, Value scale,
                            Value zp, Type qType, bool qUnsigned) {
  Type f32 = b.getF32Type();
  Type inType = x.getType();
  x = convertScalar(b, loc, x, inType, false, f32, false);
  scale = convertScalar(b, loc, scale, scale.getType(), false, f32, false);
  Value v = math::RoundEvenOp::create(b, loc,
                                      arith::DivFOp::create(b, loc, x, scale));
  if (zp)
    v = arith::AddFOp::create(
        b, loc, v, convertScalar(b, loc, zp, qType, qUnsigned, f32, false));
  unsigned w = qType.getIntOrFloatBitWidth();
  double lo = qUnsigned ? 0 : -std::ldexp(1.0, w - 1);
  double hi = qUnsigned ? std::ldexp(1.0, w) - 1 : std::ldexp(1.0, w - 1) - 1;
  // maxnum/minnum: NaN saturates to the lowest value, as ONNX Runtime's
  // kernels do, and each bound is one instruction on x86 (a NaN-propagating
  // maximum is a compare and a blend).
  v = arith::MaxNumFOp::create(b, loc, v, scalarConst(b, loc, f32, lo));
  v = arith::MinNumFOp::create(b, loc, v, scalarConst(b, loc, f32, hi));
  return convertScalar(b, loc, v, f32, false, qType, qUnsigned);
}

/// The elementwise generic shared by QuantizeLinear and DequantizeLinear:
/// `body(x, scale, zeroPoint-or-null)` per element, with scale and zero
/// point broadcast per tensor, per axis or per block.
/// `input` (read through `inputMap`, identity when null) stands for the
/// op's input when the caller stores it differently (packed sub-byte
/// weights).
template <typename OpTy>
static Value buildLinearQuant(
    OpTy op, typename OpTy::Adaptor adaptor, OpBuilder &rewriter,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value, Value)> body,
    Value input = {}, AffineMap inputMap = {}) {
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  auto type = signless(cast<RankedTensorType>(op.getType()));
  int64_t rank = type.getRank();
  SmallVector<Value> inputs{input ? input : adaptor.getInput()};
  SmallVector<AffineMap> maps{
      inputMap ? inputMap : AffineMap::getMultiDimIdentityMap(rank, ctx)};
  for (Value param : {adaptor.getScale(), adaptor.getZeroPoint()}) {
    if (!param)
      continue;
    auto [value, map] = paramOperand(rewriter, loc, param, rank, op.getAxis(),
                                     op.getBlockSize());
    inputs.push_back(value);
    maps.push_back(map);
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             rewriter, loc, type, inputs, emptyTensor(rewriter, loc, type),
             maps, iters,
             [&](OpBuilder &b, Location l, ValueRange a) {
               Value zp = a.size() > 3 ? a[2] : Value();
               linalg::YieldOp::create(b, l, body(b, l, a[0], a[1], zp));
             })
      .getResult(0);
}

namespace {
struct QuantizeLinearLowering : OpConversionPattern<QuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type qElem = elementTypeOf(op.getOutput());
    bool qUnsigned = isUnsignedInt(qElem);
    rewriter.replaceOp(
        op, buildLinearQuant(
                op, adaptor, rewriter,
                [&](OpBuilder &b, Location l, Value x, Value scale, Value zp) {
                  return quantizeScalar(b, l, x, scale, zp, signless(qElem),
                                        qUnsigned);
                }));
    return success();
  }
};

/// output = table[unsigned byte of input], a gather from the table.
struct LookupLowering : OpConversionPattern<LookupOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LookupOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    bool signedInput = !isUnsignedInt(elementTypeOf(op.getInput()));
    auto outType = signless(cast<RankedTensorType>(op.getOutput().getType()));
    Value table = adaptor.getTable();
    Value result = buildElementwise(
        rewriter, op.getLoc(), outType, {adaptor.getInput()},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value x = a[0];
          if (signedInput) // -128..127 -> 0..255
            x = arith::XOrIOp::create(b, l, x,
                                      scalarConst(b, l, b.getI8Type(), -128));
          Value i = arith::IndexCastUIOp::create(b, l, b.getIndexType(), x);
          return tensor::ExtractOp::create(b, l, table, ValueRange{i});
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// saturate(((x * m + 2^(s-1)) >> s) + zp) in 64-bit integer arithmetic.
struct RequantizeLowering : OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type qElem = elementTypeOf(op.getOutput());
    bool qUnsigned = isUnsignedInt(qElem);
    auto outType = signless(cast<RankedTensorType>(op.getOutput().getType()));
    Value result = buildElementwise(
        rewriter, op.getLoc(), outType,
        {adaptor.getInput(), adaptor.getMultiplier(), adaptor.getShift(),
         adaptor.getZeroPoint()},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Type i64 = b.getI64Type();
          Value x = arith::ExtSIOp::create(b, l, i64, a[0]);
          Value m = arith::ExtSIOp::create(b, l, i64, a[1]);
          Value s = arith::ExtSIOp::create(b, l, i64, a[2]);
          Value one = scalarConst(b, l, i64, 1);
          Value half = arith::ShLIOp::create(
              b, l, one, arith::SubIOp::create(b, l, s, one));
          Value q = arith::ShRSIOp::create(
              b, l,
              arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, x, m),
                                    half),
              s);
          q = arith::AddIOp::create(
              b, l, q, convertScalar(b, l, a[3], qElem, qUnsigned, i64, false));
          // The result type's range: uint8, int8 or int16.
          unsigned bits = outType.getElementTypeBitWidth();
          double lo = qUnsigned ? 0 : -std::ldexp(1.0, bits - 1);
          double hi = std::ldexp(1.0, qUnsigned ? bits : bits - 1) - 1;
          q = arith::MaxSIOp::create(b, l, q, scalarConst(b, l, i64, lo));
          q = arith::MinSIOp::create(b, l, q, scalarConst(b, l, i64, hi));
          return arith::TruncIOp::create(b, l, outType.getElementType(), q);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// How a constant of 1-, 2- or 4-bit integers is stored: `per` = 8/width
/// values to a byte along its last dim L. Split (when L % per == 0): byte j
/// of a row holds elements j, j + L/per, j + 2L/per, ... in its slots from
/// the low bits up, so a dequantization loop over j reads bytes and writes
/// floats contiguously (llama.cpp's Q4 layout). Interleaved otherwise:
/// element j in slot j % per of byte j / per.
struct PackedConstant {
  Value bytes;
  unsigned width;
  bool split;
};

static std::optional<PackedConstant>
packSubByteConstant(OpBuilder &b, Location loc, Value v) {
  auto constant = v.getDefiningOp<ConstantOp>();
  auto type = cast<RankedTensorType>(v.getType());
  auto intType = dyn_cast<IntegerType>(type.getElementType());
  std::optional<WeightData> data =
      constant ? getWeightData(constant.getValue()) : std::nullopt;
  if (!data || !intType || type.getRank() == 0 || intType.getWidth() >= 8 ||
      8 % intType.getWidth())
    return std::nullopt;
  unsigned width = intType.getWidth();
  int64_t per = 8 / width;
  auto shape = type.getShape();
  int64_t last = shape.back();
  bool split = last % per == 0;
  int64_t packedLast = (last + per - 1) / per;
  int64_t rows = type.getNumElements() / last;
  WeightBuffer packedBytes(rows * packedLast);
  auto packed = packedBytes.as<uint8_t>();
  int64_t n = type.getNumElements();
  for (int64_t i = 0; i < n; ++i) {
    int64_t row = i / last, col = i % last;
    int64_t byte = split ? col % packedLast : col / per;
    int64_t slot = split ? col / packedLast : col % per;
    uint8_t bits = (uint8_t)(data->at<uint8_t>(i) & ((1u << width) - 1));
    packed[row * packedLast + byte] |= (uint8_t)(bits << (slot * width));
  }
  SmallVector<int64_t> packedShape(shape);
  packedShape.back() = packedLast;
  auto packedType = RankedTensorType::get(packedShape, b.getI8Type());
  Value stored = arith::ConstantOp::create(
      b, loc, packedType,
      cast<TypedAttr>(makeWeight(packedType, std::move(packedBytes),
                                 isResourceWeight(constant.getValue()),
                                 "packed")));
  return PackedConstant{stored, width, split};
}

/// Slot `slot` (an index) of a packed byte as i32: shifted to the top of
/// the byte, then down arithmetically (signed) or logically (unsigned).
static Value unpackSlot(OpBuilder &b, Location loc, Value byte, Value slot,
                        unsigned width, bool isUnsigned) {
  Type i8 = b.getI8Type();
  Value shift = arith::MulIOp::create(
      b, loc, arith::IndexCastUIOp::create(b, loc, i8, slot),
      arith::ConstantIntOp::create(b, loc, i8, width));
  Value top = arith::ShLIOp::create(
      b, loc, byte,
      arith::SubIOp::create(
          b, loc, arith::ConstantIntOp::create(b, loc, i8, 8 - width), shift));
  Value down = arith::ConstantIntOp::create(b, loc, i8, 8 - width);
  Value field = isUnsigned
                    ? arith::ShRUIOp::create(b, loc, top, down).getResult()
                    : arith::ShRSIOp::create(b, loc, top, down).getResult();
  Type i32 = b.getI32Type();
  return isUnsigned ? arith::ExtUIOp::create(b, loc, i32, field).getResult()
                    : arith::ExtSIOp::create(b, loc, i32, field).getResult();
}

/// A sub-byte integer constant re-stored one value per i8 (zero points):
/// loops over arrays of i4 do not vectorize.
static Value widenSubByteConstant(OpBuilder &b, Location loc, Value original,
                                  Value converted) {
  auto constant = original.getDefiningOp<ConstantOp>();
  ElementsAttr attr = constant ? constant.getValue() : ElementsAttr();
  auto intType = dyn_cast<IntegerType>(elementTypeOf(original));
  if (!attr || !getWeightData(attr) || !intType || intType.getWidth() >= 8)
    return converted;
  std::vector<int64_t> ints = weightInts(attr);
  WeightBuffer values(ints.size());
  for (size_t i = 0; i < ints.size(); ++i)
    values.data()[i] = (char)(int8_t)ints[i];
  auto type =
      RankedTensorType::get(attr.getShapedType().getShape(), b.getI8Type());
  return arith::ConstantOp::create(
      b, loc, type,
      cast<TypedAttr>(makeWeight(type, std::move(values),
                                 isResourceWeight(attr), "widened")));
}

/// Element (..., j) of an interleaved packed byte: slot j % per.
static Value unpackInterleaved(OpBuilder &b, Location loc, Value byte,
                               unsigned width, bool isUnsigned,
                               int64_t lastDim) {
  Value j = linalg::IndexOp::create(b, loc, lastDim);
  Value slot = arith::RemUIOp::create(
      b, loc, j, arith::ConstantIndexOp::create(b, loc, 8 / width));
  return unpackSlot(b, loc, byte, slot, width, isUnsigned);
}

/// DequantizeLinear of a split-packed constant: the loops run over
/// (..., slot, byte), so the innermost loop reads bytes and scales and writes
/// floats contiguously with a loop-invariant shift; the (..., per, L/per)
/// result collapses to the op's shape.
static Value buildPackedDequantize(DequantizeLinearOp op,
                                   DequantizeLinearOp::Adaptor adaptor,
                                   OpBuilder &b, const PackedConstant &packed,
                                   bool qUnsigned) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto type = signless(cast<RankedTensorType>(op.getType()));
  int64_t rank = type.getRank();
  int64_t per = 8 / packed.width;
  int64_t bytes = type.getShape().back() / per;
  // (d0, ..., d_{r-2}, s, j) -> the op's index (d0, ..., s * bytes + j).
  SmallVector<AffineExpr> outer, unpacked;
  for (int64_t d = 0; d + 1 < rank; ++d)
    outer.push_back(getAffineDimExpr(d, ctx));
  unpacked = outer;
  unpacked.push_back(getAffineDimExpr(rank - 1, ctx) * bytes +
                     getAffineDimExpr(rank, ctx));
  outer.push_back(getAffineDimExpr(rank, ctx));
  AffineMap toOp = AffineMap::get(rank + 1, 0, unpacked, ctx);

  SmallVector<int64_t> shape(type.getShape());
  shape.back() = per;
  shape.push_back(bytes);
  auto expandedType = RankedTensorType::get(shape, type.getElementType());
  SmallVector<Value> inputs{packed.bytes};
  SmallVector<AffineMap> maps{AffineMap::get(rank + 1, 0, outer, ctx)};
  Value zp = adaptor.getZeroPoint();
  if (zp)
    zp = widenSubByteConstant(b, loc, op.getZeroPoint(), zp);
  for (Value param : {adaptor.getScale(), zp}) {
    if (!param)
      continue;
    auto [value, map] =
        paramOperand(b, loc, param, rank, op.getAxis(), op.getBlockSize());
    inputs.push_back(value);
    maps.push_back(map.compose(toOp));
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank + 1, ctx));
  Type zpElem = zp ? elementTypeOf(zp) : Type();
  Type outElem = type.getElementType();
  SmallVector<utils::IteratorType> iters(rank + 1,
                                         utils::IteratorType::parallel);
  Value expanded =
      linalg::GenericOp::create(
          b, loc, expandedType, inputs, emptyTensor(b, loc, expandedType), maps,
          iters,
          [&](OpBuilder &nb, Location l, ValueRange a) {
            Value slot = linalg::IndexOp::create(nb, l, rank - 1);
            Value q = unpackSlot(nb, l, a[0], slot, packed.width, qUnsigned);
            Type i32 = nb.getI32Type();
            if (a.size() > 3)
              q = arith::SubIOp::create(
                  nb, l, q,
                  convertScalar(nb, l, a[2], zpElem, qUnsigned, i32, false));
            Value f = convertScalar(nb, l, q, i32, false, outElem, false);
            linalg::YieldOp::create(
                nb, l, Value(arith::MulFOp::create(nb, l, f, a[1])));
          })
          .getResult(0);
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d + 1 < rank; ++d)
    groups.push_back({d});
  groups.push_back({rank - 1, rank});
  return tensor::CollapseShapeOp::create(b, loc, type, expanded, groups);
}

struct DequantizeLinearLowering : OpConversionPattern<DequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DequantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type qElem = signless(elementTypeOf(op.getInput()));
    bool qUnsigned = isUnsignedInt(elementTypeOf(op.getInput()));
    Type outElem = signless(elementTypeOf(op.getOutput()));
    // Sub-byte constant weights (weight-only w4/w2) are stored packed and
    // unpacked as they are dequantized.
    auto packed = packSubByteConstant(rewriter, op.getLoc(), op.getInput());
    if (packed && packed->split) {
      rewriter.replaceOp(
          op, buildPackedDequantize(op, adaptor, rewriter, *packed, qUnsigned));
      return success();
    }
    int64_t lastDim = cast<RankedTensorType>(op.getType()).getRank() - 1;
    AffineMap packedMap;
    if (packed) {
      // Interleaved: element (..., j) is in byte (..., j / per).
      SmallVector<AffineExpr> exprs;
      for (int64_t d = 0; d <= lastDim; ++d)
        exprs.push_back(d == lastDim ? rewriter.getAffineDimExpr(d).floorDiv(
                                           8 / packed->width)
                                     : rewriter.getAffineDimExpr(d));
      packedMap = AffineMap::get(lastDim + 1, 0, exprs, rewriter.getContext());
    }
    rewriter.replaceOp(
        op, buildLinearQuant(
                op, adaptor, rewriter,
                [&](OpBuilder &b, Location l, Value x, Value scale,
                    Value zp) -> Value {
                  // (q - zp) exactly in i32, then one multiply in float.
                  Type i32 = b.getI32Type();
                  Value q = packed ? unpackInterleaved(b, l, x, packed->width,
                                                       qUnsigned, lastDim)
                                   : convertScalar(b, l, x, qElem, qUnsigned,
                                                   i32, false);
                  if (zp)
                    q = arith::SubIOp::create(
                        b, l, q,
                        convertScalar(b, l, zp, qElem, qUnsigned, i32, false));
                  Value f = convertScalar(b, l, q, i32, false, outElem, false);
                  return arith::MulFOp::create(b, l, f, scale);
                },
                packed ? packed->bytes : Value(), packedMap));
    return success();
  }
};

struct DynamicQuantizeLinearLowering
    : OpConversionPattern<DynamicQuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DynamicQuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getInput();
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t rank = xType.getRank();
    Type f32 = rewriter.getF32Type(), u8 = rewriter.getI8Type();
    // min(0, min(x)) and max(0, max(x)) in one pass.
    auto scalarType = RankedTensorType::get({}, f32);
    Value zero = scalarConst(rewriter, loc, f32, 0);
    Value mn = filledTensor(rewriter, loc, scalarType, zero);
    Value mx = filledTensor(rewriter, loc, scalarType, zero);
    SmallVector<utils::IteratorType> iters(rank,
                                           utils::IteratorType::reduction);
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap scalarMap = AffineMap::get(rank, 0, {}, ctx);
    auto minmax = linalg::GenericOp::create(
        rewriter, loc, TypeRange{scalarType, scalarType}, x, ValueRange{mn, mx},
        ArrayRef<AffineMap>{id, scalarMap, scalarMap}, iters,
        [](OpBuilder &b, Location l, ValueRange a) {
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::MinimumFOp::create(b, l, a[0], a[1]),
                         arith::MaximumFOp::create(b, l, a[0], a[2])});
        });
    // scale = (max - min) / 255; zp = saturate(round(-min / scale)).
    auto scaleType = signless(cast<RankedTensorType>(op.getScale().getType()));
    auto zpType = signless(cast<RankedTensorType>(op.getZeroPoint().getType()));
    Value scale =
        buildElementwise(rewriter, loc, RankedTensorType::get({}, f32),
                         ValueRange{minmax.getResult(0), minmax.getResult(1)},
                         [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return arith::DivFOp::create(
                               b, l, arith::SubFOp::create(b, l, a[1], a[0]),
                               scalarConst(b, l, f32, 255));
                         });
    Value zp = buildElementwise(
        rewriter, loc, RankedTensorType::get({}, u8),
        ValueRange{minmax.getResult(0), scale},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value v = arith::DivFOp::create(
              b, l, arith::NegFOp::create(b, l, a[0]), a[1]);
          // An all-zero input has scale 0: its zero point is 0.
          Value isZero = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                               a[1], scalarConst(b, l, f32, 0));
          v = arith::SelectOp::create(b, l, isZero, scalarConst(b, l, f32, 0),
                                      v);
          v = math::RoundEvenOp::create(b, l, v);
          v = arith::MaximumFOp::create(b, l, v, scalarConst(b, l, f32, 0));
          v = arith::MinimumFOp::create(b, l, v, scalarConst(b, l, f32, 255));
          return arith::FPToUIOp::create(b, l, u8, v);
        });
    Value y = buildElementwise(
        rewriter, loc,
        signless(cast<RankedTensorType>(op.getOutput().getType())),
        ValueRange{x, scale, zp},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value isZero = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                               a[1], scalarConst(b, l, f32, 0));
          Value safe = arith::SelectOp::create(b, l, isZero,
                                               scalarConst(b, l, f32, 1), a[1]);
          return quantizeScalar(b, l, a[0], safe, a[2], u8, true);
        });
    rewriter.replaceOp(
        op, {y, reshapeTensor(rewriter, loc, scale, scaleType.getShape()),
             reshapeTensor(rewriter, loc, zp, zpType.getShape())});
    return success();
  }
};
} // namespace

void qcc::populateQccQuantOpsToLinalgPatterns(TypeConverter &converter,
                                              RewritePatternSet &patterns) {
  patterns
      .add<QuantizeLinearLowering, DequantizeLinearLowering,
           DynamicQuantizeLinearLowering, RequantizeLowering, LookupLowering>(
          converter, patterns.getContext());
}
