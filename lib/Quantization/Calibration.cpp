//===- Calibration.cpp - activation ranges from a calibration set ---------===//
#include "qcc/Quantization/Calibration.h"
#include "CalibrationSet.h"
#include "qcc/Quantization/Observers.h"
#include "qcc/Dialect/Qcc/Transforms/QuantRanges.h"
#include "qcc/Pipelines/Pipelines.h"
#include "qcc/Runtime/TensorIO.h"
#include "qcc/Runtime/qcc_model.h"
#include "qcc/Target/CPU/CPUTarget.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <cmath>
#include <cstdlib>
#include <dlfcn.h>

using namespace mlir;
using namespace llvm;

namespace qcc {

static Error fail(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), "calibration: " + msg);
}

/// The ONNX name of a `main` argument (from the `qcc.inputs` signature).
static std::string inputName(BlockArgument arg) {
  auto module = arg.getOwner()->getParentOp()->getParentOfType<ModuleOp>();
  auto inputs = module ? module->getAttrOfType<ArrayAttr>("qcc.inputs")
                       : ArrayAttr();
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
    if (!isQuantizableLayer(op))
      return;
    for (Value v : {op->getOperand(0), observedOutput(op)})
      if (!llvm::is_contained(observed, v))
        observed.push_back(v);
  });
  if (observed.empty())
    return Error::success();

  // A copy of the float model that also returns the observed tensors.
  IRMapping mapping;
  OwningOpRef<ModuleOp> copy = cast<ModuleOp>(module->clone(mapping));
  auto copyMain = copy->lookupSymbol<func::FuncOp>("main");
  auto ret = cast<func::ReturnOp>(copyMain.getBody().front().getTerminator());
  SmallVector<Value> results(ret.getOperands());
  size_t firstObserved = results.size();
  Builder b(module.getContext());
  auto outputs = llvm::to_vector(copy->getOperation()->getAttrOfType<ArrayAttr>("qcc.outputs"));
  for (auto [i, v] : llvm::enumerate(observed)) {
    results.push_back(mapping.lookup(v));
    auto type = cast<RankedTensorType>(v.getType());
    outputs.push_back(b.getDictionaryAttr(
        {b.getNamedAttr("name", b.getStringAttr("qcc.observe." + Twine(i))),
         b.getNamedAttr("dtype", b.getI32IntegerAttr(QCC_DTYPE_FLOAT)),
         b.getNamedAttr("shape", b.getDenseI64ArrayAttr(type.getShape()))}));
  }
  ret->setOperands(results);
  copyMain.setType(FunctionType::get(module.getContext(),
                                     copyMain.getArgumentTypes(),
                                     ValueRange(results).getTypes()));
  (*copy)->setAttr("qcc.outputs", b.getArrayAttr(outputs));

  auto signature = readSignature(*copy);
  if (!signature)
    return signature.takeError();
  // Reading the set first: a bad one fails before the model is compiled.
  auto samples = CalibrationSet::open(options.dir, signature->inputs);
  if (!samples)
    return samples.takeError();
  PassManager pm(module.getContext());
  buildPipeline(pm, Phase::Import, Phase::LLVM, PipelineOptions());
  if (failed(pm.run(*copy)))
    return fail("compiling the float model for calibration failed");
  if (auto ws = (*copy)->getAttrOfType<IntegerAttr>("qcc.workspace_bytes"))
    signature->workspaceBytes = ws.getInt();

  SmallString<128> lib;
  if (std::error_code ec = sys::fs::createTemporaryFile("qcc-calib", "so", lib))
    return fail("cannot create a temporary file: " + ec.message());
  auto removeLib = make_scope_exit([&] { sys::fs::remove(lib); });
  CPUTargetOptions target;
  target.prefix = "qcc_calibration";
  if (Error e = emitCPU(*copy, *signature, target, EmitKind::Shared, lib))
    return e;
  void *handle = dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return fail(Twine("cannot load the calibration model: ") + dlerror());
  auto closeLib = make_scope_exit([&] { dlclose(handle); });
  auto run = reinterpret_cast<qcc_model_run_fn>(dlsym(handle, "qcc_model_run"));
  if (!run)
    return fail("the calibration model has no qcc_model_run");

  size_t count = samples->size();
  if (options.maxSamples > 0)
    count = std::min<size_t>(count, options.maxSamples);

  // Buffers: 64-byte aligned, reused for every sample.
  auto byteSize = [](const std::vector<int64_t> &shape, int32_t dtype) {
    size_t n = runtime::elementSize(dtype);
    for (int64_t d : shape)
      n *= d;
    return n;
  };
  std::vector<std::unique_ptr<char, decltype(&std::free)>> outBufs;
  std::vector<void *> outPtrs;
  for (const TensorSignature &t : signature->outputs) {
    size_t bytes = llvm::alignTo(std::max<size_t>(byteSize(t.shape, t.dtype), 1), 64);
    outBufs.emplace_back(static_cast<char *>(std::aligned_alloc(64, bytes)), &std::free);
    outPtrs.push_back(outBufs.back().get());
  }
  size_t wsBytes = llvm::alignTo(std::max<uint64_t>(signature->workspaceBytes, 1), 64);
  std::unique_ptr<char, decltype(&std::free)> workspace(
      static_cast<char *>(std::aligned_alloc(64, wsBytes)), &std::free);

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
      std::vector<const void *> inPtrs;
      for (runtime::Tensor &t : inputs)
        inPtrs.push_back(t.data.data());
      if (run(inPtrs.data(), outPtrs.data(), workspace.get()) != 0)
        return fail("the calibration model failed on sample '" +
                    samples->sampleName(s) + "'");
      for (size_t j = 0; j < observed.size(); ++j) {
        const TensorSignature &t = signature->outputs[firstObserved + j];
        const float *data =
            reinterpret_cast<const float *>(outPtrs[firstObserved + j]);
        size_t n = byteSize(t.shape, t.dtype) / sizeof(float);
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
      return fail("observed tensor " + Twine(j) + " (" +
                  describe(observed[j]) +
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
