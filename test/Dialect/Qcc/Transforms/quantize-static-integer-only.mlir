// RUN: qcc-opt %s -split-input-file --qcc-quantize-static="integer-only=1" | FileCheck %s

// A residual stream: LayerNormalization's input and the sum carrying it on
// are int16 (zero point 0, scale max|x| / 32767); LayerNorm's output and
// the attention MatMul's operands and output are 8-bit; the Mul by a
// positive scalar after the MatMul is observed, not the MatMul itself;
// Softmax's output is uint8 at 1/255 without a range.
// CHECK-LABEL: func.func @residual
// CHECK: %[[S16:.*]] = qcc.constant dense<1.22074038E-4> : tensor<f32>
// CHECK: %[[Q16:.*]] = qcc.quantize_linear %arg0, %[[S16]], %{{.*}} : (tensor<4x8xf32>, tensor<f32>, tensor<i16>) -> tensor<4x8xi16>
// CHECK: %[[X:.*]] = qcc.dequantize_linear %[[Q16]]
// CHECK: %[[N:.*]] = qcc.layer_norm %[[X]]
// CHECK: qcc.quantize_linear %[[N]], {{.*}} -> tensor<4x8xui8>
// CHECK: %[[MM:.*]] = qcc.matmul
// CHECK: %[[SC:.*]] = qcc.mul %[[MM]]
// CHECK-NEXT: qcc.constant
// CHECK-NEXT: qcc.constant
// CHECK-NEXT: qcc.quantize_linear %[[SC]], {{.*}} -> tensor<4x4xui8>
// CHECK: %[[P:.*]] = qcc.softmax
// CHECK-NEXT: %[[PS:.*]] = qcc.constant dense<0.00392156886> : tensor<f32>
// CHECK-NEXT: %[[PZ:.*]] = qcc.constant dense<0> : tensor<ui8>
// CHECK-NEXT: qcc.quantize_linear %[[P]], %[[PS]], %[[PZ]]
// CHECK: %[[SUM:.*]] = qcc.add %[[X]]
// CHECK: qcc.quantize_linear %[[SUM]], {{.*}} -> tensor<4x8xi16>
func.func @residual(%x: tensor<4x8xf32> {qcc.range = array<f32: -4.0, 3.0>}) -> tensor<4x8xf32> {
  %g = qcc.constant dense<1.0> : tensor<8xf32>
  %c = qcc.constant dense<0.5> : tensor<f32>
  %n = qcc.layer_norm %x, %g {axis = 1 : i64, epsilon = 1.0e-5 : f32, qcc.range = array<f32: -2.0, 2.0>} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %t = qcc.transpose %n {perm = array<i64: 1, 0>, qcc.range = array<f32: -2.0, 2.0>} : (tensor<4x8xf32>) -> tensor<8x4xf32>
  %mm = qcc.matmul %n, %t : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
  %sc = qcc.mul %mm, %c {qcc.range = array<f32: -3.0, 3.0>} : (tensor<4x4xf32>, tensor<f32>) -> tensor<4x4xf32>
  %p = qcc.softmax %sc {axis = 1 : i64} : tensor<4x4xf32>
  %pt = qcc.transpose %t {perm = array<i64: 1, 0>, qcc.range = array<f32: -2.0, 2.0>} : (tensor<8x4xf32>) -> tensor<4x8xf32>
  %v = qcc.matmul %p, %pt {qcc.range = array<f32: -1.0, 1.0>} : (tensor<4x4xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %sum = qcc.add %x, %v {qcc.range = array<f32: -5.0, 4.0>} : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %sum : tensor<4x8xf32>
}
