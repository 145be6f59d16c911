//===- CalibrationSet.h - calibration samples from disk ---------*- C++ -*-===//
#ifndef QCC_LIB_QUANTIZATION_CALIBRATIONSET_H
#define QCC_LIB_QUANTIZATION_CALIBRATIONSET_H

#include "qcc/Runtime/TensorIO.h"
#include "qcc/Target/ModelSignature.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace qcc {

/// The samples of a calibration (or evaluation) set, in one of two forms:
///
/// * a folder with one sub-folder per sample holding `<input>.npy` or
///   `input_<k>.pb` (ONNX's test-data layout), read one sample at a time; a
///   folder without sub-folders is one sample;
/// * a `.npz` archive with one array per input (named after it; a single
///   array may have any name for a single-input model) holding the samples
///   stacked: shape [N, *input shape], or [N * b, ...] for an input whose
///   first dim is b.
///
/// Every input's dtype and shape are checked against the model's signature.
class CalibrationSet {
public:
  /// `maxSamples` > 0 keeps only the first that many samples.
  static llvm::Expected<CalibrationSet>
  open(const std::string &path, const std::vector<TensorSignature> &inputs,
       int64_t maxSamples = 0);

  size_t size() const { return count; }
  /// Sample `index`'s inputs, in signature order.
  llvm::Error load(size_t index, std::vector<runtime::Tensor> &out) const;
  /// Every sample's inputs, for measurements that run the set many times.
  llvm::Expected<std::vector<std::vector<runtime::Tensor>>> loadAll() const;
  /// The sample's folder, or "<file>.npz[index]", for messages.
  std::string sampleName(size_t index) const;

private:
  static llvm::Expected<CalibrationSet>
  openAll(const std::string &path, const std::vector<TensorSignature> &inputs);

  std::string path;
  std::vector<TensorSignature> inputs;
  size_t count = 0;
  std::vector<std::string> folders;     // folder form
  std::vector<runtime::Tensor> stacked; // .npz form, per input
};

} // namespace qcc

#endif
