// The example pass plugin (examples/plugin) loads into qcc-opt and runs.
// RUN: qcc-opt %s -split-input-file --load-pass-plugin=%qcc_plugin_dir/QccPow2Scales.so --pass-pipeline='builtin.module(func.func(qcc-example-pow2-scales))' | FileCheck %s

// Per channel: s = 0.75 -> 1.0 (q * 0.75 rounded: 100 -> 75, -3 -> -2 (ties
// to even of -2.25 is -2)); s = 0.25 stays, values unchanged.
// CHECK-LABEL: func.func @per_channel
// CHECK-DAG: %[[Q:.*]] = qcc.constant dense<{{\[}}[75, -2], [8, -127]]> : tensor<2x2xi8>
// CHECK-DAG: %[[S:.*]] = qcc.constant dense<[1.000000e+00, 2.500000e-01]> : tensor<2xf32>
// CHECK: qcc.dequantize_linear %[[Q]], %[[S]] {axis = 0 : i64}
func.func @per_channel() -> tensor<2x2xf32> {
  %q = qcc.constant dense<[[100, -3], [8, -127]]> : tensor<2x2xi8>
  %s = qcc.constant dense<[0.75, 0.25]> : tensor<2xf32>
  %w = qcc.dequantize_linear %q, %s {axis = 0 : i64} : (tensor<2x2xi8>, tensor<2xf32>) -> tensor<2x2xf32>
  return %w : tensor<2x2xf32>
}

// -----

// Asymmetric (zero point) tensors are not this pass's business.
// CHECK-LABEL: func.func @asymmetric
// CHECK: qcc.constant dense<3.000000e-01> : tensor<f32>
func.func @asymmetric(%q: tensor<4xui8>) -> tensor<4xf32> {
  %s = qcc.constant dense<0.3> : tensor<f32>
  %z = qcc.constant dense<3> : tensor<ui8>
  %w = qcc.dequantize_linear %q, %s, %z {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  return %w : tensor<4xf32>
}
