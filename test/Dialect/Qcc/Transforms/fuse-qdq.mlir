// RUN: qcc-opt %s -split-input-file --qcc-fuse-qdq | FileCheck %s

// DQ -> Conv(bias: int32 DQ) -> Relu -> Q: integer conv, int32 bias, one
// requantization with per-channel multipliers, Relu as max with z_y.
// CHECK-LABEL: func.func @conv_relu
// CHECK: %[[ACC:.*]] = qcc.conv_integer %arg0, %{{.*}} x_zp %{{.*}} {{.*}} -> tensor<1x2x3x3xi32>
// CHECK: %[[B:.*]] = qcc.add %[[ACC]], %{{.*}} : (tensor<1x2x3x3xi32>, tensor<1x2x1x1xi32>) -> tensor<1x2x3x3xi32>
// CHECK: %[[F:.*]] = qcc.cast %[[B]] : tensor<1x2x3x3xi32> to tensor<1x2x3x3xf32>
// CHECK: %[[M:.*]] = qcc.mul %[[F]], %{{.*}} : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x3x3xf32>
// CHECK: %[[Q:.*]] = qcc.quantize_linear %[[M]], %{{.*}}, %{{.*}} {axis = 0 : i64}
// CHECK: %[[R:.*]] = qcc.max %[[Q]], %{{.*}} : (tensor<1x2x3x3xui8>, tensor<ui8>) -> tensor<1x2x3x3xui8>
// CHECK: return %[[R]]
func.func @conv_relu(%xq: tensor<1x1x3x3xui8>) -> tensor<1x2x3x3xui8> {
  %sx = qcc.constant dense<0.5> : tensor<f32>
  %zx = qcc.constant dense<3> : tensor<ui8>
  %wq = qcc.constant dense<1> : tensor<2x1x1x1xi8>
  %sw = qcc.constant dense<[0.25, 0.5]> : tensor<2xf32>
  %bq = qcc.constant dense<[4, 8]> : tensor<2xi32>
  %sb = qcc.constant dense<[0.125, 0.25]> : tensor<2xf32>
  %sy = qcc.constant dense<0.1> : tensor<f32>
  %zy = qcc.constant dense<10> : tensor<ui8>
  %x = qcc.dequantize_linear %xq, %sx, %zx {axis = 1 : i64} : (tensor<1x1x3x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x3x3xf32>
  %w = qcc.dequantize_linear %wq, %sw {axis = 0 : i64} : (tensor<2x1x1x1xi8>, tensor<2xf32>) -> tensor<2x1x1x1xf32>
  %b = qcc.dequantize_linear %bq, %sb {axis = 0 : i64} : (tensor<2xi32>, tensor<2xf32>) -> tensor<2xf32>
  %c = qcc.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %r = qcc.relu %c : tensor<1x2x3x3xf32>
  %q = qcc.quantize_linear %r, %sy, %zy {axis = 1 : i64} : (tensor<1x2x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x3x3xui8>
  return %q : tensor<1x2x3x3xui8>
}

// -----

// DQ -> MatMul -> Add(float bias) -> Q: the float bias is quantized with
// s_x * s_w at compile time.
// CHECK-LABEL: func.func @matmul_bias
// CHECK: %[[ACC:.*]] = qcc.matmul_integer %arg0, %{{.*}} a_zp %{{.*}} : (tensor<2x4xi8>, tensor<4x3xi8>, tensor<i8>) -> tensor<2x3xi32>
// CHECK: qcc.add %[[ACC]], %{{.*}} : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK: qcc.quantize_linear
// CHECK-NOT: qcc.matmul %
func.func @matmul_bias(%aq: tensor<2x4xi8>) -> tensor<2x3xi8> {
  %sa = qcc.constant dense<0.5> : tensor<f32>
  %za = qcc.constant dense<1> : tensor<i8>
  %wq = qcc.constant dense<2> : tensor<4x3xi8>
  %sw = qcc.constant dense<0.25> : tensor<f32>
  %bias = qcc.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %sy = qcc.constant dense<0.2> : tensor<f32>
  %a = qcc.dequantize_linear %aq, %sa, %za {axis = 1 : i64} : (tensor<2x4xi8>, tensor<f32>, tensor<i8>) -> tensor<2x4xf32>
  %w = qcc.dequantize_linear %wq, %sw {axis = 1 : i64} : (tensor<4x3xi8>, tensor<f32>) -> tensor<4x3xf32>
  %m = qcc.matmul %a, %w : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %s = qcc.add %m, %bias : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %q = qcc.quantize_linear %s, %sy {axis = 1 : i64} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi8>
  return %q : tensor<2x3xi8>
}

// -----

// A Q whose float producer has other users keeps the float path.
// CHECK-LABEL: func.func @shared_producer
// CHECK: qcc.matmul %
// CHECK-NOT: matmul_integer
func.func @shared_producer(%aq: tensor<2x4xi8>) -> (tensor<2x3xi8>, tensor<2x3xf32>) {
  %sa = qcc.constant dense<0.5> : tensor<f32>
  %wq = qcc.constant dense<2> : tensor<4x3xi8>
  %sw = qcc.constant dense<0.25> : tensor<f32>
  %sy = qcc.constant dense<0.2> : tensor<f32>
  %a = qcc.dequantize_linear %aq, %sa {axis = 1 : i64} : (tensor<2x4xi8>, tensor<f32>) -> tensor<2x4xf32>
  %w = qcc.dequantize_linear %wq, %sw {axis = 1 : i64} : (tensor<4x3xi8>, tensor<f32>) -> tensor<4x3xf32>
  %m = qcc.matmul %a, %w : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %q = qcc.quantize_linear %m, %sy {axis = 1 : i64} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi8>
  return %q, %m : tensor<2x3xi8>, tensor<2x3xf32>
}

// -----

// Attention's Q K^T: a MatMul of two per-tensor activations becomes
// MatMulInteger with both zero points; the Mul by 1/sqrt(d) after it folds
// into the requantization scale (0.1 * 0.2 * 0.25 / 0.05 = 0.1).
// CHECK-LABEL: func.func @activation_matmul
// CHECK: %[[M:.*]] = qcc.constant dense<0.100000009> : tensor<f32>
// CHECK: %[[ACC:.*]] = qcc.matmul_integer %arg0, %arg1 a_zp %{{.*}} b_zp %{{.*}} : (tensor<2x4x8xui8>, tensor<2x8x4xui8>, tensor<ui8>, tensor<ui8>) -> tensor<2x4x4xi32>
// CHECK: %[[F:.*]] = qcc.cast %[[ACC]]
// CHECK: qcc.mul %[[F]], %[[M]]
// CHECK-NOT: qcc.matmul {{.*}}f32
func.func @activation_matmul(%a: tensor<2x4x8xui8>, %b: tensor<2x8x4xui8>) -> tensor<2x4x4xui8> {
  %sa = qcc.constant dense<0.1> : tensor<f32>
  %sb = qcc.constant dense<0.2> : tensor<f32>
  %sy = qcc.constant dense<0.05> : tensor<f32>
  %za = qcc.constant dense<128> : tensor<ui8>
  %zb = qcc.constant dense<120> : tensor<ui8>
  %c = qcc.constant dense<0.25> : tensor<f32>
  %da = qcc.dequantize_linear %a, %sa, %za {axis = 0 : i64} : (tensor<2x4x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4x8xf32>
  %db = qcc.dequantize_linear %b, %sb, %zb {axis = 0 : i64} : (tensor<2x8x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x8x4xf32>
  %mm = qcc.matmul %da, %db : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  %s = qcc.mul %mm, %c : (tensor<2x4x4xf32>, tensor<f32>) -> tensor<2x4x4xf32>
  %q = qcc.quantize_linear %s, %sy, %za {axis = 0 : i64} : (tensor<2x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4x4xui8>
  return %q : tensor<2x4x4xui8>
}

// -----

// A ConvTranspose whose 2x2 stride-2 windows tile the output: a pointwise
// ConvInteger into C_out * 4 channels (weights transposed at compile
// time), the int32 bias per C_out, requantization on (N, C_out, 2, 2, H, W)
// and one transpose of the 8-bit result into (N, C_out, H, 2, W, 2).
// CHECK-LABEL: func.func @conv_transpose_tiling
// CHECK: %[[ACC:.*]] = qcc.conv_integer %arg0, %{{.*}} x_zp %{{.*}} {{.*}} : (tensor<1x3x4x4xui8>, tensor<8x3x1x1xi8>, tensor<ui8>) -> tensor<1x8x4x4xi32>
// CHECK: %[[S:.*]] = qcc.reshape %[[ACC]] : (tensor<1x8x4x4xi32>) -> tensor<1x2x2x2x4x4xi32>
// CHECK: qcc.add %[[S]], %{{.*}} : (tensor<1x2x2x2x4x4xi32>, tensor<1x2x1x1x1x1xi32>)
// CHECK: %[[Q:.*]] = qcc.quantize_linear {{.*}} -> tensor<1x2x2x2x4x4xui8>
// CHECK: %[[T:.*]] = qcc.transpose %[[Q]] {perm = array<i64: 0, 1, 4, 2, 5, 3>} : (tensor<1x2x2x2x4x4xui8>) -> tensor<1x2x4x2x4x2xui8>
// CHECK: %[[Y:.*]] = qcc.reshape %[[T]] : (tensor<1x2x4x2x4x2xui8>) -> tensor<1x2x8x8xui8>
// CHECK: return %[[Y]]
// CHECK-NOT: qcc.conv_transpose
func.func @conv_transpose_tiling(%xq: tensor<1x3x4x4xui8>) -> tensor<1x2x8x8xui8> {
  %sx = qcc.constant dense<0.5> : tensor<f32>
  %zx = qcc.constant dense<3> : tensor<ui8>
  %wq = qcc.constant dense<1> : tensor<3x2x2x2xi8>
  %sw = qcc.constant dense<[0.25, 0.5]> : tensor<2xf32>
  %b = qcc.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %sy = qcc.constant dense<0.1> : tensor<f32>
  %zy = qcc.constant dense<10> : tensor<ui8>
  %x = qcc.dequantize_linear %xq, %sx, %zx {axis = 1 : i64} : (tensor<1x3x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3x4x4xf32>
  %w = qcc.dequantize_linear %wq, %sw {axis = 1 : i64} : (tensor<3x2x2x2xi8>, tensor<2xf32>) -> tensor<3x2x2x2xf32>
  %c = qcc.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x4x4xf32>, tensor<3x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>
  %q = qcc.quantize_linear %c, %sy, %zy {axis = 1 : i64} : (tensor<1x2x8x8xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x8x8xui8>
  return %q : tensor<1x2x8x8xui8>
}

// -----

// Overlapping windows (3x3, stride 2, padded) keep the int32 ConvTranspose.
// CHECK-LABEL: func.func @conv_transpose_overlapping
// CHECK: qcc.conv_transpose {{.*}} : (tensor<1x3x4x4xi32>, tensor<3x2x3x3xi32>, tensor<2xi32>) -> tensor<1x2x7x7xi32>
func.func @conv_transpose_overlapping(%xq: tensor<1x3x4x4xui8>) -> tensor<1x2x7x7xui8> {
  %sx = qcc.constant dense<0.5> : tensor<f32>
  %zx = qcc.constant dense<3> : tensor<ui8>
  %wq = qcc.constant dense<1> : tensor<3x2x3x3xi8>
  %sw = qcc.constant dense<[0.25, 0.5]> : tensor<2xf32>
  %b = qcc.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %sy = qcc.constant dense<0.1> : tensor<f32>
  %zy = qcc.constant dense<10> : tensor<ui8>
  %x = qcc.dequantize_linear %xq, %sx, %zx {axis = 1 : i64} : (tensor<1x3x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3x4x4xf32>
  %w = qcc.dequantize_linear %wq, %sw {axis = 1 : i64} : (tensor<3x2x3x3xi8>, tensor<2xf32>) -> tensor<3x2x3x3xf32>
  %c = qcc.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x4x4xf32>, tensor<3x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x7x7xf32>
  %q = qcc.quantize_linear %c, %sy, %zy {axis = 1 : i64} : (tensor<1x2x7x7xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x7x7xui8>
  return %q : tensor<1x2x7x7xui8>
}
