//===- GPUFloatContractions.cpp - float contractions as tiled kernels -----===//
//
// A float contraction (MatMul, Gemm, a convolution read as an implicit GEMM,
// attention's products) becomes one of two kernels instead of a thread per
// output element with the whole reduction in it:
//
// - Tiled (more than 8 rows): a block of 256 threads computes a BM x BN
//   tile, each thread an RM x RN register tile; 16-deep K slices of both
//   operands are staged in shared memory with coalesced global reads, and
//   every staged value feeds RM or RN fused multiply-adds.
// - GEMV (at most 8 rows, LLM decoding): a block computes 32 columns (8
//   when the weight is K-contiguous) for every row; its 8 (32) groups of
//   threads split K, each thread reads its weights once straight from
//   global memory into registers, and the groups' partial sums are added
//   in shared memory in a fixed order.
//
// A weight computed elementwise from constants into a buffer that only the
// contraction reads (f16 -> f32 widening, int8/int4/int2 dequantization) is
// computed where the kernel loads it: the packed weight is read and
// dequantized in registers, the float weight never exists in device memory
// and its producer kernel disappears.
//
//===----------------------------------------------------------------------===//
#include "ContractionLoops.h"
#include "KernelEpilogue.h"
#include "qcc/Codegen/Common/IntegerContraction.h"
#include "qcc/Codegen/GPU/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/RegionUtils.h"

namespace qcc {
#define GEN_PASS_DEF_GPUFLOATCONTRACTIONS
#include "qcc/Codegen/GPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;

namespace {
/// A buffer written elementwise from constants by `op` and read only by
/// the contraction, through `reshapes` (the contraction's view first).
struct Producer {
  linalg::GenericOp op;
  SmallVector<Operation *> reshapes;
};

/// One operand of the product: `value`, computed in the body by `chain`
/// (a widening, an integer extension minus a zero point) from one input
/// indexed by the loops, `input`, maybe computed by a producer, and from
/// rank-0 inputs (`scalars`: a run-time zero point).
struct Operand {
  Value value;
  unsigned input;
  SmallVector<unsigned> scalars;
  SmallVector<Operation *> chain;
  Producer producer;
};

struct FloatContraction : qcc::MatchedContraction<Operand> {
  /// The fused reader of the result (`qcc.epilogue`), if any.
  qcc::KernelEpilogue epilogue;
};

constexpr int64_t kThreads = 256;
/// The tiled kernel's thread grid (16 x 16) and K slice.
constexpr int64_t kTileThreads = 16, kBK = 16;
/// GEMV: K steps each thread's loop does per iteration (independent loads
/// in flight).
constexpr int64_t kUnroll = 8;
/// GEMV: with fewer column blocks than this, blocks get 1024 threads
/// instead of 256 (4 times the K groups, so 4 times the loads in flight).
constexpr int64_t kFewBlocks = 256;
/// At most this many rows take the GEMV kernel.
constexpr int64_t kGemvRows = 8;
} // namespace

static std::optional<Operand> matchOperand(linalg::GenericOp op, Value v) {
  Block *body = op.getBody();
  Operand operand;
  operand.value = v;
  std::optional<unsigned> main;
  SetVector<Operation *> chain;
  SmallVector<Value> work = {v};
  while (!work.empty()) {
    Value x = work.pop_back_val();
    if (auto arg = dyn_cast<BlockArgument>(x)) {
      unsigned n = arg.getArgNumber();
      if (arg.getOwner() != body || n >= op.getNumDpsInputs() ||
          !isa<MemRefType>(op.getDpsInputOperand(n)->get().getType()))
        return std::nullopt;
      if (op.getIndexingMapsArray()[n].getNumResults() == 0) {
        if (!llvm::is_contained(operand.scalars, n))
          operand.scalars.push_back(n);
        continue;
      }
      if (main && *main != n)
        return std::nullopt;
      main = n;
      continue;
    }
    Operation *def = x.getDefiningOp();
    if (def && def->getBlock() != body && matchPattern(x, m_Constant()))
      continue;
    if (!def || def->getBlock() != body || def->getNumRegions() != 0 ||
        !isa<arith::ArithDialect>(def->getDialect()))
      return std::nullopt;
    if (chain.insert(def))
      llvm::append_range(work, def->getOperands());
  }
  if (!main)
    return std::nullopt;
  operand.input = *main;
  operand.chain = chain.takeVector();
  llvm::sort(operand.chain,
             [](Operation *x, Operation *y) { return x->isBeforeInBlock(y); });
  return operand;
}

/// Whether `v`'s root (through reshapes) is a constant global (a weight).
static bool isConstantBuffer(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(def)) {
      auto get = dyn_cast<memref::GetGlobalOp>(def);
      if (!get)
        return false;
      auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
          get, get.getNameAttr());
      return global && global.getConstant();
    }
    v = def->getOperand(0);
  }
  return false;
}

