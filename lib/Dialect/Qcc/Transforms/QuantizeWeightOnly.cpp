//===- QuantizeWeightOnly.cpp - grouped low-bit weights (w8/w4/w2) --------===//
//
// The LLM recipe (RTN): MatMul/Gemm weights stored in 2..8 bits with one
// scale (and zero point) per group along the reduction axis; activations and
// arithmetic stay float. The result is plain ONNX blocked DequantizeLinear,
// so it exports as standard QDQ; lowering packs sub-byte values.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantRanges.h"
#include "qcc/Dialect/Qcc/Transforms/QuantWeights.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SetVector.h"

namespace qcc {
#define GEN_PASS_DEF_QUANTIZEWEIGHTONLY
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

namespace {
struct QuantizeWeightOnlyPass
    : qcc::impl::QuantizeWeightOnlyBase<QuantizeWeightOnlyPass> {
  using Base::Base;

  void runOnOperation() override {
    if (bits < 2 || bits > 8) {
      getOperation().emitError("weight bits must be 2 to 8, not ") << bits;
      return signalPassFailure();
    }
    if (groupSize < 0) {
      getOperation().emitError("group size must be 0 (per channel) or "
                               "positive, not ")
          << groupSize;
      return signalPassFailure();
    }
    WeightScheme scheme{(unsigned)bits, groupSize, symmetric};
    // Weights shared by several layers are quantized once.
    DenseMap<std::tuple<Value, int64_t, int64_t, int64_t, int64_t>, Value> done;
    WalkResult result = getOperation().walk([&](Operation *op) {
      OpOperand *operand = nullptr;
      int64_t reductionAxis = 0;
      if (auto matmul = dyn_cast<MatMulOp>(op)) {
        operand = &matmul.getBMutable();
      } else if (auto gemm = dyn_cast<GemmOp>(op)) {
        operand = &gemm.getBMutable();
        reductionAxis = gemm.getTransB() ? 1 : 0;
      } else {
        return WalkResult::advance();
      }
      if (isExcluded(op))
        return WalkResult::advance();
      WeightScheme layerScheme = scheme;
      layerScheme.bits =
          overrideInt(op, "qcc.weight_bits").value_or(scheme.bits);
      layerScheme.groupSize =
          overrideInt(op, "qcc.group_size").value_or(scheme.groupSize);
      layerScheme.symmetric =
          overrideBool(op, "qcc.symmetric").value_or(scheme.symmetric);
      if (layerScheme.bits < 2 || layerScheme.bits > 8 ||
          layerScheme.groupSize < 0) {
        op->emitError("weight-only override out of range (bits 2 to 8, group "
                      "size >= 0)");
        return WalkResult::interrupt();
      }
      Value weight = operand->get();
      ElementsAttr value = matchWeight(weight);
      if (!value || !value.getElementType().isF32() ||
          value.getShapedType().getRank() != 2 ||
          value.getNumElements() < minElements)
        return WalkResult::advance();
      // Weights shared under different schemes are quantized per scheme.
      auto key = std::make_tuple(
          weight, reductionAxis, (int64_t)layerScheme.bits,
          layerScheme.groupSize, (int64_t)layerScheme.symmetric);
      if (Value q = done.lookup(key)) {
        operand->set(q);
        return WalkResult::advance();
      }
      if (std::optional<int64_t> bad = firstNonFinite(value)) {
        op->emitError("weight ") << locName(weight.getLoc())
                                 << " has a non-finite value at flat index "
                                 << *bad << "; it cannot be quantized";
        return WalkResult::interrupt();
      }
      GroupedWeight qw = quantizeGrouped(value, reductionAxis, layerScheme);
      OpBuilder b(weight.getDefiningOp());
      b.setInsertionPointAfterValue(weight);
      Location loc = weight.getLoc();
      auto constant = [&](ElementsAttr a) -> Value {
        return a ? ConstantOp::create(b, loc, a.getShapedType(), a) : Value();
      };
      Value dq = DequantizeLinearOp::create(
          b, loc, weight.getType(), constant(qw.values), constant(qw.scales),
          constant(qw.zeroPoints), b.getI64IntegerAttr(qw.axis),
          b.getI64IntegerAttr(qw.blockSize));
      done[key] = dq;
      operand->set(dq);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
    // The float originals are dead now (unless something else reads them).
    llvm::SetVector<Operation *> originals;
    for (auto &entry : done)
      if (Operation *def = std::get<0>(entry.first).getDefiningOp())
        originals.insert(def);
    for (Operation *def : originals)
      if (def->use_empty())
        def->erase();
  }
};
} // namespace
