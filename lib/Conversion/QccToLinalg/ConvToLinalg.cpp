//===- ConvToLinalg.cpp - convolutions and pooling to linalg --------------===//
//
// One grouped N-d convolution generic serves Conv, ConvInteger and
// ConvTranspose (as a stride-1 convolution of the zero-upsampled input with a
// flipped kernel). Pooling uses the same window iteration with a shape-only
// window operand, as linalg's named pooling ops do.
//
//===----------------------------------------------------------------------===//
#include "qcc/Conversion/QccToLinalg/LoweringUtils.h"
#include "qcc/Conversion/QccToLinalg/QccToLinalg.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"

using namespace mlir;
using namespace qcc;

namespace {
struct ConvSpec {
  ArrayRef<int64_t> strides, dilations;
  int64_t group;
  bool transposedWeight; ///< weight is (C_in, C_out/group, k...)
  Value inputZeroPoint, weightZeroPoint; ///< rank-0 tensors or null
  bool inputUnsigned, weightUnsigned, zpUnsigned[2];
};
} // namespace

/// Splits dim 0 or 1 of `v` of shape (..., A, ...) into (G, A/G).
static Value splitDim(OpBuilder &b, Location loc, Value v, int64_t dim,
                      int64_t group) {
  auto shape = llvm::to_vector(cast<RankedTensorType>(v.getType()).getShape());
  shape[dim] /= group;
  shape.insert(shape.begin() + dim, group);
  return reshapeTensor(b, loc, v, shape);
}

/// Gathers the windows of a strided or dilated convolution into a dense
/// (N, G, Cg, k..., o...) tensor, so the contraction reads it contiguously
/// along the output's innermost dim (im2col, in NCHW order).
static Value buildIm2Col(OpBuilder &b, Location loc, Value in,
                         ArrayRef<int64_t> kernel, ArrayRef<int64_t> outSpatial,
                         const ConvSpec &spec) {
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(in.getType()); // (N, G, Cg, X...)
  int64_t S = kernel.size(), rank = 3 + 2 * S;
  SmallVector<int64_t> shape(inType.getShape().take_front(3));
  shape.append(kernel.begin(), kernel.end());
  shape.append(outSpatial.begin(), outSpatial.end());
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> exprs{d(0), d(1), d(2)};
  for (int64_t i = 0; i < S; ++i)
    exprs.push_back(d(3 + S + i) * spec.strides[i] +
                    d(3 + i) * spec.dilations[i]);
  auto type = RankedTensorType::get(shape, inType.getElementType());
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, in, emptyTensor(b, loc, type),
             ArrayRef<AffineMap>{AffineMap::get(rank, 0, exprs, ctx),
                                 AffineMap::getMultiDimIdentityMap(rank, ctx)},
             iters,
             [](OpBuilder &nb, Location nl, ValueRange a) {
               linalg::YieldOp::create(nb, nl, a[0]);
             })
      .getResult(0);
}

/// a + b (integer or float).
static Value addOf(OpBuilder &b, Location loc, Value x, Value y) {
  return isa<FloatType>(x.getType())
             ? (Value)arith::AddFOp::create(b, loc, x, y)
             : (Value)arith::AddIOp::create(b, loc, x, y);
}

/// acc + x * y (integer or float).
static Value mulAddOf(OpBuilder &b, Location loc, Value acc, Value x, Value y) {
  Value p = isa<FloatType>(x.getType())
                ? (Value)arith::MulFOp::create(b, loc, x, y)
                : (Value)arith::MulIOp::create(b, loc, x, y);
  return addOf(b, loc, acc, p);
}

