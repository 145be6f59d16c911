//===- OpsNN.cpp - importers of neural-network ONNX ops -------------------===//
//
// Convolution, pooling, normalization, contraction, softmax, reductions and
// resizing. Each importer resolves ONNX defaults, auto_pad and version
// differences so that the qcc ops carry explicit attributes.
//
//===----------------------------------------------------------------------===//
#include "NodeBinder.h"

using namespace mlir;
using namespace llvm;

namespace qcc::onnx_import {
/// Spatial attributes shared by Conv, ConvTranspose and pooling.
LogicalResult readWindow(NodeBinder &n, int64_t spatial,
                         ArrayRef<int64_t> kernel, Window &w) {
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = n.attrInts("strides");
  w.dilations = n.attrInts("dilations");
  w.pads = n.attrInts("pads");
  w.autoPad = n.attrString("auto_pad", "NOTSET");
  if (w.strides.empty())
    w.strides.assign(spatial, 1);
  if (w.dilations.empty())
    w.dilations.assign(spatial, 1);
  if (w.pads.empty())
    w.pads.assign(2 * spatial, 0);
  if ((int64_t)w.kernel.size() != spatial ||
      (int64_t)w.strides.size() != spatial ||
      (int64_t)w.dilations.size() != spatial ||
      (int64_t)w.pads.size() != 2 * spatial)
    return n.error("kernel_shape/strides/dilations/pads do not match the " +
                   Twine(spatial) + " spatial dims");
  for (int64_t i = 0; i < spatial; ++i) {
    if (w.kernel[i] < 1 || w.strides[i] < 1 || w.dilations[i] < 1)
      return n.error("kernel, strides and dilations must be >= 1");
    if (w.pads[i] < 0 || w.pads[spatial + i] < 0)
      return n.error("pads must be >= 0");
  }
  if (w.autoPad != "NOTSET" && w.autoPad != "SAME_UPPER" &&
      w.autoPad != "SAME_LOWER" && w.autoPad != "VALID")
    return n.error("unknown auto_pad '" + w.autoPad + "'");
  return success();
}

/// Output spatial sizes of a forward window op; resolves auto_pad into pads.
FailureOr<SmallVector<int64_t>> forwardOutput(NodeBinder &n,
                                              ArrayRef<int64_t> in, Window &w,
                                              bool ceilMode) {
  int64_t S = w.kernel.size();
  SmallVector<int64_t> out(S);
  for (int64_t i = 0; i < S; ++i) {
    int64_t reach = w.dilations[i] * (w.kernel[i] - 1) + 1;
    if (w.autoPad == "SAME_UPPER" || w.autoPad == "SAME_LOWER") {
      out[i] = (in[i] + w.strides[i] - 1) / w.strides[i];
      int64_t total =
          std::max<int64_t>(0, (out[i] - 1) * w.strides[i] + reach - in[i]);
      int64_t small = total / 2, big = total - small;
      w.pads[i] = w.autoPad == "SAME_UPPER" ? small : big;
      w.pads[S + i] = w.autoPad == "SAME_UPPER" ? big : small;
      continue;
    }
    if (w.autoPad == "VALID")
      w.pads[i] = w.pads[S + i] = 0;
    int64_t span = in[i] + w.pads[i] + w.pads[S + i] - reach;
    if (span < 0)
      return n.error("window is larger than the padded input");
    out[i] = (ceilMode ? (span + w.strides[i] - 1) / w.strides[i]
                       : span / w.strides[i]) +
             1;
    // A ceil-mode window must start inside the input or its begin padding.
    if (ceilMode && (out[i] - 1) * w.strides[i] >= in[i] + w.pads[i])
      --out[i];
  }
  return out;
}

namespace {

DenseI64ArrayAttr i64s(NodeBinder &n, ArrayRef<int64_t> v) {
  return n.b.getDenseI64ArrayAttr(v);
}

/// What Conv and ConvTranspose read alike: X and W of one rank >= 3, the
/// group, and the window (kernel_shape defaulting to W's spatial dims).
struct ConvInputs {
  ArrayRef<int64_t> in, wShape;
  int64_t rank, spatial, group;
  SmallVector<int64_t> kernel;
  Window w;
};

/// Reads ConvInputs; `channelError` says what is wrong with X's and W's
/// channels for a group ("" when nothing).
FailureOr<ConvInputs> readConvInputs(
    NodeBinder &n,
    llvm::function_ref<std::string(ArrayRef<int64_t>, ArrayRef<int64_t>, int64_t)>
        channelError) {
  if (!n.input(0) || !n.input(1))
    return n.error("needs X and W");
  ConvInputs c;
  c.rank = n.rank(0);
  if (c.rank < 3 || n.rank(1) != c.rank)
    return n.error("X and W must have the same rank >= 3");
  c.spatial = c.rank - 2;
  c.in = n.shape(0);
  c.wShape = n.shape(1);
  c.group = n.attrInt("group", 1);
  std::string error = channelError(c.in, c.wShape, c.group);
  if (!error.empty())
    return n.error(error);
  c.kernel = n.attrInts("kernel_shape");
  if (c.kernel.empty())
    c.kernel.assign(c.wShape.begin() + 2, c.wShape.end());
  if (failed(readWindow(n, c.spatial, c.kernel, c.w)))
    return failure();
  return c;
}

LogicalResult importConv(NodeBinder &n) {
  auto c = readConvInputs(n, [](ArrayRef<int64_t> in, ArrayRef<int64_t> w,
                                int64_t group) -> std::string {
    if (group < 1 || in[1] % group || w[0] % group || in[1] / group != w[1])
      return ("channels (" + Twine(in[1]) + ") / group (" + Twine(group) +
              ") do not match W's dim 1 (" + Twine(w[1]) + ")")
          .str();
    return "";
  });
  if (failed(c))
    return failure();
  auto in = c->in, wShape = c->wShape;
  int64_t group = c->group;
  Window &w = c->w;
  const SmallVector<int64_t> &kernel = c->kernel;
  if (ArrayRef<int64_t>(kernel) != wShape.drop_front(2))
    return n.error("kernel_shape does not match W");
  auto out = forwardOutput(n, in.drop_front(2), w, false);
  if (failed(out))
    return failure();
  if (n.input(2) && (n.rank(2) != 1 || n.shape(2)[0] != wShape[0]))
    return n.error("B must be 1-D with one value per output channel");
  SmallVector<int64_t> shape{in[0], wShape[0]};
  shape.append(*out);
  n.setResult(0, n.create<ConvOp>(n.tensorType(shape, n.elementType(0)),
                                  n.input(0), n.input(1), n.input(2),
                                  i64s(n, w.strides), i64s(n, w.pads),
                                  i64s(n, w.dilations), group));
  return success();
}

LogicalResult importConvTranspose(NodeBinder &n) {
  auto c = readConvInputs(n, [](ArrayRef<int64_t> in, ArrayRef<int64_t> w,
                                int64_t group) -> std::string {
    if (group < 1 || in[1] != w[0] || in[1] % group)
      return "X channels must equal W's dim 0 and divide by group";
    return "";
  });
  if (failed(c))
    return failure();
  int64_t rank = c->rank, S = c->spatial, group = c->group;
  auto in = c->in, wShape = c->wShape;
  Window &w = c->w;
  const SmallVector<int64_t> &kernel = c->kernel;
  SmallVector<int64_t> outPad = n.attrInts("output_padding");
  if (outPad.empty())
    outPad.assign(S, 0);
  SmallVector<int64_t> outShape = n.attrInts("output_shape");
  if (!outShape.empty() && (int64_t)outShape.size() == rank)
    outShape.erase(outShape.begin(), outShape.begin() + 2);
  if ((int64_t)outPad.size() != S ||
      (!outShape.empty() && (int64_t)outShape.size() != S))
    return n.error("output_padding/output_shape do not match the spatial dims");
  SmallVector<int64_t> out(S);
  for (int64_t i = 0; i < S; ++i) {
    int64_t full = w.strides[i] * (in[2 + i] - 1) + outPad[i] +
                   (kernel[i] - 1) * w.dilations[i] + 1;
    if (!outShape.empty() || w.autoPad == "SAME_UPPER" ||
        w.autoPad == "SAME_LOWER") {
      int64_t target = outShape.empty() ? in[2 + i] * w.strides[i] : outShape[i];
      // A target larger than the natural size just extends the end (those
      // positions only receive the bias), as ONNX Runtime does.
      int64_t total = std::max<int64_t>(0, full - target);
      bool upper = w.autoPad == "SAME_UPPER";
      w.pads[i] = upper ? total / 2 : total - total / 2;
      w.pads[S + i] = upper ? total - total / 2 : total / 2;
    } else if (w.autoPad == "VALID") {
      w.pads[i] = w.pads[S + i] = 0;
    }
    out[i] = outShape.empty() ? full - w.pads[i] - w.pads[S + i] : outShape[i];
    if (out[i] < 1)
      return n.error("output size is not positive");
  }
  SmallVector<int64_t> shape{in[0], wShape[1] * group};
  shape.append(out);
  n.setResult(0, n.create<ConvTransposeOp>(
                     n.tensorType(shape, n.elementType(0)), n.input(0),
                     n.input(1), n.input(2), i64s(n, w.strides),
                     i64s(n, w.pads), i64s(n, w.dilations), group));
  return success();
}

template <bool IsMax>
LogicalResult importPool(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  if (IsMax && n.numOutputs() > 1 && !n.node.output(1).empty())
    return n.error("the Indices output of MaxPool is not supported");
  if (n.attrInt("storage_order", 0) != 0)
    return n.error("storage_order=1 is not supported");
  int64_t rank = n.rank(0);
  if (rank < 3)
    return n.error("input must have rank >= 3");
  int64_t S = rank - 2;
  Window w;
  if (failed(readWindow(n, S, n.attrInts("kernel_shape"), w)))
    return failure();
  bool ceilMode = n.attrInt("ceil_mode", 0) != 0;
  auto out = forwardOutput(n, n.shape(0).drop_front(2), w, ceilMode);
  if (failed(out))
    return failure();
  SmallVector<int64_t> shape{n.shape(0)[0], n.shape(0)[1]};
  shape.append(*out);
  auto type = n.tensorType(shape, n.elementType(0));
  if (IsMax)
    n.setResult(0, n.create<MaxPoolOp>(type, n.input(0), i64s(n, w.kernel),
                                       i64s(n, w.strides), i64s(n, w.pads),
                                       i64s(n, w.dilations)));
  else
    n.setResult(0, n.create<AveragePoolOp>(
                       type, n.input(0), i64s(n, w.kernel), i64s(n, w.strides),
                       i64s(n, w.pads), i64s(n, w.dilations),
                       n.b.getBoolAttr(n.attrInt("count_include_pad", 0))));
  return success();
}

template <typename OpTy>
LogicalResult importGlobalPool(NodeBinder &n) {
  if (!n.input(0) || n.rank(0) < 2)
    return n.error("input must have rank >= 2");
  SmallVector<int64_t> shape(n.shape(0));
  for (size_t i = 2; i < shape.size(); ++i)
    shape[i] = 1;
  n.setResult(0, n.create<OpTy>(n.tensorType(shape, n.elementType(0)), n.input(0)));
  return success();
}

LogicalResult importBatchNorm(NodeBinder &n) {
  for (int i = 0; i < 5; ++i)
    if (!n.input(i))
      return n.error("needs X, scale, B, mean and var");
  if (n.attrInt("training_mode", 0))
    return n.error("training_mode BatchNormalization is not supported");
  for (size_t i = 1; i < n.numOutputs(); ++i)
    if (!n.node.output(i).empty())
      return n.error("training outputs of BatchNormalization are not supported");
  if (n.rank(0) < 2)
    return n.error("input must have rank >= 2");
  for (int i = 1; i < 5; ++i)
    if (n.rank(i) != 1 || n.shape(i)[0] != n.shape(0)[1])
      return n.error("scale, B, mean and var must be 1-D of the channel count");
  n.setResult(0, n.create<BatchNormOp>(
                     n.type(0), n.input(0), n.input(1), n.input(2), n.input(3),
                     n.input(4), n.b.getF32FloatAttr(n.attrFloat("epsilon", 1e-5f))));
  return success();
}

LogicalResult importLayerNorm(NodeBinder &n) {
  if (!n.input(0) || !n.input(1))
    return n.error("needs X and Scale");
  auto axis = n.axis(n.attrInt("axis", -1), n.rank(0));
  if (failed(axis))
    return failure();
  float eps = n.attrFloat("epsilon", 1e-5f);
  bool wantStats = false;
  for (size_t i = 1; i < n.numOutputs(); ++i)
    wantStats |= !n.node.output(i).empty();
  if (!wantStats) {
    n.setResult(0, n.create<LayerNormOp>(n.type(0), n.input(0), n.input(1),
                                         n.input(2), n.b.getI64IntegerAttr(*axis),
                                         n.b.getF32FloatAttr(eps)));
    return success();
  }
  // Mean and InvStdDev are requested: decompose so both are values.
  auto type = n.type(0);
  Type elem = type.getElementType();
  SmallVector<int64_t> axes, statShape(type.getShape());
  for (int64_t d = *axis; d < type.getRank(); ++d) {
    axes.push_back(d);
    statShape[d] = 1;
  }
  auto statType = n.tensorType(statShape, elem);
  auto axesAttr = n.b.getDenseI64ArrayAttr(axes);
  Value mean = n.create<ReduceMeanOp>(statType, n.input(0), axesAttr,
                                      n.b.getBoolAttr(true));
  Value centered = n.create<SubOp>(type, n.input(0), mean);
  Value sq = n.create<MulOp>(type, centered, centered);
  Value var = n.create<ReduceMeanOp>(statType, sq, axesAttr, n.b.getBoolAttr(true));
  auto scalar = n.tensorType({}, elem);
  Value epsV = n.constantOf(DenseElementsAttr::get(scalar, n.b.getFloatAttr(elem, eps)));
  Value inv = n.create<ReciprocalOp>(
      statType, n.create<SqrtOp>(statType, n.create<AddOp>(statType, var, epsV)));
  Value y = n.create<MulOp>(type, n.create<MulOp>(type, centered, inv), n.input(1));
  if (n.input(2))
    y = n.create<AddOp>(type, y, n.input(2));
  n.setResult(0, y);
  n.setResult(1, mean);
  n.setResult(2, inv);
  return success();
}

LogicalResult importGemm(NodeBinder &n) {
  if (!n.input(0) || !n.input(1))
    return n.error("needs A and B");
  if (n.rank(0) != 2 || n.rank(1) != 2)
    return n.error("A and B must be 2-D");
  bool ta = n.attrInt("transA", 0), tb = n.attrInt("transB", 0);
  int64_t m = ta ? n.shape(0)[1] : n.shape(0)[0];
  int64_t k1 = ta ? n.shape(0)[0] : n.shape(0)[1];
  int64_t k2 = tb ? n.shape(1)[1] : n.shape(1)[0];
  int64_t nn = tb ? n.shape(1)[0] : n.shape(1)[1];
  if (k1 != k2)
    return n.error("inner dims differ: " + Twine(k1) + " vs " + Twine(k2));
  SmallVector<int64_t> shape{m, nn};
  if (n.input(2)) {
    auto b = broadcastShapes(n.shape(2), shape);
    if (failed(b) || ArrayRef<int64_t>(*b) != ArrayRef<int64_t>(shape))
      return n.error("C does not broadcast to [M, N]");
  }
  n.setResult(0, n.create<GemmOp>(
                     n.tensorType(shape, n.elementType(0)), n.input(0),
                     n.input(1), n.input(2),
                     n.b.getF32FloatAttr(n.attrFloat("alpha", 1.0f)),
                     n.b.getF32FloatAttr(n.attrFloat("beta", 1.0f)),
                     n.b.getBoolAttr(ta), n.b.getBoolAttr(tb)));
  return success();
}

} // namespace

/// numpy matmul result shape (shared with MatMulInteger).
FailureOr<SmallVector<int64_t>> matmulShape(NodeBinder &n, ArrayRef<int64_t> a,
                                            ArrayRef<int64_t> b) {
  if (a.empty() || b.empty())
    return n.error("MatMul operands must have rank >= 1");
  SmallVector<int64_t> pa(a), pb(b);
  if (pa.size() == 1)
    pa.insert(pa.begin(), 1);
  if (pb.size() == 1)
    pb.push_back(1);
  if (pa.back() != pb[pb.size() - 2])
    return n.error("inner dims differ: " + Twine(pa.back()) + " vs " +
                   Twine(pb[pb.size() - 2]));
  auto batch = broadcastOrError(n, ArrayRef(pa).drop_back(2),
                                ArrayRef(pb).drop_back(2));
  if (failed(batch))
    return failure();
  SmallVector<int64_t> shape(*batch);
  if (a.size() > 1)
    shape.push_back(pa[pa.size() - 2]);
  if (b.size() > 1)
    shape.push_back(pb.back());
  return shape;
}

namespace {
LogicalResult importMatMul(NodeBinder &n) {
  if (!n.input(0) || !n.input(1))
    return n.error("needs A and B");
  auto shape = matmulShape(n, n.shape(0), n.shape(1));
  if (failed(shape))
    return failure();
  n.setResult(0, n.create<MatMulOp>(n.tensorType(*shape, n.elementType(0)),
                                    n.input(0), n.input(1)));
  return success();
}

template <typename OpTy>
LogicalResult importSoftmax(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  int64_t rank = n.rank(0);
  if (n.opset >= 13) {
    auto axis = n.axis(n.attrInt("axis", -1), rank);
    if (failed(axis))
      return failure();
    n.setResult(0, n.create<OpTy>(n.type(0), n.input(0), *axis));
    return success();
  }
  // Before opset 13 the input is coerced to 2-D around `axis`.
  auto axis = n.axis(n.attrInt("axis", 1), rank);
  if (failed(axis))
    return failure();
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < *axis ? outer : inner) *= n.shape(0)[d];
  Type elem = n.elementType(0);
  Value flat = n.create<ReshapeOp>(n.tensorType({outer, inner}, elem), n.input(0));
  Value r = n.create<OpTy>(flat.getType(), flat, 1);
  n.setResult(0, n.create<ReshapeOp>(n.type(0), r));
  return success();
}

/// Reads reduction axes from the attribute or (newer opsets) input 1.
FailureOr<SmallVector<int64_t>> reduceAxes(NodeBinder &n, int inputSince) {
  SmallVector<int64_t> axes;
  if (n.opset >= inputSince) {
    if (failed(n.optionalConstInts(1, "axes", axes)))
      return failure();
  } else {
    axes = n.attrInts("axes");
  }
  int64_t rank = n.rank(0);
  if (axes.empty()) {
    if (n.attrInt("noop_with_empty_axes", 0))
      return SmallVector<int64_t>{};
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
    return axes;
  }
  for (int64_t &a : axes) {
    auto r = n.axis(a, rank);
    if (failed(r))
      return failure();
    a = *r;
  }
  llvm::sort(axes);
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  return axes;
}

enum class Pre { None, Abs, Square, Exp };
enum class Post { None, Sqrt, Log };

template <typename OpTy, int InputSince, Pre P = Pre::None, Post Q = Post::None>
LogicalResult importReduce(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  auto axes = reduceAxes(n, InputSince);
  if (failed(axes))
    return failure();
  Value x = n.input(0);
  if (axes->empty()) { // noop_with_empty_axes
    n.setResult(0, x);
    return success();
  }
  auto type = n.type(0);
  if (P == Pre::Abs)
    x = n.create<AbsOp>(type, x);
  else if (P == Pre::Square)
    x = n.create<MulOp>(type, x, x);
  else if (P == Pre::Exp)
    x = n.create<ExpOp>(type, x);
  bool keep = n.attrInt("keepdims", 1) != 0;
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (!llvm::is_contained(*axes, d))
      shape.push_back(type.getDimSize(d));
    else if (keep)
      shape.push_back(1);
  }
  auto outType = n.tensorType(shape, type.getElementType());
  Value r = n.create<OpTy>(outType, x, i64s(n, *axes), n.b.getBoolAttr(keep));
  if (Q == Post::Sqrt)
    r = n.create<SqrtOp>(outType, r);
  else if (Q == Post::Log)
    r = n.create<LogOp>(outType, r);
  n.setResult(0, r);
  return success();
}

