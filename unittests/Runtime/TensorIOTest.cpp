//===- TensorIOTest.cpp - Tests for .npy/.pb tensor files and comparison --===//

#include "qcc/Runtime/TensorIO.h"

#include <onnx/onnx_pb.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <unistd.h>
#include <vector>

using namespace qcc::runtime;

namespace {

template <typename T>
Tensor makeTensor(int32_t dtype, std::vector<int64_t> shape,
                  const std::vector<T> &values) {
  Tensor t;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.data.resize(values.size() * sizeof(T));
  if (!values.empty())
    std::memcpy(t.data.data(), values.data(), t.data.size());
  return t;
}

template <typename T> T elementAt(const Tensor &t, size_t i) {
  T v;
  std::memcpy(&v, t.data.data() + i * sizeof(T), sizeof(T));
  return v;
}

/// A .npy file from a header dict, with the given version, padded the way
/// NumPy pads it.
std::vector<uint8_t> npyBytes(const std::string &dict,
                              const std::vector<uint8_t> &data, int major = 1) {
  size_t prefix = major == 1 ? 10 : 12;
  std::string header = dict;
  size_t total = (prefix + header.size() + 1 + 63) / 64 * 64;
  header.append(total - prefix - header.size() - 1, ' ');
  header += '\n';
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', uint8_t(major), 0};
  for (size_t i = 0; i < prefix - 8; ++i)
    out.push_back(uint8_t(header.size() >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

std::vector<uint8_t> int32Bytes(const std::vector<int32_t> &values) {
  std::vector<uint8_t> out(values.size() * 4);
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

class TempDir : public ::testing::Test {
protected:
  void SetUp() override {
    char tmpl[] = "/tmp/qcc-tensorio-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir = tmpl;
  }
  void TearDown() override {
    for (const std::string &f : files)
      ::unlink(f.c_str());
    ::rmdir(dir.c_str());
  }
  std::string path(const std::string &name) {
    files.push_back(dir + "/" + name);
    return files.back();
  }
  void writeBytes(const std::string &file, const std::string &bytes) {
    FILE *f = std::fopen(file.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  }
  std::string dir;
  std::vector<std::string> files;
};

void expectSame(const Tensor &a, const Tensor &b) {
  EXPECT_EQ(a.dtype, b.dtype);
  EXPECT_EQ(a.shape, b.shape);
  EXPECT_EQ(a.data, b.data);
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

TEST(Npy, RoundTripInMemory) {
  std::vector<Tensor> tensors = {
      makeTensor<float>(QCC_DTYPE_FLOAT, {2, 3}, {1, 2, 3, 4, 5, 6}),
      makeTensor<float>(QCC_DTYPE_FLOAT, {}, {42.5f}),
      makeTensor<double>(QCC_DTYPE_DOUBLE, {3}, {0.1, -0.2, 1e300}),
      makeTensor<uint16_t>(QCC_DTYPE_FLOAT16, {1, 2}, {0x3c00, 0xc000}),
      makeTensor<int8_t>(QCC_DTYPE_INT8, {2, 1, 2}, {-128, -1, 0, 127}),
      makeTensor<uint8_t>(QCC_DTYPE_UINT8, {4}, {0, 1, 254, 255}),
      makeTensor<int16_t>(QCC_DTYPE_INT16, {2}, {-32768, 32767}),
      makeTensor<uint16_t>(QCC_DTYPE_UINT16, {1}, {65535}),
      makeTensor<int32_t>(QCC_DTYPE_INT32, {}, {-7}),
      makeTensor<uint32_t>(QCC_DTYPE_UINT32, {2}, {0, 0xffffffffu}),
      makeTensor<int64_t>(QCC_DTYPE_INT64, {1, 1, 1, 1, 1},
                          {std::numeric_limits<int64_t>::min()}),
      makeTensor<uint64_t>(QCC_DTYPE_UINT64, {1}, {~0ull}),
      makeTensor<uint8_t>(QCC_DTYPE_BOOL, {3}, {1, 0, 1}),
      makeTensor<float>(QCC_DTYPE_FLOAT, {0, 4}, {}),
      makeTensor<int64_t>(QCC_DTYPE_INT64, {0}, {}),
  };
  for (const Tensor &t : tensors) {
    SCOPED_TRACE(dtypeName(t.dtype) + " " + formatShape(t.shape));
    std::vector<uint8_t> bytes;
    std::string error;
    ASSERT_TRUE(serializeNpy(t, bytes, error)) << error;
    // NumPy aligns the data to 64 bytes; keep files mmap-friendly too.
    EXPECT_EQ((bytes.size() - t.data.size()) % 64, 0u);
    Tensor back;
    ASSERT_TRUE(parseNpy(bytes.data(), bytes.size(), back, error)) << error;
    expectSame(t, back);
  }
}

TEST(Npy, HeaderSpellsShapeLikeNumPy) {
  auto header = [](const Tensor &t) {
    std::vector<uint8_t> bytes;
    std::string error;
    EXPECT_TRUE(serializeNpy(t, bytes, error)) << error;
    std::string s(bytes.begin() + 10, bytes.end() - t.data.size());
    return s.substr(0, s.find('}') + 1);
  };
  EXPECT_EQ(header(makeTensor<float>(QCC_DTYPE_FLOAT, {}, {1})),
            "{'descr': '<f4', 'fortran_order': False, 'shape': (), }");
  EXPECT_EQ(header(makeTensor<uint8_t>(QCC_DTYPE_BOOL, {2}, {1, 0})),
            "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }");
  EXPECT_EQ(header(makeTensor<int8_t>(QCC_DTYPE_INT8, {1, 2}, {1, 0})),
            "{'descr': '|i1', 'fortran_order': False, 'shape': (1, 2), }");
}

TEST(Npy, CannotWriteBfloat16) {
  std::vector<uint8_t> bytes;
  std::string error;
  EXPECT_FALSE(serializeNpy(
      makeTensor<uint16_t>(QCC_DTYPE_BFLOAT16, {1}, {0x3f80}), bytes, error));
  EXPECT_NE(error.find("bfloat16"), std::string::npos) << error;
}

TEST(Npy, ParsesHandWrittenHeaderV1) {
  std::vector<uint8_t> bytes =
      npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }",
               int32Bytes({1, -2, 3, 1 << 30}));
  Tensor t;
  std::string error;
  ASSERT_TRUE(parseNpy(bytes.data(), bytes.size(), t, error)) << error;
  EXPECT_EQ(t.dtype, QCC_DTYPE_INT32);
  EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(elementAt<int32_t>(t, 1), -2);
  EXPECT_EQ(elementAt<int32_t>(t, 3), 1 << 30);
}

TEST(Npy, ParsesOtherSpellings) {
  struct Case {
    int major;
    int32_t dtype;
    std::vector<int64_t> shape;
    const char *dict;
  } cases[] = {
      // Key order, quotes and spacing are free; Python 2 wrote 3L.
      {1,
       QCC_DTYPE_UINT8,
       {3},
       "{\"shape\": (3L,), \"fortran_order\": False, \"descr\": \"<u1\"}"},
      {2,
       QCC_DTYPE_UINT8,
       {1, 3},
       "{'descr': '|u1', 'fortran_order': False, 'shape': (1,3)}"},
      {3,
       QCC_DTYPE_INT8,
       {3},
       "{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }"},
      {1,
       QCC_DTYPE_BOOL,
       {3},
       "{'descr': '|b1', 'fortran_order': False, 'shape': (3, ), }"},
      // A 1-D array has the same layout in either order.
      {1,
       QCC_DTYPE_INT8,
       {3},
       "{'descr': '<i1', 'fortran_order': True, 'shape': (3,), }"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.dict);
    std::vector<uint8_t> bytes = npyBytes(c.dict, {1, 0, 1}, c.major);
    Tensor t;
    std::string error;
    ASSERT_TRUE(parseNpy(bytes.data(), bytes.size(), t, error)) << error;
    EXPECT_EQ(t.dtype, c.dtype);
    EXPECT_EQ(t.shape, c.shape);
  }
}

/// Parses `bytes` expecting failure; returns the error message.
std::string npyError(const std::vector<uint8_t> &bytes) {
  Tensor t;
  std::string error;
  EXPECT_FALSE(parseNpy(bytes.data(), bytes.size(), t, error));
  return error;
}

TEST(Npy, RejectsFortranOrder) {
  std::string error = npyError(
      npyBytes("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 2), }",
               int32Bytes({1, 2, 3, 4})));
  EXPECT_NE(error.find("Fortran"), std::string::npos) << error;
}

TEST(Npy, RejectsBigEndian) {
  std::string error = npyError(
      npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }",
               {0, 0, 0, 0}));
  EXPECT_NE(error.find("big-endian"), std::string::npos) << error;
}

TEST(Npy, RejectsWrongDataSize) {
  const char *dict =
      "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }";
  std::string error = npyError(npyBytes(dict, int32Bytes({1, 2})));
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
  error = npyError(npyBytes(dict, int32Bytes({1, 2, 3, 4})));
  EXPECT_NE(error.find("data size mismatch"), std::string::npos) << error;
}

TEST(Npy, RejectsBadMagic) {
  std::vector<uint8_t> bytes =
      npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }",
               int32Bytes({1}));
  bytes[1] = 'X';
  EXPECT_NE(npyError(bytes).find("magic"), std::string::npos);
  EXPECT_NE(npyError({0x93, 'N', 'U'}).find("magic"), std::string::npos);
}

TEST(Npy, RejectsBadHeaders) {
  // A header length beyond the end of the file.
  std::vector<uint8_t> bytes =
      npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }",
               int32Bytes({1}));
  bytes[8] = 0xff;
  bytes[9] = 0xff;
  EXPECT_NE(npyError(bytes).find("truncated .npy header"), std::string::npos);
  // An unknown format version.
  bytes = npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (), }",
                   int32Bytes({1}));
  bytes[6] = 4;
  EXPECT_NE(npyError(bytes).find("version 4.0"), std::string::npos);
  const char *bad[] = {
      "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }",
      "{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }",
      "{'descr': '<i4', 'shape': (1,), }",
      "{'descr': '<i4', 'fortran_order': False, 'shape': (-1,), }",
      "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), 'x': 1}",
      "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), } junk",
      "{'descr': '<i4', 'fortran_order': 0, 'shape': (1,), }",
      ("{'descr': '<i4', 'fortran_order': False, 'shape': "
       "(99999999999999999999,), }"),
  };
  for (const char *dict : bad) {
    SCOPED_TRACE(dict);
    EXPECT_FALSE(npyError(npyBytes(dict, int32Bytes({1}))).empty());
  }
}

