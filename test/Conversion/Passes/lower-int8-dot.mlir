// RUN: qcc-opt %s -split-input-file --qcc-lower-int8-dot | FileCheck %s

// Activation as the vector operand: 4 rows x 4 vectors of 16 lanes per
// block over 64 columns, then one masked vector for the last 4 columns.
// CHECK-LABEL: func.func @conv_like
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : memref<3x68x4xi8> into memref<3x272xi8>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c8 step %c4
// CHECK: scf.for %{{.*}} = %{{.*}} to %c64 step %c64
// CHECK-COUNT-16: vector.load %{{.*}} : memref<8x68xi32>, vector<16xi32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c3{{.*}} step %c1{{.*}} iter_args
// CHECK-COUNT-4: vector.load %{{.*}} : memref<3x272xi8>, vector<64xi8>
// CHECK: vector.load %{{.*}} : memref<8x3x4xi8>, vector<4xi8>
// CHECK: vector.bitcast %{{.*}} : vector<4xi8> to vector<1xi32>
// CHECK: vector.broadcast %{{.*}} : vector<1xi32> to vector<16xi32>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK-COUNT-16: vector.store
// The tail: 4 lanes, masked.
// CHECK: vector.constant_mask [4] : vector<16xi1>
// CHECK: vector.constant_mask [16] : vector<64xi1>
// CHECK: vector.maskedload %{{.*}} : memref<8x68xi32>, vector<16xi1>, vector<16xi32> into vector<16xi32>
// CHECK: vector.maskedload %{{.*}} : memref<3x272xi8>, vector<64xi1>, vector<64xi8> into vector<64xi8>
// CHECK: vector.maskedstore
// CHECK-NOT: linalg.generic
#mX = affine_map<(o, s, k4, j) -> (k4, s, j)>
#mW = affine_map<(o, s, k4, j) -> (o, k4, j)>
#mY = affine_map<(o, s, k4, j) -> (o, s)>
func.func @conv_like(%x: memref<3x68x4xi8>, %w: memref<8x3x4xi8>, %y: memref<8x68xi32>) {
  linalg.generic {indexing_maps = [#mX, #mW, #mY], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : memref<3x68x4xi8>, memref<8x3x4xi8>) outs(%y : memref<8x68xi32>) attrs = {qcc.int8_dot = "x86-avx512-vnni"} {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %ae = arith.extui %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %m = arith.muli %ae, %be : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  return
}

// -----

// Weights as the vector operand (a GEMV): the unsigned activation bytes
// are broadcast and passed first to vpdpbusd; 3 rows, 10 masked columns.
// CHECK-LABEL: func.func @gemv_like
// CHECK: scf.for %{{.*}} = %{{.*}} to %c3 step %c3
// CHECK: vector.constant_mask [10] : vector<16xi1>
// CHECK: vector.constant_mask [40] : vector<64xi1>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c5{{.*}} step %c1{{.*}} iter_args
// CHECK: %[[W:.*]] = vector.maskedload %{{.*}} : memref<5x40xi8>, vector<64xi1>, vector<64xi8> into vector<64xi8>
// CHECK: %[[A:.*]] = vector.bitcast %{{.*}} : vector<16xi32> to vector<64xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %[[A]], %[[W]])
#mA = affine_map<(m, n, k4, j) -> (m, k4, j)>
#mB = affine_map<(m, n, k4, j) -> (k4, n, j)>
#mC = affine_map<(m, n, k4, j) -> (m, n)>
func.func @gemv_like(%a: memref<3x5x4xi8>, %b: memref<5x10x4xi8>, %c: memref<3x10xi32>) {
  linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%a, %b : memref<3x5x4xi8>, memref<5x10x4xi8>) outs(%c : memref<3x10xi32>) attrs = {qcc.int8_dot = "x86-avx512-vnni"} {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %m = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  return
}
