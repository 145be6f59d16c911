//===- Compiler.cpp - the compiler behind qcc and the Python API ----------===//
//
// import -> [after-import] -> calibrate -> [after-calibration] -> quantize
// -> [after-quantize] -> fuse -> [before-lowering] -> linalg -> target
// (the extension points in brackets all go through addExtensions).
//
//===----------------------------------------------------------------------===//
#include "qcc/Compiler/Compiler.h"
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Export/ONNX/ExportQDQ.h"
#include "qcc/Import/ONNX/ONNXImporter.h"
#include "qcc/InitAll.h"
#include "qcc/Quantization/Calibration.h"
#include "qcc/Quantization/MixedPrecision.h"
#include "qcc/Quantization/Overrides.h"
#include "qcc/Quantization/Report.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Support/Timing.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

#include <chrono>
#include <map>

using namespace llvm;

namespace qcc {

static Error fail(const Twine &msg) { return createStringError(msg); }

static std::string defaultOutput(OutputKind kind, StringRef stem) {
  switch (kind) {
  case OutputKind::Object:
    return (stem + ".o").str();
  case OutputKind::Shared:
    return ("lib" + stem + ".so").str();
  case OutputKind::MLIR:
    return "-";
  case OutputKind::LLVMIR:
    return (stem + ".ll").str();
  case OutputKind::Assembly:
    return (stem + ".s").str();
  case OutputKind::ONNX:
    return (stem + ".qdq.onnx").str();
  case OutputKind::DeviceAssembly:
    return (stem + ".ptx").str();
  }
  return "-";
}

static EmitKind emitKindOf(OutputKind kind) {
  switch (kind) {
  case OutputKind::Shared:
    return EmitKind::Shared;
  case OutputKind::LLVMIR:
    return EmitKind::LLVMIR;
  case OutputKind::Assembly:
    return EmitKind::Assembly;
  case OutputKind::DeviceAssembly:
    return EmitKind::DeviceAssembly;
  default:
    return EmitKind::Object;
  }
}

namespace {
/// The options, checked and turned into what the phases take.
struct Plan {
  PipelineOptions pipeline;
  const TargetBackend *backend = nullptr;
  ObserverOptions observer;
  std::map<ExtensionPoint, std::vector<std::string>> extensions;
};
} // namespace

/// Checks every option before any work, so that a typo fails at once.
static Expected<Plan> plan(const CompileOptions &o) {
  Plan p;
  PipelineOptions &po = p.pipeline;
  for (const std::string &spec : o.passAt) {
    auto [pointName, pipeline] = StringRef(spec).split('=');
    auto point = parseExtensionPoint(pointName);
    if (!point || pipeline.empty())
      return fail("--pass-at=" + spec +
                  ": expected POINT=PIPELINE with POINT "
                  "one of after-import, after-calibration, after-quantize, "
                  "before-lowering");
    p.extensions[*point].push_back(pipeline.str());
  }
  int64_t modeBits = 0;
  auto quantMode = parseQuantMode(o.quant, &modeBits);
  if (!quantMode || o.quant == "weight-only")
    return fail("--quant=" + o.quant +
                ": expected none, f16, dynamic, int8, w8, w4 or w2");
  po.quant = *quantMode;
  bool weightOnly = *quantMode == QuantMode::WeightOnly;
  if (!weightOnly && (o.weightBits || o.groupSize || o.weightSymmetric))
    return fail("--weight-bits, --group-size and --weight-symmetric apply to "
                "the weight-only modes (--quant=w8|w4|w2)");
  if (o.weightBits && (*o.weightBits < 2 || *o.weightBits > 8))
    return fail("--weight-bits=" + Twine(*o.weightBits) + ": expected 2 to 8");
  if (o.groupSize && *o.groupSize < 0)
    return fail("--group-size=" + Twine(*o.groupSize) +
                ": expected 0 (per channel) or a positive size");
  if ((*quantMode == QuantMode::Int8) != !o.calib.empty())
    return fail("--quant=int8 needs --calib=DIR, and --calib needs "
                "--quant=int8");
  if (!o.int8Weights.empty() && o.int8Weights != "per-channel" &&
      o.int8Weights != "per-tensor")
    return fail("--int8-weights=" + o.int8Weights +
                ": expected per-channel or per-tensor");
  if (!o.int8Activations.empty() && o.int8Activations != "asymmetric" &&
      o.int8Activations != "symmetric")
    return fail("--int8-activations=" + o.int8Activations +
                ": expected asymmetric or symmetric");
  if (o.integerOnly &&
      (*quantMode == QuantMode::F16 || *quantMode == QuantMode::Dynamic ||
       weightOnly))
    return fail("--integer-only needs --quant=int8 (or a QDQ model and no "
                "--quant): --quant=" +
                o.quant + " computes in floating point");
  if ((!o.int8Weights.empty() || !o.int8Activations.empty()) &&
      *quantMode != QuantMode::Int8)
    return fail("--int8-weights and --int8-activations apply to --quant=int8");
  auto method = parseCalibMethod(o.calibMethod);
  if (!method)
    return fail(
        "--calib-method=" + o.calibMethod +
        ": expected minmax, moving-average, percentile, entropy or mse");
  if (!(o.calibPercentile > 50 && o.calibPercentile <= 100))
    return fail("--calib-percentile must be in (50, 100]");
  if (!(o.calibAverage > 0 && o.calibAverage <= 1))
    return fail("--calib-average must be in (0, 1]");
  p.observer.method = *method;
  p.observer.percentile = o.calibPercentile;
  p.observer.averagingConstant = o.calibAverage;
  if (o.target.optLevel > 3)
    return fail("-O" + Twine(o.target.optLevel) + ": levels are 0 to 3");
  if (o.emit != OutputKind::MLIR && o.output == "-")
    return fail("-o -: only --emit=mlir can be written to standard output");
  if (o.emit == OutputKind::ONNX && *quantMode != QuantMode::Int8)
    return fail("--emit=onnx writes the quantization of --quant=int8");
  if (o.emit == OutputKind::ONNX && StringRef(o.input).ends_with(".mlir"))
    return fail("--emit=onnx needs an ONNX model as input");
  if (o.emit != OutputKind::MLIR && o.compileTo != Phase::LLVM)
    return fail("--compile-to stops before code generation; use --emit=mlir");
  if (!StringRef(o.input).ends_with(".mlir") &&
      o.compileFrom != Phase::Import)
    return fail("--compile-from applies to .mlir inputs only");
  if (o.accuracyBudget) {
    if (o.eval.empty() && o.calib.empty())
      return fail("--accuracy-budget measures on samples: give --eval=SET "
                  "(or --calib with --quant=int8)");
    if (*quantMode == QuantMode::None)
      return fail("--accuracy-budget needs a --quant mode");
  }

  po.extensions = p.extensions;
  po.perTensorWeights = o.int8Weights == "per-tensor";
  po.integerOnly = o.integerOnly;
  po.symmetricActivations = o.int8Activations == "symmetric";
  if (weightOnly) {
    po.weightBits = o.weightBits.value_or(modeBits);
    po.groupSize = o.groupSize.value_or(128);
    po.symmetric = o.weightSymmetric.value_or(false);
  }

  registerAllTargets();
  p.backend = lookupTargetBackend(o.target.name);
  if (!p.backend)
    return fail("unknown -target '" + o.target.name + "': give " +
                join(targetBackendNames(), " or "));
  po.target = o.target.name;
  if (o.emit == OutputKind::DeviceAssembly &&
      !p.backend->canEmit(EmitKind::DeviceAssembly))
    return fail("--emit=ptx needs -target=cuda: target '" + o.target.name +
                "' has no device code");
  if (Error e = p.backend->configure(o.target, po))
    return std::move(e);
  return std::move(p);
}

/// Prints pass diagnostics (an unquantizable weight, a layer kept in float)
/// naming the model file and node: graph ops carry NameLoc(node, file).
static mlir::LogicalResult printDiagnostic(mlir::Diagnostic &d) {
  raw_ostream &os = errs();
  // Clears a progress line first (only a terminal shows one).
  if (sys::Process::StandardErrIsDisplayed())
    os << "\r\x1b[K";
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
}

namespace {
/// Releases the weights a pass left behind (the float originals of
/// quantized weights, repacked inputs) after each pass on the module, so
/// that a compile holds one version of each weight at a time.
struct ReleaseUnusedWeights : mlir::PassInstrumentation {
  void runAfterPass(mlir::Pass *, mlir::Operation *op) override {
    if (isa<mlir::ModuleOp>(op))
      releaseUnusedWeights(op);
  }
};
/// On a terminal: the running pass and the time so far, on one line.
struct Progress : mlir::PassInstrumentation {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  void runBeforePass(mlir::Pass *pass, mlir::Operation *op) override {
    if (!isa<mlir::ModuleOp>(op))
      return;
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                             start)
                   .count();
    StringRef name = pass->getName();
    if (name.contains("PassAdaptor"))
      name = "function passes";
    errs() << formatv("\r\x1b[Kqcc: [{0,6:F1} s] {1}", s, name);
    errs().flush();
  }
  ~Progress() override { errs() << "\r\x1b[K"; }
};
} // namespace