/// The elementwise producer of `operand` of `contraction`, when it reads
/// only constants and nothing but the contraction reads what it writes.
static Producer findProducer(linalg::GenericOp contraction,
                             OpOperand &operand) {
  Producer p;
  Value v = operand.get();
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(def))
      break;
    p.reshapes.push_back(def);
    v = def->getOperand(0);
  }
  // A buffer of this function's own (a workspace view, an allocation):
  // nothing outside it reads what the producer would have written.
  if (!v.getDefiningOp<memref::ViewOp>() &&
      !v.getDefiningOp<memref::AllocOp>() &&
      !v.getDefiningOp<memref::AllocaOp>())
    return {};
  // Every use of the buffer, through reshapes: one writer and this read.
  linalg::GenericOp writer;
  SmallVector<Value> worklist = {v};
  while (!worklist.empty()) {
    Value cur = worklist.pop_back_val();
    for (OpOperand &use : cur.getUses()) {
      Operation *user = use.getOwner();
      if (isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(user)) {
        worklist.push_back(user->getResult(0));
        continue;
      }
      if (&use == &operand)
        continue;
      auto generic = dyn_cast<linalg::GenericOp>(user);
      if (writer || !generic || !generic.isDpsInit(&use) || cur != v)
        return {};
      writer = generic;
    }
  }
  if (!writer || writer->getBlock() != contraction->getBlock() ||
      !writer->isBeforeInBlock(contraction) ||
      !writer.hasPureBufferSemantics() || writer.getNumDpsInits() != 1 ||
      writer.getNumReductionLoops() != 0 ||
      !writer.getMatchingIndexingMap(writer.getDpsInitOperand(0))
           .isIdentity() ||
      !cast<MemRefType>(v.getType()).hasStaticShape() ||
      !writer.getBody()->getArgument(writer.getNumDpsInputs()).use_empty())
    return {};
  for (Operation &inner : writer.getBody()->without_terminator())
    if (inner.getNumRegions() != 0 ||
        !isa<arith::ArithDialect, math::MathDialect, linalg::LinalgDialect>(
            inner.getDialect()))
      return {};
  // Inputs are weights; scalars and values the body captures are
  // constants the kernel can rematerialize.
  SetVector<Value> captured;
  getUsedValuesDefinedAbove(writer.getRegion(), captured);
  for (OpOperand *in : writer.getDpsInputOperands())
    if (!isa<MemRefType>(in->get().getType()))
      captured.insert(in->get());
    else if (!isConstantBuffer(in->get()))
      return {};
  for (Value x : captured)
    if (!matchPattern(x, m_Constant()))
      return {};
  p.op = writer;
  return p;
}

/// out += a * b on static buffers, in f32 (operands f32 or widened) or in
/// i32 (8-bit operands extended, minus zero points: the products the
/// tensor cores leave, GEMVs and chips without them).
static std::optional<FloatContraction> matchContraction(linalg::GenericOp op) {
  if (op.getNumReductionLoops() == 0)
    return std::nullopt;
  auto matched =
      qcc::matchContraction<Operand>(op, /*floats=*/true, matchOperand);
  if (!matched)
    return std::nullopt;
  FloatContraction c;
  static_cast<qcc::MatchedContraction<Operand> &>(c) = *matched;
  // Nothing else in the body: the operands' chains, the product, the sum.
  Operation *mul = c.product;
  for (Operation &inner : op.getBody()->without_terminator())
    if (&inner != mul && &inner != *mul->getUsers().begin() &&
        !llvm::is_contained(c.a.chain, &inner) &&
        !llvm::is_contained(c.b.chain, &inner))
      return std::nullopt;
  // Few columns and many rows (the weight on the left): swap the roles,
  // so that the GEMV kernel reads the long side.
  if (c.N < c.M && c.N <= kGemvRows) {
    std::swap(c.a, c.b);
    std::swap(c.mDims, c.nDims);
    std::swap(c.M, c.N);
  }
  // Tiny products (a depthwise convolution's 9 taps, one output column)
  // are no better tiled than one thread per output.
  if (c.N < 8 || c.K < (c.M <= kGemvRows ? 32 : 8))
    return std::nullopt;
  // The grid's y (row tiles) and z (batch) dimensions hold 65535 blocks.
  if (llvm::divideCeil(c.M, 16) > 65535 || c.batch > 65535)
    return std::nullopt;
  c.a.producer = findProducer(op, *op.getDpsInputOperand(c.a.input));
  c.b.producer = findProducer(op, *op.getDpsInputOperand(c.b.input));
  return c;
}

