// RUN: qcc-opt %s -split-input-file --canonicalize | FileCheck %s

// Constant folding of the small integer tensors that shape sub-graphs
// (Shape -> Gather -> Concat -> Reshape ...) compute.

// CHECK-LABEL: func.func @add_broadcast_row
// CHECK-NEXT: %[[C:.*]] = qcc.constant dense<{{\[\[}}11, 22, 33], [14, 25, 36]]> : tensor<2x3xi64>
// CHECK-NEXT: return %[[C]]
func.func @add_broadcast_row() -> tensor<2x3xi64> {
  %a = qcc.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %b = qcc.constant dense<[10, 20, 30]> : tensor<3xi64>
  %0 = qcc.add %a, %b : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// Both operands broadcast: (2x1) - (3) -> (2x3).
// CHECK-LABEL: func.func @sub_broadcast_both
// CHECK-NEXT: %[[C:.*]] = qcc.constant dense<{{\[\[}}-9, -19, -29], [-8, -18, -28]]> : tensor<2x3xi64>
// CHECK-NEXT: return %[[C]]
func.func @sub_broadcast_both() -> tensor<2x3xi64> {
  %a = qcc.constant dense<[[1], [2]]> : tensor<2x1xi64>
  %b = qcc.constant dense<[10, 20, 30]> : tensor<3xi64>
  %0 = qcc.sub %a, %b : (tensor<2x1xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// CHECK-LABEL: func.func @mul_max_min
// CHECK-DAG: %[[MUL:.*]] = qcc.constant dense<[2, -4, 6]> : tensor<3xi64>
// CHECK-DAG: %[[MAX:.*]] = qcc.constant dense<[2, 2, 3]> : tensor<3xi64>
// CHECK-DAG: %[[MIN:.*]] = qcc.constant dense<[1, -2, 2]> : tensor<3xi64>
// CHECK-NOT: qcc.mul
// CHECK: return %[[MUL]], %[[MAX]], %[[MIN]]
func.func @mul_max_min() -> (tensor<3xi64>, tensor<3xi64>, tensor<3xi64>) {
  %a = qcc.constant dense<[1, -2, 3]> : tensor<3xi64>
  %b = qcc.constant dense<2> : tensor<i64>
  %0 = qcc.mul %a, %b : (tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
  %1 = qcc.max %a, %b : (tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
  %2 = qcc.min %a, %b : (tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
  return %0, %1, %2 : tensor<3xi64>, tensor<3xi64>, tensor<3xi64>
}

// -----

// Signed division truncates toward zero; Mod (fmod = 0) takes the sign of
// the divisor, as in Python.
// CHECK-LABEL: func.func @div_mod_signed
// CHECK-DAG: %[[DIV:.*]] = qcc.constant dense<[3, -3, -3, 3]> : tensor<4xi64>
// CHECK-DAG: %[[MOD:.*]] = qcc.constant dense<[1, 1, -1, -1]> : tensor<4xi64>
// CHECK: return %[[DIV]], %[[MOD]]
func.func @div_mod_signed() -> (tensor<4xi64>, tensor<4xi64>) {
  %a = qcc.constant dense<[7, -7, 7, -7]> : tensor<4xi64>
  %b = qcc.constant dense<[2, 2, -2, -2]> : tensor<4xi64>
  %0 = qcc.div %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %1 = qcc.mod %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %0, %1 : tensor<4xi64>, tensor<4xi64>
}

// -----

// Unsigned element types fold with unsigned arithmetic (200 is not -56).
// CHECK-LABEL: func.func @div_mod_unsigned
// CHECK-DAG: %[[DIV:.*]] = qcc.constant dense<[66, 127, 1, 0]> : tensor<4xui8>
// CHECK-DAG: %[[MOD:.*]] = qcc.constant dense<[2, 1, 0, 0]> : tensor<4xui8>
// CHECK: return %[[DIV]], %[[MOD]]
func.func @div_mod_unsigned() -> (tensor<4xui8>, tensor<4xui8>) {
  %u = qcc.constant dense<[200, 255, 7, 0]> : tensor<4xui8>
  %v = qcc.constant dense<[3, 2, 7, 5]> : tensor<4xui8>
  %0 = qcc.div %u, %v : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = qcc.mod %u, %v : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0, %1 : tensor<4xui8>, tensor<4xui8>
}

// -----

// Division by zero is left to run time.
// CHECK-LABEL: func.func @div_by_zero_not_folded
// CHECK: qcc.div
// CHECK: qcc.mod
func.func @div_by_zero_not_folded() -> (tensor<2xi64>, tensor<2xi64>) {
  %a = qcc.constant dense<[4, 5]> : tensor<2xi64>
  %z = qcc.constant dense<[2, 0]> : tensor<2xi64>
  %0 = qcc.div %a, %z : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %1 = qcc.mod %a, %z : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0, %1 : tensor<2xi64>, tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @float_arith
// CHECK-NEXT: %[[C:.*]] = qcc.constant dense<[2.000000e+00, 4.000000e+00, 6.000000e+00]> : tensor<3xf32>
// CHECK-NEXT: return %[[C]]
func.func @float_arith() -> tensor<3xf32> {
  %f = qcc.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %g = qcc.constant dense<0.5> : tensor<f32>
  %0 = qcc.div %f, %g : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @compare
// CHECK-DAG: %[[EQ:.*]] = qcc.constant dense<[false, true, false]> : tensor<3xi1>
// CHECK-DAG: %[[LT:.*]] = qcc.constant dense<[true, false, false]> : tensor<3xi1>
// CHECK-DAG: %[[LE:.*]] = qcc.constant dense<[true, true, false]> : tensor<3xi1>
// CHECK-DAG: %[[GE:.*]] = qcc.constant dense<[false, true, true]> : tensor<3xi1>
// CHECK-NOT: qcc.equal
// CHECK-NOT: qcc.less
// CHECK: return %[[EQ]], %[[LT]], %[[LE]], %[[EQ]], %[[GE]]
func.func @compare() -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  %a = qcc.constant dense<[1, 2, 3]> : tensor<3xi64>
  %b = qcc.constant dense<2> : tensor<i64>
  %0 = qcc.equal %a, %b : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  %1 = qcc.less %a, %b : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  %2 = qcc.less_or_equal %a, %b : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  // Unsigned: 200 > 100.
  %u = qcc.constant dense<[1, 200, 3]> : tensor<3xui8>
  %v = qcc.constant dense<100> : tensor<1xui8>
  %3 = qcc.greater %u, %v : (tensor<3xui8>, tensor<1xui8>) -> tensor<3xi1>
  %f = qcc.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %g = qcc.constant dense<2.0> : tensor<f32>
  %4 = qcc.greater_or_equal %f, %g : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  return %0, %1, %2, %3, %4 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
}

// -----

// NaN compares unequal to itself.
// CHECK-LABEL: func.func @compare_nan
// CHECK-NEXT: %[[C:.*]] = qcc.constant dense<[false, true]> : tensor<2xi1>
// CHECK-NEXT: return %[[C]]
func.func @compare_nan() -> tensor<2xi1> {
  %n = qcc.constant dense<[0x7FC00000, 1.0]> : tensor<2xf32>
  %0 = qcc.equal %n, %n : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

// CHECK-LABEL: func.func @logic
// CHECK-DAG: %[[AND:.*]] = qcc.constant dense<[true, false, false, false]> : tensor<4xi1>
// CHECK-DAG: %[[OR:.*]] = qcc.constant dense<[true, true, true, false]> : tensor<4xi1>
// CHECK-DAG: %[[XOR:.*]] = qcc.constant dense<[false, true, true, false]> : tensor<4xi1>
// CHECK: return %[[AND]], %[[OR]], %[[XOR]]
func.func @logic() -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %a = qcc.constant dense<[true, true, false, false]> : tensor<4xi1>
  %b = qcc.constant dense<[true, false, true, false]> : tensor<4xi1>
  %0 = qcc.and %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %1 = qcc.or %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %2 = qcc.xor %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0, %1, %2 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// The condition (2) broadcasts along the last dim, y (scalar) everywhere.
// CHECK-LABEL: func.func @where
// CHECK-NEXT: %[[C:.*]] = qcc.constant dense<{{\[\[}}1, -1], [3, -1]]> : tensor<2x2xi64>
// CHECK-NEXT: return %[[C]]
func.func @where() -> tensor<2x2xi64> {
  %c = qcc.constant dense<[true, false]> : tensor<2xi1>
  %x = qcc.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %y = qcc.constant dense<-1> : tensor<i64>
  %0 = qcc.where %c, %x, %y : (tensor<2xi1>, tensor<2x2xi64>, tensor<i64>) -> tensor<2x2xi64>
  return %0 : tensor<2x2xi64>
}

// -----

// CHECK-LABEL: func.func @cast_int_to_int
// CHECK-DAG: %[[I32:.*]] = qcc.constant dense<[-1, 0, 300]> : tensor<3xi32>
// CHECK-DAG: %[[U8:.*]] = qcc.constant dense<[255, 0, 44]> : tensor<3xui8>
// CHECK-DAG: %[[ZEXT:.*]] = qcc.constant dense<[255, 0, 1]> : tensor<3xi64>
// CHECK-DAG: %[[BOOL:.*]] = qcc.constant dense<[true, false, true]> : tensor<3xi1>
// CHECK-NOT: qcc.cast
// CHECK: return %[[I32]], %[[U8]], %[[ZEXT]], %[[BOOL]]
func.func @cast_int_to_int() -> (tensor<3xi32>, tensor<3xui8>, tensor<3xi64>, tensor<3xi1>) {
  %a = qcc.constant dense<[-1, 0, 300]> : tensor<3xi64>
  %0 = qcc.cast %a : tensor<3xi64> to tensor<3xi32>
  // Truncation wraps.
  %1 = qcc.cast %a : tensor<3xi64> to tensor<3xui8>
  // Unsigned sources zero-extend.
  %u = qcc.constant dense<[255, 0, 1]> : tensor<3xui8>
  %2 = qcc.cast %u : tensor<3xui8> to tensor<3xi64>
  // To bool: x != 0.
  %3 = qcc.cast %a : tensor<3xi64> to tensor<3xi1>
  return %0, %1, %2, %3 : tensor<3xi32>, tensor<3xui8>, tensor<3xi64>, tensor<3xi1>
}

// -----

// CHECK-LABEL: func.func @cast_int_to_float
// CHECK-DAG: %[[S:.*]] = qcc.constant dense<[-1.000000e+00, 0.000000e+00, 3.000000e+02]> : tensor<3xf32>
// CHECK-DAG: %[[U:.*]] = qcc.constant dense<[2.550000e+02, 0.000000e+00, 1.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[B:.*]] = qcc.constant dense<[1.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK: return %[[S]], %[[U]], %[[B]]
func.func @cast_int_to_float() -> (tensor<3xf32>, tensor<3xf32>, tensor<2xf32>) {
  %a = qcc.constant dense<[-1, 0, 300]> : tensor<3xi64>
  %0 = qcc.cast %a : tensor<3xi64> to tensor<3xf32>
  %u = qcc.constant dense<[255, 0, 1]> : tensor<3xui8>
  %1 = qcc.cast %u : tensor<3xui8> to tensor<3xf32>
  %b = qcc.constant dense<[true, false]> : tensor<2xi1>
  %2 = qcc.cast %b : tensor<2xi1> to tensor<2xf32>
  return %0, %1, %2 : tensor<3xf32>, tensor<3xf32>, tensor<2xf32>
}

// -----

// Float to integer truncates toward zero; float to float rounds to nearest.
// CHECK-LABEL: func.func @cast_float
// CHECK-DAG: %[[I:.*]] = qcc.constant dense<[-2, 0, 3]> : tensor<3xi64>
// CHECK-DAG: %[[H:.*]] = qcc.constant dense<[-2.699220e+00, 5.000000e-01, 3.900390e+00]> : tensor<3xf16>
// CHECK: return %[[I]], %[[H]]
func.func @cast_float() -> (tensor<3xi64>, tensor<3xf16>) {
  %f = qcc.constant dense<[-2.7, 0.5, 3.9]> : tensor<3xf32>
  %0 = qcc.cast %f : tensor<3xf32> to tensor<3xi64>
  %1 = qcc.cast %f : tensor<3xf32> to tensor<3xf16>
  return %0, %1 : tensor<3xi64>, tensor<3xf16>
}

// -----

// Out of range (negative to unsigned, NaN) is not folded.
// CHECK-LABEL: func.func @cast_out_of_range_not_folded
// CHECK: qcc.cast %{{.*}} : tensor<2xf32> to tensor<2xui8>
// CHECK: qcc.cast %{{.*}} : tensor<1xf32> to tensor<1xi32>
func.func @cast_out_of_range_not_folded() -> (tensor<2xui8>, tensor<1xi32>) {
  %f = qcc.constant dense<[-1.5, 2.0]> : tensor<2xf32>
  %0 = qcc.cast %f : tensor<2xf32> to tensor<2xui8>
  %n = qcc.constant dense<0x7FC00000> : tensor<1xf32>
  %1 = qcc.cast %n : tensor<1xf32> to tensor<1xi32>
  return %0, %1 : tensor<2xui8>, tensor<1xi32>
}

// -----

// CHECK-LABEL: func.func @cast_identity
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @cast_identity(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qcc.cast %x : tensor<4xf32> to tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: qcc.
// CHECK: return %[[X]], %[[X]], %[[X]], %[[X]]
func.func @identities(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = qcc.reshape %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qcc.transpose %x {perm = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = qcc.slice %x {starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = qcc.concat %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_constant
// CHECK-NEXT: %[[C:.*]] = qcc.constant dense<{{\[\[}}1, 2], [3, 4], [5, 6]]> : tensor<3x2xi64>
// CHECK-NEXT: return %[[C]]
func.func @reshape_constant() -> tensor<3x2xi64> {
  %c = qcc.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %0 = qcc.reshape %c : (tensor<2x3xi64>) -> tensor<3x2xi64>
  return %0 : tensor<3x2xi64>
}

// -----

// Reshape keeps unsigned values.
// CHECK-LABEL: func.func @reshape_unsigned_constant
// CHECK-NEXT: %[[C:.*]] = qcc.constant dense<{{\[\[}}200, 1]]> : tensor<1x2xui8>
// CHECK-NEXT: return %[[C]]
func.func @reshape_unsigned_constant() -> tensor<1x2xui8> {
  %c = qcc.constant dense<[200, 1]> : tensor<2xui8>
  %0 = qcc.reshape %c : (tensor<2xui8>) -> tensor<1x2xui8>
  return %0 : tensor<1x2xui8>
}

// -----

// CHECK-LABEL: func.func @concat_constants
// CHECK-DAG: %[[C0:.*]] = qcc.constant dense<[1, 2, 3, 4, 5]> : tensor<5xi64>
// CHECK-DAG: %[[C1:.*]] = qcc.constant dense<{{\[\[}}1, 3, 4], [2, 5, 6]]> : tensor<2x3xi64>
// CHECK-NOT: qcc.concat
// CHECK: return %[[C0]], %[[C1]]
func.func @concat_constants() -> (tensor<5xi64>, tensor<2x3xi64>) {
  %a = qcc.constant dense<[1, 2]> : tensor<2xi64>
  %b = qcc.constant dense<[3, 4, 5]> : tensor<3xi64>
  // An empty input contributes nothing.
  %e = qcc.constant dense<> : tensor<0xi64>
  %0 = qcc.concat %a, %e, %b {axis = 0 : i64} : (tensor<2xi64>, tensor<0xi64>, tensor<3xi64>) -> tensor<5xi64>
  %m = qcc.constant dense<[[1], [2]]> : tensor<2x1xi64>
  %n = qcc.constant dense<[[3, 4], [5, 6]]> : tensor<2x2xi64>
  %1 = qcc.concat %m, %n {axis = 1 : i64} : (tensor<2x1xi64>, tensor<2x2xi64>) -> tensor<2x3xi64>
  return %0, %1 : tensor<5xi64>, tensor<2x3xi64>
}

// -----

// CHECK-LABEL: func.func @slice_constants
// CHECK-DAG: %[[REV:.*]] = qcc.constant dense<[5, 3]> : tensor<2xi64>
// CHECK-DAG: %[[COL:.*]] = qcc.constant dense<{{\[\[}}4], [6]]> : tensor<2x1xi64>
// CHECK-DAG: %[[SPLAT:.*]] = qcc.constant dense<2.000000e+00> : tensor<3xf32>
// CHECK-NOT: qcc.slice
// CHECK: return %[[REV]], %[[COL]], %[[SPLAT]]
func.func @slice_constants() -> (tensor<2xi64>, tensor<2x1xi64>, tensor<3xf32>) {
  %b = qcc.constant dense<[3, 4, 5]> : tensor<3xi64>
  %0 = qcc.slice %b {starts = array<i64: 2>, steps = array<i64: -2>} : (tensor<3xi64>) -> tensor<2xi64>
  %n = qcc.constant dense<[[3, 4], [5, 6]]> : tensor<2x2xi64>
  %1 = qcc.slice %n {starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : (tensor<2x2xi64>) -> tensor<2x1xi64>
  %s = qcc.constant dense<2.0> : tensor<4xf32>
  %2 = qcc.slice %s {starts = array<i64: 1>, steps = array<i64: 1>} : (tensor<4xf32>) -> tensor<3xf32>
  return %0, %1, %2 : tensor<2xi64>, tensor<2x1xi64>, tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @gather_constants
// CHECK-DAG: %[[WRAP:.*]] = qcc.constant dense<[5, 3, 4]> : tensor<3xi64>
// CHECK-DAG: %[[AXIS1:.*]] = qcc.constant dense<{{\[\[}}4, 3], [6, 5]]> : tensor<2x2xi64>
// CHECK-DAG: %[[SCALAR:.*]] = qcc.constant dense<4> : tensor<i64>
// CHECK-NOT: qcc.gather
// CHECK: return %[[WRAP]], %[[AXIS1]], %[[SCALAR]]
func.func @gather_constants() -> (tensor<3xi64>, tensor<2x2xi64>, tensor<i64>) {
  %b = qcc.constant dense<[3, 4, 5]> : tensor<3xi64>
  // Negative indices count from the end.
  %i = qcc.constant dense<[-1, 0, 1]> : tensor<3xi64>
  %0 = qcc.gather %b, %i {axis = 0 : i64} : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %n = qcc.constant dense<[[3, 4], [5, 6]]> : tensor<2x2xi64>
  %j = qcc.constant dense<[1, 0]> : tensor<2xi64>
  %1 = qcc.gather %n, %j {axis = 1 : i64} : (tensor<2x2xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  // Shape -> Gather(scalar index) as exporters write it.
  %k = qcc.constant dense<1> : tensor<i64>
  %2 = qcc.gather %b, %k {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  return %0, %1, %2 : tensor<3xi64>, tensor<2x2xi64>, tensor<i64>
}

// -----

// An index out of range is left for run time.
// CHECK-LABEL: func.func @gather_out_of_range_not_folded
// CHECK: qcc.gather
func.func @gather_out_of_range_not_folded() -> tensor<2xi64> {
  %a = qcc.constant dense<[4, 5]> : tensor<2xi64>
  %i = qcc.constant dense<[0, 3]> : tensor<2xi64>
  %0 = qcc.gather %a, %i {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @neg
// CHECK-DAG: %[[I:.*]] = qcc.constant dense<[-3, 4]> : tensor<2xi64>
// CHECK-DAG: %[[F:.*]] = qcc.constant dense<[-1.500000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK-NOT: qcc.neg
// CHECK: return %[[I]], %[[F]]
func.func @neg() -> (tensor<2xi64>, tensor<2xf32>) {
  %a = qcc.constant dense<[3, -4]> : tensor<2xi64>
  %0 = qcc.neg %a : tensor<2xi64>
  %f = qcc.constant dense<[1.5, -0.0]> : tensor<2xf32>
  %1 = qcc.neg %f : tensor<2xf32>
  return %0, %1 : tensor<2xi64>, tensor<2xf32>
}

// -----

// A shape computation as torch exports it: keep dim 0 of a (2, 3, 4) shape
// and multiply the last two into one.
// CHECK-LABEL: func.func @shape_subgraph
// CHECK-NEXT: %[[C:.*]] = qcc.constant dense<[2, 12]> : tensor<2xi64>
// CHECK-NEXT: return %[[C]]
func.func @shape_subgraph() -> tensor<2xi64> {
  %shape = qcc.constant dense<[2, 3, 4]> : tensor<3xi64>
  %i0 = qcc.constant dense<[0]> : tensor<1xi64>
  %i1 = qcc.constant dense<1> : tensor<i64>
  %i2 = qcc.constant dense<2> : tensor<i64>
  %d0 = qcc.gather %shape, %i0 {axis = 0 : i64} : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  %d1 = qcc.gather %shape, %i1 {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %d2 = qcc.gather %shape, %i2 {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %p = qcc.mul %d1, %d2 : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %p1 = qcc.reshape %p : (tensor<i64>) -> tensor<1xi64>
  %new = qcc.concat %d0, %p1 {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  return %new : tensor<2xi64>
}

// -----

// Constant weights are transposed at compile time.
// CHECK-LABEL: func.func @fold_transpose_constant
// CHECK: %[[C:.*]] = qcc.constant dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32>
// CHECK: return %[[C]]
func.func @fold_transpose_constant() -> tensor<3x2xi32> {
  %c = qcc.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %t = qcc.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x3xi32>) -> tensor<3x2xi32>
  return %t : tensor<3x2xi32>
}