template <typename OpTy>
LogicalResult importArgReduce(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  auto axis = n.axis(n.attrInt("axis", 0), n.rank(0));
  if (failed(axis))
    return failure();
  bool keep = n.attrInt("keepdims", 1) != 0;
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < n.rank(0); ++d) {
    if (d != *axis)
      shape.push_back(n.shape(0)[d]);
    else if (keep)
      shape.push_back(1);
  }
  n.setResult(0, n.create<OpTy>(n.tensorType(shape, n.b.getI64Type()),
                                n.input(0), n.b.getI64IntegerAttr(*axis),
                                n.b.getBoolAttr(keep),
                                n.b.getBoolAttr(n.attrInt("select_last_index", 0))));
  return success();
}

LogicalResult buildResize(NodeBinder &n, ArrayRef<float> scalesIn,
                          ArrayRef<int64_t> sizes, StringRef mode,
                          StringRef ctm, StringRef nearest) {
  int64_t rank = n.rank(0);
  SmallVector<float> scales;
  SmallVector<int64_t> shape;
  if (!sizes.empty()) {
    if ((int64_t)sizes.size() != rank)
      return n.error("sizes needs one entry per dim");
    for (int64_t d = 0; d < rank; ++d) {
      if (sizes[d] < 0)
        return n.error("sizes must be >= 0");
      shape.push_back(sizes[d]);
      scales.push_back(n.shape(0)[d] ? float(sizes[d]) / n.shape(0)[d] : 1.0f);
    }
  } else {
    if ((int64_t)scalesIn.size() != rank)
      return n.error("scales needs one entry per dim");
    for (int64_t d = 0; d < rank; ++d) {
      if (!(scalesIn[d] > 0))
        return n.error("scales must be > 0");
      scales.push_back(scalesIn[d]);
      double size = std::floor(n.shape(0)[d] * (double)scalesIn[d]);
      if (!(size < double(int64_t(1) << 40)))
        return n.error("scales make an absurd output size");
      shape.push_back((int64_t)size);
    }
  }
  if (mode != "nearest" && mode != "linear")
    return n.error("Resize mode '" + mode + "' is not supported");
  static const char *modes[] = {"half_pixel", "pytorch_half_pixel",
                                "align_corners", "asymmetric",
                                "tf_half_pixel_for_nn"};
  if (!llvm::is_contained(modes, ctm))
    return n.error("coordinate_transformation_mode '" + ctm +
                   "' is not supported");
  static const char *nearestModes[] = {"round_prefer_floor", "round_prefer_ceil",
                                       "floor", "ceil"};
  if (!llvm::is_contained(nearestModes, nearest))
    return n.error("nearest_mode '" + nearest + "' is not supported");
  n.setResult(0, n.create<ResizeOp>(n.tensorType(shape, n.elementType(0)),
                                    n.input(0), n.b.getDenseF32ArrayAttr(scales),
                                    n.b.getStringAttr(mode),
                                    n.b.getStringAttr(ctm),
                                    n.b.getStringAttr(nearest)));
  return success();
}

