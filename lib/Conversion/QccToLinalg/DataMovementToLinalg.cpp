//===- DataMovementToLinalg.cpp - shape and indexing ops to tensor/linalg -===//
//
// Views (reshape, positive-step slices, concatenation by insert_slice) stay
// tensor ops so bufferization can make them free; gathers and index-computing
// ops (Gather, Resize, Pad reflect/edge) are linalg.generic with
// tensor.extract, indices clamped so no input can read out of bounds.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Conversion/QccToLinalg/LoweringUtils.h"
#include "qcc/Conversion/QccToLinalg/QccToLinalg.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"

using namespace mlir;
using namespace qcc;

/// Clamps an index value to [0, n-1].
static Value clampIndex(OpBuilder &b, Location loc, Value i, int64_t n) {
  Value lo = arith::ConstantIndexOp::create(b, loc, 0);
  Value hi =
      arith::ConstantIndexOp::create(b, loc, std::max<int64_t>(0, n - 1));
  return arith::MinSIOp::create(b, loc, arith::MaxSIOp::create(b, loc, i, lo),
                                hi);
}

/// A generic with no inputs whose body computes each element from indices.
static Value buildIndexGeneric(
    OpBuilder &b, Location loc, RankedTensorType type,
    llvm::function_ref<Value(OpBuilder &, Location, ArrayRef<Value>)> body,
    ValueRange inputs = {}, ArrayRef<AffineMap> inputMaps = {}) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  Value init = emptyTensor(b, loc, type);
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, init.getType(), inputs, init, maps, iters,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               SmallVector<Value> idx;
               for (int64_t d = 0; d < rank; ++d)
                 idx.push_back(linalg::IndexOp::create(nb, nl, d));
               SmallVector<Value> all(args.drop_back());
               all.append(idx);
               linalg::YieldOp::create(nb, nl, body(nb, nl, all));
             })
      .getResult(0);
}

namespace {
struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    auto target = signless(type);
    ElementsAttr value = op.getValue();
    if (target != type) {
      if (auto dense = dyn_cast<DenseElementsAttr>(value))
        value = dense.bitcast(target.getElementType());
      else if (isResourceWeight(value))
        value = retypeWeight(value, target); // Same blob, signless.
      else
        return rewriter.notifyMatchFailure(op, "non-dense unsigned constant");
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, target,
                                                   cast<TypedAttr>(value));
    return success();
  }
};

