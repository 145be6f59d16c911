//===- Flags.cpp - qcc's command line as CompileOptions -------------------===//
//
// Every flag of the qcc driver, registered as LLVM command-line options in
// the "qcc options" category, and read back as CompileOptions.
//
//===----------------------------------------------------------------------===//
#include "qcc/Compiler/Flags.h"
#include "qcc/Compiler/Compiler.h"

#include "llvm/Support/CommandLine.h"

using namespace llvm;

namespace qcc {
namespace {
cl::OptionCategory category("qcc options");

cl::opt<std::string>
    inputPath(cl::Positional,
              cl::desc("<model.onnx | model.onnxtxt | file.mlir>"),
              cl::Required, cl::cat(category));
cl::opt<std::string> outputPath("o",
                                cl::desc("Output file (default: from the "
                                         "model name and --emit)"),
                                cl::value_desc("path"), cl::cat(category));

cl::opt<OutputKind> emit(
    "emit", cl::desc("What to write"), cl::init(OutputKind::Object),
    cl::values(clEnumValN(OutputKind::Object, "obj",
                          "object file + C header (default)"),
               clEnumValN(OutputKind::Shared, "shared", "shared library + C header"),
               clEnumValN(OutputKind::MLIR, "mlir", "MLIR after --compile-to"),
               clEnumValN(OutputKind::LLVMIR, "llvm", "optimized LLVM IR"),
               clEnumValN(OutputKind::Assembly, "asm", "assembly"),
               clEnumValN(OutputKind::DeviceAssembly, "ptx",
                          "-target=cuda: the model's GPU kernels as PTX"),
               clEnumValN(OutputKind::ONNX, "onnx",
                          "the model with qcc's int8 quantization as "
                          "standard QDQ ONNX (QuantizeLinear/"
                          "DequantizeLinear), for other runtimes")),
    cl::cat(category));

cl::opt<std::string> quant(
    "quant",
    cl::desc("Quantization: none (default), f16 (float16 weights, float32 "
             "arithmetic), dynamic (int8 MatMul/Gemm weights per column, "
             "activations quantized at run time), int8 (full integer Conv/"
             "MatMul from a calibration set, see --calib), w8, w4, w2 "
             "(weight-only: MatMul/Gemm weights in 8/4/2 bits with a scale "
             "per group, float activations; see --group-size)"),
    cl::init("none"), cl::cat(category));

cl::opt<int64_t> weightBits(
    "weight-bits",
    cl::desc("Weight-only modes: bits per weight, 2 to 8 (default: from "
             "--quant=wN). 2 and 3-4 bit values are packed 4 and 2 to a byte"),
    cl::init(0), cl::cat(category));
cl::opt<int64_t> groupSize(
    "group-size",
    cl::desc("Weight-only modes: weights per scale along the reduction "
             "axis (default 128; 0: one scale per output channel)"),
    cl::init(-1), cl::cat(category));
cl::opt<bool> weightSymmetric(
    "weight-symmetric",
    cl::desc("Weight-only modes: signed weights without zero points "
             "(default: asymmetric, unsigned with a zero point per group)"),
    cl::init(false), cl::cat(category));

cl::opt<std::string> calibDir(
    "calib",
    cl::desc("Calibration set for --quant=int8: a folder with one sub-folder "
             "per sample holding <input>.npy or input_<k>.pb"),
    cl::value_desc("dir"), cl::cat(category));
cl::opt<std::string> calibMethod(
    "calib-method",
    cl::desc("How --quant=int8 picks each activation range from the "
             "calibration set: minmax (default), moving-average (per-sample "
             "min/max averaged with --calib-average), percentile (clip each "
             "tail beyond --calib-percentile), entropy (TensorRT's KL "
             "threshold), mse (range minimizing the quantization error)"),
    cl::init("minmax"), cl::cat(category));
cl::opt<double> calibPercentile(
    "calib-percentile",
    cl::desc("percentile method: share of values kept per tail (default "
             "99.999)"),
    cl::init(99.999), cl::cat(category));
cl::opt<double> calibAverage(
    "calib-average",
    cl::desc("moving-average method: weight of each sample (default 0.01, "
             "as ONNX Runtime)"),
    cl::init(0.01), cl::cat(category));
cl::opt<std::string>
    int8Weights("int8-weights",
                cl::desc("--quant=int8 weight scales: per-channel (default) or "
                         "per-tensor"),
                cl::init("per-channel"), cl::cat(category));
cl::opt<std::string> int8Activations(
    "int8-activations",
    cl::desc("--quant=int8 activations: asymmetric (uint8 with a zero "
             "point, default) or symmetric (int8, zero point 0)"),
    cl::init("asymmetric"), cl::cat(category));
cl::opt<bool> integerOnly(
    "integer-only",
    cl::desc("With --quant=int8 (or a QDQ model): no floating-point work at "
             "all: 8-bit inputs and outputs (int16 on a transformer's residual "
             "stream; scales and zero points in the header and P_quant_info), "
             "fixed-point requantization, lookup tables, integer Softmax and "
             "LayerNorm, and a standalone object (no libc calls, no state) for "
             "any -mtriple, Cortex-M included (docs/IntegerOnly.md); an op "
             "without an integer form is an error naming its node"),
    cl::init(false), cl::cat(category));
cl::opt<int64_t> calibSamples("calib-samples",
                              cl::desc("Use at most N calibration samples"),
                              cl::init(0), cl::cat(category));

cl::list<std::string> excludes(
    "exclude",
    cl::desc("Keep layers in float: an ONNX op type (Conv, ConvTranspose, "
             "MatMul, Gemm) or a node name (repeatable or comma-separated)"),
    cl::CommaSeparated, cl::value_desc("name|op"), cl::cat(category));
cl::opt<std::string> quantConfig(
    "quant-config",
    cl::desc("Per-layer rules in JSON: {\"rules\": [{\"name\": REGEX, "
             "\"op\": TYPE, \"quant\": \"float\" | \"weight_bits\": N, "
             "\"group_size\": G, \"symmetric\": B}]}; later rules win"),
    cl::value_desc("file.json"), cl::cat(category));

cl::list<std::string> passPlugins(
    "load-pass-plugin",
    cl::desc("Load a pass plugin (a shared library exporting "
             "mlirGetPassPluginInfo) whose passes --pass-at can run"),
    cl::value_desc("lib.so"), cl::cat(category));
cl::list<std::string> passAt(
    "pass-at",
    cl::desc("Run a pass pipeline at an extension point: POINT=PIPELINE, "
             "POINT one of after-import, after-calibration, after-quantize "
             "(Q/DQ explicit, before integer fusion), before-lowering; "
             "PIPELINE as qcc-opt spells it, e.g. 'func.func(my-pass)' "
             "(repeatable; see docs/Plugins.md)"),
    cl::value_desc("point=pipeline"), cl::cat(category));

cl::opt<double> accuracyBudget(
    "accuracy-budget",
    cl::desc("Mixed precision: the least SQNR (dB) of the outputs against "
             "float to keep, measured on --eval (or the calibration set); "
             "the most sensitive layers stay at higher precision (float, or "
             "8-bit weights in the weight-only modes) until it is met"),
    cl::value_desc("dB"), cl::cat(category));

cl::opt<std::string> reportPath(
    "report",
    cl::desc("Write a JSON quantization report (per layer: scheme, bits, "
             "bytes before/after, SQNR against float; totals; output "
             "metrics) to FILE ('-': standard output) and print it as a "
             "table on standard error"),
    cl::value_desc("file.json"), cl::cat(category));
cl::opt<std::string> evalPath(
    "eval",
    cl::desc("Evaluation set (folder or .npz, as --calib): run float and "
             "quantized on it and print SQNR, cosine, max abs error and "
             "top-1 agreement per output, and per-layer SQNR (default for "
             "--report: the calibration set)"),
    cl::value_desc("path"), cl::cat(category));
cl::opt<int64_t> evalSamples("eval-samples",
                             cl::desc("Use at most N evaluation samples"),
                             cl::init(0), cl::cat(category));

cl::opt<std::string> compileTo(
    "compile-to",
    cl::desc("Stop after a phase (with --emit=mlir): import, quantize, "
             "linalg, bufferized, llvm"),
    cl::init("llvm"), cl::cat(category));
cl::opt<std::string>
    compileFrom("compile-from",
                cl::desc("Phase of an .mlir input (import, quantize, linalg, "
                         "bufferized, llvm)"),
                cl::init("import"), cl::cat(category));

cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Static shape for a dynamic input: NAME=1x3x224x224 (repeatable "
             "or comma-separated)"),
    cl::value_desc("name=dims"), cl::cat(category));

cl::list<std::string> bindInputs(
    "bind-input",
    cl::desc("Freeze a graph input to a tensor file (.npy or .pb): NAME=FILE. "
             "It becomes a constant and leaves the compiled inputs"),
    cl::value_desc("name=file"), cl::cat(category));

cl::opt<std::string> modelName("name",
                               cl::desc("C symbol prefix P of P_info/P_run "
                                        "(default: the model file stem)"),
                               cl::cat(category));
cl::opt<std::string> targetName(
    "target",
    cl::desc("Where the model runs: cpu (default; the host or -mtriple) or "
             "cuda (NVIDIA GPUs: kernels in the object, CUDA driver loaded at "
             "run time; docs/CUDA.md)"),
    cl::init("cpu"), cl::cat(category));
cl::opt<std::string> gpuArch(
    "gpu-arch",
    cl::desc("-target=cuda: GPU architecture, sm_70 and later (default "
             "sm_80; sm_90 for H100)"),
    cl::init("sm_80"), cl::cat(category));
cl::opt<std::string> gpuFloatMath(
    "gpu-float-math",
    cl::desc("-target=cuda: float MatMuls and convolutions on tensor cores "
             "(f32 sums) or f32 FMAs: auto (default: tf32 tensor cores where "
             "the weights are f16, as with --quant=f16), tf32 (all; 10-bit "
             "mantissas), f16 (all; f16 operands, twice tf32's rate, range "
             "65504), f32 (none; exact f32 products)"),
    cl::init("auto"), cl::cat(category));
cl::opt<std::string> cudaPath(
    "cuda-path",
    cl::desc("-target=cuda: the CUDA toolkit for ptxas/fatbinary/libdevice "
             "(default $CUDA_PATH, then /usr/local/cuda; without one the "
             "object holds PTX the driver compiles)"),
    cl::cat(category));
cl::opt<std::string> triple("mtriple",
                            cl::desc("Target triple (default: host)"),
                            cl::cat(category));
cl::opt<std::string> cpu("mcpu", cl::desc("Target CPU (default: host CPU)"),
                         cl::cat(category));
cl::opt<std::string> mattr("mattr", cl::desc("Target features (+avx2,...)"),
                           cl::cat(category));
cl::opt<bool> timeReport(
    "time-report",
    cl::desc("Print where the compile's time went: import (with the "
             "weights), each pass, code generation and output"),
    cl::cat(category));
cl::opt<bool> progress(
    "progress",
    cl::desc("Show the running pass and the time so far on standard error "
             "(default: when it is a terminal; --progress=false hides it)"),
    cl::cat(category));
cl::opt<uint64_t> resourceMinBytes(
    "weight-resource-bytes",
    cl::desc("Initializers of at least this many bytes are mapped from "
             "external data and held outside the IR (default 1 MiB; tests "
             "lower it to run small models through that path)"),
    cl::Hidden, cl::cat(category));
cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level (0-3)"),
                           cl::init(3), cl::Prefix, cl::cat(category));

} // namespace

