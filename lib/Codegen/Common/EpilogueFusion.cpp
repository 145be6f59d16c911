//===- EpilogueFusion.cpp - int8 contractions and their epilogues --------===//
#include "qcc/Codegen/Common/EpilogueFusion.h"
#include "qcc/Conversion/QccToLinalg/LoweringUtils.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;
using namespace qcc;

linalg::GenericOp qcc::markEpilogue(OpBuilder &b, DominanceInfo &dom,
                                        linalg::GenericOp dot) {
  Value v = dot.getResult(0);
  SmallVector<Operation *> reshapes;
  while (v.hasOneUse() && isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(
                              *v.getUsers().begin())) {
    reshapes.push_back(*v.getUsers().begin());
    v = reshapes.back()->getResult(0);
  }
  if (!v.hasOneUse())
    return {};
  OpOperand &use = *v.getUses().begin();
  auto reader = dyn_cast<linalg::GenericOp>(use.getOwner());
  if (!reader || !reader.hasPureTensorSemantics() ||
      reader.getNumDpsInits() != 1 || reader.getNumReductionLoops() != 0 ||
      !reader.isDpsInput(&use) ||
      !reader.getMatchingIndexingMap(&use).isIdentity() ||
      !reader.getMatchingIndexingMap(reader.getDpsInitOperand(0))
           .isIdentity() ||
      !reader.getBody()->getArgument(reader.getNumDpsInputs()).use_empty())
    return {};
  SetVector<Value> captured;
  getUsedValuesDefinedAbove(reader.getRegion(), captured);
  for (OpOperand *in : reader.getDpsInputOperands())
    if (in != &use)
      captured.insert(in->get());
  if (!llvm::all_of(captured,
                    [&](Value x) { return dom.properlyDominates(x, dot); }))
    return {};
  b.setInsertionPoint(dot);
  auto type = cast<RankedTensorType>(reader.getResult(0).getType());
  Value empty = emptyTensor(b, dot.getLoc(), type);
  reader.getDpsInitOperand(0)->set(empty);
  Operation *last = dot;
  for (Operation *reshape : reshapes) {
    reshape->moveAfter(last);
    last = reshape;
  }
  reader->moveAfter(last);
  reader->setAttr("qcc.epilogue", b.getUnitAttr());
  return reader;
}

Value qcc::reshapeRoot(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(def))
      break;
    v = def->getOperand(0);
  }
  return v;
}

int64_t qcc::numElements(Value v) {
  auto type = cast<MemRefType>(v.getType());
  return type.hasStaticShape() ? type.getNumElements() : -1;
}

/// Bytes [begin, end) of the workspace (or other base) that `v` views, when
/// known: overlapping buffers must not be fused into one loop.
static std::optional<std::tuple<Value, int64_t, int64_t>> byteRange(Value v) {
  auto view = reshapeRoot(v).getDefiningOp<memref::ViewOp>();
  if (!view)
    return std::nullopt;
  APInt shift;
  if (!matchPattern(view.getByteShift(), m_ConstantInt(&shift)))
    return std::nullopt;
  auto type = cast<MemRefType>(v.getType());
  int64_t begin = shift.getSExtValue();
  return std::make_tuple(view.getSource(), begin,
                         begin + numElements(v) *
                                     (type.getElementTypeBitWidth() / 8));
}

bool qcc::mayOverlap(Value a, Value b) {
  if (reshapeRoot(a) == reshapeRoot(b))
    return true;
  auto ra = byteRange(a), rb = byteRange(b);
  if (!ra || !rb)
    // Distinct allocations (or globals) do not overlap; views of one
    // base at unknown offsets might.
    return (reshapeRoot(a).getDefiningOp<memref::ViewOp>() != nullptr) &&
           (reshapeRoot(b).getDefiningOp<memref::ViewOp>() != nullptr);
  auto [baseA, beginA, endA] = *ra;
  auto [baseB, beginB, endB] = *rb;
  return baseA == baseB && beginA < endB && beginB < endA;
}

bool qcc::hoistBefore(Value v, Operation *point) {
  Operation *def = v.getDefiningOp();
  if (!def || def->getBlock() != point->getBlock())
    return !def || def->isProperAncestor(point) ||
           def->getParentRegion()->isAncestor(point->getParentRegion());
  if (def->isBeforeInBlock(point))
    return true;
  if (!isMemoryEffectFree(def) || def->getNumRegions() != 0)
    return false;
  for (Value operand : def->getOperands())
    if (!hoistBefore(operand, point))
      return false;
  def->moveBefore(point);
  return true;
}

linalg::GenericOp qcc::adjacentMarked(Operation *from, bool after,
                                      StringRef attr) {
  for (Operation *o = after ? from->getNextNode() : from->getPrevNode(); o;
       o = after ? o->getNextNode() : o->getPrevNode()) {
    auto generic = dyn_cast<linalg::GenericOp>(o);
    if (generic && generic->hasAttr(attr))
      return generic;
    if (!isMemoryEffectFree(o) || o->getNumRegions() != 0)
      return {};
  }
  return {};
}

OpOperand *qcc::fusibleEpilogueInput(linalg::GenericOp reader,
                                     Operation *kernel, Value out,
                                     ArrayRef<Value> kernelReads) {
  OpOperand *acc = nullptr;
  for (OpOperand *in : reader.getDpsInputOperands()) {
    if (!mayOverlap(in->get(), out))
      continue;
    if (acc || reshapeRoot(in->get()) != reshapeRoot(out))
      return nullptr;
    acc = in;
  }
  if (!acc || numElements(acc->get()) != numElements(out) ||
      !cast<MemRefType>(acc->get().getType()).getLayout().isIdentity())
    return nullptr;
  Value result = reader.getDpsInitOperand(0)->get();
  SmallVector<Value> read(kernelReads);
  read.push_back(out);
  for (OpOperand *in : reader.getDpsInputOperands())
    if (in != acc)
      read.push_back(in->get());
  if (llvm::any_of(read, [&](Value v) {
        return isa<MemRefType>(v.getType()) && mayOverlap(result, v);
      }))
    return nullptr;
  // What it reads must exist where the kernel runs.
  SetVector<Value> captured;
  getUsedValuesDefinedAbove(reader.getRegion(), captured);
  for (Value v : reader->getOperands())
    if (v != acc->get() && !hoistBefore(v, kernel))
      return nullptr;
  for (Value v : captured)
    if (!hoistBefore(v, kernel))
      return nullptr;
  return acc;
}
