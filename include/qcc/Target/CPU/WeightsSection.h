//===- WeightsSection.h - big weights outside LLVM IR -----------*- C++ -*-===//
//
// Resource weights (qcc/Dialect/Qcc/IR/Weights.h) never become LLVM
// constants: the generated code reads each at a fixed offset from one
// pointer, `P_weights_base`, and the bytes go straight from their blobs
// into a section of the output object (or into a weights file the library
// maps at load). Code reaches any weight with 64-bit arithmetic, so more
// than 2 GB of weights need no special code model; the section is a large
// one (.lrodata, SHF_X86_64_LARGE) on x86-64, which linkers place after
// everything else.
//
//===----------------------------------------------------------------------===//
#ifndef QCC_TARGET_CPU_WEIGHTSSECTION_H
#define QCC_TARGET_CPU_WEIGHTSSECTION_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace qcc {

/// Where each weight lies in the weights blob (offsets 64-byte aligned).
struct WeightTable {
  struct Entry {
    llvm::ArrayRef<char> bytes;
    uint64_t offset;
  };
  std::vector<Entry> entries;
  uint64_t size = 0;
  /// The symbol at the start of the blob (embedded forms).
  std::string symbol;
  /// Content hash (xxh3 of every entry's hash, offset and size).
  uint64_t hash = 0;
};

/// Moves the resource-initialized `llvm.mlir.global`s of `module` (LLVM
/// dialect) into `table`: each `llvm.mlir.addressof` of one becomes an
/// invariant load of `@<prefix>_weights_base` plus the weight's offset.
/// `embedded`: the base points at `@<prefix>_weights` (defined by
/// writeObjectWithWeights); otherwise it starts null, for a weights file.
/// Nothing changes when there is no resource global.
llvm::Error externalizeWeights(mlir::ModuleOp module, llvm::StringRef prefix,
                               bool embedded, WeightTable &table);

/// Writes the ELF relocatable `object` with the weights added as one more
/// section that defines `table.symbol` (undefined in `object`).
llvm::Error writeObjectWithWeights(llvm::ArrayRef<char> object,
                                   const WeightTable &table,
                                   llvm::raw_ostream &os);

} // namespace qcc

#endif // QCC_TARGET_CPU_WEIGHTSSECTION_H
