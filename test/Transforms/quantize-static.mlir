// RUN: qcc-opt %s -split-input-file --qcc-quantize-static | FileCheck %s

// Calibrated input [-1, 3] -> uint8 scale 4/255, zero point 64; per-channel
// int8 weights; the calibrated Relu output is quantized too.
// CHECK-LABEL: func.func @conv
// CHECK-DAG: qcc.constant dense<0.0156862754> : tensor<f32>
// CHECK-DAG: qcc.constant dense<64> : tensor<ui8>
// CHECK: %[[XQ:.*]] = qcc.quantize_linear %arg0
// CHECK: %[[XD:.*]] = qcc.dequantize_linear %[[XQ]]
// CHECK: %[[WQ:.*]] = qcc.constant dense<{{\[}}[{{\[}}[127]]], [{{\[}}[-127]]]]> : tensor<2x1x1x1xi8>
// CHECK: %[[WD:.*]] = qcc.dequantize_linear %[[WQ]], %{{.*}} {axis = 0 : i64}
// CHECK: %[[C:.*]] = qcc.conv %[[XD]], %[[WD]]
// CHECK: %[[R:.*]] = qcc.relu %[[C]]
// CHECK: %[[YQ:.*]] = qcc.quantize_linear %[[R]]
// CHECK: %[[YD:.*]] = qcc.dequantize_linear %[[YQ]]
// CHECK: return %[[YD]]
func.func @conv(%x: tensor<1x1x2x2xf32> {qcc.range = array<f32: -1.0, 3.0>}) -> tensor<1x2x2x2xf32> {
  %w = qcc.constant dense<[[[[0.5]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>
  %c = qcc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %r = qcc.relu %c {qcc.range = array<f32: 0.0, 6.0>} : tensor<1x2x2x2xf32>
  return %r : tensor<1x2x2x2xf32>
}

// -----

// Without a calibrated range the layer stays float.
// CHECK-LABEL: func.func @uncalibrated
// CHECK-NOT: quantize_linear
func.func @uncalibrated(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = qcc.constant dense<1.0> : tensor<2x2xf32>
  %0 = qcc.matmul %a, %w : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
