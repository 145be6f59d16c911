//===- ParallelABI.cpp - running a CPU model on the caller's threads ------===//
//
// qcc-outline-parallel-loops leaves each parallel loop as a task function
// and a call to `qcc.parallel_for.<task>(count, captured...)`. Here each of
// those is defined: it packs the captured values into a struct on the
// stack and hands [0, count) to the qcc_parallel that P_run_parallel put in
// a thread-local slot, or runs the task on the whole range when there is
// none (P_run). The thread pool linked into the model (ThreadPool.c) is
// exported as P_parallel_create/P_parallel_destroy.
//
//===----------------------------------------------------------------------===//
#include "qcc/Target/CPU/HostCode.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/IRBuilder.h"

#include "CPUThreadPool.inc"

using namespace llvm;

namespace qcc {

static constexpr StringLiteral kForPrefix = "qcc.parallel_for.";

/// Defines `decl`, the parallel-for of `task`.
static Error defineParallelFor(Module &m, Function *decl, Function *task,
                               GlobalVariable *slot) {
  LLVMContext &ctx = m.getContext();
  PointerType *ptr = PointerType::get(ctx, 0);
  Type *i64 = Type::getInt64Ty(ctx);
  if (decl->arg_size() + 1 != task->arg_size())
    return createStringError("parallel task '" + task->getName() +
                             "' does not match its call");
  SmallVector<Type *> fields;
  for (Argument &arg : llvm::drop_begin(decl->args()))
    fields.push_back(arg.getType());
  StructType *captures = StructType::get(ctx, fields);

  // void trampoline(void *captures, int64_t begin, int64_t end)
  auto *trampoline = Function::Create(
      FunctionType::get(Type::getVoidTy(ctx), {ptr, i64, i64}, false),
      GlobalValue::InternalLinkage, task->getName() + ".trampoline", m);
  {
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", trampoline));
    SmallVector<Value *> args{trampoline->getArg(1), trampoline->getArg(2)};
    for (auto [i, type] : llvm::enumerate(fields))
      args.push_back(b.CreateLoad(
          type, b.CreateStructGEP(captures, trampoline->getArg(0), i)));
    b.CreateCall(task, args);
    b.CreateRetVoid();
  }

  decl->setLinkage(GlobalValue::InternalLinkage);
  IRBuilder<> b(BasicBlock::Create(ctx, "entry", decl));
  Value *count = decl->getArg(0);
  Value *parallel = b.CreateLoad(ptr, slot);
  BasicBlock *serial = BasicBlock::Create(ctx, "serial", decl);
  BasicBlock *threaded = BasicBlock::Create(ctx, "threaded", decl);
  b.CreateCondBr(b.CreateIsNull(parallel), serial, threaded);
  {
    IRBuilder<> sb(serial);
    SmallVector<Value *> args{ConstantInt::get(i64, 0), count};
    for (Argument &arg : llvm::drop_begin(decl->args()))
      args.push_back(&arg);
    sb.CreateCall(task, args);
    sb.CreateRetVoid();
  }
  b.SetInsertPoint(threaded);
  Value *packed = b.CreateAlloca(captures);
  for (auto [i, arg] : llvm::enumerate(llvm::drop_begin(decl->args())))
    b.CreateStore(&arg, b.CreateStructGEP(captures, packed, i));
  // qcc_parallel: {parallel_for, context, num_threads}.
  StructType *api = StructType::get(ctx, {ptr, ptr, Type::getInt32Ty(ctx)});
  Value *fn = b.CreateLoad(ptr, b.CreateStructGEP(api, parallel, 0));
  Value *context = b.CreateLoad(ptr, b.CreateStructGEP(api, parallel, 1));
  FunctionType *forType = FunctionType::get(Type::getVoidTy(ctx),
                                            {ptr, i64, ptr, ptr}, false);
  b.CreateCall(forType, fn, {context, count, trampoline, packed});
  b.CreateRetVoid();
  task->setLinkage(GlobalValue::InternalLinkage);
  return Error::success();
}

Error addParallelEntryPoints(Module &m, StringRef prefix, bool exportAliases,
                             bool withPool) {
  LLVMContext &ctx = m.getContext();
  PointerType *ptr = PointerType::get(ctx, 0);
  Type *i32 = Type::getInt32Ty(ctx);
  auto *slot = new GlobalVariable(m, ptr, false, GlobalValue::InternalLinkage,
                                  ConstantPointerNull::get(ptr),
                                  "qcc.parallel");
  slot->setThreadLocal(true);
  SmallVector<Function *> decls;
  for (Function &f : m)
    if (f.isDeclaration() && f.getName().starts_with(kForPrefix))
      decls.push_back(&f);
  for (Function *decl : decls) {
    Function *task = m.getFunction(decl->getName().drop_front(kForPrefix.size()));
    if (!task)
      return createStringError("no parallel task for '" + decl->getName() +
                               "'");
    if (Error e = defineParallelFor(m, decl, task, slot))
      return e;
  }

  // int P_run_parallel(inputs, outputs, workspace, const qcc_parallel *)
  Function *run = m.getFunction((prefix + "_run").str());
  if (!run)
    return createStringError("the model has no P_run to wrap");
  auto *runParallel =
      Function::Create(FunctionType::get(i32, {ptr, ptr, ptr, ptr}, false),
                       GlobalValue::ExternalLinkage, prefix + "_run_parallel",
                       m);
  {
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", runParallel));
    Value *previous = b.CreateLoad(ptr, slot);
    b.CreateStore(runParallel->getArg(3), slot);
    Value *rc = b.CreateCall(run, {runParallel->getArg(0),
                                   runParallel->getArg(1),
                                   runParallel->getArg(2)});
    b.CreateStore(previous, slot);
    b.CreateRet(rc);
  }

  // qcc_parallel *P_parallel_create(int32_t), void P_parallel_destroy(p)
  Function *create = nullptr, *destroy = nullptr;
  if (withPool) {
    if (Error e = linkBitcode(
            m,
            StringRef(reinterpret_cast<const char *>(kThreadPoolBitcode),
                      sizeof kThreadPoolBitcode),
            "CPU thread pool"))
      return e;
    create = m.getFunction("qcc_pool_create");
    destroy = m.getFunction("qcc_pool_destroy");
    if (!create || !destroy)
      return createStringError("the CPU thread pool is incomplete");
  }
  auto *createFn =
      Function::Create(FunctionType::get(ptr, {i32}, false),
                       GlobalValue::ExternalLinkage,
                       prefix + "_parallel_create", m);
  {
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", createFn));
    b.CreateRet(create ? b.CreateCall(create, {createFn->getArg(0)})
                       : static_cast<Value *>(ConstantPointerNull::get(ptr)));
  }
  auto *destroyFn =
      Function::Create(FunctionType::get(Type::getVoidTy(ctx), {ptr}, false),
                       GlobalValue::ExternalLinkage,
                       prefix + "_parallel_destroy", m);
  {
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", destroyFn));
    if (destroy)
      b.CreateCall(destroy, {destroyFn->getArg(0)});
    b.CreateRetVoid();
  }
  if (exportAliases) {
    GlobalAlias::create(GlobalValue::ExternalLinkage, "qcc_model_run_parallel",
                        runParallel);
    GlobalAlias::create(GlobalValue::ExternalLinkage,
                        "qcc_model_parallel_create", createFn);
    GlobalAlias::create(GlobalValue::ExternalLinkage,
                        "qcc_model_parallel_destroy", destroyFn);
  }
  return Error::success();
}

} // namespace qcc
