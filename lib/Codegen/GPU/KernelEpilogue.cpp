//===- KernelEpilogue.cpp - elementwise readers fused into GPU kernels ----===//
#include "KernelEpilogue.h"
#include "ContractionLoops.h"
#include "qcc/Codegen/Common/EpilogueFusion.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

static constexpr llvm::StringLiteral kMark = "qcc.epilogue";

qcc::KernelEpilogue qcc::findKernelEpilogue(linalg::GenericOp op,
                                            ArrayRef<Value> kernelReads) {
  linalg::GenericOp reader = adjacentMarked(op, /*after=*/true, kMark);
  if (!reader)
    return {};
  auto reject = [&]() -> KernelEpilogue {
    reader->removeAttr(kMark);
    return {};
  };
  Value out = op.getDpsInitOperand(0)->get();
  auto outType = cast<MemRefType>(out.getType());
  if (!reader.hasPureBufferSemantics() || reader.getNumDpsInits() != 1 ||
      reader.getNumReductionLoops() != 0 || !outType.hasStaticShape() ||
      !outType.getLayout().isIdentity() ||
      !reader.getMatchingIndexingMap(reader.getDpsInitOperand(0))
           .isIdentity() ||
      llvm::any_of(reader.getStaticLoopRanges(), ShapedType::isDynamic))
    return reject();
  for (Operation &inner : reader.getBody()->without_terminator())
    if (!isa<arith::ArithDialect, math::MathDialect>(inner.getDialect()) ||
        inner.getNumRegions() != 0)
      return reject();
  OpOperand *acc = fusibleEpilogueInput(reader, op, out, kernelReads);
  if (!acc || !reader.getMatchingIndexingMap(acc).isIdentity())
    return reject();
  return {reader, acc};
}

void qcc::storeFinished(OpBuilder &b, Location loc, Value out,
                        const KernelEpilogue &epilogue, Value value,
                        ArrayRef<Value> indices) {
  if (!epilogue) {
    memref::StoreOp::create(b, loc, value, out, indices);
    return;
  }
  linalg::GenericOp reader = epilogue.reader;
  // The reader's loops walk the result in row-major order, as its view of
  // the output does (identity layouts, the same element count).
  SmallVector<Value> loops(indices);
  if (epilogue.acc->get() != out) {
    ArrayRef<int64_t> shape = cast<MemRefType>(out.getType()).getShape();
    Value flat = indices[0];
    for (size_t i = 1; i < shape.size(); ++i)
      flat = arith::AddIOp::create(
          b, loc,
          arith::MulIOp::create(
              b, loc, flat, arith::ConstantIndexOp::create(b, loc, shape[i])),
          indices[i]);
    SmallVector<int64_t> ranges = reader.getStaticLoopRanges();
    SmallVector<unsigned> dims = llvm::to_vector(
        llvm::seq<unsigned>(0, static_cast<unsigned>(ranges.size())));
    loops.assign(ranges.size(), Value());
    delinearize(b, loc, flat, dims, ranges, loops);
  }
  Block *body = reader.getBody();
  IRMapping map;
  for (OpOperand *in : reader.getDpsInputOperands()) {
    Value arg = body->getArgument(in->getOperandNumber());
    if (in == epilogue.acc)
      map.map(arg, value);
    else if (isa<MemRefType>(in->get().getType()))
      map.map(arg, loadAt(b, loc, in->get(), reader.getMatchingIndexingMap(in),
                          loops));
    else
      map.map(arg, in->get());
  }
  for (Operation &inner : body->without_terminator())
    b.clone(inner, map);
  Value result = map.lookupOrDefault(body->getTerminator()->getOperand(0));
  memref::StoreOp::create(b, loc, result, reader.getDpsInitOperand(0)->get(),
                          loops);
}
