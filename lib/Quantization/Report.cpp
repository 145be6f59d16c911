//===- Report.cpp - what quantization did, layer by layer -----------------===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Quantization/Report.h"
#include "CalibrationSet.h"
#include "ProbeModel.h"

#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantRanges.h"
#include "qcc/Quantization/Overrides.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Process.h"

#include <cmath>

using namespace mlir;
using namespace llvm;
using namespace qcc;

static constexpr StringLiteral kLayer = "qcc.layer";
static constexpr StringLiteral kLayerOutput = "qcc.layer_output";

static Error fail(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), "report: " + msg);
}

/// ONNX op type of a layer, for the table: what the model calls it (a Gemm
/// qcc runs as MatMul + bias stays a Gemm).
static StringRef onnxOpName(Operation *op) {
  if (auto original = op->getAttrOfType<StringAttr>("qcc.onnx_op"))
    return original.getValue();
  return layerOpType(op);
}

/// Tags every layer with a unique name: its node's name, else Op_index.
static void tagLayers(ModuleOp module) {
  llvm::StringSet<> used;
  unsigned index = 0;
  module.walk([&](Operation *op) {
    if (layerOpType(op).empty())
      return;
    std::string name = layerNodeName(op);
    if (name.empty())
      name = (onnxOpName(op) + "_" + Twine(index)).str();
    std::string unique = name;
    for (unsigned k = 1; used.contains(unique); ++k)
      unique = name + "#" + std::to_string(k);
    used.insert(unique);
    op->setAttr(kLayer, StringAttr::get(op->getContext(), unique));
    ++index;
  });
}

/// A layer's output as the next layer sees it: after a Relu that is its
/// only user, and (in a fake-quantized graph) after quantize/dequantize.
static Value layerOutput(Operation *op) {
  // Where calibration observes it (after a bias Add and a Relu).
  Value v = observedOutput(op);
  for (Operation *user : v.getUsers())
    if (auto q = dyn_cast<QuantizeLinearOp>(user))
      for (Operation *qUser : q->getUsers())
        if (auto dq = dyn_cast<DequantizeLinearOp>(qUser))
          return dq.getResult();
  return v;
}

static uint64_t constantBytes(Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  unsigned bits = type.getElementType().getIntOrFloatBitWidth();
  // Sub-byte values are packed; zero points of 2/4-bit weights are not.
  return (type.getNumElements() * bits + 7) / 8;
}

static std::string intTypeName(Type t) {
  auto i = cast<IntegerType>(t);
  return (Twine(i.isUnsigned() ? "uint" : "int") + Twine(i.getWidth())).str();
}

/// Describes the weight operand `w` of a quantized layer.
static void describeWeight(Value w, LayerReport &layer, unsigned weightBits) {
  Operation *def = w.getDefiningOp();
  if (auto dq = dyn_cast_or_null<DequantizeLinearOp>(def)) {
    auto qType = cast<RankedTensorType>(dq.getInput().getType());
    auto scaleType = cast<RankedTensorType>(dq.getScale().getType());
    unsigned width = qType.getElementType().getIntOrFloatBitWidth();
    layer.bits = weightBits && weightBits < width ? weightBits : width;
    std::string grain = dq.getBlockSize() > 0
                            ? "g" + std::to_string(dq.getBlockSize())
                        : scaleType.getNumElements() > 1 ? "per-channel"
                                                         : "per-tensor";
    bool asym = dq.getZeroPoint() && isa<IntegerType>(qType.getElementType()) &&
                cast<IntegerType>(qType.getElementType()).isUnsigned();
    layer.weights = (Twine(asym ? "uint" : "int") + Twine(layer.bits) + " " +
                     (asym ? "asym " : "sym ") + grain)
                        .str();
    layer.bytesAfter =
        (qType.getNumElements() * width + 7) / 8 +
        constantBytes(dq.getScale()) +
        (dq.getZeroPoint() ? cast<RankedTensorType>(dq.getZeroPoint().getType())
                                 .getNumElements()
                           : 0);
    return;
  }
  if (auto widen = dyn_cast_or_null<CastOp>(def)) {
    Type from = getElementTypeOrSelf(widen.getInput().getType());
    layer.bits = from.getIntOrFloatBitWidth();
    layer.weights = from.isF16() ? "float16" : "float32";
    layer.bytesAfter = constantBytes(widen.getInput());
    return;
  }
  auto type = cast<RankedTensorType>(w.getType());
  Type elem = type.getElementType();
  layer.bits = elem.getIntOrFloatBitWidth();
  if (isa<IntegerType>(elem)) {
    // Dynamic mode's int8 weight with one float32 scale per column.
    layer.weights = intTypeName(elem) + " sym per-channel";
    layer.bytesAfter = constantBytes(w) + 4 * type.getShape().back();
  } else {
    layer.weights = "float32";
    layer.bytesAfter = constantBytes(w);
  }
}

