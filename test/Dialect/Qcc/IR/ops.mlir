// RUN: qcc-opt %s | qcc-opt | FileCheck %s
// RUN: qcc-opt %s --mlir-print-op-generic | qcc-opt | FileCheck %s

// Round trip of every qcc op through the custom assembly format (and through
// the generic form), including optional operands and unsigned element types.

// CHECK-LABEL: func.func @constant
func.func @constant() -> (tensor<2xf32>, tensor<3xui8>, tensor<i64>) {
  // CHECK: qcc.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %0 = qcc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: qcc.constant dense<[0, 128, 255]> : tensor<3xui8>
  %1 = qcc.constant dense<[0, 128, 255]> : tensor<3xui8>
  // CHECK: qcc.constant dense<7> : tensor<i64>
  %2 = qcc.constant dense<7> : tensor<i64>
  return %0, %1, %2 : tensor<2xf32>, tensor<3xui8>, tensor<i64>
}

// CHECK-LABEL: func.func @unary
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<4xi1>)
func.func @unary(%x: tensor<2x3xf32>, %b: tensor<4xi1>) {
  // CHECK: qcc.sqrt %[[X]] : tensor<2x3xf32>
  %0 = qcc.sqrt %x : tensor<2x3xf32>
  // CHECK: qcc.exp %[[X]] : tensor<2x3xf32>
  %1 = qcc.exp %x : tensor<2x3xf32>
  // CHECK: qcc.log %[[X]] : tensor<2x3xf32>
  %2 = qcc.log %x : tensor<2x3xf32>
  // CHECK: qcc.erf %[[X]] : tensor<2x3xf32>
  %3 = qcc.erf %x : tensor<2x3xf32>
  // CHECK: qcc.tanh %[[X]] : tensor<2x3xf32>
  %4 = qcc.tanh %x : tensor<2x3xf32>
  // CHECK: qcc.sigmoid %[[X]] : tensor<2x3xf32>
  %5 = qcc.sigmoid %x : tensor<2x3xf32>
  // CHECK: qcc.relu %[[X]] : tensor<2x3xf32>
  %6 = qcc.relu %x : tensor<2x3xf32>
  // CHECK: qcc.neg %[[X]] : tensor<2x3xf32>
  %7 = qcc.neg %x : tensor<2x3xf32>
  // CHECK: qcc.abs %[[X]] : tensor<2x3xf32>
  %8 = qcc.abs %x : tensor<2x3xf32>
  // CHECK: qcc.floor %[[X]] : tensor<2x3xf32>
  %9 = qcc.floor %x : tensor<2x3xf32>
  // CHECK: qcc.ceil %[[X]] : tensor<2x3xf32>
  %10 = qcc.ceil %x : tensor<2x3xf32>
  // CHECK: qcc.round %[[X]] : tensor<2x3xf32>
  %11 = qcc.round %x : tensor<2x3xf32>
  // CHECK: qcc.reciprocal %[[X]] : tensor<2x3xf32>
  %12 = qcc.reciprocal %x : tensor<2x3xf32>
  // CHECK: qcc.sin %[[X]] : tensor<2x3xf32>
  %13 = qcc.sin %x : tensor<2x3xf32>
  // CHECK: qcc.cos %[[X]] : tensor<2x3xf32>
  %14 = qcc.cos %x : tensor<2x3xf32>
  // CHECK: qcc.sign %[[X]] : tensor<2x3xf32>
  %15 = qcc.sign %x : tensor<2x3xf32>
  // CHECK: qcc.not %[[B]] : tensor<4xi1>
  %16 = qcc.not %b : tensor<4xi1>
  // CHECK: qcc.softplus %[[X]] : tensor<2x3xf32>
  %17 = qcc.softplus %x : tensor<2x3xf32>
  // CHECK: qcc.hard_swish %[[X]] : tensor<2x3xf32>
  %18 = qcc.hard_swish %x : tensor<2x3xf32>
  return
}

