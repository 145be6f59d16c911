//===- Calibration.cpp - activation ranges from a calibration set ---------===//
#include "qcc/Quantization/Calibration.h"
#include "CalibrationSet.h"
#include "ProbeModel.h"
#include "qcc/Dialect/Qcc/Transforms/QuantRanges.h"
#include "qcc/Pipelines/Pipelines.h"
#include "qcc/Quantization/Observers.h"
#include "qcc/Runtime/TensorIO.h"
#include "qcc/Runtime/qcc_model.h"
#include "qcc/Target/CPU/CPUTarget.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Process.h"

#include <cmath>
#include <cstdlib>

using namespace mlir;
using namespace llvm;

namespace qcc {

static Error fail(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), "calibration: " + msg);
}

/// The ONNX name of a `main` argument (from the `qcc.inputs` signature).
static std::string inputName(BlockArgument arg) {
  auto module = arg.getOwner()->getParentOp()->getParentOfType<ModuleOp>();
  auto inputs =
      module ? module->getAttrOfType<ArrayAttr>("qcc.inputs") : ArrayAttr();
  if (inputs && arg.getArgNumber() < inputs.size())
    if (auto dict = dyn_cast<DictionaryAttr>(inputs[arg.getArgNumber()]))
      if (auto name = dict.getAs<StringAttr>("name"))
        return "'" + name.getValue().str() + "'";
  return std::to_string(arg.getArgNumber());
}

/// "'conv1' (conv)" or "graph input 'x'": a tensor, for messages.
static std::string describe(Value v) {
  std::string name;
  llvm::raw_string_ostream os(name);
  Operation *op = v.getDefiningOp();
  Location loc = op ? op->getLoc() : Location(v.getLoc());
  if (auto named = dyn_cast<NameLoc>(loc))
    os << "'" << named.getName().getValue() << "'";
  else if (auto arg = dyn_cast<BlockArgument>(v))
    os << "graph input " << inputName(arg);
  else
    os << loc;
  if (op)
    os << " (" << op->getName().getStringRef().drop_front(4) << ")";
  return name;
}

Error calibrate(ModuleOp module, const CalibrationOptions &options,
                std::vector<ObservedRange> *stats) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main)
    return fail("the module has no 'main'");
  // What to observe: each layer's activation input and its output.
  SmallVector<Value> observed;
  main.walk([&](Operation *op) {
    if (options.integerOnly)
      for (Value v : integerOnlyObserved(op))
        if (!llvm::is_contained(observed, v))
          observed.push_back(v);
    if (!isQuantizableLayer(op))
      return;
    for (Value v : {op->getOperand(0), observedOutput(op)})
      if (!llvm::is_contained(observed, v))
        observed.push_back(v);
  });
  if (observed.empty())
    return Error::success();

  // Reading the set first: a bad one fails before the model is compiled.
  auto signature = readSignature(module);
  if (!signature)
    return signature.takeError();
  auto samples =
      CalibrationSet::open(options.dir, signature->inputs, options.maxSamples);
  if (!samples)
    return samples.takeError();
  size_t count = samples->size();

  // The float model, also returning the observed tensors.
  auto probe = ProbeModel::compile(module, observed, /*quantizeFirst=*/true);
  if (!probe)
    return fail(toString(probe.takeError()));
  size_t firstObserved = (*probe)->numGraphOutputs();

  std::vector<Observer> observers(observed.size(), Observer(options.observer));
  bool twoPasses = llvm::any_of(
      observers, [](const Observer &o) { return o.needsHistogram(); });
  bool tty = options.progress && sys::Process::StandardErrIsDisplayed();
  // Runs the model on every sample, handing each observer its tensor.
  auto runAll = [&](int pass) -> Error {
    for (size_t s = 0; s < count; ++s) {
      std::vector<runtime::Tensor> inputs;
      if (Error e = samples->load(s, inputs))
        return e;
      if (Error e = (*probe)->run(inputs))
        return fail("the float model failed on sample '" +
                    samples->sampleName(s) + "': " + toString(std::move(e)));
      for (size_t j = 0; j < observed.size(); ++j) {
        const float *data = (*probe)->floatOutput(firstObserved + j);
        size_t n = (*probe)->numElements(firstObserved + j);
        if (pass == 1)
          observers[j].observe(data, n);
        else
          observers[j].observeHistogram(data, n);
      }
      if (tty) {
        errs() << "\rcalibrating";
        if (twoPasses)
          errs() << " (pass " << pass << "/2, "
                 << calibMethodName(options.observer.method) << ")";
        errs() << ": sample " << (s + 1) << "/" << count;
      }
    }
    if (tty)
      errs() << "\n";
    return Error::success();
  };
  if (count == 0)
    return fail("'" + options.dir + "' holds no samples");
  if (Error e = runAll(1))
    return e;
  for (size_t j = 0; j < observed.size(); ++j)
    if (!observers[j].seenFinite())
      return fail("observed tensor " + Twine(j) + " (" + describe(observed[j]) +
                  ") had no finite value on any sample");
  if (twoPasses)
    if (Error e = runAll(2))
      return e;
  for (size_t j = 0; j < observed.size(); ++j) {
    if (uint64_t bad = observers[j].nonFiniteCount())
      errs() << "qcc: warning: calibration: " << bad
             << " non-finite values left out of the range of "
             << describe(observed[j]) << "\n";
    auto [lo, hi] = observers[j].range();
    setRange(observed[j], lo, hi);
    if (stats)
      stats->push_back({describe(observed[j]), observers[j].observedMin(),
                        observers[j].observedMax(), lo, hi,
                        observers[j].nonFiniteCount()});
  }
  return Error::success();
}

} // namespace qcc
