//===- TensorConversion.cpp - ONNX types and tensors to MLIR --------------===//
#include "TensorConversion.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Endian.h"

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

Expected<DenseElementsAttr> convertTensor(MLIRContext *ctx,
                                          const onnx::TensorProto &t,
                                          StringRef what) {
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
  auto type = RankedTensorType::get(shape, elem);
  size_t esize = storageBytes(elem);
  uint64_t needed = numel * esize;
  // Validate the stored size before allocating: dims are untrusted.
  if (t.has_raw_data()) {
    if (t.raw_data().size() != needed)
      return err("raw_data holds " + Twine(t.raw_data().size()) +
                 " bytes, dims x dtype need " + Twine(needed));
  } else {
    uint64_t stored = std::max<uint64_t>(
        {(uint64_t)t.float_data_size(), (uint64_t)t.int32_data_size(),
         (uint64_t)t.int64_data_size(), (uint64_t)t.double_data_size(),
         (uint64_t)t.uint64_data_size()});
    if (stored != numel)
      return err("holds " + Twine(stored) + " values, dims need " + Twine(numel));
  }
  std::vector<char> bytes(needed);
  if (t.has_raw_data()) {
    memcpy(bytes.data(), t.raw_data().data(), bytes.size());
  } else {
    auto check = [&](int n) -> Error {
      if ((uint64_t)n != numel)
        return err("holds " + Twine(n) + " values, dims need " + Twine(numel));
      return Error::success();
    };
    switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (Error e = check(t.float_data_size())) return std::move(e);
      memcpy(bytes.data(), t.float_data().data(), bytes.size());
      break;
    case onnx::TensorProto::DOUBLE:
      if (Error e = check(t.double_data_size())) return std::move(e);
      memcpy(bytes.data(), t.double_data().data(), bytes.size());
      break;
    case onnx::TensorProto::INT64:
      if (Error e = check(t.int64_data_size())) return std::move(e);
      memcpy(bytes.data(), t.int64_data().data(), bytes.size());
      break;
    case onnx::TensorProto::UINT32:
    case onnx::TensorProto::UINT64:
      if (Error e = check(t.uint64_data_size())) return std::move(e);
      for (uint64_t i = 0; i < numel; ++i) {
        uint64_t v = t.uint64_data((int)i);
        memcpy(bytes.data() + i * esize, &v, esize); // little endian
      }
      break;
    default: // int32_data holds every narrower type's bit pattern.
      if (Error e = check(t.int32_data_size())) return std::move(e);
      for (uint64_t i = 0; i < numel; ++i) {
        int32_t v = t.int32_data((int)i);
        if (elem.isInteger(1))
          v = v != 0;
        memcpy(bytes.data() + i * esize, &v, esize);
      }
    }
  }
  if (elem.isInteger(1)) {
    // DenseElementsAttr packs booleans as bits.
    SmallVector<bool> bits;
    for (char c : bytes)
      bits.push_back(c != 0);
    return DenseElementsAttr::get(type, bits);
  }
  bool detectedSplat = false;
  if (!DenseElementsAttr::isValidRawBuffer(type, ArrayRef<char>(bytes), detectedSplat))
    return err("invalid data buffer");
  return DenseElementsAttr::getFromRawBuffer(type, ArrayRef<char>(bytes));
}

} // namespace qcc::onnx_import