// CHECK-LABEL: func.func @unary_attrs
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[U:.*]]: tensor<4xui8>)
func.func @unary_attrs(%x: tensor<4xf32>, %u: tensor<4xui8>) {
  // CHECK: qcc.leaky_relu %[[X]] {alpha = 0.00999999977 : f32} : tensor<4xf32>
  %0 = qcc.leaky_relu %x {alpha = 0.01 : f32} : tensor<4xf32>
  // CHECK: qcc.elu %[[X]] {alpha = 1.000000e+00 : f32} : tensor<4xf32>
  %1 = qcc.elu %x {alpha = 1.0 : f32} : tensor<4xf32>
  // CHECK: qcc.hard_sigmoid %[[X]] {alpha = 2.000000e-01 : f32, beta = 5.000000e-01 : f32} : tensor<4xf32>
  %2 = qcc.hard_sigmoid %x {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<4xf32>
  // CHECK: qcc.gelu %[[X]] {approximate = "tanh"} : tensor<4xf32>
  %3 = qcc.gelu %x {approximate = "tanh"} : tensor<4xf32>
  // CHECK: qcc.clip %[[X]] {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<4xf32>
  %4 = qcc.clip %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<4xf32>
  // Bounds are optional.
  // CHECK: qcc.clip %[[X]] : tensor<4xf32>
  %5 = qcc.clip %x : tensor<4xf32>
  // CHECK: qcc.clip %[[U]] {max = 2.000000e+02 : f64} : tensor<4xui8>
  %6 = qcc.clip %u {max = 200.0 : f64} : tensor<4xui8>
  return
}

// CHECK-LABEL: func.func @binary
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>, %[[U:.*]]: tensor<2x1xui8>, %[[V:.*]]: tensor<3xui8>, %[[P:.*]]: tensor<2x3xi1>)
func.func @binary(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %u: tensor<2x1xui8>,
                  %v: tensor<3xui8>, %p: tensor<2x3xi1>) {
  // CHECK: qcc.add %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = qcc.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qcc.sub %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = qcc.sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qcc.mul %[[A]], %[[B]]
  %2 = qcc.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qcc.div %[[U]], %[[V]] : (tensor<2x1xui8>, tensor<3xui8>) -> tensor<2x3xui8>
  %3 = qcc.div %u, %v : (tensor<2x1xui8>, tensor<3xui8>) -> tensor<2x3xui8>
  // CHECK: qcc.pow %[[A]], %[[B]]
  %4 = qcc.pow %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qcc.max %[[A]], %[[B]]
  %5 = qcc.max %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qcc.min %[[A]], %[[B]]
  %6 = qcc.min %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qcc.mod %[[U]], %[[V]] : (tensor<2x1xui8>, tensor<3xui8>) -> tensor<2x3xui8>
  %7 = qcc.mod %u, %v : (tensor<2x1xui8>, tensor<3xui8>) -> tensor<2x3xui8>
  // CHECK: qcc.fmod %[[A]], %[[B]]
  %8 = qcc.fmod %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qcc.prelu %[[A]], %[[B]]
  %9 = qcc.prelu %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qcc.equal %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %10 = qcc.equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: qcc.less %[[U]], %[[V]] : (tensor<2x1xui8>, tensor<3xui8>) -> tensor<2x3xi1>
  %11 = qcc.less %u, %v : (tensor<2x1xui8>, tensor<3xui8>) -> tensor<2x3xi1>
  // CHECK: qcc.less_or_equal %[[A]], %[[B]]
  %12 = qcc.less_or_equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: qcc.greater %[[A]], %[[B]]
  %13 = qcc.greater %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: qcc.greater_or_equal %[[A]], %[[B]]
  %14 = qcc.greater_or_equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: qcc.and %[[P]], %[[P]] : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  %15 = qcc.and %p, %p : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  // CHECK: qcc.or %[[P]], %[[P]]
  %16 = qcc.or %p, %p : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  // CHECK: qcc.xor %[[P]], %[[P]]
  %17 = qcc.xor %p, %p : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  // CHECK: qcc.where %[[P]], %[[A]], %[[B]] : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %18 = qcc.where %p, %a, %b : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// CHECK-LABEL: func.func @cast
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[U:.*]]: tensor<4xui8>)
func.func @cast(%x: tensor<4xf32>, %u: tensor<4xui8>) {
  // CHECK: qcc.cast %[[X]] : tensor<4xf32> to tensor<4xui8>
  %0 = qcc.cast %x : tensor<4xf32> to tensor<4xui8>
  // CHECK: qcc.cast %[[U]] : tensor<4xui8> to tensor<4xf16>
  %1 = qcc.cast %u : tensor<4xui8> to tensor<4xf16>
  // CHECK: qcc.cast %[[X]] : tensor<4xf32> to tensor<4xi1>
  %2 = qcc.cast %x : tensor<4xf32> to tensor<4xi1>
  return
}

