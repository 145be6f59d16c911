//===- GPUInt8TensorCores.cpp - 8-bit contractions on tensor cores --------===//
//
// An 8-bit integer contraction (MatMul, Gemm, a convolution read as an
// implicit GEMM) becomes a tiled kernel: each block computes a BM x BN
// output tile with four warps, stages 32-deep K slices of both operands in
// shared memory and multiplies them with mma.sync.m16n8k32. The fragment
// layouts are PTX's (ISA "Matrix Fragments for mma.m16n8k32"): with
// g = lane / 4 and t = lane % 4, A's registers hold rows g and g + 8 at
// bytes 4t..4t+3 and 16+4t..16+4t+3 of the K slice; B's hold column g at
// the same K bytes; the accumulators hold rows g and g + 8, columns 2t and
// 2t + 1. Both operands are staged K-contiguous (32-bit words of 4 bytes),
// so each register is one 32-bit shared load.
//
//===----------------------------------------------------------------------===//
#include "ContractionLoops.h"
#include "KernelEpilogue.h"
#include "qcc/Codegen/Common/EpilogueFusion.h"
#include "qcc/Codegen/Common/IntegerContraction.h"
#include "qcc/Codegen/GPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

namespace qcc {
#define GEN_PASS_DEF_GPUINT8TENSORCORES
#include "qcc/Codegen/GPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

namespace {
using Side = qcc::Int8Operand;

/// A matched contraction: out[o(d)] += a[ma(d)] * b[mb(d)], its loops split
/// by role.
struct Contraction : qcc::MatchedContraction<Side> {
  /// The fused reader of the result (`qcc.epilogue`), if any: the kernel
  /// stores the reader's output.
  qcc::KernelEpilogue epilogue;
};

/// Tile shape of one kernel: four warps in a 2 x 2 grid.
struct Tiles {
  int64_t BM, BN;
  static constexpr int64_t kThreads = 128, kBK = 32,
                           kWords = qcc::kFragmentWords,
                           kRowWords = qcc::kFragmentRowWords;
  int64_t mFrags() const { return BM / 32; }
  int64_t nFrags() const { return BN / 16; }
};
} // namespace

/// out += (ext(a) - zpA) * (ext(b) - zpB) in i32 on static buffers, every
/// loop a batch, row, column or reduction loop.
static std::optional<Contraction> matchContraction(linalg::GenericOp op) {
  auto matched =
      qcc::matchContraction<Side>(op, /*floats=*/false, qcc::matchInt8Operand);
  if (!matched)
    return std::nullopt;
  Contraction c;
  static_cast<qcc::MatchedContraction<Side> &>(c) = *matched;
  // GEMVs and depthwise convolutions would leave most of each MMA empty.
  if (c.M < 8 || c.N < 8 || c.K < 16)
    return std::nullopt;
  // The grid's y (row tiles) and z (batch) dimensions hold 65535 blocks.
  if (llvm::divideCeil(c.M, 32) > 65535 || c.batch > 65535)
    return std::nullopt;
  return c;
}

namespace {
/// Emits the kernel of one contraction.
class KernelBuilder : qcc::IndexOps {
public:
  KernelBuilder(OpBuilder &b, Location loc, linalg::GenericOp op,
                const Contraction &c)
      : IndexOps(b, loc), op(op), c(c), i32(b.getI32Type()) {
    tiles.BM = c.M <= 32 ? 32 : 64;
    tiles.BN = c.N <= 32 ? 32 : 64;
  }

  void build();

private:
  Value int32(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, i32, v);
  }
  Value input(unsigned i) { return op.getDpsInputOperand(i)->get(); }

  void delinearize(Value flat, ArrayRef<unsigned> dims,
                   SmallVectorImpl<Value> &loops) {
    qcc::delinearize(b, loc, flat, dims, c.ranges, loops);
  }
  Value load(Value memref, AffineMap map, ArrayRef<Value> loops) {
    return qcc::loadAt(b, loc, memref, map, loops);
  }
  Value zeroPoint(const Side &side);
  /// Stages this thread's words of one operand's K slice; returns the
  /// updated sums of its rows (when `sums` is not empty).
  SmallVector<Value> stage(const Side &side, ArrayRef<unsigned> rowDims,
                           int64_t rows, int64_t tileRows, Value tileRow0,
                           Value k0, Value smem, ValueRange sums);
  /// Whether consecutive rows of the operand are adjacent in memory: then
  /// consecutive threads take consecutive rows, else consecutive words of
  /// one row, so that global reads coalesce either way.
  bool rowFastest(const Side &side, ArrayRef<unsigned> rowDims) {
    return qcc::innermostIsOneOf(op.getIndexingMapsArray()[side.input],
                                 rowDims);
  }

