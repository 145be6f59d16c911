//===- GraphImporter.cpp - ONNX graph to qcc dialect ----------------------===//
#include "ModelLoader.h"
#include "NodeBinder.h"

#include "qcc/Dialect/Qcc/IR/QccDialect.h"
#include "qcc/Runtime/TensorIO.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace llvm;

namespace qcc::onnx_import {

//===----------------------------------------------------------------------===//
// NodeBinder
//===----------------------------------------------------------------------===//

DenseElementsAttr NodeBinder::constant(size_t i) const {
  Value v = input(i);
  DenseElementsAttr attr;
  if (v && matchPattern(v, m_Constant(&attr)))
    return attr;
  return {};
}

FailureOr<SmallVector<int64_t>> NodeBinder::constInts(size_t i, StringRef what) {
  DenseElementsAttr c = constant(i);
  if (!c || !isa<IntegerType>(c.getElementType()))
    return notConstant(i, what, "integer tensor");
  SmallVector<int64_t> out;
  for (APInt v : c.getValues<APInt>())
    out.push_back(c.getElementType().isUnsignedInteger() ? v.getZExtValue()
                                                         : v.getSExtValue());
  return out;
}

FailureOr<SmallVector<double>> NodeBinder::constFloats(size_t i, StringRef what) {
  DenseElementsAttr c = constant(i);
  if (!c)
    return notConstant(i, what, "tensor");
  SmallVector<double> out;
  if (isa<FloatType>(c.getElementType())) {
    for (APFloat v : c.getValues<APFloat>()) {
      bool lost;
      v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      out.push_back(v.convertToDouble());
    }
  } else {
    for (APInt v : c.getValues<APInt>())
      out.push_back(c.getElementType().isUnsignedInteger()
                        ? (double)v.getZExtValue()
                        : (double)v.getSExtValue());
  }
  return out;
}

/// Names of the graph inputs that `v` is computed from.
static SmallVector<std::string> graphInputsOf(Value v) {
  SmallVector<std::string> names;
  SmallVector<Value> stack{v};
  llvm::DenseSet<Value> seen;
  while (!stack.empty() && seen.size() < 10000) {
    Value cur = stack.pop_back_val();
    if (!seen.insert(cur).second)
      continue;
    if (auto arg = dyn_cast<BlockArgument>(cur)) {
      auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
      if (auto name = func ? func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "qcc.name")
                           : StringAttr())
        names.push_back(name.str());
      continue;
    }
    if (Operation *def = cur.getDefiningOp())
      for (Value operand : def->getOperands())
        stack.push_back(operand);
  }
  llvm::sort(names);
  return names;
}

LogicalResult NodeBinder::notConstant(size_t i, StringRef what,
                                      StringRef kind) {
  std::string name = (int)i < node.input_size() ? node.input(i) : "";
  std::string hint;
  if (Value v = input(i)) {
    for (const std::string &in : graphInputsOf(v))
      hint += " --bind-input " + in + "=FILE";
  }
  if (hint.empty())
    hint = " --bind-input " + name + "=FILE";
  return error(what + " (input " + Twine(i) + ", '" + name +
               "') must be a constant " + kind +
               "; qcc needs it at compile time (fix dynamic input dims with "
               "--input-shape, or freeze the graph inputs it comes from with" +
               hint + ")");
}

