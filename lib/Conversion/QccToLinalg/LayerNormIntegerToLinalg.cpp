//===- LayerNormIntegerToLinalg.cpp - integer LayerNorm to linalg ---------===//
//
// Four linalg.generics over the rows (M) and the normalized elements (N):
// the row sum (i32), the sum of squared centred values (i64), the per-row
// square root and reciprocal, and the elementwise output. The square root
// is the digit-by-digit method (shifts, compares, subtractions: exact, and
// no division a 32-bit target lacks).
//
//===----------------------------------------------------------------------===//
#include "qcc/Conversion/QccToLinalg/LoweringUtils.h"
#include "qcc/Conversion/QccToLinalg/QccToLinalg.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include <cmath>

using namespace mlir;
using namespace qcc;

/// floor(sqrt(v)) for 0 <= v < 2^63 (i64), digit by digit: 32 steps of
/// a loop (root + d stays below 2^63, so the signed compare is exact). A
/// loop rather than unrolled steps: each step reads the last one twice,
/// and LLVM's loop vectorizer walks such a chain once per path.
static Value integerSqrt(OpBuilder &b, Location loc, Value v) {
  Type i64 = b.getI64Type();
  Value zero = scalarConst(b, loc, i64, 0);
  Value first = scalarConst(b, loc, i64, std::ldexp(1.0, 62));
  auto loop = scf::ForOp::create(
      b, loc, arith::ConstantIndexOp::create(b, loc, 0),
      arith::ConstantIndexOp::create(b, loc, 32),
      arith::ConstantIndexOp::create(b, loc, 1), ValueRange{v, zero, first},
      [&](OpBuilder &nb, Location l, Value, ValueRange args) {
        Value rest = args[0], root = args[1], d = args[2];
        Value trial = arith::AddIOp::create(nb, l, root, d);
        Value fits = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge,
                                           rest, trial);
        Value halved =
            arith::ShRUIOp::create(nb, l, root, scalarConst(nb, l, i64, 1));
        Value nextRest = arith::SelectOp::create(
            nb, l, fits, arith::SubIOp::create(nb, l, rest, trial), rest);
        Value nextRoot = arith::SelectOp::create(
            nb, l, fits, arith::AddIOp::create(nb, l, halved, d), halved);
        Value nextD =
            arith::ShRUIOp::create(nb, l, d, scalarConst(nb, l, i64, 2));
        scf::YieldOp::create(nb, l, ValueRange{nextRest, nextRoot, nextD});
      });
  return loop.getResult(1);
}

namespace {
struct LayerNormIntegerLowering : OpConversionPattern<LayerNormIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    Type xElem = inType.getElementType(), yElem = elementTypeOf(op.getOutput());
    Type xStorage = signless(xElem);
    bool xUnsigned = isUnsignedInt(xElem), yUnsigned = isUnsignedInt(yElem);
    int64_t axis = op.getAxis();
    int64_t m = 1, n = 1;
    for (int64_t i = 0; i < inType.getRank(); ++i)
      (i < axis ? m : n) *= inType.getDimSize(i);
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type(),
         i64 = rewriter.getI64Type();
    Value x = reshapeTensor(rewriter, loc, adaptor.getInput(), {m, n});
    Value gain = reshapeTensor(rewriter, loc, adaptor.getGain(), {n});
    Value bias = reshapeTensor(rewriter, loc, adaptor.getBias(), {n});

    AffineExpr r = getAffineDimExpr(0, ctx), c = getAffineDimExpr(1, ctx);
    auto map2 = [&](ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(2, 0, exprs, ctx);
    };
    auto widen = [&](OpBuilder &b, Location l, Value v, Type to) {
      return convertScalar(b, l, v, xStorage, xUnsigned, to, false);
    };
    // d = N x - S (i64), from an element and its row's i32 sum.
    auto centred = [&](OpBuilder &b, Location l, Value x, Value sum) -> Value {
      return arith::SubIOp::create(
          b, l,
          arith::MulIOp::create(b, l, widen(b, l, x, i64),
                                scalarConst(b, l, i64, (double)n)),
          arith::ExtSIOp::create(b, l, i64, sum));
    };
    SmallVector<utils::IteratorType> rowReduce{utils::IteratorType::parallel,
                                               utils::IteratorType::reduction};
    auto rowOf = [&](Type elem) { return RankedTensorType::get({m}, elem); };

