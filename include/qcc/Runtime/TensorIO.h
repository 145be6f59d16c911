//===- TensorIO.h - Tensor files for running compiled models ----*- C++ -*-===//
//
// Reading and writing the tensors fed to and produced by a compiled model:
// NumPy .npy files and ONNX TensorProto .pb files (the format of the ONNX
// backend test data sets), plus the tolerance comparison used by qcc-run.
//
// The project builds with -fno-exceptions, so every fallible function returns
// false (or an error in its result) and sets a message that names the file.
//
//===----------------------------------------------------------------------===//

#ifndef QCC_RUNTIME_TENSORIO_H
#define QCC_RUNTIME_TENSORIO_H

#include "qcc/Runtime/qcc_model.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace qcc::runtime {

/// A dense, row-major, little-endian tensor with an ABI dtype code
/// (QCC_DTYPE_*). Bool is one byte per element.
struct Tensor {
  int32_t dtype = 0;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;

  /// The product of the dimensions: 1 for rank 0.
  int64_t numElements() const;
};

/// Bytes per element of an ABI dtype, 0 when the dtype is not supported.
size_t elementSize(int32_t dtype);

/// A short name such as "float32" or "int8"; "dtype(N)" when unknown.
std::string dtypeName(int32_t dtype);

/// "[2,3]" for a shape, "[]" for rank 0.
std::string formatShape(const std::vector<int64_t> &shape);

/// The multi-index of a flat row-major index, formatted like formatShape.
std::string formatIndex(const std::vector<int64_t> &shape, int64_t flatIndex);

/// One element as text, exact for integers and round-trippable for floats.
std::string formatElement(const Tensor &tensor, int64_t flatIndex);

/// IEEE binary16 bits to float, including subnormals, infinities and NaN.
float halfToFloat(uint16_t bits);

/// bfloat16 bits to float (exact: bfloat16 is the top half of a float).
float bfloat16ToFloat(uint16_t bits);

/// Element `flatIndex` converted to double; the tensor must be numeric.
double elementAsDouble(const Tensor &tensor, int64_t flatIndex);

/// Parses an in-memory .npy file (format versions 1.0, 2.0 and 3.0).
bool parseNpy(const uint8_t *bytes, size_t size, Tensor &out,
              std::string &error);
/// Serializes to .npy (version 1.0, or 2.0 when the header needs it).
/// Fails for dtypes that NumPy has no standard spelling for (bfloat16).
bool serializeNpy(const Tensor &tensor, std::vector<uint8_t> &out,
                  std::string &error);

bool readNpy(const std::string &path, Tensor &out, std::string &error);
bool writeNpy(const std::string &path, const Tensor &tensor,
              std::string &error);

/// Parses a serialized onnx.TensorProto; `name`, when given, receives the
/// tensor's name. Tensors with external data or segments are rejected.
bool parseTensorProto(const uint8_t *bytes, size_t size, Tensor &out,
                      std::string &error, std::string *name = nullptr);
bool readTensorProto(const std::string &path, Tensor &out, std::string &error,
                     std::string *name = nullptr);

/// Reads a .npy or .pb file, chosen by extension.
bool loadTensor(const std::string &path, Tensor &out, std::string &error);

/// Reads a numpy `.npz` archive (np.savez, stored, or np.savez_compressed,
/// deflated; zip64 included) as (name without `.npy`, tensor) pairs in
/// archive order.
bool readNpz(const std::string &path,
             std::vector<std::pair<std::string, Tensor>> &out,
             std::string &error);

/// Reads a whole file; used by the readers above and by tests.
bool readFile(const std::string &path, std::vector<uint8_t> &out,
              std::string &error);

struct CompareResult {
  /// True when dtype and shape agree and every element is within tolerance.
  bool ok = false;
  /// Set when the tensors cannot be compared element-wise (dtype or shape
  /// differ); the counts below are then meaningless.
  std::string error;
  int64_t numElements = 0;
  int64_t numMismatches = 0;
  /// The mismatching element with the largest absolute error (NaN against a
  /// number and unmatched infinities count as infinite); -1 when none.
  int64_t worstIndex = -1;
  double worstExpected = 0;
  double worstGot = 0;
  /// The largest finite |got - expected| over all elements whose values are
  /// both finite; 0 for an empty tensor.
  double maxAbsError = 0;
};

/// Compares `got` against `expected`. Floating-point elements match when
/// |got - expected| <= atol + rtol * |expected|, NaN matches NaN and an
/// infinity matches only the same infinity; float16 and bfloat16 are compared
/// after conversion to float. Integer and bool elements must be equal.
CompareResult compareTensors(const Tensor &expected, const Tensor &got,
                             double rtol, double atol);

} // namespace qcc::runtime

#endif // QCC_RUNTIME_TENSORIO_H
