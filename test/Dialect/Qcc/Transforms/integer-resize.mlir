// RUN: qcc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(qcc-integer-resize))' | FileCheck %s

// 2x bilinear along the last dim (half_pixel): output i reads source
// (i + 0.5) / 2 - 0.5, i.e. -0.25, 0.25, 0.75, 1.25: indices (0,0), (0,1),
// (0,1), (1,1) with 12-bit weights (1024, 3072), (3072, 1024), (1024,
// 3072), (3072, 1024); the requantization divides by 2^12 (one dim).
// CHECK-LABEL: func.func @bilinear
// CHECK: %[[X:.*]] = qcc.sub
// CHECK: %[[I0:.*]] = qcc.constant dense<[0, 0, 0, 1]> : tensor<4xi64>
// CHECK: %[[G0:.*]] = qcc.gather %[[X]], %[[I0]] {axis = 1 : i64} : (tensor<1x2xi32>, tensor<4xi64>) -> tensor<1x4xi32>
// CHECK: %[[W0:.*]] = qcc.constant dense<{{\[}}[1024, 3072, 1024, 3072]]> : tensor<1x4xi32>
// CHECK: qcc.mul %[[G0]], %[[W0]]
// CHECK: %[[I1:.*]] = qcc.constant dense<[0, 1, 1, 1]> : tensor<4xi64>
// CHECK: %[[W1:.*]] = qcc.constant dense<{{\[}}[3072, 1024, 3072, 1024]]> : tensor<1x4xi32>
// CHECK: qcc.add
// CHECK: qcc.requantize {{.*}} -> tensor<1x4xui8>
// CHECK-NOT: qcc.resize
func.func @bilinear(%x: tensor<1x2xui8>) -> tensor<1x4xui8> {
  %s = qcc.constant dense<0.1> : tensor<f32>
  %z = qcc.constant dense<100> : tensor<ui8>
  %d = qcc.dequantize_linear %x, %s, %z {axis = 0 : i64} : (tensor<1x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2xf32>
  %r = qcc.resize %d {coordinate_transformation_mode = "half_pixel", mode = "linear", nearest_mode = "floor", scales = array<f32: 1.0, 2.0>} : (tensor<1x2xf32>) -> tensor<1x4xf32>
  %q = qcc.quantize_linear %r, %s, %z {axis = 0 : i64} : (tensor<1x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4xui8>
  return %q : tensor<1x4xui8>
}
