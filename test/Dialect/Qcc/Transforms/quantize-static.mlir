// RUN: qcc-opt %s -split-input-file --qcc-quantize-static | FileCheck %s
// RUN: qcc-opt %s -split-input-file --qcc-quantize-static="per-tensor-weights=1 symmetric-activations=1" | FileCheck %s --check-prefix=SYM

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
// Symmetric activations: int8, zero point 0, scale 2 * 3 / 255; one weight
// scale for the tensor (max |w| = 2 -> 2/127, so 0.5 -> 32).
// SYM-LABEL: func.func @conv
// SYM-DAG: qcc.constant dense<0.0235294122> : tensor<f32>
// SYM-DAG: qcc.constant dense<0> : tensor<i8>
// SYM: qcc.quantize_linear %arg0, %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xi8>
// SYM: qcc.constant dense<{{\[}}[{{\[}}[32]]], [{{\[}}[-127]]]]> : tensor<2x1x1x1xi8>
// SYM: qcc.dequantize_linear %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<2x1x1x1xi8>, tensor<f32>) -> tensor<2x1x1x1xf32>
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
