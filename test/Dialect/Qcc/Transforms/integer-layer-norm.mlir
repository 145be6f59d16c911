// RUN: qcc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(qcc-integer-layer-norm))' | FileCheck %s

// Q(LayerNorm(DQ(x))) over the last axis of 4: offset = max(1, round(4^3
// 1e-5 / 0.05^2)) = 1; the worst sum 4 (510 4)^2 + 1 < 2^24 leaves the
// full pre-shift of 15; gain = gamma sqrt(4) / 0.02 = 100 takes 24 bits
// (100 2^24 < 2^31), bias = 0.1 / 0.02 2^39 (with 0.02 as a float32).
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xui8>)
// CHECK-DAG: %[[G:.*]] = qcc.constant dense<1677721638> : tensor<4xi32>
// CHECK-DAG: %[[B:.*]] = qcc.constant dense<[0, 0, 0, 2748779171840]> : tensor<4xi64>
// CHECK: %[[Y:.*]] = qcc.layer_norm_integer %[[X]], %[[G]], %[[B]], %{{.*}} {axis = 1 : i64, gain_shift = 24 : i64, offset = 1 : i64, pre_shift = 15 : i64} : (tensor<2x4xui8>, tensor<4xi32>, tensor<4xi64>, tensor<ui8>) -> tensor<2x4xui8>
// CHECK-NOT: qcc.layer_norm {{.*}}f32
// CHECK: return %[[Y]]
func.func @layer_norm(%x: tensor<2x4xui8>) -> tensor<2x4xui8> {
  %sx = qcc.constant dense<0.05> : tensor<f32>
  %zx = qcc.constant dense<128> : tensor<ui8>
  %g = qcc.constant dense<1.0> : tensor<4xf32>
  %b = qcc.constant dense<[0.0, 0.0, 0.0, 0.1]> : tensor<4xf32>
  %sy = qcc.constant dense<0.02> : tensor<f32>
  %zy = qcc.constant dense<128> : tensor<ui8>
  %d = qcc.dequantize_linear %x, %sx, %zx {axis = 0 : i64} : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
  %n = qcc.layer_norm %d, %g, %b {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %q = qcc.quantize_linear %n, %sy, %zy {axis = 0 : i64} : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
  return %q : tensor<2x4xui8>
}

// -----

// Normalizing two trailing dims (N = 6); no bias: zeros. A larger epsilon
// shows in the offset: round(6^3 0.01 / 0.1^2) = 216.
// CHECK-LABEL: func.func @two_axes
// CHECK: qcc.layer_norm_integer {{.*}} {axis = 1 : i64, {{.*}}offset = 216 : i64{{.*}}} : (tensor<1x2x3xi8>, tensor<2x3xi32>, tensor<2x3xi64>, tensor<i8>) -> tensor<1x2x3xi8>
func.func @two_axes(%x: tensor<1x2x3xi8>) -> tensor<1x2x3xi8> {
  %sx = qcc.constant dense<0.1> : tensor<f32>
  %g = qcc.constant dense<[[1.0, 2.0, 0.5], [1.0, 1.0, 1.0]]> : tensor<2x3xf32>
  %sy = qcc.constant dense<0.05> : tensor<f32>
  %d = qcc.dequantize_linear %x, %sx {axis = 0 : i64} : (tensor<1x2x3xi8>, tensor<f32>) -> tensor<1x2x3xf32>
  %n = qcc.layer_norm %d, %g {axis = 1 : i64, epsilon = 0.01 : f32} : (tensor<1x2x3xf32>, tensor<2x3xf32>) -> tensor<1x2x3xf32>
  %q = qcc.quantize_linear %n, %sy {axis = 0 : i64} : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xi8>
  return %q : tensor<1x2x3xi8>
}

// -----

// A scale computed at run time has no fixed-point gain: left in float.
// CHECK-LABEL: func.func @dynamic_gamma
// CHECK: qcc.layer_norm
// CHECK-NOT: qcc.layer_norm_integer
func.func @dynamic_gamma(%x: tensor<2x4xui8>, %g: tensor<4xf32>) -> tensor<2x4xui8> {
  %s = qcc.constant dense<0.05> : tensor<f32>
  %z = qcc.constant dense<128> : tensor<ui8>
  %d = qcc.dequantize_linear %x, %s, %z {axis = 0 : i64} : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
  %n = qcc.layer_norm %d, %g {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %q = qcc.quantize_linear %n, %s, %z {axis = 0 : i64} : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
  return %q : tensor<2x4xui8>
}

// -----

// An int16 input (the residual stream): |d| < 2^16 N, so the worst sum
// 4 (2^18)^2 leaves a pre-shift of 12 (2^38 4^12 < 2^63).
// CHECK-LABEL: func.func @int16_input
// CHECK: qcc.layer_norm_integer {{.*}}pre_shift = 12 : i64} : (tensor<2x4xi16>, tensor<4xi32>, tensor<4xi64>, tensor<ui8>) -> tensor<2x4xui8>
func.func @int16_input(%x: tensor<2x4xi16>) -> tensor<2x4xui8> {
  %sx = qcc.constant dense<0.0001> : tensor<f32>
  %zx = qcc.constant dense<0> : tensor<i16>
  %g = qcc.constant dense<1.0> : tensor<4xf32>
  %sy = qcc.constant dense<0.02> : tensor<f32>
  %zy = qcc.constant dense<128> : tensor<ui8>
  %d = qcc.dequantize_linear %x, %sx, %zx {axis = 0 : i64} : (tensor<2x4xi16>, tensor<f32>, tensor<i16>) -> tensor<2x4xf32>
  %n = qcc.layer_norm %d, %g {axis = 1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %q = qcc.quantize_linear %n, %sy, %zy {axis = 0 : i64} : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
  return %q : tensor<2x4xui8>
}
