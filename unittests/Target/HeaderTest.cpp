//===- HeaderTest.cpp - C identifiers and the generated header ------------===//
#include "qcc/Target/ModelSignature.h"

#include "gtest/gtest.h"

using namespace qcc;

TEST(CIdentifier, Sanitizes) {
  EXPECT_EQ(toCIdentifier("my-model.v2"), "my_model_v2");
  EXPECT_EQ(toCIdentifier("3net"), "_3net");
  EXPECT_EQ(toCIdentifier(""), "_");
}

TEST(Header, DeclaresABIAndTypedWrapper) {
  ModelSignature sig;
  sig.inputs.push_back({"x:0", 1, {1, 3}});
  sig.outputs.push_back({"y", 7, {}});
  sig.workspaceBytes = 128;
  std::string h = generateHeader(sig, "net", "x86_64-pc-linux-gnu");
  EXPECT_NE(h.find("const qcc_model_info *net_info(void);"), std::string::npos);
  EXPECT_NE(h.find("int net_run(const void *const *inputs"), std::string::npos);
  EXPECT_NE(h.find("#define NET_WORKSPACE_BYTES 128u"), std::string::npos);
  EXPECT_NE(h.find("const float *in0_x_0"), std::string::npos);
  EXPECT_NE(h.find("int64_t *out0_y"), std::string::npos);
}
