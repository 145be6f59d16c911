//===- Pipelines.cpp - qcc compilation pipelines --------------------------===//
//
// The phases every target shares; the target's own passes come from its
// TargetBackend. The pipelines registered for qcc-opt take the same options
// as the driver's compile, so any compile replays in qcc-opt.
//
//===----------------------------------------------------------------------===//
#include "qcc/Pipelines/Pipelines.h"
#include "qcc/Codegen/Common/Passes.h"
#include "qcc/Conversion/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Target/TargetBackend.h"

#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassOptions.h"
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
  llvm::StringRef digits = name;
  if (digits.consume_front("w") && !digits.getAsInteger(10, weightBits) &&
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
      .Case("weight-only", QuantMode::WeightOnly)
      .Default(std::nullopt);
}

/// The name parseQuantMode reads back (weight-only: bits are an option).
static llvm::StringRef quantModeName(QuantMode mode) {
  switch (mode) {
  case QuantMode::None:
    return "none";
  case QuantMode::F16:
    return "f16";
  case QuantMode::Dynamic:
    return "dynamic";
  case QuantMode::Int8:
    return "int8";
  case QuantMode::WeightOnly:
    return "weight-only";
  }
  return "none";
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

void buildCalibrationPipeline(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
  pm.addNestedPass<func::FuncOp>(createGemmToMatMul());
  pm.addPass(createCanonicalizerPass());
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

/// The registered target `opts` names, or null after reporting it.
static const TargetBackend *targetOf(const PipelineOptions &opts) {
  registerAllTargets();
  const TargetBackend *backend = lookupTargetBackend(opts.target);
  if (!backend)
    llvm::errs() << "qcc: unknown target '" << opts.target << "'\n";
  return backend;
}

LogicalResult buildLinalgPipeline(OpPassManager &pm,
                                  const PipelineOptions &opts) {
  const TargetBackend *backend = targetOf(opts);
  if (!backend)
    return failure();
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createConvertQccToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createFuseElementwise());
  pm.addPass(createSaturatingRound());
  if (opts.fusedMultiplyAdd)
    pm.addPass(createDivideByReciprocal());
  pm.addPass(createMarkNoNaNBounds());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  backend->buildTensorPipeline(pm, opts);
  return success();
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

LogicalResult buildLLVMPipeline(OpPassManager &pm,
                                const PipelineOptions &opts) {
  const TargetBackend *backend = targetOf(opts);
  if (!backend)
    return failure();
  backend->buildLLVMPipeline(pm, opts);
  return success();
}

LogicalResult buildPipeline(OpPassManager &pm, Phase from, Phase to,
                            const PipelineOptions &opts) {
  if (from < Phase::Quantize && to >= Phase::Quantize)
    buildQuantizePipeline(pm, opts);
  if (from < Phase::Linalg && to >= Phase::Linalg) {
    (void)addExtensions(pm, opts, ExtensionPoint::BeforeLowering);
    if (failed(buildLinalgPipeline(pm, opts)))
      return failure();
  }
  if (from < Phase::Bufferized && to >= Phase::Bufferized)
    buildBufferizePipeline(pm, opts);
  if (from < Phase::LLVM && to >= Phase::LLVM)
    return buildLLVMPipeline(pm, opts);
  return success();
}

namespace {
/// The pipelines' options in qcc-opt's syntax; each field of
/// PipelineOptions but the extensions.
struct PipelineCLOptions : public PassPipelineOptions<PipelineCLOptions> {
  Option<std::string> from{*this, "from",
                           llvm::cl::desc("qcc-pipeline: the input's phase "
                                          "(import, quantize, linalg, "
                                          "bufferized, llvm)"),
                           llvm::cl::init("import")};
  Option<std::string> to{*this, "to",
                         llvm::cl::desc("qcc-pipeline: the phase to stop "
                                        "after"),
                         llvm::cl::init("llvm")};
  Option<std::string> target{*this, "target",
                             llvm::cl::desc("registered target (cpu, cuda)"),
                             llvm::cl::init("cpu")};
  Option<std::string> quant{
      *this, "quant",
      llvm::cl::desc("none, f16, dynamic, int8, weight-only (or w2, w4, w8)"),
      llvm::cl::init("none")};
  Option<int64_t> weightBits{*this, "weight-bits",
                             llvm::cl::desc("weight-only: bits per weight"),
                             llvm::cl::init(4)};
  Option<int64_t> groupSize{*this, "group-size",
                            llvm::cl::desc("weight-only: weights per scale "
                                           "(0: per channel)"),
                            llvm::cl::init(128)};
  Option<bool> symmetric{*this, "weight-symmetric",
                         llvm::cl::desc("weight-only: no zero points"),
                         llvm::cl::init(false)};
  Option<bool> perTensorWeights{*this, "per-tensor-weights",
                                llvm::cl::desc("int8: one scale per weight"),
                                llvm::cl::init(false)};
  Option<bool> symmetricActivations{
      *this, "symmetric-activations",
      llvm::cl::desc("int8: int8 activations with zero point 0"),
      llvm::cl::init(false)};
  Option<bool> integerOnly{*this, "integer-only",
                           llvm::cl::desc("no float arithmetic"),
                           llvm::cl::init(false)};
  Option<bool> fuseQDQ{*this, "fuse-qdq",
                       llvm::cl::desc("Q/DQ patterns to integer kernels"),
                       llvm::cl::init(true)};
  Option<std::string> int8Dot{*this, "int8-dot",
                              llvm::cl::desc("CPU: int8 dot-product "
                                             "instructions (x86-avx512-vnni)"),
                              llvm::cl::init("")};
  Option<int64_t> weightGemvRows{
      *this, "weight-gemv-rows",
      llvm::cl::desc("CPU: fuse weight dequantization into contractions "
                     "of at most this many rows (0: never)"),
      llvm::cl::init(8)};
  Option<bool> weightGemvExact{
      *this, "weight-gemv-exact",
      llvm::cl::desc("CPU: fused weight GEMVs bit-identical to the unfused "
                     "contraction"),
      llvm::cl::init(false)};
  Option<bool> fma{*this, "fma",
                   llvm::cl::desc("the target has fused multiply-add"),
                   llvm::cl::init(false)};
  Option<std::string> gpuArch{*this, "gpu-arch",
                              llvm::cl::desc("GPU: architecture"),
                              llvm::cl::init("sm_80")};
  Option<int64_t> gpuBlockSize{*this, "gpu-block-size",
                               llvm::cl::desc("GPU: threads per block of "
                                              "the generic kernels"),
                               llvm::cl::init(256)};
  Option<std::string> gpuFloatMath{*this, "gpu-float-math",
                                   llvm::cl::desc("GPU: auto, tf32, f16, "
                                                  "f32"),
                                   llvm::cl::init("auto")};

  /// The PipelineOptions these say, or an error.
  llvm::Expected<PipelineOptions> get() const {
    PipelineOptions opts;
    opts.target = target;
    int64_t bits = 0;
    std::optional<QuantMode> mode = parseQuantMode(quant, &bits);
    if (!mode)
      return llvm::createStringError("quant=" + quant +
                                     ": expected none, f16, dynamic, int8, "
                                     "weight-only, w2, w4 or w8");
    opts.quant = *mode;
    opts.weightBits = bits ? bits : weightBits.getValue();
    opts.groupSize = groupSize;
    opts.symmetric = symmetric;
    opts.perTensorWeights = perTensorWeights;
    opts.symmetricActivations = symmetricActivations;
    opts.integerOnly = integerOnly;
    opts.fuseQDQ = fuseQDQ;
    opts.int8Dot = int8Dot;
    opts.fusedMultiplyAdd = fma;
    opts.weightGemvRows = weightGemvRows;
    opts.weightGemvExact = weightGemvExact;
    opts.gpuArch = gpuArch;
    opts.gpuBlockSize = gpuBlockSize;
    opts.gpuFloatMath = gpuFloatMath;
    registerAllTargets();
    if (!lookupTargetBackend(opts.target))
      return llvm::createStringError("target=" + opts.target +
                                     ": not a registered target");
    return opts;
  }
};
} // namespace

std::string pipelineOptionsString(const PipelineOptions &opts) {
  PipelineOptions defaults;
  std::string text;
  llvm::raw_string_ostream os(text);
  auto add = [&](llvm::StringRef name, const llvm::Twine &value) {
    os << (text.empty() ? "" : " ") << name << "=" << value;
  };
  auto flag = [](bool b) { return b ? "true" : "false"; };
  if (opts.target != defaults.target)
    add("target", opts.target);
  if (opts.quant != defaults.quant)
    add("quant", quantModeName(opts.quant));
  if (opts.quant == QuantMode::WeightOnly) {
    add("weight-bits", llvm::Twine(opts.weightBits));
    add("group-size", llvm::Twine(opts.groupSize));
    if (opts.symmetric)
      add("weight-symmetric", "true");
  }
  if (opts.perTensorWeights)
    add("per-tensor-weights", "true");
  if (opts.symmetricActivations)
    add("symmetric-activations", "true");
  if (opts.integerOnly)
    add("integer-only", "true");
  if (opts.fuseQDQ != defaults.fuseQDQ)
    add("fuse-qdq", flag(opts.fuseQDQ));
  if (!opts.int8Dot.empty())
    add("int8-dot", opts.int8Dot);
  if (opts.weightGemvRows != defaults.weightGemvRows)
    add("weight-gemv-rows", llvm::Twine(opts.weightGemvRows));
  if (opts.weightGemvExact)
    add("weight-gemv-exact", "true");
  if (opts.fusedMultiplyAdd)
    add("fma", "true");
  if (opts.gpuArch != defaults.gpuArch)
    add("gpu-arch", opts.gpuArch);
  if (opts.gpuBlockSize != defaults.gpuBlockSize)
    add("gpu-block-size", llvm::Twine(opts.gpuBlockSize));
  if (opts.gpuFloatMath != defaults.gpuFloatMath)
    add("gpu-float-math", opts.gpuFloatMath);
  return text;
}

LogicalResult parsePipelineOptions(llvm::StringRef text, PipelineOptions &opts,
                                   std::string *error) {
  PipelineCLOptions cl;
  if (failed(cl.parseFromString(text))) {
    if (error)
      *error = "cannot parse the pipeline options '" + text.str() + "'";
    return failure();
  }
  auto parsed = cl.get();
  if (!parsed) {
    if (error)
      *error = llvm::toString(parsed.takeError());
    return failure();
  }
  opts = std::move(*parsed);
  return success();
}

/// Registers `name`, building the phases `from`..`to` (from the options
/// for qcc-pipeline, when `fromOptions`).
static void registerPhasePipeline(llvm::StringRef name,
                                  llvm::StringRef description, Phase from,
                                  Phase to, bool fromOptions = false) {
  registerPassPipeline(
      name, description,
      [=](OpPassManager &pm, llvm::StringRef text,
          llvm::function_ref<LogicalResult(const llvm::Twine &)> error) {
        PipelineCLOptions cl;
        if (failed(cl.parseFromString(text)))
          return failure();
        auto opts = cl.get();
        if (!opts)
          return error(llvm::toString(opts.takeError()));
        Phase first = from, last = to;
        if (fromOptions) {
          auto f = parsePhase(cl.from), t = parsePhase(cl.to);
          if (!f || !t)
            return error("from= and to= take import, quantize, linalg, "
                         "bufferized or llvm");
          first = *f;
          last = *t;
        }
        return buildPipeline(pm, first, last, *opts);
      },
      [](llvm::function_ref<void(const detail::PassOptions &)> print) {
        print(PipelineCLOptions());
      });
}

void registerPipelines() {
  registerPhasePipeline("qcc-pipeline",
                        "qcc's phases from= to= (what `qcc --emit=mlir` "
                        "prints to replay a compile)",
                        Phase::Import, Phase::LLVM, /*fromOptions=*/true);
  registerPhasePipeline("qcc-quantize", "quantization of the qcc graph",
                        Phase::Import, Phase::Quantize);
  registerPhasePipeline("qcc-to-linalg",
                        "qcc graph to linalg on tensors, with the target's "
                        "code generation on tensors",
                        Phase::Quantize, Phase::Linalg);
  registerPhasePipeline("qcc-bufferize",
                        "linalg on tensors to memrefs with deallocation",
                        Phase::Linalg, Phase::Bufferized);
  registerPhasePipeline("qcc-to-llvm",
                        "memrefs to the LLVM dialect (and GPU kernels) by "
                        "the target",
                        Phase::Bufferized, Phase::LLVM);
  registerPhasePipeline("qcc-lower-to-llvm",
                        "qcc graph all the way to the LLVM dialect",
                        Phase::Import, Phase::LLVM);
}

} // namespace qcc
