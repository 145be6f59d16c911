//===- ONNXImporter.h - ONNX model to qcc graph -----------------*- C++ -*-===//
#ifndef QCC_IMPORT_ONNX_ONNXIMPORTER_H
#define QCC_IMPORT_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace qcc {

struct ImportOptions {
  /// Static shapes for inputs with dynamic dims, by input name.
  llvm::StringMap<std::vector<int64_t>> inputShapes;
  /// Graph inputs frozen to the contents of a tensor file (.npy or .pb), by
  /// name: they become constants and leave the compiled model's inputs.
  llvm::StringMap<std::string> boundInputs;
  /// Largest model file accepted (protobuf parsing limit).
  uint64_t maxModelBytes = 2ull << 30;
  /// Largest total size of external data read for one model.
  uint64_t maxExternalBytes = 64ull << 30;
  /// Initializers of at least this many bytes become resource weights
  /// (qcc/Dialect/Qcc/IR/Weights.h): mapped from external data, released
  /// once quantized.
  uint64_t resourceMinBytes = 1 << 20;
  /// Run the ONNX checker on the loaded model.
  bool runChecker = true;
};

/// Imports the model at `path` into a module holding `func.func @main` whose
/// arguments and results carry the ONNX names (`qcc.name`). Errors name the
/// file, the node (name, op type, domain, opset) and the reason.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importONNXFile(llvm::StringRef path, mlir::MLIRContext &ctx,
               const ImportOptions &options);

/// Imports a model written in ONNX's textual syntax (onnx/defs/parser.h).
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importONNXText(llvm::StringRef text, llvm::StringRef displayName,
               mlir::MLIRContext &ctx, const ImportOptions &options);

/// Parses `--bind-input` values: "NAME=FILE" (one per flag).
llvm::Error parseBoundInputs(llvm::ArrayRef<std::string> specs,
                             llvm::StringMap<std::string> &out);

/// Parses `--input-shape` values: "x=1x3x224x224,y=4x8" or one per flag.
llvm::Error parseInputShapes(llvm::ArrayRef<std::string> specs,
                             llvm::StringMap<std::vector<int64_t>> &out);

} // namespace qcc

#endif // QCC_IMPORT_ONNX_ONNXIMPORTER_H