  linalg::GenericOp op;
  const Contraction &c;
  Type i32;
  Tiles tiles;
  Value tid;
  SmallVector<Value> batchLoops; ///< loop values fixed by the block
};
} // namespace

Value KernelBuilder::zeroPoint(const Side &side) {
  if (!side.zeroPointInput)
    return int32(side.zeroPoint);
  // A rank-0 buffer, or a scalar operand.
  Value v = input(*side.zeroPointInput);
  if (isa<MemRefType>(v.getType()))
    v = memref::LoadOp::create(b, loc, v, ValueRange{});
  if (side.zeroPointUnsigned)
    return arith::ExtUIOp::create(b, loc, i32, v);
  return arith::ExtSIOp::create(b, loc, i32, v);
}

SmallVector<Value> KernelBuilder::stage(const Side &side,
                                        ArrayRef<unsigned> rowDims,
                                        int64_t rows, int64_t tileRows,
                                        Value tileRow0, Value k0, Value smem,
                                        ValueRange sums) {
  AffineMap map = op.getIndexingMapsArray()[side.input];
  bool fastRows = rowFastest(side, rowDims);
  int64_t perThread = tileRows * Tiles::kWords / Tiles::kThreads;
  SmallVector<Value> newSums;
  for (int64_t r = 0; r < perThread; ++r) {
    Value w = add(tid, idx(r * Tiles::kThreads));
    Value row = fastRows ? rem(w, tileRows) : div(w, Tiles::kWords);
    Value word = fastRows ? div(w, tileRows) : rem(w, Tiles::kWords);
    Value globalRow = add(tileRow0, row);
    Value rowOk = ult(globalRow, rows);
    // Clamped indices keep every address inside the buffer; the value
    // read there is replaced by zero.
    Value clampedRow = minIdx(globalRow, rows - 1);
    SmallVector<Value> loops(batchLoops);
    delinearize(clampedRow, rowDims, loops);
    // The row's running sum, carried only where a zero point needs it.
    Value packed = int32(0), sum = sums.empty() ? Value() : sums[r];
    for (int64_t j = 0; j < 4; ++j) {
      Value k = add(add(k0, mul(word, idx(4))), idx(j));
      Value ok = arith::AndIOp::create(b, loc, rowOk, ult(k, c.K));
      Value clampedK = minIdx(k, c.K - 1);
      delinearize(clampedK, c.kDims, loops);
      Value byte = load(input(side.input), map, loops);
      Value v = side.isUnsigned
                    ? Value(arith::ExtUIOp::create(b, loc, i32, byte))
                    : Value(arith::ExtSIOp::create(b, loc, i32, byte));
      v = arith::SelectOp::create(b, loc, ok, v, int32(0));
      if (sum)
        sum = add(sum, v);
      Value bits = arith::AndIOp::create(b, loc, v, int32(0xff));
      if (j)
        bits = arith::ShLIOp::create(b, loc, bits, int32(8 * j));
      packed = arith::OrIOp::create(b, loc, packed, bits);
    }
    memref::StoreOp::create(b, loc, packed, smem, ValueRange{row, word});
    if (sum)
      newSums.push_back(sum);
  }
  return newSums;
}

