// RUN: qcc-opt %s -split-input-file --qcc-quantize-weights-f16="min-elements=4" -verify-diagnostics | FileCheck %s

// Gemm's B and a conv kernel become float16 constants widened where used.
// CHECK-LABEL: func.func @gemm
// CHECK-DAG: %[[B16:.*]] = qcc.constant dense<{{\[}}[1.000000e+00, 5.000000e-01], [2.500000e-01, 9.997550e-02]]> : tensor<2x2xf16>
// CHECK: %[[B:.*]] = qcc.cast %[[B16]] : tensor<2x2xf16> to tensor<2x2xf32>
// CHECK: qcc.gemm %arg0, %[[B]]
func.func @gemm(%a: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = qcc.constant dense<[[1.0, 0.5], [0.25, 0.1]]> : tensor<2x2xf32>
  %0 = qcc.gemm %a, %b {alpha = 1.0 : f32, beta = 1.0 : f32, transA = false, transB = false} : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// One weight shared by two ops is converted once; small tensors (the bias)
// and activations stay float32.
// CHECK-LABEL: func.func @shared
// CHECK: %[[W16:.*]] = qcc.constant {{.*}} : tensor<1x1x2x2xf16>
// CHECK: %[[W:.*]] = qcc.cast %[[W16]]
// CHECK: qcc.conv %arg0, %[[W]], %{{.*}} {{.*}} : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>, tensor<1xf32>)
// CHECK: qcc.conv %arg0, %[[W]] {{.*}} : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>)
// CHECK-NOT: qcc.cast
func.func @shared(%x: tensor<1x1x3x3xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w = qcc.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>
  %b = qcc.constant dense<[0.5]> : tensor<1xf32>
  %0 = qcc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %1 = qcc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %0, %1 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}

// -----

// Values beyond float16's range keep float32, with a remark.
// CHECK-LABEL: func.func @too_large
// CHECK-NOT: f16
func.func @too_large(%a: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %b = qcc.constant dense<[[1.0, 7.0e4], [0.0, 1.0]]> : tensor<2x2xf32>
  // expected-remark @+1 {{weight kept in float32: it has values outside float16's finite range}}
  %0 = qcc.matmul %a, %b : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}
