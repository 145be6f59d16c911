//===- CPUTarget.cpp - models on CPUs through LLVM ------------------------===//
//
// The `cpu` target: after the shared lowering, contractions are reordered,
// packed for the CPU's int8 dot products and vectorized on tensors; after
// bufferization, vector code and loops go to LLVM. The model is written
// with P_run on the caller's buffers (ABI version 2).
//
//===----------------------------------------------------------------------===//
#include "qcc/Target/CPU/CPUTarget.h"
#include "qcc/Codegen/CPU/Passes.h"
#include "qcc/Codegen/Common/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Pipelines/Pipelines.h"
#include "qcc/Target/CPU/HostCode.h"
#include "qcc/Target/TargetBackend.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

namespace qcc {

void addHostFunctionsToLLVM(OpPassManager &pm) {
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  ConvertFuncToLLVMPassOptions func;
  func.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(func));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
}

namespace {

class CPUTarget final : public TargetBackend {
public:
  llvm::StringRef name() const override { return "cpu"; }
  llvm::StringRef description() const override {
    return "CPUs through LLVM: this machine, or -mtriple/-mcpu";
  }

  llvm::Error configure(const TargetOptions &target,
                        PipelineOptions &pipeline) const override {
    auto tm = createTargetMachine(target);
    if (!tm)
      return tm.takeError();
    const llvm::Triple &triple = (*tm)->getTargetTriple();
    const llvm::MCSubtargetInfo *sti = (*tm)->getMCSubtargetInfo();
    // Integer kernels use the target's dot-product instructions.
    pipeline.int8Dot = triple.isX86() && triple.isArch64Bit() &&
                               sti->checkFeatures("+avx512vnni") &&
                               sti->checkFeatures("+avx512bw")
                           ? "x86-avx512-vnni"
                           : "";
    // qcc-divide-by-reciprocal's correction needs a fused multiply-add to
    // be fast: FMA3 on x86, the base instruction set on AArch64.
    pipeline.fusedMultiplyAdd =
        triple.isX86() ? sti->checkFeatures("+fma") : triple.isAArch64();
    return llvm::Error::success();
  }

  void getDependentDialects(DialectRegistry &) const override {}

  void buildTensorPipeline(OpPassManager &pm,
                           const PipelineOptions &opts) const override {
    // Decoding's weight-only GEMVs read packed weights, never floats.
    if (opts.weightGemvRows > 0) {
      FuseWeightGemvOptions gemv;
      gemv.maxRows = opts.weightGemvRows;
      gemv.exact = opts.weightGemvExact;
      pm.addNestedPass<func::FuncOp>(createFuseWeightGemv(gemv));
      pm.addPass(createCanonicalizerPass());
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

  void buildLLVMPipeline(OpPassManager &pm,
                         const PipelineOptions &opts) const override {
    // Parallel loops become tasks for the caller's threads; integer-only
    // objects stay thread-free (they call nothing).
    if (!opts.integerOnly)
      pm.addPass(createOutlineParallelLoops());
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
    pm.addNestedPass<func::FuncOp>(
        vector::createLowerVectorMultiReductionPass());
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
    // compile to single instructions and vectorize (quantization rounds
    // every element); libm only for what has no intrinsic (erf, tanh, ...).
    pm.addPass(createConvertMathToLLVMPass());
    pm.addPass(createConvertMathToLibmPass());
    addHostFunctionsToLLVM(pm);
    pm.addPass(createReconcileUnrealizedCastsPass());
    pm.addPass(createRoundToNearestInt());
    pm.addPass(createCanonicalizerPass());
    if (opts.integerOnly)
      pm.addPass(createVerifyNoFloat());
  }

  std::string abiTarget(const TargetOptions &target) const override {
    return resolvedTriple(target);
  }
  uint32_t abiVersion() const override { return 4; }

  llvm::Error serialize(ModuleOp module, const ModelSignature &signature,
                        const TargetOptions &target, EmitKind kind,
                        llvm::StringRef path) const override {
    if (kind == EmitKind::DeviceAssembly)
      return llvm::createStringError(
          "target 'cpu' has no device code (--emit=ptx needs -target=cuda)");
    // Standalone objects keep every weight in LLVM constants: they are
    // small, and some targets (Cortex-M) need one plain data section.
    auto code = HostCode::translate(module, target,
                                    /*externalWeights=*/!target.standalone);
    if (!code)
      return code.takeError();
    llvm::Module &m = (*code)->module();
    bool shared = kind == EmitKind::Shared;
    // Standalone objects (--integer-only) call nothing, threads included:
    // ABI version 2. Others add P_run_parallel (version 4).
    const llvm::Triple &triple = (*code)->targetMachine().getTargetTriple();
    auto impl = addModelInfo(m, signature, target.prefix, triple.str(),
                             target.standalone ? 2 : abiVersion(),
                             signature.workspaceBytes, shared);
    if (!impl)
      return impl.takeError();
    if (llvm::Error e = addHostRun(m, signature, target.prefix, *impl, shared))
      return e;
    if (!target.standalone) {
      // The pool is bitcode for this machine's architecture and C library.
      llvm::Triple host(llvm::sys::getDefaultTargetTriple());
      bool withPool = triple.getArch() == host.getArch() &&
                      triple.getOS() == host.getOS();
      if (llvm::Error e =
              addParallelEntryPoints(m, target.prefix, shared, withPool))
        return e;
    }
    return (*code)->write(kind, path);
  }

  std::string header(const ModelSignature &signature,
                     const TargetOptions &target) const override {
    return generateHeader(signature, target.prefix, abiTarget(target),
                          /*deviceEntryPoints=*/false,
                          /*parallelEntryPoints=*/!target.standalone);
  }
};

} // namespace

void registerCPUTarget() {
  registerTargetBackend(std::make_unique<CPUTarget>());
}

} // namespace qcc
