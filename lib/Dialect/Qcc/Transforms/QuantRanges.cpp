//===- QuantRanges.cpp - calibrated activation ranges ---------------------===//
#include "qcc/Dialect/Qcc/Transforms/QuantRanges.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"

using namespace mlir;

static constexpr llvm::StringLiteral kRange = "qcc.range";

std::optional<std::pair<float, float>> qcc::getRange(Value v) {
  DenseF32ArrayAttr attr;
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
    if (func)
      attr =
          func.getArgAttrOfType<DenseF32ArrayAttr>(arg.getArgNumber(), kRange);
  } else if (Operation *op = v.getDefiningOp()) {
    if (op->getNumResults() == 1)
      attr = op->getAttrOfType<DenseF32ArrayAttr>(kRange);
  }
  if (!attr || attr.size() != 2)
    return std::nullopt;
  return std::make_pair(attr[0], attr[1]);
}

void qcc::setRange(Value v, float lo, float hi) {
  Builder b(v.getContext());
  auto attr = b.getDenseF32ArrayAttr({lo, hi});
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    if (auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp()))
      func.setArgAttr(arg.getArgNumber(), kRange, attr);
    return;
  }
  v.getDefiningOp()->setAttr(kRange, attr);
}

bool qcc::isExcluded(Operation *op) {
  auto attr = op->getAttrOfType<StringAttr>("qcc.quant");
  return attr && attr.getValue() == "float";
}

std::optional<int64_t> qcc::overrideInt(Operation *op, llvm::StringRef name) {
  if (auto attr = op->getAttrOfType<IntegerAttr>(name))
    return attr.getInt();
  return std::nullopt;
}

std::optional<bool> qcc::overrideBool(Operation *op, llvm::StringRef name) {
  if (auto attr = op->getAttrOfType<BoolAttr>(name))
    return attr.getValue();
  return std::nullopt;
}

int64_t qcc::reductionLength(Operation *layer) {
  auto w = dyn_cast<RankedTensorType>(layer->getOperand(1).getType());
  if (!w || w.getRank() < 2)
    return 0;
  if (isa<ConvOp>(layer))
    return w.getNumElements() / w.getDimSize(0);
  // (C_in, C_out, k...): at most C_in * prod(k) products per output.
  if (isa<ConvTransposeOp>(layer))
    return w.getNumElements() / w.getDimSize(1);
  // MatMul/Gemm weights are K x N here (Gemm's transB folded before).
  return w.getDimSize(w.getRank() - 2);
}

std::string qcc::locName(Location loc) {
  if (auto named = dyn_cast<NameLoc>(loc))
    return "'" + named.getName().str() + "'";
  std::string text;
  llvm::raw_string_ostream os(text);
  loc.print(os);
  return text;
}