// CHECK-LABEL: func.func @linalg_ops
func.func @linalg_ops(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>, %v: tensor<4xf32>,
                      %g: tensor<3x4xf32>, %gb: tensor<5x4xf32>, %c: tensor<5xf32>) {
  // CHECK: qcc.matmul %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  %0 = qcc.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  // CHECK: qcc.matmul %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  %1 = qcc.matmul %a, %v : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  // CHECK: qcc.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f32, beta = 2.000000e+00 : f32, transA = false, transB = true} : (tensor<3x4xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  %2 = qcc.gemm %g, %gb, %c {alpha = 0.5 : f32, beta = 2.0 : f32, transA = false, transB = true} : (tensor<3x4xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  // The C operand is optional.
  // CHECK: qcc.gemm %{{.*}}, %{{.*}} {alpha = 1.000000e+00 : f32, beta = 1.000000e+00 : f32, transA = false, transB = false} : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  %3 = qcc.gemm %g, %b {alpha = 1.0 : f32, beta = 1.0 : f32, transA = false, transB = false} : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return
}

// CHECK-LABEL: func.func @conv
func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<8x2x3x3xf32>, %b: tensor<8xf32>,
                %wt: tensor<4x3x2x2xf32>) {
  // CHECK: qcc.conv %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  %0 = qcc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  // CHECK: qcc.conv %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x3x3xf32>
  %1 = qcc.conv %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x3x3xf32>
  // CHECK: qcc.conv_transpose %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<4x3x2x2xf32>) -> tensor<1x3x16x16xf32>
  %2 = qcc.conv_transpose %x, %wt {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x3x2x2xf32>) -> tensor<1x3x16x16xf32>
  return
}

