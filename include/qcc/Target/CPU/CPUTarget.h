//===- CPUTarget.h - LLVM code generation for CPUs --------------*- C++ -*-===//
#ifndef QCC_TARGET_CPU_CPUTARGET_H
#define QCC_TARGET_CPU_CPUTARGET_H

#include "qcc/Target/ModelSignature.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <string>

namespace llvm {
class Module;
class raw_pwrite_stream;
} // namespace llvm

namespace qcc {

enum class EmitKind { LLVMIR, Assembly, Object, Shared };

struct CPUTargetOptions {
  std::string triple;   ///< empty: the host
  std::string cpu;      ///< empty: the host CPU (or "generic" when cross)
  std::string features; ///< extra +feat,-feat
  std::string prefix;   ///< C symbol prefix P (P_info, P_run)
  unsigned optLevel = 3;
  /// Code that depends on nothing (--integer-only): no calls to memcpy,
  /// memset or other library functions, for -nostdlib programs.
  bool standalone = false;
  /// Set by the CUDA target for its host code: the ABI's target string
  /// ("cuda:sm_80"), and the hook that links the CUDA host runtime into the
  /// translated module before the ABI wrapper calls it.
  std::string deviceTarget;
  std::function<llvm::Error(llvm::Module &)> linkRuntime;
};

/// The triple and CPU a compilation will use.
std::string resolvedTriple(const CPUTargetOptions &options);

/// The instruction set qcc's int8 dot-product kernels use on this target
/// ("x86-avx512-vnni"), or "" where generic vector code runs.
llvm::Expected<std::string> int8DotKernel(const CPUTargetOptions &options);

/// Whether the target CPU has fused multiply-add instructions (x86 with
/// FMA3, AArch64), which qcc-divide-by-reciprocal's correction needs to
/// be fast.
llvm::Expected<bool> hasFusedMultiplyAdd(const CPUTargetOptions &options);

/// Writes `path` through a temporary next to it that `write` fills, renamed
/// into place on success: a failure never leaves a partial file.
llvm::Error writeFileAtomically(
    llvm::StringRef path,
    llvm::function_ref<llvm::Error(llvm::raw_pwrite_stream &)> write);

/// Translates an LLVM-dialect module, adds the compiled-model ABI
/// (`P_info`, `P_run`, and for shared libraries the unprefixed aliases),
/// optimizes and writes `outputPath` (atomically: nothing is left behind on
/// failure).
llvm::Error emitCPU(mlir::ModuleOp module, const ModelSignature &signature,
                    const CPUTargetOptions &options, EmitKind kind,
                    llvm::StringRef outputPath);

} // namespace qcc

#endif // QCC_TARGET_CPU_CPUTARGET_H