static std::string describeActivation(Operation *op) {
  if (isa<MatMulIntegerOp>(op))
    return "uint8 dynamic";
  Operation *def = op->getOperand(0).getDefiningOp();
  if (auto dq = dyn_cast_or_null<DequantizeLinearOp>(def))
    return intTypeName(getElementTypeOrSelf(dq.getInput().getType())) +
           " per-tensor";
  return "float32";
}

ReportBuilder::~ReportBuilder() = default;

Error ReportBuilder::analyze(ModuleOp module, const PipelineOptions &pipeline) {
  result.model = options.model;
  result.mode = options.mode;
  result.dataPath = options.dataPath;
  MLIRContext *ctx = module.getContext();

  // Float: the graph as calibrated, BatchNorm folded as quantization does.
  OwningOpRef<ModuleOp> floatModule = module.clone();
  // Fake-quantized: the quantize pipeline without Q/DQ fusion.
  OwningOpRef<ModuleOp> quantModule = module.clone();
  // int8 calibrated an already folded graph, whose ranges must reach
  // quantization untouched.
  for (ModuleOp m : {*floatModule, *quantModule}) {
    if (pipeline.quant == QuantMode::Int8 && m == *quantModule)
      continue;
    PassManager pm(ctx);
    pm.addPass(createCanonicalizerPass());
    pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
    pm.addPass(createCanonicalizerPass());
    if (failed(pm.run(m)))
      return fail("preparing the float model failed");
  }
  tagLayers(*floatModule);
  tagLayers(*quantModule);
  if (failed(fakeQuantize(*quantModule, pipeline)))
    return fail("quantizing a copy of the model failed");

  // Layers in graph order, with what quantization made of them.
  SmallVector<Value> floatOutputs, quantOutputs;
  SmallVector<bool> measured;
  StringMap<Operation *> quantLayers, quantLayerOutputs;
  quantModule->walk([&](Operation *op) {
    if (auto tag = op->getAttrOfType<StringAttr>(kLayer))
      quantLayers[tag.getValue()] = op;
    if (auto tag = op->getAttrOfType<StringAttr>(kLayerOutput))
      quantLayerOutputs[tag.getValue()] = op;
  });
  unsigned weightBits =
      pipeline.quant == QuantMode::WeightOnly ? pipeline.weightBits : 0;
  floatModule->walk([&](Operation *op) {
    auto tag = op->getAttrOfType<StringAttr>(kLayer);
    if (!tag)
      return;
    LayerReport layer;
    layer.name = tag.getValue().str();
    layer.op = onnxOpName(op).str();
    Value w = op->getOperand(1);
    if (matchWeight(w))
      layer.bytesBefore = constantBytes(w);
    Operation *q = quantLayers.lookup(layer.name);
    if (!q || !layer.bytesBefore) {
      // A layer over two activations (attention) or one quantization
      // removed: nothing stored to report.
      layer.weights = layer.bytesBefore ? "float32" : "(activation)";
      layer.activations = "float32";
      layer.bytesAfter = layer.bytesBefore;
    } else {
      unsigned bits =
          weightBits
              ? (unsigned)overrideInt(q, "qcc.weight_bits").value_or(weightBits)
              : 0;
      describeWeight(q->getOperand(1), layer, bits);
      layer.activations = describeActivation(q);
    }
    result.layers.push_back(layer);
    Operation *outOp = quantLayerOutputs.lookup(layer.name);
    Value qOut = outOp ? layerOutput(outOp) : q ? layerOutput(q) : Value();
    floatOutputs.push_back(layerOutput(op));
    quantOutputs.push_back(qOut ? qOut : Value());
    measured.push_back((bool)qOut);
  });
  if (options.dataPath.empty())
    return Error::success();

  // Measure on the samples.
  auto signature = readSignature(*floatModule);
  if (!signature)
    return signature.takeError();
  // Read once: the compiled model runs on the same samples in evaluate.
  auto samples = CalibrationSet::open(options.dataPath, signature->inputs,
                                      options.maxSamples);
  if (!samples)
    return samples.takeError();
  auto loaded = samples->loadAll();
  if (!loaded)
    return loaded.takeError();
  sampleInputs = std::move(*loaded);
  size_t count = sampleInputs.size();
  SmallVector<Value> quantProbes;
  for (Value v : quantOutputs)
    if (v)
      quantProbes.push_back(v);
  auto floatProbe = ProbeModel::compile(*floatModule, floatOutputs);
  if (!floatProbe)
    return floatProbe.takeError();
  auto quantProbe = ProbeModel::compile(*quantModule, quantProbes);
  if (!quantProbe)
    return quantProbe.takeError();

  size_t layers = result.layers.size();
  std::vector<double> signal(layers, 0), noise(layers, 0);
  bool tty = options.progress && sys::Process::StandardErrIsDisplayed();
  size_t fBase = (*floatProbe)->numGraphOutputs();
  size_t qBase = (*quantProbe)->numGraphOutputs();
  for (size_t s = 0; s < count; ++s) {
    const std::vector<runtime::Tensor> &inputs = sampleInputs[s];
    if (Error e = (*floatProbe)->run(inputs))
      return e;
    if (Error e = (*quantProbe)->run(inputs))
      return e;
    std::vector<std::vector<double>> outs;
    for (size_t o = 0; o < fBase; ++o)
      outs.push_back((*floatProbe)->output(o));
    reference.push_back(std::move(outs));
    for (size_t l = 0, qi = 0; l < layers; ++l) {
      if (!measured[l])
        continue;
      const float *ref = (*floatProbe)->floatOutput(fBase + l);
      const float *got = (*quantProbe)->floatOutput(qBase + qi);
      size_t n = (*floatProbe)->numElements(fBase + l);
      for (size_t k = 0; k < n; ++k) {
        double d = (double)got[k] - ref[k];
        signal[l] += (double)ref[k] * ref[k];
        noise[l] += d * d;
      }
      ++qi;
    }
    if (tty)
      errs() << "\rmeasuring layers: sample " << (s + 1) << "/" << count;
  }
  if (tty)
    errs() << "\n";
  result.samples = count;
  for (size_t l = 0; l < layers; ++l)
    if (measured[l])
      result.layers[l].sqnr =
          noise[l] > 0 ? 10 * std::log10(signal[l] / noise[l]) : INFINITY;
  return Error::success();
}

