//===- ABIWrapper.cpp - the compiled-model C ABI in LLVM IR ---------------===//
//
// Adds P_info / P_quant_info around the lowered `main` (bare-pointer
// convention: one pointer per input, then one per output), shared by every
// target's host code, and the CPU's P_run. Descriptor data are private
// constants, so a model object has exactly the ABI's external symbols.
//
//===----------------------------------------------------------------------===//
#include "qcc/Target/CPU/HostCode.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/IRBuilder.h"

using namespace llvm;

namespace qcc {

static Constant *cString(Module &m, StringRef s, const Twine &name) {
  Constant *init = ConstantDataArray::getString(m.getContext(), s);
  auto *g = new GlobalVariable(m, init->getType(), true,
                               GlobalValue::PrivateLinkage, init, name);
  g->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  return g;
}

static Constant *tensorInfos(Module &m, StructType *infoTy,
                             const std::vector<TensorSignature> &tensors,
                             StringRef kind) {
  LLVMContext &ctx = m.getContext();
  Type *i32 = Type::getInt32Ty(ctx);
  SmallVector<Constant *> elems;
  for (auto [i, t] : llvm::enumerate(tensors)) {
    Constant *shape = ConstantPointerNull::get(PointerType::get(ctx, 0));
    if (!t.shape.empty()) {
      Constant *init = ConstantDataArray::get(ctx, ArrayRef<int64_t>(t.shape));
      shape = new GlobalVariable(m, init->getType(), true,
                                 GlobalValue::PrivateLinkage, init,
                                 "qcc." + kind + ".shape." + Twine(i));
    }
    elems.push_back(ConstantStruct::get(
        infoTy, {cString(m, t.name, "qcc." + kind + ".name." + Twine(i)),
                 ConstantInt::get(i32, t.dtype),
                 ConstantInt::get(i32, t.shape.size()), shape}));
  }
  if (elems.empty())
    return ConstantPointerNull::get(PointerType::get(ctx, 0));
  auto *arrayTy = ArrayType::get(infoTy, elems.size());
  return new GlobalVariable(m, arrayTy, true, GlobalValue::PrivateLinkage,
                            ConstantArray::get(arrayTy, elems), "qcc." + kind);
}

/// The qcc_tensor_quant entries of `tensors` (ABI version 2).
static Constant *tensorQuants(Module &m, StructType *quantTy,
                              const std::vector<TensorSignature> &tensors,
                              StringRef kind) {
  LLVMContext &ctx = m.getContext();
  Type *i32 = Type::getInt32Ty(ctx), *f32 = Type::getFloatTy(ctx);
  SmallVector<Constant *> elems;
  for (const TensorSignature &t : tensors) {
    EdgeQuantization q = t.quant.value_or(EdgeQuantization{1.0f, 0});
    elems.push_back(ConstantStruct::get(
        quantTy, {ConstantInt::get(i32, t.quant.has_value()),
                  ConstantFP::get(f32, q.scale),
                  ConstantInt::get(i32, q.zeroPoint, true)}));
  }
  if (elems.empty())
    return ConstantPointerNull::get(PointerType::get(ctx, 0));
  auto *arrayTy = ArrayType::get(quantTy, elems.size());
  return new GlobalVariable(m, arrayTy, true, GlobalValue::PrivateLinkage,
                            ConstantArray::get(arrayTy, elems),
                            "qcc." + kind + ".quant");
}

/// A function returning the constant `value`.
static Function *getter(Module &m, StringRef name, Constant *value) {
  auto *fn = Function::Create(
      FunctionType::get(PointerType::get(m.getContext(), 0), false),
      GlobalValue::ExternalLinkage, name, m);
  IRBuilder<> b(BasicBlock::Create(m.getContext(), "entry", fn));
  b.CreateRet(value);
  return fn;
}

Expected<Function *> addModelInfo(Module &m, const ModelSignature &sig,
                                  StringRef prefix, StringRef target,
                                  uint32_t version, uint64_t workspaceBytes,
                                  bool exportAliases) {
  LLVMContext &ctx = m.getContext();
  Function *impl = m.getFunction("main");
  bool hasWorkspace = sig.workspaceBytes > 0;
  size_t numArgs = sig.inputs.size() + sig.outputs.size() + hasWorkspace;
  if (!impl || impl->arg_size() != numArgs)
    return createStringError(inconvertibleErrorCode(),
                             "lowered module has no 'main' taking " +
                                 Twine(numArgs) + " buffers");
  // Keep the model's code private: only the ABI symbols are exported.
  impl->setName(prefix + "_main");
  impl->setLinkage(GlobalValue::InternalLinkage);
  // The ABI requires distinct, non-overlapping buffers: telling LLVM lets it
  // vectorize without run-time overlap checks.
  for (Argument &arg : impl->args())
    if (arg.getType()->isPointerTy())
      arg.addAttr(Attribute::NoAlias);

  Type *i32 = Type::getInt32Ty(ctx), *i64 = Type::getInt64Ty(ctx);
  PointerType *ptr = PointerType::get(ctx, 0);
  auto *tensorInfoTy =
      StructType::create(ctx, {ptr, i32, i32, ptr}, "qcc_tensor_info");
  auto *modelInfoTy = StructType::create(
      ctx, {i32, ptr, i32, ptr, i32, ptr, i64, ptr}, "qcc_model_info");
  Constant *info = ConstantStruct::get(
      modelInfoTy,
      {ConstantInt::get(i32, version),
       cString(m, prefix, "qcc.model_name"),
       ConstantInt::get(i32, sig.inputs.size()),
       tensorInfos(m, tensorInfoTy, sig.inputs, "inputs"),
       ConstantInt::get(i32, sig.outputs.size()),
       tensorInfos(m, tensorInfoTy, sig.outputs, "outputs"),
       ConstantInt::get(i64, workspaceBytes),
       cString(m, target, "qcc.target")});
  auto *infoVar =
      new GlobalVariable(m, modelInfoTy, true, GlobalValue::PrivateLinkage,
                         info, "qcc.model_info");

  // const qcc_model_info *P_info(void)
  Function *infoFn = getter(m, (prefix + "_info").str(), infoVar);

  // const qcc_quant_info *P_quant_info(void) (ABI version 2)
  auto *tensorQuantTy = StructType::create(
      ctx, {i32, Type::getFloatTy(ctx), i32}, "qcc_tensor_quant");
  auto *quantInfoTy =
      StructType::create(ctx, {i32, ptr, i32, ptr}, "qcc_quant_info");
  auto *quantVar = new GlobalVariable(
      m, quantInfoTy, true, GlobalValue::PrivateLinkage,
      ConstantStruct::get(
          quantInfoTy,
          {ConstantInt::get(i32, sig.inputs.size()),
           tensorQuants(m, tensorQuantTy, sig.inputs, "inputs"),
           ConstantInt::get(i32, sig.outputs.size()),
           tensorQuants(m, tensorQuantTy, sig.outputs, "outputs")}),
      "qcc.quant_info");
  Function *quantFn = getter(m, (prefix + "_quant_info").str(), quantVar);

  if (exportAliases) {
    GlobalAlias::create(GlobalValue::ExternalLinkage, "qcc_model_get_info",
                        infoFn);
    GlobalAlias::create(GlobalValue::ExternalLinkage,
                        "qcc_model_get_quant_info", quantFn);
  }
  return impl;
}

Error addHostRun(Module &m, const ModelSignature &sig, StringRef prefix,
                 Function *impl, bool exportAliases) {
  LLVMContext &ctx = m.getContext();
  Type *i32 = Type::getInt32Ty(ctx), *i64 = Type::getInt64Ty(ctx);
  PointerType *ptr = PointerType::get(ctx, 0);
  bool hasWorkspace = sig.workspaceBytes > 0;
  // int P_run(const void *const *inputs, void *const *outputs, void *ws)
  auto *runFn =
      Function::Create(FunctionType::get(i32, {ptr, ptr, ptr}, false),
                       GlobalValue::ExternalLinkage, prefix + "_run", m);
  {
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", runFn));
    SmallVector<Value *> args;
    auto load = [&](Value *array, size_t i) {
      Value *slot = b.CreateConstInBoundsGEP1_64(ptr, array, i);
      return b.CreateLoad(ptr, slot);
    };
    for (size_t i = 0; i < sig.inputs.size(); ++i)
      args.push_back(load(runFn->getArg(0), i));
    for (size_t i = 0; i < sig.outputs.size(); ++i)
      args.push_back(load(runFn->getArg(1), i));
    if (hasWorkspace) {
      // The caller's workspace must be there and 64-byte aligned.
      Value *ws = runFn->getArg(2);
      Value *misaligned = b.CreateICmpNE(
          b.CreateAnd(b.CreatePtrToInt(ws, i64), ConstantInt::get(i64, 63)),
          ConstantInt::get(i64, 0));
      Value *bad = b.CreateOr(b.CreateIsNull(ws), misaligned);
      BasicBlock *fail = BasicBlock::Create(ctx, "bad_workspace", runFn);
      BasicBlock *ok = BasicBlock::Create(ctx, "run", runFn);
      b.CreateCondBr(bad, fail, ok);
      IRBuilder<> fb(fail);
      fb.CreateRet(ConstantInt::get(i32, 1));
      b.SetInsertPoint(ok);
      args.push_back(ws);
    }
    b.CreateCall(impl, args);
    b.CreateRet(ConstantInt::get(i32, 0));
  }

  if (exportAliases)
    GlobalAlias::create(GlobalValue::ExternalLinkage, "qcc_model_run", runFn);
  return Error::success();
}

} // namespace qcc
