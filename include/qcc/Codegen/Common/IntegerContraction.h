//===- IntegerContraction.h - matching integer dot-product bodies *- C++ -*-===//
//
// The body shape shared by the CPU's packed int8 kernels and the GPU's
// tensor-core kernels: `yield out + ext(a) * ext(b)` (each side possibly
// minus a zero point) over 8-bit inputs; and its float form for the GPU's
// float kernels.
//
//===----------------------------------------------------------------------===//
#ifndef QCC_CODEGEN_COMMON_INTEGERCONTRACTION_H
#define QCC_CODEGEN_COMMON_INTEGERCONTRACTION_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace qcc {

/// The `MulOp` product a linalg.generic body adds (`AddOp`) to its output
/// (`yield out + p`, either operand order), or null.
template <typename AddOp, typename MulOp>
MulOp accumulatedProductOf(mlir::linalg::GenericOp op) {
  mlir::Block *body = op.getBody();
  auto yield = mlir::cast<mlir::linalg::YieldOp>(body->getTerminator());
  if (yield.getNumOperands() != 1)
    return nullptr;
  auto add = yield.getOperand(0).getDefiningOp<AddOp>();
  if (!add)
    return nullptr;
  mlir::Value out = body->getArgument(op.getNumDpsInputs());
  mlir::Value product = add.getLhs() == out   ? add.getRhs()
                        : add.getRhs() == out ? add.getLhs()
                                              : mlir::Value();
  return product ? product.template getDefiningOp<MulOp>() : nullptr;
}

/// `yield out + a * b` on integers.
inline mlir::arith::MulIOp accumulatedProduct(mlir::linalg::GenericOp op) {
  return accumulatedProductOf<mlir::arith::AddIOp, mlir::arith::MulIOp>(op);
}
/// `yield out + a * b` on floats.
inline mlir::arith::MulFOp accumulatedFloatProduct(mlir::linalg::GenericOp op) {
  return accumulatedProductOf<mlir::arith::AddFOp, mlir::arith::MulFOp>(op);
}

/// The input number of `v` when it is the block argument of an 8-bit input
/// of `op`.
inline std::optional<unsigned> int8InputArgument(mlir::linalg::GenericOp op,
                                                 mlir::Value v) {
  auto arg = mlir::dyn_cast<mlir::BlockArgument>(v);
  if (!arg || arg.getOwner() != op.getBody() ||
      arg.getArgNumber() >= op.getNumDpsInputs() || !arg.getType().isInteger(8))
    return std::nullopt;
  return arg.getArgNumber();
}

/// The value `v` reshapes or casts (tensors or buffers: reshapes keep the
/// row-major order of the data).
mlir::Value throughReshapes(mlir::Value v);

/// The integer constant behind `v`, through reshapes: an arith.constant on
/// tensors, or a memref.get_global of a constant global on buffers.
mlir::ElementsAttr tracedIntConstant(mlir::Value v);

/// One multiplicand of an 8-bit product: `ext(input) - zero point`, the
/// zero point absent (0), a constant (an arith.constant, or the extension
/// of an input that reads a constant splat), or a rank-0 8-bit input
/// computed at run time (dynamic quantization).
struct Int8Operand {
  unsigned input;
  bool isUnsigned;
  int64_t zeroPoint = 0;
  std::optional<unsigned> zeroPointInput;
  bool zeroPointUnsigned = false;

  bool hasZeroPoint() const { return zeroPoint != 0 || zeroPointInput; }
};

/// `v`, a multiplicand in the body of `op`, as an Int8Operand, or nothing.
std::optional<Int8Operand> matchInt8Operand(mlir::linalg::GenericOp op,
                                            mlir::Value v);

} // namespace qcc

#endif // QCC_CODEGEN_COMMON_INTEGERCONTRACTION_H
