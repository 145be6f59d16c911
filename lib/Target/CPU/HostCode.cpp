//===- HostCode.cpp - host code from the LLVM dialect to a file -----------===//
#include "qcc/Target/CPU/HostCode.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Linker/Linker.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/Analysis/TargetTransformInfo.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/Transforms/InstCombine/InstCombine.h"
#include "llvm/Transforms/Scalar/LoopUnrollPass.h"
#include "llvm/Transforms/Scalar/SROA.h"
#include "llvm/Transforms/Scalar/SimplifyCFG.h"
#include "llvm/Transforms/Utils/LowerMemIntrinsics.h"

using namespace llvm;

namespace qcc {

static Error err(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

std::string resolvedTriple(const TargetOptions &options) {
  return options.triple.empty() ? sys::getDefaultTargetTriple()
                                : options.triple;
}

Expected<std::unique_ptr<TargetMachine>>
createTargetMachine(const TargetOptions &options) {
  static bool initialized = [] {
    InitializeAllTargetInfos();
    InitializeAllTargets();
    InitializeAllTargetMCs();
    InitializeAllAsmPrinters();
    return true;
  }();
  (void)initialized;
  Triple triple(resolvedTriple(options));
  std::string error;
  const Target *target = TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return err("unknown target triple '" + triple.str() + "': " + error);
  bool host =
      options.triple.empty() || triple == Triple(sys::getDefaultTargetTriple());
  std::string cpu = options.cpu;
  std::string features = options.features;
  if (cpu.empty() || cpu == "native") {
    cpu = host ? sys::getHostCPUName().str() : "generic";
    if (host) {
      std::string hostFeatures;
      for (auto &f : sys::getHostCPUFeatures())
        hostFeatures += (hostFeatures.empty() ? "" : ",") +
                        std::string(f.second ? "+" : "-") + f.first().str();
      features =
          features.empty() ? hostFeatures : hostFeatures + "," + features;
    }
  }
  llvm::TargetOptions to;
  std::unique_ptr<TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, to, Reloc::PIC_, std::nullopt,
      options.optLevel >= 2 ? CodeGenOptLevel::Aggressive
                            : CodeGenOptLevel::Default));
  if (!tm)
    return err("cannot create a target machine for '" + triple.str() +
               "' (cpu '" + cpu + "')");
  return std::move(tm);
}

static void optimize(Module &m, TargetMachine &tm, unsigned level) {
  LoopAnalysisManager lam;
  FunctionAnalysisManager fam;
  CGSCCAnalysisManager cgam;
  ModuleAnalysisManager mam;
  PipelineTuningOptions tuning;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  // LLVM's early full unrolling runs before the loop vectorizer and leaves
  // scalar code it cannot vectorize, and its partial unrolling grows the
  // code by half for no measured speed: both off. Loops with a few
  // iterations (3x3 windows, pooling, the int8 kernels' short reductions)
  // are still unrolled fully after vectorization, where qcc's vector code
  // gains the most (the int8 CNN ran about 25% faster).
  tuning.LoopUnrolling = false;
  PassBuilder pb(&tm, tuning);
  if (level >= 2)
    pb.registerVectorizerEndEPCallback(
        [](FunctionPassManager &fpm, OptimizationLevel ol) {
          fpm.addPass(LoopUnrollPass(LoopUnrollOptions(ol.getSpeedupLevel())
                                         .setPartial(false)
                                         .setRuntime(false)));
          fpm.addPass(SROAPass(SROAOptions::ModifyCFG));
          fpm.addPass(InstCombinePass());
          fpm.addPass(SimplifyCFGPass());
        });
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  OptimizationLevel ol = level >= 3   ? OptimizationLevel::O3
                         : level == 2 ? OptimizationLevel::O2
                         : level == 1 ? OptimizationLevel::O1
                                      : OptimizationLevel::O0;
  ModulePassManager mpm = level == 0 ? pb.buildO0DefaultPipeline(ol)
                                     : pb.buildPerModuleDefaultPipeline(ol);
  mpm.run(m, mam);
}