TEST_F(TempDir, NpyFileRoundTrip) {
  Tensor t = makeTensor<double>(QCC_DTYPE_DOUBLE, {}, {3.25});
  std::string file = path("scalar.npy"), error;
  ASSERT_TRUE(writeNpy(file, t, error)) << error;
  Tensor back;
  ASSERT_TRUE(loadTensor(file, back, error)) << error;
  expectSame(t, back);
  EXPECT_FALSE(readNpy(dir + "/missing.npy", back, error));
  EXPECT_NE(error.find("missing.npy"), std::string::npos) << error;
  EXPECT_FALSE(readNpy(dir, back, error)); // A directory.
}

//===----------------------------------------------------------------------===//
// TensorProto
//===----------------------------------------------------------------------===//

std::string serialized(const onnx::TensorProto &proto) {
  std::string bytes;
  EXPECT_TRUE(proto.SerializeToString(&bytes));
  return bytes;
}

Tensor parseProto(const onnx::TensorProto &proto) {
  std::string bytes = serialized(proto), error;
  Tensor t;
  EXPECT_TRUE(parseTensorProto(reinterpret_cast<const uint8_t *>(bytes.data()),
                               bytes.size(), t, error))
      << error;
  return t;
}

std::string protoError(const onnx::TensorProto &proto) {
  std::string bytes = serialized(proto), error;
  Tensor t;
  EXPECT_FALSE(parseTensorProto(reinterpret_cast<const uint8_t *>(bytes.data()),
                                bytes.size(), t, error));
  return error;
}

