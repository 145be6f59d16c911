//===- ReductionToLinalg.cpp - reductions and normalizations to linalg ----===//
#include "qcc/Conversion/QccToLinalg/LoweringUtils.h"
#include "qcc/Conversion/QccToLinalg/QccToLinalg.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"

using namespace mlir;
using namespace qcc;

using CombineFn =
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value)>;

/// Map from the full iteration space of `rank` dims to the dims not in `axes`.
static AffineMap keptDimsMap(MLIRContext *ctx, int64_t rank,
                             ArrayRef<int64_t> axes) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(axes, d))
      exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// Reduces `input` over `axes` (dims dropped) starting from `initValue`.
static Value reduce(OpBuilder &b, Location loc, Value input,
                    ArrayRef<int64_t> axes, Value initValue,
                    CombineFn combine) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(axes, d))
      shape.push_back(type.getDimSize(d));
  auto outType = RankedTensorType::get(shape, initValue.getType());
  Value init = filledTensor(b, loc, outType, initValue);
  SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(rank, ctx),
                              keptDimsMap(ctx, rank, axes)};
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  for (int64_t a : axes)
    iters[a] = utils::IteratorType::reduction;
  return linalg::GenericOp::create(
             b, loc, outType, input, init, maps, iters,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl,
                                       combine(nb, nl, args[0], args[1]));
             })
      .getResult(0);
}

/// Elementwise over `full`'s shape, where each of `reduced` lacks `axes`.
static Value mapWithReduced(OpBuilder &b, Location loc, Value full,
                            ValueRange reduced, ArrayRef<int64_t> axes,
                            BodyFn body) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(full.getType());
  int64_t rank = type.getRank();
  SmallVector<Value> inputs{full};
  SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(rank, ctx)};
  for (Value r : reduced) {
    inputs.push_back(r);
    maps.push_back(keptDimsMap(ctx, rank, axes));
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
  Value init = emptyTensor(b, loc, type);
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, init.getType(), inputs, init, maps, iters,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, body(nb, nl, args.drop_back()));
             })
      .getResult(0);
}

static int64_t countOver(RankedTensorType type, ArrayRef<int64_t> axes) {
  int64_t n = 1;
  for (int64_t a : axes)
    n *= type.getDimSize(a);
  return n;
}

namespace {
enum class ReduceKind { Sum, Mean, Max, Min, Prod };

template <typename OpTy, ReduceKind Kind>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto outType = signless(cast<RankedTensorType>(op.getType()));
    Type elem = inType.getElementType();
    bool isFloat = isa<FloatType>(elem);
    bool isUnsigned = isUnsignedInt(elementTypeOf(op.getInput()));
    Value init;
    switch (Kind) {
    case ReduceKind::Sum:
    case ReduceKind::Mean:
      init = scalarConst(rewriter, loc, elem, 0);
      break;
    case ReduceKind::Prod:
      init = scalarConst(rewriter, loc, elem, 1);
      break;
    case ReduceKind::Max:
      init = lowestValue(rewriter, loc, elem, isUnsigned);
      break;
    case ReduceKind::Min:
      init = highestValue(rewriter, loc, elem, isUnsigned);
      break;
    }
    auto combine = [&](OpBuilder &b, Location l, Value x, Value acc) -> Value {
      switch (Kind) {
      case ReduceKind::Sum:
      case ReduceKind::Mean:
        return isFloat ? (Value)arith::AddFOp::create(b, l, x, acc)
                       : (Value)arith::AddIOp::create(b, l, x, acc);
      case ReduceKind::Prod:
        return isFloat ? (Value)arith::MulFOp::create(b, l, x, acc)
                       : (Value)arith::MulIOp::create(b, l, x, acc);
      case ReduceKind::Max:
        return isFloat      ? (Value)arith::MaximumFOp::create(b, l, x, acc)
               : isUnsigned ? (Value)arith::MaxUIOp::create(b, l, x, acc)
                            : (Value)arith::MaxSIOp::create(b, l, x, acc);
      case ReduceKind::Min:
        return isFloat      ? (Value)arith::MinimumFOp::create(b, l, x, acc)
               : isUnsigned ? (Value)arith::MinUIOp::create(b, l, x, acc)
                            : (Value)arith::MinSIOp::create(b, l, x, acc);
      }
      return {};
    };
    Value r =
        reduce(rewriter, loc, adaptor.getInput(), op.getAxes(), init, combine);
    if (Kind == ReduceKind::Mean) {
      int64_t n = countOver(inType, op.getAxes());
      auto rType = cast<RankedTensorType>(r.getType());
      r = buildElementwise(
          rewriter, loc, rType, r,
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            Value c = scalarConst(b, l, elem, n);
            if (isFloat)
              return arith::DivFOp::create(b, l, a[0], c);
            return isUnsigned ? (Value)arith::DivUIOp::create(b, l, a[0], c)
                              : (Value)arith::DivSIOp::create(b, l, a[0], c);
          });
    }
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, r, outType.getShape()));
    return success();
  }
};

