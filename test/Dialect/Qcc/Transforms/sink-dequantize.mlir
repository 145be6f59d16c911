// RUN: qcc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(qcc-sink-dequantize))' | FileCheck %s

// MaxPool and Reshape move onto the 8-bit tensor; the QuantizeLinear that
// undoes the DequantizeLinear (same scale and zero point) disappears.
// CHECK-LABEL: func.func @pool_reshape
// CHECK: %[[P:.*]] = qcc.max_pool %arg0 {{.*}} : (tensor<1x2x4x4xui8>) -> tensor<1x2x2x2xui8>
// CHECK: %[[R:.*]] = qcc.reshape %[[P]] : (tensor<1x2x2x2xui8>) -> tensor<1x8xui8>
// CHECK-NOT: qcc.quantize_linear
// CHECK: return %[[R]]
func.func @pool_reshape(%x: tensor<1x2x4x4xui8>) -> tensor<1x8xui8> {
  %s = qcc.constant dense<0.1> : tensor<f32>
  %z = qcc.constant dense<5> : tensor<ui8>
  %d = qcc.dequantize_linear %x, %s, %z {axis = 0 : i64} : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xf32>
  %p = qcc.max_pool %d {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %r = qcc.reshape %p : (tensor<1x2x2x2xf32>) -> tensor<1x8xf32>
  %q = qcc.quantize_linear %r, %s, %z {axis = 0 : i64} : (tensor<1x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x8xui8>
  return %q : tensor<1x8xui8>
}

// -----

// A QuantizeLinear after a reshape of a float value moves above it.
// CHECK-LABEL: func.func @hoist
// CHECK: %[[Q:.*]] = qcc.quantize_linear %arg0, {{.*}} -> tensor<2x3xui8>
// CHECK: qcc.reshape %[[Q]] {{.*}} -> tensor<6xui8>
func.func @hoist(%x: tensor<2x3xf32>) -> tensor<6xui8> {
  %s = qcc.constant dense<0.1> : tensor<f32>
  %r = qcc.reshape %x : (tensor<2x3xf32>) -> tensor<6xf32>
  %q = qcc.quantize_linear %r, %s {axis = 0 : i64} : (tensor<6xf32>, tensor<f32>) -> tensor<6xui8>
  return %q : tensor<6xui8>
}

// -----

// A different output scale keeps the requantizing pair.
// CHECK-LABEL: func.func @other_scale
// CHECK: qcc.dequantize_linear
// CHECK: qcc.quantize_linear
func.func @other_scale(%x: tensor<4xui8>) -> tensor<4xui8> {
  %s = qcc.constant dense<0.1> : tensor<f32>
  %s2 = qcc.constant dense<0.2> : tensor<f32>
  %d = qcc.dequantize_linear %x, %s {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>) -> tensor<4xf32>
  %q = qcc.quantize_linear %d, %s2 {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>) -> tensor<4xui8>
  return %q : tensor<4xui8>
}

// -----

// Transpose moves 8-bit values like Reshape does.
// CHECK-LABEL: func.func @transpose
// CHECK: %[[T:.*]] = qcc.transpose %arg0 {perm = array<i64: 1, 0>} : (tensor<2x3xui8>) -> tensor<3x2xui8>
// CHECK: qcc.dequantize_linear %[[T]]
func.func @transpose(%x: tensor<2x3xui8>) -> tensor<3x2xf32> {
  %s = qcc.constant dense<0.1> : tensor<f32>
  %z = qcc.constant dense<3> : tensor<ui8>
  %d = qcc.dequantize_linear %x, %s, %z {axis = 0 : i64} : (tensor<2x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xf32>
  %t = qcc.transpose %d {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %t : tensor<3x2xf32>
}

// -----

// A quantized lookup into a constant float table reads the table quantized
// now (x / 0.5 rounded half to even, + 1, saturated: 0.5 -> 0, -0.5 -> 0,
// 1.5 -> 2): an 8-bit embedding.
// CHECK-LABEL: func.func @embedding
// CHECK: %[[T:.*]] = qcc.constant dense<{{\[}}[1, 1, 3], [0, 255, 1]]> : tensor<2x3xui8>
// CHECK: %[[G:.*]] = qcc.gather %[[T]], %arg0 {axis = 0 : i64} : (tensor<2x3xui8>, tensor<4xi64>) -> tensor<4x3xui8>
// CHECK-NOT: qcc.quantize_linear
// CHECK: return %[[G]]
func.func @embedding(%ids: tensor<4xi64>) -> tensor<4x3xui8> {
  %table = qcc.constant dense<[[0.0, 0.25, 0.75], [-1.0, 500.0, -0.25]]> : tensor<2x3xf32>
  %s = qcc.constant dense<0.5> : tensor<f32>
  %z = qcc.constant dense<1> : tensor<ui8>
  %g = qcc.gather %table, %ids {axis = 0 : i64} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<4x3xf32>
  %q = qcc.quantize_linear %g, %s, %z {axis = 0 : i64} : (tensor<4x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<4x3xui8>
  return %q : tensor<4x3xui8>
}

// -----

// Q(Concat(a, b)) quantizes the inputs instead (exact: quantization is
// elementwise); Q(DQ(x)) with x's own parameters then folds, so the Concat
// moves 8-bit values; a Slice does too.
// CHECK-LABEL: func.func @concat
// CHECK: %[[S:.*]] = qcc.slice %arg0
// CHECK-SAME: -> tensor<1x2x4xui8>
// CHECK: %[[C:.*]] = qcc.concat %[[S]], %{{.*}} {axis = 1 : i64} : (tensor<1x2x4xui8>, tensor<1x3x4xui8>) -> tensor<1x5x4xui8>
// CHECK: return %[[C]]
func.func @concat(%a: tensor<1x4x4xui8>, %b: tensor<1x3x4xf32>) -> tensor<1x5x4xui8> {
  %s = qcc.constant dense<0.1> : tensor<f32>
  %z = qcc.constant dense<3> : tensor<ui8>
  %da = qcc.dequantize_linear %a, %s, %z {axis = 0 : i64} : (tensor<1x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x4x4xf32>
  %sa = qcc.slice %da {starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : (tensor<1x4x4xf32>) -> tensor<1x2x4xf32>
  %c = qcc.concat %sa, %b {axis = 1 : i64} : (tensor<1x2x4xf32>, tensor<1x3x4xf32>) -> tensor<1x5x4xf32>
  %q = qcc.quantize_linear %c, %s, %z {axis = 0 : i64} : (tensor<1x5x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x5x4xui8>
  return %q : tensor<1x5x4xui8>
}

// -----

// Q2(DQ1(Q1(v))) with nothing else reading Q1: one rounding, Q2(v).
// CHECK-LABEL: func.func @requantized_once
// CHECK: %[[Q:.*]] = qcc.quantize_linear %arg0, %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xui8>
// CHECK-NOT: qcc.quantize_linear
// CHECK: return %[[Q]]
func.func @requantized_once(%v: tensor<4xf32>) -> tensor<4xui8> {
  %s1 = qcc.constant dense<0.1> : tensor<f32>
  %s2 = qcc.constant dense<0.2> : tensor<f32>
  %z = qcc.constant dense<3> : tensor<ui8>
  %q1 = qcc.quantize_linear %v, %s1, %z {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xui8>
  %d1 = qcc.dequantize_linear %q1, %s1, %z {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  %q2 = qcc.quantize_linear %d1, %s2, %z {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xui8>
  return %q2 : tensor<4xui8>
}
