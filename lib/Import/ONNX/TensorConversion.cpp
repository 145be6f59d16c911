//===- TensorConversion.cpp - ONNX types and tensors to MLIR --------------===//
#include "TensorConversion.h"
#include "ModelLoader.h"

#include "qcc/Dialect/Qcc/IR/Weights.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Endian.h"

#include <sys/mman.h>
#include <unistd.h>

using namespace mlir;
using namespace llvm;

namespace qcc::onnx_import {

Type convertDataType(MLIRContext *ctx, int32_t dataType) {
  Builder b(ctx);
  switch (dataType) {
  case onnx::TensorProto::FLOAT: return b.getF32Type();
  case onnx::TensorProto::DOUBLE: return b.getF64Type();
  case onnx::TensorProto::FLOAT16: return b.getF16Type();
  case onnx::TensorProto::BFLOAT16: return b.getBF16Type();
  case onnx::TensorProto::BOOL: return b.getI1Type();
  case onnx::TensorProto::INT8: return b.getIntegerType(8);
  case onnx::TensorProto::INT16: return b.getIntegerType(16);
  case onnx::TensorProto::INT32: return b.getIntegerType(32);
  case onnx::TensorProto::INT64: return b.getIntegerType(64);
  case onnx::TensorProto::UINT8: return b.getIntegerType(8, false);
  case onnx::TensorProto::UINT16: return b.getIntegerType(16, false);
  case onnx::TensorProto::UINT32: return b.getIntegerType(32, false);
  case onnx::TensorProto::UINT64: return b.getIntegerType(64, false);
  default: return {};
  }
}

StringRef dataTypeName(int32_t dataType) {
  return onnx::TensorProto::DataType_Name(
      static_cast<onnx::TensorProto::DataType>(dataType));
}

/// Bytes of each element as stored in DenseElementsAttr raw buffers.
static size_t storageBytes(Type t) {
  if (t.isInteger(1))
    return 1;
  return (t.getIntOrFloatBitWidth() + 7) / 8;
}

namespace {
/// A tensor's type and size, checked against what the proto holds.
struct Layout {
  RankedTensorType type;
  uint64_t numel = 0, bytes = 0;
};
} // namespace

static Expected<Layout> layoutOf(MLIRContext *ctx, const onnx::TensorProto &t,
                                 bool external, StringRef what) {
  auto err = [&](const Twine &msg) {
    return createStringError(inconvertibleErrorCode(), what + ": " + msg);
  };
  Type elem = convertDataType(ctx, t.data_type());
  if (!elem)
    return err("unsupported data type " + dataTypeName(t.data_type()));
  SmallVector<int64_t> shape;
  uint64_t numel = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || (d && numel > (uint64_t(1) << 40) / (uint64_t)d))
      return err("absurd dims");
    shape.push_back(d);
    numel *= d;
  }
  Layout layout{RankedTensorType::get(shape, elem), numel,
                numel * storageBytes(elem)};
  if (external)
    return layout; // The loader checked the length.
  // Validate the stored size before allocating: dims are untrusted.
  if (t.has_raw_data()) {
    if (t.raw_data().size() != layout.bytes)
      return err("raw_data holds " + Twine(t.raw_data().size()) +
                 " bytes, dims x dtype need " + Twine(layout.bytes));
    return layout;
  }
  uint64_t stored;
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT: stored = t.float_data_size(); break;
  case onnx::TensorProto::DOUBLE: stored = t.double_data_size(); break;
  case onnx::TensorProto::INT64: stored = t.int64_data_size(); break;
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64: stored = t.uint64_data_size(); break;
  default: stored = t.int32_data_size(); // Every narrower type's bits.
  }
  if (stored != numel)
    return err("holds " + Twine(stored) + " values, dims need " + Twine(numel));
  return layout;
}

