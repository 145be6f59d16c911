//===- IntegerContraction.cpp - matching integer dot-product bodies -------===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Codegen/Common/IntegerContraction.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace qcc;

Value qcc::throughReshapes(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp, tensor::CastOp,
             memref::ExpandShapeOp, memref::CollapseShapeOp, memref::CastOp>(
            def))
      break;
    v = def->getOperand(0);
  }
  return v;
}

ElementsAttr qcc::tracedIntConstant(Value v) {
  v = throughReshapes(v);
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    if (auto get = v.getDefiningOp<memref::GetGlobalOp>()) {
      auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
          get, get.getNameAttr());
      if (global && global.getConstant())
        attr = global.getConstantInitValue();
    }
  std::optional<WeightData> data = getWeightData(attr);
  if (!data || !isa<IntegerType>(data->type.getElementType()))
    return {};
  return cast<ElementsAttr>(attr);
}

/// `v` as a constant integer: an arith.constant, or the extension of a
/// block argument that reads a constant splat.
static std::optional<int64_t> constantInt(linalg::GenericOp op, Value v) {
  APInt value;
  if (matchPattern(v, m_ConstantInt(&value)))
    return value.getSExtValue();
  Operation *ext = v.getDefiningOp();
  if (!isa_and_nonnull<arith::ExtUIOp, arith::ExtSIOp>(ext))
    return std::nullopt;
  auto arg = dyn_cast<BlockArgument>(ext->getOperand(0));
  if (!arg || arg.getOwner() != op.getBody() ||
      arg.getArgNumber() >= op.getNumDpsInputs())
    return std::nullopt;
  ElementsAttr attr =
      qcc::tracedIntConstant(op.getDpsInputOperand(arg.getArgNumber())->get());
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return std::nullopt;
  APInt splat = dense.getSplatValue<APInt>();
  return isa<arith::ExtUIOp>(ext) ? (int64_t)splat.getZExtValue()
                                  : splat.getSExtValue();
}

std::optional<qcc::Int8Operand> qcc::matchInt8Operand(linalg::GenericOp op,
                                                      Value v) {
  Int8Operand side;
  if (auto sub = v.getDefiningOp<arith::SubIOp>()) {
    if (std::optional<int64_t> zp = constantInt(op, sub.getRhs())) {
      side.zeroPoint = *zp;
    } else {
      Operation *ext = sub.getRhs().getDefiningOp();
      if (!isa_and_nonnull<arith::ExtUIOp, arith::ExtSIOp>(ext))
        return std::nullopt;
      side.zeroPointInput = int8InputArgument(op, ext->getOperand(0));
      // A zero point computed at run time is one value: a rank-0 input.
      if (!side.zeroPointInput ||
          op.getIndexingMapsArray()[*side.zeroPointInput].getNumResults())
        return std::nullopt;
      side.zeroPointUnsigned = isa<arith::ExtUIOp>(ext);
    }
    v = sub.getLhs();
  }
  Operation *ext = v.getDefiningOp();
  if (!isa_and_nonnull<arith::ExtUIOp, arith::ExtSIOp>(ext))
    return std::nullopt;
  std::optional<unsigned> input = int8InputArgument(op, ext->getOperand(0));
  if (!input)
    return std::nullopt;
  side.input = *input;
  side.isUnsigned = isa<arith::ExtUIOp>(ext);
  return side;
}
