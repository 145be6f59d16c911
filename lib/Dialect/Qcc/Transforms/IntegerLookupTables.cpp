//===- IntegerLookupTables.cpp - 8-bit nonlinearities as tables -----------===//
//
// QuantizeLinear(F(DequantizeLinear(x))), with F a DAG of elementwise float
// ops whose only varying input is that one dequantized 8-bit tensor, has
// 256 possible outputs: they are computed at compile time (in f32, as the
// float path computes them, then rounded half to even and saturated as
// QuantizeLinear does) into a qcc.lookup table. HardSwish, HardSigmoid,
// Sigmoid, Tanh, Gelu, Exp, Elu, ... and chains of them with constant
// scalar arithmetic become one integer gather.
//
//===----------------------------------------------------------------------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"
#include "qcc/Dialect/Qcc/Transforms/Passes.h"
#include "qcc/Dialect/Qcc/Transforms/QuantParams.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace qcc {
#define GEN_PASS_DEF_INTEGERLOOKUPTABLES
#include "qcc/Dialect/Qcc/Transforms/Passes.h.inc"
} // namespace qcc

using namespace mlir;
using namespace qcc;

/// Elementwise float ops a table can absorb.
static bool isChainOp(Operation *op) {
  return isa<ReluOp, SigmoidOp, TanhOp, ExpOp, ErfOp, NegOp, AbsOp, SoftplusOp,
             HardSwishOp, HardSigmoidOp, LeakyReluOp, EluOp, GeluOp, ClipOp,
             AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp>(op);
}

namespace {
/// Evaluates the float DAG above one DequantizeLinear for one input value.
class ChainEvaluator {
public:
  /// False when `root` is not such a DAG.
  bool analyze(Value root) { return visit(root); }
  DequantizeLinearOp leaf() const { return dq; }

  float eval(Value v, float leafValue) {
    if (v == dq.getOutput())
      return leafValue;
    if (auto it = constants.find(v); it != constants.end())
      return it->second;
    Operation *op = v.getDefiningOp();
    auto in = [&](unsigned i) { return eval(op->getOperand(i), leafValue); };
    return llvm::TypeSwitch<Operation *, float>(op)
        .Case([&](ReluOp) { return std::max(in(0), 0.0f); })
        .Case([&](SigmoidOp) { return 1.0f / (1.0f + std::exp(-in(0))); })
        .Case([&](TanhOp) { return std::tanh(in(0)); })
        .Case([&](ExpOp) { return std::exp(in(0)); })
        .Case([&](ErfOp) { return std::erf(in(0)); })
        .Case([&](NegOp) { return -in(0); })
        .Case([&](AbsOp) { return std::fabs(in(0)); })
        .Case([&](SoftplusOp) { return std::log1p(std::exp(in(0))); })
        .Case([&](HardSwishOp) {
          float x = in(0);
          return x * std::max(0.0f, std::min(1.0f, x / 6.0f + 0.5f));
        })
        .Case([&](HardSigmoidOp o) {
          float x = in(0);
          return std::max(0.0f,
                          std::min(1.0f, o.getAlpha().convertToFloat() * x +
                                             o.getBeta().convertToFloat()));
        })
        .Case([&](LeakyReluOp o) {
          float x = in(0);
          return x < 0 ? o.getAlpha().convertToFloat() * x : x;
        })
        .Case([&](EluOp o) {
          float x = in(0);
          return x < 0 ? o.getAlpha().convertToFloat() * (std::exp(x) - 1) : x;
        })
        .Case([&](GeluOp o) {
          float x = in(0);
          if (o.getApproximate() == "tanh")
            return 0.5f * x *
                   (1.0f +
                    std::tanh(0.7978845608f * (x + 0.044715f * x * x * x)));
          return 0.5f * x * (1.0f + std::erf(x * 0.70710678f));
        })
        .Case([&](ClipOp o) {
          float x = in(0);
          if (auto lo = o.getMin())
            x = std::max(x, (float)lo->convertToDouble());
          if (auto hi = o.getMax())
            x = std::min(x, (float)hi->convertToDouble());
          return x;
        })
        .Case([&](AddOp) { return in(0) + in(1); })
        .Case([&](SubOp) { return in(0) - in(1); })
        .Case([&](MulOp) { return in(0) * in(1); })
        .Case([&](DivOp) { return in(0) / in(1); })
        .Case([&](MaxOp) { return std::fmax(in(0), in(1)); })
        .Case([&](MinOp) { return std::fmin(in(0), in(1)); })
        .Default([](Operation *) { return NAN; });
  }

private:
  bool visit(Value v) {
    if (visited.count(v))
      return true;
    visited.insert(v);
    DenseFPElementsAttr c;
    if (matchPattern(v, m_Constant(&c)) && c.isSplat()) {
      constants[v] = c.getSplatValue<APFloat>().convertToFloat();
      return true;
    }
    Operation *op = v.getDefiningOp();
    if (!op)
      return false;
    if (auto d = dyn_cast<DequantizeLinearOp>(op)) {
      if (dq && dq != d)
        return false; // a second varying input
      dq = d;
      return true;
    }
    if (!isa<ReluOp, SigmoidOp, TanhOp, ExpOp, ErfOp, NegOp, AbsOp, SoftplusOp,
             HardSwishOp, HardSigmoidOp, LeakyReluOp, EluOp, GeluOp, ClipOp,
             AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp>(op))
      return false;
    auto type = cast<RankedTensorType>(v.getType());
    if (!type.getElementType().isF32())
      return false;
    for (Value operand : op->getOperands()) {
      if (!visit(operand))
        return false;
      // Only constants broadcast: varying operands have the result's shape.
      if (!constants.count(operand) &&
          cast<RankedTensorType>(operand.getType()).getShape() !=
              type.getShape())
        return false;
    }
    return true;
  }

