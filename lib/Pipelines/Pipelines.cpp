//===- Pipelines.cpp - qcc compilation pipelines --------------------------===//
#include "qcc/Pipelines/Pipelines.h"
#include "qcc/Conversion/LinalgToGPU/Passes.h"
#include "qcc/Conversion/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace qcc {

std::optional<Phase> parsePhase(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Phase>>(name)
      .Case("import", Phase::Import)
      .Case("quantize", Phase::Quantize)
      .Case("linalg", Phase::Linalg)
      .Case("bufferized", Phase::Bufferized)
      .Case("llvm", Phase::LLVM)
      .Default(std::nullopt);
}

llvm::StringRef phaseName(Phase phase) {
  switch (phase) {
  case Phase::Import:
    return "import";
  case Phase::Quantize:
    return "quantize";
  case Phase::Linalg:
    return "linalg";
  case Phase::Bufferized:
    return "bufferized";
  case Phase::LLVM:
    return "llvm";
  }
  return "";
}

std::optional<QuantMode> parseQuantMode(llvm::StringRef name, int64_t *bits) {
  int64_t weightBits = 0;
  if (name.consume_front("w") && !name.getAsInteger(10, weightBits) &&
      (weightBits == 2 || weightBits == 4 || weightBits == 8)) {
    if (bits)
      *bits = weightBits;
    return QuantMode::WeightOnly;
  }
  return llvm::StringSwitch<std::optional<QuantMode>>(name)
      .Case("none", QuantMode::None)
      .Case("f16", QuantMode::F16)
      .Case("dynamic", QuantMode::Dynamic)
      .Case("int8", QuantMode::Int8)
      .Default(std::nullopt);
}

std::optional<ExtensionPoint> parseExtensionPoint(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<ExtensionPoint>>(name)
      .Case("after-import", ExtensionPoint::AfterImport)
      .Case("after-calibration", ExtensionPoint::AfterCalibration)
      .Case("after-quantize", ExtensionPoint::AfterQuantize)
      .Case("before-lowering", ExtensionPoint::BeforeLowering)
      .Default(std::nullopt);
}

LogicalResult addExtensions(OpPassManager &pm, const PipelineOptions &opts,
                            ExtensionPoint point, std::string *error) {
  auto it = opts.extensions.find(point);
  if (it == opts.extensions.end())
    return success();
  for (const std::string &pipeline : it->second) {
    std::string message;
    llvm::raw_string_ostream os(message);
    if (failed(parsePassPipeline(pipeline, pm, os))) {
      if (error)
        *error = message;
      return failure();
    }
  }
  return success();
}

