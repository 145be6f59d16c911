//===- CUDATarget.cpp - NVIDIA GPUs through NVVM --------------------------===//
//
// The `cuda` target: every loop nest of the model becomes a kernel (tiled
// tensor-core and FMA kernels for contractions, GEMVs with the weights'
// dequantization fused, a block per long reduction), lowered to NVVM in one
// gpu.module. The kernels are serialized (LLVM's NVPTX backend in-process,
// then ptxas and fatbinary when the toolkit is there) and the host side is
// written as the CPU's host code is, with the CUDA host runtime linked in and
// the device entry points of ABI version 3 (DeviceABI.h).
//
//===----------------------------------------------------------------------===//
#include "qcc/Target/CUDA/CUDATarget.h"
#include "DeviceABI.h"
#include "HostRuntime.h"
#include "qcc/Codegen/Common/Passes.h"
#include "qcc/Codegen/GPU/Passes.h"
#include "qcc/Pipelines/Pipelines.h"
#include "qcc/Target/CPU/CPUTarget.h"
#include "qcc/Target/CPU/HostCode.h"
#include "qcc/Target/TargetBackend.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

using namespace llvm;

namespace qcc {

static Error err(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

/// The NN of sm_NN[a] (0 when it is not one).
static unsigned smVersion(StringRef arch) {
  unsigned version = 0;
  if (!arch.consume_front("sm_") ||
      arch.drop_back(arch.ends_with("a") ? 1 : 0).getAsInteger(10, version))
    return 0;
  return version;
}

bool isSupportedGPUArch(StringRef arch) {
  // Volta and later: PTX ISA 8.0 and the int8 dot instructions.
  unsigned version = smVersion(arch);
  return version >= 70 && version < 200;
}

/// The toolkit folder that will be used, or "" when none has ptxas.
static std::string findCUDAToolkit(const TargetOptions &options) {
  SmallVector<std::string> candidates;
  if (!options.toolkit.empty())
    candidates.push_back(options.toolkit);
  if (auto env = sys::Process::GetEnv("CUDA_PATH"))
    candidates.push_back(*env);
  candidates.push_back("/usr/local/cuda");
  for (const std::string &dir : candidates) {
    SmallString<256> ptxas(dir);
    sys::path::append(ptxas, "bin", "ptxas");
    if (sys::fs::can_execute(ptxas))
      return dir;
  }
  return "";
}

/// Replaces the gpu.module by a gpu.binary in `format` (isa, bin, fatbin).
static Error serializeKernels(mlir::ModuleOp module, StringRef toolkit,
                       StringRef format) {
  if (module.getOps<mlir::gpu::GPUModuleOp>().empty())
    return err("the module has no GPU kernels (was it lowered for "
               "-target=cuda?)");
  mlir::PassManager pm(module.getContext());
  mlir::GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = toolkit.str();
  binary.compilationTarget = format.str();
  pm.addPass(mlir::createGpuModuleToBinaryPass(binary));
  if (failed(pm.run(module)))
    return err("compiling the GPU kernels failed (see above)");
  return Error::success();
}

/// The kernels as PTX text (`--emit=ptx`). PTX comes from LLVM's NVPTX
/// backend in-process; the toolkit, when there, only provides libdevice
/// (exp, tanh, erf, ...).
static Error writePTX(mlir::ModuleOp module, const TargetOptions &options,
                      StringRef outputPath) {
  if (Error e = serializeKernels(module, findCUDAToolkit(options), "isa"))
    return e;
  std::string ptx;
  for (auto binary : module.getOps<mlir::gpu::BinaryOp>())
    for (mlir::Attribute attr : binary.getObjects())
      if (auto object = dyn_cast<mlir::gpu::ObjectAttr>(attr))
        ptx += object.getObject().getValue().str();
  // The NUL that makes the image loadable is not part of the text.
  while (!ptx.empty() && ptx.back() == '\0')
    ptx.pop_back();
  if (ptx.empty())
    return err("no PTX was produced for " + options.gpuArch);
  return writeFileAtomically(outputPath, [&](raw_pwrite_stream &os) {
    os << ptx;
    return Error::success();
  });
}

namespace {

class CUDATarget final : public TargetBackend {
public:
  StringRef name() const override { return "cuda"; }
  StringRef description() const override {
    return "NVIDIA GPUs: kernels through NVVM, the CUDA driver loaded at run "
           "time (docs/CUDA.md)";
  }

  Error configure(const TargetOptions &target,
                  PipelineOptions &pipeline) const override {
    if (!isSupportedGPUArch(target.gpuArch))
      return err("unsupported --gpu-arch '" + target.gpuArch +
                 "': give sm_70 or later (sm_80, sm_86, sm_89, sm_90, "
                 "sm_90a, ...)");
    if (target.gpuFloatMath != "auto" && target.gpuFloatMath != "tf32" &&
        target.gpuFloatMath != "f16" && target.gpuFloatMath != "f32")
      return err("unknown --gpu-float-math '" + target.gpuFloatMath +
                 "': give auto, tf32, f16 or f32");
    if (pipeline.integerOnly)
      return err("--integer-only targets integer-only CPUs; -target=cuda "
                 "runs int8 kernels with --quant=int8");
    if (!target.triple.empty() &&
        Triple(target.triple) != Triple(sys::getDefaultTargetTriple()))
      return err("-target=cuda builds host code for this machine (" +
                 sys::getDefaultTargetTriple() + ") only, not '" +
                 target.triple + "'");
    pipeline.gpuArch = target.gpuArch;
    pipeline.gpuFloatMath = target.gpuFloatMath;
    pipeline.gpuBlockSize = target.gpuBlockSize;
    // GPUs fuse multiply-adds: quantizing divisions become reciprocals.
    pipeline.fusedMultiplyAdd = true;
    pipeline.int8Dot.clear();
    return Error::success();
  }

  void getDependentDialects(mlir::DialectRegistry &) const override {}

  void buildTensorPipeline(mlir::OpPassManager &pm,
                           const PipelineOptions &) const override {
    // CPU register tiling and vector code mean nothing to the GPU kernels;
    // the tensor-core kernels compute their requantization in place.
    pm.addNestedPass<mlir::func::FuncOp>(createGPUMarkEpilogues());
    pm.addPass(mlir::createCanonicalizerPass());
  }

  void buildLLVMPipeline(mlir::OpPassManager &pm,
                         const PipelineOptions &opts) const override {
    using namespace mlir;
    // mma.sync on 8-bit integers (m16n8k32) and tf32 needs sm_80.
    const bool tensorCores = smVersion(opts.gpuArch) >= 80;
    // Every loop nest of `main` becomes a kernel; `main` keeps the launches.
    pm.addPass(createMemRefCopyToLinalg());
    // 8-bit contractions get tiled tensor-core kernels, float ones tiled
    // FMA or GEMV kernels with their weights' dequantization fused; the
    // rest maps generically below.
    if (tensorCores)
      pm.addNestedPass<func::FuncOp>(createGPUInt8TensorCores());
    GPUFloatContractionsOptions floatOptions;
    floatOptions.floatMath = tensorCores ? opts.gpuFloatMath : "f32";
    pm.addNestedPass<func::FuncOp>(createGPUFloatContractions(floatOptions));
    // The other long reductions get a block per output instead of a thread.
    pm.addNestedPass<func::FuncOp>(createGPUReductions());
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
    pm.addPass(createCanonicalizerPass());
    GPUMapLoopsOptions map;
    map.blockSize = opts.gpuBlockSize;
    pm.addNestedPass<func::FuncOp>(createGPUMapLoops(map));
    pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
    pm.addNestedPass<func::FuncOp>(createGPUSinkKernelConstants());
    pm.addPass(createGpuLaunchSinkIndexComputationsPass());
    pm.addPass(createGpuKernelOutliningPass());
    pm.addPass(createGPUMergeKernelModules());
    // Weights now live in the device module only.
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createSymbolDCEPass());

    GpuNVVMAttachTargetOptions nvvm;
    nvvm.chip = opts.gpuArch;
    nvvm.optLevel = 3;
    // PTX ISA 8.0 (CUDA 12.0): sm_90 needs 7.8 or later.
    nvvm.features = "+ptx80";
    pm.addPass(createGpuNVVMAttachTarget(nvvm));
    arith::ArithExpandOpsPassOptions expand;
    expand.includeBf16 = true;
    pm.addPass(arith::createArithExpandOpsPass(expand));
    pm.addPass(createLowerAffinePass());
    pm.addPass(createSCFToControlFlowPass());
    // Device code: memrefs, arithmetic and math to NVVM (rounding, sqrt and
    // fma as PTX instructions, the rest through libdevice).
    pm.addNestedPass<gpu::GPUModuleOp>(createConvertGpuOpsToNVVMOps());
    pm.addNestedPass<gpu::GPUModuleOp>(createGPUNativeMath());
    pm.addNestedPass<gpu::GPUModuleOp>(createReconcileUnrealizedCastsPass());
    pm.addNestedPass<gpu::GPUModuleOp>(createCanonicalizerPass());
    // Host code, as on the CPU, plus the kernel launches.
    pm.addPass(memref::createExpandStridedMetadataPass());
    pm.addPass(createLowerAffinePass());
    pm.addPass(createFinalizeMemRefToLLVMConversionPass());
    addHostFunctionsToLLVM(pm);
    pm.addPass(createGpuToLLVMConversionPass());
    pm.addPass(createReconcileUnrealizedCastsPass());
    pm.addPass(createCanonicalizerPass());
  }

  bool canEmit(EmitKind) const override { return true; }

  std::string abiTarget(const TargetOptions &target) const override {
    return "cuda:" + target.gpuArch;
  }
  uint32_t abiVersion() const override { return 3; }

  Error serialize(mlir::ModuleOp module, const ModelSignature &signature,
                  const TargetOptions &target, EmitKind kind,
                  StringRef path) const override {
    if (kind == EmitKind::DeviceAssembly)
      return writePTX(module, target, path);
    // With the toolkit: SASS for the architecture plus its PTX (for newer
    // GPUs) in one fatbin. Without: PTX, compiled by the driver at load
    // time.
    std::string toolkit = findCUDAToolkit(target);
    StringRef format = "isa";
    if (!toolkit.empty()) {
      SmallString<256> fatbinary(toolkit);
      sys::path::append(fatbinary, "bin", "fatbinary");
      format = sys::fs::can_execute(fatbinary) ? "fatbin" : "bin";
    }
    if (Error e = serializeKernels(module, toolkit, format))
      return e;
    // The host side is this machine's.
    TargetOptions host = target;
    host.triple.clear();
    auto code = HostCode::translate(module, host);
    if (!code)
      return code.takeError();
    Module &m = (*code)->module();
    if (Error e = linkCUDAHostRuntime(m))
      return e;
    bool shared = kind == EmitKind::Shared;
    // A CUDA model's workspace is device memory (P_run_device's): P_run
    // takes none.
    auto impl = addModelInfo(m, signature, target.prefix, abiTarget(target),
                             abiVersion(), /*workspaceBytes=*/0, shared);
    if (!impl)
      return impl.takeError();
    if (Error e =
            addCUDAEntryPoints(m, signature, target.prefix, *impl, shared))
      return e;
    return (*code)->write(kind, path);
  }

  std::string header(const ModelSignature &signature,
                     const TargetOptions &target) const override {
    return generateHeader(signature, target.prefix, abiTarget(target),
                          /*deviceEntryPoints=*/true);
  }
};

} // namespace

void registerCUDATarget() {
  registerTargetBackend(std::make_unique<CUDATarget>());
}

} // namespace qcc
