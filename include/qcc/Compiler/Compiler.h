//===- Compiler.h - the compiler behind qcc and the Python API --*- C++ -*-===//
//
// One call compiles a model as the `qcc` driver does: import, the
// extension points, calibration, quantization, the per-layer report and
// the accuracy budget, lowering and the target's output. The driver only
// turns its flags into CompileOptions.
//
//===----------------------------------------------------------------------===//
#ifndef QCC_COMPILER_COMPILER_H
#define QCC_COMPILER_COMPILER_H

#include "qcc/Pipelines/Pipelines.h"
#include "qcc/Target/TargetBackend.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace qcc {

/// What a compile writes (`--emit`).
enum class OutputKind {
  Object,         ///< object file + C header
  Shared,         ///< shared library + C header
  MLIR,           ///< the IR after `compileTo`
  LLVMIR,         ///< optimized LLVM IR
  Assembly,       ///< assembly
  DeviceAssembly, ///< the device kernels as text (PTX)
  ONNX,           ///< the model with qcc's int8 quantization as QDQ ONNX
};

struct CompileOptions {
  /// The model: .onnx, .onnxtxt (ONNX's textual syntax) or .mlir.
  std::string input;
  /// Where to write (empty: from the model's name and the kind; "-":
  /// standard output, for MLIR only).
  std::string output;
  OutputKind emit = OutputKind::Object;
  /// The phase an .mlir input is in, and the one to stop after (MLIR).
  Phase compileFrom = Phase::Import;
  Phase compileTo = Phase::LLVM;
  /// --input-shape NAME=DIMS and --bind-input NAME=FILE, as given.
  std::vector<std::string> inputShapes, bindInputs;
  /// C symbol prefix (empty: the model file's stem).
  std::string name;
  /// Initializers of at least this many bytes are held as resource weights
  /// (default: ImportOptions'); 0 makes every weight one (for tests).
  std::optional<uint64_t> resourceMinBytes;

  /// --quant, as given (none, f16, dynamic, int8, w8, w4, w2), and the
  /// weight-only settings when given (default: bits from the mode, groups
  /// of 128, zero points).
  std::string quant = "none";
  std::optional<int64_t> weightBits, groupSize;
  std::optional<bool> weightSymmetric;
  /// --quant=int8: weight scales (per-channel, per-tensor) and activations
  /// (asymmetric, symmetric), as given; empty when not given.
  std::string int8Weights, int8Activations;
  bool integerOnly = false;

  /// Calibration (--quant=int8).
  std::string calib;
  int64_t calibSamples = 0;
  std::string calibMethod = "minmax";
  double calibPercentile = 99.999;
  double calibAverage = 0.01;

  /// Per-layer rules: --exclude entries and a --quant-config file.
  std::vector<std::string> excludes;
  std::string quantConfig;

  /// --pass-at POINT=PIPELINE entries (their passes loaded by the caller,
  /// e.g. from a plugin).
  std::vector<std::string> passAt;

  /// Mixed precision, the report and the evaluation set.
  std::optional<double> accuracyBudget;
  std::string report, eval;
  int64_t evalSamples = 0;

  /// Where the model runs.
  TargetOptions target;

  /// --time-report: where the compile's time went (import, each pass,
  /// code generation), printed at the end.
  bool timeReport = false;
  /// Show the running pass on standard error (default: when it is a
  /// terminal).
  std::optional<bool> progress;

  /// Apply MLIR's pass-manager and timing flags (--mlir-timing,
  /// --mlir-print-ir-after-all, ...): set by a driver that registered them.
  bool commandLinePassOptions = false;

  /// With MLIR output: print to standard error the qcc-opt commands that
  /// replay this compile.
  bool printReplay = true;
};

/// Compiles `options.input` as `options` say. Diagnostics are printed to
/// standard error as they happen ("qcc: error: FILE: node 'N': ..."); the
/// error returned says what failed. No partial output is left behind.
llvm::Error compile(const CompileOptions &options);

} // namespace qcc

#endif // QCC_COMPILER_COMPILER_H
