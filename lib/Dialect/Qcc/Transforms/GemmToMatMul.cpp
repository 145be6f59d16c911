//===- GemmToMatMul.cpp - Gemm with a constant weight as MatMul + Add -----===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"

namespace qcc {
#define GEN_PASS_DEF_GEMMTOMATMUL
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

namespace {
struct GemmToMatMulPass : qcc::impl::GemmToMatMulBase<GemmToMatMulPass> {
  void runOnOperation() override {
    SmallVector<GemmOp> gemms;
    getOperation().walk([&](GemmOp op) { gemms.push_back(op); });
    for (GemmOp op : gemms) {
      ElementsAttr w = matchWeight(op.getB());
      auto type = cast<RankedTensorType>(op.getType());
      if (op.getTransA() || op.getAlpha().convertToDouble() != 1.0 ||
          (op.getC() && op.getBeta().convertToDouble() != 1.0) ||
          !w || !w.getElementType().isF32() ||
          w.getShapedType().getRank() != 2)
        continue;
      int64_t n = type.getDimSize(1);
      if (Value c = op.getC()) {
        auto cType = cast<RankedTensorType>(c.getType());
        // A per-column bias: [N] or [1, N].
        if (cType.getNumElements() != n || cType.getShape().back() != n)
          continue;
      }
      // The weight laid out K x N at compile time (exact: a permutation).
      ElementsAttr kn = w;
      if (op.getTransB()) {
        std::optional<WeightData> data = getWeightData(w);
        int64_t rows = w.getShapedType().getDimSize(0),
                cols = w.getShapedType().getDimSize(1);
        WeightBuffer t(rows * cols * sizeof(float));
        auto out = t.as<float>();
        for (int64_t r = 0; r < rows; ++r)
          for (int64_t col = 0; col < cols; ++col)
            out[col * rows + r] = data->at<float>(r * cols + col);
        doneReadingWeight(w);
        kn = makeWeight(
            RankedTensorType::get({cols, rows}, w.getElementType()),
            std::move(t), isResourceWeight(w), "transposed");
      }
      OpBuilder b(op);
      Location loc = op.getLoc();
      Value weight = ConstantOp::create(b, loc, kn.getShapedType(), kn);
      auto mm = MatMulOp::create(b, loc, type, op.getA(), weight);
      // Per-layer annotations (overrides, report tags) follow the layer.
      mm->setDiscardableAttrs(op->getDiscardableAttrDictionary());
      // Reports still call the layer what the model calls it.
      mm->setAttr("qcc.onnx_op", b.getStringAttr("Gemm"));
      Value y = mm;
      if (Value c = op.getC()) {
        Value bias = c;
        if (cast<RankedTensorType>(c.getType()).getRank() != 1)
          bias = ReshapeOp::create(
              b, loc, RankedTensorType::get({n}, type.getElementType()), c);
        y = AddOp::create(b, loc, type, mm, bias);
      }
      op.replaceAllUsesWith(y);
      op.erase();
    }
  }
};
} // namespace
