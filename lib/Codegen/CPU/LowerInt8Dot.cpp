//===- LowerInt8Dot.cpp - register-blocked 4-byte dot-product kernels -----===//
//
// Lowers the contractions qcc-pack-int8-contractions marked (on buffers) to
// an x86 AVX-512 VNNI micro-kernel: a block of Rb rows x C vectors of 16
// int32 accumulators stays in registers across the K/4 loop; each step
// loads C 64-byte slices of the vector operand, broadcasts 4 bytes of the
// broadcast operand per row and issues Rb x C `vpdpbusd`. Ragged columns
// use masked loads and stores. The activation's packing copy (marked
// `qcc.int8_pack`) loads 16 bytes from each of 4 consecutive reduction
// rows and interleaves them with one byte shuffle into a 64-byte store.
//
// The elementwise generics qcc-pack-int8-contractions placed next to the
// kernel are computed on its registers: the accumulators start at the
// value of the one that initializes them (`qcc.int8_prologue`: the
// zero-point term) and the one that reads the result (`qcc.epilogue`:
// bias, requantization, activation) stores its own output instead of the
// int32 accumulators, which then never reach memory.
//
//===----------------------------------------------------------------------===//
#include "qcc/Codegen/Common/LinalgUtils.h"
#include "VectorTileBody.h"
#include "qcc/Codegen/Common/EpilogueFusion.h"
#include "qcc/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

namespace qcc {
#define GEN_PASS_DEF_LOWERINT8DOT
#include "qcc/Codegen/CPU/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

static constexpr int64_t kLanes = 16;

/// A packed [..., N, 4] buffer as [..., N * 4]: 16 values of n are one
/// contiguous 64-byte vector.
static Value collapseBytes(OpBuilder &b, Location loc, Value packed) {
  int64_t rank = cast<MemRefType>(packed.getType()).getRank();
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0; i + 2 < rank; ++i)
    groups.push_back({i});
  groups.push_back({rank - 2, rank - 1});
  return memref::CollapseShapeOp::create(b, loc, packed, groups);
}

/// An epilogue ending in qcc-saturating-round's tail, `trunci(w + zp)`
/// to 8 bits with `w = fptosi(roundeven(clamp(v, lo, hi)))` and
/// `[lo + zp, hi + zp]` inside the 8-bit range: `w + zp` never wraps, so
/// four vectors of `w` narrow exactly through saturating packs (which then
/// saturate nothing) instead of four truncations.
struct NarrowTail {
  Value wide;      ///< w, in the epilogue's body
  int64_t zp = 0;  ///< added after the first pack, in i16
  bool isUnsigned; ///< [lo + zp, hi + zp] within [0, 255], else [-128, 127]
};

static std::optional<NarrowTail> narrowTail(linalg::GenericOp op) {
  Value y = op.getBody()->getTerminator()->getOperand(0);
  auto trunc = y.getDefiningOp<arith::TruncIOp>();
  if (!trunc || !trunc.getType().isInteger(8) ||
      !trunc.getIn().getType().isInteger(32))
    return std::nullopt;
  NarrowTail tail;
  tail.wide = trunc.getIn();
  if (auto add = tail.wide.getDefiningOp<arith::AddIOp>()) {
    APInt zp;
    if (!matchPattern(add.getRhs(), m_ConstantInt(&zp)))
      return std::nullopt;
    tail.zp = zp.getSExtValue();
    tail.wide = add.getLhs();
  }
  auto cast = tail.wide.getDefiningOp<arith::FPToSIOp>();
  auto round = cast ? cast.getIn().getDefiningOp<math::RoundEvenOp>()
                    : math::RoundEvenOp();
  if (!round)
    return std::nullopt;
  std::optional<qcc::ConstantClamp> clamp =
      qcc::matchConstantClamp(round.getOperand());
  if (!clamp || std::fabs(clamp->lo) > 32767 || std::fabs(clamp->hi) > 32767)
    return std::nullopt;
  double outLo = clamp->lo + tail.zp, outHi = clamp->hi + tail.zp;
  if (outLo >= 0 && outHi <= 255)
    tail.isUnsigned = true;
  else if (outLo >= -128 && outHi <= 127)
    tail.isUnsigned = false;
  else
    return std::nullopt;
  return tail;
}

