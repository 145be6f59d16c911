// RUN: qcc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(qcc-requantize-fixed-point))' | FileCheck %s

// Per-channel scales 0.5 and 0.75 (output scale 1): multipliers
// 2^30 and 0.75 * 2^31, right shifts 31 and 31.
// CHECK-LABEL: func.func @per_channel
// CHECK-DAG: %[[M:.*]] = qcc.constant dense<[{{\[}}[1073741824]], {{\[}}[1610612736]]]> : tensor<2x1x1xi32>
// CHECK-DAG: %[[S:.*]] = qcc.constant dense<31> : tensor<2x1x1xi32>
// CHECK: %[[Q:.*]] = qcc.requantize %arg0, %[[M]], %[[S]], %{{.*}} : (tensor<2x3x3xi32>, tensor<2x1x1xi32>, tensor<2x1x1xi32>, tensor<ui8>) -> tensor<2x3x3xui8>
// CHECK: return %[[Q]]
func.func @per_channel(%acc: tensor<2x3x3xi32>) -> tensor<2x3x3xui8> {
  %s = qcc.constant dense<[[[0.5]], [[0.75]]]> : tensor<2x1x1xf32>
  %one = qcc.constant dense<1.0> : tensor<f32>
  %zp = qcc.constant dense<7> : tensor<ui8>
  %f = qcc.cast %acc : tensor<2x3x3xi32> to tensor<2x3x3xf32>
  %y = qcc.mul %f, %s : (tensor<2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<2x3x3xf32>
  %q = qcc.quantize_linear %y, %one, %zp {axis = 0 : i64} : (tensor<2x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3x3xui8>
  return %q : tensor<2x3x3xui8>
}

// -----

// The output scale divides the accumulator scale: 0.25 / 2 = 2^30 * 2^-33; no
// zero point means int8 zero.
// CHECK-LABEL: func.func @output_scale
// CHECK-DAG: qcc.constant dense<1073741824> : tensor<i32>
// CHECK-DAG: qcc.constant dense<33> : tensor<i32>
// CHECK-DAG: %[[Z:.*]] = qcc.constant dense<0> : tensor<i8>
// CHECK: qcc.requantize %arg0, %{{.*}}, %{{.*}}, %[[Z]] : (tensor<4xi32>, tensor<i32>, tensor<i32>, tensor<i8>) -> tensor<4xi8>
func.func @output_scale(%acc: tensor<4xi32>) -> tensor<4xi8> {
  %s = qcc.constant dense<0.25> : tensor<f32>
  %two = qcc.constant dense<2.0> : tensor<f32>
  %f = qcc.cast %acc : tensor<4xi32> to tensor<4xf32>
  %y = qcc.mul %s, %f : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %zp = qcc.constant dense<0> : tensor<i8>
  %q = qcc.quantize_linear %y, %two, %zp {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  return %q : tensor<4xi8>
}

// -----

// A float input that is not a scaled int32 accumulator stays as it is.
// CHECK-LABEL: func.func @not_an_accumulator
// CHECK-NOT: qcc.requantize
// CHECK: qcc.quantize_linear
func.func @not_an_accumulator(%x: tensor<4xf32>) -> tensor<4xui8> {
  %one = qcc.constant dense<1.0> : tensor<f32>
  %q = qcc.quantize_linear %x, %one {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>) -> tensor<4xui8>
  return %q : tensor<4xui8>
}
