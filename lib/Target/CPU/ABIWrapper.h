//===- ABIWrapper.h - the compiled-model C ABI in LLVM IR -------*- C++ -*-===//
#ifndef QCC_LIB_TARGET_CPU_ABIWRAPPER_H
#define QCC_LIB_TARGET_CPU_ABIWRAPPER_H

#include "qcc/Target/ModelSignature.h"

#include "llvm/IR/Module.h"

namespace qcc {
/// Wraps `main` with P_info/P_run/P_quant_info; aliases them as
/// qcc_model_get_info/run/get_quant_info too when
/// `exportAliases` (shared libraries). With `cuda`, `main` launches kernels
/// on device buffers: P_run goes through the CUDA host runtime (linked into
/// `m` already), and P_run_device, P_last_error and
/// P_device_workspace_bytes are added (ABI version 3).
llvm::Error addModelABI(llvm::Module &m, const ModelSignature &sig,
                        llvm::StringRef prefix, llvm::StringRef target,
                        bool exportAliases, bool cuda = false);
} // namespace qcc

#endif