/// Lowers memcpy/memmove/memset intrinsics to loops, so that a standalone
/// object calls no C library.
static void expandMemIntrinsics(Module &m, TargetMachine &tm) {
  for (Function &f : m) {
    if (f.isDeclaration())
      continue;
    TargetTransformInfo tti = tm.getTargetTransformInfo(f);
    SmallVector<MemIntrinsic *> intrinsics;
    for (Instruction &inst : instructions(f))
      if (auto *mem = dyn_cast<MemIntrinsic>(&inst))
        intrinsics.push_back(mem);
    for (MemIntrinsic *mem : intrinsics) {
      if (auto *copy = dyn_cast<MemCpyInst>(mem))
        expandMemCpyAsLoop(copy, tti);
      else if (auto *move = dyn_cast<MemMoveInst>(mem)) {
        if (!expandMemMoveAsLoop(move, tti))
          continue; // The check of the object reports the call left.
      } else if (auto *set = dyn_cast<MemSetInst>(mem))
        expandMemSetAsLoop(set);
      else
        continue;
      mem->eraseFromParent();
    }
  }
}

/// Links `object` into a shared library with the system C compiler driver.
static Error linkShared(StringRef object, StringRef output) {
  std::optional<std::string> driver;
  for (StringRef name : {"cc", "clang", "gcc", "clang-22"})
    if (auto p = sys::findProgramByName(name)) {
      driver = *p;
      break;
    }
  if (!driver)
    return err("no C compiler driver (cc) found to link a shared library");
  SmallVector<StringRef> args{*driver, "-shared", "-o", output, object, "-lm"};
  std::string message;
  int rc = sys::ExecuteAndWait(*driver, args, std::nullopt, {}, 0, 0, &message);
  if (rc != 0)
    return err("linking the shared library failed" +
               (message.empty() ? "" : ": " + message));
  return Error::success();
}

Expected<std::unique_ptr<HostCode>>
HostCode::translate(mlir::ModuleOp module, const TargetOptions &options,
                    bool externalWeights) {
  mlir::registerBuiltinDialectTranslation(*module->getContext());
  mlir::registerLLVMDialectTranslation(*module->getContext());
  // qcc's own argument annotations (ONNX names, calibrated ranges) mean
  // nothing to LLVM, which would warn about each.
  module.walk([](mlir::LLVM::LLVMFuncOp llvmFunc) {
    auto func = cast<mlir::FunctionOpInterface>(llvmFunc.getOperation());
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      for (mlir::NamedAttribute attr : llvm::to_vector(func.getArgAttrs(i)))
        if (attr.getName().getValue().starts_with("qcc."))
          func.removeArgAttr(i, attr.getName());
  });
  std::unique_ptr<HostCode> code(new HostCode());
  code->options = options;
  if (externalWeights)
    if (Error e = externalizeWeights(module, options.prefix, /*embedded=*/true,
                                     code->weights))
      return std::move(e);
  code->context = std::make_unique<LLVMContext>();
  code->llvmModule =
      mlir::translateModuleToLLVMIR(module, *code->context, options.prefix);
  if (!code->llvmModule)
    return err("translation to LLVM IR failed");
  auto tm = createTargetMachine(options);
  if (!tm)
    return tm.takeError();
  code->tm = std::move(*tm);
  code->llvmModule->setDataLayout(code->tm->createDataLayout());
  code->llvmModule->setTargetTriple(code->tm->getTargetTriple());
  return std::move(code);
}