/// Convolution of an already padded input. Loops:
/// (n, g, ocg, o_1..o_S, icg, k_1..k_S).
static Value buildConv(OpBuilder &b, Location loc, Value input, Value weight,
                       Value init, const ConvSpec &spec) {
  MLIRContext *ctx = b.getContext();
  auto inShape = cast<RankedTensorType>(input.getType()).getShape();
  auto outType = cast<RankedTensorType>(init.getType());
  auto wShape = cast<RankedTensorType>(weight.getType()).getShape();
  int64_t S = inShape.size() - 2, G = spec.group;
  // Only pointwise, unit-stride convolutions read the input directly; the
  // others gather windows first (im2col), so that the contraction streams
  // contiguous rows over all output positions.
  bool unitWindow =
      llvm::all_of(spec.strides, [](int64_t v) { return v == 1; }) &&
      llvm::all_of(wShape.drop_front(2), [](int64_t v) { return v == 1; });
  // Pointwise convolutions have no window loops at all (their extent is 1):
  // the maps stay projected permutations, so the contraction vectorizes.
  int64_t nLoops = unitWindow ? 4 + S : 4 + 2 * S;
  // A unit-stride depthwise convolution reads its input windows in place
  // (a row of outputs reads a contiguous row of inputs at each tap): its
  // im2col would copy every input byte once per tap, for one product each.
  bool direct = !unitWindow && wShape[1] == 1 && G > 1 &&
                llvm::all_of(spec.strides, [](int64_t v) { return v == 1; });
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  AffineExpr n = d(0), g = d(1), ocg = d(2), icg = d(3 + S);
  Value in = splitDim(b, loc, input, 1, G);
  Value w = splitDim(b, loc, weight, 0, G);
  // A pointwise kernel's unit dims are dropped: with only dim expressions
  // in its maps, the output's spatial loops collapse into one long vector
  // loop and the output channels become register-blocked rows.
  if (unitWindow)
    w = reshapeTensor(b, loc, w, {G, wShape[0] / G, wShape[1]});
  Value out = splitDim(b, loc, init, 1, G);
  SmallVector<AffineExpr> inExprs{n, g, icg}, wExprs, outExprs{n, g, ocg};
  wExprs = spec.transposedWeight ? SmallVector<AffineExpr>{g, icg, ocg}
                                 : SmallVector<AffineExpr>{g, ocg, icg};
  if (direct) {
    for (int64_t i = 0; i < S; ++i)
      inExprs.push_back(d(3 + i) + d(4 + S + i) * spec.dilations[i]);
  } else if (!unitWindow) {
    in = buildIm2Col(b, loc, in, wShape.drop_front(2),
                     outType.getShape().drop_front(2), spec);
    for (int64_t i = 0; i < S; ++i)
      inExprs.push_back(d(4 + S + i));
    for (int64_t i = 0; i < S; ++i)
      inExprs.push_back(d(3 + i));
  }
  for (int64_t i = 0; i < S; ++i) {
    AffineExpr o = d(3 + i);
    if (unitWindow) {
      inExprs.push_back(o);
    } else {
      wExprs.push_back(d(4 + S + i));
    }
    outExprs.push_back(o);
  }
  SmallVector<Value> inputs{in, w};
  SmallVector<AffineMap> maps{AffineMap::get(nLoops, 0, inExprs, ctx),
                              AffineMap::get(nLoops, 0, wExprs, ctx)};
  for (Value zp : {spec.inputZeroPoint, spec.weightZeroPoint})
    if (zp) {
      inputs.push_back(zp);
      maps.push_back(AffineMap::get(nLoops, 0, {}, ctx));
    }
  maps.push_back(AffineMap::get(nLoops, 0, outExprs, ctx));
  SmallVector<utils::IteratorType> iters(nLoops, utils::IteratorType::parallel);
  for (int64_t i = 3 + S; i < nLoops; ++i)
    iters[i] = utils::IteratorType::reduction;
  Type acc = outType.getElementType();
  Type inElem = elementTypeOf(input), wElem = elementTypeOf(weight);
  auto generic = linalg::GenericOp::create(
      b, loc, out.getType(), inputs, out, maps, iters,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value x = convertScalar(nb, nl, args[0], inElem, spec.inputUnsigned,
                                acc, false);
        Value y = convertScalar(nb, nl, args[1], wElem, spec.weightUnsigned,
                                acc, false);
        unsigned next = 2;
        if (spec.inputZeroPoint)
          x = arith::SubIOp::create(nb, nl, x,
                                    convertScalar(nb, nl, args[next++], inElem,
                                                  spec.zpUnsigned[0], acc,
                                                  false));
        if (spec.weightZeroPoint)
          y = arith::SubIOp::create(nb, nl, y,
                                    convertScalar(nb, nl, args[next++], wElem,
                                                  spec.zpUnsigned[1], acc,
                                                  false));
        linalg::YieldOp::create(nb, nl, mulAddOf(nb, nl, args.back(), x, y));
      });
  return reshapeTensor(b, loc, generic.getResult(0), outType.getShape());
}