// CHECK-LABEL: func.func @norms
func.func @norms(%x: tensor<1x4x8x8xf32>, %c: tensor<4xf32>, %t: tensor<2x5x6xf32>,
                 %s: tensor<6xf32>) {
  // CHECK: qcc.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 9.99999974E-6 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %0 = qcc.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-5 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: qcc.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {axis = 2 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<2x5x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<2x5x6xf32>
  %1 = qcc.layer_norm %t, %s, %s {axis = 2 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x5x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<2x5x6xf32>
  // CHECK: qcc.layer_norm %{{.*}}, %{{.*}} {axis = 2 : i64, epsilon = 9.99999974E-6 : f32} : (tensor<2x5x6xf32>, tensor<6xf32>) -> tensor<2x5x6xf32>
  %2 = qcc.layer_norm %t, %s {axis = 2 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x5x6xf32>, tensor<6xf32>) -> tensor<2x5x6xf32>
  // CHECK: qcc.softmax %{{.*}} {axis = 2 : i64} : tensor<2x5x6xf32>
  %3 = qcc.softmax %t {axis = 2 : i64} : tensor<2x5x6xf32>
  // CHECK: qcc.log_softmax %{{.*}} {axis = 1 : i64} : tensor<2x5x6xf32>
  %4 = qcc.log_softmax %t {axis = 1 : i64} : tensor<2x5x6xf32>
  return
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<2x5x6xf32>, %u: tensor<2x5xui8>) {
  // CHECK: qcc.reduce_sum %{{.*}} {axes = array<i64: 1>, keepdims = true} : (tensor<2x5x6xf32>) -> tensor<2x1x6xf32>
  %0 = qcc.reduce_sum %x {axes = array<i64: 1>, keepdims = true} : (tensor<2x5x6xf32>) -> tensor<2x1x6xf32>
  // CHECK: qcc.reduce_mean %{{.*}} {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x5x6xf32>) -> tensor<5xf32>
  %1 = qcc.reduce_mean %x {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x5x6xf32>) -> tensor<5xf32>
  // CHECK: qcc.reduce_max %{{.*}} {axes = array<i64: 1>, keepdims = false} : (tensor<2x5xui8>) -> tensor<2xui8>
  %2 = qcc.reduce_max %u {axes = array<i64: 1>, keepdims = false} : (tensor<2x5xui8>) -> tensor<2xui8>
  // CHECK: qcc.reduce_min %{{.*}} {axes = array<i64: 2>, keepdims = false} : (tensor<2x5x6xf32>) -> tensor<2x5xf32>
  %3 = qcc.reduce_min %x {axes = array<i64: 2>, keepdims = false} : (tensor<2x5x6xf32>) -> tensor<2x5xf32>
  // CHECK: qcc.reduce_prod %{{.*}} {axes = array<i64: 0, 1, 2>, keepdims = false} : (tensor<2x5x6xf32>) -> tensor<f32>
  %4 = qcc.reduce_prod %x {axes = array<i64: 0, 1, 2>, keepdims = false} : (tensor<2x5x6xf32>) -> tensor<f32>
  // CHECK: qcc.argmax %{{.*}} {axis = 2 : i64, keepdims = true, select_last_index = false} : (tensor<2x5x6xf32>) -> tensor<2x5x1xi64>
  %5 = qcc.argmax %x {axis = 2 : i64, keepdims = true, select_last_index = false} : (tensor<2x5x6xf32>) -> tensor<2x5x1xi64>
  // CHECK: qcc.argmin %{{.*}} {axis = 0 : i64, keepdims = false, select_last_index = true} : (tensor<2x5xui8>) -> tensor<5xi64>
  %6 = qcc.argmin %u {axis = 0 : i64, keepdims = false, select_last_index = true} : (tensor<2x5xui8>) -> tensor<5xi64>
  return
}

// CHECK-LABEL: func.func @pooling
func.func @pooling(%x: tensor<1x4x7x7xf32>) {
  // CHECK: qcc.max_pool %{{.*}} {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x7x7xf32>) -> tensor<1x4x4x4xf32>
  %0 = qcc.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x7x7xf32>) -> tensor<1x4x4x4xf32>
  // CHECK: qcc.average_pool %{{.*}} {count_include_pad = false, dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x7x7xf32>) -> tensor<1x4x7x7xf32>
  %1 = qcc.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, count_include_pad = false} : (tensor<1x4x7x7xf32>) -> tensor<1x4x7x7xf32>
  // CHECK: qcc.global_average_pool %{{.*}} : (tensor<1x4x7x7xf32>) -> tensor<1x4x1x1xf32>
  %2 = qcc.global_average_pool %x : (tensor<1x4x7x7xf32>) -> tensor<1x4x1x1xf32>
  // CHECK: qcc.global_max_pool %{{.*}} : (tensor<1x4x7x7xf32>) -> tensor<1x4x1x1xf32>
  %3 = qcc.global_max_pool %x : (tensor<1x4x7x7xf32>) -> tensor<1x4x1x1xf32>
  // CHECK: qcc.resize %{{.*}} {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor", scales = array<f32: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : (tensor<1x4x7x7xf32>) -> tensor<1x4x14x14xf32>
  %4 = qcc.resize %x {scales = array<f32: 1.0, 1.0, 2.0, 2.0>, mode = "nearest", coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<1x4x7x7xf32>) -> tensor<1x4x14x14xf32>
  return
}

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%x: tensor<2x3x4xf32>, %y: tensor<2x1x4xf32>, %i: tensor<5xi64>,
                         %u: tensor<3x1xui8>) {
  // CHECK: qcc.reshape %{{.*}} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %0 = qcc.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  // CHECK: qcc.transpose %{{.*}} {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = qcc.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  // CHECK: qcc.concat %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x1x4xf32>, tensor<2x3x4xf32>) -> tensor<2x7x4xf32>
  %2 = qcc.concat %x, %y, %x {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x1x4xf32>, tensor<2x3x4xf32>) -> tensor<2x7x4xf32>
  // CHECK: qcc.slice %{{.*}} {starts = array<i64: 0, 2, 3>, steps = array<i64: 1, -1, -2>} : (tensor<2x3x4xf32>) -> tensor<2x3x2xf32>
  %3 = qcc.slice %x {starts = array<i64: 0, 2, 3>, steps = array<i64: 1, -1, -2>} : (tensor<2x3x4xf32>) -> tensor<2x3x2xf32>
  // CHECK: qcc.gather %{{.*}}, %{{.*}} {axis = 2 : i64} : (tensor<2x3x4xf32>, tensor<5xi64>) -> tensor<2x3x5xf32>
  %4 = qcc.gather %x, %i {axis = 2 : i64} : (tensor<2x3x4xf32>, tensor<5xi64>) -> tensor<2x3x5xf32>
  // CHECK: qcc.expand %{{.*}} : (tensor<3x1xui8>) -> tensor<2x3x4xui8>
  %5 = qcc.expand %u : (tensor<3x1xui8>) -> tensor<2x3x4xui8>
  // CHECK: qcc.tile %{{.*}} : (tensor<3x1xui8>) -> tensor<6x3xui8>
  %6 = qcc.tile %u : (tensor<3x1xui8>) -> tensor<6x3xui8>
  // CHECK: qcc.pad %{{.*}} {mode = "reflect", pads = array<i64: 0, 1, 1, 0, 1, -1>, value = 0.000000e+00 : f64} : (tensor<2x3x4xf32>) -> tensor<2x5x4xf32>
  %7 = qcc.pad %x {pads = array<i64: 0, 1, 1, 0, 1, -1>, mode = "reflect", value = 0.0 : f64} : (tensor<2x3x4xf32>) -> tensor<2x5x4xf32>
  return
}

