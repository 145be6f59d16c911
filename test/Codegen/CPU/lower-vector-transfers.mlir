// RUN: qcc-opt %s -split-input-file --qcc-lower-vector-transfers | FileCheck %s

// A read broadcasting one element (a per-channel scale) is a scalar load and
// a broadcast, not a lane-by-lane loop.
// CHECK-LABEL: func.func @scalar_broadcast
// CHECK: %[[S:.*]] = memref.load %arg0[%c0, %c0] : memref<1x1xf32>
// CHECK: vector.broadcast %[[S]] : f32 to vector<1x16xf32>
// CHECK-NOT: vector.transfer_read
#bcast = affine_map<(d0, d1) -> (d0, 0)>
func.func @scalar_broadcast(%m: memref<1x1xf32>) -> vector<1x16xf32> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %v = vector.transfer_read %m[%c0, %c0], %pad {in_bounds = [true, true], permutation_map = #bcast} : memref<1x1xf32>, vector<1x16xf32>
  return %v : vector<1x16xf32>
}

// -----

// A contiguous read is left for the usual lowering.
// CHECK-LABEL: func.func @contiguous
// CHECK: vector.transfer_read
func.func @contiguous(%m: memref<4x16xf32>) -> vector<1x16xf32> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %v = vector.transfer_read %m[%c0, %c0], %pad {in_bounds = [true, true]} : memref<4x16xf32>, vector<1x16xf32>
  return %v : vector<1x16xf32>
}

// -----

// A read of every other element (a strided subview: a stride-2 pooling
// window's row) is one masked load of the 31 elements that cover the 16
// lanes and a shuffle of the even lanes, not 16 scalar loads.
// CHECK-LABEL: func.func @strided
// CHECK: %[[SRC:.*]] = memref.subview %arg0[0, 1] [1, 31] [1, 1] : memref<4x40xi8> to memref<1x31xi8, strided<[40, 1], offset: 1>>
// CHECK: %[[J:.*]] = arith.muli %arg1, %c2 : index
// CHECK: %[[M:.*]] = vector.constant_mask [31] : vector<32xi1>
// CHECK: %[[L:.*]] = vector.maskedload %[[SRC]][%{{.*}}, %[[J]]], %[[M]], %{{.*}} : memref<1x31xi8, strided<[40, 1], offset: 1>>, vector<32xi1>, vector<32xi8> into vector<32xi8>
// CHECK: %[[S:.*]] = vector.shuffle %[[L]], %[[L]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// CHECK: vector.shape_cast %[[S]] : vector<16xi8> to vector<1x16xi8>
// CHECK-NOT: vector.transfer_read
func.func @strided(%m: memref<4x40xi8>, %j: index) -> vector<1x16xi8> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0 : i8
  %s = memref.subview %m[0, 1] [1, 16] [1, 2] : memref<4x40xi8> to memref<1x16xi8, strided<[40, 2], offset: 1>>
  %v = vector.transfer_read %s[%c0, %j], %pad {in_bounds = [true, true]} : memref<1x16xi8, strided<[40, 2], offset: 1>>, vector<1x16xi8>
  return %v : vector<1x16xi8>
}
