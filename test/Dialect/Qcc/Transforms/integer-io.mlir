// RUN: qcc-opt %s -split-input-file --qcc-integer-io | FileCheck %s

// The edge Q/DQ move to the caller; the signature records their scale and
// zero point and the 8-bit dtype.
// CHECK-LABEL: module attributes
// CHECK-SAME: qcc.inputs = [{dtype = 2 : i32, name = "x", scale = 5.000000e-01 : f32, shape = array<i64: 4>, zero_point = 3 : i32}]
// CHECK-SAME: qcc.outputs = [{dtype = 3 : i32, name = "y", scale = 2.500000e-01 : f32, shape = array<i64: 4>, zero_point = -1 : i32}]
// CHECK: func.func @main(%[[X:.*]]: tensor<4xui8>) -> tensor<4xi8>
// CHECK-NOT: quantize_linear
// CHECK: %[[L:.*]] = qcc.lookup %[[X]]
// CHECK: return %[[L]] : tensor<4xi8>
module attributes {qcc.inputs = [{dtype = 1 : i32, name = "x", shape = array<i64: 4>}], qcc.outputs = [{dtype = 1 : i32, name = "y", shape = array<i64: 4>}]} {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    %s = qcc.constant dense<0.5> : tensor<f32>
    %zp = qcc.constant dense<3> : tensor<ui8>
    %s2 = qcc.constant dense<0.25> : tensor<f32>
    %zp2 = qcc.constant dense<-1> : tensor<i8>
    %t = qcc.constant dense<1> : tensor<256xi8>
    %q = qcc.quantize_linear %x, %s, %zp {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xui8>
    %l = qcc.lookup %q, %t : (tensor<4xui8>, tensor<256xi8>) -> tensor<4xi8>
    %y = qcc.dequantize_linear %l, %s2, %zp2 {axis = 0 : i64} : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
    return %y : tensor<4xf32>
  }
}

// -----

// An input with a float reader besides its quantization, and an output not
// dequantized at the edge, keep their float types.
// CHECK-LABEL: module attributes
// CHECK-SAME: qcc.inputs = [{dtype = 1 : i32, name = "x", shape = array<i64: 4>}]
// CHECK-SAME: qcc.outputs = [{dtype = 1 : i32, name = "y", shape = array<i64: 4>}, {dtype = 2 : i32, name = "z", scale = 5.000000e-01 : f32, shape = array<i64: 4>, zero_point = 0 : i32}]
// CHECK: func.func @main(%{{.*}}: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xui8>)
module attributes {qcc.inputs = [{dtype = 1 : i32, name = "x", shape = array<i64: 4>}], qcc.outputs = [{dtype = 1 : i32, name = "y", shape = array<i64: 4>}, {dtype = 1 : i32, name = "z", shape = array<i64: 4>}]} {
  func.func @main(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
    %s = qcc.constant dense<0.5> : tensor<f32>
    %q = qcc.quantize_linear %x, %s {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>) -> tensor<4xui8>
    %n = qcc.neg %x : tensor<4xf32>
    %d = qcc.dequantize_linear %q, %s {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>) -> tensor<4xf32>
    return %n, %d : tensor<4xf32>, tensor<4xf32>
  }
}