TEST_F(TempDir, TensorProtoFloatData) {
  onnx::TensorProto proto;
  proto.set_name("x");
  proto.set_data_type(onnx::TensorProto::FLOAT);
  proto.add_dims(2);
  proto.add_dims(2);
  for (float v : {1.5f, -2.0f, 0.0f, 1e30f})
    proto.add_float_data(v);
  std::string file = path("x.pb"), error, name;
  writeBytes(file, serialized(proto));
  Tensor t;
  ASSERT_TRUE(readTensorProto(file, t, error, &name)) << error;
  EXPECT_EQ(name, "x");
  expectSame(t, makeTensor<float>(QCC_DTYPE_FLOAT, {2, 2},
                                  {1.5f, -2.0f, 0.0f, 1e30f}));
  Tensor viaLoad;
  ASSERT_TRUE(loadTensor(file, viaLoad, error)) << error;
  expectSame(t, viaLoad);
}

TEST(TensorProto, RawData) {
  onnx::TensorProto proto;
  proto.set_data_type(onnx::TensorProto::INT64);
  proto.add_dims(3);
  std::vector<int64_t> values = {-1, 0, int64_t(1) << 40};
  proto.set_raw_data(std::string(reinterpret_cast<char *>(values.data()),
                                 values.size() * sizeof(int64_t)));
  expectSame(parseProto(proto),
             makeTensor<int64_t>(QCC_DTYPE_INT64, {3}, values));
}

