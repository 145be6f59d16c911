//===- ModelLoader.h - reading and validating ModelProto --------*- C++ -*-===//
#ifndef QCC_LIB_IMPORT_ONNX_MODELLOADER_H
#define QCC_LIB_IMPORT_ONNX_MODELLOADER_H

#include "qcc/Import/ONNX/ONNXImporter.h"

#include "llvm/ADT/DenseMap.h"

#include <memory>
#include <onnx/onnx_pb.h>

namespace qcc::onnx_import {

/// An open external data file, closed when the last tensor in it is read.
struct ExternalFile {
  ExternalFile(int fd, uint64_t size) : fd(fd), size(size) {}
  ~ExternalFile();
  int fd;
  uint64_t size;
};

/// Where a tensor's bytes are in external data (checked: inside the file,
/// exactly dims x dtype long).
struct ExternalTensor {
  std::shared_ptr<ExternalFile> file;
  uint64_t offset = 0, length = 0;
};

struct LoadedModel {
  std::unique_ptr<onnx::ModelProto> proto;
  /// The main graph's initializers in external data, left in place to be
  /// mapped. External data anywhere else was read into the model.
  llvm::DenseMap<const onnx::TensorProto *, ExternalTensor> external;
};

/// Reads `path` (size-limited), validates external data (reading it into
/// the model except for the main graph's initializers) and runs the ONNX
/// checker.
/// Reads the bytes of `ext` into `out` (ext.length bytes).
llvm::Error readExternalData(const ExternalTensor &ext, char *out,
                             llvm::StringRef what);

/// Reads every tensor left in external data into the model.
llvm::Error inlineExternalData(LoadedModel &loaded);

llvm::Expected<LoadedModel> loadModelFile(llvm::StringRef path,
                                          const ImportOptions &options);

/// Parses ONNX's textual syntax and runs the checker.
llvm::Expected<std::unique_ptr<onnx::ModelProto>>
parseModelText(llvm::StringRef text, llvm::StringRef displayName,
               const ImportOptions &options);

} // namespace qcc::onnx_import

#endif // QCC_LIB_IMPORT_ONNX_MODELLOADER_H
