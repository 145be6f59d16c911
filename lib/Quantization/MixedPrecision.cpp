//===- MixedPrecision.cpp - keep sensitive layers precise -----------------===//
#include "qcc/Quantization/MixedPrecision.h"
#include "CalibrationSet.h"
#include "ProbeModel.h"

#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Quantization/Overrides.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace llvm;
using namespace qcc;

/// Puts the layers named in `keep` at higher precision: 8-bit weights in the
/// weight-only modes below 8 bits, float otherwise.
static void markKept(ModuleOp module, const llvm::StringSet<> &keep,
                     const PipelineOptions &pipeline) {
  Builder b(module.getContext());
  module.walk([&](Operation *op) {
    if (layerOpType(op).empty() || !keep.contains(layerNodeName(op)))
      return;
    if (pipeline.quant == QuantMode::WeightOnly && pipeline.weightBits < 8)
      op->setAttr("qcc.weight_bits", b.getI64IntegerAttr(8));
    else
      op->setAttr("qcc.quant", b.getStringAttr("float"));
  });
}

namespace {
/// Runs models on the samples and compares their outputs with float's.
class Evaluator {
public:
  Evaluator(const PipelineOptions &pipeline, const AccuracyBudget &budget)
      : pipeline(pipeline), budget(budget) {}

  Error init(ModuleOp module) {
    auto signature = readSignature(module);
    if (!signature)
      return signature.takeError();
    // Read once: every measurement runs the whole set.
    auto samples = CalibrationSet::open(budget.dataPath, signature->inputs,
                                        budget.maxSamples);
    if (!samples)
      return samples.takeError();
    auto loaded = samples->loadAll();
    if (!loaded)
      return loaded.takeError();
    inputs = std::move(*loaded);
    auto reference = ProbeModel::compile(module, {}, /*quantizeFirst=*/true);
    if (!reference)
      return reference.takeError();
    for (const std::vector<runtime::Tensor> &sample : inputs) {
      if (Error e = (*reference)->run(sample))
        return e;
      std::vector<std::vector<double>> outs;
      for (size_t o = 0; o < (*reference)->numGraphOutputs(); ++o)
        outs.push_back((*reference)->output(o));
      floatOutputs.push_back(std::move(outs));
    }
    return Error::success();
  }

  /// A copy of `module` quantized with `keep` at higher precision.
  Expected<OwningOpRef<ModuleOp>> quantize(ModuleOp module,
                                           const llvm::StringSet<> &keep) {
    OwningOpRef<ModuleOp> copy = module.clone();
    markKept(*copy, keep, pipeline);
    if (failed(fakeQuantize(*copy, pipeline)))
      return createStringError(inconvertibleErrorCode(),
                               "quantizing a copy of the model failed");
    return std::move(copy);
  }

  /// The outputs' SQNR (dB) against float with `keep` at higher precision.
  Expected<double> measure(ModuleOp module, const llvm::StringSet<> &keep) {
    auto quantized = quantize(module, keep);
    if (!quantized)
      return quantized.takeError();
    auto model = ProbeModel::compile(**quantized, {});
    if (!model)
      return model.takeError();
    double signal = 0, noise = 0;
    for (size_t s = 0; s < inputs.size(); ++s) {
      if (Error e = (*model)->run(inputs[s]))
        return std::move(e);
      for (size_t o = 0; o < floatOutputs[s].size(); ++o) {
        std::vector<double> got = (*model)->output(o);
        const std::vector<double> &ref = floatOutputs[s][o];
        for (size_t k = 0; k < got.size(); ++k) {
          signal += ref[k] * ref[k];
          noise += (got[k] - ref[k]) * (got[k] - ref[k]);
        }
      }
    }
    ++measurements;
    return noise > 0 ? 10 * std::log10(signal / noise) : INFINITY;
  }

