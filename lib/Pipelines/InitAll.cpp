//===- InitAll.cpp - register every qcc dialect, pass and pipeline --------===//
#include "qcc/InitAll.h"
#include "qcc/Codegen/CPU/Passes.h"
#include "qcc/Codegen/Common/Passes.h"
#include "qcc/Codegen/GPU/Passes.h"
#include "qcc/Conversion/Passes.h"
#include "qcc/Dialect/Qcc/IR/QccDialect.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Pipelines/Pipelines.h"
#include "qcc/Target/TargetBackend.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void qcc::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<qcc::QccDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // GPU targets: serializing gpu.modules (NVPTX in-process, ptxas) and
  // translating the host's kernel launches.
  mlir::NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
}

void qcc::registerAllPasses() {
  mlir::registerAllPasses();
  qcc::registerQccConversionPasses();
  qcc::registerQccCodegenCommonPasses();
  qcc::registerQccCodegenCPUPasses();
  qcc::registerQccCodegenGPUPasses();
  qcc::registerQccTransformsPasses();
  qcc::registerAllTargets();
  qcc::registerPipelines();
}