namespace {
class KernelBuilder : qcc::IndexOps {
public:
  KernelBuilder(OpBuilder &b, Location loc, linalg::GenericOp op,
                const FloatContraction &c)
      : IndexOps(b, loc), op(op), c(c), f32(b.getF32Type()),
        vt(getElementTypeOrSelf(op.getDpsInitOperand(0)->get())) {}

  void buildTiled();
  void buildGemv();
  /// tf32 (m16n8k8) or, with `half`, f16 (m16n8k16) tensor cores.
  void buildTensorCores(bool half);

private:
  /// The product's zero (f32 or i32).
  Value zero() { return arith::ConstantOp::create(b, loc, b.getZeroAttr(vt)); }
  /// acc + x * y: a fused multiply-add in f32, wrapping in i32.
  Value fma(Value x, Value y, Value acc) {
    if (isa<FloatType>(vt))
      return math::FmaOp::create(b, loc, x, y, acc);
    return arith::AddIOp::create(b, loc, acc,
                                 arith::MulIOp::create(b, loc, x, y));
  }
  Value sum(Value x, Value y) {
    if (isa<FloatType>(vt))
      return arith::AddFOp::create(b, loc, x, y);
    return arith::AddIOp::create(b, loc, x, y);
  }
  void delinearize(Value flat, ArrayRef<unsigned> dims,
                   SmallVectorImpl<Value> &loops) {
    qcc::delinearize(b, loc, flat, dims, c.ranges, loops);
  }

  /// Starts a launch of `grid` blocks of `threads` threads with
  /// `workgroup` shared buffers; sets tid and the batch loops from block z.
  gpu::LaunchOp launch(int64_t gridX, int64_t gridY, ArrayRef<Type> workgroup,
                       int64_t threads = kThreads);
  MemRefType sharedType(int64_t d0, int64_t d1);
  /// The operand's value (f32 or i32) at the contraction's `loops`.
  Value element(const Operand &side, ArrayRef<Value> loops);
  /// The producer's value at `indices` of the contraction's view of it.
  Value produce(const Producer &p, SmallVector<Value> indices);
  /// Stages this block's `tileRows` rows (columns) of the K slice at `k0`
  /// (`depth` deep) with `threads` threads: consecutive threads take
  /// consecutive elements of the operand's innermost loop, so global reads
  /// coalesce either way. Elements past the edges are zeros.
  void stageSlice(const Operand &side, ArrayRef<unsigned> rowDims, int64_t rows,
                  int64_t tileRows, Value row0, Value k0, int64_t depth,
                  int64_t threads,
                  function_ref<void(Value value, Value row, Value kk)> store);
  /// The K loop of a tiled kernel: each step stages the `depth`-deep slice
  /// of `a`'s BM rows from m0 and `b`'s BN columns from n0 (`store` puts
  /// one staged value in its tile) between two barriers, then `compute`s
  /// the accumulators' next values from the tiles.
  scf::ForOp sliceLoop(
      int64_t depth, int64_t threads, Value aTile, int64_t BM, Value m0,
      Value bTile, int64_t BN, Value n0,
      function_ref<void(Value value, Value tile, Value row, Value kk)> store,
      ValueRange init,
      function_ref<SmallVector<Value>(ValueRange acc)> compute);
  /// out[m, n] += value, guarded by the caller.
  void accumulate(Value m, Value n, Value value);

  linalg::GenericOp op;
  const FloatContraction &c;
  Type f32;
  /// The products' and sums' type: f32 or i32.
  Type vt;
  Value tid;
  SmallVector<Value> batchLoops;
};
} // namespace

