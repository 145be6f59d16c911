// RUN: qcc-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(qcc-integer-softmax))' | FileCheck %s

// Softmax of a dequantized uint8 tensor: exp of (max - x) by table, one
// rounded integer division per element, uint8 with scale 1/255.
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.*]]: tensor<4x10xui8>)
// CHECK: %[[XI:.*]] = qcc.cast %[[X]] : tensor<4x10xui8> to tensor<4x10xi32>
// CHECK: %[[M:.*]] = qcc.reduce_max %[[XI]] {axes = array<i64: 1>, keepdims = true} : (tensor<4x10xi32>) -> tensor<4x1xi32>
// CHECK: %[[D:.*]] = qcc.sub %[[M]], %[[XI]] : (tensor<4x1xi32>, tensor<4x10xi32>) -> tensor<4x10xi32>
// CHECK: %[[IDX:.*]] = qcc.cast %[[D]] : tensor<4x10xi32> to tensor<4x10xui8>
// T[d] = round(exp(-0.1 d) 2^16): 65536, 59299, 53656, ... (little endian)
// CHECK: %[[TABLE:.*]] = qcc.constant dense<"0x00000100A3E7000098D10000{{[0-9A-F]*}}"> : tensor<256xi32>
// CHECK: %[[E:.*]] = qcc.lookup %[[IDX]], %[[TABLE]] : (tensor<4x10xui8>, tensor<256xi32>) -> tensor<4x10xi32>
// CHECK: %[[SUM:.*]] = qcc.reduce_sum %[[E]] {axes = array<i64: 1>, keepdims = true}
// CHECK: %[[C255:.*]] = qcc.constant dense<255> : tensor<i32>
// CHECK: %[[P:.*]] = qcc.mul %[[E]], %[[C255]]
// CHECK: %[[C2:.*]] = qcc.constant dense<2> : tensor<i32>
// CHECK: %[[H:.*]] = qcc.div %[[SUM]], %[[C2]]
// CHECK: %[[N:.*]] = qcc.add %[[P]], %[[H]]
// CHECK: %[[Q:.*]] = qcc.div %[[N]], %[[SUM]] : (tensor<4x10xi32>, tensor<4x1xi32>) -> tensor<4x10xi32>
// CHECK: %[[Y:.*]] = qcc.cast %[[Q]] : tensor<4x10xi32> to tensor<4x10xui8>
// CHECK: %[[S:.*]] = qcc.constant dense<0.00392156886> : tensor<f32>
// CHECK: %[[Z:.*]] = qcc.constant dense<0> : tensor<ui8>
// CHECK: %[[R:.*]] = qcc.dequantize_linear %[[Y]], %[[S]], %[[Z]]
// CHECK: return %[[R]]
func.func @softmax(%x: tensor<4x10xui8>) -> tensor<4x10xf32> {
  %s = qcc.constant dense<0.1> : tensor<f32>
  %zp = qcc.constant dense<128> : tensor<ui8>
  %d = qcc.dequantize_linear %x, %s, %zp {axis = 1 : i64} : (tensor<4x10xui8>, tensor<f32>, tensor<ui8>) -> tensor<4x10xf32>
  %y = qcc.softmax %d {axis = -1 : i64} : tensor<4x10xf32>
  return %y : tensor<4x10xf32>
}

// -----

// Not a dequantized 8-bit tensor: left alone.
// CHECK-LABEL: func.func @float
// CHECK: qcc.softmax
func.func @float(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %y = qcc.softmax %x {axis = 1 : i64} : tensor<4x10xf32>
  return %y : tensor<4x10xf32>
}
