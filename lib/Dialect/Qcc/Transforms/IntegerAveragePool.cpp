//===- IntegerAveragePool.cpp - GlobalAveragePool as an integer sum -------===//
//
// Q(GlobalAveragePool(DQ(x))) (or of ReduceMean, over its axes)
//   = saturate(round(sum(x - zp) * s_x /
// (n * s_y)) + zp_y): an int32 sum of the zero-point-shifted bytes and one
// fixed-point requantization, which rounds the division by the window size
// n half up.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantParams.h"

#include "mlir/IR/Matchers.h"

namespace qcc {
#define GEN_PASS_DEF_INTEGERAVERAGEPOOL
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

static LogicalResult rewrite(QuantizeLinearOp q) {
  // GlobalAveragePool (the spatial dims), or ReduceMean over constant axes.
  Operation *pool = q.getInput().getDefiningOp();
  if (!isa_and_nonnull<GlobalAveragePoolOp, ReduceMeanOp>(pool))
    return failure();
  auto dq = pool->getOperand(0).getDefiningOp<DequantizeLinearOp>();
  if (!dq || q.getBlockSize() != 0 || dq.getBlockSize() != 0)
    return failure();
  auto in = perTensorParams(dq.getScale(), dq.getZeroPoint());
  auto out = perTensorParams(q.getScale(), q.getZeroPoint());
  auto xType = cast<RankedTensorType>(dq.getInput().getType());
  if (!in || !out || !xType.hasStaticShape())
    return failure();
  SmallVector<int64_t> axes;
  bool keepdims = true;
  if (auto mean = dyn_cast<ReduceMeanOp>(pool)) {
    llvm::append_range(axes, mean.getAxes());
    keepdims = mean.getKeepdims();
  } else {
    for (int64_t d = 2; d < xType.getRank(); ++d)
      axes.push_back(d);
  }
  if (axes.empty())
    return failure();
  int64_t n = 1;
  for (int64_t d : axes)
    n *= xType.getDimSize(d);
  // |sum| < 256 * n must fit in int32.
  if (n <= 0 || n > (int64_t(1) << 23))
    return failure();
  std::optional<FixedPointScale> fp =
      toFixedPoint(in->scale / ((double)n * out->scale));
  if (!fp)
    return failure();
  OpBuilder b(q);
  Location loc = q.getLoc();
  Value x = shiftedToI32(b, loc, dq.getInput(), in->zeroPoint);
  auto poolType = cast<RankedTensorType>(pool->getResult(0).getType());
  Value sum = ReduceSumOp::create(
      b, loc, RankedTensorType::get(poolType.getShape(), b.getIntegerType(32)),
      x, b.getDenseI64ArrayAttr(axes), b.getBoolAttr(keepdims));
  q.replaceAllUsesWith(requantizeLike(b, q, sum, *fp));
  q.erase();
  return success();
}

namespace {
struct IntegerAveragePoolPass
    : qcc::impl::IntegerAveragePoolBase<IntegerAveragePoolPass> {
  void runOnOperation() override { forEachQuantize(getOperation(), rewrite); }
};
} // namespace
