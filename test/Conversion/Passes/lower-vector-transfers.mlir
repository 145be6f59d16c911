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
