//===- CUDATarget.h - NVIDIA GPUs through NVVM ------------------*- C++ -*-===//
#ifndef QCC_TARGET_CUDA_CUDATARGET_H
#define QCC_TARGET_CUDA_CUDATARGET_H

#include "qcc/Target/CPU/CPUTarget.h"

#include <string>

namespace qcc {

struct CUDATargetOptions {
  std::string arch = "sm_80"; ///< --gpu-arch
  /// The CUDA toolkit (ptxas, fatbinary, libdevice); empty: $CUDA_PATH or
  /// /usr/local/cuda. Without one, the object embeds PTX that the driver
  /// compiles when the model is first run.
  std::string toolkit;
  /// The host side: prefix, optimization level (its triple is the host's).
  CPUTargetOptions host;
};

/// "cuda:sm_80": the ABI's target string.
std::string cudaTargetName(const CUDATargetOptions &options);

/// Whether `arch` is a GPU architecture qcc compiles for (sm_NN, sm_NNa).
bool isSupportedGPUArch(llvm::StringRef arch);

/// The toolkit folder that will be used, or "" when none has ptxas.
std::string findCUDAToolkit(const CUDATargetOptions &options);

/// Writes the model's kernels as one PTX file (`--emit=ptx`).
llvm::Error emitPTX(mlir::ModuleOp module, const CUDATargetOptions &options,
                    llvm::StringRef outputPath);

/// Serializes the kernels (cubin and PTX in a fatbin with a toolkit, PTX
/// without), embeds them in the host code, links qcc's CUDA host runtime
/// and adds the ABI: P_run (host buffers), P_run_device (device buffers and
/// a stream) and P_last_error. Written atomically, like emitCPU.
llvm::Error emitCUDA(mlir::ModuleOp module, const ModelSignature &signature,
                     const CUDATargetOptions &options, EmitKind kind,
                     llvm::StringRef outputPath);

} // namespace qcc

#endif // QCC_TARGET_CUDA_CUDATARGET_H
