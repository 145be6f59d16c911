//===- DeviceABI.cpp - the CUDA entry points of a compiled model ----------===//
//
// ABI version 3: P_run on host buffers, P_run_device on device buffers and a
// stream, P_last_error and P_device_workspace_bytes, all calling the CUDA
// host runtime (HostRuntime.c) linked into the model.
//
//===----------------------------------------------------------------------===//
#include "DeviceABI.h"
#include "qcc/Runtime/qcc_model.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/IRBuilder.h"

using namespace llvm;

namespace qcc {

/// Bytes of one dense buffer of `t`.
static uint64_t bufferBytes(const TensorSignature &t) {
  uint64_t bytes = qcc_dtype_size(t.dtype);
  for (int64_t d : t.shape)
    bytes *= static_cast<uint64_t>(d);
  return bytes;
}

Error addCUDAEntryPoints(Module &m, const ModelSignature &sig,
                                StringRef prefix, Function *impl,
                                bool exportAliases) {
  LLVMContext &ctx = m.getContext();
  Type *i32 = Type::getInt32Ty(ctx), *i64 = Type::getInt64Ty(ctx);
  PointerType *ptr = PointerType::get(ctx, 0);
  Function *runHost = m.getFunction("qcc_cuda_run_host");
  Function *runDevice = m.getFunction("qcc_cuda_run_device");
  Function *lastError = m.getFunction("qcc_cuda_last_error");
  if (!runHost || !runDevice || !lastError)
    return createStringError(inconvertibleErrorCode(),
                             "the CUDA host runtime is not linked");

  // void P_body(void **args): main(args[0], ..., args[n-1]).
  auto *body =
      Function::Create(FunctionType::get(Type::getVoidTy(ctx), {ptr}, false),
                       GlobalValue::InternalLinkage, prefix + "_body", m);
  {
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", body));
    SmallVector<Value *> args;
    for (unsigned i = 0; i < impl->arg_size(); ++i)
      args.push_back(b.CreateLoad(
          ptr, b.CreateConstInBoundsGEP1_64(ptr, body->getArg(0), i)));
    b.CreateCall(impl, args);
    b.CreateRetVoid();
  }

  auto bytesArray = [&](const std::vector<TensorSignature> &ts,
                        StringRef kind) -> Constant * {
    SmallVector<uint64_t> bytes;
    for (const TensorSignature &t : ts)
      bytes.push_back(bufferBytes(t));
    if (bytes.empty())
      return ConstantPointerNull::get(ptr);
    Constant *init = ConstantDataArray::get(ctx, ArrayRef<uint64_t>(bytes));
    return new GlobalVariable(m, init->getType(), true,
                              GlobalValue::PrivateLinkage, init,
                              "qcc.cuda." + kind + ".bytes");
  };
  // Mirrors qcc_cuda_model in HostRuntime.c.
  auto *modelTy = StructType::get(ctx, {i32, i32, ptr, ptr, i64});
  auto *model = new GlobalVariable(
      m, modelTy, true, GlobalValue::PrivateLinkage,
      ConstantStruct::get(modelTy, {ConstantInt::get(i32, sig.inputs.size()),
                                    ConstantInt::get(i32, sig.outputs.size()),
                                    bytesArray(sig.inputs, "inputs"),
                                    bytesArray(sig.outputs, "outputs"),
                                    ConstantInt::get(i64, sig.workspaceBytes)}),
      "qcc.cuda.model");
  auto *cache =
      new GlobalVariable(m, ptr, false, GlobalValue::InternalLinkage,
                         ConstantPointerNull::get(ptr), "qcc.cuda.cache");

  // int P_run(const void *const *inputs, void *const *outputs, void *ws):
  // host buffers; the device buffers are the runtime's (ws is unused).
  auto *runFn =
      Function::Create(FunctionType::get(i32, {ptr, ptr, ptr}, false),
                       GlobalValue::ExternalLinkage, prefix + "_run", m);
  {
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", runFn));
    b.CreateRet(b.CreateCall(
        runHost, {model, cache, runFn->getArg(0), runFn->getArg(1), body}));
  }
  // int P_run_device(const void *const *inputs, void *const *outputs,
  //                  void *workspace, void *stream)
  auto *deviceFn =
      Function::Create(FunctionType::get(i32, {ptr, ptr, ptr, ptr}, false),
                       GlobalValue::ExternalLinkage, prefix + "_run_device", m);
  {
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", deviceFn));
    b.CreateRet(b.CreateCall(runDevice,
                             {model, deviceFn->getArg(0), deviceFn->getArg(1),
                              deviceFn->getArg(2), deviceFn->getArg(3), body}));
  }
  // const char *P_last_error(void)
  auto *errorFn =
      Function::Create(FunctionType::get(ptr, false),
                       GlobalValue::ExternalLinkage, prefix + "_last_error", m);
  {
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", errorFn));
    b.CreateRet(b.CreateCall(lastError));
  }
  // uint64_t P_device_workspace_bytes(void)
  auto *wsFn = Function::Create(FunctionType::get(i64, false),
                                GlobalValue::ExternalLinkage,
                                prefix + "_device_workspace_bytes", m);
  {
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", wsFn));
    b.CreateRet(ConstantInt::get(i64, sig.workspaceBytes));
  }
  if (exportAliases) {
    GlobalAlias::create(GlobalValue::ExternalLinkage, "qcc_model_run", runFn);
    GlobalAlias::create(GlobalValue::ExternalLinkage, "qcc_model_run_device",
                        deviceFn);
    GlobalAlias::create(GlobalValue::ExternalLinkage, "qcc_model_last_error",
                        errorFn);
    GlobalAlias::create(GlobalValue::ExternalLinkage,
                        "qcc_model_device_workspace_bytes", wsFn);
  }
  return Error::success();
}

} // namespace qcc
