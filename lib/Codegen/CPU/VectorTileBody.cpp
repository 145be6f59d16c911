//===- VectorTileBody.cpp - an elementwise generic on one vector ----------===//
#include "VectorTileBody.h"
#include "qcc/Codegen/Common/LinalgUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;
using namespace qcc;

static bool contiguous(MemRefType type) {
  return type.hasStaticShape() && type.getLayout().isIdentity();
}

std::optional<VectorTileBody> VectorTileBody::analyze(linalg::GenericOp op,
                                                      int64_t rowLength,
                                                      int64_t lanes,
                                                      OpOperand *given) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 0 || rowLength <= 0)
    return std::nullopt;
  VectorTileBody t;
  t.op = op;
  t.rowLength = rowLength;
  t.lanes = lanes;
  t.shape = op.getStaticLoopRanges();
  if (llvm::any_of(t.shape, ShapedType::isDynamic))
    return std::nullopt;
  // The rows: the trailing loops whose extents multiply to rowLength.
  int64_t product = 1;
  unsigned n = t.shape.size();
  t.firstLaneDim = n;
  while (t.firstLaneDim > 0 && product < rowLength)
    product *= t.shape[--t.firstLaneDim];
  if (product != rowLength)
    return std::nullopt;

  Block *body = op.getBody();
  for (Operation &inner : body->without_terminator())
    if (!qcc::isLanewiseBodyOp(inner))
      return std::nullopt;
  SetVector<Value> captured;
  getUsedValuesDefinedAbove(op.getRegion(), captured);
  if (llvm::any_of(captured,
                   [](Value v) { return !v.getType().isIntOrFloat(); }))
    return std::nullopt;
  if (!body->getArgument(op.getNumDpsInputs()).use_empty() ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return std::nullopt;

  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (&operand == given) {
      if (!map.isIdentity())
        return std::nullopt;
      t.operands.push_back({Access::Given, map, Value()});
      continue;
    }
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type)
      return std::nullopt;
    // Results: dims constant within a row (or 0) ...
    unsigned r = 0, results = map.getNumResults();
    for (; r < results; ++r) {
      AffineExpr e = map.getResult(r);
      if (auto d = dyn_cast<AffineDimExpr>(e)) {
        if (d.getPosition() >= t.firstLaneDim)
          break;
        continue;
      }
      auto c = dyn_cast<AffineConstantExpr>(e);
      if (!c || c.getValue() != 0)
        return std::nullopt;
    }
    bool output = op.isDpsInit(&operand);
    if (r == results && !output) {
      t.operands.push_back({Access::Invariant, map, operand.get()});
      continue;
    }
    // ... then every lane dim, in order, on contiguous trailing dims.
    if (results - r != n - t.firstLaneDim || !contiguous(type))
      return std::nullopt;
    for (unsigned i = 0; r + i < results; ++i) {
      auto d = dyn_cast<AffineDimExpr>(map.getResult(r + i));
      if (!d || d.getPosition() != t.firstLaneDim + i ||
          type.getDimSize(r + i) != t.shape[t.firstLaneDim + i])
        return std::nullopt;
    }
    t.operands.push_back({Access::Vector, map, operand.get()});
  }
  return t;
}

void VectorTileBody::prepare(OpBuilder &b, Location loc) {
  for (Operand &operand : operands) {
    if (operand.access != Access::Vector)
      continue;
    auto type = cast<MemRefType>(operand.memref.getType());
    unsigned laneDims = shape.size() - firstLaneDim;
    SmallVector<ReassociationIndices> groups;
    int64_t rank = type.getRank();
    for (int64_t i = 0; i + laneDims < (unsigned)rank; ++i)
      groups.push_back({i});
    ReassociationIndices last;
    for (int64_t i = rank - laneDims; i < rank; ++i)
      last.push_back(i);
    groups.push_back(last);
    if (laneDims != 1)
      operand.memref =
          memref::CollapseShapeOp::create(b, loc, operand.memref, groups);
  }
}

SmallVector<Value> VectorTileBody::indices(OpBuilder &b, Location loc,
                                           const Operand &operand, Value row,
                                           Value n0) const {
  auto cst = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  SmallVector<Value> idx;
  for (AffineExpr e : operand.map.getResults()) {
    auto d = dyn_cast<AffineDimExpr>(e);
    if (!d) {
      idx.push_back(cst(0));
      continue;
    }
    unsigned j = d.getPosition();
    if (j >= firstLaneDim)
      break;
    // Loop j's index: (row / (rows per step of j)) mod extent.
    int64_t stride = 1;
    for (unsigned k = j + 1; k < firstLaneDim; ++k)
      stride *= shape[k];
    Value v = row;
    if (stride != 1)
      v = arith::DivUIOp::create(b, loc, v, cst(stride));
    if (j != 0)
      v = arith::RemUIOp::create(b, loc, v, cst(shape[j]));
    idx.push_back(v);
  }
  if (operand.access == Access::Vector)
    idx.push_back(n0);
  return idx;
}

Value VectorTileBody::read(OpBuilder &b, Location loc, const Operand &operand,
                           Value row, Value n0, Value mask) const {
  SmallVector<Value> idx = indices(b, loc, operand, row, n0);
  Type elem = cast<MemRefType>(operand.memref.getType()).getElementType();
  auto type = VectorType::get({lanes}, elem);
  if (operand.access == Access::Invariant)
    return vector::BroadcastOp::create(
        b, loc, type, memref::LoadOp::create(b, loc, operand.memref, idx));
  if (!mask)
    return vector::LoadOp::create(b, loc, type, operand.memref, idx);
  Value zeros =
      arith::ConstantOp::create(b, loc, type, b.getZeroAttr(type)).getResult();
  return vector::MaskedLoadOp::create(b, loc, type, operand.memref, idx, mask,
                                      zeros);
}

Value VectorTileBody::evaluate(OpBuilder &b, Location loc, Value row, Value n0,
                               Value mask, Value given, Value of) const {
  linalg::GenericOp generic = op;
  Block *body = generic.getBody();
  IRMapping map;
  for (unsigned i = 0, e = generic.getNumDpsInputs(); i < e; ++i)
    map.map(body->getArgument(i),
            operands[i].access == Access::Given
                ? given
                : read(b, loc, operands[i], row, n0, mask));
  SmallVector<Operation *> ops;
  for (Operation &inner : body->without_terminator())
    ops.push_back(&inner);
  qcc::cloneOnVectors(b, loc, ops, map, lanes);
  Value result = of ? of : body->getTerminator()->getOperand(0);
  if (map.contains(result))
    return map.lookup(result);
  return vector::BroadcastOp::create(
      b, loc, VectorType::get({lanes}, result.getType()), result);
}

void VectorTileBody::store(OpBuilder &b, Location loc, Value row, Value n0,
                           Value mask, Value value) const {
  const Operand &out = operands.back();
  SmallVector<Value> idx = indices(b, loc, out, row, n0);
  if (mask)
    vector::MaskedStoreOp::create(b, loc, out.memref, idx, mask, value);
  else
    vector::StoreOp::create(b, loc, value, out.memref, idx);
}
