// RUN: qcc-opt %s -split-input-file -verify-diagnostics --qcc-quantize-weight-only="bits=4 group-size=2 min-elements=1" | FileCheck %s
// RUN: qcc-opt %s -split-input-file -verify-diagnostics --qcc-quantize-weight-only="bits=4 group-size=0 symmetric=1 min-elements=1" | FileCheck %s --check-prefix=SYM

// Asymmetric uint4 in groups of 2 along K (axis 0). Group (0, col 0) spans
// [-4.5, 3] -> s = 0.5, z = 9; (0, col 1) is all zero -> s = 1, z = 0;
// (1, col 0) [0, 7.5] -> s = 0.5, 0.75 / 0.5 = 1.5 rounds half to even to 2;
// (1, col 1) [-3.75, 3.75] -> s = 0.5, z = round(7.5) = 8, 3.75 saturates
// at 15.
// CHECK-LABEL: func.func @matmul
// CHECK-DAG: %[[Q:.*]] = qcc.constant dense<{{\[}}[15, 0], [0, 0], [2, 0], [15, 15]]> : tensor<4x2xui4>
// CHECK-DAG: %[[S:.*]] = qcc.constant dense<{{\[}}[5.000000e-01, 1.000000e+00], [5.000000e-01, 5.000000e-01]]> : tensor<2x2xf32>
// CHECK-DAG: %[[Z:.*]] = qcc.constant dense<{{\[}}[9, 0], [0, 8]]> : tensor<2x2xui4>
// CHECK: %[[W:.*]] = qcc.dequantize_linear %[[Q]], %[[S]], %[[Z]] {axis = 0 : i64, block_size = 2 : i64} : (tensor<4x2xui4>, tensor<2x2xf32>, tensor<2x2xui4>) -> tensor<4x2xf32>
// CHECK: qcc.matmul %arg0, %[[W]]
// Per output column, symmetric int4 (+-7): column 0 max 7.5 -> s = 7.5/7.
// SYM-LABEL: func.func @matmul
// SYM: qcc.dequantize_linear %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<4x2xi4>, tensor<2xf32>) -> tensor<4x2xf32>
func.func @matmul(%a: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = qcc.constant dense<[[3.0, 0.0], [-4.5, 0.0], [0.75, -3.75], [7.5, 3.75]]> : tensor<4x2xf32>
  %0 = qcc.matmul %a, %w : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Gemm with transB stores N x K: the groups run along axis 1. A weight used
// twice is quantized once.
// CHECK-LABEL: func.func @gemm_trans_b
// CHECK: %[[W:.*]] = qcc.dequantize_linear %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64, block_size = 2 : i64} : (tensor<2x3xui4>, tensor<2x2xf32>, tensor<2x2xui4>) -> tensor<2x3xf32>
// CHECK: qcc.gemm %arg0, %[[W]]
// CHECK: qcc.gemm %arg0, %[[W]]
// Symmetric per channel (axis 0 of N x K): row 0 has max |w| = 7, s = 1, and
// -3.5 rounds half to even to -4; the zero row gets s = 1.
// SYM-LABEL: func.func @gemm_trans_b
// SYM-DAG: %[[Q:.*]] = qcc.constant dense<{{\[}}[7, -4, 1], [0, 0, 0]]> : tensor<2x3xi4>
// SYM-DAG: %[[S:.*]] = qcc.constant dense<1.000000e+00> : tensor<2xf32>
// SYM: qcc.dequantize_linear %[[Q]], %[[S]] {axis = 0 : i64} : (tensor<2x3xi4>, tensor<2xf32>) -> tensor<2x3xf32>
func.func @gemm_trans_b(%a: tensor<1x3xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = qcc.constant dense<[[7.0, -3.5, 1.0], [0.0, 0.0, 0.0]]> : tensor<2x3xf32>
  %0 = qcc.gemm %a, %w {alpha = 1.0 : f32, beta = 1.0 : f32, transA = false, transB = true} : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<1x2xf32>
  %1 = qcc.gemm %a, %w {alpha = 1.0 : f32, beta = 1.0 : f32, transA = false, transB = true} : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<1x2xf32>
  return %0, %1 : tensor<1x2xf32>, tensor<1x2xf32>
}

// -----

// Activations on both sides: nothing to quantize.
// CHECK-LABEL: func.func @activations
// CHECK-NOT: dequantize_linear
func.func @activations(%a: tensor<3x4xf32>, %b: tensor<4x2xf32>) -> tensor<3x2xf32> {
  %0 = qcc.matmul %a, %b : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// A NaN weight is an error naming it (its location is the initializer).
func.func @nan_weight(%a: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = qcc.constant dense<[[1.0, 0x7FC00000], [2.0, 3.0]]> : tensor<2x2xf32> loc("fc.weight")
  // expected-error @+1 {{weight 'fc.weight' has a non-finite value at flat index 1}}
  %0 = qcc.matmul %a, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

// Per-layer overrides (--exclude, --quant-config): a float layer is left
// alone; another gets its own bits and group size: 8 bits in one group of
// 4, so column 0 spans [-4.5, 7.5] with s = 12/255 and z = 96.
// CHECK-LABEL: func.func @overrides
// CHECK-DAG: qcc.constant dense<{{\[}}[96, 127]]> : tensor<1x2xui8>
// CHECK: %[[W:.*]] = qcc.dequantize_linear %{{.*}}, %{{.*}}, %{{.*}} {axis = 0 : i64, block_size = 4 : i64} : (tensor<4x2xui8>, tensor<1x2xf32>, tensor<1x2xui8>) -> tensor<4x2xf32>
// CHECK: qcc.matmul %arg0, %[[W]] {qcc.group_size = 4 : i64, qcc.weight_bits = 8 : i64}
// CHECK: qcc.matmul %arg0, %{{.*}} {qcc.quant = "float"} : (tensor<3x4xf32>, tensor<4x2xf32>)
func.func @overrides(%a: tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %w = qcc.constant dense<[[3.0, 0.0], [-4.5, 0.0], [0.75, -3.75], [7.5, 3.75]]> : tensor<4x2xf32>
  %0 = qcc.matmul %a, %w {qcc.weight_bits = 8 : i64, qcc.group_size = 4 : i64} : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  %1 = qcc.matmul %a, %w {qcc.quant = "float"} : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  return %0, %1 : tensor<3x2xf32>, tensor<3x2xf32>
}
