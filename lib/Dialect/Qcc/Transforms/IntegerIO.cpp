//===- IntegerIO.cpp - 8-bit model inputs and outputs ---------------------===//
//
// With --integer-only the model's own code must not convert floats, so the
// edge QuantizeLinear / DequantizeLinear move to the caller: the signature
// records their scale and zero point (the C header and P_quant_info export
// them) and `main` takes and returns the 8-bit tensors.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantParams.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace qcc {
#define GEN_PASS_DEF_INTEGERIO
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

/// 8-bit, or int16 (a residual stream; docs/IntegerOnly.md).
static bool isEdgeInteger(Type t) {
  auto elem = dyn_cast<IntegerType>(cast<ShapedType>(t).getElementType());
  return elem && (elem.getWidth() == 8 ||
                  (elem.getWidth() == 16 && !elem.isUnsigned()));
}

/// `entry` (a signature dictionary) with the edge quantization recorded.
static DictionaryAttr withQuant(DictionaryAttr entry, Type elem,
                                PerTensorParams p) {
  Builder b(entry.getContext());
  NamedAttrList attrs(entry);
  attrs.set("dtype", b.getI32IntegerAttr(dtypeCodeOf(elem)));
  attrs.set("scale", b.getF32FloatAttr((float)p.scale));
  attrs.set("zero_point", b.getI32IntegerAttr((int32_t)p.zeroPoint));
  return attrs.getDictionary(entry.getContext());
}

/// The one per-tensor quantization every user of `arg` applies, when all
/// users are such QuantizeLinear ops to the same 8-bit type.
static std::optional<std::pair<PerTensorParams, Type>>
edgeQuantization(BlockArgument arg) {
  std::optional<std::pair<PerTensorParams, Type>> found;
  if (arg.use_empty())
    return std::nullopt;
  for (Operation *user : arg.getUsers()) {
    auto q = dyn_cast<QuantizeLinearOp>(user);
    if (!q || q.getBlockSize() != 0 || !isEdgeInteger(q.getType()))
      return std::nullopt;
    auto p = perTensorParams(q.getScale(), q.getZeroPoint());
    if (!p)
      return std::nullopt;
    if (found && (found->first.scale != p->scale ||
                  found->first.zeroPoint != p->zeroPoint ||
                  found->second != q.getType()))
      return std::nullopt;
    found = std::make_pair(*p, q.getType());
  }
  return found;
}

namespace {
struct IntegerIOPass : qcc::impl::IntegerIOBase<IntegerIOPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto func = module.lookupSymbol<func::FuncOp>("main");
    auto inputs = module->getAttrOfType<ArrayAttr>("qcc.inputs");
    auto outputs = module->getAttrOfType<ArrayAttr>("qcc.outputs");
    if (!func || func.isExternal() || !inputs || !outputs ||
        inputs.size() != func.getNumArguments() ||
        outputs.size() != func.getNumResults())
      return; // Not an imported model: nothing describes its edge.

    SmallVector<Attribute> newInputs(inputs.begin(), inputs.end());
    SmallVector<Attribute> newOutputs(outputs.begin(), outputs.end());
    Block &body = func.getBody().front();
    for (BlockArgument arg : body.getArguments()) {
      auto edge = edgeQuantization(arg);
      if (!edge)
        continue;
      arg.setType(edge->second);
      for (Operation *user : llvm::to_vector(arg.getUsers())) {
        user->getResult(0).replaceAllUsesWith(arg);
        user->erase();
      }
      unsigned i = arg.getArgNumber();
      newInputs[i] = withQuant(cast<DictionaryAttr>(inputs[i]),
                               cast<ShapedType>(edge->second).getElementType(),
                               edge->first);
    }

    auto ret = cast<func::ReturnOp>(body.getTerminator());
    for (OpOperand &operand : ret->getOpOperands()) {
      auto dq = operand.get().getDefiningOp<DequantizeLinearOp>();
      if (!dq || dq.getBlockSize() != 0 ||
          !isEdgeInteger(dq.getInput().getType()))
        continue;
      auto p = perTensorParams(dq.getScale(), dq.getZeroPoint());
      if (!p)
        continue;
      operand.set(dq.getInput());
      unsigned i = operand.getOperandNumber();
      newOutputs[i] = withQuant(
          cast<DictionaryAttr>(outputs[i]),
          cast<ShapedType>(dq.getInput().getType()).getElementType(), *p);
      if (dq->use_empty())
        dq->erase();
    }

    func.setType(FunctionType::get(&getContext(), body.getArgumentTypes(),
                                   ret.getOperandTypes()));
    Builder b(&getContext());
    module->setAttr("qcc.inputs", b.getArrayAttr(newInputs));
    module->setAttr("qcc.outputs", b.getArrayAttr(newOutputs));
  }
};
} // namespace
