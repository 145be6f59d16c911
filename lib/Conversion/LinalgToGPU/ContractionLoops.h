//===- ContractionLoops.h - contractions as GEMMs for GPU kernels -*- C++ -*-=//
//
// The tiled GPU kernels (int8 on tensor cores, float on FMA tiles) read a
// linalg contraction `out[o(d)] += a[ma(d)] * b[mb(d)]` as a batch of GEMMs:
// each loop is a batch loop (indexes both operands), a row loop (M: only
// `a`), a column loop (N: only `b`) or a reduction loop (K: both). A block
// computes a tile of rows and columns; these helpers turn flat row, column
// and reduction indices back into the loops' values and load operands at
// them.
//
//===----------------------------------------------------------------------===//
#ifndef QCC_LIB_CONVERSION_LINALGTOGPU_CONTRACTIONLOOPS_H
#define QCC_LIB_CONVERSION_LINALGTOGPU_CONTRACTIONLOOPS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace qcc {

/// The loops of a contraction split by role, with their static extents.
struct ContractionLoops {
  llvm::SmallVector<int64_t> ranges;
  llvm::SmallVector<unsigned> batchDims, mDims, nDims, kDims;
  int64_t batch = 1, M = 1, N = 1, K = 1;
};

/// Splits the loops of `op` (static ranges, one output indexed by exactly
/// its parallel loops) by role for inputs `a` and `b`; none when a loop has
/// no role (a reduction loop missing from an operand, a dynamic range).
std::optional<ContractionLoops>
classifyContractionLoops(mlir::linalg::GenericOp op, unsigned a, unsigned b);

/// Sets `loops[dims[i]]` from `flat`, a row-major index below the product
/// of the dims' ranges.
void delinearize(mlir::OpBuilder &b, mlir::Location loc, mlir::Value flat,
                 llvm::ArrayRef<unsigned> dims, llvm::ArrayRef<int64_t> ranges,
                 llvm::SmallVectorImpl<mlir::Value> &loops);

/// `map(loops)` as index values (affine.apply where a result is not a
/// plain loop).
llvm::SmallVector<mlir::Value> applyMap(mlir::OpBuilder &b, mlir::Location loc,
                                        mlir::AffineMap map,
                                        llvm::ArrayRef<mlir::Value> loops);

/// `memref[map(loops)]`.
mlir::Value loadAt(mlir::OpBuilder &b, mlir::Location loc, mlir::Value memref,
                   mlir::AffineMap map, llvm::ArrayRef<mlir::Value> loops);

/// Whether the innermost index of `map` is one of `dims`: consecutive
/// values of those loops are adjacent in memory, so consecutive threads
/// should take them for coalesced reads.
bool innermostIsOneOf(mlir::AffineMap map, llvm::ArrayRef<unsigned> dims);

} // namespace qcc

#endif // QCC_LIB_CONVERSION_LINALGTOGPU_CONTRACTIONLOOPS_H
