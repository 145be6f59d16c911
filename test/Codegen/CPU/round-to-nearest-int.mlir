// RUN: qcc-opt %s -split-input-file --qcc-round-to-nearest-int | FileCheck %s

// CHECK-LABEL: llvm.func @vector
// CHECK: %[[R:.*]] = llvm.intr.lrint(%arg0) : (vector<16xf32>) -> vector<16xi32>
// CHECK-NOT: llvm.intr.roundeven
// CHECK: llvm.return %[[R]]
llvm.func @vector(%x: vector<16xf32>) -> vector<16xi32> {
  %r = llvm.intr.roundeven(%x) : (vector<16xf32>) -> vector<16xf32>
  %i = llvm.fptosi %r : vector<16xf32> to vector<16xi32>
  llvm.return %i : vector<16xi32>
}

// -----

// A scalar too; a conversion to i8 (lrint has no narrow form here) and a
// truncating conversion without rounding stay.
// CHECK-LABEL: llvm.func @scalar
// CHECK: llvm.intr.roundeven
// CHECK: llvm.intr.lrint(%arg0) : (f32) -> i32
// CHECK: llvm.fptosi %{{.*}} : f32 to i8
// CHECK: llvm.fptosi %arg0 : f32 to i32
llvm.func @scalar(%x: f32) -> !llvm.struct<(i32, i8, i32)> {
  %r = llvm.intr.roundeven(%x) : (f32) -> f32
  %i = llvm.fptosi %r : f32 to i32
  %b = llvm.fptosi %r : f32 to i8
  %t = llvm.fptosi %x : f32 to i32
  %s0 = llvm.mlir.undef : !llvm.struct<(i32, i8, i32)>
  %s1 = llvm.insertvalue %i, %s0[0] : !llvm.struct<(i32, i8, i32)>
  %s2 = llvm.insertvalue %b, %s1[1] : !llvm.struct<(i32, i8, i32)>
  %s3 = llvm.insertvalue %t, %s2[2] : !llvm.struct<(i32, i8, i32)>
  llvm.return %s3 : !llvm.struct<(i32, i8, i32)>
}
