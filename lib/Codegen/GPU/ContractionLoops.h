//===- ContractionLoops.h - contractions as GEMMs for GPU kernels *- C++ -*-===//
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
#ifndef QCC_LIB_CODEGEN_GPU_CONTRACTIONLOOPS_H
#define QCC_LIB_CODEGEN_GPU_CONTRACTIONLOOPS_H

#include "qcc/Codegen/Common/IntegerContraction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
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

/// Index arithmetic for the kernel builders (constants, unsigned division
/// and comparisons by constants).
struct IndexOps {
  IndexOps(mlir::OpBuilder &b, mlir::Location loc) : b(b), loc(loc) {}

  mlir::Value idx(int64_t v) {
    return mlir::arith::ConstantIndexOp::create(b, loc, v);
  }
  mlir::Value add(mlir::Value x, mlir::Value y) {
    return mlir::arith::AddIOp::create(b, loc, x, y);
  }
  mlir::Value mul(mlir::Value x, mlir::Value y) {
    return mlir::arith::MulIOp::create(b, loc, x, y);
  }
  mlir::Value rem(mlir::Value x, int64_t y) {
    return mlir::arith::RemUIOp::create(b, loc, x, idx(y));
  }
  mlir::Value div(mlir::Value x, int64_t y) {
    return mlir::arith::DivUIOp::create(b, loc, x, idx(y));
  }
  mlir::Value ult(mlir::Value x, int64_t y) {
    return mlir::arith::CmpIOp::create(b, loc, mlir::arith::CmpIPredicate::ult,
                                       x, idx(y));
  }
  mlir::Value minIdx(mlir::Value x, int64_t y) {
    return mlir::arith::MinUIOp::create(b, loc, x, idx(y));
  }

  mlir::OpBuilder &b;
  mlir::Location loc;
};

/// A gpu.launch of `grid` blocks of `threads` threads (x only) with
/// `workgroup` shared buffers; `b` is left at the start of its body,
/// before the terminator.
mlir::gpu::LaunchOp startLaunch(mlir::OpBuilder &b, mlir::Location loc,
                                std::array<int64_t, 3> grid, int64_t threads,
                                llvm::ArrayRef<mlir::Type> workgroup);

/// Splits the loops of `op` (static ranges, one output indexed by exactly
/// its parallel loops) by role for inputs `a` and `b`; none when a loop has
/// no role (a reduction loop missing from an operand, a dynamic range).
std::optional<ContractionLoops>
classifyContractionLoops(mlir::linalg::GenericOp op, unsigned a, unsigned b);

/// A contraction a kernel matched: its loops by role and its multiplicands
/// as the kernel describes an operand (`Operand` has the `input` number).
template <typename Operand>
struct MatchedContraction : ContractionLoops {
  Operand a, b;
  mlir::Operation *product = nullptr; ///< the multiply in the body
};

/// The match every tiled kernel starts with: `out += a * b` on one static
/// buffer of i32 (or f32, with `floats`), the multiplicands matched by the
/// kernel's `match` on two distinct inputs, every loop with a role.
template <typename Operand>
std::optional<MatchedContraction<Operand>> matchContraction(
    mlir::linalg::GenericOp op, bool floats,
    llvm::function_ref<std::optional<Operand>(mlir::linalg::GenericOp,
                                              mlir::Value)>
        match) {
  if (op.getNumDpsInits() != 1 || !op.hasPureBufferSemantics())
    return std::nullopt;
  auto outType =
      mlir::dyn_cast<mlir::MemRefType>(op.getDpsInitOperand(0)->get().getType());
  if (!outType)
    return std::nullopt;
  mlir::Type element = outType.getElementType();
  mlir::Operation *mul = nullptr;
  if (floats && element.isF32())
    mul = accumulatedFloatProduct(op);
  else if (element.isInteger(32))
    mul = accumulatedProduct(op);
  if (!mul)
    return std::nullopt;
  std::optional<Operand> a = match(op, mul->getOperand(0));
  std::optional<Operand> b = match(op, mul->getOperand(1));
  if (!a || !b || a->input == b->input)
    return std::nullopt;
  std::optional<ContractionLoops> loops =
      classifyContractionLoops(op, a->input, b->input);
  if (!loops)
    return std::nullopt;
  MatchedContraction<Operand> c;
  static_cast<ContractionLoops &>(c) = *loops;
  c.a = *a;
  c.b = *b;
  c.product = mul;
  return c;
}

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

/// mma.sync fragments of a warp (PTX ISA, "Matrix Fragments for mma.m16n8k*"
/// with 32-bit operand registers: k32 for 8-bit, k8 for tf32 operands).
/// With g = lane / 4 and t = lane % 4, A's four registers are words t and
/// t + 4 of rows g and g + 8 (ordered g/t, g+8/t, g/t+4, g+8/t+4); B's two
/// are words t and t + 4 of column g; accumulator q is row g (+ 8 for
/// q >= 2), column 2t + (q & 1). Tiles hold each operand row's K slice as
/// 8 contiguous 32-bit words (rows padded to 12 words: the fragment reads
/// of a warp hit 32 distinct banks); an f16 tile holds each word as two
/// halves (k16 for f16 operands), read as vector<2xf16>.
constexpr int64_t kFragmentWords = 8, kFragmentRowWords = 12;
/// A's registers for the 16 rows starting at `row0` (g added here).
llvm::SmallVector<mlir::Value, 4>
loadAFragment(mlir::OpBuilder &b, mlir::Location loc, mlir::Value tile,
              mlir::Value row0, mlir::Value g, mlir::Value t);
/// B's registers for the 8 columns starting at `col0`.
llvm::SmallVector<mlir::Value, 2>
loadBFragment(mlir::OpBuilder &b, mlir::Location loc, mlir::Value tile,
              mlir::Value col0, mlir::Value g, mlir::Value t);
/// A warp's operands for one K slice: A's registers of `mi` 16-row
/// fragments from `row0`, B's of `nj` 8-column fragments from `col0`.
struct WarpFragments {
  llvm::SmallVector<llvm::SmallVector<mlir::Value, 4>> a;
  llvm::SmallVector<llvm::SmallVector<mlir::Value, 2>> b;
};
WarpFragments loadWarpFragments(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::Value aTile, mlir::Value bTile,
                                mlir::Value row0, mlir::Value col0, int64_t mi,
                                int64_t nj, mlir::Value g, mlir::Value t);
/// The row and column (within the 16 x 8 fragment) of accumulator `q`.
std::pair<mlir::Value, mlir::Value>
accumulatorPosition(mlir::OpBuilder &b, mlir::Location loc, int64_t q,
                    mlir::Value g, mlir::Value t);

} // namespace qcc

#endif // QCC_LIB_CODEGEN_GPU_CONTRACTIONLOOPS_H
