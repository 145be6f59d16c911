//===- MixedPrecision.h - keep sensitive layers precise ---------*- C++ -*-===//
#ifndef QCC_QUANTIZATION_MIXEDPRECISION_H
#define QCC_QUANTIZATION_MIXEDPRECISION_H

#include "qcc/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace qcc {

struct AccuracyBudget {
  /// The least SQNR (dB) of the model's outputs against float to keep.
  double minSQNR = 0;
  /// Samples to measure on (folder or .npz) and how many of them.
  std::string dataPath;
  int64_t maxSamples = 0;
  bool progress = true;
};

struct MixedPrecisionResult {
  double fullSQNR = 0;  ///< every layer quantized
  double finalSQNR = 0; ///< with `kept` at higher precision
  /// Layers kept at higher precision (float; 8-bit weights in the
  /// weight-only modes), most sensitive first.
  std::vector<std::string> kept;
  /// Every quantized layer with its output SQNR when alone quantized.
  std::vector<std::pair<std::string, double>> sensitivity;
};

/// Mixed precision by measurement (`--accuracy-budget`): quantizes the model
/// as `pipeline` says and measures its outputs' SQNR against float on the
/// samples. Below the budget, it measures each quantized layer's
/// sensitivity (the SQNR with that layer alone quantized), then keeps the
/// fewest most-sensitive layers at higher precision that meet the budget
/// (bisection over how many), and annotates them in `module` (`qcc.quant =
/// "float"`, or `qcc.weight_bits = 8` in the weight-only modes). Measures
/// the fake-quantized graph (Q/DQ unfused), like --report.
llvm::Expected<MixedPrecisionResult>
applyAccuracyBudget(mlir::ModuleOp module, const PipelineOptions &pipeline,
                    const AccuracyBudget &budget);

} // namespace qcc

#endif