Error ReportBuilder::evaluate(ModuleOp lowered,
                              const ModelSignature &signature) {
  if (sampleInputs.empty())
    return Error::success();
  auto model = ProbeModel::fromLowered(lowered, signature);
  if (!model)
    return model.takeError();
  size_t outputs = signature.outputs.size();
  std::vector<double> signal(outputs), noise(outputs), dot(outputs),
      refNorm(outputs), gotNorm(outputs), maxAbs(outputs);
  std::vector<uint64_t> agree(outputs), rows(outputs);
  for (size_t s = 0; s < sampleInputs.size(); ++s) {
    if (Error e = (*model)->run(sampleInputs[s]))
      return e;
    for (size_t o = 0; o < outputs; ++o) {
      std::vector<double> got = (*model)->output(o);
      const std::vector<double> &ref = reference[s][o];
      for (size_t k = 0; k < got.size(); ++k) {
        double d = got[k] - ref[k];
        signal[o] += ref[k] * ref[k];
        noise[o] += d * d;
        dot[o] += got[k] * ref[k];
        refNorm[o] += ref[k] * ref[k];
        gotNorm[o] += got[k] * got[k];
        maxAbs[o] = std::max(maxAbs[o], std::fabs(d));
      }
      const auto &shape = signature.outputs[o].shape;
      int64_t last = shape.empty() ? 1 : shape.back();
      if (last <= 1)
        continue;
      for (size_t r = 0; r + last <= got.size(); r += last) {
        auto argmax = [&](const std::vector<double> &v) {
          return std::max_element(v.begin() + r, v.begin() + r + last) -
                 v.begin();
        };
        agree[o] += argmax(got) == argmax(ref);
        ++rows[o];
      }
    }
  }
  for (size_t o = 0; o < outputs; ++o) {
    OutputMetrics m;
    m.name = signature.outputs[o].name;
    m.sqnr = noise[o] > 0 ? 10 * std::log10(signal[o] / noise[o]) : INFINITY;
    m.cosine = refNorm[o] > 0 && gotNorm[o] > 0
                   ? dot[o] / std::sqrt(refNorm[o] * gotNorm[o])
                   : (refNorm[o] == gotNorm[o] ? 1.0 : 0.0);
    m.maxAbsError = maxAbs[o];
    if (rows[o])
      m.top1 = (double)agree[o] / rows[o];
    result.outputs.push_back(m);
  }
  return Error::success();
}

/// JSON has no infinity: an exact match is reported as null.
static json::Value finiteOrNull(double v) {
  return std::isfinite(v) ? json::Value(v) : json::Value(nullptr);
}