template <typename OpTy, bool IsMax>
struct ArgReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = adaptor.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    Type elem = inType.getElementType();
    bool isFloat = isa<FloatType>(elem);
    bool isUnsigned = isUnsignedInt(elementTypeOf(op.getInput()));
    int64_t rank = inType.getRank(), axis = op.getAxis();
    SmallVector<int64_t> shape;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        shape.push_back(inType.getDimSize(d));
    Value best =
        filledTensor(rewriter, loc, RankedTensorType::get(shape, elem),
                     IsMax ? lowestValue(rewriter, loc, elem, isUnsigned)
                           : highestValue(rewriter, loc, elem, isUnsigned));
    Type i64 = rewriter.getI64Type();
    Value idx = filledTensor(rewriter, loc, RankedTensorType::get(shape, i64),
                             scalarConst(rewriter, loc, i64, -1));
    SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(rank, ctx),
                                keptDimsMap(ctx, rank, {axis}),
                                keptDimsMap(ctx, rank, {axis})};
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters[axis] = utils::IteratorType::reduction;
    bool last = op.getSelectLastIndex();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{best.getType(), idx.getType()}, input,
        ValueRange{best, idx}, maps, iters,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], cur = args[1], curIdx = args[2];
          Value i = arith::IndexCastOp::create(
              b, l, i64, linalg::IndexOp::create(b, l, axis));
          Value better;
          if (isFloat)
            better = arith::CmpFOp::create(
                b, l,
                IsMax ? (last ? arith::CmpFPredicate::OGE
                              : arith::CmpFPredicate::OGT)
                      : (last ? arith::CmpFPredicate::OLE
                              : arith::CmpFPredicate::OLT),
                x, cur);
          else
            better = arith::CmpIOp::create(
                b, l,
                IsMax ? (last ? (isUnsigned ? arith::CmpIPredicate::uge
                                            : arith::CmpIPredicate::sge)
                              : (isUnsigned ? arith::CmpIPredicate::ugt
                                            : arith::CmpIPredicate::sgt))
                      : (last ? (isUnsigned ? arith::CmpIPredicate::ule
                                            : arith::CmpIPredicate::sle)
                              : (isUnsigned ? arith::CmpIPredicate::ult
                                            : arith::CmpIPredicate::slt)),
                x, cur);
          // The first element always wins, so an all -inf row yields 0.
          Value first =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, curIdx,
                                    scalarConst(b, l, i64, 0));
          better = arith::OrIOp::create(b, l, better, first);
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, better, x, cur),
                         arith::SelectOp::create(b, l, better, i, curIdx)});
        });
    auto outType = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, generic.getResult(1),
                                         outType.getShape()));
    return success();
  }
};

