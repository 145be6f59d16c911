//===- ExportQDQ.cpp - qcc's quantization as standard QDQ ONNX ------------===//
//
// The export edits the original ModelProto rather than translating qcc's
// graph back: everything qcc did not quantize stays exactly as the user
// wrote it, and only the quantized layers gain Q/DQ nodes and initializers
// (what ONNX Runtime's quantize_static produces).
//
//===----------------------------------------------------------------------===//
#include "qcc/Export/ONNX/ExportQDQ.h"
#include "ModelLoader.h"

#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Dialect/Qcc/Transforms/QuantRanges.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace llvm;
using namespace qcc;

namespace {

Error fail(StringRef path, const Twine &msg) {
  return createStringError(inconvertibleErrorCode(),
                           path + ": --emit=onnx: " + msg);
}

/// A per-tensor activation quantization.
struct ActQuant {
  float scale;
  uint8_t zeroPoint; ///< the byte: uint8, or int8's two's complement
  bool isSigned;
};

/// What qcc did to one layer.
struct LayerQuant {
  std::optional<ActQuant> input, output;
  ElementsAttr weight, weightScale; ///< int8 values, f32 per channel
  int64_t axis = 0;
  ElementsAttr bias; ///< the f32 bias qcc uses (Conv)
  bool biasAdd = false;   ///< a MatMul whose output is observed after + bias
};

std::string nameOf(Location loc) {
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().str();
  return "";
}

/// (s, z) of `v = DQ(Q(x, s, z), s, z)` with scalar constants.
std::optional<ActQuant> actQuantOf(Value v) {
  auto dq = v.getDefiningOp<DequantizeLinearOp>();
  if (!dq || !dq.getZeroPoint() ||
      !dq.getInput().getDefiningOp<QuantizeLinearOp>())
    return std::nullopt;
  DenseElementsAttr s, z;
  if (!matchPattern(dq.getScale(), m_Constant(&s)) ||
      !matchPattern(dq.getZeroPoint(), m_Constant(&z)) ||
      s.getNumElements() != 1 || z.getNumElements() != 1 ||
      !z.getElementType().isInteger(8))
    return std::nullopt;
  return ActQuant{*s.getValues<float>().begin(),
                  (uint8_t)(*z.getValues<APInt>().begin()).getZExtValue(),
                  !z.getElementType().isUnsignedInteger(8)};
}

/// The DQ(Q(.)) user of `v`, when its output was quantized.
std::optional<ActQuant> outputQuantOf(Value v) {
  for (Operation *user : v.getUsers())
    if (isa<QuantizeLinearOp>(user))
      for (Operation *qUser : user->getUsers())
        if (auto q = actQuantOf(qUser->getResult(0)))
          return q;
  return std::nullopt;
}

onnx::TensorProto makeTensor(const std::string &name, int32_t dtype,
                             ArrayRef<int64_t> dims, const void *data,
                             size_t bytes) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(dtype);
  for (int64_t d : dims)
    t.add_dims(d);
  t.set_raw_data(data, bytes);
  return t;
}

onnx::NodeProto makeNode(const std::string &op, const std::string &name,
                         ArrayRef<std::string> inputs,
                         ArrayRef<std::string> outputs) {
  onnx::NodeProto n;
  n.set_op_type(op);
  n.set_name(name);
  for (const std::string &i : inputs)
    n.add_input(i);
  for (const std::string &o : outputs)
    n.add_output(o);
  return n;
}

} // namespace

