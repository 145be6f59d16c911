//===- HostRuntime.cpp - link the CUDA host runtime into a model ----------===//
#include "HostRuntime.h"
#include "qcc/Target/CPU/HostCode.h"

#include "CUDAHostRuntime.inc"

llvm::Error qcc::linkCUDAHostRuntime(llvm::Module &m) {
  return linkBitcode(m,
                     llvm::StringRef(
                         reinterpret_cast<const char *>(kHostRuntimeBitcode),
                         sizeof kHostRuntimeBitcode),
                     "CUDA host runtime");
}