namespace {
/// Emits one marked generic as loops around the micro-kernel.
class KernelEmitter {
public:
  KernelEmitter(linalg::GenericOp op) : op(op), b(op), loc(op.getLoc()) {}

  LogicalResult emit();

private:
  Value cst(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  /// A call of the LLVM intrinsic `name` (an x86 instruction).
  Value intrinsic(StringRef name, Type type, ValueRange args) {
    return LLVM::CallIntrinsicOp::create(
               b, loc, type, StringAttr::get(b.getContext(), name), args)
        .getResult(0);
  }
  /// Indices of an operand from the current loop values (`iv`).
  SmallVector<Value> indices(AffineMap map) {
    SmallVector<Value> idx;
    for (AffineExpr e : map.getResults()) {
      if (auto d = dyn_cast<AffineDimExpr>(e))
        idx.push_back(iv[d.getPosition()]);
      else
        idx.push_back(cst(0));
    }
    return idx;
  }
  void emitTile(Value row0, Value col0, int64_t cols, int64_t lastLanes);
  void findPrologue();
  void findEpilogue();
  /// Evaluates the epilogue to `tail->wide` on the four accumulators of
  /// columns c..c+3 of row r and stores them narrowed by packs.
  void storePacked(int64_t r, int64_t c, ValueRange accs,
                   function_ref<void(int64_t, int64_t)> setRowCol);
  /// The output row (a linear index over all dims but the last) and
  /// column of an element of `out`.
  std::pair<Value, Value> rowAndColumn(ArrayRef<Value> idx);

  linalg::GenericOp op;
  OpBuilder b;
  Location loc;
  AffineMap actMap, wMap, outMap, vecMap, bcastMap;
  Value out, vecCollapsed, bcast;
  bool vecIsAct = true;
  unsigned vecLoop = 0, k4Loop = 0, jLoop = 0;
  std::optional<unsigned> rowLoop;
  int64_t rows = 1, K4 = 0;
  SmallVector<Value> iv;
  std::optional<qcc::VectorTileBody> prologue, epilogue;
  std::optional<NarrowTail> tail;
};
} // namespace

void KernelEmitter::emitTile(Value row0, Value col0, int64_t cols,
                             int64_t lastLanes) {
  auto accType = VectorType::get({kLanes}, b.getI32Type());
  auto bytesType = VectorType::get({4 * kLanes}, b.getI8Type());
  auto wordType = VectorType::get({1}, b.getI32Type());
  auto quadType = VectorType::get({4}, b.getI8Type());
  auto masked = [&](int64_t c) { return c == cols - 1 && lastLanes < kLanes; };
  Value accMask, byteMask, zeroAcc, zeroBytes;
  if (lastLanes < kLanes) {
    accMask = vector::ConstantMaskOp::create(
        b, loc, VectorType::get({kLanes}, b.getI1Type()), {lastLanes});
    byteMask = vector::ConstantMaskOp::create(
        b, loc, VectorType::get({4 * kLanes}, b.getI1Type()), {4 * lastLanes});
    zeroAcc = arith::ConstantOp::create(b, loc, accType,
                                        DenseElementsAttr::get(accType, 0));
    zeroBytes = arith::ConstantOp::create(
        b, loc, bytesType, DenseElementsAttr::get(bytesType, (int8_t)0));
  }
  auto setRowCol = [&](int64_t r, int64_t c) {
    if (rowLoop)
      iv[*rowLoop] = arith::AddIOp::create(b, loc, row0, cst(r));
    iv[vecLoop] = arith::AddIOp::create(b, loc, col0, cst(c * kLanes));
  };
  SmallVector<Value> accs;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      setRowCol(r, c);
      SmallVector<Value> idx = indices(outMap);
      if (prologue) {
        auto [row, col] = rowAndColumn(idx);
        accs.push_back(prologue->evaluate(b, loc, row, col,
                                          masked(c) ? accMask : Value()));
        continue;
      }
      accs.push_back(
          masked(c) ? (Value)vector::MaskedLoadOp::create(b, loc, accType, out,
                                                          idx, accMask, zeroAcc)
                    : (Value)vector::LoadOp::create(b, loc, accType, out, idx));
    }
  auto loop = scf::ForOp::create(
      b, loc, cst(0), cst(K4), cst(1), accs,
      [&](OpBuilder &nb, Location nl, Value k4, ValueRange carried) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        iv[k4Loop] = k4;
        iv[jLoop] = cst(0);
        SmallVector<Value> vecs, bcasts;
        for (int64_t c = 0; c < cols; ++c) {
          setRowCol(0, c);
          // [..., k4, n * 4]: the collapsed (n, j) dims.
          SmallVector<Value> idx = indices(vecMap);
          idx.pop_back();
          idx.back() = arith::MulIOp::create(b, loc, idx.back(), cst(4));
          vecs.push_back(masked(c) ? (Value)vector::MaskedLoadOp::create(
                                         b, loc, bytesType, vecCollapsed, idx,
                                         byteMask, zeroBytes)
                                   : (Value)vector::LoadOp::create(
                                         b, loc, bytesType, vecCollapsed, idx));
        }
        for (int64_t r = 0; r < rows; ++r) {
          setRowCol(r, 0);
          Value quad = vector::LoadOp::create(b, loc, quadType, bcast,
                                              indices(bcastMap));
          Value word = vector::BitCastOp::create(b, loc, wordType, quad);
          Value splat = vector::BroadcastOp::create(b, loc, accType, word);
          bcasts.push_back(vector::BitCastOp::create(b, loc, bytesType, splat));
        }
        SmallVector<Value> next;
        for (int64_t r = 0; r < rows; ++r)
          for (int64_t c = 0; c < cols; ++c) {
            // vpdpbusd(acc, unsigned bytes, signed bytes).
            Value u = vecIsAct ? vecs[c] : bcasts[r];
            Value s = vecIsAct ? bcasts[r] : vecs[c];
            next.push_back(intrinsic("llvm.x86.avx512.vpdpbusd.512", accType,
                                     {carried[r * cols + c], u, s}));
          }
        scf::YieldOp::create(b, loc, next);
      });
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      if (epilogue && tail && c % 4 == 0 && c + 3 < cols && !masked(c + 3)) {
        storePacked(r, c, loop.getResults().slice(r * cols + c, 4), setRowCol);
        c += 3;
        continue;
      }
      setRowCol(r, c);
      SmallVector<Value> idx = indices(outMap);
      Value acc = loop.getResult(r * cols + c);
      if (epilogue) {
        auto [row, col] = rowAndColumn(idx);
        Value mask = masked(c) ? accMask : Value();
        epilogue->store(b, loc, row, col, mask,
                        epilogue->evaluate(b, loc, row, col, mask, acc));
        continue;
      }
      if (masked(c))
        vector::MaskedStoreOp::create(b, loc, out, idx, accMask, acc);
      else
        vector::StoreOp::create(b, loc, acc, out, idx);
    }
}