TEST(TensorProto, RawDataScalarAndEmpty) {
  onnx::TensorProto scalar;
  scalar.set_data_type(onnx::TensorProto::DOUBLE);
  double v = -0.5;
  scalar.set_raw_data(std::string(reinterpret_cast<char *>(&v), sizeof(v)));
  expectSame(parseProto(scalar), makeTensor<double>(QCC_DTYPE_DOUBLE, {}, {v}));

  onnx::TensorProto empty;
  empty.set_data_type(onnx::TensorProto::FLOAT);
  empty.add_dims(0);
  empty.add_dims(5);
  expectSame(parseProto(empty), makeTensor<float>(QCC_DTYPE_FLOAT, {0, 5}, {}));
}

TEST(TensorProto, NarrowTypesInInt32Data) {
  onnx::TensorProto i8;
  i8.set_data_type(onnx::TensorProto::INT8);
  i8.add_dims(3);
  for (int v : {-128, -1, 127})
    i8.add_int32_data(v);
  expectSame(parseProto(i8),
             makeTensor<int8_t>(QCC_DTYPE_INT8, {3}, {-128, -1, 127}));

  onnx::TensorProto f16;
  f16.set_data_type(onnx::TensorProto::FLOAT16);
  f16.add_dims(2);
  f16.add_int32_data(0x3c00);
  f16.add_int32_data(0xfc00);
  expectSame(parseProto(f16),
             makeTensor<uint16_t>(QCC_DTYPE_FLOAT16, {2}, {0x3c00, 0xfc00}));

  onnx::TensorProto b;
  b.set_data_type(onnx::TensorProto::BOOL);
  b.add_dims(2);
  b.add_int32_data(1);
  b.add_int32_data(0);
  expectSame(parseProto(b), makeTensor<uint8_t>(QCC_DTYPE_BOOL, {2}, {1, 0}));
}

