// RUN: qcc-opt %s -split-input-file --qcc-fold-batch-norm | FileCheck %s

// k = scale / sqrt(var + eps) = [2, 0.5]; W' = W * k; b' = (b - mean) * k + B.
// CHECK-LABEL: func.func @fold
// CHECK-DAG: %[[W:.*]] = qcc.constant dense<{{\[}}[{{\[}}[2.000000e+00]]], [{{\[}}[1.500000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = qcc.constant dense<[3.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = qcc.conv %arg0, %[[W]], %[[B]]
// CHECK-NOT: qcc.batch_norm
// CHECK: return %[[C]]
func.func @fold(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = qcc.constant dense<[[[[1.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %b = qcc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %scale = qcc.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %shift = qcc.constant dense<[1.0, -1.5]> : tensor<2xf32>
  %mean = qcc.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %var = qcc.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %c = qcc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %y = qcc.batch_norm %c, %scale, %shift, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// A conv whose output has another user is left alone.
// CHECK-LABEL: func.func @shared
// CHECK: qcc.batch_norm
func.func @shared(%x: tensor<1x1x2x2xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w = qcc.constant dense<1.0> : tensor<1x1x1x1xf32>
  %p = qcc.constant dense<1.0> : tensor<1xf32>
  %c = qcc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %y = qcc.batch_norm %c, %p, %p, %p, %p {epsilon = 0.0 : f32} : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %y, %c : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}
