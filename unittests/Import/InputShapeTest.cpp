//===- InputShapeTest.cpp - parsing of --input-shape and --bind-input -----===//
#include "qcc/Import/ONNX/ONNXImporter.h"

#include "gtest/gtest.h"

using namespace qcc;

TEST(InputShapes, CommaSeparatedAndRepeated) {
  llvm::StringMap<std::vector<int64_t>> shapes;
  ASSERT_FALSE(bool(parseInputShapes({"x=1x3x224x224,y=4", "z=2x0"}, shapes)));
  EXPECT_EQ(shapes["x"], (std::vector<int64_t>{1, 3, 224, 224}));
  EXPECT_EQ(shapes["y"], (std::vector<int64_t>{4}));
  EXPECT_EQ(shapes["z"], (std::vector<int64_t>{2, 0}));
}

TEST(InputShapes, ScalarAndNamesWithEquals) {
  llvm::StringMap<std::vector<int64_t>> shapes;
  ASSERT_FALSE(bool(parseInputShapes({"s="}, shapes)));
  EXPECT_TRUE(shapes["s"].empty());
  // The last '=' separates: input names may contain '='.
  ASSERT_FALSE(bool(parseInputShapes({"a=b=2x2"}, shapes)));
  EXPECT_EQ(shapes["a=b"], (std::vector<int64_t>{2, 2}));
}

TEST(InputShapes, Malformed) {
  llvm::StringMap<std::vector<int64_t>> shapes;
  for (const char *bad : {"x", "=1x2", "x=1xx2", "x=-1", "x=1x", "x=ax2"}) {
    llvm::Error e = parseInputShapes({bad}, shapes);
    EXPECT_TRUE(bool(e)) << bad;
    llvm::consumeError(std::move(e));
  }
}

TEST(BoundInputs, Parse) {
  llvm::StringMap<std::string> bound;
  ASSERT_FALSE(bool(parseBoundInputs({"k=/tmp/k.npy"}, bound)));
  EXPECT_EQ(bound["k"], "/tmp/k.npy");
  llvm::Error e = parseBoundInputs({"k"}, bound);
  EXPECT_TRUE(bool(e));
  llvm::consumeError(std::move(e));
}
