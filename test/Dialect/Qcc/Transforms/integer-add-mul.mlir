// RUN: qcc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(qcc-integer-add-mul))' | FileCheck %s

// A gate: the int32 product of the shifted values (broadcast per channel),
// requantized by 0.5 * 0.25 / 0.125 = 1 = 2^30 * 2^-30.
// CHECK-LABEL: func.func @gate
// CHECK: %[[A:.*]] = qcc.cast %arg0 : tensor<1x2x3xui8> to tensor<1x2x3xi32>
// CHECK: %[[AS:.*]] = qcc.sub %[[A]], %{{.*}} : (tensor<1x2x3xi32>, tensor<i32>) -> tensor<1x2x3xi32>
// CHECK: %[[B:.*]] = qcc.cast %arg1 : tensor<1x2x1xui8> to tensor<1x2x1xi32>
// CHECK: %[[P:.*]] = qcc.mul %[[AS]], %[[B]] : (tensor<1x2x3xi32>, tensor<1x2x1xi32>) -> tensor<1x2x3xi32>
// CHECK: %[[M:.*]] = qcc.constant dense<1073741824> : tensor<i32>
// CHECK: %[[S:.*]] = qcc.constant dense<30> : tensor<i32>
// CHECK: qcc.requantize %[[P]], %[[M]], %[[S]], %{{.*}} -> tensor<1x2x3xui8>
func.func @gate(%a: tensor<1x2x3xui8>, %b: tensor<1x2x1xui8>) -> tensor<1x2x3xui8> {
  %sa = qcc.constant dense<0.5> : tensor<f32>
  %za = qcc.constant dense<3> : tensor<ui8>
  %sb = qcc.constant dense<0.25> : tensor<f32>
  %sy = qcc.constant dense<0.125> : tensor<f32>
  %da = qcc.dequantize_linear %a, %sa, %za {axis = 0 : i64} : (tensor<1x2x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x3xf32>
  %db = qcc.dequantize_linear %b, %sb {axis = 0 : i64} : (tensor<1x2x1xui8>, tensor<f32>) -> tensor<1x2x1xf32>
  %m = qcc.mul %da, %db : (tensor<1x2x3xf32>, tensor<1x2x1xf32>) -> tensor<1x2x3xf32>
  %q = qcc.quantize_linear %m, %sy {axis = 0 : i64} : (tensor<1x2x3xf32>, tensor<f32>) -> tensor<1x2x3xui8>
  return %q : tensor<1x2x3xui8>
}

// -----

// A three-way sum a + b - c with scales 1, 0.5, 0.25 against 1: the
// largest ratio must stay under 2^31 / (256 * 3), so K = 21 and the
// multipliers are 2^21, 2^20, 2^19; the sum requantizes by 2^-21
// (2^30 * 2^-51).
// CHECK-LABEL: func.func @sum3
// CHECK: qcc.constant dense<2097152> : tensor<i32>
// CHECK: qcc.constant dense<1048576> : tensor<i32>
// CHECK: %[[AB:.*]] = qcc.add {{.*}} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
// CHECK: qcc.constant dense<524288> : tensor<i32>
// CHECK: %[[ABC:.*]] = qcc.sub %[[AB]], {{.*}} -> tensor<4xi32>
// CHECK: %[[M:.*]] = qcc.constant dense<1073741824> : tensor<i32>
// CHECK: %[[S:.*]] = qcc.constant dense<51> : tensor<i32>
// CHECK: qcc.requantize %[[ABC]], %[[M]], %[[S]], {{.*}} -> tensor<4xi8>
func.func @sum3(%a: tensor<4xi8>, %b: tensor<4xi8>, %c: tensor<4xi8>) -> tensor<4xi8> {
  %s1 = qcc.constant dense<1.0> : tensor<f32>
  %s2 = qcc.constant dense<0.5> : tensor<f32>
  %s4 = qcc.constant dense<0.25> : tensor<f32>
  %da = qcc.dequantize_linear %a, %s1 {axis = 0 : i64} : (tensor<4xi8>, tensor<f32>) -> tensor<4xf32>
  %db = qcc.dequantize_linear %b, %s2 {axis = 0 : i64} : (tensor<4xi8>, tensor<f32>) -> tensor<4xf32>
  %dc = qcc.dequantize_linear %c, %s4 {axis = 0 : i64} : (tensor<4xi8>, tensor<f32>) -> tensor<4xf32>
  %ab = qcc.add %da, %db : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %abc = qcc.sub %ab, %dc : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %zp = qcc.constant dense<0> : tensor<i8>
  %q = qcc.quantize_linear %abc, %s1, %zp {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  return %q : tensor<4xi8>
}

// -----

// A residual sum in int16: the int16 term's 2^16 span bounds the shift (M
// < 2^31 / (2^16 2): K = 14), the 8-bit term scales by 100 2^14; the
// result saturates to int16.
// CHECK-LABEL: func.func @residual_int16
// CHECK: %[[A:.*]] = qcc.cast %arg0 : tensor<4xi16> to tensor<4xi32>
// CHECK: %[[MA:.*]] = qcc.constant dense<16384> : tensor<i32>
// CHECK: qcc.mul %[[A]], %[[MA]]
// CHECK: %[[MB:.*]] = qcc.constant dense<1638400> : tensor<i32>
// CHECK: qcc.requantize {{.*}} -> tensor<4xi16>
func.func @residual_int16(%a: tensor<4xi16>, %b: tensor<4xui8>) -> tensor<4xi16> {
  %s16 = qcc.constant dense<0.0001> : tensor<f32>
  %z16 = qcc.constant dense<0> : tensor<i16>
  %s8 = qcc.constant dense<0.01> : tensor<f32>
  %z8 = qcc.constant dense<128> : tensor<ui8>
  %da = qcc.dequantize_linear %a, %s16, %z16 {axis = 0 : i64} : (tensor<4xi16>, tensor<f32>, tensor<i16>) -> tensor<4xf32>
  %db = qcc.dequantize_linear %b, %s8, %z8 {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  %sum = qcc.add %da, %db : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %q = qcc.quantize_linear %sum, %s16, %z16 {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>, tensor<i16>) -> tensor<4xi16>
  return %q : tensor<4xi16>
}

// -----

// A Relu after the sum (ResNet): max(q, z_y) on the requantized value
// (the float Relu is dead; canonicalization removes it).
// CHECK-LABEL: func.func @sum_relu
// CHECK: %[[ZY:.*]] = qcc.constant dense<5> : tensor<ui8>
// CHECK: %[[R:.*]] = qcc.requantize %{{.*}}, %{{.*}}, %{{.*}}, %[[ZY]] : {{.*}} -> tensor<4xui8>
// CHECK: %[[M:.*]] = qcc.max %[[R]], %[[ZY]]
// CHECK: return %[[M]]
func.func @sum_relu(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %s = qcc.constant dense<0.1> : tensor<f32>
  %z = qcc.constant dense<128> : tensor<ui8>
  %sy = qcc.constant dense<0.05> : tensor<f32>
  %zy = qcc.constant dense<5> : tensor<ui8>
  %da = qcc.dequantize_linear %a, %s, %z {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  %db = qcc.dequantize_linear %b, %s, %z {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  %sum = qcc.add %da, %db : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %r = qcc.relu %sum : tensor<4xf32>
  %q = qcc.quantize_linear %r, %sy, %zy {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xui8>
  return %q : tensor<4xui8>
}