    // S = sum x (i32: below 2^16 N).
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, rowOf(i32), ValueRange{x},
            ValueRange{filledTensor(rewriter, loc, rowOf(i32),
                                    scalarConst(rewriter, loc, i32, 0))},
            ArrayRef{map2({r, c}), map2({r})}, rowReduce,
            [&](OpBuilder &b, Location l, ValueRange a) {
              linalg::YieldOp::create(
                  b, l,
                  arith::AddIOp::create(b, l, a[1], widen(b, l, a[0], i32))
                      .getResult());
            })
            .getResult(0);
    // sum d^2 with d = N x - S (i64).
    Value squares =
        linalg::GenericOp::create(
            rewriter, loc, rowOf(i64), ValueRange{x, sum},
            ValueRange{filledTensor(rewriter, loc, rowOf(i64),
                                    scalarConst(rewriter, loc, i64, 0))},
            ArrayRef{map2({r, c}), map2({r}), map2({r})}, rowReduce,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value d = centred(b, l, a[0], a[1]);
              linalg::YieldOp::create(
                  b, l,
                  arith::AddIOp::create(b, l, a[2],
                                        arith::MulIOp::create(b, l, d, d))
                      .getResult());
            })
            .getResult(0);
    // Per row: inv = floor(2^31 / n) and the shift t of the op's definition.
    int64_t preShift = op.getPreShift();
    Value offset = scalarConst(rewriter, loc, i64, (double)op.getOffset());
    auto rowMap = AffineMap::get(1, 0, {getAffineDimExpr(0, ctx)}, ctx);
    auto perRow = linalg::GenericOp::create(
        rewriter, loc, TypeRange{rowOf(i64), rowOf(i64)}, ValueRange{squares},
        ValueRange{emptyTensor(rewriter, loc, rowOf(i64)),
                   emptyTensor(rewriter, loc, rowOf(i64))},
        ArrayRef{rowMap, rowMap, rowMap},
        SmallVector<utils::IteratorType>{utils::IteratorType::parallel},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value v = arith::ShLIOp::create(
              b, l, arith::AddIOp::create(b, l, a[0], offset),
              scalarConst(b, l, i64, 2.0 * preShift));
          Value root = integerSqrt(b, l, v);
          // bits(root) - 16, at least 0: root >> h keeps 16 bits.
          Value bits = arith::SubIOp::create(
              b, l, scalarConst(b, l, i64, 64),
              math::CountLeadingZerosOp::create(b, l, root));
          Value h = arith::MaxSIOp::create(
              b, l,
              arith::SubIOp::create(b, l, bits, scalarConst(b, l, i64, 16)),
              scalarConst(b, l, i64, 0));
          Value top = arith::TruncIOp::create(
              b, l, i32, arith::ShRUIOp::create(b, l, root, h));
          Value inv = arith::ExtUIOp::create(
              b, l, i64,
              // 2^31 as an unsigned 32-bit dividend (the bits of INT32_MIN).
              arith::DivUIOp::create(
                  b, l, scalarConst(b, l, i32, -2147483648.0), top));
          Value t = arith::AddIOp::create(
              b, l, h, scalarConst(b, l, i64, 16.0 - preShift));
          linalg::YieldOp::create(b, l, ValueRange{inv, t});
        });
    // y = saturate(((v gain + bias + 2^(P+14)) >> (P+15)) + z_y).
    int64_t gainShift = op.getGainShift();
    auto outType = RankedTensorType::get({m, n}, i8);
    Value zy = adaptor.getZeroPoint();
    Value y =
        linalg::GenericOp::create(
            rewriter, loc, outType,
            ValueRange{x, sum, perRow.getResult(0), perRow.getResult(1), gain,
                       bias, zy},
            ValueRange{emptyTensor(rewriter, loc, outType)},
            ArrayRef{map2({r, c}), map2({r}), map2({r}), map2({r}), map2({c}),
                     map2({c}), map2({}), map2({r, c})},
            SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value one = scalarConst(b, l, i64, 1);
              Value d = centred(b, l, a[0], a[1]);
              Value t = a[3];
              Value half = arith::ShLIOp::create(
                  b, l, one, arith::SubIOp::create(b, l, t, one));
              Value v = arith::ShRSIOp::create(
                  b, l,
                  arith::AddIOp::create(
                      b, l, arith::MulIOp::create(b, l, d, a[2]), half),
                  t);
              Value acc = arith::AddIOp::create(
                  b, l,
                  arith::MulIOp::create(
                      b, l, v, arith::ExtSIOp::create(b, l, i64, a[4])),
                  a[5]);
              acc = arith::AddIOp::create(
                  b, l, acc,
                  scalarConst(b, l, i64,
                              (double)(int64_t(1) << (gainShift + 14))));
              Value q = arith::ShRSIOp::create(
                  b, l, acc, scalarConst(b, l, i64, gainShift + 15.0));
              q = arith::AddIOp::create(
                  b, l, q,
                  convertScalar(b, l, a[6], i8, yUnsigned, i64, false));
              q = arith::MaxSIOp::create(
                  b, l, q, scalarConst(b, l, i64, yUnsigned ? 0 : -128));
              q = arith::MinSIOp::create(
                  b, l, q, scalarConst(b, l, i64, yUnsigned ? 255 : 127));
              linalg::YieldOp::create(
                  b, l, arith::TruncIOp::create(b, l, i8, q).getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, y, inType.getShape()));
    return success();
  }
};
} // namespace

void qcc::populateQccLayerNormIntegerToLinalgPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<LayerNormIntegerLowering>(converter, patterns.getContext());
}
