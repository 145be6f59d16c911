// RUN: qcc-opt %s -split-input-file --qcc-divide-by-reciprocal | FileCheck %s

// QuantizeLinear to int8 by scale 0.1 after qcc-saturating-round: the
// division becomes a clamp at 2 * 129 * 0.1 (keeps +Inf finite), the
// reciprocal multiply and the FMA correction with -0.1.
// CHECK-LABEL: func.func @scalar
// CHECK-DAG: %[[NEGS:.*]] = arith.constant -1.000000e-01 : f32
// CHECK-DAG: %[[R:.*]] = arith.constant 1.000000e+01 : f32
// CHECK-DAG: %[[LIMIT:.*]] = arith.constant 25.8000011 : f32
// CHECK-NOT: arith.divf
// CHECK: %[[ABOVE:.*]] = arith.cmpf ogt, %arg0, %[[LIMIT]] : f32
// CHECK: %[[X:.*]] = arith.select %[[ABOVE]], %[[LIMIT]], %arg0 : f32
// CHECK: %[[Q:.*]] = arith.mulf %[[X]], %[[R]] : f32
// CHECK: %[[E:.*]] = math.fma %[[Q]], %[[NEGS]], %[[X]] : f32
// CHECK: %[[D:.*]] = math.fma %[[E]], %[[R]], %[[Q]] : f32
// CHECK: %[[L:.*]] = arith.maxnumf %[[D]]
// CHECK: %[[H:.*]] = arith.minnumf %[[L]]
// CHECK: math.roundeven %[[H]] : f32
func.func @scalar(%x: f32) -> i32 {
  %s = arith.constant 0.1 : f32
  %lo = arith.constant -128.0 : f32
  %hi = arith.constant 127.0 : f32
  %d = arith.divf %x, %s : f32
  %l = arith.maxnumf %d, %lo : f32
  %h = arith.minnumf %l, %hi : f32
  %r = math.roundeven %h : f32
  %i = arith.fptosi %r : f32 to i32
  return %i : i32
}

// -----

// Splat vectors, the bounds the other way round and with the constant
// first; the reciprocal is RN(1/s), not exact.
// CHECK-LABEL: func.func @vector
// CHECK-DAG: %[[NEGS:.*]] = arith.constant dense<-0.00389891723> : vector<16xf32>
// CHECK-DAG: %[[R:.*]] = arith.constant dense<256.481476> : vector<16xf32>
// CHECK-NOT: arith.divf
// CHECK: %[[Q:.*]] = arith.mulf %{{.*}}, %[[R]] : vector<16xf32>
// CHECK: %[[E:.*]] = math.fma %[[Q]], %[[NEGS]], %{{.*}} : vector<16xf32>
// CHECK: %[[D:.*]] = math.fma %[[E]], %[[R]], %[[Q]] : vector<16xf32>
// CHECK: arith.minnumf %[[D]]
func.func @vector(%x: vector<16xf32>) -> vector<16xf32> {
  %s = arith.constant dense<0.00389891723> : vector<16xf32>
  %lo = arith.constant dense<-91.0> : vector<16xf32>
  %hi = arith.constant dense<164.0> : vector<16xf32>
  %d = arith.divf %x, %s : vector<16xf32>
  %h = arith.minnumf %d, %hi : vector<16xf32>
  %l = arith.maxnumf %lo, %h : vector<16xf32>
  %r = math.roundeven %l : vector<16xf32>
  return %r : vector<16xf32>
}

// -----

// The quotient is read elsewhere too: its float value must stay exact.
// CHECK-LABEL: func.func @quotient_escapes
// CHECK: arith.divf
// CHECK-NOT: math.fma
func.func @quotient_escapes(%x: f32) -> (f32, f32) {
  %s = arith.constant 0.1 : f32
  %lo = arith.constant 0.0 : f32
  %hi = arith.constant 255.0 : f32
  %d = arith.divf %x, %s : f32
  %l = arith.maxnumf %d, %lo : f32
  %h = arith.minnumf %l, %hi : f32
  %r = math.roundeven %h : f32
  return %r, %d : f32, f32
}

// -----

// The clamped value is read without rounding.
// CHECK-LABEL: func.func @clamp_escapes
// CHECK: arith.divf
// CHECK-NOT: math.fma
func.func @clamp_escapes(%x: f32) -> (f32, f32) {
  %s = arith.constant 0.1 : f32
  %lo = arith.constant 0.0 : f32
  %hi = arith.constant 255.0 : f32
  %d = arith.divf %x, %s : f32
  %l = arith.maxnumf %d, %lo : f32
  %h = arith.minnumf %l, %hi : f32
  %r = math.roundeven %h : f32
  return %r, %h : f32, f32
}

// -----

// NaN-propagating bounds: -Inf would become NaN through the correction
// where the division saturates it; left alone.
// CHECK-LABEL: func.func @nan_propagating_bounds
// CHECK: arith.divf
// CHECK-NOT: math.fma
func.func @nan_propagating_bounds(%x: f32) -> f32 {
  %s = arith.constant 0.1 : f32
  %lo = arith.constant 0.0 : f32
  %hi = arith.constant 255.0 : f32
  %d = arith.divf %x, %s : f32
  %l = arith.maximumf %d, %lo : f32
  %h = arith.minimumf %l, %hi : f32
  %r = math.roundeven %h : f32
  return %r : f32
}

// -----

// A divisor that is not a constant, and a scale outside [2^-40, 2^40].
// CHECK-LABEL: func.func @not_applicable
// CHECK-COUNT-2: arith.divf
// CHECK-NOT: math.fma
func.func @not_applicable(%x: f32, %s: f32) -> (f32, f32) {
  %tiny = arith.constant 1.0e-20 : f32
  %lo = arith.constant 0.0 : f32
  %hi = arith.constant 255.0 : f32
  %d = arith.divf %x, %s : f32
  %l = arith.maxnumf %d, %lo : f32
  %h = arith.minnumf %l, %hi : f32
  %r = math.roundeven %h : f32
  %d2 = arith.divf %x, %tiny : f32
  %l2 = arith.maxnumf %d2, %lo : f32
  %h2 = arith.minnumf %l2, %hi : f32
  %r2 = math.roundeven %h2 : f32
  return %r, %r2 : f32, f32
}
