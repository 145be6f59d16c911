//===- CUDATarget.h - NVIDIA GPUs through NVVM ------------------*- C++ -*-===//
#ifndef QCC_TARGET_CUDA_CUDATARGET_H
#define QCC_TARGET_CUDA_CUDATARGET_H

#include "llvm/ADT/StringRef.h"

namespace qcc {

/// Registers the `cuda` target: kernels through MLIR's gpu dialect and NVVM,
/// PTX and cubin embedded in a host object that loads the CUDA driver at
/// run time (docs/CUDA.md).
void registerCUDATarget();

/// Whether `arch` is a GPU architecture qcc compiles for (sm_NN, sm_NNa).
bool isSupportedGPUArch(llvm::StringRef arch);

} // namespace qcc

#endif // QCC_TARGET_CUDA_CUDATARGET_H