  DequantizeLinearOp dq;
  DenseMap<Value, float> constants;
  DenseSet<Value> visited;
};
} // namespace

/// The value of a DAG over one dequantized tensor that float ops other
/// than QuantizeLinear read (a squeeze-and-excite gate's HardSigmoid
/// feeding a Mul) is quantized first, to uint8 over its exact range (the
/// least and largest of its 256 possible values, widened to include 0),
/// so that it becomes a table and its readers see a quantized value.
static bool quantizeChainOutput(Operation *op) {
  if (!isChainOp(op) || op->getNumResults() != 1)
    return false;
  Value v = op->getResult(0);
  ChainEvaluator chain;
  if (!chain.analyze(v) || !chain.leaf())
    return false;
  bool floatReaders = llvm::any_of(v.getUsers(), [&](Operation *user) {
    if (isa<QuantizeLinearOp>(user))
      return false;
    ChainEvaluator extended;
    return !(isChainOp(user) && extended.analyze(user->getResult(0)) &&
             extended.leaf() == chain.leaf());
  });
  if (!floatReaders)
    return false;
  DequantizeLinearOp dq = chain.leaf();
  auto inElem = dyn_cast<IntegerType>(
      cast<RankedTensorType>(dq.getInput().getType()).getElementType());
  auto in = perTensorParams(dq.getScale(), dq.getZeroPoint());
  if (!inElem || inElem.getWidth() != 8 || dq.getBlockSize() != 0 || !in)
    return false;
  float lo = 0, hi = 0;
  for (int i = 0; i < 256; ++i) {
    int64_t x = inElem.isUnsigned() ? i : i - 128;
    float value = chain.eval(v, (float)(x - in->zeroPoint) * (float)in->scale);
    if (!std::isfinite(value))
      return false;
    lo = std::min(lo, value);
    hi = std::max(hi, value);
  }
  float scale = hi > lo ? (hi - lo) / 255.0f : 1.0f;
  int64_t zp =
      std::clamp<int64_t>((int64_t)std::nearbyint(-lo / scale), 0, 255);
  OpBuilder b(op->getBlock(), std::next(op->getIterator()));
  Location loc = op->getLoc();
  auto scaleType = RankedTensorType::get({}, b.getF32Type());
  auto u8 = IntegerType::get(b.getContext(), 8, IntegerType::Unsigned);
  auto zpType = RankedTensorType::get({}, u8);
  Value s = ConstantOp::create(b, loc, scaleType,
                               DenseElementsAttr::get(scaleType, scale));
  Value z = ConstantOp::create(b, loc, zpType,
                               DenseElementsAttr::get(zpType, APInt(8, zp)));
  auto vType = cast<RankedTensorType>(v.getType());
  auto q = QuantizeLinearOp::create(
      b, loc, RankedTensorType::get(vType.getShape(), u8), v, s, z,
      b.getI64IntegerAttr(0), b.getI64IntegerAttr(0));
  auto back = DequantizeLinearOp::create(b, loc, vType, q.getResult(), s, z,
                                         b.getI64IntegerAttr(0),
                                         b.getI64IntegerAttr(0));
  v.replaceAllUsesExcept(back.getResult(), q);
  return true;
}

