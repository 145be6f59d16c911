//===- ProbeModel.h - a model compiled and loaded in process ----*- C++ -*-===//
//
// Calibration and the quantization report run models inside the compiler:
// a copy of the graph that also returns chosen intermediate tensors, compiled
// by qcc's own pipeline for the host into a temporary shared library and
// dlopen'ed.
//
//===----------------------------------------------------------------------===//
#ifndef QCC_LIB_QUANTIZATION_PROBEMODEL_H
#define QCC_LIB_QUANTIZATION_PROBEMODEL_H

#include "qcc/Pipelines/Pipelines.h"
#include "qcc/Runtime/TensorIO.h"
#include "qcc/Runtime/qcc_model.h"
#include "qcc/Target/ModelSignature.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace qcc {

/// Runs `pipeline`'s quantize passes on `module` with Q/DQ left unfused:
/// the fake-quantized graph the report and mixed precision measure.
mlir::LogicalResult fakeQuantize(mlir::ModuleOp module,
                                 const PipelineOptions &pipeline);

class ProbeModel {
public:
  /// Compiles a copy of `module` (a qcc graph in the import/quantize phase)
  /// whose `main` also returns `probes` (float tensors of `module`), after
  /// the graph's own outputs. `quantizeFirst` runs the float pipeline's
  /// graph passes (BatchNorm folding, QDQ fusion) before lowering.
  static llvm::Expected<std::unique_ptr<ProbeModel>>
  compile(mlir::ModuleOp module, llvm::ArrayRef<mlir::Value> probes,
          bool quantizeFirst = false);
  /// Loads an LLVM-dialect module already lowered by the full pipeline.
  static llvm::Expected<std::unique_ptr<ProbeModel>>
  fromLowered(mlir::ModuleOp lowered, const ModelSignature &signature);
  ~ProbeModel();

  const ModelSignature &signature() const { return sig; }
  size_t numGraphOutputs() const { return graphOutputs; }
  /// Runs on one sample (inputs in signature order, already checked).
  llvm::Error run(const std::vector<runtime::Tensor> &inputs);
  /// Output `i` of the last run as doubles.
  std::vector<double> output(size_t i) const;
  /// Output `i` of the last run as raw floats (float32 outputs only).
  const float *floatOutput(size_t i) const;
  size_t numElements(size_t i) const;

private:
  ProbeModel() = default;
  static llvm::Expected<std::unique_ptr<ProbeModel>>
  load(mlir::ModuleOp lowered, const ModelSignature &signature);

  ModelSignature sig;
  size_t graphOutputs = 0;
  std::string libPath;
  void *handle = nullptr;
  qcc_model_run_fn runFn = nullptr;
  std::vector<std::unique_ptr<char, void (*)(void *)>> outBufs;
  std::vector<void *> outPtrs;
  std::unique_ptr<char, void (*)(void *)> workspace{nullptr, nullptr};
};

} // namespace qcc

#endif
