//===- Flags.h - qcc's command line as CompileOptions -----------*- C++ -*-===//
#ifndef QCC_COMPILER_FLAGS_H
#define QCC_COMPILER_FLAGS_H

#include "qcc/Compiler/Compiler.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/CommandLine.h"

namespace qcc {

/// The category of the qcc driver's flags (registered when this library is
/// linked), for cl::HideUnrelatedOptions.
llvm::cl::OptionCategory &compilerFlagCategory();

/// The parsed flags as CompileOptions; an error for a bad phase name.
llvm::Expected<CompileOptions> compileOptionsFromFlags();

/// --load-pass-plugin values: the driver loads them before compiling.
llvm::ArrayRef<std::string> passPluginFlags();

} // namespace qcc

#endif // QCC_COMPILER_FLAGS_H
