//===- MatMulToLinalg.cpp - MatMul, Gemm, MatMulInteger to linalg ---------===//
//
// All three are one contraction: a linalg.generic over (batch..., m, n, k)
// whose input maps carry numpy batch broadcasting and Gemm's transposes, so
// no operand is copied to be transposed or broadcast first.
//
//===----------------------------------------------------------------------===//
#include "qcc/Conversion/QccToLinalg/LoweringUtils.h"
#include "qcc/Conversion/QccToLinalg/QccToLinalg.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"

using namespace mlir;
using namespace qcc;

namespace {
struct Operand {
  Value value;     ///< signless tensor, rank >= 2 (1-D operands promoted)
  bool isUnsigned; ///< ONNX unsigned element type
  bool transposed; ///< Gemm transA/transB
};
/// An optional zero point: scalar (map to ()) or 1-D along m or n.
struct ZeroPoint {
  Value value; ///< rank-0 or rank-1 signless tensor, or null
  bool isUnsigned;
};
} // namespace

/// Reshapes a 1-element tensor to rank 0; returns rank-1 tensors unchanged.
static Value scalarOrVector(OpBuilder &b, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getNumElements() == 1 && type.getRank() != 0)
    return reshapeTensor(b, loc, v, {});
  if (type.getRank() > 1)
    return reshapeTensor(b, loc, v, {type.getNumElements()});
  return v;
}

/// out[batch..., m, n] = sum_k widen(a[.., m, k] - azp) * widen(b[.., k, n] -
/// bzp)
static Value buildContraction(OpBuilder &b, Location loc, Operand lhs,
                              Operand rhs, ZeroPoint azp, ZeroPoint bzp,
                              RankedTensorType outType, Value init) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = outType.getRank(); // batch + 2
  int64_t batch = rank - 2;
  int64_t nLoops = rank + 1;
  AffineExpr m = getAffineDimExpr(batch, ctx),
             n = getAffineDimExpr(batch + 1, ctx),
             k = getAffineDimExpr(batch + 2, ctx);
  auto operandMap = [&](Operand o, AffineExpr row, AffineExpr col) {
    auto shape = cast<RankedTensorType>(o.value.getType()).getShape();
    int64_t oBatch = shape.size() - 2;
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < oBatch; ++d) {
      int64_t outDim = d + (batch - oBatch);
      exprs.push_back(shape[d] == 1 && outType.getDimSize(outDim) != 1
                          ? getAffineConstantExpr(0, ctx)
                          : getAffineDimExpr(outDim, ctx));
    }
    exprs.push_back(o.transposed ? col : row);
    exprs.push_back(o.transposed ? row : col);
    return AffineMap::get(nLoops, 0, exprs, ctx);
  };
  SmallVector<Value> inputs{lhs.value, rhs.value};
  SmallVector<AffineMap> maps{operandMap(lhs, m, k), operandMap(rhs, k, n)};
  auto zpMap = [&](Value zp, AffineExpr along) {
    auto r = cast<RankedTensorType>(zp.getType()).getRank();
    return AffineMap::get(
        nLoops, 0, r == 0 ? ArrayRef<AffineExpr>{} : ArrayRef{along}, ctx);
  };
  if (azp.value) {
    inputs.push_back(azp.value);
    maps.push_back(zpMap(azp.value, m));
  }
  if (bzp.value) {
    inputs.push_back(bzp.value);
    maps.push_back(zpMap(bzp.value, n));
  }
  SmallVector<AffineExpr> outExprs;
  for (int64_t d = 0; d < rank; ++d)
    outExprs.push_back(getAffineDimExpr(d, ctx));
  maps.push_back(AffineMap::get(nLoops, 0, outExprs, ctx));
  SmallVector<utils::IteratorType> iters(nLoops, utils::IteratorType::parallel);
  iters.back() = utils::IteratorType::reduction;
  Type acc = signless(outType.getElementType());
  Type aElem = elementTypeOf(lhs.value), bElem = elementTypeOf(rhs.value);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init, maps, iters,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value x =
            convertScalar(nb, nl, args[0], aElem, lhs.isUnsigned, acc, false);
        Value y =
            convertScalar(nb, nl, args[1], bElem, rhs.isUnsigned, acc, false);
        unsigned next = 2;
        if (azp.value)
          x = arith::SubIOp::create(nb, nl, x,
                                    convertScalar(nb, nl, args[next++], aElem,
                                                  azp.isUnsigned, acc, false));
        if (bzp.value)
          y = arith::SubIOp::create(nb, nl, y,
                                    convertScalar(nb, nl, args[next++], bElem,
                                                  bzp.isUnsigned, acc, false));
        Value r;
        if (isa<FloatType>(acc))
          r = arith::AddFOp::create(nb, nl, args.back(),
                                    arith::MulFOp::create(nb, nl, x, y));
        else
          r = arith::AddIOp::create(nb, nl, args.back(),
                                    arith::MulIOp::create(nb, nl, x, y));
        linalg::YieldOp::create(nb, nl, r);
      });
  return generic.getResult(0);
}

