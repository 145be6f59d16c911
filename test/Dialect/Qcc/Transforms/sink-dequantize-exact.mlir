// RUN: qcc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(qcc-sink-dequantize{exact=true}))' | FileCheck %s

// A squeeze-and-excite product pooled: the MaxPool runs first (g >= 0 is a
// HardSigmoid, constant over each window), then on the 8-bit values; the
// gate scales the pooled elements only.
// CHECK-LABEL: func.func @gate_then_pool
// CHECK: %[[P:.*]] = qcc.max_pool %arg0 {{.*}} : (tensor<1x2x4x4xui8>) -> tensor<1x2x2x2xui8>
// CHECK: %[[D:.*]] = qcc.dequantize_linear %[[P]], {{.*}} -> tensor<1x2x2x2xf32>
// CHECK: %[[Y:.*]] = qcc.mul %[[D]], %{{.*}} : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x2x2xf32>
// CHECK: return %[[Y]]
func.func @gate_then_pool(%xq: tensor<1x2x4x4xui8>, %s: tensor<1x2x1x1xf32>) -> tensor<1x2x2x2xf32> {
  %sx = qcc.constant dense<0.5> : tensor<f32>
  %zx = qcc.constant dense<3> : tensor<ui8>
  %x = qcc.dequantize_linear %xq, %sx, %zx {axis = 1 : i64} : (tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xf32>
  %g = qcc.hard_sigmoid %s {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<1x2x1x1xf32>
  %m = qcc.mul %x, %g : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %p = qcc.max_pool %m {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  return %p : tensor<1x2x2x2xf32>
}

// -----

// Left alone: a factor that may be negative (max would become min), one
// that varies inside the windows, and an infinite constant (0 * inf).
// CHECK-LABEL: func.func @not_pooled_first
// CHECK-COUNT-3: qcc.max_pool %{{.*}} : (tensor<1x2x4x4xf32>)
func.func @not_pooled_first(%x: tensor<1x2x4x4xf32>, %s: tensor<1x2x1x1xf32>, %t: tensor<1x2x4x4xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %m1 = qcc.mul %x, %s : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %p1 = qcc.max_pool %m1 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %g = qcc.sigmoid %t : tensor<1x2x4x4xf32>
  %m2 = qcc.mul %x, %g : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p2 = qcc.max_pool %m2 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %inf = qcc.constant dense<0x7F800000> : tensor<1x2x1x1xf32>
  %m3 = qcc.mul %x, %inf : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %p3 = qcc.max_pool %m3 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  return %p1, %p2, %p3 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// -----

// exact: a float value also read as float keeps its float readers (no
// sharing of the quantized value), and a requantized value is not rounded
// once instead of twice.
// CHECK-LABEL: func.func @exact_only
// CHECK: %[[Q1:.*]] = qcc.quantize_linear %arg0
// CHECK: %[[D1:.*]] = qcc.dequantize_linear %[[Q1]]
// CHECK: qcc.quantize_linear %[[D1]]
// CHECK: qcc.add %arg0, %arg0
func.func @exact_only(%v: tensor<4xf32>) -> (tensor<4xui8>, tensor<4xf32>) {
  %s1 = qcc.constant dense<0.1> : tensor<f32>
  %s2 = qcc.constant dense<0.2> : tensor<f32>
  %z = qcc.constant dense<3> : tensor<ui8>
  %q1 = qcc.quantize_linear %v, %s1, %z {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xui8>
  %d1 = qcc.dequantize_linear %q1, %s1, %z {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  %q2 = qcc.quantize_linear %d1, %s2, %z {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xui8>
  %a = qcc.add %v, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %q2, %a : tensor<4xui8>, tensor<4xf32>
}