Error HostCode::write(EmitKind kind, StringRef outputPath) {
  if (kind == EmitKind::DeviceAssembly)
    return err("host code has no device assembly");
  Module &m = *llvmModule;
  if (verifyModule(m, &errs()))
    return err("generated LLVM IR is invalid");
  if (options.standalone) {
    // "no-builtins" keeps the optimizer from turning loops into library
    // calls; the intrinsics lowering made become loops it can vectorize,
    // and any it made itself become loops after it.
    for (Function &f : m)
      if (!f.isDeclaration())
        f.addFnAttr("no-builtins");
    expandMemIntrinsics(m, *tm);
  }
  optimize(m, *tm, options.optLevel);
  if (options.standalone)
    expandMemIntrinsics(m, *tm);

  auto emit = [&](raw_pwrite_stream &os) -> Error {
    if (kind == EmitKind::LLVMIR) {
      m.print(os, nullptr);
      return Error::success();
    }
    legacy::PassManager pm;
    CodeGenFileType type = kind == EmitKind::Assembly
                               ? CodeGenFileType::AssemblyFile
                               : CodeGenFileType::ObjectFile;
    if (weights.entries.empty() || kind == EmitKind::Assembly) {
      if (tm->addPassesToEmitFile(pm, os, nullptr, type))
        return err("the target cannot emit this file type");
      pm.run(m);
      return Error::success();
    }
    // The code in memory, then the object with the weights streamed from
    // their blobs into it.
    SmallVector<char, 0> code;
    raw_svector_ostream codeStream(code);
    if (tm->addPassesToEmitFile(pm, codeStream, nullptr, type))
      return err("the target cannot emit this file type");
    pm.run(m);
    return writeObjectWithWeights(code, weights, os);
  };
  if (kind != EmitKind::Shared)
    return writeFileAtomically(outputPath, emit);
  // A shared library: the object in a temporary next to the output, linked
  // into a second one that is renamed into place.
  SmallString<256> obj, so;
  auto temporary = [&](StringRef suffix, SmallString<256> &path) -> Error {
    if (std::error_code ec =
            sys::fs::createUniqueFile(outputPath + suffix + "%%%%%%", path))
      return err("cannot create '" + outputPath + "': " + ec.message());
    return Error::success();
  };
  if (Error e = temporary(".o", obj))
    return e;
  llvm::scope_exit objCleanup([&] { sys::fs::remove(obj); });
  if (Error e = writeFileAtomically(obj, emit))
    return e;
  if (Error e = temporary(".so", so))
    return e;
  llvm::scope_exit soCleanup([&] { sys::fs::remove(so); });
  if (Error e = linkShared(obj, so))
    return e;
  if (std::error_code ec = sys::fs::rename(so, outputPath))
    return err("cannot write '" + outputPath + "': " + ec.message());
  return Error::success();
}

Error linkBitcode(Module &m, StringRef bitcode, StringRef what) {
  auto runtime =
      parseBitcodeFile(MemoryBufferRef(bitcode, what), m.getContext());
  if (!runtime)
    return err("reading the " + what + " failed: " +
               toString(runtime.takeError()));
  (*runtime)->setDataLayout(m.getDataLayout());
  (*runtime)->setTargetTriple(m.getTargetTriple());
  std::vector<std::string> defined;
  for (GlobalValue &value : (*runtime)->global_values())
    if (!value.isDeclaration())
      defined.push_back(value.getName().str());
  if (Linker::linkModules(m, std::move(*runtime)))
    return err("linking the " + what + " failed");
  for (const std::string &name : defined)
    if (GlobalValue *value = m.getNamedValue(name))
      value->setLinkage(GlobalValue::InternalLinkage);
  return Error::success();
}

Error writeFileAtomically(StringRef path,
                          function_ref<Error(raw_pwrite_stream &)> write) {
  SmallString<256> tmp;
  if (std::error_code ec = sys::fs::createUniqueFile(path + ".tmp%%%%%%", tmp))
    return err("cannot create '" + path + "': " + ec.message());
  llvm::scope_exit cleanup([&] { sys::fs::remove(tmp); });
  {
    std::error_code ec;
    raw_fd_ostream os(tmp, ec, sys::fs::OF_None);
    if (ec)
      return err("cannot write '" + tmp + "': " + ec.message());
    if (Error e = write(os))
      return e;
    os.close();
    if (os.has_error())
      return err("write error on '" + tmp + "'");
  }
  if (std::error_code ec = sys::fs::rename(tmp, path))
    return err("cannot write '" + path + "': " + ec.message());
  return Error::success();
}

} // namespace qcc
