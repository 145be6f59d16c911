// RUN: qcc-opt %s -split-input-file --qcc-quantize-dynamic="min-elements=4" | FileCheck %s

// Per-column symmetric int8 weights: column 0 has max |w| = 2 (scale 2/127),
// column 1 max |w| = 0.5 (scale 0.5/127).
// CHECK-LABEL: func.func @matmul
// CHECK: %[[Q:.*]], %[[SA:.*]], %[[ZA:.*]] = qcc.dynamic_quantize_linear %arg0 : (tensor<3x2xf32>) -> (tensor<3x2xui8>, tensor<f32>, tensor<ui8>)
// CHECK-DAG: %[[QW:.*]] = qcc.constant dense<{{\[}}[64, -127], [-127, 64]]> : tensor<2x2xi8>
// CHECK-DAG: %[[S:.*]] = qcc.constant dense<[0.0157480314, 0.00393700786]> : tensor<2xf32>
// CHECK: %[[ACC:.*]] = qcc.matmul_integer %[[Q]], %[[QW]] a_zp %[[ZA]] : (tensor<3x2xui8>, tensor<2x2xi8>, tensor<ui8>) -> tensor<3x2xi32>
// CHECK: %[[F:.*]] = qcc.cast %[[ACC]] : tensor<3x2xi32> to tensor<3x2xf32>
// CHECK: %[[SC:.*]] = qcc.mul %[[SA]], %[[S]] : (tensor<f32>, tensor<2xf32>) -> tensor<2xf32>
// CHECK: qcc.mul %[[F]], %[[SC]] : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
func.func @matmul(%a: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = qcc.constant dense<[[1.0, -0.5], [-2.0, 0.25]]> : tensor<2x2xf32>
  %0 = qcc.matmul %a, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Gemm with transB: the weight is read as B^T; alpha and beta * C follow.
// CHECK-LABEL: func.func @gemm
// CHECK-DAG: qcc.constant dense<{{\[}}[127, 0], [0, 127]]> : tensor<2x2xi8>
// CHECK: qcc.matmul_integer
// CHECK: %[[Y:.*]] = qcc.mul %{{.*}}, %{{.*}} : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
// CHECK: %[[A:.*]] = qcc.mul %[[Y]], %{{.*}} : (tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
// CHECK: %[[C:.*]] = qcc.mul %{{.*}}, %{{.*}} : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
// CHECK: qcc.add %[[A]], %[[C]] : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
func.func @gemm(%a: tensor<1x2xf32>, %c: tensor<2xf32>) -> tensor<1x2xf32> {
  %w = qcc.constant dense<[[3.0, 0.0], [0.0, 5.0]]> : tensor<2x2xf32>
  %0 = qcc.gemm %a, %w, %c {alpha = 2.0 : f32, beta = 0.5 : f32, transA = false, transB = true} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

// Non-constant weights and small ones stay float.
// CHECK-LABEL: func.func @untouched
// CHECK-NOT: matmul_integer
// CHECK: qcc.matmul
func.func @untouched(%a: tensor<3x2xf32>, %w: tensor<2x2xf32>) -> tensor<3x2xf32> {
  %0 = qcc.matmul %a, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}