struct ReshapeLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(op, reshapeTensor(rewriter, op.getLoc(),
                                         adaptor.getInput(), type.getShape()));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = signless(cast<RankedTensorType>(op.getType()));
    Value init = emptyTensor(rewriter, op.getLoc(), type);
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(),
                                                       adaptor.getInput(), init,
                                                       op.getPerm())
                               ->getResult(0));
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = signless(cast<RankedTensorType>(op.getType()));
    Value result = emptyTensor(rewriter, loc, type);
    int64_t offset = 0, axis = op.getAxis();
    for (Value in : adaptor.getInputs()) {
      auto inType = cast<RankedTensorType>(in.getType());
      if (inType.getDimSize(axis) == 0)
        continue;
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (int64_t d = 0; d < type.getRank(); ++d) {
        offsets.push_back(rewriter.getIndexAttr(d == axis ? offset : 0));
        sizes.push_back(rewriter.getIndexAttr(inType.getDimSize(d)));
        strides.push_back(rewriter.getIndexAttr(1));
      }
      result = tensor::InsertSliceOp::create(rewriter, loc, in, result, offsets,
                                             sizes, strides);
      offset += inType.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = signless(cast<RankedTensorType>(op.getType()));
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(rewriter, loc, type));
      return success();
    }
    if (llvm::all_of(op.getSteps(), [](int64_t s) { return s > 0; })) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (int64_t d = 0; d < type.getRank(); ++d) {
        offsets.push_back(rewriter.getIndexAttr(op.getStarts()[d]));
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
        strides.push_back(rewriter.getIndexAttr(op.getSteps()[d]));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, type, adaptor.getInput(), offsets, sizes, strides);
      return success();
    }
    // Negative steps: an affine read map start + step * i.
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < type.getRank(); ++d)
      exprs.push_back(getAffineDimExpr(d, ctx) * op.getSteps()[d] +
                      op.getStarts()[d]);
    AffineMap readMap = AffineMap::get(type.getRank(), 0, exprs, ctx);
    Value init = emptyTensor(rewriter, loc, type);
    SmallVector<utils::IteratorType> iters(type.getRank(),
                                           utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, adaptor.getInput(), init,
        ArrayRef<AffineMap>{
            readMap, AffineMap::getMultiDimIdentityMap(type.getRank(), ctx)},
        iters, [](OpBuilder &b, Location l, ValueRange a) {
          linalg::YieldOp::create(b, l, a[0]);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = signless(cast<RankedTensorType>(op.getType()));
    Value data = adaptor.getData();
    auto dataShape = cast<RankedTensorType>(data.getType()).getShape();
    auto idxType = cast<RankedTensorType>(adaptor.getIndices().getType());
    int64_t axis = op.getAxis(), q = idxType.getRank();
    SmallVector<AffineExpr> idxExprs;
    for (int64_t i = 0; i < q; ++i)
      idxExprs.push_back(getAffineDimExpr(axis + i, ctx));
    AffineMap idxMap = AffineMap::get(type.getRank(), 0, idxExprs, ctx);
    int64_t axisSize = dataShape[axis];
    Value r = buildIndexGeneric(
        rewriter, loc, type,
        [&](OpBuilder &b, Location l, ArrayRef<Value> a) -> Value {
          Value k = arith::IndexCastOp::create(b, l, b.getIndexType(), a[0]);
          // Negative indices count from the end.
          Value neg =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, k,
                                    arith::ConstantIndexOp::create(b, l, 0));
          k = arith::SelectOp::create(
              b, l, neg,
              arith::AddIOp::create(
                  b, l, k, arith::ConstantIndexOp::create(b, l, axisSize)),
              k);
          k = clampIndex(b, l, k, axisSize);
          ArrayRef<Value> idx = a.drop_front();
          SmallVector<Value> coords;
          for (int64_t d = 0; d < axis; ++d)
            coords.push_back(idx[d]);
          coords.push_back(k);
          for (int64_t d = axis + 1; d < (int64_t)dataShape.size(); ++d)
            coords.push_back(idx[d - 1 + q]);
          return tensor::ExtractOp::create(b, l, data, coords);
        },
        adaptor.getIndices(), idxMap);
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct ExpandLowering : OpConversionPattern<ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(op, broadcastTo(rewriter, op.getLoc(),
                                       adaptor.getInput(), type.getShape()));
    return success();
  }
};