void KernelEmitter::storePacked(
    int64_t r, int64_t c, ValueRange accs,
    function_ref<void(int64_t, int64_t)> setRowCol) {
  SmallVector<Value> wide;
  Value row, col0;
  for (int64_t j = 0; j < 4; ++j) {
    setRowCol(r, c + j);
    auto [row_, col] = rowAndColumn(indices(outMap));
    if (j == 0)
      std::tie(row, col0) = std::make_pair(row_, col);
    wide.push_back(
        epilogue->evaluate(b, loc, row_, col, Value(), accs[j], tail->wide));
  }
  // Per 128-bit lane: i32 -> i16 of two vectors, then i16 -> i8 of two.
  auto halfType = VectorType::get({2 * kLanes}, b.getI16Type());
  Value zp = tail->zp ? arith::ConstantOp::create(
                            b, loc, halfType,
                            DenseElementsAttr::get(
                                halfType, static_cast<int16_t>(tail->zp)))
                      : Value();
  Value halves[2];
  for (int j = 0; j < 2; ++j) {
    halves[j] = intrinsic("llvm.x86.avx512.packssdw.512", halfType,
                          {wide[2 * j], wide[2 * j + 1]});
    if (zp)
      halves[j] = arith::AddIOp::create(b, loc, halves[j], zp);
  }
  auto bytesType = VectorType::get({4 * kLanes}, b.getI8Type());
  Value bytes = intrinsic(tail->isUnsigned ? "llvm.x86.avx512.packuswb.512"
                                           : "llvm.x86.avx512.packsswb.512",
                          bytesType, {halves[0], halves[1]});
  // Lane l now holds dwords (a, b, c, d)[4l..4l+3] of the four vectors:
  // gather each vector's four dwords back in order.
  auto dwordType = VectorType::get({kLanes}, b.getI32Type());
  Value dwords = vector::BitCastOp::create(b, loc, dwordType, bytes);
  dwords = vector::ShuffleOp::create(
      b, loc, dwords, dwords,
      ArrayRef<int64_t>{0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15});
  epilogue->store(b, loc, row, col0, Value(),
                  vector::BitCastOp::create(b, loc, bytesType, dwords));
}