/// The model as the qcc graph (or the .mlir input as it is).
static Expected<mlir::OwningOpRef<mlir::ModuleOp>>
load(const CompileOptions &o, mlir::MLIRContext &ctx, ImportOptions &import) {
  if (StringRef(o.input).ends_with(".mlir")) {
    SourceMgr sm;
    mlir::SourceMgrDiagnosticHandler handler(sm, &ctx);
    auto module = mlir::parseSourceFile<mlir::ModuleOp>(o.input, sm, &ctx);
    if (!module)
      return fail("cannot parse '" + o.input + "'");
    return std::move(module);
  }
  if (Error e = parseInputShapes(o.inputShapes, import.inputShapes))
    return std::move(e);
  if (Error e = parseBoundInputs(o.bindInputs, import.boundInputs))
    return std::move(e);
  // `.onnxtxt`: ONNX's textual syntax (onnx/defs/parser.h), used by tests.
  if (StringRef(o.input).ends_with(".onnxtxt")) {
    auto buffer = MemoryBuffer::getFile(o.input);
    if (!buffer)
      return fail(o.input + ": " + buffer.getError().message());
    return importONNXText((*buffer)->getBuffer(), o.input, ctx, import);
  }
  return importONNXFile(o.input, ctx, import);
}

/// Runs the extensions registered at `point` (named `pointName`) on
/// `module`.
static Error runExtensions(mlir::ModuleOp module, const PipelineOptions &po,
                           ExtensionPoint point, StringRef pointName,
                           StringRef input) {
  if (!po.extensions.count(point))
    return Error::success();
  mlir::PassManager pm(module.getContext());
  (void)addExtensions(pm, po, point);
  if (failed(pm.run(module)))
    return fail("an " + pointName + " pass failed on '" + input + "'");
  return Error::success();
}