llvm::cl::OptionCategory &compilerFlagCategory() { return category; }

Expected<CompileOptions> compileOptionsFromFlags() {
  CompileOptions o;
  o.input = inputPath;
  o.output = outputPath;
  o.emit = emit;
  auto to = parsePhase(compileTo), from = parsePhase(compileFrom);
  if (!to || !from)
    return createStringError("unknown phase (expected import, quantize, "
                             "linalg, bufferized or llvm)");
  o.compileTo = *to;
  o.compileFrom = *from;
  o.inputShapes = inputShapes;
  o.bindInputs = bindInputs;
  o.name = modelName;
  o.timeReport = timeReport;
  if (progress.getNumOccurrences())
    o.progress = progress;
  if (resourceMinBytes.getNumOccurrences())
    o.resourceMinBytes = resourceMinBytes;
  o.quant = quant;
  if (weightBits.getNumOccurrences())
    o.weightBits = weightBits;
  if (groupSize.getNumOccurrences())
    o.groupSize = groupSize;
  if (weightSymmetric.getNumOccurrences())
    o.weightSymmetric = weightSymmetric;
  if (int8Weights.getNumOccurrences())
    o.int8Weights = int8Weights;
  if (int8Activations.getNumOccurrences())
    o.int8Activations = int8Activations;
  o.integerOnly = integerOnly;
  o.calib = calibDir;
  o.calibSamples = calibSamples;
  o.calibMethod = calibMethod;
  o.calibPercentile = calibPercentile;
  o.calibAverage = calibAverage;
  o.excludes = excludes;
  o.quantConfig = quantConfig;
  o.passAt = passAt;
  if (accuracyBudget.getNumOccurrences())
    o.accuracyBudget = accuracyBudget;
  o.report = reportPath;
  o.eval = evalPath;
  o.evalSamples = evalSamples;
  o.target.name = targetName;
  o.target.triple = triple;
  o.target.cpu = cpu;
  o.target.features = mattr;
  o.target.optLevel = optLevel;
  // Integer-only objects are also standalone (docs/IntegerOnly.md).
  o.target.standalone = integerOnly;
  o.target.gpuArch = gpuArch;
  o.target.gpuFloatMath = gpuFloatMath;
  o.target.toolkit = cudaPath;
  // qcc registers MLIR's pass-manager and timing flags (--mlir-timing, ...).
  o.commandLinePassOptions = true;
  return o;
}

ArrayRef<std::string> passPluginFlags() { return passPlugins; }

} // namespace qcc
