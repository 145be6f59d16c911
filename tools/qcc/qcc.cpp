//===- qcc.cpp - the qcc compiler driver ----------------------------------===//
//
//   qcc model.onnx -o model.o                 object file + model.h
//   qcc model.onnx --emit=shared -o libm.so   shared library (+ header)
//   qcc model.onnx --compile-to=linalg --emit=mlir
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Export/ExportQDQ.h"
#include "qcc/Import/ONNX/ONNXImporter.h"
#include "qcc/InitAll.h"
#include "qcc/Pipelines/Pipelines.h"
#include "qcc/Quantization/Calibration.h"
#include "qcc/Quantization/MixedPrecision.h"
#include "qcc/Quantization/Overrides.h"
#include "qcc/Quantization/Report.h"
#include "qcc/Target/CPU/CPUTarget.h"
#include "qcc/Target/CUDA/CUDATarget.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;

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

enum class Emit { Object, Shared, MLIR, LLVMIR, Assembly, ONNX, PTX };
cl::opt<Emit> emit(
    "emit", cl::desc("What to write"), cl::init(Emit::Object),
    cl::values(clEnumValN(Emit::Object, "obj",
                          "object file + C header (default)"),
               clEnumValN(Emit::Shared, "shared", "shared library + C header"),
               clEnumValN(Emit::MLIR, "mlir", "MLIR after --compile-to"),
               clEnumValN(Emit::LLVMIR, "llvm", "optimized LLVM IR"),
               clEnumValN(Emit::Assembly, "asm", "assembly"),
               clEnumValN(Emit::PTX, "ptx",
                          "-target=cuda: the model's GPU kernels as PTX"),
               clEnumValN(Emit::ONNX, "onnx",
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
cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level (0-3)"),
                           cl::init(3), cl::Prefix, cl::cat(category));

int fail(const Twine &msg) {
  WithColor::error(errs(), "qcc") << msg << "\n";
  return 1;
}

std::string defaultOutput(StringRef stem) {
  switch (emit) {
  case Emit::Object:
    return (stem + ".o").str();
  case Emit::Shared:
    return ("lib" + stem + ".so").str();
  case Emit::MLIR:
    return "-";
  case Emit::LLVMIR:
    return (stem + ".ll").str();
  case Emit::Assembly:
    return (stem + ".s").str();
  case Emit::ONNX:
    return (stem + ".qdq.onnx").str();
  case Emit::PTX:
    return (stem + ".ptx").str();
  }
  return "-";
}
} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  cl::SetVersionPrinter([](raw_ostream &os) { os << "qcc 0.1 (LLVM 22)\n"; });
  // --help shows qcc's own options (LLVM's and MLIR's stay usable, listed by
  // --help-hidden).
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "qcc: compiles ONNX models to native code\n\n"
      "Examples:\n"
      "  qcc model.onnx -o model.o                  object + model.h (C ABI)\n"
      "  qcc model.onnx --emit=shared -o libm.so     shared library\n"
      "  qcc model.onnx --input-shape x=1x3x224x224  fix dynamic dims\n"
      "  qcc model.onnx --quant=f16                  float16 weights\n"
      "  qcc model.onnx --quant=dynamic              int8 MatMul/Gemm weights\n"
      "  qcc model.onnx --quant=int8 --calib=DIR     full integer, calibrated\n"
      "  qcc model.onnx --quant=int8 --calib=DIR --emit=onnx -o m.qdq.onnx\n"
      "                                             the same as QDQ ONNX\n"
      "  qcc model.onnx --quant=w4 --group-size=128  int4 weights (LLMs)\n"
      "  qcc model.onnx --quant=int8 --calib=DIR --calib-method=mse\n"
      "                                             clip ranges for least "
      "error\n"
      "  qcc model.onnx --quant=int8 --calib=DIR --eval=SET --report=r.json\n"
      "                                             per-layer SQNR, sizes, "
      "top-1\n"
      "  qcc model.onnx --quant=int8 --calib=DIR --accuracy-budget=40\n"
      "                                             keep sensitive layers "
      "float\n"
      "  qcc model.onnx --quant=int8 --calib=DIR --integer-only\n"
      "                                             no float arithmetic "
      "inside\n"
      "  qcc model.onnx --quant=w4 --exclude=/head/MatMul "
      "--quant-config=r.json\n"
      "  qcc model.onnx --quant=int8 --calib=DIR --load-pass-plugin=p.so \\\n"
      "      --pass-at='after-quantize=func.func(my-pass)'  your own passes\n"
      "  qcc model.onnx -target=cuda --gpu-arch=sm_90 -o m.o\n"
      "                                             NVIDIA GPU (host object "
      "with kernels)\n"
      "  qcc model.onnx -target=cuda --emit=ptx -o m.ptx   the kernels as PTX\n"
      "  qcc model.onnx -target=cuda --gpu-float-math=tf32 -o m.o\n"
      "                                             float products on tf32 "
      "tensor cores\n"
      "  qcc model.onnx --compile-to=linalg --emit=mlir   IR after a phase\n"
      "  qcc-run libm.so --input x=in.npy --expect out.npy\n\n"
      "Guides: docs/Quantization.md, docs/IntegerOnly.md, docs/CUDA.md, "
      "docs/Plugins.md, docs/ABI.md\n");

  for (const std::string &path : passPlugins) {
    auto plugin = mlir::PassPlugin::load(path);
    if (!plugin)
      return fail("--load-pass-plugin=" + path + ": " +
                  toString(plugin.takeError()));
    plugin->registerPassRegistryCallbacks();
  }

  auto to = qcc::parsePhase(compileTo);
  auto from = qcc::parsePhase(compileFrom);
  if (!to || !from)
    return fail("unknown phase (expected import, quantize, linalg, "
                "bufferized or llvm)");
  std::map<qcc::ExtensionPoint, std::vector<std::string>> extensions;
  for (const std::string &spec : passAt) {
    auto [pointName, pipeline] = StringRef(spec).split('=');
    auto point = qcc::parseExtensionPoint(pointName);
    if (!point || pipeline.empty())
      return fail("--pass-at=" + spec +
                  ": expected POINT=PIPELINE with POINT "
                  "one of after-import, after-calibration, after-quantize, "
                  "before-lowering");
    extensions[*point].push_back(pipeline.str());
  }
  int64_t modeBits = 0;
  auto quantMode = qcc::parseQuantMode(quant, &modeBits);
  if (!quantMode)
    return fail("--quant=" + quant +
                ": expected none, f16, dynamic, int8, w8, w4 or w2");
  bool weightOnly = *quantMode == qcc::QuantMode::WeightOnly;
  if (!weightOnly &&
      (weightBits.getNumOccurrences() || groupSize.getNumOccurrences() ||
       weightSymmetric.getNumOccurrences()))
    return fail("--weight-bits, --group-size and --weight-symmetric apply to "
                "the weight-only modes (--quant=w8|w4|w2)");
  if (weightBits.getNumOccurrences() && (weightBits < 2 || weightBits > 8))
    return fail("--weight-bits=" + Twine(weightBits.getValue()) +
                ": expected 2 to 8");
  if (groupSize.getNumOccurrences() && groupSize < 0)
    return fail("--group-size=" + Twine(groupSize.getValue()) +
                ": expected 0 (per channel) or a positive size");
  if ((*quantMode == qcc::QuantMode::Int8) != !calibDir.empty())
    return fail("--quant=int8 needs --calib=DIR, and --calib needs "
                "--quant=int8");
  if (int8Weights != "per-channel" && int8Weights != "per-tensor")
    return fail("--int8-weights=" + int8Weights +
                ": expected per-channel or per-tensor");
  if (int8Activations != "asymmetric" && int8Activations != "symmetric")
    return fail("--int8-activations=" + int8Activations +
                ": expected asymmetric or symmetric");
  if (integerOnly && (*quantMode == qcc::QuantMode::F16 ||
                      *quantMode == qcc::QuantMode::Dynamic ||
                      *quantMode == qcc::QuantMode::WeightOnly))
    return fail("--integer-only needs --quant=int8 (or a QDQ model and no "
                "--quant): --quant=" +
                quant + " computes in floating point");
  if ((int8Weights.getNumOccurrences() ||
       int8Activations.getNumOccurrences()) &&
      *quantMode != qcc::QuantMode::Int8)
    return fail("--int8-weights and --int8-activations apply to --quant=int8");
  auto method = qcc::parseCalibMethod(calibMethod);
  if (!method)
    return fail(
        "--calib-method=" + calibMethod +
        ": expected minmax, moving-average, percentile, entropy or mse");
  if (!(calibPercentile > 50 && calibPercentile <= 100))
    return fail("--calib-percentile must be in (50, 100]");
  if (!(calibAverage > 0 && calibAverage <= 1))
    return fail("--calib-average must be in (0, 1]");
  if (optLevel > 3)
    return fail("-O" + Twine(optLevel.getValue()) + ": levels are 0 to 3");
  if (emit != Emit::MLIR && outputPath == "-")
    return fail("-o -: only --emit=mlir can be written to standard output");
  if (emit == Emit::ONNX && *quantMode != qcc::QuantMode::Int8)
    return fail("--emit=onnx writes the quantization of --quant=int8");
  if (emit == Emit::ONNX && StringRef(inputPath).ends_with(".mlir"))
    return fail("--emit=onnx needs an ONNX model as input");
  if (emit != Emit::MLIR && *to != qcc::Phase::LLVM)
    return fail("--compile-to stops before code generation; use --emit=mlir");

  mlir::DialectRegistry registry;
  qcc::registerAllDialects(registry);
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();

  StringRef stem = sys::path::stem(inputPath);
  mlir::OwningOpRef<mlir::ModuleOp> module;
  qcc::ImportOptions options;
  if (StringRef(inputPath).ends_with(".mlir")) {
    SourceMgr sm;
    mlir::SourceMgrDiagnosticHandler handler(sm, &ctx);
    module = mlir::parseSourceFile<mlir::ModuleOp>(inputPath, sm, &ctx);
    if (!module)
      return 1;
  } else {
    if (*from != qcc::Phase::Import)
      return fail("--compile-from applies to .mlir inputs only");
    if (Error e = qcc::parseInputShapes(inputShapes, options.inputShapes))
      return fail(toString(std::move(e)));
    if (Error e = qcc::parseBoundInputs(bindInputs, options.boundInputs))
      return fail(toString(std::move(e)));
    // `.onnxtxt`: ONNX's textual syntax (onnx/defs/parser.h), used by tests.
    Expected<mlir::OwningOpRef<mlir::ModuleOp>> imported =
        mlir::OwningOpRef<mlir::ModuleOp>();
    if (StringRef(inputPath).ends_with(".onnxtxt")) {
      auto buffer = MemoryBuffer::getFile(inputPath);
      if (!buffer)
        return fail(inputPath + ": " + buffer.getError().message());
      imported =
          qcc::importONNXText((*buffer)->getBuffer(), inputPath, ctx, options);
    } else {
      imported = qcc::importONNXFile(inputPath, ctx, options);
    }
    if (!imported)
      return fail(toString(imported.takeError()));
    module = std::move(*imported);
  }
  // Diagnostics of passes (an unquantizable weight, a layer kept in float)
  // name the model file and node.
  mlir::ScopedDiagnosticHandler diagnostics(&ctx, [](mlir::Diagnostic &d) {
    raw_ostream &os = errs();
    os << "qcc: ";
    switch (d.getSeverity()) {
    case mlir::DiagnosticSeverity::Error:
      os << "error: ";
      break;
    case mlir::DiagnosticSeverity::Warning:
      os << "warning: ";
      break;
    default:
      os << "note: ";
      break;
    }
    // Graph ops carry NameLoc(node, file): "FILE: node 'NAME': ...".
    if (auto named = dyn_cast<mlir::NameLoc>(d.getLocation())) {
      if (auto file = dyn_cast<mlir::FileLineColLoc>(named.getChildLoc()))
        os << file.getFilename().getValue() << ": ";
      os << "node '" << named.getName().getValue() << "': ";
    } else if (!isa<mlir::UnknownLoc>(d.getLocation())) {
      os << d.getLocation() << ": ";
    }
    os << d << "\n";
    for (mlir::Diagnostic &note : d.getNotes())
      if (!StringRef(note.str()).starts_with("see current operation"))
        os << "qcc: note: " << note << "\n";
    return mlir::success();
  });
  std::string prefix = qcc::toCIdentifier(
      modelName.empty() ? StringRef(stem) : StringRef(modelName));

  // The ABI signature is read before lowering rewrites types.
  auto signature = qcc::readSignature(*module);
  if (!signature && emit != Emit::MLIR)
    return fail(toString(signature.takeError()));

  // Per-layer rules before anything reads the layers.
  std::vector<qcc::QuantRule> rules = qcc::excludeRules(excludes);
  if (!quantConfig.empty()) {
    auto parsed = qcc::parseRulesFile(quantConfig);
    if (!parsed)
      return fail(toString(parsed.takeError()));
    rules.insert(rules.end(), parsed->begin(), parsed->end());
  }
  if (!rules.empty() && *quantMode == qcc::QuantMode::None)
    return fail("--exclude and --quant-config need a --quant mode");
  if (Error e = qcc::applyRules(*module, rules))
    return fail(toString(std::move(e)));

  qcc::CPUTargetOptions target;
  target.triple = triple;
  target.cpu = cpu;
  target.features = mattr;
  target.prefix = prefix;
  target.optLevel = optLevel;
  // Integer-only objects are also standalone (docs/IntegerOnly.md).
  target.standalone = integerOnly;

  qcc::PipelineOptions pipelineOptions;
  pipelineOptions.quant = *quantMode;
  qcc::CUDATargetOptions cudaTarget;
  bool cuda = targetName == "cuda";
  if (cuda) {
    if (!qcc::isSupportedGPUArch(gpuArch))
      return fail("unsupported --gpu-arch '" + gpuArch +
                  "': give sm_70 or later (sm_80, sm_86, sm_89, sm_90, "
                  "sm_90a, ...)");
    if (integerOnly)
      return fail("--integer-only targets integer-only CPUs; -target=cuda "
                  "runs int8 kernels with --quant=int8");
    if (gpuFloatMath != "auto" && gpuFloatMath != "tf32" &&
        gpuFloatMath != "f16" && gpuFloatMath != "f32")
      return fail("unknown --gpu-float-math '" + gpuFloatMath +
                  "': give auto, tf32, f16 or f32");
    pipelineOptions.gpuFloatMath = gpuFloatMath;
    cudaTarget.arch = gpuArch;
    cudaTarget.toolkit = cudaPath;
    cudaTarget.host = target;
    pipelineOptions.target = qcc::TargetKind::CUDA;
    pipelineOptions.gpuArch = gpuArch;
  } else if (targetName != "cpu") {
    return fail("unknown -target '" + targetName + "': give cpu or cuda");
  } else if (emit == Emit::PTX) {
    return fail("--emit=ptx needs -target=cuda");
  } else if (auto kernel = qcc::int8DotKernel(target)) {
    // Integer kernels use the target's dot-product instructions.
    pipelineOptions.int8Dot = *kernel;
    if (auto fma = qcc::hasFusedMultiplyAdd(target))
      pipelineOptions.fusedMultiplyAdd = *fma;
    else
      return fail(toString(fma.takeError()));
  } else {
    return fail(toString(kernel.takeError()));
  }
  pipelineOptions.extensions = extensions;
  pipelineOptions.perTensorWeights = int8Weights == "per-tensor";
  pipelineOptions.integerOnly = integerOnly;
  pipelineOptions.symmetricActivations = int8Activations == "symmetric";
  if (weightOnly) {
    pipelineOptions.weightBits = weightBits ? weightBits : modeBits;
    pipelineOptions.groupSize = groupSize >= 0 ? groupSize : 128;
    pipelineOptions.symmetric = weightSymmetric;
  }
  // Extension pipelines: parsed up front (a typo fails before any work),
  // run here for the points before quantization, by the pipeline builders
  // for the others.
  for (auto &[point, pipelines] : extensions) {
    mlir::PassManager scratch(&ctx);
    std::string error;
    if (failed(qcc::addExtensions(scratch, pipelineOptions, point, &error)))
      return fail("--pass-at: " + StringRef(error).trim());
  }
  auto runAt = [&](qcc::ExtensionPoint point) -> bool {
    if (!extensions.count(point))
      return true;
    mlir::PassManager pm(&ctx);
    (void)qcc::addExtensions(pm, pipelineOptions, point);
    return succeeded(pm.run(*module));
  };
  if (!runAt(qcc::ExtensionPoint::AfterImport))
    return fail("an after-import pass failed on '" + inputPath + "'");

  std::vector<qcc::ObservedRange> ranges;
  if (*quantMode == qcc::QuantMode::Int8) {
    // Calibrate the canonical float graph that quantization will rewrite.
    mlir::PassManager canon(&ctx);
    canon.addPass(mlir::createCanonicalizerPass());
    canon.addNestedPass<mlir::func::FuncOp>(qcc::createFoldBatchNorm());
    // Every fully connected layer as MatMul + bias (observed and fused so).
    canon.addNestedPass<mlir::func::FuncOp>(qcc::createGemmToMatMul());
    canon.addPass(mlir::createCanonicalizerPass());
    if (failed(canon.run(*module)))
      return fail("canonicalization failed");
    qcc::CalibrationOptions calib;
    calib.dir = calibDir;
    calib.maxSamples = calibSamples;
    calib.observer.method = *method;
    calib.observer.percentile = calibPercentile;
    calib.observer.averagingConstant = calibAverage;
    calib.integerOnly = integerOnly;
    if (Error e = qcc::calibrate(*module, calib, &ranges))
      return fail(toString(std::move(e)));
  }
  if (!runAt(qcc::ExtensionPoint::AfterCalibration))
    return fail("an after-calibration pass failed on '" + inputPath + "'");

  if (emit == Emit::ONNX) {
    // qcc's quantization with Q/DQ left explicit, written into the model.
    mlir::PassManager quantize(&ctx);
    qcc::PipelineOptions qdq = pipelineOptions;
    qdq.fuseQDQ = false;
    qcc::buildQuantizePipeline(quantize, qdq);
    if (failed(quantize.run(*module)))
      return fail("quantization of '" + inputPath + "' failed (see above)");
    std::string out = outputPath.empty() ? defaultOutput(stem) : outputPath;
    if (Error e = qcc::exportQDQ(inputPath, options, *module, out))
      return fail(toString(std::move(e)));
    return 0;
  }

  mlir::PassManager pm(&ctx);
  if (failed(mlir::applyPassManagerCLOptions(pm)))
    return fail("invalid pass manager options");
  mlir::applyDefaultTimingPassManagerCLOptions(pm);
  qcc::buildPipeline(pm, *from, *to, pipelineOptions);

  if (accuracyBudget.getNumOccurrences()) {
    qcc::AccuracyBudget budget;
    budget.minSQNR = accuracyBudget;
    budget.dataPath = !evalPath.empty() ? evalPath : calibDir;
    budget.maxSamples = !evalPath.empty() ? evalSamples : calibSamples;
    if (budget.dataPath.empty())
      return fail("--accuracy-budget measures on samples: give --eval=SET "
                  "(or --calib with --quant=int8)");
    if (*quantMode == qcc::QuantMode::None)
      return fail("--accuracy-budget needs a --quant mode");
    auto mixed = qcc::applyAccuracyBudget(*module, pipelineOptions, budget);
    if (!mixed)
      return fail(toString(mixed.takeError()));
    auto &m = *mixed;
    errs() << formatv("accuracy budget {0:F1} dB: all layers quantized give "
                      "{1:F1} dB",
                      budget.minSQNR, m.fullSQNR);
    if (m.kept.empty())
      errs() << "; nothing kept at higher precision\n";
    else
      errs() << formatv("; kept {0} of {1} layers at higher precision ({2}) "
                        "for {3:F1} dB\n",
                        m.kept.size(), m.sensitivity.size(),
                        llvm::join(m.kept, ", "), m.finalSQNR);
    if (m.finalSQNR < budget.minSQNR)
      errs() << "qcc: warning: the budget cannot be met even with every "
                "layer at higher precision\n";
  }

  // The report measures the graph as quantization will see it, before the
  // pipeline rewrites it in place.
  bool reporting = !reportPath.empty() || !evalPath.empty();
  qcc::ReportOptions reportOptions;
  reportOptions.model = inputPath;
  reportOptions.mode = quant;
  reportOptions.dataPath = !evalPath.empty() ? evalPath : calibDir;
  reportOptions.maxSamples = !evalPath.empty() ? evalSamples : calibSamples;
  qcc::ReportBuilder reportBuilder(reportOptions);
  if (reporting) {
    if (*from != qcc::Phase::Import || !signature)
      return fail("--report and --eval need an ONNX model (or imported MLIR)");
    if (Error e = reportBuilder.analyze(*module, pipelineOptions))
      return fail(toString(std::move(e)));
    reportBuilder.report().calibration = ranges;
    if (*quantMode == qcc::QuantMode::Int8)
      reportBuilder.report().calibMethod = calibMethod;
  }
  if (failed(pm.run(*module)))
    return fail("compilation of '" + inputPath + "' failed (see above)");

  // Lowering may have planned a workspace, and --integer-only made the
  // edge tensors 8-bit (the signature attributes say so).
  if (signature) {
    if (auto lowered = qcc::readSignature(*module))
      signature = std::move(*lowered);
    else
      return fail(toString(lowered.takeError()));
  }
  if (reporting && *to == qcc::Phase::LLVM) {
    if (Error e = reportBuilder.evaluate(*module, *signature))
      return fail(toString(std::move(e)));
  }
  if (reporting) {
    reportBuilder.report().printTable(errs());
    if (!reportPath.empty()) {
      std::string error;
      auto file = mlir::openOutputFile(reportPath, &error);
      if (!file)
        return fail(error);
      file->os() << formatv("{0:2}", reportBuilder.report().toJSON()) << "\n";
      file->keep();
    }
  }

  std::string out = outputPath.empty() ? defaultOutput(stem) : outputPath;
  if (emit == Emit::MLIR) {
    std::string error;
    auto file = mlir::openOutputFile(out, &error);
    if (!file)
      return fail(error);
    module->print(file->os());
    file->keep();
    return 0;
  }

  if (emit == Emit::PTX) {
    if (*to != qcc::Phase::LLVM)
      return fail("--emit=ptx writes the compiled kernels: drop --compile-to");
    if (Error e = qcc::emitPTX(*module, cudaTarget, out))
      return fail(toString(std::move(e)));
    return 0;
  }
  qcc::EmitKind kind = emit == Emit::Object   ? qcc::EmitKind::Object
                       : emit == Emit::Shared ? qcc::EmitKind::Shared
                       : emit == Emit::LLVMIR ? qcc::EmitKind::LLVMIR
                                              : qcc::EmitKind::Assembly;
  if (Error e = cuda ? qcc::emitCUDA(*module, *signature, cudaTarget, kind, out)
                     : qcc::emitCPU(*module, *signature, target, kind, out))
    return fail(toString(std::move(e)));

  if (kind == qcc::EmitKind::Object || kind == qcc::EmitKind::Shared) {
    SmallString<256> header(out);
    sys::path::remove_filename(header);
    sys::path::append(header, prefix + ".h");
    std::string error;
    auto file = mlir::openOutputFile(header, &error);
    if (!file) {
      sys::fs::remove(out);
      return fail(error);
    }
    file->os() << qcc::generateHeader(
        *signature, prefix,
        cuda ? qcc::cudaTargetName(cudaTarget) : qcc::resolvedTriple(target));
    file->keep();
  }
  return 0;
}
