// RUN: qcc-opt %s -split-input-file --qcc-gemm-to-matmul | FileCheck %s

// transB: the weight is transposed at compile time; the [N] bias becomes an
// Add; per-layer attributes move to the MatMul, which remembers it was a
// Gemm.
// CHECK-LABEL: func.func @trans_b
// CHECK: %[[W:.*]] = qcc.constant dense<{{\[}}[1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK: %[[M:.*]] = qcc.matmul %arg0, %[[W]] {qcc.onnx_op = "Gemm", qcc.quant = "float"} : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
// CHECK: %[[Y:.*]] = qcc.add %[[M]], %arg1 : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
// CHECK-NOT: qcc.gemm
// CHECK: return %[[Y]]
func.func @trans_b(%a: tensor<4x2xf32>, %c: tensor<3xf32>) -> tensor<4x3xf32> {
  %b = qcc.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %0 = qcc.gemm %a, %b, %c {alpha = 1.0 : f32, beta = 1.0 : f32, transA = false, transB = true, qcc.quant = "float"} : (tensor<4x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A [1, N] bias is reshaped to [N]; without transB the weight is used as is.
// CHECK-LABEL: func.func @row_bias
// CHECK: %[[M:.*]] = qcc.matmul %arg0, %{{.*}} {qcc.onnx_op = "Gemm"} : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
// CHECK: %[[B:.*]] = qcc.reshape %arg1 : (tensor<1x2xf32>) -> tensor<2xf32>
// CHECK: qcc.add %[[M]], %[[B]]
func.func @row_bias(%a: tensor<4x2xf32>, %c: tensor<1x2xf32>) -> tensor<4x2xf32> {
  %b = qcc.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %0 = qcc.gemm %a, %b, %c {alpha = 1.0 : f32, beta = 1.0 : f32, transA = false, transB = false} : (tensor<4x2xf32>, tensor<2x2xf32>, tensor<1x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// Without a bias there is no Add.
// CHECK-LABEL: func.func @no_bias
// CHECK: %[[M:.*]] = qcc.matmul
// CHECK-NOT: qcc.add
// CHECK: return %[[M]]
func.func @no_bias(%a: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %b = qcc.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %0 = qcc.gemm %a, %b {alpha = 1.0 : f32, beta = 1.0 : f32, transA = false, transB = false} : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// Not rewritten: alpha != 1, beta != 1, transA, a weight that is not a
// constant, a bias that is not per column.
// CHECK-LABEL: func.func @kept
// CHECK-COUNT-5: qcc.gemm
// CHECK-NOT: qcc.matmul
func.func @kept(%a: tensor<2x2xf32>, %w: tensor<2x2xf32>, %c: tensor<2x2xf32>, %v: tensor<2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %b = qcc.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %0 = qcc.gemm %a, %b, %v {alpha = 2.0 : f32, beta = 1.0 : f32, transA = false, transB = false} : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %1 = qcc.gemm %a, %b, %v {alpha = 1.0 : f32, beta = 0.5 : f32, transA = false, transB = false} : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %2 = qcc.gemm %a, %b, %v {alpha = 1.0 : f32, beta = 1.0 : f32, transA = true, transB = false} : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %3 = qcc.gemm %a, %w, %v {alpha = 1.0 : f32, beta = 1.0 : f32, transA = false, transB = false} : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %4 = qcc.gemm %a, %b, %c {alpha = 1.0 : f32, beta = 1.0 : f32, transA = false, transB = false} : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0, %1, %2, %3, %4 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}