const onnx::AttributeProto *NodeBinder::attr(StringRef name) const {
  for (const auto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeBinder::attrInt(StringRef name, int64_t dflt) const {
  const auto *a = attr(name);
  return a ? a->i() : dflt;
}
float NodeBinder::attrFloat(StringRef name, float dflt) const {
  const auto *a = attr(name);
  return a ? a->f() : dflt;
}
std::string NodeBinder::attrString(StringRef name, StringRef dflt) const {
  const auto *a = attr(name);
  return a ? a->s() : dflt.str();
}
SmallVector<int64_t> NodeBinder::attrInts(StringRef name) const {
  const auto *a = attr(name);
  if (!a)
    return {};
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}
SmallVector<float> NodeBinder::attrFloats(StringRef name) const {
  const auto *a = attr(name);
  if (!a)
    return {};
  return SmallVector<float>(a->floats().begin(), a->floats().end());
}

LogicalResult NodeBinder::error(const Twine &msg) {
  std::string domain = node.domain().empty() ? "ai.onnx" : node.domain();
  errorText = (file + ": node '" + displayName + "' (" + node.op_type() +
               ", domain " + domain + ", opset " + Twine(opset) + "): " + msg)
                  .str();
  return failure();
}

FailureOr<int64_t> NodeBinder::axis(int64_t a, int64_t rank) {
  if (a < -rank || a >= std::max<int64_t>(rank, 1))
    return error("axis " + Twine(a) + " is out of range for rank " +
                 Twine(rank));
  return a < 0 ? a + rank : a;
}

FailureOr<SmallVector<int64_t>> broadcastOrError(NodeBinder &n,
                                                 ArrayRef<int64_t> a,
                                                 ArrayRef<int64_t> b) {
  auto r = broadcastShapes(a, b);
  if (failed(r)) {
    auto str = [](ArrayRef<int64_t> s) {
      std::string out = "[";
      for (auto [i, d] : llvm::enumerate(s))
        out += (i ? "," : "") + std::to_string(d);
      return out + "]";
    };
    return n.error("shapes " + str(a) + " and " + str(b) +
                   " cannot be broadcast together");
  }
  return *r;
}

//===----------------------------------------------------------------------===//
// Registry
//===----------------------------------------------------------------------===//

ImportFn lookupImporter(StringRef opType, int64_t opset) {
  ImportFn best = nullptr;
  int bestSince = -1;
  for (auto table : {elementwiseImporters(), nnImporters(), shapeImporters(),
                     quantImporters()})
    for (const OpImporterEntry &e : table)
      if (opType == e.opType && e.sinceVersion <= opset &&
          e.sinceVersion > bestSince) {
        best = e.fn;
        bestSince = e.sinceVersion;
      }
  return best;
}

//===----------------------------------------------------------------------===//
// Graph import
//===----------------------------------------------------------------------===//

namespace {
class GraphImporter {
public:
  GraphImporter(const onnx::ModelProto &model, StringRef file, MLIRContext &ctx,
                const ImportOptions &options,
                const llvm::DenseMap<const onnx::TensorProto *, ExternalTensor>
                    *external = nullptr)
      : model(model), file(file), ctx(ctx), options(options),
        external(external) {}

  Expected<OwningOpRef<ModuleOp>> run();

private:
  Error fail(const Twine &msg) {
    return createStringError(inconvertibleErrorCode(), file + ": " + msg);
  }
  Expected<RankedTensorType> inputType(const onnx::ValueInfoProto &info);
  Expected<Value> lookup(StringRef name, OpBuilder &constBuilder);
  Expected<DenseElementsAttr> loadBound(const onnx::ValueInfoProto &info,
                                        StringRef path);

  const onnx::ModelProto &model;
  StringRef file;
  MLIRContext &ctx;
  const ImportOptions &options;
  const llvm::DenseMap<const onnx::TensorProto *, ExternalTensor> *external;
  StringMap<Value> values;
  StringMap<const onnx::TensorProto *> initializers;
};
} // namespace

Expected<RankedTensorType>
GraphImporter::inputType(const onnx::ValueInfoProto &info) {
  const auto &type = info.type();
  if (!type.has_tensor_type())
    return fail("input '" + info.name() +
                "' is not a tensor (sequences, maps and optionals are not "
                "supported)");
  const auto &tt = type.tensor_type();
  Type elem = convertDataType(&ctx, tt.elem_type());
  if (!elem)
    return fail("input '" + info.name() + "' has unsupported element type " +
                dataTypeName(tt.elem_type()));
  auto it = options.inputShapes.find(info.name());
  SmallVector<int64_t> shape;
  if (it != options.inputShapes.end()) {
    shape.assign(it->second.begin(), it->second.end());
    if (tt.has_shape() && tt.shape().dim_size() != (int)shape.size())
      return fail("--input-shape for '" + info.name() + "' has rank " +
                  Twine(shape.size()) + " but the model declares rank " +
                  Twine(tt.shape().dim_size()));
    if (tt.has_shape())
      for (int i = 0; i < tt.shape().dim_size(); ++i) {
        const auto &d = tt.shape().dim(i);
        if (d.has_dim_value() && d.dim_value() != shape[i])
          return fail("--input-shape for '" + info.name() + "' sets dim " +
                      Twine(i) + " to " + Twine(shape[i]) +
                      " but the model fixes it to " + Twine(d.dim_value()));
      }
  } else {
    if (!tt.has_shape())
      return fail("input '" + info.name() +
                  "' has no shape; pass --input-shape " + info.name() +
                  "=DxDx...");
    for (int i = 0; i < tt.shape().dim_size(); ++i) {
      const auto &d = tt.shape().dim(i);
      if (!d.has_dim_value() || d.dim_value() < 0)
        return fail("input '" + info.name() + "' has dynamic dim " + Twine(i) +
                    (d.has_dim_param() ? " ('" + d.dim_param() + "')" : "") +
                    "; pass --input-shape " + info.name() + "=DxDx...");
      shape.push_back(d.dim_value());
    }
  }
  uint64_t numel = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d && numel > (uint64_t(1) << 40) / (uint64_t)d))
      return fail("input '" + info.name() + "' has absurd dims");
    numel *= d;
  }
  return RankedTensorType::get(shape, elem);
}