json::Value QuantReport::toJSON() const {
  json::Array layerArray;
  uint64_t before = 0, after = 0;
  unsigned quantized = 0;
  for (const LayerReport &l : layers) {
    json::Object o{{"name", l.name},
                   {"op", l.op},
                   {"weights", l.weights},
                   {"activations", l.activations},
                   {"bits", (int64_t)l.bits},
                   {"bytes_before", (int64_t)l.bytesBefore},
                   {"bytes_after", (int64_t)l.bytesAfter}};
    if (l.sqnr)
      o["sqnr_db"] = finiteOrNull(*l.sqnr);
    layerArray.push_back(std::move(o));
    before += l.bytesBefore;
    after += l.bytesAfter;
    quantized += l.weights != "float32" && l.weights != "(activation)";
  }
  json::Array outputArray;
  for (const OutputMetrics &m : outputs) {
    json::Object o{{"name", m.name},
                   {"sqnr_db", finiteOrNull(m.sqnr)},
                   {"cosine", m.cosine},
                   {"max_abs_error", m.maxAbsError}};
    if (m.top1)
      o["top1_agreement"] = *m.top1;
    outputArray.push_back(std::move(o));
  }
  json::Array ranges;
  for (const ObservedRange &r : calibration)
    ranges.push_back(json::Object{{"tensor", r.tensor},
                                  {"min", r.min},
                                  {"max", r.max},
                                  {"range", json::Array{r.lo, r.hi}},
                                  {"non_finite", (int64_t)r.nonFinite}});
  json::Object root{
      {"model", model},
      {"mode", mode},
      {"layers", std::move(layerArray)},
      {"totals", json::Object{{"layers", (int64_t)layers.size()},
                              {"layers_quantized", (int64_t)quantized},
                              {"weight_bytes_before", (int64_t)before},
                              {"weight_bytes_after", (int64_t)after}}}};
  if (!dataPath.empty())
    root["evaluation"] = json::Object{{"data", dataPath},
                                      {"samples", (int64_t)samples},
                                      {"outputs", std::move(outputArray)}};
  if (!calibMethod.empty())
    root["calibration"] =
        json::Object{{"method", calibMethod}, {"ranges", std::move(ranges)}};
  return root;
}

static std::string formatBytes(uint64_t bytes) {
  if (bytes >= 10 * 1024 * 1024)
    return (Twine(bytes / (1024 * 1024)) + " MiB").str();
  if (bytes >= 10 * 1024)
    return (Twine(bytes / 1024) + " KiB").str();
  return (Twine(bytes) + " B").str();
}

static std::string formatDB(std::optional<double> v) {
  if (!v)
    return "-";
  if (!std::isfinite(*v))
    return "exact";
  std::string s;
  raw_string_ostream(s) << format("%.1f", *v);
  return s;
}

void QuantReport::printTable(raw_ostream &os) const {
  size_t nameWidth = 5;
  for (const LayerReport &l : layers)
    nameWidth = std::max(nameWidth, std::min<size_t>(l.name.size(), 40));
  os << "quantization report: " << model << " (" << mode << ")";
  if (!dataPath.empty())
    os << ", measured on " << samples << " samples of " << dataPath;
  os << "\n";
  auto row = [&](StringRef a, StringRef b, StringRef c, StringRef d,
                 StringRef e, StringRef f) {
    os << "  " << left_justify(a.take_back(40), nameWidth) << "  "
       << left_justify(b, 13) << "  " << left_justify(c, 22) << "  "
       << left_justify(d, 18) << "  " << right_justify(e, 22) << "  "
       << right_justify(f, 8) << "\n";
  };
  row("layer", "op", "weights", "activations", "bytes", "SQNR dB");
  uint64_t before = 0, after = 0;
  for (const LayerReport &l : layers) {
    std::string bytes =
        formatBytes(l.bytesBefore) + " -> " + formatBytes(l.bytesAfter);
    row(l.name, l.op, l.weights, l.activations, bytes, formatDB(l.sqnr));
    before += l.bytesBefore;
    after += l.bytesAfter;
  }
  os << "  weights: " << formatBytes(before) << " -> " << formatBytes(after);
  if (before)
    os << format(" (%.1f%%)", 100.0 * after / before);
  os << "\n";
  for (const OutputMetrics &m : outputs) {
    os << "  output '" << m.name << "': SQNR " << formatDB(m.sqnr)
       << " dB, cosine " << format("%.6f", m.cosine) << ", max abs error "
       << format("%.3g", m.maxAbsError);
    if (m.top1)
      os << format(", top-1 agreement %.1f%%", 100 * *m.top1);
    os << "\n";
  }
}
