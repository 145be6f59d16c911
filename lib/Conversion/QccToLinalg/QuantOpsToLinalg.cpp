//===- QuantOpsToLinalg.cpp - ONNX quantization operators to linalg -------===//
//
// Exact ONNX semantics: y = saturate(round_half_even(x / scale) + zp) and
// x = (q - zp) * scale, with per-tensor (scalar scale) or per-axis scales.
//
//===----------------------------------------------------------------------===//
#include "LoweringUtils.h"
#include "qcc/Conversion/QccToLinalg/QccToLinalg.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"

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
  if (type.getNumElements() == 1 && (type.getRank() == 0 || rank == 0 ||
                                     type.getRank() == 1))
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
  Value v = math::RoundEvenOp::create(b, loc, arith::DivFOp::create(b, loc, x, scale));
  if (zp)
    v = arith::AddFOp::create(
        b, loc, v, convertScalar(b, loc, zp, qType, qUnsigned, f32, false));
  unsigned w = qType.getIntOrFloatBitWidth();
  double lo = qUnsigned ? 0 : -std::ldexp(1.0, w - 1);
  double hi = qUnsigned ? std::ldexp(1.0, w) - 1 : std::ldexp(1.0, w - 1) - 1;
  v = arith::MaximumFOp::create(b, loc, v, scalarConst(b, loc, f32, lo));
  v = arith::MinimumFOp::create(b, loc, v, scalarConst(b, loc, f32, hi));
  return convertScalar(b, loc, v, f32, false, qType, qUnsigned);
}

/// The elementwise generic shared by QuantizeLinear and DequantizeLinear:
/// `body(x, scale, zeroPoint-or-null)` per element, with scale and zero
/// point broadcast per tensor, per axis or per block.
template <typename OpTy>
static Value buildLinearQuant(
    OpTy op, typename OpTy::Adaptor adaptor, OpBuilder &rewriter,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value, Value)>
        body) {
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  auto type = signless(cast<RankedTensorType>(op.getType()));
  int64_t rank = type.getRank();
  SmallVector<Value> inputs{adaptor.getInput()};
  SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(rank, ctx)};
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
        op, buildLinearQuant(op, adaptor, rewriter,
                             [&](OpBuilder &b, Location l, Value x, Value scale,
                                 Value zp) {
                               return quantizeScalar(b, l, x, scale, zp,
                                                     signless(qElem), qUnsigned);
                             }));
    return success();
  }
};

struct DequantizeLinearLowering : OpConversionPattern<DequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DequantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type qElem = signless(elementTypeOf(op.getInput()));
    bool qUnsigned = isUnsignedInt(elementTypeOf(op.getInput()));
    Type outElem = signless(elementTypeOf(op.getOutput()));
    rewriter.replaceOp(
        op, buildLinearQuant(
                op, adaptor, rewriter,
                [&](OpBuilder &b, Location l, Value x, Value scale,
                    Value zp) -> Value {
                  // (q - zp) exactly in i32, then one multiply in float.
                  Type i32 = b.getI32Type();
                  Value q = convertScalar(b, l, x, qElem, qUnsigned, i32, false);
                  if (zp)
                    q = arith::SubIOp::create(
                        b, l, q,
                        convertScalar(b, l, zp, qElem, qUnsigned, i32, false));
                  Value f = convertScalar(b, l, q, i32, false, outElem, false);
                  return arith::MulFOp::create(b, l, f, scale);
                }));
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
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::reduction);
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap scalarMap = AffineMap::get(rank, 0, {}, ctx);
    auto minmax = linalg::GenericOp::create(
        rewriter, loc, TypeRange{scalarType, scalarType}, x,
        ValueRange{mn, mx}, ArrayRef<AffineMap>{id, scalarMap, scalarMap}, iters,
        [](OpBuilder &b, Location l, ValueRange a) {
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::MinimumFOp::create(b, l, a[0], a[1]),
                         arith::MaximumFOp::create(b, l, a[0], a[2])});
        });
    // scale = (max - min) / 255; zp = saturate(round(-min / scale)).
    auto scaleType = signless(cast<RankedTensorType>(op.getScale().getType()));
    auto zpType = signless(cast<RankedTensorType>(op.getZeroPoint().getType()));
    Value scale = buildElementwise(
        rewriter, loc, RankedTensorType::get({}, f32),
        ValueRange{minmax.getResult(0), minmax.getResult(1)},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          return arith::DivFOp::create(b, l, arith::SubFOp::create(b, l, a[1], a[0]),
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
          v = arith::SelectOp::create(b, l, isZero, scalarConst(b, l, f32, 0), v);
          v = math::RoundEvenOp::create(b, l, v);
          v = arith::MaximumFOp::create(b, l, v, scalarConst(b, l, f32, 0));
          v = arith::MinimumFOp::create(b, l, v, scalarConst(b, l, f32, 255));
          return arith::FPToUIOp::create(b, l, u8, v);
        });
    Value y = buildElementwise(
        rewriter, loc, signless(cast<RankedTensorType>(op.getOutput().getType())),
        ValueRange{x, scale, zp},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value isZero = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                               a[1], scalarConst(b, l, f32, 0));
          Value safe = arith::SelectOp::create(b, l, isZero,
                                               scalarConst(b, l, f32, 1), a[1]);
          return quantizeScalar(b, l, a[0], safe, a[2], u8, true);
        });
    rewriter.replaceOp(op, {y, reshapeTensor(rewriter, loc, scale,
                                             scaleType.getShape()),
                            reshapeTensor(rewriter, loc, zp, zpType.getShape())});
    return success();
  }
};
} // namespace

void qcc::populateQccQuantOpsToLinalgPatterns(TypeConverter &converter,
                                              RewritePatternSet &patterns) {
  patterns.add<QuantizeLinearLowering, DequantizeLinearLowering,
               DynamicQuantizeLinearLowering>(converter, patterns.getContext());
}
