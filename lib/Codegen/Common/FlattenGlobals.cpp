//===- FlattenGlobals.cpp - constant tensors as flat 1-D globals ----------===//
#include "qcc/Dialect/Qcc/IR/Weights.h"
#include "qcc/Codegen/Common/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace qcc {
#define GEN_PASS_DEF_FLATTENGLOBALS
#include "qcc/Codegen/Common/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

namespace {
struct FlattenGlobalsPass : qcc::impl::FlattenGlobalsBase<FlattenGlobalsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    DenseMap<StringAttr, MemRefType> flattened; // symbol -> original type
    for (auto global : module.getOps<memref::GlobalOp>()) {
      MemRefType type = global.getType();
      auto init = dyn_cast_or_null<ElementsAttr>(
          global.getInitialValue().value_or(Attribute()));
      if (init && !getWeightData(init))
        init = {};
      if (type.getRank() < 2 || !type.hasStaticShape() ||
          !type.getLayout().isIdentity() || !init)
        continue;
      auto flatType =
          MemRefType::get({type.getNumElements()}, type.getElementType(),
                          AffineMap(), type.getMemorySpace());
      global.setType(flatType);
      // A resource keeps its blob: no copy of the weight.
      global.setInitialValueAttr(retypeWeight(
          init, RankedTensorType::get({type.getNumElements()},
                                      type.getElementType())));
      flattened[global.getSymNameAttr()] = type;
    }
    if (flattened.empty())
      return;
    module.walk([&](memref::GetGlobalOp get) {
      auto it = flattened.find(get.getNameAttr().getAttr());
      if (it == flattened.end())
        return;
      MemRefType type = it->second;
      OpBuilder b(get);
      auto flat = memref::GetGlobalOp::create(
          b, get.getLoc(),
          MemRefType::get({type.getNumElements()}, type.getElementType(),
                          AffineMap(), type.getMemorySpace()),
          get.getNameAttr());
      ReassociationIndices all;
      for (int64_t d = 0; d < type.getRank(); ++d)
        all.push_back(d);
      Value view = memref::ExpandShapeOp::create(
          b, get.getLoc(), type, flat, ArrayRef<ReassociationIndices>{all});
      get.replaceAllUsesWith(view);
      get.erase();
    });
  }
};
} // namespace