/// Promotes 1-D MatMul operands and computes the promoted result shape.
template <typename OpTy>
static LogicalResult lowerMatMulLike(OpTy op, Value a, Value b, ZeroPoint azp,
                                     ZeroPoint bzp,
                                     ConversionPatternRewriter &rewriter) {
  Location loc = op.getLoc();
  auto outType = signless(cast<RankedTensorType>(op.getOutput().getType()));
  if (!outType.hasStaticShape())
    return rewriter.notifyMatchFailure(op, "dynamic shape");
  auto aShape = cast<RankedTensorType>(a.getType()).getShape();
  auto bShape = cast<RankedTensorType>(b.getType()).getShape();
  bool aVec = aShape.size() == 1, bVec = bShape.size() == 1;
  if (aVec)
    a = reshapeTensor(rewriter, loc, a, {1, aShape[0]});
  if (bVec)
    b = reshapeTensor(rewriter, loc, b, {bShape[0], 1});
  SmallVector<int64_t> shape(outType.getShape());
  if (aVec)
    shape.insert(shape.end() - (bVec ? 0 : 1), 1);
  if (bVec)
    shape.push_back(1);
  auto promoted = RankedTensorType::get(shape, outType.getElementType());
  Value zero = scalarConst(rewriter, loc, outType.getElementType(), 0);
  Value init = filledTensor(rewriter, loc, promoted, zero);
  Value r = buildContraction(
      rewriter, loc, {a, isUnsignedInt(elementTypeOf(op.getA())), false},
      {b, isUnsignedInt(elementTypeOf(op.getB())), false}, azp, bzp, promoted,
      init);
  rewriter.replaceOp(op, reshapeTensor(rewriter, loc, r, outType.getShape()));
  return success();
}

namespace {
struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    return lowerMatMulLike(op, adaptor.getA(), adaptor.getB(), {}, {},
                           rewriter);
  }
};

struct MatMulIntegerLowering : OpConversionPattern<MatMulIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ZeroPoint azp{}, bzp{};
    if (adaptor.getAZeroPoint())
      azp = {scalarOrVector(rewriter, loc, adaptor.getAZeroPoint()),
             isUnsignedInt(elementTypeOf(op.getAZeroPoint()))};
    if (adaptor.getBZeroPoint())
      bzp = {scalarOrVector(rewriter, loc, adaptor.getBZeroPoint()),
             isUnsignedInt(elementTypeOf(op.getBZeroPoint()))};
    return lowerMatMulLike(op, adaptor.getA(), adaptor.getB(), azp, bzp,
                           rewriter);
  }
};

struct GemmLowering : OpConversionPattern<GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = signless(cast<RankedTensorType>(op.getOutput().getType()));
    Type elem = outType.getElementType();
    bool isUnsigned = isUnsignedInt(elementTypeOf(op.getOutput()));
    Value init = filledTensor(rewriter, loc, outType,
                              scalarConst(rewriter, loc, elem, 0));
    Value acc = buildContraction(
        rewriter, loc, {adaptor.getA(), isUnsigned, op.getTransA()},
        {adaptor.getB(), isUnsigned, op.getTransB()}, {}, {}, outType, init);
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    bool isFloat = isa<FloatType>(elem);
    SmallVector<Value> inputs{acc};
    if (adaptor.getC() && beta != 0)
      inputs.push_back(adaptor.getC());
    if (alpha == 1 && inputs.size() == 1) {
      rewriter.replaceOp(op, acc);
      return success();
    }
    // alpha * AB + beta * C, in the order ONNX Runtime evaluates it.
    Value r = buildElementwise(
        rewriter, loc, outType, inputs,
        [&](OpBuilder &b, Location l, ValueRange args) {
          auto mul = [&](Value x, double c) -> Value {
            if (c == 1)
              return x;
            Value k = scalarConst(b, l, elem, c);
            return isFloat ? (Value)arith::MulFOp::create(b, l, x, k)
                           : (Value)arith::MulIOp::create(b, l, x, k);
          };
          Value v = mul(args[0], alpha);
          if (args.size() > 1) {
            Value c = mul(args[1], beta);
            v = isFloat ? (Value)arith::AddFOp::create(b, l, v, c)
                        : (Value)arith::AddIOp::create(b, l, v, c);
          }
          return v;
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};
} // namespace

void qcc::populateQccMatMulToLinalgPatterns(TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, MatMulIntegerLowering, GemmLowering>(
      converter, patterns.getContext());
}
