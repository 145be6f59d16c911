//===- Overrides.cpp - per-layer quantization rules -----------------------===//
#include "qcc/Quantization/Overrides.h"

#include "qcc/Dialect/Qcc/IR/QccOps.h"

#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Regex.h"

using namespace mlir;
using namespace llvm;
using namespace qcc;

static Error fail(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

static constexpr StringLiteral kLayerOps[] = {"Conv", "ConvTranspose", "MatMul",
                                              "Gemm"};

StringRef qcc::layerOpType(Operation *op) {
  return llvm::TypeSwitch<Operation *, StringRef>(op)
      .Case([](ConvOp) { return "Conv"; })
      .Case([](ConvTransposeOp) { return "ConvTranspose"; })
      .Case([](MatMulOp) { return "MatMul"; })
      .Case([](GemmOp) { return "Gemm"; })
      .Default([](Operation *) { return ""; });
}

std::string qcc::layerNodeName(Operation *op) {
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc);
      fused && !fused.getLocations().empty())
    loc = fused.getLocations().front();
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().str();
  return "";
}

std::vector<QuantRule> qcc::excludeRules(ArrayRef<std::string> entries) {
  std::vector<QuantRule> rules;
  for (const std::string &e : entries) {
    QuantRule r;
    if (llvm::is_contained(kLayerOps, e))
      r.op = e;
    else
      r.name = Regex::escape(e);
    r.keepFloat = true;
    r.origin = "--exclude=" + e;
    rules.push_back(r);
  }
  return rules;
}

Expected<std::vector<QuantRule>> qcc::parseRulesFile(StringRef path) {
  auto buffer = MemoryBuffer::getFile(path);
  if (!buffer)
    return fail(path + ": " + buffer.getError().message());
  Expected<json::Value> root = json::parse((*buffer)->getBuffer());
  if (!root)
    return fail(path + ": not valid JSON: " + toString(root.takeError()));
  const json::Object *obj = root->getAsObject();
  const json::Array *list = obj ? obj->getArray("rules") : nullptr;
  if (!list)
    return fail(path + ": expected {\"rules\": [...]}");
  std::vector<QuantRule> rules;
  for (auto [i, value] : llvm::enumerate(*list)) {
    std::string where = (path + ": rule " + Twine(i)).str();
    const json::Object *r = value.getAsObject();
    if (!r)
      return fail(where + ": not an object");
    QuantRule rule;
    rule.origin = where;
    for (const auto &[key, v] : *r) {
      StringRef k = key;
      auto integer = [&](std::optional<int64_t> &out, int64_t lo,
                         int64_t hi) -> Error {
        std::optional<int64_t> n = v.getAsInteger();
        if (!n || *n < lo || *n > hi)
          return fail(where + ": '" + k + "' must be an integer in [" +
                      Twine(lo) + ", " + Twine(hi) + "]");
        out = n;
        return Error::success();
      };
      if (k == "name" || k == "op") {
        std::optional<StringRef> s = v.getAsString();
        if (!s)
          return fail(where + ": '" + k + "' must be a string");
        (k == "name" ? rule.name : rule.op) = s->str();
      } else if (k == "quant") {
        std::optional<StringRef> s = v.getAsString();
        if (!s || *s != "float")
          return fail(where + ": 'quant' can only be \"float\" (keep the "
                              "layer unquantized)");
        rule.keepFloat = true;
      } else if (k == "weight_bits") {
        if (Error e = integer(rule.weightBits, 2, 8))
          return std::move(e);
      } else if (k == "group_size") {
        if (Error e = integer(rule.groupSize, 0, INT32_MAX))
          return std::move(e);
      } else if (k == "symmetric") {
        std::optional<bool> b = v.getAsBoolean();
        if (!b)
          return fail(where + ": 'symmetric' must be true or false");
        rule.symmetric = b;
      } else {
        return fail(where + ": unknown key '" + k +
                    "' (expected name, op, quant, weight_bits, group_size, "
                    "symmetric)");
      }
    }
    if (!rule.op.empty() && !llvm::is_contained(kLayerOps, rule.op))
      return fail(where + ": op '" + rule.op +
                  "' is not a quantizable layer (Conv, ConvTranspose, "
                  "MatMul, Gemm)");
    std::string error;
    if (!rule.name.empty() && !Regex(rule.name).isValid(error))
      return fail(where + ": bad regular expression '" + rule.name +
                  "': " + error);
    rules.push_back(rule);
  }
  return rules;
}

Error qcc::applyRules(ModuleOp module, ArrayRef<QuantRule> rules) {
  for (const QuantRule &rule : rules) {
    Regex name("^(" + (rule.name.empty() ? std::string(".*") : rule.name) +
               ")$");
    unsigned matched = 0;
    module.walk([&](Operation *op) {
      StringRef type = layerOpType(op);
      if (type.empty() || (!rule.op.empty() && rule.op != type) ||
          !name.match(layerNodeName(op)))
        return;
      ++matched;
      Builder b(op->getContext());
      if (rule.keepFloat)
        op->setAttr("qcc.quant", b.getStringAttr("float"));
      if (rule.weightBits)
        op->setAttr("qcc.weight_bits", b.getI64IntegerAttr(*rule.weightBits));
      if (rule.groupSize)
        op->setAttr("qcc.group_size", b.getI64IntegerAttr(*rule.groupSize));
      if (rule.symmetric)
        op->setAttr("qcc.symmetric", b.getBoolAttr(*rule.symmetric));
    });
    if (!matched)
      return fail(rule.origin + ": matches no layer of the model (layers "
                                "are Conv, ConvTranspose, MatMul and Gemm "
                                "nodes, by node name)");
  }
  return Error::success();
}