Expected<DenseElementsAttr>
GraphImporter::loadBound(const onnx::ValueInfoProto &info, StringRef path) {
  runtime::Tensor t;
  std::string error;
  if (!runtime::loadTensor(path.str(), t, error))
    return fail("--bind-input " + info.name() + ": " + error);
  Type elem = convertDataType(&ctx, t.dtype);
  if (!elem)
    return fail("--bind-input " + info.name() + ": unsupported data type");
  const auto &tt = info.type().tensor_type();
  if (tt.elem_type() != t.dtype)
    return fail("--bind-input " + info.name() + ": file holds " +
                dataTypeName(t.dtype) + ", the input is " +
                dataTypeName(tt.elem_type()));
  if (tt.has_shape()) {
    bool ok = tt.shape().dim_size() == (int)t.shape.size();
    for (int i = 0; ok && i < tt.shape().dim_size(); ++i)
      ok = !tt.shape().dim(i).has_dim_value() ||
           tt.shape().dim(i).dim_value() == t.shape[i];
    if (!ok) {
      std::string want = "[", got = "[";
      for (int i = 0; i < tt.shape().dim_size(); ++i) {
        const auto &d = tt.shape().dim(i);
        want += (i ? "," : "") +
                (d.has_dim_value() ? std::to_string(d.dim_value()) : d.dim_param());
      }
      for (auto [i, d] : llvm::enumerate(t.shape))
        got += (i ? "," : "") + std::to_string(d);
      return fail("--bind-input " + info.name() + ": the file's shape " + got +
                  "] does not match the input's " + want + "]");
    }
  }
  auto type = RankedTensorType::get(t.shape, elem);
  if (elem.isInteger(1)) {
    SmallVector<bool> bits(t.data.begin(), t.data.end());
    return DenseElementsAttr::get(type, bits);
  }
  ArrayRef<char> raw(reinterpret_cast<const char *>(t.data.data()), t.data.size());
  bool splat;
  if (!DenseElementsAttr::isValidRawBuffer(type, raw, splat))
    return fail("--bind-input " + info.name() + ": invalid data");
  return DenseElementsAttr::getFromRawBuffer(type, raw);
}

Expected<Value> GraphImporter::lookup(StringRef name, OpBuilder &constBuilder) {
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  auto init = initializers.find(name);
  if (init == initializers.end())
    return Value();
  const ExternalTensor *ext = nullptr;
  if (external) {
    auto it = external->find(init->second);
    if (it != external->end())
      ext = &it->second;
  }
  auto attr = convertInitializer(&ctx, *init->second, ext,
                                 options.resourceMinBytes,
                                 (file + ": initializer '" + name + "'").str());
  if (!attr)
    return attr.takeError();
  Value v = ConstantOp::create(constBuilder, NameLoc::get(StringAttr::get(&ctx, name)),
                               attr->getType(), *attr);
  values[name] = v;
  return v;
}