MemRefType KernelBuilder::sharedType(int64_t d0, int64_t d1) {
  auto shared =
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  return MemRefType::get({d0, d1}, vt, MemRefLayoutAttrInterface{}, shared);
}

gpu::LaunchOp KernelBuilder::launch(int64_t gridX, int64_t gridY,
                                    ArrayRef<Type> workgroup, int64_t threads) {
  auto launch =
      qcc::startLaunch(b, loc, {gridX, gridY, c.batch}, threads, workgroup);
  tid = launch.getThreadIds().x;
  batchLoops.assign(c.ranges.size(), idx(0));
  if (!c.batchDims.empty())
    delinearize(launch.getBlockIds().z, c.batchDims, batchLoops);
  return launch;
}

Value KernelBuilder::produce(const Producer &p, SmallVector<Value> indices) {
  // From the contraction's view back to the producer's buffer.
  for (Operation *reshape : p.reshapes) {
    SmallVector<Value> inner;
    if (auto expand = dyn_cast<memref::ExpandShapeOp>(reshape)) {
      ArrayRef<int64_t> shape = expand.getResultType().getShape();
      for (const ReassociationIndices &group :
           expand.getReassociationIndices()) {
        Value flat = indices[group.front()];
        for (int64_t d : ArrayRef(group).drop_front())
          flat = add(mul(flat, idx(shape[d])), indices[d]);
        inner.push_back(flat);
      }
    } else {
      auto collapse = cast<memref::CollapseShapeOp>(reshape);
      ArrayRef<int64_t> shape = collapse.getSrcType().getShape();
      for (auto [r, group] :
           llvm::enumerate(collapse.getReassociationIndices())) {
        SmallVector<Value> parts(group.size());
        Value flat = indices[r];
        for (int i = (int)group.size() - 1; i > 0; --i) {
          parts[i] = rem(flat, shape[group[i]]);
          flat = div(flat, shape[group[i]]);
        }
        parts[0] = flat;
        llvm::append_range(inner, parts);
      }
    }
    indices = std::move(inner);
  }
  // The producer's loops are its output's indices (identity map).
  linalg::GenericOp gen = p.op;
  Block *body = gen.getBody();
  IRMapping map;
  for (OpOperand *in : gen.getDpsInputOperands()) {
    Value arg = body->getArgument(in->getOperandNumber());
    if (isa<MemRefType>(in->get().getType()))
      map.map(arg, qcc::loadAt(b, loc, in->get(),
                               gen.getMatchingIndexingMap(in), indices));
    else
      map.map(arg, in->get());
  }
  for (Operation &inner : body->without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      map.map(index.getResult(), indices[index.getDim()]);
      continue;
    }
    b.clone(inner, map);
  }
  return map.lookupOrDefault(body->getTerminator()->getOperand(0));
}

Value KernelBuilder::element(const Operand &side, ArrayRef<Value> loops) {
  OpOperand *in = op.getDpsInputOperand(side.input);
  AffineMap map = op.getMatchingIndexingMap(in);
  Block *body = op.getBody();
  IRMapping mapping;
  mapping.map(body->getArgument(side.input),
              side.producer.op
                  ? produce(side.producer, qcc::applyMap(b, loc, map, loops))
                  : qcc::loadAt(b, loc, in->get(), map, loops));
  for (unsigned s : side.scalars)
    mapping.map(
        body->getArgument(s),
        memref::LoadOp::create(b, loc, op.getDpsInputs()[s], ValueRange{}));
  for (Operation *inner : side.chain)
    b.clone(*inner, mapping);
  return mapping.lookupOrDefault(side.value);
}

