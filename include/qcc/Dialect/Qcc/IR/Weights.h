//===- Weights.h - constant tensors held densely or as resources -*- C++ -*-===//
//
// qcc keeps a constant tensor in one of two attributes. Small constants
// (shapes, scalars, biases) are DenseElementsAttr, which folders and
// patterns read directly. Weights of at least ImportOptions::resourceMinBytes
// are DenseResourceElementsAttr: their bytes live in a blob of the builtin
// dialect's resource manager, mapped from the model's external data without
// a copy, and a blob no operation refers to any more is released
// (releaseUnusedWeights), which an attribute can never be. Whatever a pass
// computes from a resource weight is a resource again, so a model's output
// does not depend on where its weights were read from.
//
// Both forms are read here in DenseElementsAttr's raw layout: little endian,
// one byte per element narrower than 8 bits. Boolean tensors are never
// resources.
//
//===----------------------------------------------------------------------===//
#ifndef QCC_DIALECT_QCC_IR_WEIGHTS_H
#define QCC_DIALECT_QCC_IR_WEIGHTS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Value.h"

#include <cstring>
#include <functional>
#include <optional>
#include <vector>

namespace qcc {

/// The bytes of a constant tensor.
struct WeightData {
  mlir::ShapedType type;
  llvm::ArrayRef<char> raw;
  /// One element stands for all of them.
  bool splat = false;

  /// Element `i` reinterpreted as T (of the element's storage size).
  template <typename T> T at(int64_t i) const {
    T v;
    std::memcpy(&v, raw.data() + (splat ? 0 : i) * sizeof(T), sizeof(T));
    return v;
  }
};

/// The bytes of `attr` when it is a dense or resource elements attribute of
/// integers or floats whose blob is still held; nothing otherwise.
std::optional<WeightData> getWeightData(mlir::Attribute attr);

/// True for a DenseResourceElementsAttr.
bool isResourceWeight(mlir::Attribute attr);

/// `m_Constant` for weights: the value's constant attribute when it is dense
/// or a resource (with its bytes held), null otherwise.
mlir::ElementsAttr matchWeight(mlir::Value value);

/// Values of an integer or float constant as float or int64 in a
/// temporary vector (floats converted, integers sign- or zero-extended by
/// their signedness; signless is signed).
std::vector<float> weightFloats(mlir::ElementsAttr attr);
std::vector<int64_t> weightInts(mlir::ElementsAttr attr);

/// Bytes for a new constant, 64-byte aligned, handed to makeWeight without
/// a copy.
class WeightBuffer {
public:
  explicit WeightBuffer(size_t bytes);
  WeightBuffer(WeightBuffer &&other) noexcept;
  WeightBuffer &operator=(WeightBuffer &&other) noexcept;
  ~WeightBuffer();
  char *data() { return bytes; }
  size_t size() const { return length; }
  template <typename T> llvm::MutableArrayRef<T> as() {
    return {reinterpret_cast<T *>(bytes), length / sizeof(T)};
  }
  /// Gives up the allocation (to a resource blob's deleter).
  char *release();

private:
  char *bytes = nullptr;
  size_t length = 0;
};

/// A constant of `type` holding `buffer`: a resource when `resource` (its
/// blob named after `nameHint`), a DenseElementsAttr otherwise.
mlir::ElementsAttr makeWeight(mlir::ShapedType type, WeightBuffer &&buffer,
                              bool resource,
                              llvm::StringRef nameHint = "weight");

/// A resource over a read-only file mapping: `release` is called once no
/// attribute needs the bytes (when the blob is released or the context
/// ends).
mlir::ElementsAttr makeMappedWeight(mlir::ShapedType type,
                                    llvm::ArrayRef<char> bytes,
                                    size_t alignment,
                                    std::function<void()> release,
                                    llvm::StringRef nameHint);

/// Tells the kernel that `attr`'s bytes will not be read again soon: the
/// pages of a mapped weight leave the process's memory (they are read from
/// the file again if needed). Passes call it after computing a weight's
/// replacement; nothing happens for other attributes.
void doneReadingWeight(mlir::Attribute attr);
/// The same for a weight's bytes as getWeightData returned them.
void doneReadingWeight(llvm::ArrayRef<char> bytes);

/// `attr`'s bytes under another type of the same size (a reshape, or a
/// bitcast to another type of the same width). No copy for a resource.
mlir::ElementsAttr retypeWeight(mlir::ElementsAttr attr, mlir::ShapedType type);

/// Releases the bytes of every resource weight that no operation under
/// `root` refers to any more. Returns the bytes released.
uint64_t releaseUnusedWeights(mlir::Operation *root);

} // namespace qcc

#endif