TEST(TensorProto, WideTypedFields) {
  onnx::TensorProto u64;
  u64.set_data_type(onnx::TensorProto::UINT64);
  u64.add_dims(1);
  u64.add_uint64_data(~0ull);
  expectSame(parseProto(u64),
             makeTensor<uint64_t>(QCC_DTYPE_UINT64, {1}, {~0ull}));

  onnx::TensorProto u32;
  u32.set_data_type(onnx::TensorProto::UINT32);
  u32.add_dims(1);
  u32.add_uint64_data(0xfffffffeu);
  expectSame(parseProto(u32),
             makeTensor<uint32_t>(QCC_DTYPE_UINT32, {1}, {0xfffffffeu}));

  onnx::TensorProto d;
  d.set_data_type(onnx::TensorProto::DOUBLE);
  d.add_double_data(0.1);
  expectSame(parseProto(d), makeTensor<double>(QCC_DTYPE_DOUBLE, {}, {0.1}));
}

TEST(TensorProto, Rejections) {
  onnx::TensorProto ext;
  ext.set_name("w");
  ext.set_data_type(onnx::TensorProto::FLOAT);
  ext.add_dims(1);
  ext.set_data_location(onnx::TensorProto::EXTERNAL);
  auto *entry = ext.add_external_data();
  entry->set_key("location");
  entry->set_value("w.bin");
  EXPECT_NE(protoError(ext).find("external data"), std::string::npos);

  onnx::TensorProto shortData;
  shortData.set_data_type(onnx::TensorProto::FLOAT);
  shortData.add_dims(3);
  shortData.add_float_data(1);
  EXPECT_NE(protoError(shortData).find("float_data holds 1 values"),
            std::string::npos);

  onnx::TensorProto shortRaw;
  shortRaw.set_data_type(onnx::TensorProto::INT32);
  shortRaw.add_dims(2);
  shortRaw.set_raw_data(std::string(7, '\0'));
  EXPECT_NE(protoError(shortRaw).find("raw_data has 7 bytes"),
            std::string::npos);

  onnx::TensorProto str;
  str.set_data_type(onnx::TensorProto::STRING);
  str.add_string_data("hi");
  EXPECT_NE(protoError(str).find("STRING"), std::string::npos);

  onnx::TensorProto negative;
  negative.set_data_type(onnx::TensorProto::FLOAT);
  negative.add_dims(-1);
  EXPECT_NE(protoError(negative).find("bad shape"), std::string::npos);

  std::string garbage = "\xff\xff\xff\xff";
  Tensor t;
  std::string error;
  EXPECT_FALSE(
      parseTensorProto(reinterpret_cast<const uint8_t *>(garbage.data()),
                       garbage.size(), t, error));
}

TEST_F(TempDir, LoadTensorRejectsUnknownExtension) {
  std::string file = path("x.txt"), error;
  writeBytes(file, "1 2 3");
  Tensor t;
  EXPECT_FALSE(loadTensor(file, t, error));
  EXPECT_NE(error.find("expected .npy or .pb"), std::string::npos) << error;
}

//===----------------------------------------------------------------------===//
// Half precision
//===----------------------------------------------------------------------===//

