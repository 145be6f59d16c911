//===- HostCode.h - host code from the LLVM dialect to a file ---*- C++ -*-===//
//
// Every target's host code runs on a CPU: the CPU target's whole model, the
// CUDA target's kernel launches. Both write it the same way: translate the
// LLVM dialect, add the ABI's entry points, optimize, write an object, a
// shared library, assembly or LLVM IR. The CPU target adds P_run; others
// add their own entry points in between (CUDA: DeviceABI.h).
//
//===----------------------------------------------------------------------===//
#ifndef QCC_TARGET_CPU_HOSTCODE_H
#define QCC_TARGET_CPU_HOSTCODE_H

#include "qcc/Target/CPU/WeightsSection.h"
#include "qcc/Target/TargetBackend.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace llvm {
class raw_pwrite_stream;
} // namespace llvm

namespace qcc {

/// The triple host code is built for (`options.triple`, or this machine's).
std::string resolvedTriple(const TargetOptions &options);

/// An LLVM module of host code and the machine it is compiled for.
class HostCode {
public:
  /// Translates `module` (LLVM dialect) for the CPU `options` names.
  /// `externalWeights`: resource weights go into their own section of the
  /// object instead of LLVM constants (qcc/Target/CPU/WeightsSection.h).
  static llvm::Expected<std::unique_ptr<HostCode>>
  translate(mlir::ModuleOp module, const TargetOptions &options,
            bool externalWeights = false);

  llvm::Module &module() { return *llvmModule; }
  llvm::TargetMachine &targetMachine() { return *tm; }

  /// Verifies, optimizes and writes the module as `kind` (not
  /// DeviceAssembly) to `path`, atomically.
  llvm::Error write(EmitKind kind, llvm::StringRef path);

private:
  HostCode() = default;
  TargetOptions options;
  WeightTable weights;
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> llvmModule;
  std::unique_ptr<llvm::TargetMachine> tm;
};

/// The target machine for `options`' CPU, or an error naming the triple.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetOptions &options);

/// The ABI every target shares: P_info (reporting `target`, `version` and
/// `workspaceBytes` of caller-provided workspace) and P_quant_info, with the
/// unprefixed aliases when `exportAliases` (shared libraries). `main`
/// becomes the internal `P_main`, which is returned.
llvm::Expected<llvm::Function *>
addModelInfo(llvm::Module &m, const ModelSignature &sig, llvm::StringRef prefix,
             llvm::StringRef target, uint32_t version, uint64_t workspaceBytes,
             bool exportAliases);

/// The CPU's P_run: `impl` on the caller's buffers and workspace.
llvm::Error addHostRun(llvm::Module &m, const ModelSignature &sig,
                       llvm::StringRef prefix, llvm::Function *impl,
                       bool exportAliases);

/// Links the LLVM bitcode `bitcode` (a runtime qcc embeds, `what` in
/// errors) into `m` with every definition it brings made internal: two
/// models in one program never clash.
llvm::Error linkBitcode(llvm::Module &m, llvm::StringRef bitcode,
                        llvm::StringRef what);

/// ABI version 4 (CPU models that are not standalone): P_run_parallel runs
/// the model's parallel loops (qcc.parallel_for.* declarations, see
/// qcc-outline-parallel-loops) on the caller's qcc_parallel;
/// P_parallel_create/P_parallel_destroy give the thread pool linked into
/// the model (`withPool`; without, create returns NULL).
llvm::Error addParallelEntryPoints(llvm::Module &m, llvm::StringRef prefix,
                                   bool exportAliases, bool withPool);

/// Writes `path` through a temporary next to it that `write` fills, renamed
/// into place on success: a failure never leaves a partial file.
llvm::Error writeFileAtomically(
    llvm::StringRef path,
    llvm::function_ref<llvm::Error(llvm::raw_pwrite_stream &)> write);

} // namespace qcc

#endif // QCC_TARGET_CPU_HOSTCODE_H