  unsigned measurements = 0;

private:
  const PipelineOptions &pipeline;
  const AccuracyBudget &budget;
  std::vector<std::vector<runtime::Tensor>> inputs;
  std::vector<std::vector<std::vector<double>>> floatOutputs;
};

/// The layers `pipeline` quantizes, by node name, in graph order: their
/// weight became a DequantizeLinear or a cast of a narrower constant, or an
/// integer product took their place (dynamic mode keeps the node's name on
/// it).
std::vector<std::string> quantizedLayers(ModuleOp quantized) {
  std::vector<std::string> names;
  llvm::StringSet<> seen;
  quantized.walk([&](Operation *op) {
    bool isQuantized = false;
    if (isa<MatMulIntegerOp, ConvIntegerOp>(op)) {
      isQuantized = true;
    } else if (!layerOpType(op).empty() && op->getNumOperands() > 1) {
      Operation *w = op->getOperand(1).getDefiningOp();
      isQuantized = w && isa<DequantizeLinearOp, CastOp>(w);
    }
    std::string name = layerNodeName(op);
    if (isQuantized && !name.empty() && seen.insert(name).second)
      names.push_back(name);
  });
  return names;
}
} // namespace

Expected<MixedPrecisionResult>
qcc::applyAccuracyBudget(ModuleOp module, const PipelineOptions &pipeline,
                         const AccuracyBudget &budget) {
  Evaluator eval(pipeline, budget);
  if (Error e = eval.init(module))
    return std::move(e);
  MixedPrecisionResult result;
  auto full = eval.measure(module, {});
  if (!full)
    return full.takeError();
  result.fullSQNR = result.finalSQNR = *full;
  if (*full >= budget.minSQNR)
    return result;

  auto quantized = eval.quantize(module, {});
  if (!quantized)
    return quantized.takeError();
  std::vector<std::string> layers = quantizedLayers(**quantized);
  bool tty = budget.progress && sys::Process::StandardErrIsDisplayed();
  // Sensitivity: each layer alone quantized (all others kept).
  for (auto [i, name] : llvm::enumerate(layers)) {
    llvm::StringSet<> others;
    for (const std::string &n : layers)
      if (n != name)
        others.insert(n);
    auto sqnr = eval.measure(module, others);
    if (!sqnr)
      return sqnr.takeError();
    result.sensitivity.push_back({name, *sqnr});
    if (tty)
      errs() << "\raccuracy budget: layer sensitivity " << (i + 1) << "/"
             << layers.size();
  }
  if (tty)
    errs() << "\n";
  // Most sensitive (lowest SQNR) first; graph order breaks ties.
  std::vector<std::pair<std::string, double>> order;
  std::vector<size_t> index(result.sensitivity.size());
  for (size_t i = 0; i < index.size(); ++i)
    index[i] = i;
  llvm::sort(index, [&](size_t a, size_t b) {
    double sa = result.sensitivity[a].second, sb = result.sensitivity[b].second;
    return sa != sb ? sa < sb : a < b;
  });
  for (size_t i : index)
    order.push_back(result.sensitivity[i]);
  // The fewest most-sensitive layers meeting the budget, by bisection over
  // their count (keeping more layers precise only helps, up to noise).
  auto keepFirst = [&](size_t k) {
    llvm::StringSet<> keep;
    for (size_t i = 0; i < k; ++i)
      keep.insert(order[i].first);
    return keep;
  };
  size_t lo = 0, hi = order.size();
  double hiSQNR = INFINITY; // all kept: float or 8-bit everywhere
  if (pipeline.quant == QuantMode::WeightOnly && pipeline.weightBits < 8) {
    auto all = eval.measure(module, keepFirst(hi));
    if (!all)
      return all.takeError();
    hiSQNR = *all;
  }
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    auto sqnr = eval.measure(module, keepFirst(mid));
    if (!sqnr)
      return sqnr.takeError();
    if (*sqnr >= budget.minSQNR) {
      hi = mid;
      hiSQNR = *sqnr;
    } else {
      lo = mid;
    }
  }
  llvm::StringSet<> keep = keepFirst(hi);
  for (size_t i = 0; i < hi; ++i)
    result.kept.push_back(order[i].first);
  result.finalSQNR = hiSQNR;
  markKept(module, keep, pipeline);
  return result;
}
