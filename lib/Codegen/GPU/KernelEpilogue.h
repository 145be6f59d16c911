//===- KernelEpilogue.h - elementwise readers fused into GPU kernels -*- C++
//-*-===//
//
// A contraction's only elementwise reader (bias, requantization,
// activation), marked `qcc.epilogue` by qcc-gpu-mark-epilogues, is
// computed by the contraction's kernel on each finished output element:
// the kernel stores only the reader's output.
//
//===----------------------------------------------------------------------===//
#ifndef QCC_LIB_CONVERSION_LINALGTOGPU_KERNELEPILOGUE_H
#define QCC_LIB_CONVERSION_LINALGTOGPU_KERNELEPILOGUE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace qcc {

struct KernelEpilogue {
  /// The reader, and its input that reads the contraction's output.
  mlir::linalg::GenericOp reader;
  mlir::OpOperand *acc = nullptr;
  explicit operator bool() const { return reader != nullptr; }
};

/// The reader marked after `contraction` when its kernel can compute it on
/// each finished output element: it reads the whole result once (through
/// reshapes, identity layouts), its body is arithmetic, its other operands
/// exist before the kernel, and its output overlaps nothing in
/// `kernelReads` (blocks still read operands while others store). Else
/// none, and the mark is dropped.
KernelEpilogue findKernelEpilogue(mlir::linalg::GenericOp contraction,
                                  llvm::ArrayRef<mlir::Value> kernelReads);

/// Stores the finished element `value` at `indices` of `out`, or, with an
/// epilogue, the reader's value of it at the same element of the reader's
/// output.
void storeFinished(mlir::OpBuilder &b, mlir::Location loc, mlir::Value out,
                   const KernelEpilogue &epilogue, mlir::Value value,
                   llvm::ArrayRef<mlir::Value> indices);

} // namespace qcc

#endif // QCC_LIB_CONVERSION_LINALGTOGPU_KERNELEPILOGUE_H
