//===- EpilogueFusion.h - int8 contractions and their epilogues -*- C++ -*-===//
//
// An int8 contraction's only reader (bias, requantization, activation) is
// computed where the contraction's accumulators are, by the CPU's VNNI
// kernel and the GPU's tensor-core kernel alike: on tensors it is marked
// and placed after the contraction; on buffers the kernels find it there
// and check, with these helpers, that fusing it reads and writes nothing
// it should not.
//
//===----------------------------------------------------------------------===//
#ifndef QCC_CONVERSION_EPILOGUEFUSION_H
#define QCC_CONVERSION_EPILOGUEFUSION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Dominance.h"

namespace qcc {

/// Marks the only reader of `contraction`'s result (on tensors), when it
/// is an elementwise generic reading it whole (through reshapes), as its
/// epilogue (`qcc.epilogue`), and moves it right after the
/// contraction. Its output gets its own tensor.empty before the
/// contraction, so that its buffer is allocated while the contraction's
/// operands are live and cannot overlap them. Returns the reader, or null.
mlir::linalg::GenericOp markEpilogue(mlir::OpBuilder &b,
                                         mlir::DominanceInfo &dom,
                                         mlir::linalg::GenericOp contraction);

/// On buffers: the input of `reader` (an epilogue marked after `kernel`)
/// that reads the kernel's output `out` whole (through reshapes, identity
/// layout), when the kernel can compute `reader` as it stores: the
/// reader's output overlaps neither `kernelReads` (what the kernel reads
/// while it stores), `out` nor the reader's other inputs, and the reader's
/// operands and captured values are moved before `kernel` where they come
/// later. Null when it cannot.
mlir::OpOperand *fusibleEpilogueInput(mlir::linalg::GenericOp reader,
                                      mlir::Operation *kernel, mlir::Value out,
                                      llvm::ArrayRef<mlir::Value> kernelReads);

/// The buffer a reshaped view reads.
mlir::Value reshapeRoot(mlir::Value v);
/// Elements of a statically shaped buffer.
int64_t numElements(mlir::Value v);
/// Whether two buffers may share bytes (distinct allocations and globals do
/// not; views of one base at unknown offsets might).
bool mayOverlap(mlir::Value a, mlir::Value b);
/// Makes `v` available at `point`: moves the side-effect-free ops that
/// define it (views, reshapes, constants) there when they come later.
bool hoistBefore(mlir::Value v, mlir::Operation *point);
/// The generic marked `attr` next to `from` (after it, or before it), with
/// only side-effect-free ops between them.
mlir::linalg::GenericOp adjacentMarked(mlir::Operation *from, bool after,
                                       llvm::StringRef attr);

} // namespace qcc

#endif // QCC_CONVERSION_EPILOGUEFUSION_H