std::pair<Value, Value> KernelEmitter::rowAndColumn(ArrayRef<Value> idx) {
  ArrayRef<int64_t> shape = cast<MemRefType>(out.getType()).getShape();
  Value row = cst(0);
  for (size_t k = 0; k + 1 < idx.size(); ++k)
    row = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, row, cst(shape[k])), idx[k]);
  return {row, idx.back()};
}

void KernelEmitter::findPrologue() {
  linalg::GenericOp init =
      adjacentMarked(op, /*after=*/false, "qcc.int8_prologue");
  if (!init)
    return;
  int64_t N = cast<MemRefType>(out.getType()).getShape().back();
  Value written = init.getDpsInitOperand(0)->get();
  bool ok = reshapeRoot(written) == reshapeRoot(out) &&
            numElements(written) == numElements(out);
  // Its inputs are read tile by tile while the kernel stores `out`.
  for (OpOperand *in : init.getDpsInputOperands())
    ok &= !mayOverlap(in->get(), out);
  if (ok)
    prologue = qcc::VectorTileBody::analyze(init, N, kLanes);
  if (!prologue)
    init->removeAttr("qcc.int8_prologue");
}

void KernelEmitter::findEpilogue() {
  linalg::GenericOp reader =
      adjacentMarked(op, /*after=*/true, "qcc.epilogue");
  if (!reader)
    return;
  auto reject = [&] { reader->removeAttr("qcc.epilogue"); };
  // The kernel reads its operands (and `out`, without a prologue) while it
  // stores the epilogue's output.
  SmallVector<Value> read{op.getDpsInputOperand(0)->get(),
                          op.getDpsInputOperand(1)->get()};
  if (prologue)
    for (OpOperand *in : prologue->getOp().getDpsInputOperands())
      read.push_back(in->get());
  OpOperand *acc = fusibleEpilogueInput(reader, op, out, read);
  if (!acc)
    return reject();
  int64_t N = cast<MemRefType>(out.getType()).getShape().back();
  epilogue = qcc::VectorTileBody::analyze(reader, N, kLanes, acc);
  if (!epilogue)
    return reject();
  tail = narrowTail(reader);
}

