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

// -----

// A depthwise convolution reading its windows in place: the vector loop is
// the output row (w), each tap reads 16 contiguous inputs at offset
// (h + kh, w + kw); the output rows are not register-blocked (the input
// window depends on h).
// CHECK-LABEL: func.func @depthwise_window
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c16
// CHECK: tensor.extract_slice %arg0{{.*}} [1, 1, 16] [1, 1, 1] : tensor<2x6x18xf32> to tensor<1x1x16xf32>
// CHECK: vector.transfer_read %{{.*}} : tensor<1x1x16xf32>, vector<1x1x1x1x16xf32>
// CHECK: arith.mulf {{.*}} : vector<1x1x1x1x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<1x1x16xf32>
#dwIn = affine_map<(c, h, kh, kw, w) -> (c, h + kh, w + kw)>
#dwW = affine_map<(c, h, kh, kw, w) -> (c, kh, kw)>
#dwOut = affine_map<(c, h, kh, kw, w) -> (c, h, w)>
func.func @depthwise_window(%x: tensor<2x6x18xf32>, %w: tensor<2x3x3xf32>, %y: tensor<2x4x16xf32>) -> tensor<2x4x16xf32> {
  %0 = linalg.generic {indexing_maps = [#dwIn, #dwW, #dwOut], iterator_types = ["parallel", "parallel", "reduction", "reduction", "parallel"]}
      ins(%x, %w : tensor<2x6x18xf32>, tensor<2x3x3xf32>) outs(%y : tensor<2x4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x4x16xf32>
  return %0 : tensor<2x4x16xf32>
}

// -----

// A 2x2 stride-2 MaxPool: the window row (2 * w + kw) is a strided slice
// of the tile's 31-element run, read as one vector of 16 lanes.
// CHECK-LABEL: func.func @maxpool_stride2
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c16
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0] [1, 1, 16] [1, 1, 2] : tensor<1x1x31xi8> to tensor<1x1x16xi8>
// CHECK: vector.transfer_read %{{.*}} : tensor<1x1x16xi8>, vector<1x1x1x1x16xi8>
// CHECK: vector.multi_reduction <maxui>, %{{.*}}, %{{.*}} [2, 3] : vector<1x1x1x1x16xi8> to vector<1x1x16xi8>
#mpIn = affine_map<(c, h, kh, kw, w) -> (c, 2 * h + kh, 2 * w + kw)>
#mpK = affine_map<(c, h, kh, kw, w) -> (kh, kw)>
#mpOut = affine_map<(c, h, kh, kw, w) -> (c, h, w)>
func.func @maxpool_stride2(%x: tensor<2x8x32xi8>, %k: tensor<2x2xi8>, %y: tensor<2x4x16xi8>) -> tensor<2x4x16xi8> {
  %0 = linalg.generic {indexing_maps = [#mpIn, #mpK, #mpOut], iterator_types = ["parallel", "parallel", "reduction", "reduction", "parallel"]}
      ins(%x, %k : tensor<2x8x32xi8>, tensor<2x2xi8>) outs(%y : tensor<2x4x16xi8>) {
  ^bb0(%a: i8, %b: i8, %acc: i8):
    %m = arith.maxui %a, %acc : i8
    linalg.yield %m : i8
  } -> tensor<2x4x16xi8>
  return %0 : tensor<2x4x16xi8>
}

// -----

// An init filled with a constant (and read by nothing else): the output is
// never filled in full; each 4x64 block is filled with the constant just
// before its reduction loop, where (after hoisting, the pipeline's next
// canonicalization forwards the write to the read) the accumulator starts
// as a splat in registers.
// CHECK-LABEL: func.func @filled_init
// CHECK-NOT: linalg.fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<8x128xf32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[E]])
// CHECK: scf.for
// CHECK: vector.transfer_write %{{.*}} : vector<4x64xf32>, tensor<4x64xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
// HOIST-LABEL: func.func @filled_init
// HOIST-NOT: linalg.fill
// HOIST: %[[Z:.*]] = arith.constant dense<0.000000e+00> : vector<4x64xf32>
// HOIST: %[[W:.*]] = vector.transfer_write %[[Z]]
// HOIST: %[[R:.*]] = vector.transfer_read %[[W]]
// HOIST: scf.for {{.*}} iter_args({{.*}} = %[[W]], {{.*}} = %[[R]]) -> (tensor<4x64xf32>, vector<4x64xf32>)
#mA = affine_map<(m, k, n) -> (m, k)>
#mB = affine_map<(m, k, n) -> (k, n)>
#mC = affine_map<(m, k, n) -> (m, n)>
func.func @filled_init(%a: tensor<8x16xf32>, %b: tensor<16x128xf32>) -> tensor<8x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x128xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<8x128xf32>) -> tensor<8x128xf32>
  %0 = linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : tensor<8x16xf32>, tensor<16x128xf32>) outs(%c : tensor<8x128xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x128xf32>
  return %0 : tensor<8x128xf32>
}