/// Output init: bias broadcast along the channel dim, or zeros.
static Value convInit(OpBuilder &b, Location loc, RankedTensorType outType,
                      Value bias) {
  if (!bias)
    return filledTensor(b, loc, outType,
                        scalarConst(b, loc, outType.getElementType(), 0));
  // bias (C) -> (1, C, 1, ...) then broadcast.
  SmallVector<int64_t> shape(outType.getRank(), 1);
  shape[1] = outType.getDimSize(1);
  return broadcastTo(b, loc, reshapeTensor(b, loc, bias, shape),
                     outType.getShape());
}

static Value toScalarTensor(OpBuilder &b, Location loc, Value v) {
  if (!v)
    return v;
  return reshapeTensor(b, loc, v, {});
}

namespace {
struct ConvLowering : OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = signless(cast<RankedTensorType>(op.getType()));
    Type elem = outType.getElementType();
    Value padded = padSpatial(rewriter, loc, adaptor.getInput(), op.getPads(),
                              scalarConst(rewriter, loc, elem, 0));
    ConvSpec spec{op.getStrides(),
                  op.getDilations(),
                  (int64_t)op.getGroup(),
                  false,
                  {},
                  {},
                  false,
                  false,
                  {false, false}};
    Value init = convInit(rewriter, loc, outType, adaptor.getBias());
    rewriter.replaceOp(
        op, buildConv(rewriter, loc, padded, adaptor.getWeight(), init, spec));
    return success();
  }
};

struct ConvIntegerLowering : OpConversionPattern<ConvIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = signless(cast<RankedTensorType>(op.getType()));
    Type inElem = signless(elementTypeOf(op.getInput()));
    Value xzp = toScalarTensor(rewriter, loc, adaptor.getInputZeroPoint());
    // Pad with the input zero point so padded taps contribute nothing.
    Value padValue = scalarConst(rewriter, loc, inElem, 0);
    if (xzp)
      padValue = tensor::ExtractOp::create(rewriter, loc, xzp, ValueRange{});
    Value padded =
        padSpatial(rewriter, loc, adaptor.getInput(), op.getPads(), padValue);
    ConvSpec spec{op.getStrides(),
                  op.getDilations(),
                  (int64_t)op.getGroup(),
                  false,
                  xzp,
                  toScalarTensor(rewriter, loc, adaptor.getWeightZeroPoint()),
                  isUnsignedInt(elementTypeOf(op.getInput())),
                  isUnsignedInt(elementTypeOf(op.getWeight())),
                  {op.getInputZeroPoint() &&
                       isUnsignedInt(elementTypeOf(op.getInputZeroPoint())),
                   op.getWeightZeroPoint() &&
                       isUnsignedInt(elementTypeOf(op.getWeightZeroPoint()))}};
    Value init = convInit(rewriter, loc, outType, {});
    rewriter.replaceOp(
        op, buildConv(rewriter, loc, padded, adaptor.getWeight(), init, spec));
    return success();
  }
};

