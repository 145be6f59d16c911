//===- VectorTileBody.h - an elementwise generic on one vector --*- C++ -*-===//
//
// Evaluates an all-parallel linalg.generic on buffers one vector of lanes at
// a time, for a micro-kernel that holds those lanes in registers: the
// initial value of its accumulators (a prologue) or what is done to them
// before they are stored (an epilogue: bias, requantization, activation).
// The lanes are consecutive elements, in row-major order, of the generic's
// iteration space, which is cut into rows of `rowLength` elements; a vector
// never leaves its row. Each operand is then either constant across the
// lanes (a per-channel scale: one load and a splat) or contiguous along
// them (a vector load).
//
//===----------------------------------------------------------------------===//
#ifndef QCC_LIB_CONVERSION_QCCTOLINALG_VECTORTILEBODY_H
#define QCC_LIB_CONVERSION_QCCTOLINALG_VECTORTILEBODY_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace qcc {

class VectorTileBody {
public:
  /// Whether `op` can be evaluated on `lanes`-wide vectors inside rows of
  /// `rowLength` elements. `given`, an input of `op` read at the identity,
  /// is supplied by the caller instead of loaded.
  static std::optional<VectorTileBody>
  analyze(mlir::linalg::GenericOp op, int64_t rowLength, int64_t lanes,
          mlir::OpOperand *given = nullptr);

  /// Views the operands need, created once before the caller's loops.
  void prepare(mlir::OpBuilder &b, mlir::Location loc);
  /// The body's value on the lanes [n0, n0 + lanes) of row `row` (index
  /// values); `mask` (or null) marks the valid lanes, `given` is the
  /// caller's vector for the `given` operand. `of`, a value of the body,
  /// is evaluated instead of the yielded one when given.
  mlir::Value evaluate(mlir::OpBuilder &b, mlir::Location loc, mlir::Value row,
                       mlir::Value n0, mlir::Value mask, mlir::Value given = {},
                       mlir::Value of = {}) const;
  /// Stores `value` (`lanes` wide, or a multiple of it within the row) to
  /// the op's output from lane n0 of row `row`.
  void store(mlir::OpBuilder &b, mlir::Location loc, mlir::Value row,
             mlir::Value n0, mlir::Value mask, mlir::Value value) const;

  mlir::linalg::GenericOp getOp() const { return op; }

private:
  enum class Access { Given, Invariant, Vector };
  struct Operand {
    Access access;
    mlir::AffineMap map;
    mlir::Value memref; ///< Vector: trailing lane dims collapsed into one.
  };
  mlir::SmallVector<mlir::Value> indices(mlir::OpBuilder &b, mlir::Location loc,
                                         const Operand &operand,
                                         mlir::Value row, mlir::Value n0) const;
  mlir::Value read(mlir::OpBuilder &b, mlir::Location loc,
                   const Operand &operand, mlir::Value row, mlir::Value n0,
                   mlir::Value mask) const;

  mlir::linalg::GenericOp op;
  int64_t rowLength = 0, lanes = 0;
  /// Loops before `firstLaneDim` are constant within a row; the others
  /// walk it.
  unsigned firstLaneDim = 0;
  mlir::SmallVector<int64_t> shape;
  mlir::SmallVector<Operand> operands; ///< inputs, then the output
};

} // namespace qcc

#endif // QCC_LIB_CONVERSION_QCCTOLINALG_VECTORTILEBODY_H
