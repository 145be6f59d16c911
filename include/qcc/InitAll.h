//===- InitAll.h - register every qcc dialect, pass and pipeline -*- C++ -*-===//
#ifndef QCC_INITALL_H
#define QCC_INITALL_H

#include "mlir/IR/DialectRegistry.h"

namespace qcc {
/// qcc's dialects plus the upstream ones its pipelines produce.
void registerAllDialects(mlir::DialectRegistry &registry);
/// qcc passes and pipelines, and the upstream passes they use.
void registerAllPasses();
} // namespace qcc

#endif // QCC_INITALL_H