void buildQuantizePipeline(OpPassManager &pm, const PipelineOptions &opts) {
  // Calibration annotated this exact graph: quantize before anything folds.
  if (opts.quant == QuantMode::Int8) {
    QuantizeStaticOptions statik;
    statik.perTensorWeights = opts.perTensorWeights;
    statik.symmetricActivations = opts.symmetricActivations;
    statik.integerOnly = opts.integerOnly;
    pm.addNestedPass<func::FuncOp>(createQuantizeStatic(statik));
  }
  // BatchNormalization folds into convolutions in every mode, as ONNX
  // Runtime's graph optimizer does (int8 folded before calibrating).
  pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
  switch (opts.quant) {
  case QuantMode::None:
  case QuantMode::Int8:
    break;
  case QuantMode::F16:
    pm.addPass(createCanonicalizerPass());
    pm.addNestedPass<func::FuncOp>(createQuantizeWeightsF16());
    break;
  case QuantMode::Dynamic:
    // Canonicalization first folds weight transposes into constants.
    pm.addPass(createCanonicalizerPass());
    pm.addNestedPass<func::FuncOp>(createQuantizeDynamic());
    break;
  case QuantMode::WeightOnly: {
    pm.addPass(createCanonicalizerPass());
    QuantizeWeightOnlyOptions weightOnly;
    weightOnly.bits = opts.weightBits;
    weightOnly.groupSize = opts.groupSize;
    weightOnly.symmetric = opts.symmetric;
    pm.addNestedPass<func::FuncOp>(createQuantizeWeightOnly(weightOnly));
    break;
  }
  }
  // Validated by the driver: a bad pipeline cannot reach this point.
  (void)addExtensions(pm, opts, ExtensionPoint::AfterQuantize);
  // QDQ models (and int8's own Q/DQ) run integer kernels whatever the mode
  // (a no-op on float graphs). The weight modes only touch float constant
  // weights, never a DequantizeLinear output, so the order is free.
  pm.addPass(createCanonicalizerPass());
  // Attention's operands reach their MatMul through Reshape and Transpose:
  // those move onto the 8-bit values first.
  if (opts.integerOnly)
    pm.addNestedPass<func::FuncOp>(createSinkDequantize());
  if (opts.fuseQDQ)
    pm.addNestedPass<func::FuncOp>(createFuseQDQ());
  if (opts.fuseQDQ && !opts.integerOnly) {
    // Exact moves only: MaxPool, Resize and reshapes then run on the 8-bit
    // values between integer layers instead of their float copies.
    SinkDequantizeOptions exact;
    exact.exact = true;
    pm.addNestedPass<func::FuncOp>(createSinkDequantize(exact));
  }
  if (opts.integerOnly) {
    pm.addNestedPass<func::FuncOp>(createRequantizeFixedPoint());
    pm.addNestedPass<func::FuncOp>(createSinkDequantize());
    pm.addNestedPass<func::FuncOp>(createIntegerAveragePool());
    pm.addNestedPass<func::FuncOp>(createIntegerSoftmax());
    pm.addNestedPass<func::FuncOp>(createIntegerLayerNorm());
    pm.addNestedPass<func::FuncOp>(createIntegerResize());
    // A gather is no faster than vectorized float on x86: tables only
    // where float is not allowed.
    pm.addNestedPass<func::FuncOp>(createIntegerLookupTables());
    // Again: the tables quantize gate outputs, whose readers then move,
    // and a GlobalAveragePool of a table's output (ResNet's last Relu,
    // MobileNetV3's squeeze-and-excite after a HardSwish) now reads DQ.
    pm.addNestedPass<func::FuncOp>(createSinkDequantize());
    pm.addNestedPass<func::FuncOp>(createIntegerAveragePool());
    pm.addNestedPass<func::FuncOp>(createIntegerAddMul());
    // The edge conversions move to the caller: 8-bit inputs and outputs.
    pm.addPass(createIntegerIO());
    pm.addPass(createCanonicalizerPass());
    pm.addNestedPass<func::FuncOp>(createVerifyIntegerOnly());
  }
}

void buildLinalgPipeline(OpPassManager &pm, const PipelineOptions &opts) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createConvertQccToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createFuseElementwise());
  pm.addPass(createSaturatingRound());
  if (opts.fusedMultiplyAdd || opts.target == TargetKind::CUDA)
    pm.addPass(createDivideByReciprocal());
  pm.addPass(createMarkNoNaNBounds());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (opts.target == TargetKind::CUDA) {
    // CPU register tiling and vector code mean nothing to the GPU kernels;
    // the tensor-core kernels compute their requantization in place.
    pm.addNestedPass<func::FuncOp>(createGPUMarkEpilogues());
    pm.addPass(createCanonicalizerPass());
    return;
  }
  pm.addPass(createLinalgLoopOrder());
  if (!opts.int8Dot.empty()) {
    PackInt8ContractionsOptions pack;
    pack.isa = opts.int8Dot;
    pm.addPass(createPackInt8Contractions(pack));
  }
  pm.addPass(createVectorizeContractions());
  pm.addPass(createCanonicalizerPass());
  // The accumulator block's read and write leave the reduction loops and
  // become a loop-carried vector: it stays in registers.
  pm.addPass(createLoopInvariantSubsetHoistingPass());
  pm.addPass(createCanonicalizerPass());
}

void buildBufferizePipeline(OpPassManager &pm, const PipelineOptions &) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Results become caller-provided buffers (the ABI's outputs); outputs
  // allocated with static shapes are written in place, without a copy.
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.modifyPublicFunctions = true;
  outParams.hoistStaticAllocs = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.addPass(createCanonicalizerPass());
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createPlanWorkspace());
  pm.addPass(createFlattenGlobals());
  pm.addPass(createCanonicalizerPass());
}

/// Arithmetic, control flow and the functions themselves to the LLVM
/// dialect; `main` takes bare pointers (the ABI's buffers).
static void addHostFunctionsToLLVM(OpPassManager &pm) {
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  ConvertFuncToLLVMPassOptions func;
  func.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(func));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
}

