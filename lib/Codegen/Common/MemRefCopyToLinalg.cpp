//===- MemRefCopyToLinalg.cpp - memref.copy as linalg.copy ----------------===//
#include "qcc/Codegen/Common/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace qcc {
#define GEN_PASS_DEF_MEMREFCOPYTOLINALG
#include "qcc/Codegen/Common/Passes.h.inc"
} // namespace qcc

using namespace mlir;

namespace {
struct MemRefCopyToLinalgPass
    : qcc::impl::MemRefCopyToLinalgBase<MemRefCopyToLinalgPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk([&](memref::CopyOp op) {
      // linalg.copy needs ranked operands; unranked copies stay as they are.
      if (isa<MemRefType>(op.getSource().getType()) &&
          isa<MemRefType>(op.getTarget().getType()))
        copies.push_back(op);
    });
    for (memref::CopyOp op : copies) {
      OpBuilder b(op);
      linalg::CopyOp::create(b, op.getLoc(), op.getSource(), op.getTarget());
      op.erase();
    }
  }
};
} // namespace