/// ConvTranspose whose windows tile the output without overlap (strides
/// equal to the kernel, no padding or dilation, one group: the usual 2x2
/// stride-2 upsampling) as a contraction over input channels into
/// (n, oc, k..., i...), then one copy that interleaves the kernel offsets
/// into the output and adds the bias: no multiplications by the zeros of
/// an upsampled input. Null when the op has another shape.
static Value lowerTilingConvTranspose(OpBuilder &b, Location loc,
                                      ConvTransposeOp op, Value x, Value w,
                                      Value bias, RankedTensorType outType) {
  if (!op.tilesOutput())
    return {};
  auto inType = cast<RankedTensorType>(x.getType());
  auto wShape = cast<RankedTensorType>(w.getType()).getShape();
  int64_t S = inType.getRank() - 2;
  MLIRContext *ctx = b.getContext();
  Type elem = outType.getElementType();
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  // Loops (n, oc, a_1..a_S, i_1..i_S, ic).
  int64_t nLoops = 3 + 2 * S;
  AffineExpr ic = d(nLoops - 1);
  // y is (n, a..., oc, i...): output channels are the register-blocked
  // rows of the contraction, input positions its vectors.
  SmallVector<AffineExpr> xExprs{d(0), ic}, wExprs{ic, d(1)}, yExprs{d(0)};
  SmallVector<int64_t> yShape{inType.getDimSize(0)};
  for (int64_t i = 0; i < S; ++i) {
    xExprs.push_back(d(2 + S + i));
    wExprs.push_back(d(2 + i));
    yExprs.push_back(d(2 + i));
    yShape.push_back(wShape[2 + i]);
  }
  yExprs.push_back(d(1));
  yShape.push_back(wShape[1]);
  for (int64_t i = 0; i < S; ++i) {
    yExprs.push_back(d(2 + S + i));
    yShape.push_back(inType.getDimSize(2 + i));
  }
  auto yType = RankedTensorType::get(yShape, elem);
  SmallVector<utils::IteratorType> iters(nLoops, utils::IteratorType::parallel);
  iters.back() = utils::IteratorType::reduction;
  Value y =
      linalg::GenericOp::create(
          b, loc, yType, ValueRange{x, w},
          filledTensor(b, loc, yType, scalarConst(b, loc, elem, 0)),
          ArrayRef<AffineMap>{AffineMap::get(nLoops, 0, xExprs, ctx),
                              AffineMap::get(nLoops, 0, wExprs, ctx),
                              AffineMap::get(nLoops, 0, yExprs, ctx)},
          iters,
          [](OpBuilder &nb, Location nl, ValueRange a) {
            linalg::YieldOp::create(nb, nl, mulAddOf(nb, nl, a[2], a[0], a[1]));
          })
          .getResult(0);
  // out (n, oc, i_1, a_1, ..., i_S, a_S) = y (n, a..., oc, i...) + bias.
  int64_t rank = 2 + 2 * S;
  SmallVector<int64_t> expanded{inType.getDimSize(0), wShape[1]};
  SmallVector<AffineExpr> readExprs{d(0)};
  for (int64_t i = 0; i < S; ++i) {
    expanded.push_back(inType.getDimSize(2 + i));
    expanded.push_back(wShape[2 + i]);
  }
  for (int64_t i = 0; i < S; ++i)
    readExprs.push_back(d(3 + 2 * i));
  readExprs.push_back(d(1));
  for (int64_t i = 0; i < S; ++i)
    readExprs.push_back(d(2 + 2 * i));
  auto expandedType = RankedTensorType::get(expanded, elem);
  SmallVector<Value> ins{y};
  SmallVector<AffineMap> maps{AffineMap::get(rank, 0, readExprs, ctx)};
  if (bias) {
    ins.push_back(bias);
    maps.push_back(AffineMap::get(rank, 0, d(1), ctx));
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
  Value out =
      linalg::GenericOp::create(
          b, loc, expandedType, ins, emptyTensor(b, loc, expandedType), maps,
          SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
          [&](OpBuilder &nb, Location nl, ValueRange a) {
            Value v = a[0];
            if (bias)
              v = addOf(nb, nl, v, a[1]);
            linalg::YieldOp::create(nb, nl, v);
          })
          .getResult(0);
  return reshapeTensor(b, loc, out, outType.getShape());
}

struct ConvTransposeLowering : OpConversionPattern<ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = signless(cast<RankedTensorType>(op.getType()));
    Type elem = outType.getElementType();
    Value x = adaptor.getInput();
    if (elem.isIntOrFloat() && elem == getElementTypeOrSelf(x.getType()))
      if (Value tiled = lowerTilingConvTranspose(rewriter, loc, op, x,
                                                 adaptor.getWeight(),
                                                 adaptor.getBias(), outType)) {
        rewriter.replaceOp(op, tiled);
        return success();
      }
    auto inType = cast<RankedTensorType>(x.getType());
    auto wShape = cast<RankedTensorType>(op.getWeight().getType()).getShape();
    int64_t S = inType.getRank() - 2;
    Value zero = scalarConst(rewriter, loc, elem, 0);
    // Zero-upsample by the strides.
    SmallVector<int64_t> upShape(inType.getShape());
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (int64_t i = 0; i < inType.getRank(); ++i) {
      int64_t s = i < 2 ? 1 : op.getStrides()[i - 2];
      upShape[i] = (inType.getDimSize(i) - 1) * s + 1;
      offsets.push_back(rewriter.getIndexAttr(0));
      sizes.push_back(rewriter.getIndexAttr(inType.getDimSize(i)));
      strides.push_back(rewriter.getIndexAttr(s));
    }
    Value up = x;
    if (llvm::any_of(op.getStrides(), [](int64_t s) { return s != 1; })) {
      Value dest = filledTensor(rewriter, loc,
                                RankedTensorType::get(upShape, elem), zero);
      up = tensor::InsertSliceOp::create(rewriter, loc, x, dest, offsets, sizes,
                                         strides);
    }
    // Pad so that a stride-1 conv with the flipped kernel yields the output.
    SmallVector<int64_t> pads(2 * S);
    for (int64_t i = 0; i < S; ++i) {
      int64_t reach = op.getDilations()[i] * (wShape[2 + i] - 1);
      pads[i] = reach - op.getPads()[i];
      int64_t needed = outType.getDimSize(2 + i) + reach;
      pads[S + i] = needed - upShape[2 + i] - pads[i];
    }
    Value padded = padSpatial(rewriter, loc, up, pads, zero);
    // Flip the kernel spatially (a copy: the flip cannot live in the conv's
    // indexing maps, which must stay invertible).
    MLIRContext *ctx = rewriter.getContext();
    auto wType = cast<RankedTensorType>(adaptor.getWeight().getType());
    SmallVector<AffineExpr> flipExprs;
    for (int64_t d = 0; d < wType.getRank(); ++d) {
      AffineExpr e = getAffineDimExpr(d, ctx);
      flipExprs.push_back(d < 2 ? e : (wType.getDimSize(d) - 1) - e);
    }
    SmallVector<utils::IteratorType> flipIters(wType.getRank(),
                                               utils::IteratorType::parallel);
    Value flipped =
        linalg::GenericOp::create(
            rewriter, loc, wType, adaptor.getWeight(),
            emptyTensor(rewriter, loc, wType),
            ArrayRef<AffineMap>{
                AffineMap::get(wType.getRank(), 0, flipExprs, ctx),
                AffineMap::getMultiDimIdentityMap(wType.getRank(), ctx)},
            flipIters,
            [](OpBuilder &b, Location l, ValueRange a) {
              linalg::YieldOp::create(b, l, a[0]);
            })
            .getResult(0);
    SmallVector<int64_t> ones(S, 1);
    ConvSpec spec{
        ones,  op.getDilations(), (int64_t)op.getGroup(), true, {}, {}, false,
        false, {false, false}};
    Value init = convInit(rewriter, loc, outType, adaptor.getBias());
    rewriter.replaceOp(op,
                       buildConv(rewriter, loc, padded, flipped, init, spec));
    return success();
  }
};

