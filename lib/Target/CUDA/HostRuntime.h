//===- HostRuntime.h - link the CUDA host runtime into a model --*- C++ -*-===//
#ifndef QCC_LIB_TARGET_CUDA_HOSTRUNTIME_H
#define QCC_LIB_TARGET_CUDA_HOSTRUNTIME_H

#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

namespace qcc {
/// Links qcc's CUDA host runtime (HostRuntime.c, embedded as bitcode) into
/// `m` with internal linkage: the mgpu* functions the lowered launches call
/// and the qcc_cuda_* functions the ABI wrapper calls. Two models linked
/// into one program therefore never clash.
llvm::Error linkCUDAHostRuntime(llvm::Module &m);
} // namespace qcc

#endif
