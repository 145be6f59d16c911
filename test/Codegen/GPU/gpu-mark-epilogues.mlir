// RUN: qcc-opt %s -split-input-file --qcc-gpu-mark-epilogues | FileCheck %s

// The requantization reading an int32 MatMul through a reshape moves right
// after it (past an unrelated op), is marked, and writes a tensor.empty
// created before the contraction.
// CHECK-LABEL: func.func @mark_requantization
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x8x16xi8>
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}} ins(%arg0, %arg1
// CHECK-NEXT: ^bb0
// CHECK: linalg.yield
// CHECK-NEXT: } -> tensor<8x16xi32>
// CHECK-NEXT: %[[R:.*]] = tensor.expand_shape %[[ACC]]
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[R]], %arg2 : tensor<1x8x16xi32>, tensor<16xi32>) outs(%[[E]] : tensor<1x8x16xi8>) attrs =  {qcc.epilogue}
// CHECK: arith.negf
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (k, n)>
#o = affine_map<(m, n, k) -> (m, n)>
#id = affine_map<(b, m, n) -> (b, m, n)>
#col = affine_map<(b, m, n) -> (n)>
func.func @mark_requantization(%x: tensor<8x32xi8>, %w: tensor<32x16xi8>, %bias: tensor<16xi32>, %f: tensor<4xf32>) -> (tensor<1x8x16xi8>, tensor<4xf32>) {
  %zero = arith.constant 0 : i32
  %e0 = tensor.empty() : tensor<8x16xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e0 : tensor<8x16xi32>) -> tensor<8x16xi32>
  %acc = linalg.generic {indexing_maps = [#a, #b, #o], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<8x32xi8>, tensor<32x16xi8>) outs(%init : tensor<8x16xi32>) {
  ^bb0(%p: i8, %q: i8, %s: i32):
    %0 = arith.extui %p : i8 to i32
    %1 = arith.extsi %q : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %s, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<8x16xi32>
  %neg = arith.negf %f : tensor<4xf32>
  %r = tensor.expand_shape %acc [[0, 1], [2]] output_shape [1, 8, 16] : tensor<8x16xi32> into tensor<1x8x16xi32>
  %e1 = tensor.empty() : tensor<1x8x16xi8>
  %y = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%r, %bias : tensor<1x8x16xi32>, tensor<16xi32>) outs(%e1 : tensor<1x8x16xi8>) {
  ^bb0(%v: i32, %c: i32, %out: i8):
    %s = arith.addi %v, %c : i32
    %t = arith.trunci %s : i32 to i8
    linalg.yield %t : i8
  } -> tensor<1x8x16xi8>
  return %y, %neg : tensor<1x8x16xi8>, tensor<4xf32>
}

// -----

// A result read twice is left alone: the int32 values must reach memory.
// CHECK-LABEL: func.func @two_readers
// CHECK-NOT: qcc.epilogue
#a2 = affine_map<(m, n, k) -> (m, k)>
#b2 = affine_map<(m, n, k) -> (k, n)>
#o2 = affine_map<(m, n, k) -> (m, n)>
#id2 = affine_map<(m, n) -> (m, n)>
func.func @two_readers(%x: tensor<8x32xi8>, %w: tensor<32x16xi8>, %init: tensor<8x16xi32>) -> (tensor<8x16xi8>, tensor<8x16xi32>) {
  %acc = linalg.generic {indexing_maps = [#a2, #b2, #o2], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<8x32xi8>, tensor<32x16xi8>) outs(%init : tensor<8x16xi32>) {
  ^bb0(%p: i8, %q: i8, %s: i32):
    %0 = arith.extsi %p : i8 to i32
    %1 = arith.extsi %q : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %s, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<8x16xi32>
  %e = tensor.empty() : tensor<8x16xi8>
  %y = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%acc : tensor<8x16xi32>) outs(%e : tensor<8x16xi8>) {
  ^bb0(%v: i32, %out: i8):
    %t = arith.trunci %v : i32 to i8
    linalg.yield %t : i8
  } -> tensor<8x16xi8>
  return %y, %acc : tensor<8x16xi8>, tensor<8x16xi32>
}

// -----

// A float contraction's activation (a convolution's Relu) is marked too:
// the float kernels compute it on each finished element.
// CHECK-LABEL: func.func @mark_float_relu
// CHECK: %[[E:.*]] = tensor.empty() : tensor<8x16xf32>
// CHECK: %[[ACC:.*]] = linalg.generic
// CHECK: linalg.generic {{.*}} ins(%[[ACC]] : tensor<8x16xf32>) outs(%[[E]] : tensor<8x16xf32>) attrs =  {qcc.epilogue}
// CHECK: arith.maximumf
func.func @mark_float_relu(%x: tensor<8x32xf32>, %w: tensor<32x16xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %acc = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<8x32xf32>, tensor<32x16xf32>) outs(%init : tensor<8x16xf32>) {
  ^bb0(%p: f32, %q: f32, %s: f32):
    %0 = arith.mulf %p, %q : f32
    %1 = arith.addf %s, %0 : f32
    linalg.yield %1 : f32
  } -> tensor<8x16xf32>
  %e = tensor.empty() : tensor<8x16xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%acc : tensor<8x16xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = arith.maximumf %v, %zero : f32
    linalg.yield %0 : f32
  } -> tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}
