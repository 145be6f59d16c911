//===- TensorIO.cpp - Tensor files for running compiled models ------------===//
//
// .npy format:
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
// TensorProto: onnx/onnx.proto (the ONNX backend test data sets use it).
//
//===----------------------------------------------------------------------===//

#include "qcc/Runtime/TensorIO.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <sys/stat.h>

using namespace qcc::runtime;

// Buffers are copied to and from files byte for byte; both formats (and the
// compiled-model ABI) are little endian.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "TensorIO assumes a little-endian host");

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

int64_t Tensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

size_t qcc::runtime::elementSize(int32_t dtype) {
  return qcc_dtype_size(dtype);
}

std::string qcc::runtime::dtypeName(int32_t dtype) {
  switch (dtype) {
  case QCC_DTYPE_FLOAT:
    return "float32";
  case QCC_DTYPE_UINT8:
    return "uint8";
  case QCC_DTYPE_INT8:
    return "int8";
  case QCC_DTYPE_UINT16:
    return "uint16";
  case QCC_DTYPE_INT16:
    return "int16";
  case QCC_DTYPE_INT32:
    return "int32";
  case QCC_DTYPE_INT64:
    return "int64";
  case QCC_DTYPE_BOOL:
    return "bool";
  case QCC_DTYPE_FLOAT16:
    return "float16";
  case QCC_DTYPE_DOUBLE:
    return "float64";
  case QCC_DTYPE_UINT32:
    return "uint32";
  case QCC_DTYPE_UINT64:
    return "uint64";
  case QCC_DTYPE_BFLOAT16:
    return "bfloat16";
  default:
    return "dtype(" + std::to_string(dtype) + ")";
  }
}

static bool isFloatType(int32_t dtype) {
  return dtype == QCC_DTYPE_FLOAT || dtype == QCC_DTYPE_DOUBLE ||
         dtype == QCC_DTYPE_FLOAT16 || dtype == QCC_DTYPE_BFLOAT16;
}

