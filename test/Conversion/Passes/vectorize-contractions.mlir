// RUN: qcc-opt %s -split-input-file --qcc-vectorize-contractions | FileCheck %s
// RUN: qcc-opt %s -split-input-file --qcc-vectorize-contractions --canonicalize --loop-invariant-subset-hoisting | FileCheck %s --check-prefix=HOIST

// A (m, k, n) matmul: 4x64 output blocks, k inside, vector arithmetic.
// CHECK-LABEL: func.func @matmul
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c4
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c64
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
// CHECK: vector.transfer_read {{.*}} vector<4x64xf32>
// CHECK: arith.mulf {{.*}} vector<4x1x64xf32>
// CHECK: vector.multi_reduction <add>
// CHECK: vector.transfer_write {{.*}} vector<4x64xf32>
// The accumulator block is carried through the k loop in registers.
// HOIST-LABEL: func.func @matmul
// HOIST: vector.transfer_read {{.*}} vector<4x64xf32>
// HOIST: scf.for {{.*}} iter_args({{.*}}) -> (tensor<8x128xf32>, tensor<4x64xf32>, vector<4x64xf32>)
#mA = affine_map<(m, k, n) -> (m, k)>
#mB = affine_map<(m, k, n) -> (k, n)>
#mC = affine_map<(m, k, n) -> (m, n)>
func.func @matmul(%a: tensor<8x16xf32>, %b: tensor<16x128xf32>, %c: tensor<8x128xf32>) -> tensor<8x128xf32> {
  %0 = linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : tensor<8x16xf32>, tensor<16x128xf32>) outs(%c : tensor<8x128xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x128xf32>
  return %0 : tensor<8x128xf32>
}

// -----

// Columns that are not a multiple of 8 are left to LLVM's vectorizer.
// CHECK-LABEL: func.func @odd_columns
// CHECK-NOT: scf.for
// CHECK: linalg.generic
#mA = affine_map<(m, k, n) -> (m, k)>
#mB = affine_map<(m, k, n) -> (k, n)>
#mC = affine_map<(m, k, n) -> (m, n)>
func.func @odd_columns(%a: tensor<8x16xf32>, %b: tensor<16x10xf32>, %c: tensor<8x10xf32>) -> tensor<8x10xf32> {
  %0 = linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : tensor<8x16xf32>, tensor<16x10xf32>) outs(%c : tensor<8x10xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x10xf32>
  return %0 : tensor<8x10xf32>
}