LogicalResult importResize(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  if (n.hasAttr("axes"))
    return n.error("the axes attribute of Resize is not supported");
  if (n.attrString("keep_aspect_ratio_policy", "stretch") != "stretch")
    return n.error("keep_aspect_ratio_policy is not supported");
  if (n.attrInt("exclude_outside", 0))
    return n.error("exclude_outside is not supported");
  std::string mode = n.attrString("mode", "nearest");
  std::string ctm = n.attrString("coordinate_transformation_mode",
                                 n.opset < 11 ? "asymmetric" : "half_pixel");
  std::string nearest = n.attrString("nearest_mode", "round_prefer_floor");
  SmallVector<float> scales;
  SmallVector<int64_t> sizes;
  int scalesIdx = n.opset < 11 ? 1 : 2, sizesIdx = 3;
  if (n.opset >= 11 && n.input(sizesIdx) && n.shape(sizesIdx)[0] > 0) {
    auto v = n.constInts(sizesIdx, "sizes");
    if (failed(v))
      return failure();
    sizes = *v;
  } else if (n.input(scalesIdx)) {
    auto v = n.constFloats(scalesIdx, "scales");
    if (failed(v))
      return failure();
    for (double s : *v)
      scales.push_back(s);
  } else {
    return n.error("needs scales or sizes");
  }
  if (ctm == "tf_crop_and_resize")
    return n.error("tf_crop_and_resize is not supported");
  return buildResize(n, scales, sizes, mode, ctm, nearest);
}