void buildLLVMPipeline(OpPassManager &pm, const PipelineOptions &opts) {
  pm.addPass(createLowerInt8Dot());
  pm.addPass(createMemRefCopyToLinalg());
  // erf as arithmetic first: a GELU then vectorizes like the rest.
  pm.addPass(createApproximateErf());
  // On buffers, so results stay written in place.
  pm.addPass(createVectorizeElementwise());
  pm.addPass(createVectorizeReductions());
  pm.addPass(createLowerVectorTransfers());
  VectorTransferToSCFOptions vectorToSCF;
  vectorToSCF.enableFullUnroll();
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass(vectorToSCF));
  pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMultiReductionPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  // bf16 conversions as integer bit operations: no compiler-rt helpers;
  // min/max stay whole for LLVM (one instruction per constant bound).
  pm.addPass(createExpandArith());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  // LLVM intrinsics first: roundeven, floor, sqrt, fma and friends then
  // compile to single instructions and vectorize (quantization rounds every
  // element); libm only for what has no intrinsic (erf, tanh, ...).
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  addHostFunctionsToLLVM(pm);
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createRoundToNearestInt());
  pm.addPass(createCanonicalizerPass());
  if (opts.integerOnly)
    pm.addPass(createVerifyNoFloat());
}

/// The NN of sm_NN[a] (0 when it is not one).
static unsigned smVersion(StringRef arch) {
  unsigned version = 0;
  if (!arch.consume_front("sm_") ||
      arch.drop_back(arch.ends_with("a") ? 1 : 0).getAsInteger(10, version))
    return 0;
  return version;
}

void buildCUDAPipeline(OpPassManager &pm, const PipelineOptions &opts) {
  // mma.sync on 8-bit integers (m16n8k32) and tf32 needs sm_80.
  const bool tensorCores = smVersion(opts.gpuArch) >= 80;
  // Every loop nest of `main` becomes a kernel; `main` keeps the launches.
  pm.addPass(createMemRefCopyToLinalg());
  // 8-bit contractions get tiled tensor-core kernels, float ones tiled FMA
  // or GEMV kernels with their weights' dequantization fused; the rest maps
  // generically below.
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

void buildPipeline(OpPassManager &pm, Phase from, Phase to,
                   const PipelineOptions &opts) {
  if (from < Phase::Quantize && to >= Phase::Quantize)
    buildQuantizePipeline(pm, opts);
  if (from < Phase::Linalg && to >= Phase::Linalg) {
    (void)addExtensions(pm, opts, ExtensionPoint::BeforeLowering);
    buildLinalgPipeline(pm, opts);
  }
  if (from < Phase::Bufferized && to >= Phase::Bufferized)
    buildBufferizePipeline(pm, opts);
  if (from < Phase::LLVM && to >= Phase::LLVM) {
    if (opts.target == TargetKind::CUDA)
      buildCUDAPipeline(pm, opts);
    else
      buildLLVMPipeline(pm, opts);
  }
}

void registerPipelines() {
  static PipelineOptions defaults;
  PassPipelineRegistration<>("qcc-quantize-f16",
                             "float16 weights (what --quant=f16 runs)",
                             [](OpPassManager &pm) {
                               PipelineOptions f16;
                               f16.quant = QuantMode::F16;
                               buildQuantizePipeline(pm, f16);
                             });
  PassPipelineRegistration<>(
      "qcc-quantize-dynamic-pipeline",
      "int8 weights, run-time activation scales (what --quant=dynamic runs)",
      [](OpPassManager &pm) {
        PipelineOptions dynamic;
        dynamic.quant = QuantMode::Dynamic;
        buildQuantizePipeline(pm, dynamic);
      });
  PassPipelineRegistration<>(
      "qcc-to-linalg", "qcc graph to linalg on tensors",
      [](OpPassManager &pm) { buildLinalgPipeline(pm, defaults); });
  PassPipelineRegistration<>(
      "qcc-bufferize", "linalg on tensors to memrefs with deallocation",
      [](OpPassManager &pm) { buildBufferizePipeline(pm, defaults); });
  PassPipelineRegistration<>(
      "qcc-to-llvm", "memrefs to the LLVM dialect",
      [](OpPassManager &pm) { buildLLVMPipeline(pm, defaults); });
  PassPipelineRegistration<>(
      "qcc-to-cuda",
      "memrefs to kernels in one NVVM gpu.module and a host main that "
      "launches them (sm_80)",
      [](OpPassManager &pm) {
        PipelineOptions cuda;
        cuda.target = TargetKind::CUDA;
        buildCUDAPipeline(pm, cuda);
      });
  PassPipelineRegistration<>(
      "qcc-lower-to-llvm", "qcc graph all the way to the LLVM dialect",
      [](OpPassManager &pm) {
        buildPipeline(pm, Phase::Import, Phase::LLVM, defaults);
      });
}

} // namespace qcc