/// The tensor's values in DenseElementsAttr's raw layout (booleans one per
/// byte) from raw_data or the typed fields layoutOf checked.
static void copyValues(const onnx::TensorProto &t, const Layout &layout,
                       char *out) {
  if (t.has_raw_data()) {
    memcpy(out, t.raw_data().data(), layout.bytes);
    return;
  }
  Type elem = layout.type.getElementType();
  size_t esize = storageBytes(elem);
  uint64_t numel = layout.numel;
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT:
    memcpy(out, t.float_data().data(), layout.bytes);
    break;
  case onnx::TensorProto::DOUBLE:
    memcpy(out, t.double_data().data(), layout.bytes);
    break;
  case onnx::TensorProto::INT64:
    memcpy(out, t.int64_data().data(), layout.bytes);
    break;
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    for (uint64_t i = 0; i < numel; ++i) {
      uint64_t v = t.uint64_data((int)i);
      memcpy(out + i * esize, &v, esize); // little endian
    }
    break;
  default:
    for (uint64_t i = 0; i < numel; ++i) {
      int32_t v = t.int32_data((int)i);
      if (elem.isInteger(1))
        v = v != 0;
      memcpy(out + i * esize, &v, esize);
    }
  }
}

static Expected<DenseElementsAttr> denseFrom(const Layout &layout,
                                             ArrayRef<char> bytes,
                                             StringRef what) {
  if (layout.type.getElementType().isInteger(1)) {
    // DenseElementsAttr packs booleans as bits.
    SmallVector<bool> bits;
    for (char c : bytes)
      bits.push_back(c != 0);
    return DenseElementsAttr::get(layout.type, bits);
  }
  bool detectedSplat = false;
  if (!DenseElementsAttr::isValidRawBuffer(layout.type, bytes, detectedSplat))
    return createStringError(inconvertibleErrorCode(),
                             what + ": invalid data buffer");
  return DenseElementsAttr::getFromRawBuffer(layout.type, bytes);
}

Expected<DenseElementsAttr> convertTensor(MLIRContext *ctx,
                                          const onnx::TensorProto &t,
                                          StringRef what) {
  auto layout = layoutOf(ctx, t, /*external=*/false, what);
  if (!layout)
    return layout.takeError();
  std::vector<char> bytes(layout->bytes);
  copyValues(t, *layout, bytes.data());
  return denseFrom(*layout, bytes, what);
}

/// Maps `ext` read-only: the bytes stay in the page cache, shared with
/// every other reader of the file, until the weight is released.
static ElementsAttr mapExternal(MLIRContext *ctx, const Layout &layout,
                                const ExternalTensor &ext, StringRef name) {
  static const uint64_t page = ::sysconf(_SC_PAGESIZE);
  uint64_t start = ext.offset / page * page;
  size_t span = ext.offset - start + ext.length;
  void *base = ::mmap(nullptr, span, PROT_READ, MAP_PRIVATE, ext.file->fd,
                      (off_t)start);
  if (base == MAP_FAILED)
    return {};
  ArrayRef<char> bytes(static_cast<const char *>(base) + (ext.offset - start),
                       ext.length);
  size_t esize = storageBytes(layout.type.getElementType());
  return makeMappedWeight(layout.type, bytes, esize,
                          [base, span] { ::munmap(base, span); }, name);
}

Expected<ElementsAttr> convertInitializer(MLIRContext *ctx,
                                          const onnx::TensorProto &t,
                                          const ExternalTensor *ext,
                                          uint64_t resourceMinBytes,
                                          StringRef what) {
  auto layout = layoutOf(ctx, t, ext != nullptr, what);
  if (!layout)
    return layout.takeError();
  Type elem = layout->type.getElementType();
  bool resource = !elem.isInteger(1) && layout->bytes >= resourceMinBytes &&
                  layout->numel > 0;
  if (resource && ext && ext->offset % storageBytes(elem) == 0)
    if (ElementsAttr mapped = mapExternal(ctx, *layout, *ext, t.name()))
      return mapped;
  WeightBuffer buffer(layout->bytes);
  if (ext) {
    if (Error e = readExternalData(*ext, buffer.data(), what))
      return std::move(e);
  } else {
    copyValues(t, *layout, buffer.data());
  }
  if (resource)
    return makeWeight(layout->type, std::move(buffer), true, t.name());
  auto dense = denseFrom(*layout, ArrayRef<char>(buffer.data(), buffer.size()),
                         what);
  if (!dense)
    return dense.takeError();
  return ElementsAttr(*dense);
}

} // namespace qcc::onnx_import
