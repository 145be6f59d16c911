//===- Report.h - what quantization did, layer by layer ---------*- C++ -*-===//
#ifndef QCC_QUANTIZATION_REPORT_H
#define QCC_QUANTIZATION_REPORT_H

#include "qcc/Pipelines/Pipelines.h"
#include "qcc/Quantization/Calibration.h"
#include "qcc/Runtime/TensorIO.h"
#include "qcc/Target/ModelSignature.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace qcc {

struct LayerReport {
  std::string name, op;
  std::string weights;     ///< e.g. "int4 asym g128", "float32"
  std::string activations; ///< e.g. "uint8 per-tensor", "float32"
  unsigned bits = 32;      ///< bits per weight value
  uint64_t bytesBefore = 0, bytesAfter = 0;
  /// SQNR (dB) of the layer's output against float over the samples; unset
  /// without samples, infinite when identical.
  std::optional<double> sqnr;
};

struct OutputMetrics {
  std::string name;
  double sqnr = 0, cosine = 1, maxAbsError = 0;
  /// Argmax agreement over the last axis (per row), when it has > 1 entry.
  std::optional<double> top1;
};

struct QuantReport {
  std::string model, mode;
  std::string dataPath; ///< the samples measured on ("" when none)
  size_t samples = 0;
  std::vector<LayerReport> layers;
  std::vector<OutputMetrics> outputs; ///< of the compiled model
  std::vector<ObservedRange> calibration;
  std::string calibMethod;

  llvm::json::Value toJSON() const;
  void printTable(llvm::raw_ostream &os) const;
};

struct ReportOptions {
  std::string model, mode;
  /// Samples to measure on (folder or .npz); empty: sizes only.
  std::string dataPath;
  int64_t maxSamples = 0;
  bool progress = true;
};

/// Measures quantization before the main pipeline runs: the float graph
/// `module` (calibrated, not yet quantized) and a fake-quantized copy (the
/// quantize pipeline without Q/DQ fusion) are compiled in process with every
/// Conv/ConvTranspose/MatMul/Gemm output as an extra output, run on the
/// samples, and compared layer by layer. Keeps the float model's outputs for
/// `evaluate`.
class ReportBuilder {
public:
  ReportBuilder(const ReportOptions &options) : options(options) {}
  ~ReportBuilder();
  llvm::Error analyze(mlir::ModuleOp module, const PipelineOptions &pipeline);
  /// Runs the compiled model (`lowered`, the main pipeline's result) on the
  /// same samples and fills the output metrics.
  llvm::Error evaluate(mlir::ModuleOp lowered, const ModelSignature &signature);
  QuantReport &report() { return result; }

private:
  ReportOptions options;
  QuantReport result;
  /// The samples (read once) and the float model's graph outputs on each
  /// (doubles), for evaluate.
  std::vector<std::vector<runtime::Tensor>> sampleInputs;
  std::vector<std::vector<std::vector<double>>> reference;
};

} // namespace qcc

#endif // QCC_QUANTIZATION_REPORT_H