template <typename OpTy, bool IsLog>
struct SoftmaxLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    Type elem = elementTypeOf(x);
    if (!isa<FloatType>(elem))
      return rewriter.notifyMatchFailure(op, "softmax of a non-float");
    int64_t axis = op.getAxis();
    Value max = reduce(
        rewriter, loc, x, {axis}, lowestValue(rewriter, loc, elem, false),
        [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
          return arith::MaximumFOp::create(b, l, v, acc);
        });
    Value shifted =
        mapWithReduced(rewriter, loc, x, max, {axis},
                       [](OpBuilder &b, Location l, ValueRange a) -> Value {
                         return arith::SubFOp::create(b, l, a[0], a[1]);
                       });
    Value e = buildElementwise(
        rewriter, loc, cast<RankedTensorType>(shifted.getType()), shifted,
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          return math::ExpOp::create(b, l, a[0]);
        });
    Value sum =
        reduce(rewriter, loc, e, {axis}, scalarConst(rewriter, loc, elem, 0),
               [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
                 return arith::AddFOp::create(b, l, v, acc);
               });
    Value r =
        mapWithReduced(rewriter, loc, IsLog ? shifted : e, sum, {axis},
                       [](OpBuilder &b, Location l, ValueRange a) -> Value {
                         if (IsLog)
                           return arith::SubFOp::create(
                               b, l, a[0], math::LogOp::create(b, l, a[1]));
                         return arith::DivFOp::create(b, l, a[0], a[1]);
                       });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct BatchNormLowering : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    Type elem = type.getElementType();
    int64_t rank = type.getRank();
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
    SmallVector<Value> inputs{x, adaptor.getScale(), adaptor.getBias(),
                              adaptor.getMean(), adaptor.getVariance()};
    SmallVector<AffineMap> maps{id, channel, channel, channel, channel, id};
    Value init = emptyTensor(rewriter, loc, type);
    double eps = op.getEpsilon().convertToDouble();
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, inputs, init, maps, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          // (x - mean) / sqrt(var + eps) * scale + bias
          Value v =
              arith::AddFOp::create(b, l, a[4], scalarConst(b, l, elem, eps));
          Value d = arith::SubFOp::create(b, l, a[0], a[3]);
          Value n =
              arith::DivFOp::create(b, l, d, math::SqrtOp::create(b, l, v));
          Value r = arith::AddFOp::create(
              b, l, arith::MulFOp::create(b, l, n, a[1]), a[2]);
          linalg::YieldOp::create(b, l, r);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct LayerNormLowering : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    Type elem = type.getElementType();
    SmallVector<int64_t> axes;
    for (int64_t d = op.getAxis(); d < type.getRank(); ++d)
      axes.push_back(d);
    double n = countOver(type, axes);
    auto addF = [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
      return arith::AddFOp::create(b, l, v, acc);
    };
    Value zero = scalarConst(rewriter, loc, elem, 0);
    Value sum = reduce(rewriter, loc, x, axes, zero, addF);
    Value centered =
        mapWithReduced(rewriter, loc, x, sum, axes,
                       [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                         Value mean = arith::DivFOp::create(
                             b, l, a[1], scalarConst(b, l, elem, n));
                         return arith::SubFOp::create(b, l, a[0], mean);
                       });
    Value sq =
        buildElementwise(rewriter, loc, type, centered,
                         [](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return arith::MulFOp::create(b, l, a[0], a[0]);
                         });
    Value sqSum = reduce(rewriter, loc, sq, axes, zero, addF);
    double eps = op.getEpsilon().convertToDouble();
    Value normalized = mapWithReduced(
        rewriter, loc, centered, sqSum, axes,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value var =
              arith::DivFOp::create(b, l, a[1], scalarConst(b, l, elem, n));
          Value s = math::SqrtOp::create(
              b, l,
              arith::AddFOp::create(b, l, var, scalarConst(b, l, elem, eps)));
          return arith::DivFOp::create(b, l, a[0], s);
        });
    SmallVector<Value> inputs{normalized, adaptor.getScale()};
    if (adaptor.getBias())
      inputs.push_back(adaptor.getBias());
    Value r = buildElementwise(
        rewriter, loc, type, inputs,
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value v = arith::MulFOp::create(b, l, a[0], a[1]);
          return a.size() > 2 ? (Value)arith::AddFOp::create(b, l, v, a[2]) : v;
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

template <typename OpTy, bool IsMax>
struct GlobalPoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    Type elem = type.getElementType();
    SmallVector<int64_t> axes;
    for (int64_t d = 2; d < type.getRank(); ++d)
      axes.push_back(d);
    Value r;
    if (IsMax) {
      r = reduce(rewriter, loc, x, axes,
                 lowestValue(rewriter, loc, elem, false),
                 [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
                   return arith::MaximumFOp::create(b, l, v, acc);
                 });
    } else {
      r = reduce(rewriter, loc, x, axes, scalarConst(rewriter, loc, elem, 0),
                 [](OpBuilder &b, Location l, Value v, Value acc) -> Value {
                   return arith::AddFOp::create(b, l, v, acc);
                 });
      double n = countOver(type, axes);
      r = buildElementwise(
          rewriter, loc, cast<RankedTensorType>(r.getType()), r,
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            return arith::DivFOp::create(b, l, a[0],
                                         scalarConst(b, l, elem, n));
          });
    }
    auto outType = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, r, outType.getShape()));
    return success();
  }
};
} // namespace

void qcc::populateQccReductionToLinalgPatterns(TypeConverter &converter,
                                               RewritePatternSet &patterns) {
  patterns.add<
      ReduceLowering<ReduceSumOp, ReduceKind::Sum>,
      ReduceLowering<ReduceMeanOp, ReduceKind::Mean>,
      ReduceLowering<ReduceMaxOp, ReduceKind::Max>,
      ReduceLowering<ReduceMinOp, ReduceKind::Min>,
      ReduceLowering<ReduceProdOp, ReduceKind::Prod>,
      ArgReduceLowering<ArgMaxOp, true>, ArgReduceLowering<ArgMinOp, false>,
      SoftmaxLowering<SoftmaxOp, false>, SoftmaxLowering<LogSoftmaxOp, true>,
      BatchNormLowering, LayerNormLowering,
      GlobalPoolLowering<GlobalAveragePoolOp, false>,
      GlobalPoolLowering<GlobalMaxPoolOp, true>>(converter,
                                                 patterns.getContext());
}