void KernelBuilder::stageSlice(
    const Operand &side, ArrayRef<unsigned> rowDims, int64_t rows,
    int64_t tileRows, Value row0, Value k0, int64_t depth, int64_t threads,
    function_ref<void(Value value, Value row, Value kk)> store) {
  bool rowsFast =
      qcc::innermostIsOneOf(op.getIndexingMapsArray()[side.input], rowDims);
  for (int64_t r = 0; r < tileRows * depth / threads; ++r) {
    Value w = add(tid, idx(r * threads));
    Value row = rowsFast ? rem(w, tileRows) : div(w, depth);
    Value kk = rowsFast ? div(w, tileRows) : rem(w, depth);
    Value globalRow = add(row0, row), k = add(k0, kk);
    Value ok = arith::AndIOp::create(b, loc, ult(globalRow, rows), ult(k, c.K));
    // Clamped indices keep every read inside the buffers; the value read
    // there is replaced by zero.
    SmallVector<Value> loops(batchLoops);
    delinearize(minIdx(globalRow, rows - 1), rowDims, loops);
    delinearize(minIdx(k, c.K - 1), c.kDims, loops);
    store(arith::SelectOp::create(b, loc, ok, element(side, loops), zero()),
          row, kk);
  }
}

scf::ForOp KernelBuilder::sliceLoop(
    int64_t depth, int64_t threads, Value aTile, int64_t BM, Value m0,
    Value bTile, int64_t BN, Value n0,
    function_ref<void(Value value, Value tile, Value row, Value kk)> store,
    ValueRange init, function_ref<SmallVector<Value>(ValueRange acc)> compute) {
  return scf::ForOp::create(
      b, loc, idx(0), idx(llvm::divideCeil(c.K, depth)), idx(1), init,
      [&](OpBuilder &nested, Location, Value step, ValueRange acc) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nested.getInsertionBlock(),
                            nested.getInsertionPoint());
        Value k0 = mul(step, idx(depth));
        // Every thread is done with the previous slice.
        gpu::BarrierOp::create(b, loc);
        stageSlice(
            c.a, c.mDims, c.M, BM, m0, k0, depth, threads,
            [&](Value v, Value row, Value kk) { store(v, aTile, row, kk); });
        stageSlice(
            c.b, c.nDims, c.N, BN, n0, k0, depth, threads,
            [&](Value v, Value row, Value kk) { store(v, bTile, row, kk); });
        gpu::BarrierOp::create(b, loc);
        scf::YieldOp::create(b, loc, compute(acc));
      });
}

void KernelBuilder::accumulate(Value m, Value n, Value value) {
  SmallVector<Value> loops(batchLoops);
  delinearize(m, c.mDims, loops);
  delinearize(n, c.nDims, loops);
  OpOperand *outOperand = op.getDpsInitOperand(0);
  SmallVector<Value> indices =
      qcc::applyMap(b, loc, op.getMatchingIndexingMap(outOperand), loops);
  Value old = memref::LoadOp::create(b, loc, outOperand->get(), indices);
  qcc::storeFinished(b, loc, outOperand->get(), c.epilogue, sum(old, value),
                     indices);
}

void KernelBuilder::buildTiled() {
  const int64_t BM = c.M <= 16 ? 16 : c.M <= 32 ? 32 : 64;
  const int64_t BN = c.N <= 32 ? 32 : 64;
  const int64_t RM = BM / kTileThreads, RN = BN / kTileThreads;
  // K-major tiles, rows padded by one float: staging stores of either
  // orientation and the compute loop's reads hit distinct banks.
  auto l = launch(llvm::divideCeil(c.N, BN), llvm::divideCeil(c.M, BM),
                  {sharedType(kBK, BM + 1), sharedType(kBK, BN + 1)});
  Value aTile = l.getWorkgroupAttributions()[0];
  Value bTile = l.getWorkgroupAttributions()[1];
  Value tx = rem(tid, kTileThreads), ty = div(tid, kTileThreads);
  Value m0 = mul(l.getBlockIds().y, idx(BM));
  Value n0 = mul(l.getBlockIds().x, idx(BN));

  SmallVector<Value> init(RM * RN, zero());
  scf::ForOp kLoop = sliceLoop(
      kBK, kThreads, aTile, BM, m0, bTile, BN, n0,
      [&](Value v, Value tile, Value row, Value kk) {
        memref::StoreOp::create(b, loc, v, tile, ValueRange{kk, row});
      },
      init,
      [&](ValueRange acc) {
        SmallVector<Value> next(acc);
        for (int64_t kk = 0; kk < kBK; ++kk) {
          SmallVector<Value> aReg, bReg;
          for (int64_t i = 0; i < RM; ++i)
            aReg.push_back(memref::LoadOp::create(
                b, loc, aTile,
                ValueRange{idx(kk), add(ty, idx(i * kTileThreads))}));
          for (int64_t j = 0; j < RN; ++j)
            bReg.push_back(memref::LoadOp::create(
                b, loc, bTile,
                ValueRange{idx(kk), add(tx, idx(j * kTileThreads))}));
          for (int64_t i = 0; i < RM; ++i)
            for (int64_t j = 0; j < RN; ++j)
              next[i * RN + j] = fma(aReg[i], bReg[j], next[i * RN + j]);
        }
        return next;
      });

  // Thread (ty, tx) holds rows ty + 16i and columns tx + 16j: a warp's
  // stores of one (i, j) are 16-wide runs of adjacent columns.
  for (int64_t i = 0; i < RM; ++i) {
    for (int64_t j = 0; j < RN; ++j) {
      Value m = add(m0, add(ty, idx(i * kTileThreads)));
      Value n = add(n0, add(tx, idx(j * kTileThreads)));
      Value ok = arith::AndIOp::create(b, loc, ult(m, c.M), ult(n, c.N));
      auto guard = scf::IfOp::create(b, loc, ok, /*withElseRegion=*/false);
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(guard.thenBlock());
      accumulate(m, n, kLoop.getResult(i * RN + j));
    }
  }
}

