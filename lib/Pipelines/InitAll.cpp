//===- InitAll.cpp - register every qcc dialect, pass and pipeline --------===//
#include "qcc/InitAll.h"
#include "qcc/Conversion/Passes.h"
#include "qcc/Dialect/Qcc/IR/QccDialect.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Pipelines/Pipelines.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void qcc::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<qcc::QccDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
}

void qcc::registerAllPasses() {
  mlir::registerAllPasses();
  qcc::registerQccConversionPasses();
  qcc::registerQccTransformsPasses();
  qcc::registerPipelines();
}