// CHECK-LABEL: func.func @quant
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[S:.*]]: tensor<f32>, %[[ZP:.*]]: tensor<ui8>, %[[SA:.*]]: tensor<3xf32>, %[[ZA:.*]]: tensor<3xi8>, %[[Q:.*]]: tensor<2x3xui8>)
func.func @quant(%x: tensor<2x3xf32>, %s: tensor<f32>, %zp: tensor<ui8>,
                 %sa: tensor<3xf32>, %za: tensor<3xi8>, %q: tensor<2x3xui8>) {
  // CHECK: qcc.quantize_linear %[[X]], %[[S]], %[[ZP]] {axis = 1 : i64} : (tensor<2x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
  %0 = qcc.quantize_linear %x, %s, %zp {axis = 1 : i64} : (tensor<2x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
  // CHECK: qcc.quantize_linear %[[X]], %[[S]] {axis = 1 : i64} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xui8>
  %1 = qcc.quantize_linear %x, %s {axis = 1 : i64} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xui8>
  // CHECK: qcc.quantize_linear %[[X]], %[[SA]], %[[ZA]] {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<2x3xi8>
  %2 = qcc.quantize_linear %x, %sa, %za {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<2x3xi8>
  // CHECK: qcc.dequantize_linear %[[Q]], %[[S]], %[[ZP]] {axis = 1 : i64} : (tensor<2x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xf32>
  %3 = qcc.dequantize_linear %q, %s, %zp {axis = 1 : i64} : (tensor<2x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xf32>
  // CHECK: qcc.dequantize_linear %[[Q]], %[[SA]] {axis = 1 : i64} : (tensor<2x3xui8>, tensor<3xf32>) -> tensor<2x3xf32>
  %4 = qcc.dequantize_linear %q, %sa {axis = 1 : i64} : (tensor<2x3xui8>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: qcc.dynamic_quantize_linear %[[X]] : (tensor<2x3xf32>) -> (tensor<2x3xui8>, tensor<f32>, tensor<ui8>)
  %5:3 = qcc.dynamic_quantize_linear %x : (tensor<2x3xf32>) -> (tensor<2x3xui8>, tensor<f32>, tensor<ui8>)
  return
}

// CHECK-LABEL: func.func @integer_ops
// CHECK-SAME: (%[[A:.*]]: tensor<2x4xui8>, %[[B:.*]]: tensor<4x3xi8>, %[[AZ:.*]]: tensor<ui8>, %[[BZ:.*]]: tensor<3xi8>, %[[X:.*]]: tensor<1x2x5x5xui8>, %[[W:.*]]: tensor<4x2x3x3xi8>, %[[WZ:.*]]: tensor<i8>)
func.func @integer_ops(%a: tensor<2x4xui8>, %b: tensor<4x3xi8>, %az: tensor<ui8>,
                       %bz: tensor<3xi8>, %x: tensor<1x2x5x5xui8>,
                       %w: tensor<4x2x3x3xi8>, %wz: tensor<i8>) {
  // CHECK: qcc.matmul_integer %[[A]], %[[B]] a_zp %[[AZ]] b_zp %[[BZ]] : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<ui8>, tensor<3xi8>) -> tensor<2x3xi32>
  %0 = qcc.matmul_integer %a, %b a_zp %az b_zp %bz : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<ui8>, tensor<3xi8>) -> tensor<2x3xi32>
  // Zero points are optional; either may be given alone.
  // CHECK: qcc.matmul_integer %[[A]], %[[B]] b_zp %[[BZ]] : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<3xi8>) -> tensor<2x3xi32>
  %1 = qcc.matmul_integer %a, %b b_zp %bz : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<3xi8>) -> tensor<2x3xi32>
  // CHECK: qcc.matmul_integer %[[A]], %[[B]] a_zp %[[AZ]] : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<ui8>) -> tensor<2x3xi32>
  %2 = qcc.matmul_integer %a, %b a_zp %az : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<ui8>) -> tensor<2x3xi32>
  // CHECK: qcc.matmul_integer %[[A]], %[[B]] : (tensor<2x4xui8>, tensor<4x3xi8>) -> tensor<2x3xi32>
  %3 = qcc.matmul_integer %a, %b : (tensor<2x4xui8>, tensor<4x3xi8>) -> tensor<2x3xi32>
  // CHECK: qcc.conv_integer %[[X]], %[[W]] x_zp %[[AZ]] w_zp %[[WZ]] {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xui8>, tensor<4x2x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x4x5x5xi32>
  %4 = qcc.conv_integer %x, %w x_zp %az w_zp %wz {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x5x5xui8>, tensor<4x2x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x4x5x5xi32>
  // CHECK: qcc.conv_integer %[[X]], %[[W]] w_zp %[[WZ]] {{.*}} -> tensor<1x4x5x5xi32>
  %5 = qcc.conv_integer %x, %w w_zp %wz {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x5x5xui8>, tensor<4x2x3x3xi8>, tensor<i8>) -> tensor<1x4x5x5xi32>
  // CHECK: qcc.conv_integer %[[X]], %[[W]] {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x5x5xui8>, tensor<4x2x3x3xi8>) -> tensor<1x4x3x3xi32>
  %6 = qcc.conv_integer %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x5x5xui8>, tensor<4x2x3x3xi8>) -> tensor<1x4x3x3xi32>
  return
}

// CHECK-LABEL: func.func @requantize
func.func @requantize(%x: tensor<1x2x3xi32>, %m: tensor<1x2x1xi32>, %s: tensor<1x2x1xi32>, %zp: tensor<ui8>) -> tensor<1x2x3xui8> {
  // CHECK: qcc.requantize %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x2x3xi32>, tensor<1x2x1xi32>, tensor<1x2x1xi32>, tensor<ui8>) -> tensor<1x2x3xui8>
  %0 = qcc.requantize %x, %m, %s, %zp : (tensor<1x2x3xi32>, tensor<1x2x1xi32>, tensor<1x2x1xi32>, tensor<ui8>) -> tensor<1x2x3xui8>
  return %0 : tensor<1x2x3xui8>
}

// CHECK-LABEL: func.func @lookup
func.func @lookup(%x: tensor<2x3xi8>, %t: tensor<256xui8>) -> tensor<2x3xui8> {
  // CHECK: qcc.lookup %{{.*}}, %{{.*}} : (tensor<2x3xi8>, tensor<256xui8>) -> tensor<2x3xui8>
  %0 = qcc.lookup %x, %t : (tensor<2x3xi8>, tensor<256xui8>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}