/// The qcc-opt commands that replay an MLIR compile (printReplay).
static void printReplay(const CompileOptions &o, const PipelineOptions &po,
                        StringRef out) {
  std::string opts = pipelineOptionsString(po);
  auto command = [&](StringRef file, Phase from, Phase to) {
    std::string text = "qcc-opt " + file.str() + " --qcc-pipeline='from=" +
                       phaseName(from).str() + " to=" + phaseName(to).str();
    if (!opts.empty())
      text += " " + opts;
    return text + "'";
  };
  // The phase the compile started from: the .mlir input itself, or what
  // --compile-to=import writes for an ONNX model (calibrated, with rules).
  bool fromMLIR = StringRef(o.input).ends_with(".mlir");
  if (o.compileTo != o.compileFrom) {
    errs() << "qcc: replay: "
           << command(fromMLIR ? StringRef(o.input) : "IMPORTED.mlir",
                      o.compileFrom, o.compileTo)
           << "\n";
    if (!fromMLIR)
      errs() << "qcc: note: IMPORTED.mlir is what this command writes with "
                "--compile-to=import\n";
  }
  if (o.compileTo != Phase::LLVM)
    errs() << "qcc: continue: "
           << command(out == "-" ? "<this IR>" : out, o.compileTo, Phase::LLVM)
           << "\n";
  if (!po.extensions.empty())
    errs() << "qcc: note: the --pass-at pipelines are not in these commands\n";
}