struct TileLowering : OpConversionPattern<TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = rewriter.getContext();
    auto type = signless(cast<RankedTensorType>(op.getType()));
    auto inShape =
        cast<RankedTensorType>(adaptor.getInput().getType()).getShape();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < type.getRank(); ++d)
      exprs.push_back(getAffineDimExpr(d, ctx) % inShape[d]);
    int64_t rank = type.getRank();
    Value init = emptyTensor(rewriter, op.getLoc(), type);
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), type, adaptor.getInput(), init,
        ArrayRef<AffineMap>{AffineMap::get(rank, 0, exprs, ctx),
                            AffineMap::getMultiDimIdentityMap(rank, ctx)},
        iters, [](OpBuilder &b, Location l, ValueRange a) {
          linalg::YieldOp::create(b, l, a[0]);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = signless(cast<RankedTensorType>(op.getType()));
    Value input = adaptor.getInput();
    auto inShape = cast<RankedTensorType>(input.getType()).getShape();
    int64_t rank = type.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    if (op.getMode() == "constant") {
      Value v = scalarConst(rewriter, loc, type.getElementType(),
                            op.getValue().convertToDouble());
      rewriter.replaceOp(op,
                         padTensor(rewriter, loc, input, pads.take_front(rank),
                                   pads.drop_front(rank), v));
      return success();
    }
    bool reflect = op.getMode() == "reflect";
    Value r = buildIndexGeneric(
        rewriter, loc, type,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < rank; ++d) {
            int64_t n = inShape[d];
            Value i = arith::SubIOp::create(
                b, l, idx[d], arith::ConstantIndexOp::create(b, l, pads[d]));
            if (reflect && n > 1) {
              // Fold into [0, 2n-2) then mirror the upper half.
              int64_t period = 2 * (n - 1);
              Value p = arith::ConstantIndexOp::create(b, l, period);
              Value m = arith::RemSIOp::create(b, l, i, p);
              Value isNeg = arith::CmpIOp::create(
                  b, l, arith::CmpIPredicate::slt, m,
                  arith::ConstantIndexOp::create(b, l, 0));
              m = arith::SelectOp::create(b, l, isNeg,
                                          arith::AddIOp::create(b, l, m, p), m);
              Value upper = arith::CmpIOp::create(
                  b, l, arith::CmpIPredicate::sge, m,
                  arith::ConstantIndexOp::create(b, l, n));
              i = arith::SelectOp::create(b, l, upper,
                                          arith::SubIOp::create(b, l, p, m), m);
            }
            coords.push_back(clampIndex(b, l, i, n));
          }
          return tensor::ExtractOp::create(b, l, input, coords);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// The source index of each output index of a nearest Resize along one
/// dim, computed at compile time with the f32 arithmetic ONNX specifies, so
/// no float work is left for run time (--integer-only needs none).
static SmallVector<int64_t> nearestSourceIndices(StringRef ctm,
                                                 StringRef nearest, float s,
                                                 int64_t in, int64_t out) {
  SmallVector<int64_t> map;
  for (int64_t i = 0; i < out; ++i) {
    float v = resizeSourceCoordinate(ctm, s, in, out, i);
    float n = nearest == "floor"               ? std::floor(v)
              : nearest == "ceil"              ? std::ceil(v)
              : nearest == "round_prefer_ceil" ? std::floor(v + 0.5f)
                                               : std::ceil(v - 0.5f);
    map.push_back(clampSourceIndex(n, in));
  }
  return map;
}

struct ResizeLowering : OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = signless(cast<RankedTensorType>(op.getType()));
    Value input = adaptor.getInput();
    auto inShape = cast<RankedTensorType>(input.getType()).getShape();
    int64_t rank = type.getRank();
    StringRef mode = op.getMode(), ctm = op.getCoordinateTransformationMode(),
              nearest = op.getNearestMode();
    if (mode != "nearest" && mode != "linear")
      return rewriter.notifyMatchFailure(op, "unsupported resize mode");
    Type elem = type.getElementType();
    bool isFloat = isa<FloatType>(elem);
    if (mode == "linear" && !isFloat)
      return rewriter.notifyMatchFailure(op, "linear resize of integers");
    ArrayRef<float> scales = op.getScales();
    Type f32 = rewriter.getF32Type();
    if (mode == "nearest") {
      // Per resized dim: i / k for an integer upsampling, else a constant
      // table of source indices.
      SmallVector<std::optional<int64_t>> factor(rank);
      SmallVector<Value> tables(rank);
      for (int64_t d = 0; d < rank; ++d) {
        int64_t out = type.getDimSize(d);
        if (inShape[d] == out && scales[d] == 1.0f)
          continue;
        SmallVector<int64_t> map =
            nearestSourceIndices(ctm, nearest, scales[d], inShape[d], out);
        int64_t k = inShape[d] > 0 ? out / inShape[d] : 0;
        bool divides =
            k > 0 && llvm::all_of(llvm::seq<int64_t>(0, out),
                                  [&](int64_t i) { return map[i] == i / k; });
        if (divides) {
          factor[d] = k;
          continue;
        }
        auto tableType = RankedTensorType::get({out}, rewriter.getIndexType());
        tables[d] = arith::ConstantOp::create(
            rewriter, loc, tableType,
            DenseElementsAttr::get(tableType, ArrayRef<int64_t>(map)));
      }
      Value r = buildIndexGeneric(
          rewriter, loc, type,
          [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
            SmallVector<Value> coords;
            for (int64_t d = 0; d < rank; ++d) {
              if (factor[d])
                coords.push_back(arith::DivUIOp::create(
                    b, l, idx[d],
                    arith::ConstantIndexOp::create(b, l, *factor[d])));
              else if (tables[d])
                coords.push_back(
                    tensor::ExtractOp::create(b, l, tables[d], idx[d]));
              else
                coords.push_back(idx[d]);
            }
            return tensor::ExtractOp::create(b, l, input, coords);
          });
      rewriter.replaceOp(op, r);
      return success();
    }
    Value r = buildIndexGeneric(
        rewriter, loc, type,
        [&](OpBuilder &b, Location l, ArrayRef<Value> idx) -> Value {
          auto c = [&](double v) { return scalarConst(b, l, f32, v); };
          // Source coordinate (float) of output index along each dim.
          auto source = [&](int64_t d) -> Value {
            Value x = arith::UIToFPOp::create(
                b, l, f32,
                arith::IndexCastOp::create(b, l, b.getI64Type(), idx[d]));
            double s = scales[d];
            int64_t in = inShape[d], out = type.getDimSize(d);
            if (ctm == "align_corners") {
              // ONNX divides by (in * scale - 1), the unrounded output size.
              double resized = in * s - 1;
              return arith::MulFOp::create(
                  b, l, x, c(resized > 0 ? double(in - 1) / resized : 0.0));
            }
            if (ctm == "asymmetric")
              return arith::DivFOp::create(b, l, x, c(s));
            if (ctm == "tf_half_pixel_for_nn")
              return arith::DivFOp::create(
                  b, l, arith::AddFOp::create(b, l, x, c(0.5)), c(s));
            if (ctm == "pytorch_half_pixel" && out <= 1)
              return c(0);
            // half_pixel, pytorch_half_pixel
            Value v = arith::DivFOp::create(
                b, l, arith::AddFOp::create(b, l, x, c(0.5)), c(s));
            return arith::SubFOp::create(b, l, v, c(0.5));
          };
          auto toIndex = [&](Value f, int64_t n) -> Value {
            Value i = arith::IndexCastOp::create(
                b, l, b.getIndexType(),
                arith::FPToSIOp::create(b, l, b.getI64Type(), f));
            return clampIndex(b, l, i, n);
          };
          // Linear: interpolate along every resized dim (2^k corners).
          SmallVector<int64_t> dims;
          SmallVector<Value> lo(rank), hi(rank), frac(rank);
          for (int64_t d = 0; d < rank; ++d) {
            if (inShape[d] == type.getDimSize(d) && scales[d] == 1.0f) {
              lo[d] = hi[d] = idx[d];
              continue;
            }
            dims.push_back(d);
            Value x = source(d);
            Value x0 = math::FloorOp::create(b, l, x);
            frac[d] = arith::SubFOp::create(b, l, x, x0);
            lo[d] = toIndex(x0, inShape[d]);
            hi[d] = toIndex(arith::AddFOp::create(b, l, x0, c(1)), inShape[d]);
          }
          Value acc = scalarConst(b, l, elem, 0);
          for (int64_t mask = 0; mask < (1 << dims.size()); ++mask) {
            SmallVector<Value> coords(lo);
            Value w = c(1);
            for (auto [bit, d] : llvm::enumerate(dims)) {
              bool upper = mask & (1 << bit);
              coords[d] = upper ? hi[d] : lo[d];
              Value f =
                  upper ? frac[d] : arith::SubFOp::create(b, l, c(1), frac[d]);
              w = arith::MulFOp::create(b, l, w, f);
            }
            Value v = tensor::ExtractOp::create(b, l, input, coords);
            v = convertScalar(b, l, v, elem, false, f32, false);
            acc = arith::AddFOp::create(
                b, l, acc,
                convertScalar(b, l, arith::MulFOp::create(b, l, v, w), f32,
                              false, elem, false));
          }
          return acc;
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};
} // namespace

void qcc::populateQccDataMovementToLinalgPatterns(TypeConverter &converter,
                                                  RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ReshapeLowering, TransposeLowering,
               ConcatLowering, SliceLowering, GatherLowering, ExpandLowering,
               TileLowering, PadLowering, ResizeLowering>(
      converter, patterns.getContext());
}