Expected<OwningOpRef<ModuleOp>> GraphImporter::run() {
  ctx.loadDialect<QccDialect, func::FuncDialect>();
  int64_t opset = -1;
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      opset = imp.version();
  if (opset < 1)
    return fail("the model imports no ai.onnx opset");
  if (opset > 21)
    return fail("opset " + Twine(opset) + " is newer than qcc supports (21)");
  const onnx::GraphProto &graph = model.graph();

  for (const auto &t : graph.initializer())
    initializers[t.name()] = &t;
  llvm::StringSet<> seenInputs;
  for (const auto &kv : options.boundInputs) {
    bool found = false;
    for (const auto &in : graph.input())
      found |= in.name() == kv.getKey();
    if (!found)
      return fail("--bind-input names '" + kv.getKey() +
                  "', which is not a graph input");
  }
  for (const auto &kv : options.inputShapes) {
    bool found = false;
    for (const auto &in : graph.input())
      found |= in.name() == kv.getKey();
    if (!found)
      return fail("--input-shape names '" + kv.getKey() +
                  "', which is not a graph input");
  }

  Location fileLoc = FileLineColLoc::get(&ctx, file, 0, 0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  std::string modelName = sys::path::stem(file).str();
  (*module)->setAttr("qcc.source", StringAttr::get(&ctx, file));
  OpBuilder b(&ctx);
  b.setInsertionPointToEnd(module->getBody());

  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  SmallVector<std::pair<std::string, DenseElementsAttr>> bound;
  for (const auto &in : graph.input()) {
    auto boundIt = options.boundInputs.find(in.name());
    if (boundIt != options.boundInputs.end()) {
      auto value = loadBound(in, boundIt->second);
      if (!value)
        return value.takeError();
      bound.push_back({in.name(), *value});
      continue;
    }
    if (initializers.count(in.name()))
      continue; // IR < 4: initializers are listed as inputs too.
    if (!seenInputs.insert(in.name()).second)
      return fail("graph input '" + in.name() + "' is declared twice");
    auto type = inputType(in);
    if (!type)
      return type.takeError();
    argTypes.push_back(*type);
    argNames.push_back(in.name());
  }
  auto func = func::FuncOp::create(b, fileLoc, "main",
                                   b.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    values[name] = body->getArgument(i);
    func.setArgAttr(i, "qcc.name", b.getStringAttr(name));
  }
  OpBuilder constBuilder = OpBuilder::atBlockBegin(body);
  for (auto &[name, value] : bound)
    values[name] = ConstantOp::create(
        constBuilder, NameLoc::get(StringAttr::get(&ctx, name)),
        value.getType(), value);
  b.setInsertionPointToEnd(body);

  std::string error;
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    std::string nodeName = node.name().empty()
                               ? node.op_type() + "_" + std::to_string(index)
                               : node.name();
    Location loc = NameLoc::get(StringAttr::get(&ctx, nodeName), fileLoc);
    std::string domain = node.domain().empty() ? "ai.onnx" : node.domain();
    auto nodeFail = [&](const Twine &msg) {
      return fail("node '" + nodeName + "' (" + node.op_type() + ", domain " +
                  domain + ", opset " + Twine(opset) + "): " + msg);
    };
    if (domain != "ai.onnx") {
      int64_t version = 0;
      for (const auto &imp : model.opset_import())
        if (imp.domain() == node.domain())
          version = imp.version();
      return fail("node '" + nodeName + "' (" + node.op_type() + ", domain " +
                  domain + ", opset " + Twine(version) +
                  "): unsupported operator domain");
    }
    ImportFn fn = lookupImporter(node.op_type(), opset);
    if (!fn)
      return nodeFail("unsupported operator");
    SmallVector<Value> inputs;
    for (const std::string &name : node.input()) {
      if (name.empty()) {
        inputs.push_back(Value());
        continue;
      }
      auto v = lookup(name, constBuilder);
      if (!v)
        return v.takeError();
      if (!*v)
        return nodeFail("input '" + name +
                        "' is not produced by any earlier node, initializer or "
                        "graph input (dangling name or cycle)");
      inputs.push_back(*v);
    }
    // Constants are materialized right after the ones already created.
    constBuilder.setInsertionPoint(body, body->begin());
    NodeBinder binder(node, nodeName, opset, b, loc, inputs, error, file);
    if (failed(fn(binder)))
      return createStringError(inconvertibleErrorCode(), error);
    ArrayRef<Value> results = binder.getResults();
    // Computed shapes come from untrusted attributes and constants.
    for (Value r : results) {
      auto type = r ? dyn_cast<RankedTensorType>(r.getType()) : nullptr;
      if (!type)
        continue;
      uint64_t numel = 1;
      for (int64_t d : type.getShape()) {
        if (d < 0 || (d && numel > (uint64_t(1) << 40) / (uint64_t)d))
          return nodeFail("computes an absurd result shape (dims out of "
                          "range or over 2^40 elements)");
        numel *= d;
      }
    }
    for (auto [i, name] : llvm::enumerate(node.output())) {
      if (name.empty())
        continue;
      if (i >= results.size() || !results[i])
        return nodeFail("output " + Twine(i) + " ('" + name +
                        "') is not supported");
      if (values.count(name) || initializers.count(name))
        return nodeFail("output '" + name +
                        "' is already defined (graph is not in SSA form)");
      values[name] = results[i];
    }
  }

  SmallVector<Value> outputs;
  SmallVector<Type> outTypes;
  for (const auto &out : graph.output()) {
    auto v = lookup(out.name(), constBuilder);
    if (!v)
      return v.takeError();
    if (!*v)
      return fail("graph output '" + out.name() + "' is never produced");
    outputs.push_back(*v);
    outTypes.push_back(v->getType());
  }
  if (outputs.empty())
    return fail("the graph has no outputs");
  func::ReturnOp::create(b, fileLoc, outputs);
  func.setType(b.getFunctionType(argTypes, outTypes));
  for (auto [i, out] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "qcc.name", b.getStringAttr(out.name()));
  (*module)->setAttr("qcc.model_name", b.getStringAttr(modelName));
  // The ABI signature survives every later pass (which renames, converts
  // unsigned types and turns results into out-parameters).
  auto describe = [&](StringRef name, Type type) {
    auto t = cast<RankedTensorType>(type);
    return b.getDictionaryAttr(
        {b.getNamedAttr("name", b.getStringAttr(name)),
         b.getNamedAttr("dtype", b.getI32IntegerAttr(dtypeCodeOf(t.getElementType()))),
         b.getNamedAttr("shape", b.getDenseI64ArrayAttr(t.getShape()))});
  };
  SmallVector<Attribute> inAttrs, outAttrs;
  for (auto [name, type] : llvm::zip(argNames, argTypes))
    inAttrs.push_back(describe(name, type));
  for (auto [out, type] : llvm::zip(graph.output(), outTypes))
    outAttrs.push_back(describe(out.name(), type));
  (*module)->setAttr("qcc.inputs", b.getArrayAttr(inAttrs));
  (*module)->setAttr("qcc.outputs", b.getArrayAttr(outAttrs));

  // Verifier errors at this point are importer bugs or inconsistent models;
  // capture them instead of printing to stderr.
  std::string diag;
  {
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
      llvm::raw_string_ostream os(diag);
      os << d.getLocation() << ": " << d.str() << "\n";
      return success();
    });
    if (failed(verify(*module)))
      return fail("imported graph is invalid:\n" + diag);
  }
  return std::move(module);
}

} // namespace qcc::onnx_import