LogicalResult importUpsample(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  SmallVector<float> scales;
  if (n.opset >= 9) {
    auto v = n.constFloats(1, "scales");
    if (failed(v))
      return failure();
    for (double s : *v)
      scales.push_back(s);
  } else {
    scales = n.attrFloats("scales");
  }
  std::string mode = n.attrString("mode", "nearest");
  if (mode == "bilinear")
    mode = "linear";
  return buildResize(n, scales, {}, mode, "asymmetric", "floor");
}

const OpImporterEntry kImporters[] = {
    {"ArgMax", 1, importArgReduce<ArgMaxOp>},
    {"ArgMin", 1, importArgReduce<ArgMinOp>},
    {"AveragePool", 1, importPool<false>},
    {"BatchNormalization", 1, importBatchNorm},
    {"Conv", 1, importConv},
    {"ConvTranspose", 1, importConvTranspose},
    {"Gemm", 1, importGemm},
    {"GlobalAveragePool", 1, importGlobalPool<GlobalAveragePoolOp>},
    {"GlobalMaxPool", 1, importGlobalPool<GlobalMaxPoolOp>},
    {"LayerNormalization", 17, importLayerNorm},
    {"LogSoftmax", 1, importSoftmax<LogSoftmaxOp>},
    {"MatMul", 1, importMatMul},
    {"MaxPool", 1, importPool<true>},
    {"ReduceL1", 1, importReduce<ReduceSumOp, 18, Pre::Abs>},
    {"ReduceL2", 1, importReduce<ReduceSumOp, 18, Pre::Square, Post::Sqrt>},
    {"ReduceLogSum", 1, importReduce<ReduceSumOp, 18, Pre::None, Post::Log>},
    {"ReduceLogSumExp", 1, importReduce<ReduceSumOp, 18, Pre::Exp, Post::Log>},
    {"ReduceMax", 1, importReduce<ReduceMaxOp, 18>},
    {"ReduceMean", 1, importReduce<ReduceMeanOp, 18>},
    {"ReduceMin", 1, importReduce<ReduceMinOp, 18>},
    {"ReduceProd", 1, importReduce<ReduceProdOp, 18>},
    {"ReduceSum", 1, importReduce<ReduceSumOp, 13>},
    {"ReduceSumSquare", 1, importReduce<ReduceSumOp, 18, Pre::Square>},
    {"Resize", 10, importResize},
    {"Softmax", 1, importSoftmax<SoftmaxOp>},
    {"Upsample", 7, importUpsample},
};
} // namespace

ArrayRef<OpImporterEntry> nnImporters() { return kImporters; }

} // namespace qcc::onnx_import
