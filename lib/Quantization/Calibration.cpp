//===- Calibration.cpp - activation ranges from a calibration set ---------===//
#include "qcc/Quantization/Calibration.h"
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

/// The sample folders of the calibration set, sorted.
static Expected<std::vector<std::string>> sampleDirs(StringRef dir) {
  if (!sys::fs::is_directory(dir))
    return fail("'" + dir + "' is not a folder");
  std::vector<std::string> subdirs;
  std::error_code ec;
  for (sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    if (sys::fs::is_directory(it->path()))
      subdirs.push_back(it->path());
  if (ec)
    return fail("cannot list '" + dir + "': " + ec.message());
  llvm::sort(subdirs);
  if (subdirs.empty())
    subdirs.push_back(dir.str());
  return subdirs;
}

/// The file holding input `index` named `name` in a sample folder.
static std::string inputFile(StringRef sample, StringRef name, size_t index) {
  SmallString<256> npy(sample), pb(sample);
  sys::path::append(npy, name + ".npy");
  sys::path::append(pb, "input_" + Twine(index) + ".pb");
  if (sys::fs::exists(npy))
    return npy.str().str();
  if (sys::fs::exists(pb))
    return pb.str().str();
  return "";
}

Error calibrate(ModuleOp module, const CalibrationOptions &options) {
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

  auto samples = sampleDirs(options.dir);
  if (!samples)
    return samples.takeError();
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

  std::vector<float> lo(observed.size(), INFINITY), hi(observed.size(), -INFINITY);
  std::vector<uint64_t> nonFinite(observed.size(), 0);
  bool tty = options.progress && sys::Process::StandardErrIsDisplayed();
  for (size_t s = 0; s < count; ++s) {
    const std::string &sample = (*samples)[s];
    std::vector<runtime::Tensor> inputs(signature->inputs.size());
    std::vector<const void *> inPtrs;
    for (auto [i, t] : llvm::enumerate(signature->inputs)) {
      std::string file = inputFile(sample, t.name, i);
      if (file.empty())
        return fail("sample '" + sample + "' has no file for input '" + t.name +
                    "' (expected " + t.name + ".npy or input_" + Twine(i) + ".pb)");
      std::string error;
      if (!runtime::loadTensor(file, inputs[i], error))
        return fail(error);
      if (inputs[i].dtype != t.dtype || inputs[i].shape != t.shape)
        return fail("'" + file + "' holds " + runtime::dtypeName(inputs[i].dtype) +
                    " " + runtime::formatShape(inputs[i].shape) + ", input '" +
                    t.name + "' is " + runtime::dtypeName(t.dtype) + " " +
                    runtime::formatShape(t.shape));
      inPtrs.push_back(inputs[i].data.data());
    }
    if (run(inPtrs.data(), outPtrs.data(), workspace.get()) != 0)
      return fail("the calibration model failed on sample '" + sample + "'");
    for (size_t j = 0; j < observed.size(); ++j) {
      const TensorSignature &t = signature->outputs[firstObserved + j];
      const float *data = reinterpret_cast<const float *>(outPtrs[firstObserved + j]);
      size_t n = byteSize(t.shape, t.dtype) / sizeof(float);
      for (size_t k = 0; k < n; ++k) {
        float v = data[k];
        if (!std::isfinite(v)) {
          ++nonFinite[j];
          continue;
        }
        lo[j] = std::min(lo[j], v);
        hi[j] = std::max(hi[j], v);
      }
    }
    if (tty)
      errs() << "\rcalibrating: sample " << (s + 1) << "/" << count;
  }
  if (tty)
    errs() << "\n";
  if (count == 0)
    return fail("'" + options.dir + "' holds no samples");
  for (size_t j = 0; j < observed.size(); ++j) {
    if (lo[j] > hi[j])
      return fail("an observed tensor had no finite value on any sample");
    if (nonFinite[j])
      errs() << "qcc: warning: calibration: " << nonFinite[j]
             << " non-finite values left out of an activation range\n";
    setRange(observed[j], lo[j], hi[j]);
  }
  return Error::success();
}

} // namespace qcc
