//===- ContractionLoops.cpp - contractions as GEMMs for GPU kernels -------===//
#include "ContractionLoops.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

std::optional<qcc::ContractionLoops>
qcc::classifyContractionLoops(linalg::GenericOp op, unsigned a, unsigned b) {
  ContractionLoops c;
  c.ranges = op.getStaticLoopRanges();
  if (llvm::any_of(c.ranges, ShapedType::isDynamic) || op.getNumDpsInits() != 1)
    return std::nullopt;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  AffineMap aMap = op.getIndexingMapsArray()[a];
  AffineMap bMap = op.getIndexingMapsArray()[b];
  if (!outMap.isProjectedPermutation())
    return std::nullopt;
  auto iters = op.getIteratorTypesArray();
  unsigned parallel = 0;
  for (unsigned d = 0; d < iters.size(); ++d) {
    bool inA = aMap.isFunctionOfDim(d), inB = bMap.isFunctionOfDim(d);
    if (iters[d] == utils::IteratorType::reduction) {
      if (!inA || !inB)
        return std::nullopt;
      c.kDims.push_back(d);
      c.K *= c.ranges[d];
      continue;
    }
    ++parallel;
    if (inA == inB) {
      c.batchDims.push_back(d);
      c.batch *= c.ranges[d];
    } else if (inA) {
      c.mDims.push_back(d);
      c.M *= c.ranges[d];
    } else {
      c.nDims.push_back(d);
      c.N *= c.ranges[d];
    }
  }
  // Every parallel loop indexes the output, no reduction loop does: each
  // output element is one dot product.
  if (outMap.getNumResults() != parallel ||
      llvm::any_of(outMap.getResults(), [&](AffineExpr e) {
        return iters[cast<AffineDimExpr>(e).getPosition()] !=
               utils::IteratorType::parallel;
      }))
    return std::nullopt;
  return c;
}

gpu::LaunchOp qcc::startLaunch(OpBuilder &b, Location loc,
                               std::array<int64_t, 3> grid, int64_t threads,
                               ArrayRef<Type> workgroup) {
  auto idx = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto launch = gpu::LaunchOp::create(
      b, loc, idx(grid[0]), idx(grid[1]), idx(grid[2]), idx(threads), idx(1),
      idx(1), /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{}, workgroup);
  Block &body = launch.getBody().front();
  b.setInsertionPointToStart(&body);
  gpu::TerminatorOp::create(b, loc);
  b.setInsertionPointToStart(&body);
  return launch;
}

void qcc::delinearize(OpBuilder &b, Location loc, Value flat,
                      ArrayRef<unsigned> dims, ArrayRef<int64_t> ranges,
                      SmallVectorImpl<Value> &loops) {
  for (int i = (int)dims.size() - 1; i >= 0; --i) {
    if (i == 0) {
      loops[dims[i]] = flat;
      break;
    }
    Value range = arith::ConstantIndexOp::create(b, loc, ranges[dims[i]]);
    loops[dims[i]] = arith::RemUIOp::create(b, loc, flat, range);
    flat = arith::DivUIOp::create(b, loc, flat, range);
  }
}

SmallVector<Value> qcc::applyMap(OpBuilder &b, Location loc, AffineMap map,
                                 ArrayRef<Value> loops) {
  SmallVector<Value> indices;
  for (unsigned r = 0; r < map.getNumResults(); ++r) {
    AffineExpr e = map.getResult(r);
    if (auto dim = dyn_cast<AffineDimExpr>(e))
      indices.push_back(loops[dim.getPosition()]);
    else
      indices.push_back(
          affine::AffineApplyOp::create(b, loc, map.getSubMap({r}), loops));
  }
  return indices;
}

Value qcc::loadAt(OpBuilder &b, Location loc, Value memref, AffineMap map,
                  ArrayRef<Value> loops) {
  return memref::LoadOp::create(b, loc, memref, applyMap(b, loc, map, loops));
}

bool qcc::innermostIsOneOf(AffineMap map, ArrayRef<unsigned> dims) {
  if (map.getNumResults() == 0)
    return false;
  auto dim = dyn_cast<AffineDimExpr>(map.getResults().back());
  return dim && llvm::is_contained(dims, dim.getPosition());
}

/// Word `word` of `row` of a fragment tile: an i32 element, or two f16
/// elements (2 * word, 2 * word + 1) as one vector<2xf16>.
static Value loadWord(OpBuilder &b, Location loc, Value tile, Value row,
                      Value word) {
  auto type = cast<MemRefType>(tile.getType());
  if (!type.getElementType().isF16())
    return memref::LoadOp::create(b, loc, tile, ValueRange{row, word});
  Value col = arith::MulIOp::create(b, loc, word,
                                    arith::ConstantIndexOp::create(b, loc, 2));
  return vector::LoadOp::create(b, loc,
                                VectorType::get({2}, type.getElementType()),
                                tile, ValueRange{row, col});
}

SmallVector<Value, 4> qcc::loadAFragment(OpBuilder &b, Location loc, Value tile,
                                         Value row0, Value g, Value t) {
  auto idx = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value r = arith::AddIOp::create(b, loc, row0, g);
  Value r8 = arith::AddIOp::create(b, loc, r, idx(8));
  Value t4 = arith::AddIOp::create(b, loc, t, idx(4));
  return {loadWord(b, loc, tile, r, t), loadWord(b, loc, tile, r8, t),
          loadWord(b, loc, tile, r, t4), loadWord(b, loc, tile, r8, t4)};
}

SmallVector<Value, 2> qcc::loadBFragment(OpBuilder &b, Location loc, Value tile,
                                         Value col0, Value g, Value t) {
  Value n = arith::AddIOp::create(b, loc, col0, g);
  Value t4 = arith::AddIOp::create(b, loc, t,
                                   arith::ConstantIndexOp::create(b, loc, 4));
  return {loadWord(b, loc, tile, n, t), loadWord(b, loc, tile, n, t4)};
}

std::pair<Value, Value> qcc::accumulatorPosition(OpBuilder &b, Location loc,
                                                 int64_t q, Value g, Value t) {
  auto idx = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value row = arith::AddIOp::create(b, loc, g, idx(q >= 2 ? 8 : 0));
  Value col = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, t, idx(2)), idx(q & 1));
  return {row, col};
}

qcc::WarpFragments qcc::loadWarpFragments(OpBuilder &b, Location loc,
                                          Value aTile, Value bTile, Value row0,
                                          Value col0, int64_t mi, int64_t nj,
                                          Value g, Value t) {
  IndexOps ix(b, loc);
  WarpFragments f;
  for (int64_t i = 0; i < mi; ++i)
    f.a.push_back(
        loadAFragment(b, loc, aTile, ix.add(row0, ix.idx(i * 16)), g, t));
  for (int64_t j = 0; j < nj; ++j)
    f.b.push_back(
        loadBFragment(b, loc, bTile, ix.add(col0, ix.idx(j * 8)), g, t));
  return f;
}
