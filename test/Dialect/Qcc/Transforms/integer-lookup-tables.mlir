// RUN: qcc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(qcc-integer-lookup-tables))' | FileCheck %s

// Relu between uint8 with zero point 128 and uint8 with zero point 0 (one
// scale): entries 0..128 are 0, then 1, 2, ..., 127.
// CHECK-LABEL: func.func @relu
// CHECK: %[[T:.*]] = qcc.constant dense<"0x{{(00)+}}0102030405{{.*}}7D7E7F"> : tensor<256xui8>
// CHECK: %[[Y:.*]] = qcc.lookup %arg0, %[[T]] : (tensor<2x8xui8>, tensor<256xui8>) -> tensor<2x8xui8>
// CHECK: return %[[Y]]
func.func @relu(%x: tensor<2x8xui8>) -> tensor<2x8xui8> {
  %s = qcc.constant dense<0.5> : tensor<f32>
  %z = qcc.constant dense<128> : tensor<ui8>
  %d = qcc.dequantize_linear %x, %s, %z {axis = 0 : i64} : (tensor<2x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x8xf32>
  %r = qcc.relu %d : tensor<2x8xf32>
  %q = qcc.quantize_linear %r, %s {axis = 0 : i64} : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xui8>
  return %q : tensor<2x8xui8>
}

// -----

// HardSwish spelled as x * HardSigmoid(x) (one varying input) into int8.
// CHECK-LABEL: func.func @hard_swish_chain
// CHECK: qcc.constant dense<"0x{{.*}}"> : tensor<256xi8>
// CHECK: qcc.lookup %arg0, %{{.*}} : (tensor<4xi8>, tensor<256xi8>) -> tensor<4xi8>
// CHECK-NOT: qcc.hard_sigmoid
func.func @hard_swish_chain(%x: tensor<4xi8>) -> tensor<4xi8> {
  %s = qcc.constant dense<0.05> : tensor<f32>
  %d = qcc.dequantize_linear %x, %s {axis = 0 : i64} : (tensor<4xi8>, tensor<f32>) -> tensor<4xf32>
  %h = qcc.hard_sigmoid %d {alpha = 0.166666672 : f32, beta = 5.000000e-01 : f32} : tensor<4xf32>
  %m = qcc.mul %d, %h : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s2 = qcc.constant dense<0.04> : tensor<f32>
  %z2 = qcc.constant dense<0> : tensor<i8>
  %q = qcc.quantize_linear %m, %s2, %z2 {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  return %q : tensor<4xi8>
}

// -----

// Two varying inputs (a gate) are not a function of one byte.
// CHECK-LABEL: func.func @two_inputs
// CHECK-NOT: qcc.lookup
// CHECK: qcc.quantize_linear
func.func @two_inputs(%x: tensor<4xui8>, %y: tensor<4xui8>) -> tensor<4xui8> {
  %s = qcc.constant dense<0.5> : tensor<f32>
  %a = qcc.dequantize_linear %x, %s {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>) -> tensor<4xf32>
  %b = qcc.dequantize_linear %y, %s {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>) -> tensor<4xf32>
  %m = qcc.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %q = qcc.quantize_linear %m, %s {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>) -> tensor<4xui8>
  return %q : tensor<4xui8>
}

// -----

// A HardSigmoid read by a float Mul (a gate) is quantized first, to uint8
// over its exact range [0, 1] (scale 1/255), and becomes a table.
// CHECK-LABEL: func.func @gate_output
// CHECK: %[[T:.*]] = qcc.constant dense<"0x{{.*}}"> : tensor<256xui8>
// CHECK: %[[L:.*]] = qcc.lookup %arg1, %[[T]]
// CHECK: %[[D:.*]] = qcc.dequantize_linear %[[L]], {{.*}} -> tensor<4xf32>
// CHECK: qcc.mul %{{.*}}, %[[D]]
// CHECK-NOT: qcc.hard_sigmoid
func.func @gate_output(%x: tensor<4xui8>, %g: tensor<4xui8>) -> tensor<4xf32> {
  %s = qcc.constant dense<0.1> : tensor<f32>
  %a = qcc.dequantize_linear %x, %s {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>) -> tensor<4xf32>
  %b = qcc.dequantize_linear %g, %s {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>) -> tensor<4xf32>
  %h = qcc.hard_sigmoid %b {alpha = 0.166666672 : f32, beta = 5.000000e-01 : f32} : tensor<4xf32>
  %m = qcc.mul %a, %h : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %m : tensor<4xf32>
}