std::string qcc::runtime::formatShape(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::string qcc::runtime::formatIndex(const std::vector<int64_t> &shape,
                                      int64_t flatIndex) {
  std::vector<int64_t> index(shape.size());
  for (size_t i = shape.size(); i-- > 0;) {
    if (shape[i] > 0) {
      index[i] = flatIndex % shape[i];
      flatIndex /= shape[i];
    }
  }
  return formatShape(index);
}

float qcc::runtime::halfToFloat(uint16_t bits) {
  uint32_t sign = uint32_t(bits & 0x8000) << 16;
  uint32_t exponent = (bits >> 10) & 0x1f;
  uint32_t mantissa = bits & 0x3ff;
  uint32_t out;
  if (exponent == 0x1f) {
    // Infinity or NaN; the NaN payload is kept.
    out = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {
    // Normal: rebias the exponent from 15 to 127.
    out = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    out = sign;
  } else {
    // Subnormal (mantissa * 2^-24): normal in float, so shift the leading
    // one into the implicit bit position and lower the exponent to match.
    exponent = 113;
    while (!(mantissa & 0x400)) {
      mantissa <<= 1;
      --exponent;
    }
    out = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
  }
  float f;
  std::memcpy(&f, &out, sizeof(f));
  return f;
}

float qcc::runtime::bfloat16ToFloat(uint16_t bits) {
  uint32_t out = uint32_t(bits) << 16;
  float f;
  std::memcpy(&f, &out, sizeof(f));
  return f;
}

template <typename T> static T load(const Tensor &tensor, int64_t flatIndex) {
  T value;
  std::memcpy(&value, tensor.data.data() + flatIndex * sizeof(T), sizeof(T));
  return value;
}

double qcc::runtime::elementAsDouble(const Tensor &tensor, int64_t flatIndex) {
  switch (tensor.dtype) {
  case QCC_DTYPE_FLOAT:
    return load<float>(tensor, flatIndex);
  case QCC_DTYPE_DOUBLE:
    return load<double>(tensor, flatIndex);
  case QCC_DTYPE_FLOAT16:
    return halfToFloat(load<uint16_t>(tensor, flatIndex));
  case QCC_DTYPE_BFLOAT16:
    return bfloat16ToFloat(load<uint16_t>(tensor, flatIndex));
  case QCC_DTYPE_UINT8:
    return load<uint8_t>(tensor, flatIndex);
  case QCC_DTYPE_INT8:
    return load<int8_t>(tensor, flatIndex);
  case QCC_DTYPE_BOOL:
    return load<uint8_t>(tensor, flatIndex) != 0;
  case QCC_DTYPE_UINT16:
    return load<uint16_t>(tensor, flatIndex);
  case QCC_DTYPE_INT16:
    return load<int16_t>(tensor, flatIndex);
  case QCC_DTYPE_INT32:
    return load<int32_t>(tensor, flatIndex);
  case QCC_DTYPE_UINT32:
    return load<uint32_t>(tensor, flatIndex);
  case QCC_DTYPE_INT64:
    return double(load<int64_t>(tensor, flatIndex));
  case QCC_DTYPE_UINT64:
    return double(load<uint64_t>(tensor, flatIndex));
  default:
    return std::nan("");
  }
}

std::string qcc::runtime::formatElement(const Tensor &tensor,
                                        int64_t flatIndex) {
  char buf[64];
  switch (tensor.dtype) {
  case QCC_DTYPE_FLOAT:
    std::snprintf(buf, sizeof(buf), "%.9g", load<float>(tensor, flatIndex));
    return buf;
  case QCC_DTYPE_DOUBLE:
    std::snprintf(buf, sizeof(buf), "%.17g", load<double>(tensor, flatIndex));
    return buf;
  case QCC_DTYPE_FLOAT16:
  case QCC_DTYPE_BFLOAT16:
    std::snprintf(buf, sizeof(buf), "%.6g", elementAsDouble(tensor, flatIndex));
    return buf;
  case QCC_DTYPE_BOOL:
    return load<uint8_t>(tensor, flatIndex) ? "true" : "false";
  case QCC_DTYPE_UINT8:
    return std::to_string(load<uint8_t>(tensor, flatIndex));
  case QCC_DTYPE_INT8:
    return std::to_string(load<int8_t>(tensor, flatIndex));
  case QCC_DTYPE_UINT16:
    return std::to_string(load<uint16_t>(tensor, flatIndex));
  case QCC_DTYPE_INT16:
    return std::to_string(load<int16_t>(tensor, flatIndex));
  case QCC_DTYPE_INT32:
    return std::to_string(load<int32_t>(tensor, flatIndex));
  case QCC_DTYPE_UINT32:
    return std::to_string(load<uint32_t>(tensor, flatIndex));
  case QCC_DTYPE_INT64:
    return std::to_string(load<int64_t>(tensor, flatIndex));
  case QCC_DTYPE_UINT64:
    return std::to_string(load<uint64_t>(tensor, flatIndex));
  default:
    return "?";
  }
}

/// The byte size of a tensor of `shape` and `elemSize`, or false when a
/// dimension is negative or the size does not fit in int64.
static bool byteSize(const std::vector<int64_t> &shape, size_t elemSize,
                     uint64_t &bytes) {
  uint64_t n = elemSize;
  bool zero = false;
  uint64_t limit = uint64_t(std::numeric_limits<int64_t>::max());
  for (int64_t d : shape) {
    if (d < 0)
      return false;
    if (d == 0)
      zero = true;
    else if (!zero && n > limit / uint64_t(d))
      return false;
    else if (!zero)
      n *= uint64_t(d);
  }
  bytes = zero ? 0 : n;
  return true;
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

bool qcc::runtime::readFile(const std::string &path, std::vector<uint8_t> &out,
                            std::string &error) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    error = path + ": not a regular file";
    return false;
  }
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  out.resize(size_t(st.st_size));
  size_t got = out.empty() ? 0 : std::fread(out.data(), 1, out.size(), f);
  bool failed = std::ferror(f);
  std::fclose(f);
  if (failed || got != out.size()) {
    error = path + ": read error";
    return false;
  }
  return true;
}

static bool writeFile(const std::string &path, const std::vector<uint8_t> &data,
                      std::string &error) {
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  size_t put = data.empty() ? 0 : std::fwrite(data.data(), 1, data.size(), f);
  bool failed = put != data.size();
  if (std::fclose(f) != 0)
    failed = true;
  if (failed) {
    error = path + ": write error: " + std::strerror(errno);
    return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

static const char kNpyMagic[] = "\x93NUMPY";
static constexpr size_t kNpyMagicSize = 6;

namespace {
/// A parser for the header of a .npy file: a Python dict literal such as
/// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class NpyHeaderParser {
public:
  NpyHeaderParser(const char *begin, const char *end) : p(begin), end(end) {}

  bool parse(std::string &descr, bool &fortranOrder,
             std::vector<int64_t> &shape, std::string &error) {
    bool haveDescr = false, haveOrder = false, haveShape = false;
    skipSpace();
    if (!consume('{'))
      return fail("expected '{'", error);
    while (true) {
      skipSpace();
      if (consume('}'))
        break;
      std::string key;
      if (!parseString(key, error))
        return false;
      skipSpace();
      if (!consume(':'))
        return fail("expected ':' after '" + key + "'", error);
      skipSpace();
      if (key == "descr") {
        if (p < end && *p == '[')
          return fail("structured dtypes are not supported", error);
        if (!parseString(descr, error))
          return false;
        haveDescr = true;
      } else if (key == "fortran_order") {
        if (!parseBool(fortranOrder, error))
          return false;
        haveOrder = true;
      } else if (key == "shape") {
        if (!parseShape(shape, error))
          return false;
        haveShape = true;
      } else {
        return fail("unexpected key '" + key + "'", error);
      }
      skipSpace();
      if (consume(','))
        continue;
      skipSpace();
      if (consume('}'))
        break;
      return fail("expected ',' or '}'", error);
    }
    skipSpace();
    if (p != end)
      return fail("unexpected text after the dictionary", error);
    if (!haveDescr || !haveOrder || !haveShape)
      return fail("missing 'descr', 'fortran_order' or 'shape'", error);
    return true;
  }

private:
  const char *p;
  const char *end;

  bool fail(const std::string &message, std::string &error) {
    error = "bad .npy header: " + message;
    return false;
  }
  // Padding is spaces and a final newline; NUL bytes were once used too.
  void skipSpace() {
    while (p < end &&
           (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\0'))
      ++p;
  }
  bool consume(char c) {
    if (p < end && *p == c) {
      ++p;
      return true;
    }
    return false;
  }
  bool parseString(std::string &out, std::string &error) {
    if (p >= end || (*p != '\'' && *p != '"'))
      return fail("expected a string", error);
    char quote = *p++;
    const char *start = p;
    while (p < end && *p != quote && *p != '\\')
      ++p;
    if (p >= end || *p != quote)
      return fail("unterminated or escaped string", error);
    out.assign(start, p);
    ++p;
    return true;
  }
  bool parseBool(bool &out, std::string &error) {
    auto match = [&](const char *word) {
      size_t n = std::strlen(word);
      if (size_t(end - p) >= n && std::memcmp(p, word, n) == 0) {
        p += n;
        return true;
      }
      return false;
    };
    if (match("True"))
      out = true;
    else if (match("False"))
      out = false;
    else
      return fail("expected True or False", error);
    return true;
  }
  bool parseShape(std::vector<int64_t> &shape, std::string &error) {
    shape.clear();
    if (!consume('('))
      return fail("expected '(' for the shape", error);
    while (true) {
      skipSpace();
      if (consume(')'))
        return true;
      if (p >= end || *p < '0' || *p > '9')
        return fail("expected a non-negative dimension", error);
      int64_t d = 0;
      while (p < end && *p >= '0' && *p <= '9') {
        int digit = *p++ - '0';
        if (d > (std::numeric_limits<int64_t>::max() - digit) / 10)
          return fail("dimension too large", error);
        d = d * 10 + digit;
      }
      consume('L'); // Python 2 long literal.
      shape.push_back(d);
      skipSpace();
      if (consume(','))
        continue;
      if (consume(')'))
        return true;
      return fail("expected ',' or ')' in the shape", error);
    }
  }
};
} // namespace

/// Maps a NumPy dtype descriptor ('<f4', '|u1', ...) to an ABI dtype.
static bool dtypeFromDescr(const std::string &descr, int32_t &dtype,
                           std::string &error) {
  if (descr.size() < 3) {
    error = "unsupported .npy dtype '" + descr + "'";
    return false;
  }
  char order = descr[0];
  std::string kind = descr.substr(1);
  static const struct {
    const char *kind;
    int32_t dtype;
  } kinds[] = {{"f4", QCC_DTYPE_FLOAT},   {"f8", QCC_DTYPE_DOUBLE},
               {"f2", QCC_DTYPE_FLOAT16}, {"i1", QCC_DTYPE_INT8},
               {"u1", QCC_DTYPE_UINT8},   {"i2", QCC_DTYPE_INT16},
               {"u2", QCC_DTYPE_UINT16},  {"i4", QCC_DTYPE_INT32},
               {"u4", QCC_DTYPE_UINT32},  {"i8", QCC_DTYPE_INT64},
               {"u8", QCC_DTYPE_UINT64},  {"b1", QCC_DTYPE_BOOL}};
  dtype = 0;
  for (const auto &k : kinds)
    if (kind == k.kind)
      dtype = k.dtype;
  if (dtype == 0) {
    error = "unsupported .npy dtype '" + descr +
            "' (supported: f2 f4 f8 i1 u1 i2 u2 i4 u4 i8 u8 b1)";
    return false;
  }
  // Byte order is irrelevant for one-byte types, which NumPy writes as '|'.
  bool oneByte = elementSize(dtype) == 1;
  if (order == '<' || order == '=' ||
      (oneByte && (order == '|' || order == '>')))
    return true;
  if (order == '>')
    error = "big-endian .npy data ('" + descr +
            "') is not supported; convert with "
            "a.astype(a.dtype.newbyteorder('<'))";
  else
    error = "bad byte order in .npy dtype '" + descr + "'";
  return false;
}

bool qcc::runtime::parseNpy(const uint8_t *bytes, size_t size, Tensor &out,
                            std::string &error) {
  if (size < kNpyMagicSize + 4 ||
      std::memcmp(bytes, kNpyMagic, kNpyMagicSize) != 0) {
    error = "not a .npy file (bad magic)";
    return false;
  }
  uint8_t major = bytes[6], minor = bytes[7];
  size_t headerLen, prefix;
  if (major == 1) {
    headerLen = size_t(bytes[8]) | size_t(bytes[9]) << 8;
    prefix = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12) {
      error = "truncated .npy header";
      return false;
    }
    headerLen = size_t(bytes[8]) | size_t(bytes[9]) << 8 |
                size_t(bytes[10]) << 16 | size_t(bytes[11]) << 24;
    prefix = 12;
  } else {
    error = "unsupported .npy format version " + std::to_string(major) + "." +
            std::to_string(minor);
    return false;
  }
  if (headerLen > size - prefix) {
    error = "truncated .npy header: it claims " + std::to_string(headerLen) +
            " bytes, the file has " + std::to_string(size - prefix);
    return false;
  }
  const char *header = reinterpret_cast<const char *>(bytes + prefix);
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
  if (!NpyHeaderParser(header, header + headerLen)
           .parse(descr, fortranOrder, shape, error))
    return false;
  int32_t dtype;
  if (!dtypeFromDescr(descr, dtype, error))
    return false;
  uint64_t bytesNeeded;
  if (!byteSize(shape, elementSize(dtype), bytesNeeded)) {
    error = "bad .npy shape " + formatShape(shape);
    return false;
  }
  // Only a layout with more than one non-unit dimension differs between C
  // and Fortran order, but NumPy itself never writes such a header for it.
  if (fortranOrder) {
    size_t nonUnit = 0;
    for (int64_t d : shape)
      nonUnit += d != 1;
    if (nonUnit > 1 && bytesNeeded != 0) {
      error = "Fortran-order .npy data is not supported; save a C-contiguous "
              "array (np.ascontiguousarray)";
      return false;
    }
  }
  size_t dataSize = size - prefix - headerLen;
  if (dataSize != bytesNeeded) {
    error = "data size mismatch: " + descr + " " + formatShape(shape) +
            " needs " + std::to_string(bytesNeeded) + " bytes, the file has " +
            std::to_string(dataSize) +
            (dataSize < bytesNeeded ? " (truncated)" : "");
    return false;
  }
  out.dtype = dtype;
  out.shape = std::move(shape);
  out.data.assign(bytes + prefix + headerLen, bytes + size);
  return true;
}

bool qcc::runtime::serializeNpy(const Tensor &tensor, std::vector<uint8_t> &out,
                                std::string &error) {
  const char *descr = nullptr;
  switch (tensor.dtype) {
  case QCC_DTYPE_FLOAT:
    descr = "<f4";
    break;
  case QCC_DTYPE_DOUBLE:
    descr = "<f8";
    break;
  case QCC_DTYPE_FLOAT16:
    descr = "<f2";
    break;
  case QCC_DTYPE_INT8:
    descr = "|i1";
    break;
  case QCC_DTYPE_UINT8:
    descr = "|u1";
    break;
  case QCC_DTYPE_BOOL:
    descr = "|b1";
    break;
  case QCC_DTYPE_INT16:
    descr = "<i2";
    break;
  case QCC_DTYPE_UINT16:
    descr = "<u2";
    break;
  case QCC_DTYPE_INT32:
    descr = "<i4";
    break;
  case QCC_DTYPE_UINT32:
    descr = "<u4";
    break;
  case QCC_DTYPE_INT64:
    descr = "<i8";
    break;
  case QCC_DTYPE_UINT64:
    descr = "<u8";
    break;
  default:
    error = "cannot write " + dtypeName(tensor.dtype) + " to .npy";
    return false;
  }
  uint64_t bytes;
  if (!byteSize(tensor.shape, elementSize(tensor.dtype), bytes) ||
      bytes != tensor.data.size()) {
    error = "tensor data size does not match its shape " +
            formatShape(tensor.shape);
    return false;
  }
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < tensor.shape.size(); ++i)
    header += std::to_string(tensor.shape[i]) + ", ";
  if (tensor.shape.size() > 1)
    header.resize(header.size() - 2); // (2, 3) but (3,) for rank 1.
  else if (tensor.shape.size() == 1)
    header.pop_back();
  header += "), }";
  // NumPy pads with spaces and a newline so the data starts 64-byte aligned.
  size_t prefix = 10;
  size_t total = (prefix + header.size() + 1 + 63) / 64 * 64;
  if (total - prefix > 0xffff) {
    prefix = 12;
    total = (prefix + header.size() + 1 + 63) / 64 * 64;
  }
  header.append(total - prefix - header.size() - 1, ' ');
  header += '\n';
  out.clear();
  out.reserve(total + tensor.data.size());
  out.insert(out.end(), kNpyMagic, kNpyMagic + kNpyMagicSize);
  out.push_back(prefix == 10 ? 1 : 2);
  out.push_back(0);
  size_t len = header.size();
  for (size_t i = 0; i < prefix - 8; ++i)
    out.push_back(uint8_t(len >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), tensor.data.begin(), tensor.data.end());
  return true;
}

bool qcc::runtime::readNpy(const std::string &path, Tensor &out,
                           std::string &error) {
  std::vector<uint8_t> bytes;
  if (!readFile(path, bytes, error))
    return false;
  if (!parseNpy(bytes.data(), bytes.size(), out, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}

bool qcc::runtime::writeNpy(const std::string &path, const Tensor &tensor,
                            std::string &error) {
  std::vector<uint8_t> bytes;
  if (!serializeNpy(tensor, bytes, error)) {
    error = path + ": " + error;
    return false;
  }
  return writeFile(path, bytes, error);
}

//===----------------------------------------------------------------------===//
// TensorProto
//===----------------------------------------------------------------------===//

/// Copies a repeated typed field, narrowing each value to the element size
/// (int32_data holds int8/uint8/int16/uint16/bool/float16 bit patterns).
template <typename Field>
static void copyNarrowed(const Field &field, size_t elemSize,
                         std::vector<uint8_t> &data) {
  data.resize(size_t(field.size()) * elemSize);
  uint8_t *dst = data.data();
  for (auto value : field) {
    // Little endian: the low bytes of the value are its narrow encoding.
    std::memcpy(dst, &value, elemSize);
    dst += elemSize;
  }
}

bool qcc::runtime::parseTensorProto(const uint8_t *bytes, size_t size,
                                    Tensor &out, std::string &error,
                                    std::string *name) {
  if (size > size_t(INT_MAX)) {
    error = "TensorProto larger than 2 GiB";
    return false;
  }
  onnx::TensorProto proto;
  if (!proto.ParseFromArray(bytes, int(size))) {
    error = "not a valid onnx.TensorProto";
    return false;
  }
  std::string label =
      proto.name().empty() ? "tensor" : "tensor '" + proto.name() + "'";
  if (name)
    *name = proto.name();
  if (proto.data_location() == onnx::TensorProto::EXTERNAL ||
      proto.external_data_size() > 0) {
    error = label + " uses external data, which is not supported in .pb "
                    "tensor files";
    return false;
  }
  if (proto.has_segment()) {
    error = label + " is segmented, which is not supported";
    return false;
  }
  int32_t dtype = proto.data_type();
  size_t elemSize = elementSize(dtype);
  if (elemSize == 0) {
    error = label + " has unsupported data type " + std::to_string(dtype);
    if (!proto.has_data_type())
      error += " (data_type not set)";
    else if (onnx::TensorProto::DataType_IsValid(dtype))
      error +=
          " (" +
          onnx::TensorProto::DataType_Name(onnx::TensorProto::DataType(dtype)) +
          ")";
    return false;
  }
  std::vector<int64_t> shape(proto.dims().begin(), proto.dims().end());
  uint64_t bytesNeeded;
  if (!byteSize(shape, elemSize, bytesNeeded)) {
    error = label + " has a bad shape " + formatShape(shape);
    return false;
  }
  uint64_t numElements = bytesNeeded / elemSize;

  std::vector<uint8_t> data;
  if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    if (raw.size() != bytesNeeded) {
      error = label + ": raw_data has " + std::to_string(raw.size()) +
              " bytes, " + dtypeName(dtype) + " " + formatShape(shape) +
              " needs " + std::to_string(bytesNeeded);
      return false;
    }
    data.assign(raw.begin(), raw.end());
  } else {
    const char *field;
    int count;
    switch (dtype) {
    case QCC_DTYPE_FLOAT:
      field = "float_data";
      count = proto.float_data_size();
      copyNarrowed(proto.float_data(), elemSize, data);
      break;
    case QCC_DTYPE_DOUBLE:
      field = "double_data";
      count = proto.double_data_size();
      copyNarrowed(proto.double_data(), elemSize, data);
      break;
    case QCC_DTYPE_INT64:
      field = "int64_data";
      count = proto.int64_data_size();
      copyNarrowed(proto.int64_data(), elemSize, data);
      break;
    case QCC_DTYPE_UINT32:
    case QCC_DTYPE_UINT64:
      field = "uint64_data";
      count = proto.uint64_data_size();
      copyNarrowed(proto.uint64_data(), elemSize, data);
      break;
    default:
      field = "int32_data";
      count = proto.int32_data_size();
      copyNarrowed(proto.int32_data(), elemSize, data);
      break;
    }
    if (uint64_t(count) != numElements) {
      error = label + ": " + field + " holds " + std::to_string(count) +
              " values, " + dtypeName(dtype) + " " + formatShape(shape) +
              " needs " + std::to_string(numElements);
      return false;
    }
  }
  out.dtype = dtype;
  out.shape = std::move(shape);
  out.data = std::move(data);
  return true;
}

bool qcc::runtime::readTensorProto(const std::string &path, Tensor &out,
                                   std::string &error, std::string *name) {
  std::vector<uint8_t> bytes;
  if (!readFile(path, bytes, error))
    return false;
  if (!parseTensorProto(bytes.data(), bytes.size(), out, error, name)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}

static bool endsWith(const std::string &s, const char *suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

bool qcc::runtime::loadTensor(const std::string &path, Tensor &out,
                              std::string &error) {
  if (endsWith(path, ".npy"))
    return readNpy(path, out, error);
  if (endsWith(path, ".pb"))
    return readTensorProto(path, out, error);
  error = path + ": unknown tensor file type (expected .npy or .pb)";
  return false;
}

//===----------------------------------------------------------------------===//
// Comparison
//===----------------------------------------------------------------------===//

CompareResult qcc::runtime::compareTensors(const Tensor &expected,
                                           const Tensor &got, double rtol,
                                           double atol) {
  CompareResult result;
  if (expected.dtype != got.dtype) {
    result.error = "dtype differs: expected " + dtypeName(expected.dtype) +
                   ", got " + dtypeName(got.dtype);
    return result;
  }
  if (expected.shape != got.shape) {
    result.error = "shape differs: expected " + formatShape(expected.shape) +
                   ", got " + formatShape(got.shape);
    return result;
  }
  size_t elemSize = elementSize(got.dtype);
  uint64_t bytes;
  if (elemSize == 0 || !byteSize(got.shape, elemSize, bytes) ||
      expected.data.size() != bytes || got.data.size() != bytes) {
    result.error = "malformed tensor: data size does not match " +
                   dtypeName(got.dtype) + " " + formatShape(got.shape);
    return result;
  }
  int64_t n = int64_t(bytes / elemSize);
  result.numElements = n;
  bool isFloat = isFloatType(got.dtype);
  const double inf = std::numeric_limits<double>::infinity();
  double worstError = -1;
  for (int64_t i = 0; i < n; ++i) {
    double e = elementAsDouble(expected, i);
    double g = elementAsDouble(got, i);
    bool match;
    double err;
    if (!isFloat) {
      // Exact, on the bits: 64-bit integers do not all fit in a double.
      match = got.dtype == QCC_DTYPE_BOOL
                  ? (expected.data[i] != 0) == (got.data[i] != 0)
                  : std::memcmp(expected.data.data() + i * elemSize,
                                got.data.data() + i * elemSize, elemSize) == 0;
      err = std::fabs(g - e);
      result.maxAbsError = std::max(result.maxAbsError, err);
    } else if (std::isnan(e) || std::isnan(g)) {
      match = std::isnan(e) && std::isnan(g);
      err = match ? 0 : inf;
    } else if (std::isinf(e) || std::isinf(g)) {
      match = e == g;
      err = match ? 0 : inf;
    } else {
      err = std::fabs(g - e);
      match = err <= atol + rtol * std::fabs(e);
      result.maxAbsError = std::max(result.maxAbsError, err);
    }
    if (match)
      continue;
    ++result.numMismatches;
    if (err > worstError) {
      worstError = err;
      result.worstIndex = i;
      result.worstExpected = e;
      result.worstGot = g;
    }
  }
  result.ok = result.numMismatches == 0;
  return result;
}
