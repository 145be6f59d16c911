//===- CUDATarget.cpp - NVIDIA GPUs through NVVM --------------------------===//
//
// The kernels were lowered to NVVM in one gpu.module (buildCUDAPipeline).
// Here they are serialized (LLVM's NVPTX backend in-process, then ptxas and
// fatbinary when the toolkit is there) and the host side is written like a
// CPU model, with the CUDA host runtime linked in.
//
//===----------------------------------------------------------------------===//
#include "qcc/Target/CUDA/CUDATarget.h"
#include "HostRuntime.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

using namespace llvm;

namespace qcc {

static Error err(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

std::string cudaTargetName(const CUDATargetOptions &options) {
  return "cuda:" + options.arch;
}

bool isSupportedGPUArch(StringRef arch) {
  unsigned version = 0;
  if (!arch.consume_front("sm_"))
    return false;
  arch.consume_back("a");
  // Volta and later: PTX ISA 8.0 and the int8 dot instructions.
  return !arch.getAsInteger(10, version) && version >= 70 && version < 200;
}

std::string findCUDAToolkit(const CUDATargetOptions &options) {
  SmallVector<std::string> candidates;
  if (!options.toolkit.empty())
    candidates.push_back(options.toolkit);
  if (auto env = sys::Process::GetEnv("CUDA_PATH"))
    candidates.push_back(*env);
  candidates.push_back("/usr/local/cuda");
  for (const std::string &dir : candidates) {
    SmallString<256> ptxas(dir);
    sys::path::append(ptxas, "bin", "ptxas");
    if (sys::fs::can_execute(ptxas))
      return dir;
  }
  return "";
}

/// Replaces the gpu.module by a gpu.binary in `format` (isa, bin, fatbin).
static Error serialize(mlir::ModuleOp module, StringRef toolkit,
                       StringRef format) {
  if (module.getOps<mlir::gpu::GPUModuleOp>().empty())
    return err("the module has no GPU kernels (was it lowered for "
               "-target=cuda?)");
  mlir::PassManager pm(module.getContext());
  mlir::GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = toolkit.str();
  binary.compilationTarget = format.str();
  pm.addPass(mlir::createGpuModuleToBinaryPass(binary));
  if (failed(pm.run(module)))
    return err("compiling the GPU kernels failed (see above)");
  return Error::success();
}

Error emitPTX(mlir::ModuleOp module, const CUDATargetOptions &options,
              StringRef outputPath) {
  // PTX comes from LLVM's NVPTX backend in-process; the toolkit, when
  // there, only provides libdevice (exp, tanh, erf, ...).
  if (Error e = serialize(module, findCUDAToolkit(options), "isa"))
    return e;
  std::string ptx;
  for (auto binary : module.getOps<mlir::gpu::BinaryOp>())
    for (mlir::Attribute attr : binary.getObjects())
      if (auto object = dyn_cast<mlir::gpu::ObjectAttr>(attr))
        ptx += object.getObject().getValue().str();
  // The NUL that makes the image loadable is not part of the text.
  while (!ptx.empty() && ptx.back() == '\0')
    ptx.pop_back();
  if (ptx.empty())
    return err("no PTX was produced for " + cudaTargetName(options));
  return writeFileAtomically(outputPath, [&](raw_pwrite_stream &os) {
    os << ptx;
    return Error::success();
  });
}

Error emitCUDA(mlir::ModuleOp module, const ModelSignature &signature,
               const CUDATargetOptions &options, EmitKind kind,
               StringRef outputPath) {
  if (!options.host.triple.empty() &&
      Triple(options.host.triple) != Triple(sys::getDefaultTargetTriple()))
    return err("-target=cuda builds host code for this machine (" +
               sys::getDefaultTargetTriple() + ") only, not '" +
               options.host.triple + "'");
  // With the toolkit: SASS for the architecture plus its PTX (for newer
  // GPUs) in one fatbin. Without: PTX, compiled by the driver at load time.
  std::string toolkit = findCUDAToolkit(options);
  StringRef format = "isa";
  if (!toolkit.empty()) {
    SmallString<256> fatbinary(toolkit);
    sys::path::append(fatbinary, "bin", "fatbinary");
    format = sys::fs::can_execute(fatbinary) ? "fatbin" : "bin";
  }
  if (Error e = serialize(module, toolkit, format))
    return e;
  CPUTargetOptions host = options.host;
  host.deviceTarget = cudaTargetName(options);
  host.linkRuntime = linkCUDAHostRuntime;
  return emitCPU(module, signature, host, kind, outputPath);
}

} // namespace qcc
