//===- ModelLoader.h - reading and validating ModelProto --------*- C++ -*-===//
#ifndef QCC_LIB_IMPORT_ONNX_MODELLOADER_H
#define QCC_LIB_IMPORT_ONNX_MODELLOADER_H

#include "qcc/Import/ONNX/ONNXImporter.h"

#include <memory>
#include <onnx/onnx_pb.h>

namespace qcc::onnx_import {

/// Reads `path` (size-limited), inlines external data safely and runs the
/// ONNX checker.
llvm::Expected<std::unique_ptr<onnx::ModelProto>>
loadModelFile(llvm::StringRef path, const ImportOptions &options);

/// Parses ONNX's textual syntax and runs the checker.
llvm::Expected<std::unique_ptr<onnx::ModelProto>>
parseModelText(llvm::StringRef text, llvm::StringRef displayName,
               const ImportOptions &options);

} // namespace qcc::onnx_import

#endif // QCC_LIB_IMPORT_ONNX_MODELLOADER_H
