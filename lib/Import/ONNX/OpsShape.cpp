//===- OpsShape.cpp - importers of shape and data-movement ONNX ops -------===//
//
// Shape computations (Shape, Size, ConstantOfShape, Range, and everything
// that folds on their results) become constants here: input shapes are static
// after specialization, so shape sub-graphs disappear during import.
//
//===----------------------------------------------------------------------===//
#include "NodeBinder.h"

using namespace mlir;
using namespace llvm;

namespace qcc::onnx_import {
namespace {

Value reshapeTo(NodeBinder &n, Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  return n.create<ReshapeOp>(n.tensorType(shape, type.getElementType()), v);
}

DenseElementsAttr i64Tensor(NodeBinder &n, ArrayRef<int64_t> shape,
                            ArrayRef<int64_t> values) {
  return DenseElementsAttr::get(n.tensorType(shape, n.b.getI64Type()), values);
}

LogicalResult importConstant(NodeBinder &n) {
  if (const auto *a = n.attr("value")) {
    auto attr = convertTensor(n.b.getContext(), a->t(), "value");
    if (!attr)
      return n.error(toString(attr.takeError()));
    n.setResult(0, n.constantOf(*attr));
    return success();
  }
  if (const auto *a = n.attr("value_float")) {
    n.setResult(0, n.constantOf(DenseElementsAttr::get(
                       n.tensorType({}, n.b.getF32Type()), a->f())));
    return success();
  }
  if (const auto *a = n.attr("value_floats")) {
    SmallVector<float> v(a->floats().begin(), a->floats().end());
    n.setResult(0, n.constantOf(DenseElementsAttr::get(
                       n.tensorType({(int64_t)v.size()}, n.b.getF32Type()),
                       ArrayRef<float>(v))));
    return success();
  }
  if (const auto *a = n.attr("value_int")) {
    n.setResult(0, n.constantOf(i64Tensor(n, {}, {a->i()})));
    return success();
  }
  if (const auto *a = n.attr("value_ints")) {
    SmallVector<int64_t> v(a->ints().begin(), a->ints().end());
    n.setResult(0, n.constantOf(i64Tensor(n, {(int64_t)v.size()}, v)));
    return success();
  }
  return n.error("only tensor, float and int constants are supported");
}

LogicalResult importShape(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  int64_t rank = n.rank(0);
  int64_t start = n.attrInt("start", 0), end = n.attrInt("end", rank);
  if (start < 0)
    start += rank;
  if (end < 0)
    end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  SmallVector<int64_t> dims(n.shape(0).begin() + start, n.shape(0).begin() + end);
  n.setResult(0, n.constantOf(i64Tensor(n, {(int64_t)dims.size()}, dims)));
  return success();
}

LogicalResult importSize(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  n.setResult(0, n.constantOf(i64Tensor(n, {}, {n.type(0).getNumElements()})));
  return success();
}

LogicalResult importConstantOfShape(NodeBinder &n) {
  auto shape = n.constInts(0, "shape");
  if (failed(shape))
    return failure();
  for (int64_t d : *shape)
    if (d < 0)
      return n.error("shape must be non-negative");
  DenseElementsAttr value;
  if (const auto *a = n.attr("value")) {
    auto attr = convertTensor(n.b.getContext(), a->t(), "value");
    if (!attr)
      return n.error(toString(attr.takeError()));
    if (attr->getNumElements() != 1)
      return n.error("value must hold one element");
    value = *attr;
  } else {
    value = DenseElementsAttr::get(n.tensorType({1}, n.b.getF32Type()), 0.0f);
  }
  auto type = n.tensorType(*shape, value.getElementType());
  n.setResult(0, n.constantOf(DenseElementsAttr::get(
                     type, value.getValues<Attribute>()[0])));
  return success();
}

LogicalResult importRange(NodeBinder &n) {
  static const char *names[] = {"start", "limit", "delta"};
  for (int i = 0; i < 3; ++i)
    if (!n.constant(i))
      return n.notConstant(i, names[i], "scalar");
  Type elem = n.elementType(0);
  if (isa<IntegerType>(elem)) {
    int64_t start = (*n.constInts(0, "start"))[0];
    int64_t limit = (*n.constInts(1, "limit"))[0];
    int64_t delta = (*n.constInts(2, "delta"))[0];
    if (delta == 0)
      return n.error("delta must not be 0");
    // ceil((limit - start) / delta) without int64 overflow.
    __int128 span = (__int128)limit - start;
    __int128 q = span / delta;
    if (q * delta != span)
      q += 1;
    __int128 count128 = std::max<__int128>(0, q);
    if (count128 > (1 << 26))
      return n.error("Range produces too many elements");
    int64_t count = (int64_t)count128;
    SmallVector<APInt> values;
    for (int64_t i = 0; i < count; ++i)
      values.push_back(APInt(elem.getIntOrFloatBitWidth(), start + i * delta, true));
    n.setResult(0, n.constantOf(DenseElementsAttr::get(n.tensorType({count}, elem), values)));
    return success();
  }
  double start = (*n.constFloats(0, "start"))[0];
  double limit = (*n.constFloats(1, "limit"))[0];
  double delta = (*n.constFloats(2, "delta"))[0];
  if (delta == 0)
    return n.error("delta must not be 0");
  int64_t count = std::max<int64_t>(0, (int64_t)std::ceil((limit - start) / delta));
  if (count > (1 << 26))
    return n.error("Range produces too many elements");
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < count; ++i)
    values.push_back(n.b.getFloatAttr(elem, start + i * delta));
  n.setResult(0, n.constantOf(DenseElementsAttr::get(n.tensorType({count}, elem), values)));
  return success();
}

LogicalResult importReshape(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  SmallVector<int64_t> target;
  if (n.opset < 5) {
    target = n.attrInts("shape");
  } else {
    auto v = n.constInts(1, "shape");
    if (failed(v))
      return failure();
    target = *v;
  }
  bool allowZero = n.attrInt("allowzero", 0) != 0;
  int64_t total = n.type(0).getNumElements(), known = 1, inferred = -1;
  for (auto [i, d] : llvm::enumerate(target)) {
    if (d == 0 && !allowZero) {
      if ((int64_t)i >= n.rank(0))
        return n.error("shape copies dim " + Twine(i) + " beyond the input rank");
      d = n.shape(0)[i];
    }
    if (d == -1) {
      if (inferred >= 0)
        return n.error("shape has more than one -1");
      inferred = i;
      continue;
    }
    if (d < 0)
      return n.error("shape has a negative dim " + Twine(d));
    known *= d;
  }
  if (inferred >= 0) {
    if (known == 0 || total % known)
      return n.error("cannot infer the -1 dim: " + Twine(total) +
                     " elements into a multiple of " + Twine(known));
    target[inferred] = total / known;
  } else if (known != total) {
    return n.error("shape has " + Twine(known) + " elements, input has " +
                   Twine(total));
  }
  n.setResult(0, reshapeTo(n, n.input(0), target));
  return success();
}

LogicalResult importFlatten(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  int64_t rank = n.rank(0);
  int64_t axis = n.attrInt("axis", 1);
  if (axis < -rank || axis > rank)
    return n.error("axis out of range");
  if (axis < 0)
    axis += rank;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < axis ? outer : inner) *= n.shape(0)[d];
  n.setResult(0, reshapeTo(n, n.input(0), {outer, inner}));
  return success();
}