void KernelBuilder::buildGemv() {
  // Lanes go along the weight's contiguous loop: columns (32 per block,
  // the warps split K) or K (32 groups over K, a warp per column). A GEMV
  // is bound by its weight loads: with few blocks, more warps per block
  // keep more of them in flight.
  const bool colsFast =
      !qcc::innermostIsOneOf(op.getIndexingMapsArray()[c.b.input], c.kDims);
  const int64_t threads =
      llvm::divideCeil(c.N, 32) * c.batch < kFewBlocks ? 1024 : kThreads;
  const int64_t BN = colsFast ? 32 : threads / 32, KS = threads / BN;
  const int64_t M = c.M, partials = M * BN + 1;
  auto l =
      launch(llvm::divideCeil(c.N, BN), 1, {sharedType(KS, partials)}, threads);
  Value partial = l.getWorkgroupAttributions()[0];
  Value col = colsFast ? rem(tid, 32) : div(tid, 32);
  Value group = colsFast ? div(tid, 32) : rem(tid, 32);
  Value n0 = mul(l.getBlockIds().x, idx(BN));
  // Threads past the last column compute a copy of it and store nothing.
  SmallVector<Value> colLoops(batchLoops);
  delinearize(minIdx(add(n0, col), c.N - 1), c.nDims, colLoops);

  // One K step of this thread: k = group + KS * s.
  auto step = [&](Value s, ValueRange acc) {
    SmallVector<Value> loops(colLoops);
    delinearize(add(group, mul(s, idx(KS))), c.kDims, loops);
    Value w = element(c.b, loops);
    SmallVector<Value> next;
    for (int64_t m = 0; m < M; ++m) {
      SmallVector<Value> rowLoops(loops);
      delinearize(idx(m), c.mDims, rowLoops);
      next.push_back(fma(element(c.a, rowLoops), w, acc[m]));
    }
    return next;
  };

  const int64_t full = c.K / KS, rest = c.K % KS;
  SmallVector<Value> acc(M, zero());
  if (full >= kUnroll) {
    auto loop = scf::ForOp::create(
        b, loc, idx(0), idx(full / kUnroll * kUnroll), idx(kUnroll), acc,
        [&](OpBuilder &nested, Location, Value s, ValueRange carried) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          SmallVector<Value> next(carried);
          for (int64_t u = 0; u < kUnroll; ++u)
            next = step(add(s, idx(u)), next);
          scf::YieldOp::create(b, loc, next);
        });
    acc.assign(loop.getResults().begin(), loop.getResults().end());
  }
  for (int64_t s = full / kUnroll * kUnroll; s < full; ++s)
    acc = step(idx(s), acc);
  if (rest) {
    // The last partial step: groups below `rest` have one more k.
    auto last = scf::IfOp::create(b, loc, TypeRange(SmallVector<Type>(M, vt)),
                                  ult(group, rest), /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(last.thenBlock());
      scf::YieldOp::create(b, loc, step(idx(full), acc));
      b.setInsertionPointToStart(last.elseBlock());
      scf::YieldOp::create(b, loc, acc);
    }
    acc.assign(last.getResults().begin(), last.getResults().end());
  }

  // Partial sums of the K groups, added in group order.
  for (int64_t m = 0; m < M; ++m)
    memref::StoreOp::create(b, loc, acc[m], partial,
                            ValueRange{group, add(col, idx(m * BN))});
  gpu::BarrierOp::create(b, loc);
  Value m = div(tid, BN), c0 = rem(tid, BN), n = add(n0, c0);
  Value ok = arith::AndIOp::create(b, loc, ult(tid, M * BN), ult(n, c.N));
  auto guard = scf::IfOp::create(b, loc, ok, /*withElseRegion=*/false);
  b.setInsertionPointToStart(guard.thenBlock());
  Value total =
      memref::LoadOp::create(b, loc, partial, ValueRange{idx(0), tid});
  for (int64_t g = 1; g < KS; ++g)
    total = sum(total, memref::LoadOp::create(b, loc, partial,
                                              ValueRange{idx(g), tid}));
  accumulate(m, n, total);
}

