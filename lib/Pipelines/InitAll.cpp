//===- InitAll.cpp - register every qcc dialect, pass and pipeline --------===//
#include "qcc/InitAll.h"
#include "qcc/Conversion/LinalgToGPU/Passes.h"
#include "qcc/Conversion/Passes.h"
#include "qcc/Dialect/Qcc/IR/QccDialect.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Pipelines/Pipelines.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void qcc::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<qcc::QccDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // -target=cuda: serializing gpu.modules (NVPTX in-process, ptxas) and
  // translating the host's kernel launches.
  mlir::NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
}

void qcc::registerAllPasses() {
  mlir::registerAllPasses();
  qcc::registerQccConversionPasses();
  qcc::registerQccGPUPasses();
  qcc::registerQccTransformsPasses();
  qcc::registerPipelines();
}
