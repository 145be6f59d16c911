//===- Pipelines.h - qcc compilation pipelines ------------------*- C++ -*-===//
#ifndef QCC_PIPELINES_PIPELINES_H
#define QCC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringRef.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qcc {

/// Points at which compilation can stop (`--compile-to`). Each phase's IR
/// can be fed back to `qcc-opt` with the next phase's pipeline.
enum class Phase {
  Import,     ///< qcc graph dialect, float, as imported
  Quantize,   ///< qcc graph dialect after the quantization passes
  Linalg,     ///< linalg/tensor/arith on tensors
  Bufferized, ///< memrefs, destination-passing, deallocations placed
  LLVM,       ///< LLVM dialect, ready for translation
};

std::optional<Phase> parsePhase(llvm::StringRef name);
llvm::StringRef phaseName(Phase phase);

/// How `--quant` quantizes the model.
enum class QuantMode {
  None,       ///< float as imported
  F16,        ///< float16 weights, float32 arithmetic
  Dynamic,    ///< int8 MatMul/Gemm weights, activations quantized at run time
  Int8,       ///< full integer from calibrated ranges (qcc.range attributes)
  WeightOnly, ///< grouped 2..8-bit MatMul/Gemm weights, float activations
};

/// none, f16, dynamic, int8, or w8/w4/w2 (WeightOnly, setting `*bits`
/// when given).
std::optional<QuantMode> parseQuantMode(llvm::StringRef name,
                                        int64_t *bits = nullptr);

/// Named places in qcc's pipeline where users add passes (`--pass-at`),
/// typically from a pass plugin (`--load-pass-plugin`).
enum class ExtensionPoint {
  AfterImport,      ///< the float graph as imported (per-layer rules applied)
  AfterCalibration, ///< calibrated ranges recorded (`qcc.range`), float
  AfterQuantize,    ///< quantized, Q/DQ still explicit, before fusion
  BeforeLowering,   ///< all graph passes done (integer kernels formed)
};
std::optional<ExtensionPoint> parseExtensionPoint(llvm::StringRef name);

/// Everything the pipelines do depends on these, and nothing else: printed
/// by pipelineOptionsString, they replay a compile in qcc-opt.
struct PipelineOptions {
  /// The target (a registered TargetBackend) whose code generation runs
  /// after the shared lowering. TargetBackend::configure sets the fields
  /// below that describe it.
  std::string target = "cpu";
  /// GPUs: the architecture kernels are compiled for, the threads per block
  /// of the generic (one thread per element) kernels, and which float
  /// products run on tensor cores (auto: tf32 for those of f16 weights;
  /// tf32 or f16: all; f32: none). Chips before sm_80 have none.
  std::string gpuArch = "sm_80";
  int64_t gpuBlockSize = 256;
  std::string gpuFloatMath = "auto";
  QuantMode quant = QuantMode::None;
  /// WeightOnly: bits per weight, group size along the reduction axis (0:
  /// per channel), symmetric or with zero points.
  int64_t weightBits = 4;
  int64_t groupSize = 128;
  bool symmetric = false;
  /// Int8: one weight scale per tensor; int8 symmetric activations.
  bool perTensorWeights = false;
  bool symmetricActivations = false;
  /// Turn Q/DQ patterns into integer kernels (off for the report's
  /// fake-quantized probe, which observes the float layer outputs).
  bool fuseQDQ = true;
  /// --integer-only: fixed-point requantization, then a check that no
  /// float arithmetic is left inside the model.
  bool integerOnly = false;
  /// Textual pass pipelines (nested in builtin.module, e.g.
  /// "func.func(my-pass{opt=1})") run at each extension point.
  std::map<ExtensionPoint, std::vector<std::string>> extensions;
  /// Instruction set of the int8 dot-product kernels
  /// (qcc-pack-int8-contractions), empty for generic vector code.
  std::string int8Dot;
  /// CPU: contractions with at most this many rows compute their
  /// weight-only weights in registers (qcc-fuse-weight-gemv); 0: never.
  int64_t weightGemvRows = 8;
  /// ... and dequantize each weight as the unfused contraction does
  /// (bit-identical) instead of applying scales once per group.
  bool weightGemvExact = false;
  /// The target has fused multiply-add: quantizing divisions become
  /// multiplies with an FMA correction (qcc-divide-by-reciprocal).
  bool fusedMultiplyAdd = false;
};

/// Appends the pipelines registered at `point`; failure (with the parser's
/// message in `error`) on a malformed or unknown pipeline.
mlir::LogicalResult addExtensions(mlir::OpPassManager &pm,
                                  const PipelineOptions &opts,
                                  ExtensionPoint point,
                                  std::string *error = nullptr);

/// Prepares a float graph for calibration: BatchNormalization folded into
/// convolutions and every fully connected layer as MatMul + bias, as
/// --quant=int8 will quantize it (observed and fused so).
void buildCalibrationPipeline(mlir::OpPassManager &pm);
/// Quantization passes on the qcc graph (none for QuantMode::None), with
/// the after-quantize extensions.
void buildQuantizePipeline(mlir::OpPassManager &pm,
                           const PipelineOptions &opts);
/// qcc graph -> linalg on tensors, then the target's code generation on
/// tensors. Failure when `opts.target` is not a registered target.
mlir::LogicalResult buildLinalgPipeline(mlir::OpPassManager &pm,
                                        const PipelineOptions &opts);
/// linalg on tensors -> memrefs with deallocation.
void buildBufferizePipeline(mlir::OpPassManager &pm,
                            const PipelineOptions &opts);
/// memrefs -> the LLVM dialect, by the target (for GPUs, kernels in a
/// gpu.module lowered to NVVM and a host `main` that launches them).
mlir::LogicalResult buildLLVMPipeline(mlir::OpPassManager &pm,
                                      const PipelineOptions &opts);
/// Appends the pipelines that take IR from phase `from` to phase `to`, with
/// the extensions at after-quantize and before-lowering.
mlir::LogicalResult buildPipeline(mlir::OpPassManager &pm, Phase from,
                                  Phase to, const PipelineOptions &opts);

/// The options of `opts` that differ from the defaults, as qcc-opt's
/// pipelines take them ("target=cuda gpu-arch=sm_90 quant=int8"). Extension
/// pipelines (--pass-at) are not options: add them with --pass-pipeline.
std::string pipelineOptionsString(const PipelineOptions &opts);
/// Parses what pipelineOptionsString prints (and every other option of the
/// registered pipelines) into `opts`; failure with a message in `error`.
mlir::LogicalResult parsePipelineOptions(llvm::StringRef text,
                                         PipelineOptions &opts,
                                         std::string *error = nullptr);

/// Registers qcc-opt's pipelines, each taking the options above:
/// `qcc-pipeline` (from=PHASE to=PHASE), `qcc-quantize`, `qcc-to-linalg`,
/// `qcc-bufferize`, `qcc-to-llvm` and `qcc-lower-to-llvm` (import to llvm).
void registerPipelines();

} // namespace qcc

#endif // QCC_PIPELINES_PIPELINES_H