LogicalResult KernelEmitter::emit() {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2)
    return op.emitError("qcc.int8_dot: expected a generic on buffers with "
                        "two inputs");
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned n = ranges.size();
  if (n < 3 || llvm::any_of(ranges, ShapedType::isDynamic))
    return op.emitError("qcc.int8_dot: expected static loop ranges");
  k4Loop = n - 2;
  jLoop = n - 1;
  K4 = ranges[k4Loop];
  auto maps = op.getIndexingMapsArray();
  actMap = maps[0];
  wMap = maps[1];
  outMap = maps[2];
  vecLoop = cast<AffineDimExpr>(outMap.getResults().back()).getPosition();
  vecIsAct = actMap.isFunctionOfDim(vecLoop);
  vecMap = vecIsAct ? actMap : wMap;
  bcastMap = vecIsAct ? wMap : actMap;
  Value vecOperand = op.getDpsInputOperand(vecIsAct ? 0 : 1)->get();
  bcast = op.getDpsInputOperand(vecIsAct ? 1 : 0)->get();
  out = op.getDpsInitOperand(0)->get();
  // Rows: the output's next-to-innermost loop, when only the broadcast
  // operand walks it.
  if (outMap.getNumResults() >= 2) {
    unsigned row =
        cast<AffineDimExpr>(outMap.getResults()[outMap.getNumResults() - 2])
            .getPosition();
    if (bcastMap.isFunctionOfDim(row) && !vecMap.isFunctionOfDim(row)) {
      rowLoop = row;
      for (int64_t r : {4, 3, 2, 1})
        if (ranges[row] % r == 0) {
          rows = r;
          break;
        }
    }
  }
  auto vecType = cast<MemRefType>(vecOperand.getType());
  if (!vecType.getLayout().isIdentity())
    return op.emitError("qcc.int8_dot: packed operand must be contiguous");
  vecCollapsed = collapseBytes(b, loc, vecOperand);
  auto outType = cast<MemRefType>(out.getType());
  if (outType.hasStaticShape() && outType.getLayout().isIdentity()) {
    findPrologue();
    findEpilogue();
  }
  if (prologue)
    prologue->prepare(b, loc);
  if (epilogue)
    epilogue->prepare(b, loc);

  // Loops over the other parallel dims, then rows, then column tiles.
  iv.assign(n, Value());
  for (unsigned d = 0; d < k4Loop; ++d) {
    if (d == vecLoop || (rowLoop && d == *rowLoop))
      continue;
    auto loop = scf::ForOp::create(b, loc, cst(0), cst(ranges[d]), cst(1));
    b.setInsertionPointToStart(loop.getBody());
    iv[d] = loop.getInductionVar();
  }
  Value row0 = cst(0);
  if (rowLoop) {
    auto loop =
        scf::ForOp::create(b, loc, cst(0), cst(ranges[*rowLoop]), cst(rows));
    b.setInsertionPointToStart(loop.getBody());
    row0 = loop.getInductionVar();
  }
  int64_t N = ranges[vecLoop];
  int64_t cols = std::min<int64_t>(4, (N + kLanes - 1) / kLanes);
  int64_t tile = cols * kLanes, full = N / tile * tile;
  if (full > 0) {
    auto loop = scf::ForOp::create(b, loc, cst(0), cst(full), cst(tile));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    emitTile(row0, loop.getInductionVar(), cols, kLanes);
  }
  if (int64_t rest = N - full) {
    int64_t restCols = (rest + kLanes - 1) / kLanes;
    emitTile(row0, cst(full), restCols, rest - (restCols - 1) * kLanes);
  }
  if (prologue)
    prologue->getOp()->erase();
  if (epilogue)
    epilogue->getOp()->erase();
  return success();
}

