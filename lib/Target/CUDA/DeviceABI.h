//===- DeviceABI.h - the CUDA entry points of a compiled model --*- C++ -*-===//
#ifndef QCC_LIB_TARGET_CUDA_DEVICEABI_H
#define QCC_LIB_TARGET_CUDA_DEVICEABI_H

#include "qcc/Target/ModelSignature.h"

#include "llvm/IR/Module.h"

namespace qcc {
/// P_run (host buffers), P_run_device (device buffers and a stream),
/// P_last_error and P_device_workspace_bytes of a CUDA model around `impl`
/// (the model's `main`, which launches kernels on device buffers), calling
/// the host runtime's qcc_cuda_* functions (linked into `m` already) with a
/// trampoline that unpacks the buffer array into `impl`'s arguments.
llvm::Error addCUDAEntryPoints(llvm::Module &m, const ModelSignature &sig,
                               llvm::StringRef prefix, llvm::Function *impl,
                               bool exportAliases);
} // namespace qcc

#endif // QCC_LIB_TARGET_CUDA_DEVICEABI_H
