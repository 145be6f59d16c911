//===- CPUTarget.h - models on CPUs through LLVM ----------------*- C++ -*-===//
#ifndef QCC_TARGET_CPU_CPUTARGET_H
#define QCC_TARGET_CPU_CPUTARGET_H

#include "mlir/Pass/PassManager.h"

namespace qcc {

/// Registers the `cpu` target: LLVM for this machine or `-mtriple`, vector
/// and int8 dot-product kernels, an object or shared library with P_run.
void registerCPUTarget();

/// Arithmetic, control flow and the functions themselves to the LLVM
/// dialect; `main` takes bare pointers (the ABI's buffers). The tail of
/// every target's host-code lowering.
void addHostFunctionsToLLVM(mlir::OpPassManager &pm);

} // namespace qcc

#endif // QCC_TARGET_CPU_CPUTARGET_H