FailureOr<SmallVector<int64_t>> axesFrom(NodeBinder &n, int sinceInput,
                                         bool &present) {
  present = false;
  if (n.opset >= sinceInput) {
    if (!n.input(1))
      return SmallVector<int64_t>{};
    present = true;
    return n.constInts(1, "axes");
  }
  present = n.hasAttr("axes");
  return n.attrInts("axes");
}

LogicalResult importSqueeze(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  bool present;
  auto axes = axesFrom(n, 13, present);
  if (failed(axes))
    return failure();
  int64_t rank = n.rank(0);
  SmallVector<bool> drop(rank, false);
  if (!present || axes->empty()) {
    for (int64_t d = 0; d < rank; ++d)
      drop[d] = n.shape(0)[d] == 1;
  } else {
    for (int64_t a : *axes) {
      auto r = n.axis(a, rank);
      if (failed(r))
        return failure();
      if (n.shape(0)[*r] != 1)
        return n.error("cannot squeeze dim " + Twine(*r) + " of size " +
                       Twine(n.shape(0)[*r]));
      drop[*r] = true;
    }
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    if (!drop[d])
      shape.push_back(n.shape(0)[d]);
  n.setResult(0, reshapeTo(n, n.input(0), shape));
  return success();
}

LogicalResult importUnsqueeze(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  bool present;
  auto axes = axesFrom(n, 13, present);
  if (failed(axes))
    return failure();
  int64_t outRank = n.rank(0) + axes->size();
  SmallVector<bool> inserted(outRank, false);
  for (int64_t a : *axes) {
    if (a < -outRank || a >= outRank)
      return n.error("axis " + Twine(a) + " out of range");
    if (a < 0)
      a += outRank;
    if (inserted[a])
      return n.error("duplicate axis");
    inserted[a] = true;
  }
  SmallVector<int64_t> shape;
  int64_t next = 0;
  for (int64_t d = 0; d < outRank; ++d)
    shape.push_back(inserted[d] ? 1 : n.shape(0)[next++]);
  n.setResult(0, reshapeTo(n, n.input(0), shape));
  return success();
}

LogicalResult importTranspose(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  int64_t rank = n.rank(0);
  SmallVector<int64_t> perm = n.attrInts("perm");
  if (perm.empty())
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  if ((int64_t)perm.size() != rank)
    return n.error("perm needs " + Twine(rank) + " entries");
  SmallVector<bool> seen(rank, false);
  SmallVector<int64_t> shape;
  for (int64_t &p : perm) {
    if (p < 0)
      p += rank;
    if (p < 0 || p >= rank || seen[p])
      return n.error("perm is not a permutation");
    seen[p] = true;
    shape.push_back(n.shape(0)[p]);
  }
  n.setResult(0, n.create<TransposeOp>(n.tensorType(shape, n.elementType(0)),
                                       n.input(0),
                                       n.b.getDenseI64ArrayAttr(perm)));
  return success();
}

LogicalResult importConcat(NodeBinder &n) {
  if (n.numInputs() == 0 || !n.input(0))
    return n.error("needs at least one input");
  int64_t rank = n.rank(0);
  auto axis = n.axis(n.attrInt("axis", n.opset < 4 ? 1 : 0), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(n.shape(0));
  shape[*axis] = 0;
  SmallVector<Value> inputs;
  for (size_t i = 0; i < n.numInputs(); ++i) {
    if (!n.input(i))
      continue;
    if (n.rank(i) != rank || n.elementType(i) != n.elementType(0))
      return n.error("inputs differ in rank or element type");
    for (int64_t d = 0; d < rank; ++d)
      if (d != *axis && n.shape(i)[d] != shape[d])
        return n.error("input " + Twine(i) + " differs in dim " + Twine(d));
    shape[*axis] += n.shape(i)[*axis];
    inputs.push_back(n.input(i));
  }
  n.setResult(0, n.create<ConcatOp>(n.tensorType(shape, n.elementType(0)),
                                    inputs, *axis));
  return success();
}

LogicalResult importSplit(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  int64_t rank = n.rank(0);
  auto axis = n.axis(n.attrInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  int64_t dim = n.shape(0)[*axis];
  SmallVector<int64_t> sizes;
  if (n.opset >= 13) {
    if (failed(n.optionalConstInts(1, "split", sizes)))
      return failure();
  } else {
    sizes = n.attrInts("split");
  }
  int64_t outputs = n.numOutputs();
  if (sizes.empty()) {
    int64_t parts = n.hasAttr("num_outputs") ? n.attrInt("num_outputs", 1) : outputs;
    if (parts < 1)
      return n.error("needs at least one output");
    int64_t chunk = (dim + parts - 1) / parts;
    for (int64_t i = 0; i < parts; ++i)
      sizes.push_back(std::max<int64_t>(0, std::min(chunk, dim - i * chunk)));
  }
  if ((int64_t)sizes.size() != outputs)
    return n.error("split has " + Twine(sizes.size()) + " sizes for " +
                   Twine(outputs) + " outputs");
  int64_t offset = 0;
  for (auto [i, size] : llvm::enumerate(sizes)) {
    if (size < 0 || offset + size > dim)
      return n.error("split sizes exceed the dim");
    SmallVector<int64_t> starts(rank, 0), steps(rank, 1), shape(n.shape(0));
    starts[*axis] = offset;
    shape[*axis] = size;
    n.setResult(i, n.create<SliceOp>(n.tensorType(shape, n.elementType(0)),
                                     n.input(0), n.b.getDenseI64ArrayAttr(starts),
                                     n.b.getDenseI64ArrayAttr(steps)));
    offset += size;
  }
  if (offset != dim)
    return n.error("split sizes sum to " + Twine(offset) + ", dim is " + Twine(dim));
  return success();
}

LogicalResult importSlice(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  int64_t rank = n.rank(0);
  SmallVector<int64_t> starts, ends, axes, steps;
  if (n.opset < 10) {
    starts = n.attrInts("starts");
    ends = n.attrInts("ends");
    axes = n.attrInts("axes");
  } else {
    auto s = n.constInts(1, "starts");
    if (failed(s))
      return failure();
    auto e = n.constInts(2, "ends");
    if (failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (failed(n.optionalConstInts(3, "axes", axes)))
      return failure();
    if (failed(n.optionalConstInts(4, "steps", steps)))
      return failure();
  }
  if (axes.empty())
    for (int64_t i = 0; i < (int64_t)starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return n.error("starts, ends, axes and steps differ in length");
  SmallVector<int64_t> outStarts(rank, 0), outSteps(rank, 1), shape(n.shape(0));
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < starts.size(); ++i) {
    auto a = n.axis(axes[i], rank);
    if (failed(a))
      return failure();
    if (seen[*a])
      return n.error("axis repeated");
    seen[*a] = true;
    int64_t dim = n.shape(0)[*a], step = steps[i];
    if (step == 0)
      return n.error("steps must not be 0");
    // Clamp as ONNX specifies; saturating arithmetic for INT64 extremes.
    auto norm = [&](int64_t v) { return v < 0 ? std::max<int64_t>(v, -dim - 1) + dim : v; };
    int64_t s = norm(starts[i]), e = norm(ends[i]);
    if (step > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
    } else {
      s = std::clamp<int64_t>(s, 0, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
    }
    int64_t count = step > 0 ? (e - s + step - 1) / step : (s - e + (-step) - 1) / (-step);
    count = std::max<int64_t>(0, count);
    outStarts[*a] = count ? s : 0;
    outSteps[*a] = step;
    shape[*a] = count;
  }
  n.setResult(0, n.create<SliceOp>(n.tensorType(shape, n.elementType(0)),
                                   n.input(0), n.b.getDenseI64ArrayAttr(outStarts),
                                   n.b.getDenseI64ArrayAttr(outSteps)));
  return success();
}

LogicalResult importGather(NodeBinder &n) {
  if (!n.input(0) || !n.input(1))
    return n.error("needs data and indices");
  int64_t rank = n.rank(0);
  if (rank < 1)
    return n.error("data must have rank >= 1");
  auto axis = n.axis(n.attrInt("axis", 0), rank);
  if (failed(axis))
    return failure();
  if (!isa<IntegerType>(n.elementType(1)))
    return n.error("indices must be integers");
  int64_t dim = n.shape(0)[*axis];
  if (DenseElementsAttr c = n.constant(1))
    for (APInt v : c.getValues<APInt>()) {
      int64_t k = v.getSExtValue();
      if (k < -dim || k >= dim)
        return n.error("index " + Twine(k) + " is out of range for dim " + Twine(dim));
    }
  SmallVector<int64_t> shape(n.shape(0).begin(), n.shape(0).begin() + *axis);
  shape.append(n.shape(1).begin(), n.shape(1).end());
  shape.append(n.shape(0).begin() + *axis + 1, n.shape(0).end());
  n.setResult(0, n.create<GatherOp>(n.tensorType(shape, n.elementType(0)),
                                    n.input(0), n.input(1), *axis));
  return success();
}

LogicalResult importExpand(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  auto target = n.constInts(1, "shape");
  if (failed(target))
    return failure();
  auto shape = broadcastOrError(n, n.shape(0), *target);
  if (failed(shape))
    return failure();
  auto type = n.tensorType(*shape, n.elementType(0));
  if (type == n.type(0)) {
    n.setResult(0, n.input(0));
    return success();
  }
  n.setResult(0, n.create<ExpandOp>(type, n.input(0)));
  return success();
}

LogicalResult importTile(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  auto repeats = n.constInts(1, "repeats");
  if (failed(repeats))
    return failure();
  if ((int64_t)repeats->size() != n.rank(0))
    return n.error("repeats needs one entry per dim");
  SmallVector<int64_t> shape;
  for (auto [d, r] : llvm::zip(n.shape(0), *repeats)) {
    int64_t size;
    if (r < 0 || __builtin_mul_overflow(d, r, &size))
      return n.error("repeats must be >= 0 and keep dims in range");
    shape.push_back(size);
  }
  n.setResult(0, n.create<TileOp>(n.tensorType(shape, n.elementType(0)), n.input(0)));
  return success();
}

LogicalResult importPad(NodeBinder &n) {
  if (!n.input(0))
    return n.error("missing input");
  int64_t rank = n.rank(0);
  std::string mode = n.attrString("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return n.error("pad mode '" + mode + "' is not supported");
  SmallVector<int64_t> pads;
  double value = 0;
  if (n.opset < 11) {
    pads = n.attrInts(n.opset < 2 ? "paddings" : "pads");
    value = n.attrFloat("value", 0);
  } else {
    auto p = n.constInts(1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (n.input(2)) {
      auto v = n.constFloats(2, "constant_value");
      if (failed(v))
        return failure();
      if (!v->empty())
        value = (*v)[0];
    }
    if (n.input(3)) {
      auto axes = n.constInts(3, "axes");
      if (failed(axes))
        return failure();
      SmallVector<int64_t> full(2 * rank, 0);
      if (pads.size() != 2 * axes->size())
        return n.error("pads must have two entries per axis");
      for (auto [i, a] : llvm::enumerate(*axes)) {
        auto r = n.axis(a, rank);
        if (failed(r))
          return failure();
        full[*r] = pads[i];
        full[rank + *r] = pads[axes->size() + i];
      }
      pads = full;
    }
  }
  if ((int64_t)pads.size() != 2 * rank)
    return n.error("pads needs 2 x rank entries");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t s;
    if (__builtin_add_overflow(n.shape(0)[d], pads[d], &s) ||
        __builtin_add_overflow(s, pads[rank + d], &s))
      return n.error("pads overflow the dim");
    if (s < 0)
      return n.error("negative pads remove more than the dim");
    if (mode == "reflect" && (pads[d] >= n.shape(0)[d] || pads[rank + d] >= n.shape(0)[d]) &&
        (pads[d] > 0 || pads[rank + d] > 0))
      return n.error("reflect pads must be smaller than the dim");
    shape.push_back(s);
  }
  n.setResult(0, n.create<PadOp>(n.tensorType(shape, n.elementType(0)),
                                 n.input(0), n.b.getDenseI64ArrayAttr(pads),
                                 n.b.getStringAttr(mode),
                                 n.b.getF64FloatAttr(value)));
  return success();
}

const OpImporterEntry kImporters[] = {
    {"Concat", 1, importConcat},
    {"Constant", 1, importConstant},
    {"ConstantOfShape", 9, importConstantOfShape},
    {"Expand", 8, importExpand},
    {"Flatten", 1, importFlatten},
    {"Gather", 1, importGather},
    {"Pad", 1, importPad},
    {"Range", 11, importRange},
    {"Reshape", 1, importReshape},
    {"Shape", 1, importShape},
    {"Size", 1, importSize},
    {"Slice", 1, importSlice},
    {"Split", 1, importSplit},
    {"Squeeze", 1, importSqueeze},
    {"Tile", 6, importTile},
    {"Transpose", 1, importTranspose},
    {"Unsqueeze", 1, importUnsqueeze},
};
} // namespace

ArrayRef<OpImporterEntry> shapeImporters() { return kImporters; }

} // namespace qcc::onnx_import