/// Window reduction (n, c, o..., k...) over an already padded input.
static Value buildPool(OpBuilder &b, Location loc, Value input, Value init,
                       ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                       ArrayRef<int64_t> dilations, bool isMax,
                       bool isUnsigned) {
  MLIRContext *ctx = b.getContext();
  auto outType = cast<RankedTensorType>(init.getType());
  int64_t S = kernel.size(), nLoops = 2 + 2 * S;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> inExprs{d(0), d(1)}, kExprs, outExprs{d(0), d(1)};
  for (int64_t i = 0; i < S; ++i) {
    inExprs.push_back(d(2 + i) * strides[i] + d(2 + S + i) * dilations[i]);
    kExprs.push_back(d(2 + S + i));
    outExprs.push_back(d(2 + i));
  }
  Value window =
      tensor::EmptyOp::create(b, loc, kernel, outType.getElementType());
  SmallVector<AffineMap> maps{AffineMap::get(nLoops, 0, inExprs, ctx),
                              AffineMap::get(nLoops, 0, kExprs, ctx),
                              AffineMap::get(nLoops, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iters(nLoops, utils::IteratorType::parallel);
  for (int64_t i = 2 + S; i < nLoops; ++i)
    iters[i] = utils::IteratorType::reduction;
  Type elem = outType.getElementType();
  bool isFloat = isa<FloatType>(elem);
  auto generic = linalg::GenericOp::create(
      b, loc, outType, ValueRange{input, window}, init, maps, iters,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value r;
        if (isMax)
          r = isFloat
                  ? (Value)arith::MaximumFOp::create(nb, nl, args[0], args[2])
              : isUnsigned
                  ? (Value)arith::MaxUIOp::create(nb, nl, args[0], args[2])
                  : (Value)arith::MaxSIOp::create(nb, nl, args[0], args[2]);
        else
          r = addOf(nb, nl, args[0], args[2]);
        linalg::YieldOp::create(nb, nl, r);
      });
  return generic.getResult(0);
}

/// End padding that ceil_mode windows need beyond the explicit pads.
static SmallVector<int64_t>
ceilExtra(ArrayRef<int64_t> inShape, ArrayRef<int64_t> outShape,
          ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
          ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads) {
  int64_t S = kernel.size();
  SmallVector<int64_t> extra(S);
  for (int64_t i = 0; i < S; ++i) {
    int64_t needed =
        (outShape[2 + i] - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1;
    int64_t have = inShape[2 + i] + pads[i] + pads[S + i];
    extra[i] = std::max<int64_t>(0, needed - have);
  }
  return extra;
}

struct MaxPoolLowering : OpConversionPattern<MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = signless(cast<RankedTensorType>(op.getType()));
    Type elem = outType.getElementType();
    bool isUnsigned = isUnsignedInt(elementTypeOf(op.getOutput()));
    Value lowest = lowestValue(rewriter, loc, elem, isUnsigned);
    auto inShape = cast<RankedTensorType>(op.getInput().getType()).getShape();
    int64_t S = op.getKernelShape().size();
    SmallVector<int64_t> extra =
        ceilExtra(inShape, outType.getShape(), op.getKernelShape(),
                  op.getStrides(), op.getDilations(), op.getPads());
    SmallVector<int64_t> pads(op.getPads());
    for (int64_t i = 0; i < S; ++i)
      pads[S + i] += extra[i];
    Value padded = padSpatial(rewriter, loc, adaptor.getInput(), pads, lowest);
    Value init = filledTensor(rewriter, loc, outType, lowest);
    rewriter.replaceOp(op, buildPool(rewriter, loc, padded, init,
                                     op.getKernelShape(), op.getStrides(),
                                     op.getDilations(), true, isUnsigned));
    return success();
  }
};