using namespace qcc::onnx_import;

Expected<OwningOpRef<ModuleOp>>
qcc::importONNXFile(StringRef path, MLIRContext &ctx,
                    const ImportOptions &options) {
  auto model = loadModelFile(path, options);
  if (!model)
    return model.takeError();
  return GraphImporter(*model->proto, path, ctx, options, &model->external)
      .run();
}

Expected<OwningOpRef<ModuleOp>>
qcc::importONNXText(StringRef text, StringRef displayName, MLIRContext &ctx,
                    const ImportOptions &options) {
  auto model = parseModelText(text, displayName, options);
  if (!model)
    return model.takeError();
  return GraphImporter(**model, displayName, ctx, options).run();
}

Error qcc::parseBoundInputs(ArrayRef<std::string> specs,
                            StringMap<std::string> &out) {
  for (StringRef spec : specs) {
    auto [name, path] = spec.split('=');
    if (name.empty() || path.empty())
      return createStringError(inconvertibleErrorCode(),
                               "--bind-input expects NAME=FILE, got '" + spec +
                                   "'");
    out[name] = path.str();
  }
  return Error::success();
}

Error qcc::parseInputShapes(ArrayRef<std::string> specs,
                            StringMap<std::vector<int64_t>> &out) {
  for (const std::string &spec : specs) {
    SmallVector<StringRef> items;
    StringRef(spec).split(items, ',', -1, false);
    for (StringRef item : items) {
      auto [name, dims] = item.rsplit('=');
      if (name.empty() || dims.data() == nullptr || item.find('=') == StringRef::npos)
        return createStringError(inconvertibleErrorCode(),
                                 "--input-shape expects NAME=DxDx..., got '" +
                                     item + "'");
      std::vector<int64_t> shape;
      SmallVector<StringRef> parts;
      dims.split(parts, 'x', -1, true);
      if (dims.empty())
        parts.clear(); // "x=" is a scalar
      for (StringRef p : parts) {
        int64_t d;
        if (p.getAsInteger(10, d) || d < 0)
          return createStringError(inconvertibleErrorCode(),
                                   "--input-shape: bad dim '" + p + "' in '" +
                                       item + "'");
        shape.push_back(d);
      }
      out[name] = std::move(shape);
    }
  }
  return Error::success();
}