void KernelBuilder::buildTensorCores(bool half) {
  // Four warps in a 2 x 2 grid, each (BM/2) x (BN/2) of 16 x 8 fragments;
  // K in slices of one MMA's depth: 8 words of one tf32 or two f16 each.
  const int64_t BM = c.M <= 32 ? 32 : 64, BN = c.N <= 32 ? 32 : 64;
  const int64_t MI = BM / 32, NJ = BN / 16, threads = 128;
  const int64_t perWord = half ? 2 : 1, BK = qcc::kFragmentWords * perWord;
  auto shared =
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  Type i32 = b.getI32Type(), f16 = b.getF16Type();
  auto tileType = [&](int64_t rows) {
    return MemRefType::get({rows, qcc::kFragmentRowWords * perWord},
                           half ? f16 : i32, MemRefLayoutAttrInterface{},
                           shared);
  };
  auto l = launch(llvm::divideCeil(c.N, BN), llvm::divideCeil(c.M, BM),
                  {tileType(BM), tileType(BN)}, threads);
  Value aTile = l.getWorkgroupAttributions()[0];
  Value bTile = l.getWorkgroupAttributions()[1];
  Value lane = rem(tid, 32), warp = div(tid, 32);
  Value g = div(lane, 4), t = rem(lane, 4);
  Value warpRow = mul(div(warp, 2), idx(BM / 2));
  Value warpCol = mul(rem(warp, 2), idx(BN / 2));
  Value m0 = mul(l.getBlockIds().y, idx(BM));
  Value n0 = mul(l.getBlockIds().x, idx(BN));

  // tf32 keeps 10 mantissa bits: round to nearest, ties away from zero
  // (cvt.rna.tf32.f32), on the bits; infinities stay. A NaN keeps its own
  // bits: adding to a NaN with a full mantissa would carry into the sign.
  auto toTF32 = [&](Value v) {
    Value bits = arith::BitcastOp::create(b, loc, i32, v);
    Value rounded = arith::AndIOp::create(
        b, loc,
        arith::AddIOp::create(
            b, loc, bits, arith::ConstantIntOp::create(b, loc, i32, 0x1000)),
        arith::ConstantIntOp::create(b, loc, i32, (int32_t)0xffffe000));
    Value nan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, v, v);
    return arith::SelectOp::create(b, loc, nan, bits, rounded);
  };
  MLIRContext *ctx = b.getContext();
  auto mmaType = LLVM::LLVMStructType::getLiteral(ctx, {f32, f32, f32, f32});
  NVVM::MMATypes type = half ? NVVM::MMATypes::f16 : NVVM::MMATypes::tf32;
  SmallVector<Value> init(MI * NJ * 4, zero());
  scf::ForOp kLoop = sliceLoop(
      BK, threads, aTile, BM, m0, bTile, BN, n0,
      [&](Value v, Value tile, Value row, Value kk) {
        // f16: round to nearest even; beyond 65504 is infinite.
        Value word =
            half ? Value(arith::TruncFOp::create(b, loc, f16, v)) : toTF32(v);
        memref::StoreOp::create(b, loc, word, tile, ValueRange{row, kk});
      },
      init,
      [&](ValueRange acc) {
        qcc::WarpFragments regs = qcc::loadWarpFragments(
            b, loc, aTile, bTile, warpRow, warpCol, MI, NJ, g, t);
        auto &aRegs = regs.a;
        auto &bRegs = regs.b;
        SmallVector<Value> next;
        for (int64_t i = 0; i < MI; ++i) {
          for (int64_t j = 0; j < NJ; ++j) {
            Value d = NVVM::MmaOp::create(
                b, loc, mmaType, aRegs[i], bRegs[j],
                acc.slice((i * NJ + j) * 4, 4), {16, 8, BK}, std::nullopt,
                std::nullopt, std::array<NVVM::MMATypes, 2>{type, type},
                std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                               NVVM::MMALayout::col});
            for (int64_t q = 0; q < 4; ++q)
              next.push_back(LLVM::ExtractValueOp::create(b, loc, d, q));
          }
        }
        return next;
      });

  for (int64_t i = 0; i < MI; ++i) {
    for (int64_t j = 0; j < NJ; ++j) {
      for (int64_t q = 0; q < 4; ++q) {
        auto [fragRow, fragCol] = qcc::accumulatorPosition(b, loc, q, g, t);
        Value m = add(add(m0, add(warpRow, idx(i * 16))), fragRow);
        Value n = add(add(n0, add(warpCol, idx(j * 8))), fragCol);
        Value ok = arith::AndIOp::create(b, loc, ult(m, c.M), ult(n, c.N));
        auto guard = scf::IfOp::create(b, loc, ok, /*withElseRegion=*/false);
        OpBuilder::InsertionGuard ig(b);
        b.setInsertionPointToStart(guard.thenBlock());
        accumulate(m, n, kLoop.getResult((i * NJ + j) * 4 + q));
      }
    }
  }
}