/// Mixed precision: keeps the most sensitive layers at higher precision
/// until the outputs' SQNR meets the budget, and says what it kept.
static Error applyBudget(mlir::ModuleOp module, const CompileOptions &o,
                         const PipelineOptions &po) {
  AccuracyBudget budget;
  budget.minSQNR = *o.accuracyBudget;
  budget.dataPath = !o.eval.empty() ? o.eval : o.calib;
  budget.maxSamples = !o.eval.empty() ? o.evalSamples : o.calibSamples;
  auto mixed = applyAccuracyBudget(module, po, budget);
  if (!mixed)
    return mixed.takeError();
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
  return Error::success();
}

static Error writeText(StringRef path,
                       function_ref<void(raw_ostream &)> print) {
  std::string error;
  auto file = mlir::openOutputFile(path, &error);
  if (!file)
    return fail(error);
  print(file->os());
  file->keep();
  return Error::success();
}

Error compile(const CompileOptions &o) {
  auto planned = plan(o);
  if (!planned)
    return planned.takeError();
  const PipelineOptions &po = planned->pipeline;
  const TargetBackend &backend = *planned->backend;
  bool toMLIR = o.emit == OutputKind::MLIR;
  if (o.emit == OutputKind::DeviceAssembly && o.compileTo != Phase::LLVM)
    return fail("--emit=ptx writes the compiled kernels: drop --compile-to");

  mlir::DialectRegistry registry;
  registerAllDialects(registry);
  backend.getDependentDialects(registry);
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  // Extension pipelines: parsed up front, so a typo fails before any work.
  for (auto &entry : po.extensions) {
    mlir::PassManager scratch(&ctx);
    std::string error;
    if (failed(addExtensions(scratch, po, entry.first, &error)))
      return fail("--pass-at: " + StringRef(error).trim());
  }

  // --time-report: import, each pass and code emission.
  mlir::DefaultTimingManager timing;
  timing.setEnabled(o.timeReport);
  mlir::TimingScope root = timing.getRootScope();
  mlir::TimingScope importTimer = root.nest("import (and load the weights)");
  ImportOptions import;
  if (o.resourceMinBytes)
    import.resourceMinBytes = *o.resourceMinBytes;
  auto loaded = load(o, ctx, import);
  if (!loaded)
    return loaded.takeError();
  mlir::OwningOpRef<mlir::ModuleOp> module = std::move(*loaded);
  importTimer.stop();
  mlir::ScopedDiagnosticHandler diagnostics(&ctx, printDiagnostic);
  StringRef stem = sys::path::stem(o.input);
  std::string out =
      o.output.empty() ? defaultOutput(o.emit, stem) : o.output;
  TargetOptions target = o.target;
  target.prefix = toCIdentifier(o.name.empty() ? stem : StringRef(o.name));

  // The ABI signature is read before lowering rewrites types.
  auto signature = readSignature(*module);
  if (!signature && !toMLIR)
    return signature.takeError();
  if (!signature)
    consumeError(signature.takeError());

  // Per-layer rules before anything reads the layers.
  std::vector<QuantRule> rules = excludeRules(o.excludes);
  if (!o.quantConfig.empty()) {
    auto parsed = parseRulesFile(o.quantConfig);
    if (!parsed)
      return parsed.takeError();
    rules.insert(rules.end(), parsed->begin(), parsed->end());
  }
  if (!rules.empty() && po.quant == QuantMode::None)
    return fail("--exclude and --quant-config need a --quant mode");
  if (Error e = applyRules(*module, rules))
    return e;

  if (Error e = runExtensions(*module, po, ExtensionPoint::AfterImport,
                              "after-import", o.input))
    return e;
  std::vector<ObservedRange> ranges;
  if (po.quant == QuantMode::Int8) {
    // Calibrate the canonical float graph that quantization will rewrite.
    mlir::PassManager prepare(&ctx);
    buildCalibrationPipeline(prepare);
    if (failed(prepare.run(*module)))
      return fail("canonicalization failed");
    CalibrationOptions calib;
    calib.dir = o.calib;
    calib.maxSamples = o.calibSamples;
    calib.observer = planned->observer;
    calib.integerOnly = o.integerOnly;
    if (Error e = calibrate(*module, calib, &ranges))
      return e;
  }
  if (Error e = runExtensions(*module, po, ExtensionPoint::AfterCalibration,
                              "after-calibration", o.input))
    return e;

  if (o.emit == OutputKind::ONNX) {
    // qcc's quantization with Q/DQ left explicit, written into the model.
    mlir::PassManager quantize(&ctx);
    PipelineOptions qdq = po;
    qdq.fuseQDQ = false;
    buildQuantizePipeline(quantize, qdq);
    if (failed(quantize.run(*module)))
      return fail("quantization of '" + o.input + "' failed (see above)");
    return exportQDQ(o.input, import, *module, out);
  }

  mlir::PassManager pm(&ctx);
  if (o.commandLinePassOptions) {
    if (failed(mlir::applyPassManagerCLOptions(pm)))
      return fail("invalid pass manager options");
    mlir::applyDefaultTimingPassManagerCLOptions(pm);
  }
  if (failed(buildPipeline(pm, o.compileFrom, o.compileTo, po)))
    return fail("cannot build the pipeline for target '" + po.target + "'");
  // The report and the mixed-precision search evaluate copies of the float
  // model that share its weights: those must stay.
  if (!o.accuracyBudget && o.report.empty() && o.eval.empty())
    pm.addInstrumentation(std::make_unique<ReleaseUnusedWeights>());
  mlir::TimingScope passTimer = root.nest("passes");
  if (o.timeReport)
    pm.enableTiming(passTimer);
  if (o.progress.value_or(sys::Process::StandardErrIsDisplayed()))
    pm.addInstrumentation(std::make_unique<Progress>());

  if (o.accuracyBudget)
    if (Error e = applyBudget(*module, o, po))
      return e;

  // The report measures the graph as quantization will see it, before the
  // pipeline rewrites it in place.
  bool reporting = !o.report.empty() || !o.eval.empty();
  ReportOptions reportOptions;
  reportOptions.model = o.input;
  reportOptions.mode = o.quant;
  reportOptions.dataPath = !o.eval.empty() ? o.eval : o.calib;
  reportOptions.maxSamples = !o.eval.empty() ? o.evalSamples : o.calibSamples;
  ReportBuilder reportBuilder(reportOptions);
  if (reporting) {
    if (o.compileFrom != Phase::Import || !signature)
      return fail("--report and --eval need an ONNX model (or imported MLIR)");
    if (Error e = reportBuilder.analyze(*module, po))
      return e;
    reportBuilder.report().calibration = ranges;
    if (po.quant == QuantMode::Int8)
      reportBuilder.report().calibMethod = o.calibMethod;
  }
  if (failed(pm.run(*module)))
    return fail("compilation of '" + o.input + "' failed (see above)");
  passTimer.stop();

  // Lowering may have planned a workspace, and --integer-only made the
  // edge tensors 8-bit (the signature attributes say so).
  if (signature) {
    auto lowered = readSignature(*module);
    if (!lowered)
      return lowered.takeError();
    signature = std::move(*lowered);
  }
  if (reporting && o.compileTo == Phase::LLVM)
    if (Error e = reportBuilder.evaluate(*module, *signature))
      return e;
  if (reporting) {
    reportBuilder.report().printTable(errs());
    if (!o.report.empty())
      if (Error e = writeText(o.report, [&](raw_ostream &os) {
            os << formatv("{0:2}", reportBuilder.report().toJSON()) << "\n";
          }))
        return e;
  }

  if (toMLIR) {
    if (o.printReplay)
      printReplay(o, po, out);
    // A newline after the module, as qcc-opt prints it: the replay's
    // output is byte-identical.
    return writeText(out, [&](raw_ostream &os) {
      module->print(os);
      os << "\n";
    });
  }
  EmitKind kind = emitKindOf(o.emit);
  mlir::TimingScope emitTimer = root.nest("code generation and output");
  if (Error e = backend.serialize(*module, *signature, target, kind, out))
    return e;
  emitTimer.stop();
  if (kind != EmitKind::Object && kind != EmitKind::Shared)
    return Error::success();
  SmallString<256> header(out);
  sys::path::remove_filename(header);
  sys::path::append(header, target.prefix + ".h");
  if (Error e = writeText(header, [&](raw_ostream &os) {
        os << backend.header(*signature, target);
      })) {
    sys::fs::remove(out);
    return e;
  }
  return Error::success();
}

} // namespace qcc
