//===- HostRuntime.cpp - link the CUDA host runtime into a model ----------===//
#include "HostRuntime.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/MemoryBuffer.h"

#include "CUDAHostRuntime.inc"

using namespace llvm;

Error qcc::linkCUDAHostRuntime(Module &m) {
  StringRef bitcode(reinterpret_cast<const char *>(kHostRuntimeBitcode),
                    sizeof kHostRuntimeBitcode);
  auto runtime = parseBitcodeFile(
      MemoryBufferRef(bitcode, "qcc-cuda-host-runtime"), m.getContext());
  if (!runtime)
    return createStringError(inconvertibleErrorCode(),
                             "reading the CUDA host runtime failed: " +
                                 toString(runtime.takeError()));
  (*runtime)->setDataLayout(m.getDataLayout());
  (*runtime)->setTargetTriple(m.getTargetTriple());
  std::vector<std::string> defined;
  for (GlobalValue &value : (*runtime)->global_values())
    if (!value.isDeclaration())
      defined.push_back(value.getName().str());
  if (Linker::linkModules(m, std::move(*runtime)))
    return createStringError(inconvertibleErrorCode(),
                             "linking the CUDA host runtime failed");
  for (const std::string &name : defined)
    if (GlobalValue *value = m.getNamedValue(name))
      value->setLinkage(GlobalValue::InternalLinkage);
  return Error::success();
}
