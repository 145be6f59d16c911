//===- TargetBackend.h - one interface per place a model runs ---*- C++ -*-===//
//
// A target (`-target=NAME`) is everything that differs between where models
// run: the checks of its options, the code generation after the shared
// lowering to linalg, the lowering to LLVM, and how the result is written
// (object, shared library, assembly, device code) with its C ABI. The
// compiler, the pipelines and qcc-opt reach a target only through this
// interface, by name; nothing outside lib/Target knows which targets exist
// (IREE's compiler/plugins/target is the model).
//
//===----------------------------------------------------------------------===//
#ifndef QCC_TARGET_TARGETBACKEND_H
#define QCC_TARGET_TARGETBACKEND_H

#include "qcc/Target/ModelSignature.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>

namespace qcc {

struct PipelineOptions;

/// What a target writes (`--emit`).
enum class EmitKind {
  Object,         ///< an object file (+ the C header)
  Shared,         ///< a shared library (+ the C header)
  LLVMIR,         ///< optimized LLVM IR of the host code
  Assembly,       ///< host assembly
  DeviceAssembly, ///< the device kernels as text (PTX for CUDA)
};

/// How the model is built for where it runs: the driver's target flags.
/// Each target reads the fields that concern it.
struct TargetOptions {
  std::string name = "cpu"; ///< the target (`-target`)
  std::string prefix;       ///< C symbol prefix P (P_info, P_run)
  /// Host code: triple (empty: this machine), CPU (empty: this machine's,
  /// or "generic" when cross-compiling), extra +feat,-feat.
  std::string triple, cpu, features;
  unsigned optLevel = 3;
  /// Code that depends on nothing (--integer-only): no calls to memcpy,
  /// memset or other library functions, for -nostdlib programs.
  bool standalone = false;
  /// GPUs: architecture (sm_80), float products on tensor cores
  /// (auto|tf32|f16|f32), threads per block of the generic kernels, and
  /// the toolkit (ptxas; empty: $CUDA_PATH, then /usr/local/cuda).
  std::string gpuArch = "sm_80";
  std::string gpuFloatMath = "auto";
  int64_t gpuBlockSize = 256;
  std::string toolkit;
};

class TargetBackend {
public:
  virtual ~TargetBackend();

  /// `-target=NAME`.
  virtual llvm::StringRef name() const = 0;
  /// One line for `--help`.
  virtual llvm::StringRef description() const = 0;

  /// Checks `target` (an error names the flag) and records in `pipeline`
  /// what code generation needs to know of the target: instruction sets,
  /// kernel choices. After this, `pipeline` alone replays the compile.
  virtual llvm::Error configure(const TargetOptions &target,
                                PipelineOptions &pipeline) const = 0;

  /// Dialects its pipelines create.
  virtual void getDependentDialects(mlir::DialectRegistry &registry) const = 0;

  /// Code generation on tensors, after the shared lowering to linalg.
  virtual void buildTensorPipeline(mlir::OpPassManager &pm,
                                   const PipelineOptions &options) const = 0;
  /// Bufferized IR to the LLVM dialect (host and device code).
  virtual void buildLLVMPipeline(mlir::OpPassManager &pm,
                                 const PipelineOptions &options) const = 0;

  /// P_info's target string ("x86_64-unknown-linux-gnu", "cuda:sm_90").
  virtual std::string abiTarget(const TargetOptions &target) const = 0;
  /// The ABI version of the models it writes (qcc_model.h).
  virtual uint32_t abiVersion() const = 0;

  /// Whether serialize writes `kind` (DeviceAssembly: only targets with
  /// device code).
  virtual bool canEmit(EmitKind kind) const {
    return kind != EmitKind::DeviceAssembly;
  }
  /// Writes `module`, lowered by buildLLVMPipeline, as `kind` to `path`
  /// atomically: on failure nothing is left behind.
  virtual llvm::Error serialize(mlir::ModuleOp module,
                                const ModelSignature &signature,
                                const TargetOptions &target, EmitKind kind,
                                llvm::StringRef path) const = 0;
  /// The C header declaring the entry points of what serialize wrote.
  virtual std::string header(const ModelSignature &signature,
                             const TargetOptions &target) const = 0;
};

/// Adds a target to the registry (replacing one of the same name).
void registerTargetBackend(std::unique_ptr<TargetBackend> backend);
/// The registered target called `name`, or null.
const TargetBackend *lookupTargetBackend(llvm::StringRef name);
/// The registered targets' names, sorted.
llvm::SmallVector<llvm::StringRef> targetBackendNames();

/// Registers the CPU and CUDA targets (idempotent).
void registerAllTargets();

} // namespace qcc

#endif // QCC_TARGET_TARGETBACKEND_H
