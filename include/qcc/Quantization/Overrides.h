//===- Overrides.h - per-layer quantization rules ---------------*- C++ -*-===//
#ifndef QCC_QUANTIZATION_OVERRIDES_H
#define QCC_QUANTIZATION_OVERRIDES_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace qcc {

/// One rule: layers (Conv, ConvTranspose, MatMul, Gemm) whose node name
/// fully matches `name` (a regular expression) and whose ONNX op type is
/// `op` (either may be empty: any) get the settings that are set.
struct QuantRule {
  std::string name, op;
  bool keepFloat = false;
  std::optional<int64_t> weightBits, groupSize;
  std::optional<bool> symmetric;
  std::string origin; ///< "--exclude=X" or "FILE: rule 2", for messages
};

/// `--exclude` entries: an ONNX op type (Conv, ConvTranspose, MatMul, Gemm)
/// or an exact node name each, kept in float.
std::vector<QuantRule> excludeRules(llvm::ArrayRef<std::string> entries);

/// A JSON rules file (`--quant-config`):
///   {"rules": [{"name": "regex", "op": "Conv", "quant": "float"},
///              {"op": "MatMul", "weight_bits": 8, "group_size": 64,
///               "symmetric": true}]}
/// Unknown keys, bad regular expressions and out-of-range values are errors.
llvm::Expected<std::vector<QuantRule>> parseRulesFile(llvm::StringRef path);

/// Annotates the layers of `module` (later rules win). A rule that matches
/// no layer is an error: a misspelt name must not silently quantize.
llvm::Error applyRules(mlir::ModuleOp module, llvm::ArrayRef<QuantRule> rules);

/// The ONNX op type of a layer op ("" for others) and its node name.
llvm::StringRef layerOpType(mlir::Operation *op);
std::string layerNodeName(mlir::Operation *op);

} // namespace qcc

#endif
