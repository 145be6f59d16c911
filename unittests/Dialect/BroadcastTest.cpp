//===- BroadcastTest.cpp - numpy broadcasting of static shapes ------------===//
#include "qcc/Dialect/Qcc/IR/QccOps.h"

#include "gtest/gtest.h"

using qcc::broadcastShapes;

TEST(Broadcast, RightAligned) {
  auto r = broadcastShapes({2, 1, 4}, {3, 1});
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(*r, (llvm::SmallVector<int64_t>{2, 3, 4}));
}

TEST(Broadcast, ScalarAndEmpty) {
  auto r = broadcastShapes({}, {5, 0});
  ASSERT_TRUE(succeeded(r));
  EXPECT_EQ(*r, (llvm::SmallVector<int64_t>{5, 0}));
  auto z = broadcastShapes({1, 0}, {3, 1});
  ASSERT_TRUE(succeeded(z));
  EXPECT_EQ(*z, (llvm::SmallVector<int64_t>{3, 0}));
}

TEST(Broadcast, Incompatible) {
  EXPECT_TRUE(failed(broadcastShapes({2, 3}, {3, 2})));
  EXPECT_TRUE(failed(broadcastShapes({0}, {2})));
}
