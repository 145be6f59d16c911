//===- CompilerTest.cpp - qcc::compile as a library -----------------------===//
//
// The driver and the Python API go through qcc::compile; so do these tests:
// outputs written, errors returned before any output, and pipeline options
// that print and parse back to the same compile.
//
//===----------------------------------------------------------------------===//
#include "qcc/Compiler/Compiler.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace qcc;

namespace {

/// The message of `e`, or "" on success.
std::string errorOf(llvm::Error e) { return e ? llvm::toString(std::move(e)) : ""; }

/// A temporary folder holding a MatMul + Relu model.
class CompilerTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("qcc-compiler", dir));
    model = path("mm.onnxtxt");
    std::error_code ec;
    llvm::raw_fd_ostream os(model, ec);
    ASSERT_FALSE(ec);
    os << "<ir_version: 8, opset_import: [\"\" : 13]>\n"
          "agraph (float[2, 3] x) => (float[2, 4] y) {\n"
          "  w = Constant <value = float[3, 4] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10,"
          " 11, 12}> ()\n"
          "  m = MatMul(x, w)\n"
          "  y = Relu(m)\n"
          "}\n";
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string path(llvm::StringRef name) const {
    llvm::SmallString<256> p(dir);
    llvm::sys::path::append(p, name);
    return std::string(p);
  }
  static std::string read(llvm::StringRef file) {
    auto buffer = llvm::MemoryBuffer::getFile(file);
    return buffer ? (*buffer)->getBuffer().str() : "";
  }

  llvm::SmallString<256> dir;
  std::string model;
};

TEST_F(CompilerTest, WritesObjectAndHeader) {
  CompileOptions o;
  o.input = model;
  o.output = path("mm.o");
  ASSERT_EQ(errorOf(compile(o)), "");
  EXPECT_TRUE(llvm::sys::fs::exists(path("mm.o")));
  std::string header = read(path("mm.h"));
  EXPECT_NE(header.find("int mm_run("), std::string::npos);
}

TEST_F(CompilerTest, StopsAfterAPhase) {
  CompileOptions o;
  o.input = model;
  o.emit = OutputKind::MLIR;
  o.compileTo = Phase::Linalg;
  o.output = path("mm.mlir");
  o.printReplay = false;
  ASSERT_EQ(errorOf(compile(o)), "");
  std::string ir = read(o.output);
  EXPECT_NE(ir.find("linalg."), std::string::npos);
  EXPECT_EQ(ir.find("qcc.matmul"), std::string::npos);
}

TEST_F(CompilerTest, BadOptionsFailBeforeAnyOutput) {
  struct Case {
    std::function<void(CompileOptions &)> set;
    const char *message;
  } cases[] = {
      {[](CompileOptions &o) { o.quant = "w5"; }, "--quant=w5"},
      {[](CompileOptions &o) { o.target.name = "tpu"; },
       "unknown -target 'tpu': give cpu or cuda"},
      {[](CompileOptions &o) { o.groupSize = 64; }, "apply to the weight-only"},
      {[](CompileOptions &o) { o.quant = "int8"; }, "needs --calib"},
      {[](CompileOptions &o) {
         o.target.name = "cuda";
         o.target.gpuArch = "sm_35";
       },
       "unsupported --gpu-arch 'sm_35'"},
      {[](CompileOptions &o) { o.emit = OutputKind::DeviceAssembly; },
       "--emit=ptx needs -target=cuda"},
  };
  for (Case &c : cases) {
    CompileOptions o;
    o.input = model;
    o.output = path("out.o");
    c.set(o);
    llvm::Error e = compile(o);
    ASSERT_TRUE(bool(e)) << c.message;
    std::string text = llvm::toString(std::move(e));
    EXPECT_NE(text.find(c.message), std::string::npos) << text;
    EXPECT_FALSE(llvm::sys::fs::exists(o.output)) << c.message;
  }
}

TEST(PipelineOptions, PrintAndParseBack) {
  PipelineOptions opts;
  opts.target = "cuda";
  opts.quant = QuantMode::WeightOnly;
  opts.weightBits = 3;
  opts.groupSize = 32;
  opts.symmetric = true;
  opts.fusedMultiplyAdd = true;
  opts.gpuArch = "sm_90";
  opts.gpuFloatMath = "f16";
  std::string text = pipelineOptionsString(opts);
  EXPECT_EQ(text, "target=cuda quant=weight-only weight-bits=3 group-size=32 "
                  "weight-symmetric=true fma=true gpu-arch=sm_90 "
                  "gpu-float-math=f16");
  PipelineOptions parsed;
  std::string error;
  ASSERT_TRUE(succeeded(parsePipelineOptions(text, parsed, &error))) << error;
  EXPECT_EQ(pipelineOptionsString(parsed), text);
  EXPECT_EQ(pipelineOptionsString(PipelineOptions()), "");

  EXPECT_TRUE(failed(parsePipelineOptions("quant=int4", parsed, &error)));
  EXPECT_NE(error.find("quant=int4"), std::string::npos);
  EXPECT_TRUE(failed(parsePipelineOptions("target=tpu", parsed, &error)));
  EXPECT_NE(error.find("not a registered target"), std::string::npos);
}

} // namespace
