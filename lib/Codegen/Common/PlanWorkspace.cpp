//===- PlanWorkspace.cpp - intermediate buffers in the caller's workspace -===//
#include "qcc/Codegen/Common/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <map>

namespace qcc {
#define GEN_PASS_DEF_PLANWORKSPACE
#include "qcc/Codegen/Common/Passes.h.inc"
} // namespace qcc

using namespace mlir;

static constexpr int64_t kAlign = 64;

namespace {
/// First-fit allocator over [0, size) with coalescing free list.
class Arena {
public:
  int64_t allocate(int64_t bytes) {
    bytes = llvm::alignTo(bytes, kAlign);
    for (auto it = free.begin(); it != free.end(); ++it) {
      if (it->second < bytes)
        continue;
      int64_t offset = it->first, rest = it->second - bytes;
      free.erase(it);
      if (rest)
        free[offset + bytes] = rest;
      return offset;
    }
    // Grow: extend a free block that ends at the top, else append.
    if (!free.empty() &&
        std::prev(free.end())->first + std::prev(free.end())->second == top) {
      auto last = std::prev(free.end());
      int64_t offset = last->first;
      top = offset + bytes;
      free.erase(last);
      return offset;
    }
    int64_t offset = top;
    top += bytes;
    return offset;
  }
  void release(int64_t offset, int64_t bytes) {
    bytes = llvm::alignTo(bytes, kAlign);
    auto it = free.emplace(offset, bytes).first;
    auto next = std::next(it);
    if (next != free.end() && it->first + it->second == next->first) {
      it->second += next->second;
      free.erase(next);
    }
    if (it != free.begin()) {
      auto prev = std::prev(it);
      if (prev->first + prev->second == it->first) {
        prev->second += it->second;
        free.erase(it);
      }
    }
  }
  int64_t size() const { return top; }

private:
  std::map<int64_t, int64_t> free; // offset -> bytes
  int64_t top = 0;
};

/// Zero-element buffers of rank > 1 have no bare-pointer form in the LLVM
/// lowering; as arguments they become memref<0xT> (nothing is ever read or
/// written through them) and their uses see a local empty buffer.
static void simplifyEmptyArguments(func::FuncOp func) {
  Block &entry = func.getBody().front();
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<MemRefType>(arg.getType());
    if (!type || !type.hasStaticShape() || type.getNumElements() != 0 ||
        type.getRank() == 1)
      continue;
    OpBuilder b = OpBuilder::atBlockBegin(&entry);
    Value local = memref::AllocaOp::create(b, func.getLoc(), type);
    arg.replaceAllUsesWith(local);
    arg.setType(MemRefType::get({0}, type.getElementType()));
  }
  SmallVector<Type> inputs(entry.getArgumentTypes());
  func.setType(FunctionType::get(func.getContext(), inputs,
                                 func.getFunctionType().getResults()));
}

struct PlanWorkspacePass : qcc::impl::PlanWorkspaceBase<PlanWorkspacePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto func = module.lookupSymbol<func::FuncOp>("main");
    if (!func || func.isExternal())
      return;
    simplifyEmptyArguments(func);
    Block &entry = func.getBody().front();
    // Plan the top-level, statically shaped allocations in program order.
    Arena arena;
    SmallVector<std::pair<memref::AllocOp, int64_t>> placed;
    DenseMap<Value, std::pair<int64_t, int64_t>> live; // alloc -> offset, bytes
    SmallVector<memref::DeallocOp> deallocs;
    for (Operation &op : entry) {
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        MemRefType type = alloc.getType();
        if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
            !type.getElementType().isIntOrFloat())
          continue;
        int64_t bits = type.getElementType().isInteger(1)
                           ? 8
                           : type.getElementTypeBitWidth();
        int64_t bytes = std::max<int64_t>(1, type.getNumElements() * bits / 8);
        int64_t offset = arena.allocate(bytes);
        placed.push_back({alloc, offset});
        live[alloc.getResult()] = {offset, bytes};
      } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
        auto it = live.find(dealloc.getMemref());
        if (it == live.end())
          continue;
        arena.release(it->second.first, it->second.second);
        live.erase(it);
        deallocs.push_back(dealloc);
      }
    }
    int64_t size = arena.size();
    module->setAttr(
        "qcc.workspace_bytes",
        IntegerAttr::get(IntegerType::get(&getContext(), 64), size));
    if (placed.empty())
      return;
    // The workspace becomes main's last argument.
    auto wsType = MemRefType::get({size}, IntegerType::get(&getContext(), 8));
    unsigned index = func.getNumArguments();
    if (failed(func.insertArgument(index, wsType, {}, func.getLoc())))
      return signalPassFailure();
    Value ws = func.getArgument(index);
    for (auto [alloc, offset] : placed) {
      OpBuilder b(alloc);
      Value off = arith::ConstantIndexOp::create(b, alloc.getLoc(), offset);
      Value view = memref::ViewOp::create(b, alloc.getLoc(), alloc.getType(),
                                          ws, off, ValueRange{});
      alloc.replaceAllUsesWith(view);
      alloc.erase();
    }
    for (memref::DeallocOp d : deallocs)
      d.erase();
  }
};
} // namespace