void KernelBuilder::build() {
  MLIRContext *ctx = b.getContext();
  const int64_t BM = tiles.BM, BN = tiles.BN;
  const int64_t MI = tiles.mFrags(), NJ = tiles.nFrags();
  const int64_t kSteps = llvm::divideCeil(c.K, Tiles::kBK);
  // Row sums of a correct b's zero point, column sums of b a's.
  const bool rowSums = c.b.hasZeroPoint(), colSums = c.a.hasZeroPoint();

  auto shared = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  auto smemType = [&](int64_t d0, int64_t d1) {
    return MemRefType::get({d0, d1}, i32, MemRefLayoutAttrInterface{}, shared);
  };
  SmallVector<Type> workgroup = {smemType(BM, Tiles::kRowWords),
                                 smemType(BN, Tiles::kRowWords)};
  if (rowSums)
    workgroup.push_back(smemType(Tiles::kWords, BM));
  if (colSums)
    workgroup.push_back(smemType(Tiles::kWords, BN));

  auto launch = qcc::startLaunch(
      b, loc,
      {static_cast<int64_t>(llvm::divideCeil(c.N, BN)),
       static_cast<int64_t>(llvm::divideCeil(c.M, BM)), c.batch},
      Tiles::kThreads, workgroup);

  ArrayRef<BlockArgument> smem = launch.getWorkgroupAttributions();
  Value aTile = smem[0], bTile = smem[1];
  Value rowPart = rowSums ? Value(smem[2]) : Value();
  Value colPart = colSums ? Value(smem[rowSums ? 3 : 2]) : Value();

  tid = launch.getThreadIds().x;
  Value lane = rem(tid, 32), warp = div(tid, 32);
  Value g = div(lane, 4), t = rem(lane, 4);
  Value warpRow = mul(div(warp, 2), idx(BM / 2));
  Value warpCol = mul(rem(warp, 2), idx(BN / 2));
  Value m0 = mul(launch.getBlockIds().y, idx(BM));
  Value n0 = mul(launch.getBlockIds().x, idx(BN));
  batchLoops.assign(c.ranges.size(), idx(0));
  if (!c.batchDims.empty())
    delinearize(launch.getBlockIds().z, c.batchDims, batchLoops);

  const int64_t aWords = BM * Tiles::kWords / Tiles::kThreads;
  const int64_t bWords = BN * Tiles::kWords / Tiles::kThreads;
  const int64_t nAcc = MI * NJ * 4;
  SmallVector<Value> init(
      nAcc + (rowSums ? aWords : 0) + (colSums ? bWords : 0), int32(0));
  auto mmaType = LLVM::LLVMStructType::getLiteral(ctx, {i32, i32, i32, i32});
  auto kLoop = scf::ForOp::create(
      b, loc, idx(0), idx(kSteps), idx(1), init,
      [&](OpBuilder &nested, Location, Value step, ValueRange carried) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nested.getInsertionBlock(),
                            nested.getInsertionPoint());
        Value k0 = mul(step, idx(Tiles::kBK));
        // The previous slice's fragments have all been read.
        gpu::BarrierOp::create(b, loc);
        ValueRange sums = carried.drop_front(nAcc);
        SmallVector<Value> newRowSums =
            stage(c.a, c.mDims, c.M, BM, m0, k0, aTile,
                  rowSums ? sums.take_front(aWords) : ValueRange{});
        SmallVector<Value> newColSums =
            stage(c.b, c.nDims, c.N, BN, n0, k0, bTile,
                  colSums ? sums.take_back(bWords) : ValueRange{});
        gpu::BarrierOp::create(b, loc);

        qcc::WarpFragments regs = qcc::loadWarpFragments(
            b, loc, aTile, bTile, warpRow, warpCol, MI, NJ, g, t);
        auto &aRegs = regs.a;
        auto &bRegs = regs.b;
        SmallVector<Value> next;
        auto types = std::array<NVVM::MMATypes, 2>{
            c.a.isUnsigned ? NVVM::MMATypes::u8 : NVVM::MMATypes::s8,
            c.b.isUnsigned ? NVVM::MMATypes::u8 : NVVM::MMATypes::s8};
        for (int64_t i = 0; i < MI; ++i) {
          for (int64_t j = 0; j < NJ; ++j) {
            ValueRange acc = carried.slice((i * NJ + j) * 4, 4);
            // Wrapping int32 accumulation, as on the CPU.
            Value d = NVVM::MmaOp::create(
                b, loc, mmaType, aRegs[i], bRegs[j], acc, {16, 8, 32},
                std::nullopt, NVVM::MMAIntOverflow::wrapped, types,
                std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                               NVVM::MMALayout::col});
            for (int64_t q = 0; q < 4; ++q)
              next.push_back(LLVM::ExtractValueOp::create(b, loc, d, q));
          }
        }
        llvm::append_range(next, newRowSums);
        llvm::append_range(next, newColSums);
        scf::YieldOp::create(b, loc, next);
      });
  ValueRange results = kLoop.getResults();

  // Each (word, row) of a tile was staged by exactly one thread: its sums
  // go to shared memory, and a row's total is the sum over the words.
  auto spill = [&](Value part, const Side &side, ArrayRef<unsigned> rowDims,
                   int64_t tileRows, ValueRange sums) {
    bool fastRows = rowFastest(side, rowDims);
    for (auto [r, sum] : llvm::enumerate(sums)) {
      Value w = add(tid, idx(r * Tiles::kThreads));
      Value row = fastRows ? rem(w, tileRows) : div(w, Tiles::kWords);
      Value word = fastRows ? div(w, tileRows) : rem(w, Tiles::kWords);
      memref::StoreOp::create(b, loc, sum, part, ValueRange{word, row});
    }
  };
  auto total = [&](Value part, Value row) {
    Value sum = int32(0);
    for (int64_t w = 0; w < Tiles::kWords; ++w)
      sum = add(sum, memref::LoadOp::create(b, loc, part, {idx(w), row}));
    return sum;
  };
  if (rowSums)
    spill(rowPart, c.a, c.mDims, BM, results.slice(nAcc, aWords));
  if (colSums)
    spill(colPart, c.b, c.nDims, BN, results.take_back(bWords));
  if (rowSums || colSums)
    gpu::BarrierOp::create(b, loc);

  // Epilogue: out += acc - zpA * colsum - zpB * rowsum + K * zpA * zpB.
  Value zpA = colSums ? zeroPoint(c.a) : Value();
  Value zpB = rowSums ? zeroPoint(c.b) : Value();
  Value out = op.getDpsInitOperand(0)->get();
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  for (int64_t i = 0; i < MI; ++i) {
    for (int64_t j = 0; j < NJ; ++j) {
      for (int64_t q = 0; q < 4; ++q) {
        auto [fragRow, fragCol] = qcc::accumulatorPosition(b, loc, q, g, t);
        Value row = add(add(warpRow, idx(i * 16)), fragRow);
        Value col = add(add(warpCol, idx(j * 8)), fragCol);
        Value m = add(m0, row), n = add(n0, col);
        Value ok = arith::AndIOp::create(b, loc, ult(m, c.M), ult(n, c.N));
        auto guard = scf::IfOp::create(b, loc, ok, /*withElseRegion=*/false);
        OpBuilder::InsertionGuard g2(b);
        b.setInsertionPointToStart(guard.thenBlock());
        Value v = results[(i * NJ + j) * 4 + q];
        if (colSums)
          v = arith::SubIOp::create(b, loc, v, mul(zpA, total(colPart, col)));
        if (rowSums)
          v = arith::SubIOp::create(b, loc, v, mul(zpB, total(rowPart, row)));
        if (rowSums && colSums)
          v = add(v, mul(mul(zpA, zpB), int32(c.K)));
        SmallVector<Value> loops(batchLoops);
        delinearize(m, c.mDims, loops);
        delinearize(n, c.nDims, loops);
        SmallVector<Value> indices;
        for (AffineExpr e : outMap.getResults())
          indices.push_back(loops[cast<AffineDimExpr>(e).getPosition()]);
        Value old = memref::LoadOp::create(b, loc, out, indices);
        qcc::storeFinished(b, loc, out, c.epilogue, add(old, v), indices);
      }
    }
  }
}

namespace {
struct GPUInt8TensorCoresPass
    : qcc::impl::GPUInt8TensorCoresBase<GPUInt8TensorCoresPass> {
  void runOnOperation() override {
    std::vector<std::pair<linalg::GenericOp, Contraction>> found;
    getOperation().walk([&](linalg::GenericOp op) {
      if (std::optional<Contraction> c = matchContraction(op))
        found.emplace_back(op, *c);
    });
    for (auto &[op, c] : found) {
      c.epilogue = qcc::findKernelEpilogue(op, op.getDpsInputs());
      OpBuilder b(op);
      KernelBuilder(b, op.getLoc(), op, c).build();
      op.erase();
      if (c.epilogue)
        c.epilogue.reader.erase();
    }
  }
};

} // namespace