Error qcc::exportQDQ(StringRef modelPath, const ImportOptions &options,
                     ModuleOp quantized, StringRef outputPath) {
  auto loaded = onnx_import::loadModelFile(modelPath, options);
  if (!loaded)
    return loaded.takeError();
  // The written model holds every tensor itself.
  if (Error e = onnx_import::inlineExternalData(*loaded))
    return e;
  onnx::ModelProto &model = *loaded->proto;
  int64_t opset = 0;
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      opset = imp.version();
  if (opset < 13)
    return fail(modelPath, "the model uses opset " + Twine(opset) +
                               "; per-channel DequantizeLinear needs 13");

  // What qcc decided, by node name.
  llvm::StringMap<LayerQuant> layers;
  llvm::StringSet<> keptNorms;
  quantized.walk([&](Operation *op) {
    if (isa<BatchNormOp>(op))
      keptNorms.insert(nameOf(op->getLoc()));
    if (!isa<ConvOp, MatMulOp>(op))
      return;
    auto wdq = op->getOperand(1).getDefiningOp<DequantizeLinearOp>();
    LayerQuant lq;
    if (!wdq || wdq.getZeroPoint() || wdq.getBlockSize() ||
        !(lq.weight = matchWeight(wdq.getInput())) ||
        !(lq.weightScale = matchWeight(wdq.getScale())) ||
        !lq.weight.getElementType().isSignlessInteger(8))
      return;
    lq.axis = wdq.getAxis();
    lq.input = actQuantOf(op->getOperand(0));
    if (op->getNumOperands() > 2 && op->getOperand(2))
      lq.bias = matchWeight(op->getOperand(2));
    // Where calibration observed the output: after a MatMul's bias Add and
    // a Relu that are its only users.
    Value y = op->getResult(0);
    if (isa<MatMulOp>(op) && y.hasOneUse() &&
        isa<AddOp>(*y.getUsers().begin())) {
      Value added = (*y.getUsers().begin())->getResult(0);
      if (observedOutput(op) == added || outputQuantOf(added)) {
        y = added;
        lq.biasAdd = true;
      }
    }
    if (y.hasOneUse())
      if (auto relu = dyn_cast<ReluOp>(*y.getUsers().begin()))
        y = relu.getResult();
    lq.output = outputQuantOf(y);
    layers[nameOf(op->getLoc())] = lq;
  });
  if (layers.empty())
    return fail(modelPath, "nothing was quantized to export (--emit=onnx "
                           "writes the int8 layers of --quant=int8)");

  onnx::GraphProto *graph = model.mutable_graph();
  auto nodeName = [&](int index) {
    const onnx::NodeProto &n = graph->node(index);
    return n.name().empty() ? n.op_type() + "_" + std::to_string(index)
                            : n.name();
  };
  llvm::StringMap<SmallVector<int>> consumers;
  for (int i = 0; i < graph->node_size(); ++i)
    for (const std::string &in : graph->node(i).input())
      if (!in.empty())
        consumers[in].push_back(i);
  llvm::StringSet<> graphOutputs;
  for (const auto &o : graph->output())
    graphOutputs.insert(o.name());

  std::vector<onnx::TensorProto> newInits;
  std::vector<bool> removed(graph->node_size(), false);
  // Tensors whose every reader sees the Q/DQ'd value, and the node after
  // which their Q/DQ goes.
  llvm::StringMap<ActQuant> outputQDQ;
  std::map<int, std::vector<std::string>> qdqAfter;
  // Per-layer inputs read through their own Q/DQ.
  std::map<int, std::pair<std::string, ActQuant>> inputQDQ;
  std::map<int, onnx::NodeProto> weightDQ;
  unsigned exported = 0;

  for (int i = 0; i < graph->node_size(); ++i) {
    onnx::NodeProto *node = graph->mutable_node(i);
    if (node->op_type() != "Conv" && node->op_type() != "MatMul" &&
        node->op_type() != "Gemm")
      continue;
    std::string name = nodeName(i);
    auto it = layers.find(name);
    if (it == layers.end())
      continue;
    const LayerQuant &lq = it->second;
    ++exported;
    // Weight: int8 initializer, per-channel scales and zero points, DQ.
    auto wType = lq.weight.getShapedType();
    std::vector<int8_t> wq;
    for (int64_t v : weightInts(lq.weight))
      wq.push_back((int8_t)v);
    std::vector<float> scales = weightFloats(lq.weightScale);
    SmallVector<int8_t> zeros(scales.size(), 0);
    std::string w = name + "_weight_quantized", ws = name + "_weight_scale",
                wz = name + "_weight_zero_point", wd = name + "_weight_dq";
    newInits.push_back(makeTensor(w, onnx::TensorProto::INT8, wType.getShape(),
                                  wq.data(), wq.size()));
    // Per channel: 1-D scales along `axis`; per tensor: scalars.
    bool perTensor = lq.weightScale.getShapedType().getRank() == 0;
    SmallVector<int64_t> paramDims;
    if (!perTensor)
      paramDims.push_back((int64_t)scales.size());
    newInits.push_back(makeTensor(ws, onnx::TensorProto::FLOAT, paramDims,
                                  scales.data(), scales.size() * 4));
    newInits.push_back(makeTensor(wz, onnx::TensorProto::INT8, paramDims,
                                  zeros.data(), zeros.size()));
    onnx::NodeProto dq =
        makeNode("DequantizeLinear", name + "_weight_DequantizeLinear",
                 {w, ws, wz}, {wd});
    if (!perTensor) {
      auto *axis = dq.add_attribute();
      axis->set_name("axis");
      axis->set_type(onnx::AttributeProto::INT);
      axis->set_i(lq.axis);
    }
    weightDQ[i] = dq;
    node->set_input(1, wd);
    // qcc ran a Gemm as MatMul + bias with its weight laid out K x N.
    if (node->op_type() == "Gemm")
      for (auto &attr : *node->mutable_attribute())
        if (attr.name() == "transB")
          attr.set_i(0);
    if (lq.bias && node->op_type() == "Conv") {
      std::vector<float> b = weightFloats(lq.bias);
      std::string bn = name + "_bias";
      newInits.push_back(makeTensor(bn, onnx::TensorProto::FLOAT,
                                    {(int64_t)b.size()}, b.data(),
                                    b.size() * 4));
      if (node->input_size() < 3)
        node->add_input(bn);
      else
        node->set_input(2, bn);
    }
    // BatchNormalization qcc folded into this Conv leaves the graph.
    std::string out = node->output(0);
    auto &outUsers = consumers[out];
    if (node->op_type() == "Conv" && outUsers.size() == 1 &&
        !graphOutputs.contains(out)) {
      const onnx::NodeProto &next = graph->node(outUsers[0]);
      if (next.op_type() == "BatchNormalization" &&
          !keptNorms.contains(nodeName(outUsers[0]))) {
        removed[outUsers[0]] = true;
        node->set_output(0, next.output(0));
        out = next.output(0);
      }
    }
    // Input: its own Q/DQ unless an earlier layer's output Q/DQ covers it.
    if (lq.input && !outputQDQ.count(node->input(0)))
      inputQDQ[i] = {node->input(0), *lq.input};
    // Output (after a bias Add and a Relu that are its only consumers):
    // every reader.
    if (lq.output) {
      int after = i;
      auto &addUsers = consumers[out];
      if (lq.biasAdd && node->op_type() == "MatMul" && addUsers.size() == 1 &&
          graph->node(addUsers[0]).op_type() == "Add" &&
          !graphOutputs.contains(out)) {
        after = addUsers[0];
        out = graph->node(addUsers[0]).output(0);
      }
      auto &users = consumers[out];
      if (users.size() == 1 && graph->node(users[0]).op_type() == "Relu" &&
          !graphOutputs.contains(out)) {
        after = users[0];
        out = graph->node(users[0]).output(0);
      }
      outputQDQ[out] = *lq.output;
      qdqAfter[after].push_back(out);
    }
  }
  if (!exported)
    return fail(modelPath, "no quantized layer matched a node of the model");

  // Rebuild the node list in order with the new nodes in place.
  auto scalarInits = [&](const std::string &base, const ActQuant &q) {
    newInits.push_back(
        makeTensor(base + "_scale", onnx::TensorProto::FLOAT, {}, &q.scale, 4));
    newInits.push_back(makeTensor(base + "_zero_point",
                                  q.isSigned ? onnx::TensorProto::INT8
                                             : onnx::TensorProto::UINT8,
                                  {}, &q.zeroPoint, 1));
  };
  google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
  llvm::StringMap<std::string> inputDQ; // tensor -> its Q/DQ'd name
  for (int i = 0; i < graph->node_size(); ++i) {
    if (removed[i])
      continue;
    onnx::NodeProto node = graph->node(i);
    if (auto it = weightDQ.find(i); it != weightDQ.end())
      *nodes.Add() = it->second;
    if (auto it = inputQDQ.find(i); it != inputQDQ.end()) {
      const std::string &t = it->second.first;
      std::string &dqName = inputDQ[t];
      if (dqName.empty()) {
        dqName = t + "_dq";
        scalarInits(t, it->second.second);
        *nodes.Add() =
            makeNode("QuantizeLinear", t + "_QuantizeLinear",
                     {t, t + "_scale", t + "_zero_point"}, {t + "_quantized"});
        *nodes.Add() = makeNode(
            "DequantizeLinear", t + "_DequantizeLinear",
            {t + "_quantized", t + "_scale", t + "_zero_point"}, {dqName});
      }
      node.set_input(0, dqName);
    }
    auto after = qdqAfter.find(i);
    if (after != qdqAfter.end())
      for (int o = 0; o < node.output_size(); ++o)
        if (llvm::is_contained(after->second, node.output(o)))
          node.set_output(o, node.output(o) + "_float");
    *nodes.Add() = node;
    if (after == qdqAfter.end())
      continue;
    for (const std::string &t : after->second) {
      scalarInits(t, outputQDQ[t]);
      *nodes.Add() = makeNode("QuantizeLinear", t + "_QuantizeLinear",
                              {t + "_float", t + "_scale", t + "_zero_point"},
                              {t + "_quantized"});
      *nodes.Add() =
          makeNode("DequantizeLinear", t + "_DequantizeLinear",
                   {t + "_quantized", t + "_scale", t + "_zero_point"}, {t});
    }
  }
  graph->mutable_node()->Swap(&nodes);
  for (onnx::TensorProto &t : newInits)
    *graph->add_initializer() = std::move(t);

  // Drop initializers nothing reads any more (the float weights).
  llvm::StringSet<> used;
  for (const auto &n : graph->node())
    for (const std::string &in : n.input())
      used.insert(in);
  for (const auto &o : graph->output())
    used.insert(o.name());
  google::protobuf::RepeatedPtrField<onnx::TensorProto> kept;
  for (auto &t : *graph->mutable_initializer())
    if (used.contains(t.name()))
      *kept.Add() = std::move(t);
  graph->mutable_initializer()->Swap(&kept);
  model.set_producer_name("qcc");

  std::string bytes;
  if (!model.SerializeToString(&bytes))
    return fail(modelPath, "serializing the model failed");
  SmallString<256> temp;
  int fd;
  if (std::error_code ec =
          sys::fs::createUniqueFile(outputPath + ".tmp-%%%%%%", fd, temp))
    return fail(modelPath,
                "cannot write '" + outputPath + "': " + ec.message());
  {
    raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << bytes;
    os.close();
    if (os.has_error()) {
      sys::fs::remove(temp);
      return fail(modelPath, "cannot write '" + outputPath + "'");
    }
  }
  if (std::error_code ec = sys::fs::rename(temp, outputPath)) {
    sys::fs::remove(temp);
    return fail(modelPath,
                "cannot write '" + outputPath + "': " + ec.message());
  }
  return Error::success();
}
