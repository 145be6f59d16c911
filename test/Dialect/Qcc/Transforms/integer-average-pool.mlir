// RUN: qcc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(qcc-integer-average-pool))' | FileCheck %s

// 16 elements per window, s_x = 0.5, s_y = 0.25: r = 0.5 / (16 * 0.25)
// = 2^-3 = 2^30 * 2^-33.
// CHECK-LABEL: func.func @gap
// CHECK: %[[X:.*]] = qcc.cast %arg0 : tensor<1x3x4x4xui8> to tensor<1x3x4x4xi32>
// CHECK: %[[C:.*]] = qcc.sub %[[X]], %{{.*}} : (tensor<1x3x4x4xi32>, tensor<i32>) -> tensor<1x3x4x4xi32>
// CHECK: %[[SUM:.*]] = qcc.reduce_sum %[[C]] {axes = array<i64: 2, 3>, keepdims = true} : (tensor<1x3x4x4xi32>) -> tensor<1x3x1x1xi32>
// CHECK-DAG: %[[M:.*]] = qcc.constant dense<1073741824> : tensor<i32>
// CHECK-DAG: %[[S:.*]] = qcc.constant dense<33> : tensor<i32>
// CHECK: qcc.requantize %[[SUM]], %[[M]], %[[S]], %{{.*}} : (tensor<1x3x1x1xi32>, tensor<i32>, tensor<i32>, tensor<ui8>) -> tensor<1x3x1x1xui8>
func.func @gap(%x: tensor<1x3x4x4xui8>) -> tensor<1x3x1x1xui8> {
  %s = qcc.constant dense<0.5> : tensor<f32>
  %z = qcc.constant dense<10> : tensor<ui8>
  %s2 = qcc.constant dense<0.25> : tensor<f32>
  %d = qcc.dequantize_linear %x, %s, %z {axis = 0 : i64} : (tensor<1x3x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3x4x4xf32>
  %g = qcc.global_average_pool %d : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>
  %q = qcc.quantize_linear %g, %s2, %z {axis = 0 : i64} : (tensor<1x3x1x1xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x3x1x1xui8>
  return %q : tensor<1x3x1x1xui8>
}

// -----

// ReduceMean over the spatial axes (ShuffleNet's pooling), keepdims = 0:
// the same int32 sum without the kept dims.
// CHECK-LABEL: func.func @reduce_mean
// CHECK: qcc.reduce_sum %{{.*}} {axes = array<i64: 2, 3>, keepdims = false} : (tensor<1x3x4x4xi32>) -> tensor<1x3xi32>
// CHECK: qcc.requantize {{.*}} -> tensor<1x3xui8>
func.func @reduce_mean(%x: tensor<1x3x4x4xui8>) -> tensor<1x3xui8> {
  %s = qcc.constant dense<0.5> : tensor<f32>
  %z = qcc.constant dense<10> : tensor<ui8>
  %s2 = qcc.constant dense<0.25> : tensor<f32>
  %d = qcc.dequantize_linear %x, %s, %z {axis = 0 : i64} : (tensor<1x3x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3x4x4xf32>
  %g = qcc.reduce_mean %d {axes = array<i64: 2, 3>, keepdims = false} : (tensor<1x3x4x4xf32>) -> tensor<1x3xf32>
  %q = qcc.quantize_linear %g, %s2, %z {axis = 0 : i64} : (tensor<1x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x3xui8>
  return %q : tensor<1x3xui8>
}

// -----

// A 3x3 window, stride 2, padding 1, padding not counted: the window sums
// are a depthwise ConvInteger of ones; the corner output has 4 taps, an
// edge one 6, an inner one 9, so each position has its own multiplier.
// CHECK-LABEL: func.func @windowed
// CHECK: %[[ONES:.*]] = qcc.constant dense<1> : tensor<2x1x3x3xi8>
// CHECK: %[[S:.*]] = qcc.conv_integer %arg0, %[[ONES]] x_zp %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xui8>, tensor<2x1x3x3xi8>, tensor<ui8>) -> tensor<1x2x3x3xi32>
// CHECK: qcc.requantize %[[S]], %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x2x3x3xi32>, tensor<1x1x3x3xi32>, tensor<1x1x3x3xi32>, tensor<ui8>) -> tensor<1x2x3x3xui8>
func.func @windowed(%x: tensor<1x2x5x5xui8>) -> tensor<1x2x3x3xui8> {
  %s = qcc.constant dense<0.5> : tensor<f32>
  %z = qcc.constant dense<10> : tensor<ui8>
  %d = qcc.dequantize_linear %x, %s, %z {axis = 0 : i64} : (tensor<1x2x5x5xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x5x5xf32>
  %p = qcc.average_pool %d {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, count_include_pad = false} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  %q = qcc.quantize_linear %p, %s, %z {axis = 0 : i64} : (tensor<1x2x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x3x3xui8>
  return %q : tensor<1x2x3x3xui8>
}
