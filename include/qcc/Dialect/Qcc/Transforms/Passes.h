//===- Passes.h - qcc graph transformations ---------------------*- C++ -*-===//
#ifndef QCC_DIALECT_QCC_TRANSFORMS_PASSES_H
#define QCC_DIALECT_QCC_TRANSFORMS_PASSES_H

#include "qcc/Dialect/Qcc/IR/QccDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace qcc {
#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

#endif // QCC_DIALECT_QCC_TRANSFORMS_PASSES_H