struct AveragePoolLowering : OpConversionPattern<AveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AveragePoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = signless(cast<RankedTensorType>(op.getType()));
    Type elem = outType.getElementType();
    if (!isa<FloatType>(elem))
      return rewriter.notifyMatchFailure(op, "integer average pool");
    auto inShape = cast<RankedTensorType>(op.getInput().getType()).getShape();
    int64_t S = op.getKernelShape().size();
    SmallVector<int64_t> extra =
        ceilExtra(inShape, outType.getShape(), op.getKernelShape(),
                  op.getStrides(), op.getDilations(), op.getPads());
    Value zero = scalarConst(rewriter, loc, elem, 0);
    Value one = scalarConst(rewriter, loc, elem, 1);
    SmallVector<int64_t> lowAll(2 + S, 0), highExtra(2 + S, 0);
    for (int64_t i = 0; i < S; ++i)
      highExtra[2 + i] = extra[i];
    Value padded =
        padSpatial(rewriter, loc, adaptor.getInput(), op.getPads(), zero);
    padded = padTensor(rewriter, loc, padded, lowAll, highExtra, zero);
    Value sums = buildPool(
        rewriter, loc, padded, filledTensor(rewriter, loc, outType, zero),
        op.getKernelShape(), op.getStrides(), op.getDilations(), false, false);
    // Divisor per output position: pool a (1, 1, spatial...) tensor of ones
    // padded with ones (count_include_pad) or zeros, then zeros for ceil_mode.
    SmallVector<int64_t> onesShape(2, 1), countShape(2, 1);
    for (int64_t i = 0; i < S; ++i) {
      onesShape.push_back(inShape[2 + i]);
      countShape.push_back(outType.getDimSize(2 + i));
    }
    Value ones = filledTensor(rewriter, loc,
                              RankedTensorType::get(onesShape, elem), one);
    Value countPadded = padSpatial(rewriter, loc, ones, op.getPads(),
                                   op.getCountIncludePad() ? one : zero);
    countPadded =
        padTensor(rewriter, loc, countPadded, lowAll, highExtra, zero);
    auto countType = RankedTensorType::get(countShape, elem);
    Value counts = buildPool(rewriter, loc, countPadded,
                             filledTensor(rewriter, loc, countType, zero),
                             op.getKernelShape(), op.getStrides(),
                             op.getDilations(), false, false);
    Value r =
        buildElementwise(rewriter, loc, outType, ValueRange{sums, counts},
                         [](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return arith::DivFOp::create(b, l, a[0], a[1]);
                         });
    rewriter.replaceOp(op, r);
    return success();
  }
};
} // namespace

void qcc::populateQccConvToLinalgPatterns(TypeConverter &converter,
                                          RewritePatternSet &patterns) {
  patterns.add<ConvLowering, ConvIntegerLowering, ConvTransposeLowering,
               MaxPoolLowering, AveragePoolLowering>(converter,
                                                     patterns.getContext());
}
