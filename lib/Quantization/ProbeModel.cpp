//===- ProbeModel.cpp - a model compiled and loaded in process ------------===//
#include "ProbeModel.h"

#include "qcc/Pipelines/Pipelines.h"
#include "qcc/Target/TargetBackend.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"

#include <cstdlib>
#include <dlfcn.h>

using namespace mlir;
using namespace llvm;
using namespace qcc;

static Error fail(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

static size_t byteSize(const TensorSignature &t) {
  size_t n = runtime::elementSize(t.dtype);
  for (int64_t d : t.shape)
    n *= d;
  return n;
}

LogicalResult qcc::fakeQuantize(ModuleOp module,
                                const PipelineOptions &pipeline) {
  PassManager pm(module.getContext());
  PipelineOptions fake = pipeline;
  fake.fuseQDQ = false;
  buildQuantizePipeline(pm, fake);
  return pm.run(module);
}

Expected<std::unique_ptr<ProbeModel>>
ProbeModel::compile(ModuleOp module, ArrayRef<Value> probes,
                    bool quantizeFirst) {
  IRMapping mapping;
  OwningOpRef<ModuleOp> copy = cast<ModuleOp>(module->clone(mapping));
  auto main = copy->lookupSymbol<func::FuncOp>("main");
  if (!main)
    return fail("the module has no 'main'");
  auto ret = cast<func::ReturnOp>(main.getBody().front().getTerminator());
  SmallVector<Value> results(ret.getOperands());
  size_t graphOutputs = results.size();
  Builder b(module.getContext());
  auto outputs = llvm::to_vector(
      copy->getOperation()->getAttrOfType<ArrayAttr>("qcc.outputs"));
  for (auto [i, v] : llvm::enumerate(probes)) {
    results.push_back(mapping.lookup(v));
    auto type = cast<RankedTensorType>(v.getType());
    outputs.push_back(b.getDictionaryAttr(
        {b.getNamedAttr("name", b.getStringAttr("qcc.probe." + Twine(i))),
         b.getNamedAttr("dtype", b.getI32IntegerAttr(QCC_DTYPE_FLOAT)),
         b.getNamedAttr("shape", b.getDenseI64ArrayAttr(type.getShape()))}));
  }
  ret->setOperands(results);
  main.setType(FunctionType::get(module.getContext(), main.getArgumentTypes(),
                                 ValueRange(results).getTypes()));
  (*copy)->setAttr("qcc.outputs", b.getArrayAttr(outputs));

  auto signature = readSignature(*copy);
  if (!signature)
    return signature.takeError();
  PassManager pm(module.getContext());
  if (failed(buildPipeline(pm, quantizeFirst ? Phase::Import : Phase::Quantize,
                           Phase::LLVM, PipelineOptions())) ||
      failed(pm.run(*copy)))
    return fail("compiling an in-process copy of the model failed");
  if (auto ws = (*copy)->getAttrOfType<IntegerAttr>("qcc.workspace_bytes"))
    signature->workspaceBytes = ws.getInt();
  auto probe = load(*copy, *signature);
  if (probe)
    (*probe)->graphOutputs = graphOutputs;
  return probe;
}

Expected<std::unique_ptr<ProbeModel>>
ProbeModel::fromLowered(ModuleOp lowered, const ModelSignature &signature) {
  auto probe = load(lowered, signature);
  if (probe)
    (*probe)->graphOutputs = signature.outputs.size();
  return probe;
}

Expected<std::unique_ptr<ProbeModel>>
ProbeModel::load(ModuleOp lowered, const ModelSignature &signature) {
  std::unique_ptr<ProbeModel> probe(new ProbeModel());
  probe->sig = signature;
  SmallString<128> lib;
  if (std::error_code ec = sys::fs::createTemporaryFile("qcc-probe", "so", lib))
    return fail("cannot create a temporary file: " + ec.message());
  probe->libPath = lib.str().str();
  // Probes run here, in process: this machine's CPU.
  registerAllTargets();
  const TargetBackend *cpu = lookupTargetBackend("cpu");
  if (!cpu)
    return fail("the cpu target is not registered");
  TargetOptions target;
  target.prefix = "qcc_probe";
  if (Error e = cpu->serialize(lowered, signature, target, EmitKind::Shared,
                               lib))
    return std::move(e);
  probe->handle = dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!probe->handle)
    return fail(Twine("cannot load an in-process model: ") + dlerror());
  probe->runFn =
      reinterpret_cast<qcc_model_run_fn>(dlsym(probe->handle, "qcc_model_run"));
  if (!probe->runFn)
    return fail("an in-process model has no qcc_model_run");
  // Buffers: 64-byte aligned, reused for every sample.
  for (const TensorSignature &t : signature.outputs) {
    size_t bytes = alignTo(std::max<size_t>(byteSize(t), 1), 64);
    probe->outBufs.emplace_back(
        static_cast<char *>(std::aligned_alloc(64, bytes)), &std::free);
    probe->outPtrs.push_back(probe->outBufs.back().get());
  }
  size_t ws = alignTo(std::max<uint64_t>(signature.workspaceBytes, 1), 64);
  probe->workspace = {static_cast<char *>(std::aligned_alloc(64, ws)),
                      &std::free};
  return probe;
}

ProbeModel::~ProbeModel() {
  if (handle)
    dlclose(handle);
  if (!libPath.empty())
    sys::fs::remove(libPath);
}

Error ProbeModel::run(const std::vector<runtime::Tensor> &inputs) {
  std::vector<const void *> in;
  for (const runtime::Tensor &t : inputs)
    in.push_back(t.data.data());
  if (runFn(in.data(), outPtrs.data(), workspace.get()) != 0)
    return fail("the in-process model returned an error");
  return Error::success();
}

size_t ProbeModel::numElements(size_t i) const {
  return byteSize(sig.outputs[i]) / runtime::elementSize(sig.outputs[i].dtype);
}

const float *ProbeModel::floatOutput(size_t i) const {
  return reinterpret_cast<const float *>(outPtrs[i]);
}

std::vector<double> ProbeModel::output(size_t i) const {
  runtime::Tensor t;
  t.dtype = sig.outputs[i].dtype;
  t.shape = sig.outputs[i].shape;
  const uint8_t *p = static_cast<const uint8_t *>(outPtrs[i]);
  t.data.assign(p, p + byteSize(sig.outputs[i]));
  std::vector<double> out(numElements(i));
  for (size_t k = 0; k < out.size(); ++k)
    out[k] = runtime::elementAsDouble(t, k);
  return out;
}