static LogicalResult rewrite(QuantizeLinearOp q) {
  auto outType = cast<RankedTensorType>(q.getType());
  auto outElem = dyn_cast<IntegerType>(outType.getElementType());
  if (q.getBlockSize() != 0 || !outElem || outElem.getWidth() != 8)
    return failure();
  ChainEvaluator chain;
  if (!chain.analyze(q.getInput()) || !chain.leaf())
    return failure();
  DequantizeLinearOp dq = chain.leaf();
  auto inType = cast<RankedTensorType>(dq.getInput().getType());
  auto inElem = dyn_cast<IntegerType>(inType.getElementType());
  if (dq.getBlockSize() != 0 || !inElem || inElem.getWidth() != 8 ||
      inType.getShape() != outType.getShape())
    return failure();
  auto in = perTensorParams(dq.getScale(), dq.getZeroPoint());
  auto out = perTensorParams(q.getScale(), q.getZeroPoint());
  if (!in || !out)
    return failure();
  // Q(DQ(x)) with other parameters requantizes 8-bit values (a MaxPool
  // output quantized for the next layer): a table too, exact as the float
  // form. With the same ones it is the identity qcc-sink-dequantize folds.
  if (q.getInput() == dq.getOutput() && in->scale == out->scale &&
      in->zeroPoint == out->zeroPoint && inType == outType)
    return failure();
  bool inUnsigned = inElem.isUnsigned();
  SmallVector<APInt> table;
  for (int i = 0; i < 256; ++i) {
    int64_t x = inUnsigned ? i : i - 128;
    float value =
        chain.eval(q.getInput(), (float)(x - in->zeroPoint) * (float)in->scale);
    if (std::isnan(value))
      return failure(); // saturation is ONNX's rule; NaN has none
    int64_t y = quantizeScalar(value, *out, outElem);
    table.push_back(APInt(8, (uint64_t)y, /*isSigned=*/true));
  }
  OpBuilder b(q);
  auto tableType = RankedTensorType::get({256}, outElem);
  Value t = ConstantOp::create(b, q.getLoc(), tableType,
                               DenseElementsAttr::get(tableType, table));
  Value r = LookupOp::create(b, q.getLoc(), outType, dq.getInput(), t);
  q.replaceAllUsesWith(r);
  q.erase();
  return success();
}

namespace {
struct IntegerLookupTablesPass
    : qcc::impl::IntegerLookupTablesBase<IntegerLookupTablesPass> {
  void runOnOperation() override {
    SmallVector<Operation *> chainOps;
    getOperation().walk([&](Operation *op) {
      if (isChainOp(op))
        chainOps.push_back(op);
    });
    for (Operation *op : chainOps)
      (void)quantizeChainOutput(op);
    forEachQuantize(getOperation(), rewrite);
  }
};
} // namespace