/// Lowers a marked packing copy out[..., k4, n, j] = in[f(..., k4, n, j)]
/// (xor 0x80 for signed activations), 16 values of n at a time.
static bool lowerPack(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 1)
    return false;
  Value in = op.getDpsInputOperand(0)->get();
  Value out = op.getDpsInitOperand(0)->get();
  auto inType = cast<MemRefType>(in.getType());
  auto outType = cast<MemRefType>(out.getType());
  unsigned rank = outType.getRank();
  if (rank < 3 || !outType.hasStaticShape() ||
      outType.getDimSize(rank - 1) != 4 || !outType.getLayout().isIdentity())
    return false;
  // The source row must run along n, contiguously.
  AffineMap inMap = op.getIndexingMapsArray()[0];
  auto nExpr = dyn_cast<AffineDimExpr>(inMap.getResults().back());
  if (!nExpr || nExpr.getPosition() != rank - 2)
    return false;
  for (AffineExpr e : inMap.getResults().drop_back())
    if (e.isFunctionOfDim(rank - 2))
      return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(inType.getStridesAndOffset(strides, offset)) ||
      strides.back() != 1)
    return false;
  bool bias = llvm::any_of(op.getBody()->getOperations(),
                           [](Operation &o) { return isa<arith::XOrIOp>(o); });

  OpBuilder b(op);
  Location loc = op.getLoc();
  auto cst = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  Value flat = collapseBytes(b, loc, out);
  SmallVector<Value> ivs;
  for (unsigned d = 0; d + 2 < rank; ++d) {
    auto loop =
        scf::ForOp::create(b, loc, cst(0), cst(outType.getDimSize(d)), cst(1));
    b.setInsertionPointToStart(loop.getBody());
    ivs.push_back(loop.getInductionVar());
  }
  auto rowType = VectorType::get({kLanes}, b.getI8Type());
  SmallVector<int64_t> concat, interleave;
  for (int64_t i = 0; i < 2 * kLanes; ++i)
    concat.push_back(i);
  for (int64_t i = 0; i < kLanes; ++i)
    for (int64_t j = 0; j < 4; ++j)
      interleave.push_back(j * kLanes + i);
  auto emit = [&](Value n0, int64_t lanes) {
    Value rowMask, byteMask, zeros;
    if (lanes < kLanes) {
      rowMask = vector::ConstantMaskOp::create(
          b, loc, VectorType::get({kLanes}, b.getI1Type()), {lanes});
      byteMask = vector::ConstantMaskOp::create(
          b, loc, VectorType::get({4 * kLanes}, b.getI1Type()), {4 * lanes});
      zeros = arith::ConstantOp::create(
          b, loc, rowType, DenseElementsAttr::get(rowType, (int8_t)0));
    }
    SmallVector<Value> rows;
    for (int64_t j = 0; j < 4; ++j) {
      SmallVector<Value> operands(ivs);
      operands.push_back(n0);
      operands.push_back(cst(j));
      SmallVector<Value> idx;
      for (AffineExpr e : inMap.getResults())
        idx.push_back(affine::AffineApplyOp::create(
            b, loc, AffineMap::get(rank, 0, e, b.getContext()), operands));
      Value row = lanes < kLanes
                      ? (Value)vector::MaskedLoadOp::create(b, loc, rowType, in,
                                                            idx, rowMask, zeros)
                      : (Value)vector::LoadOp::create(b, loc, rowType, in, idx);
      if (bias)
        row = arith::XOrIOp::create(
            b, loc, row,
            arith::ConstantOp::create(
                b, loc, rowType,
                DenseElementsAttr::get(rowType, (int8_t)-128)));
      rows.push_back(row);
    }
    Value lo = vector::ShuffleOp::create(b, loc, rows[0], rows[1], concat);
    Value hi = vector::ShuffleOp::create(b, loc, rows[2], rows[3], concat);
    Value packed = vector::ShuffleOp::create(b, loc, lo, hi, interleave);
    SmallVector<Value> idx(ivs);
    idx.push_back(arith::MulIOp::create(b, loc, n0, cst(4)));
    if (lanes < kLanes)
      vector::MaskedStoreOp::create(b, loc, flat, idx, byteMask, packed);
    else
      vector::StoreOp::create(b, loc, packed, flat, idx);
  };
  int64_t N = outType.getDimSize(rank - 2), full = N / kLanes * kLanes;
  if (full > 0) {
    auto loop = scf::ForOp::create(b, loc, cst(0), cst(full), cst(kLanes));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    emit(loop.getInductionVar(), kLanes);
  }
  if (N > full)
    emit(cst(full), N - full);
  op->erase();
  return true;
}

namespace {
struct LowerInt8DotPass : qcc::impl::LowerInt8DotBase<LowerInt8DotPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> ops;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (op->hasAttr("qcc.int8_dot"))
        ops.push_back(op);
    });
    SmallVector<linalg::GenericOp> packs;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (op->hasAttr("qcc.int8_pack"))
        packs.push_back(op);
    });
    // A copy the shuffles cannot serve stays a (correct) generic.
    for (linalg::GenericOp op : packs)
      if (!lowerPack(op))
        op->removeAttr("qcc.int8_pack");
    for (linalg::GenericOp op : ops) {
      auto isa = op->getAttrOfType<StringAttr>("qcc.int8_dot");
      if (!isa || isa.getValue() != "x86-avx512-vnni") {
        op.emitError("qcc.int8_dot: unknown instruction set");
        return signalPassFailure();
      }
      if (failed(KernelEmitter(op).emit()))
        return signalPassFailure();
      op->erase();
    }
  }
};
} // namespace
