//===- Passes.h - qcc conversion passes -------------------------*- C++ -*-===//
#ifndef QCC_CONVERSION_PASSES_H
#define QCC_CONVERSION_PASSES_H

#include "qcc/Conversion/QccToLinalg/QccToLinalg.h"

namespace qcc {
#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "qcc/Conversion/Passes.h.inc"
} // namespace qcc

#endif // QCC_CONVERSION_PASSES_H