TEST(Half, KnownValues) {
  EXPECT_EQ(halfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(halfToFloat(0xc000), -2.0f);
  EXPECT_EQ(halfToFloat(0x7bff), 65504.0f);
  EXPECT_EQ(halfToFloat(0x0001), std::ldexp(1.0f, -24)); // Smallest subnormal.
  EXPECT_EQ(halfToFloat(0x03ff), std::ldexp(1023.0f, -24)); // Largest.
  EXPECT_EQ(halfToFloat(0x0400), std::ldexp(1.0f, -14));    // Smallest normal.
  EXPECT_EQ(halfToFloat(0x7c00), std::numeric_limits<float>::infinity());
  EXPECT_EQ(halfToFloat(0xfc00), -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(halfToFloat(0x7e00)));
  EXPECT_TRUE(std::isnan(halfToFloat(0xfc01)));
  EXPECT_TRUE(std::signbit(halfToFloat(0x8000)));
  EXPECT_EQ(halfToFloat(0x8000), 0.0f);
}

TEST(Half, AllFiniteValuesMatchTheDefinition) {
  for (uint32_t bits = 0; bits < 0x10000; ++bits) {
    uint32_t exponent = (bits >> 10) & 0x1f, mantissa = bits & 0x3ff;
    if (exponent == 0x1f)
      continue;
    double magnitude =
        exponent == 0 ? std::ldexp(double(mantissa), -24)
                      : std::ldexp(1.0 + mantissa / 1024.0, int(exponent) - 15);
    double expected = (bits & 0x8000) ? -magnitude : magnitude;
    ASSERT_EQ(double(halfToFloat(uint16_t(bits))), expected) << bits;
  }
}

TEST(Half, Bfloat16) {
  EXPECT_EQ(bfloat16ToFloat(0x3f80), 1.0f);
  EXPECT_EQ(bfloat16ToFloat(0xc020), -2.5f);
  EXPECT_TRUE(std::isnan(bfloat16ToFloat(0x7fc0)));
}

//===----------------------------------------------------------------------===//
// Comparison
//===----------------------------------------------------------------------===//

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

CompareResult compareFloats(const std::vector<float> &expected,
                            const std::vector<float> &got, double rtol = 0,
                            double atol = 0) {
  int64_t n = int64_t(expected.size());
  return compareTensors(makeTensor<float>(QCC_DTYPE_FLOAT, {n}, expected),
                        makeTensor<float>(QCC_DTYPE_FLOAT, {n}, got), rtol,
                        atol);
}

TEST(Compare, NaNMatchesNaN) {
  EXPECT_TRUE(compareFloats({kNaN, 1}, {kNaN, 1}).ok);
  CompareResult r = compareFloats({kNaN, 1}, {0, 1}, 1, 1);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.numMismatches, 1);
  EXPECT_EQ(r.worstIndex, 0);
  EXPECT_FALSE(compareFloats({1}, {kNaN}, 1, 1).ok);
}

TEST(Compare, InfinitiesMustMatchExactly) {
  EXPECT_TRUE(compareFloats({kInf, -kInf}, {kInf, -kInf}).ok);
  EXPECT_FALSE(compareFloats({kInf}, {-kInf}, 1, 1).ok);
  EXPECT_FALSE(compareFloats({kInf}, {3e38f}, 1, 1).ok);
  EXPECT_FALSE(compareFloats({3e38f}, {kInf}, 1, 1).ok);
}

TEST(Compare, ToleranceEdge) {
  // atol + rtol * |expected| = 0.25 + 0.5 * 2 = 1.25, exact in binary.
  EXPECT_TRUE(compareFloats({2}, {3.25f}, 0.5, 0.25).ok);
  EXPECT_TRUE(compareFloats({2}, {0.75f}, 0.5, 0.25).ok);
  CompareResult r = compareFloats({2}, {3.5f}, 0.5, 0.25);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.maxAbsError, 1.5);
  // rtol scales with the expected value, not the one we got.
  EXPECT_FALSE(compareFloats({0}, {1}, 0.9, 0).ok);
  EXPECT_TRUE(compareFloats({10}, {1}, 0.9, 0).ok);
}

TEST(Compare, ReportsTheWorstElement) {
  CompareResult r = compareTensors(
      makeTensor<float>(QCC_DTYPE_FLOAT, {2, 2}, {0, 0, 0, 0}),
      makeTensor<float>(QCC_DTYPE_FLOAT, {2, 2}, {0.5f, 0, -3, 1}), 0, 0.1);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.numElements, 4);
  EXPECT_EQ(r.numMismatches, 3);
  EXPECT_EQ(r.worstIndex, 2);
  EXPECT_EQ(r.worstGot, -3);
  EXPECT_EQ(formatIndex({2, 2}, r.worstIndex), "[1,0]");
  EXPECT_EQ(formatIndex({}, 0), "[]");
}

