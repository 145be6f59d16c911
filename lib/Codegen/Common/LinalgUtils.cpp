//===- LinalgUtils.cpp - tiling, vectors and matchers for codegen ---===//
#include "qcc/Codegen/Common/LinalgUtils.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;

FailureOr<SmallVector<Operation *>>
qcc::tileGeneric(RewriterBase &rewriter, linalg::GenericOp op,
                 ArrayRef<int64_t> sizes, ArrayRef<int64_t> interchange) {
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(op.getContext(), sizes));
  if (!interchange.empty())
    options.setInterchange(interchange);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled))
    return failure();
  // Buffer semantics: no results, the tiled loops replace the op.
  rewriter.replaceOp(op, tiled->replacements);
  return tiled->tiledOps;
}

LogicalResult
qcc::tileAndVectorize(RewriterBase &rewriter, linalg::GenericOp op,
                      ArrayRef<int64_t> sizes, ArrayRef<int64_t> interchange,
                      function_ref<void(linalg::GenericOp)> prepareTile) {
  FailureOr<SmallVector<Operation *>> tiled =
      tileGeneric(rewriter, op, sizes, interchange);
  if (failed(tiled))
    return failure();
  for (Operation *tiledOp : *tiled) {
    if (auto generic = dyn_cast<linalg::GenericOp>(tiledOp);
        prepareTile && generic)
      prepareTile(generic);
    rewriter.setInsertionPoint(tiledOp);
    FailureOr<linalg::VectorizationResult> vectorized =
        linalg::vectorize(rewriter, tiledOp);
    if (succeeded(vectorized))
      rewriter.replaceOp(tiledOp, vectorized->replacements);
  }
  return success();
}

std::optional<float> qcc::f32Constant(Value v) {
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  if (auto splat = dyn_cast<SplatElementsAttr>(attr))
    attr = splat.getSplatValue<Attribute>();
  auto f = dyn_cast<FloatAttr>(attr);
  if (!f || !f.getType().isF32())
    return std::nullopt;
  return f.getValue().convertToFloat();
}

std::optional<double> qcc::integralF32Constant(Value v) {
  std::optional<float> f = f32Constant(v);
  if (!f)
    return std::nullopt;
  double d = *f;
  if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > (1 << 24))
    return std::nullopt;
  return d;
}

std::optional<qcc::ConstantClamp> qcc::matchConstantClamp(Value v) {
  // `op(x, c)` or `op(c, x)`: x and c.
  auto bound = [](Operation *op) -> std::optional<std::pair<Value, double>> {
    for (int i = 0; i < 2; ++i)
      if (std::optional<double> c = integralF32Constant(op->getOperand(i)))
        return std::make_pair(op->getOperand(1 - i), *c);
    return std::nullopt;
  };
  std::optional<double> lo, hi;
  for (int i = 0; i < 2; ++i) {
    Operation *op = v.getDefiningOp();
    bool isMax = isa_and_nonnull<arith::MaxNumFOp, arith::MaximumFOp>(op);
    bool isMin = isa_and_nonnull<arith::MinNumFOp, arith::MinimumFOp>(op);
    std::optional<double> &which = isMax ? lo : hi;
    if (!(isMax || isMin) || which)
      return std::nullopt;
    auto m = bound(op);
    if (!m)
      return std::nullopt;
    std::tie(v, which) = *m;
  }
  if (*lo > *hi)
    return std::nullopt;
  return ConstantClamp{v, *lo, *hi};
}

bool qcc::hasVectorInstruction(Operation &op) {
  if (isa<arith::ArithDialect>(op.getDialect()))
    return true;
  return isa<math::RoundEvenOp, math::RoundOp, math::FloorOp, math::CeilOp,
             math::TruncOp, math::SqrtOp, math::AbsFOp, math::AbsIOp,
             math::FmaOp, math::CopySignOp>(op);
}

bool qcc::isLanewiseBodyOp(Operation &op) {
  if (op.getNumResults() != 1 || op.getNumRegions() != 0 ||
      !qcc::hasVectorInstruction(op))
    return false;
  if (isa<arith::DivSIOp, arith::DivUIOp, arith::RemSIOp, arith::RemUIOp,
          arith::CeilDivSIOp, arith::CeilDivUIOp, arith::FloorDivSIOp>(op))
    return false;
  if (!op.getResult(0).getType().isIntOrFloat())
    return false;
  return isa<arith::ConstantOp>(op) ||
         OpTrait::hasElementwiseMappableTraits(&op);
}

