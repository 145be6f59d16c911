// RUN: qcc-opt %s -split-input-file --qcc-vectorize-elementwise | FileCheck %s

// A requantization over (c, w) with a per-channel scale: tiles of 16 along
// w, the scale read as a broadcast.
// CHECK-LABEL: func.func @requantize
// CHECK: scf.for %{{.*}} = %c0 to %c4 step %c1
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c32 step %c16
// CHECK: vector.transfer_read {{.*}} : tensor<1x16xi32>, vector<1x16xi32>
// CHECK: vector.transfer_read {{.*}}permutation_map = #{{.*}}} : tensor<1xf32>, vector<1x16xf32>
// CHECK: math.roundeven {{.*}} : vector<1x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<1x16xi8>, tensor<1x16xi8>
#id = affine_map<(c, w) -> (c, w)>
#ch = affine_map<(c, w) -> (c)>
func.func @requantize(%acc: tensor<4x32xi32>, %s: tensor<4xf32>) -> tensor<4x32xi8> {
  %e = tensor.empty() : tensor<4x32xi8>
  %0 = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]}
      ins(%acc, %s : tensor<4x32xi32>, tensor<4xf32>) outs(%e : tensor<4x32xi8>) {
  ^bb0(%a: i32, %sc: f32, %o: i8):
    %f = arith.sitofp %a : i32 to f32
    %m = arith.mulf %f, %sc : f32
    %r = math.roundeven %m : f32
    %q = arith.fptosi %r : f32 to i8
    linalg.yield %q : i8
  } -> tensor<4x32xi8>
  return %0 : tensor<4x32xi8>
}

// -----

// An innermost extent of 12 takes vectors of 4.
// CHECK-LABEL: func.func @narrow
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c12 step %c4
// CHECK: arith.addf {{.*}} : vector<1x4xf32>
#id2 = affine_map<(a, b) -> (a, b)>
func.func @narrow(%x: tensor<3x12xf32>) -> tensor<3x12xf32> {
  %e = tensor.empty() : tensor<3x12xf32>
  %0 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<3x12xf32>) outs(%e : tensor<3x12xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<3x12xf32>
  return %0 : tensor<3x12xf32>
}

// -----

// Left alone: a transposed read (a lane-by-lane gather), a function without
// a vector instruction (exp), an odd innermost extent, and booleans (vectors
// of i1 are stored bit-packed, buffers hold a byte per element).
// CHECK-LABEL: func.func @unchanged
// CHECK-NOT: vector.
// CHECK: return
#t = affine_map<(a, b) -> (b, a)>
#id3 = affine_map<(a, b) -> (a, b)>
func.func @unchanged(%x: tensor<16x16xf32>, %y: tensor<3x7xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>, tensor<3x7xf32>) {
  %e = tensor.empty() : tensor<16x16xf32>
  %0 = linalg.generic {indexing_maps = [#t, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<16x16xf32>
  %1 = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %x2 = math.exp %a : f32
    linalg.yield %x2 : f32
  } -> tensor<16x16xf32>
  %e2 = tensor.empty() : tensor<3x7xf32>
  %2 = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<3x7xf32>) outs(%e2 : tensor<3x7xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<3x7xf32>
  %eb = tensor.empty() : tensor<4x16xi1>
  %xb = tensor.empty() : tensor<4x16xi1>
  %3 = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%xb : tensor<4x16xi1>) outs(%eb : tensor<4x16xi1>) {
  ^bb0(%a: i1, %o: i1):
    %true = arith.constant true
    %n = arith.xori %a, %true : i1
    linalg.yield %n : i1
  } -> tensor<4x16xi1>
  return %0, %1, %2 : tensor<16x16xf32>, tensor<16x16xf32>, tensor<3x7xf32>
}