TEST(Compare, IntegersAndBoolsAreExact) {
  CompareResult r =
      compareTensors(makeTensor<int32_t>(QCC_DTYPE_INT32, {2}, {1, 2}),
                     makeTensor<int32_t>(QCC_DTYPE_INT32, {2}, {1, 3}), 1, 10);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.worstIndex, 1);
  // Equal as doubles, different as integers.
  int64_t big = int64_t(1) << 62;
  EXPECT_FALSE(
      compareTensors(makeTensor<int64_t>(QCC_DTYPE_INT64, {}, {big}),
                     makeTensor<int64_t>(QCC_DTYPE_INT64, {}, {big + 1}), 0, 0)
          .ok);
  EXPECT_TRUE(compareTensors(makeTensor<uint8_t>(QCC_DTYPE_BOOL, {2}, {1, 0}),
                             makeTensor<uint8_t>(QCC_DTYPE_BOOL, {2}, {1, 0}),
                             0, 0)
                  .ok);
  EXPECT_FALSE(compareTensors(makeTensor<uint8_t>(QCC_DTYPE_BOOL, {1}, {1}),
                              makeTensor<uint8_t>(QCC_DTYPE_BOOL, {1}, {0}), 0,
                              0)
                   .ok);
}

TEST(Compare, Float16ComparedAsFloat) {
  // 1.0 and the next half up (1 + 2^-10).
  auto half = [](std::vector<uint16_t> bits) {
    return makeTensor<uint16_t>(QCC_DTYPE_FLOAT16, {int64_t(bits.size())},
                                bits);
  };
  EXPECT_TRUE(compareTensors(half({0x3c00}), half({0x3c01}), 0, 1e-3).ok);
  EXPECT_FALSE(compareTensors(half({0x3c00}), half({0x3c01}), 0, 1e-4).ok);
  EXPECT_TRUE(compareTensors(half({0x7e00}), half({0x7e01}), 0, 0).ok);
}

TEST(Compare, StructuralMismatches) {
  CompareResult r =
      compareTensors(makeTensor<float>(QCC_DTYPE_FLOAT, {2}, {1, 2}),
                     makeTensor<int32_t>(QCC_DTYPE_INT32, {2}, {1, 2}), 0, 0);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("dtype"), std::string::npos);
  r = compareTensors(makeTensor<float>(QCC_DTYPE_FLOAT, {2, 1}, {1, 2}),
                     makeTensor<float>(QCC_DTYPE_FLOAT, {1, 2}, {1, 2}), 0, 0);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("shape"), std::string::npos);
  r = compareTensors(makeTensor<float>(QCC_DTYPE_FLOAT, {0, 3}, {}),
                     makeTensor<float>(QCC_DTYPE_FLOAT, {0, 3}, {}), 0, 0);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.numElements, 0);
}

TEST(Format, Elements) {
  EXPECT_EQ(
      formatElement(makeTensor<int64_t>(QCC_DTYPE_INT64, {},
                                        {std::numeric_limits<int64_t>::min()}),
                    0),
      "-9223372036854775808");
  EXPECT_EQ(formatElement(makeTensor<float>(QCC_DTYPE_FLOAT, {}, {0.1f}), 0),
            "0.100000001");
  EXPECT_EQ(formatElement(makeTensor<uint8_t>(QCC_DTYPE_BOOL, {}, {1}), 0),
            "true");
  EXPECT_EQ(elementSize(QCC_DTYPE_BFLOAT16), 2u);
  EXPECT_EQ(elementSize(8), 0u); // STRING
}

} // namespace