/// Whether the operand's values are f16 widened to f32 (f16 weights, kept
/// exactly by tf32).
static bool widenedFromHalf(linalg::GenericOp op, const Operand &side) {
  if (!side.chain.empty())
    return side.chain.size() == 1 && isa<arith::ExtFOp>(side.chain[0]) &&
           getElementTypeOrSelf(op.getDpsInputOperand(side.input)->get())
               .isF16();
  linalg::GenericOp p = side.producer.op;
  if (!p || p.getNumDpsInputs() != 1)
    return false;
  auto yield = cast<linalg::YieldOp>(p.getBody()->getTerminator());
  auto ext = yield.getOperand(0).getDefiningOp<arith::ExtFOp>();
  return ext && ext.getIn() == p.getBody()->getArgument(0) &&
         ext.getIn().getType().isF16();
}

namespace {
struct GPUFloatContractionsPass
    : qcc::impl::GPUFloatContractionsBase<GPUFloatContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (floatMath != "auto" && floatMath != "f32" && floatMath != "tf32" &&
        floatMath != "f16") {
      getOperation().emitError("qcc-gpu-float-contractions: float-math is "
                               "auto, f32, tf32 or f16, not '")
          << floatMath << "'";
      return signalPassFailure();
    }
    std::vector<std::pair<linalg::GenericOp, FloatContraction>> found;
    getOperation().walk([&](linalg::GenericOp op) {
      if (std::optional<FloatContraction> c = matchContraction(op))
        found.emplace_back(op, *c);
    });
    for (auto &[op, c] : found) {
      // The kernel reads the inputs, and the producers' inputs in their
      // place.
      SmallVector<Value> reads(op.getDpsInputs());
      for (Producer *p : {&c.a.producer, &c.b.producer})
        if (p->op)
          llvm::append_range(reads, p->op.getDpsInputs());
      c.epilogue = qcc::findKernelEpilogue(op, reads);
      OpBuilder b(op);
      KernelBuilder builder(b, op.getLoc(), op, c);
      bool isFloat = getElementTypeOrSelf(op.getDpsInits()[0]).isF32();
      bool tf32 = floatMath == "tf32" ||
                  (floatMath == "auto" &&
                   (widenedFromHalf(op, c.a) || widenedFromHalf(op, c.b)));
      if (c.M <= kGemvRows)
        builder.buildGemv();
      else if (isFloat && (tf32 || floatMath == "f16"))
        builder.buildTensorCores(/*half=*/floatMath == "f16");
      else
        builder.buildTiled();
      op.erase();
      if (c.epilogue)
        c.epilogue.reader.erase();
      for (Producer *p : {&c.a.producer, &c.b.producer})
        if (p->op)
          p->op.erase();
    }
  }
};
} // namespace