void qcc::cloneOnVectors(OpBuilder &b, Location loc, ArrayRef<Operation *> ops,
                         IRMapping &map, int64_t lanes,
                         function_ref<Value(Value)> scalar) {
  auto splat = [&](Value v) {
    return vector::BroadcastOp::create(b, loc,
                                       VectorType::get({lanes}, v.getType()), v)
        .getResult();
  };
  for (Operation *op : ops) {
    if (isa<arith::ConstantOp>(op)) {
      map.map(op->getResult(0), splat(b.clone(*op)->getResult(0)));
      continue;
    }
    for (Value v : op->getOperands())
      if (!map.contains(v))
        map.map(v, splat(scalar ? scalar(v) : v));
    Operation *clone = b.clone(*op, map);
    clone->getResult(0).setType(
        VectorType::get({lanes}, op->getResult(0).getType()));
    map.map(op->getResult(0), clone->getResult(0));
  }
}

// A transposed read would become a lane-by-lane gather; a strided one is
// a contiguous read and a shuffle (qcc-lower-vector-transfers).
std::optional<int64_t> qcc::windowStride(AffineMap map, unsigned inner) {
  MLIRContext *ctx = map.getContext();
  AffineExpr d = getAffineDimExpr(inner, ctx);
  int64_t stride = 1;
  for (unsigned r = 0, e = map.getNumResults(); r < e; ++r) {
    AffineExpr result = map.getResult(r);
    if (!result.isFunctionOfDim(inner))
      continue;
    if (r + 1 != e)
      return std::nullopt;
    AffineExpr rest = result.replace(d, getAffineConstantExpr(0, ctx));
    AffineExpr term = simplifyAffineExpr(result - rest, map.getNumDims(),
                                         map.getNumSymbols());
    if (term == d)
      continue;
    auto mul = dyn_cast<AffineBinaryOpExpr>(term);
    if (!mul || mul.getKind() != AffineExprKind::Mul || mul.getLHS() != d)
      return std::nullopt;
    auto c = dyn_cast<AffineConstantExpr>(mul.getRHS());
    if (!c || c.getValue() < 2 || c.getValue() > kMaxWindowStride)
      return std::nullopt;
    stride = c.getValue();
  }
  return stride;
}

bool qcc::isWindowMap(AffineMap map, unsigned inner) {
  return windowStride(map, inner).has_value();
}

void qcc::dropOuterIndices(RewriterBase &rewriter, linalg::GenericOp op,
                           unsigned inner) {
  MLIRContext *ctx = op.getContext();
  unsigned n = op.getNumLoops();
  SmallVector<AffineExpr> dims;
  for (unsigned i = 0; i < n; ++i)
    dims.push_back(i == inner ? getAffineDimExpr(i, ctx)
                              : getAffineConstantExpr(0, ctx));
  SmallVector<Attribute> maps;
  bool changed = false;
  AffineExpr d = getAffineDimExpr(inner, ctx);
  int64_t extent = op.getStaticLoopRanges()[inner];
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (map.isProjectedPermutation(/*allowZeroInResults=*/true)) {
      maps.push_back(AffineMapAttr::get(map));
      continue;
    }
    AffineMap fixed = simplifyAffineMap(map.replaceDimsAndSymbols(
        dims, {}, map.getNumDims(), map.getNumSymbols()));
    changed = true;
    std::optional<int64_t> stride = windowStride(fixed, inner);
    if (!stride || *stride == 1 || fixed.getResults().back() != d * *stride ||
        ShapedType::isDynamic(extent)) {
      maps.push_back(AffineMapAttr::get(fixed));
      continue;
    }
    // Every `stride`-th element of the tile's run: a strided slice, read
    // at d_inner.
    Value source = operand.get();
    auto type = cast<ShapedType>(source.getType());
    int64_t rank = type.getRank();
    if (!type.hasStaticShape() ||
        (extent - 1) * *stride >= type.getDimSize(rank - 1)) {
      maps.push_back(AffineMapAttr::get(fixed));
      continue;
    }
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)), sizes,
        strides(rank, rewriter.getIndexAttr(1));
    for (int64_t i = 0; i + 1 < rank; ++i)
      sizes.push_back(rewriter.getIndexAttr(type.getDimSize(i)));
    sizes.push_back(rewriter.getIndexAttr(extent));
    strides.back() = rewriter.getIndexAttr(*stride);
    rewriter.setInsertionPoint(op);
    Value slice =
        isa<TensorType>(type)
            ? (Value)tensor::ExtractSliceOp::create(
                  rewriter, op.getLoc(), source, offsets, sizes, strides)
            : (Value)memref::SubViewOp::create(rewriter, op.getLoc(), source,
                                               offsets, sizes, strides);
    rewriter.modifyOpInPlace(op, [&] { operand.set(slice); });
    SmallVector<AffineExpr> results(fixed.getResults());
    results.back() = d;
    maps.push_back(AffineMapAttr::get(
        AffineMap::get(fixed.getNumDims(), 0, results, ctx)));
  }
  if (changed)
    rewriter.modifyOpInPlace(
        op, [&] { op.setIndexingMapsAttr(rewriter.getArrayAttr(maps)); });
}
