// RUN: qcc-opt %s -split-input-file --qcc-saturating-round | FileCheck %s

// QuantizeLinear's tail to uint8 with zero point 3: the clamp moves before
// the rounding (bounds minus the zero point), the zero point is added in
// i32, and the dequantization right after reads the i32 value (its
// extui of the byte is gone).
// CHECK-LABEL: func.func @uint8_zp
// CHECK-DAG: %[[LO:.*]] = arith.constant -3.000000e+00 : f32
// CHECK-DAG: %[[HI:.*]] = arith.constant 2.520000e+02 : f32
// CHECK-DAG: %[[ZP:.*]] = arith.constant 3 : i32
// CHECK: %[[A:.*]] = arith.maxnumf %arg0, %[[LO]] : f32
// CHECK: %[[B:.*]] = arith.minnumf %[[A]], %[[HI]] : f32
// CHECK: %[[R:.*]] = math.roundeven %[[B]] : f32
// CHECK: %[[I:.*]] = arith.fptosi %[[R]] : f32 to i32
// CHECK: %[[W:.*]] = arith.addi %[[I]], %[[ZP]] : i32
// CHECK: %[[T:.*]] = arith.trunci %[[W]] : i32 to i8
// CHECK: return %[[T]], %[[W]] : i8, i32
func.func @uint8_zp(%v: f32) -> (i8, i32) {
  %zp = arith.constant 3.0 : f32
  %lo = arith.constant 0.0 : f32
  %hi = arith.constant 255.0 : f32
  %r = math.roundeven %v : f32
  %a = arith.addf %r, %zp : f32
  %l = arith.maxnumf %a, %lo : f32
  %h = arith.minnumf %l, %hi : f32
  %q = arith.fptoui %h : f32 to i8
  %e = arith.extui %q : i8 to i32
  return %q, %e : i8, i32
}

// -----

// int8, no zero point, bounds nested the other way, NaN-propagating bounds,
// on vectors: no add.
// CHECK-LABEL: func.func @int8_vector
// CHECK-DAG: %[[LO:.*]] = arith.constant dense<-1.280000e+02> : vector<16xf32>
// CHECK-DAG: %[[HI:.*]] = arith.constant dense<1.270000e+02> : vector<16xf32>
// CHECK: %[[A:.*]] = arith.maxnumf %arg0, %[[LO]]
// CHECK: %[[B:.*]] = arith.minnumf %[[A]], %[[HI]]
// CHECK: %[[R:.*]] = math.roundeven %[[B]]
// CHECK: %[[I:.*]] = arith.fptosi %[[R]] : vector<16xf32> to vector<16xi32>
// CHECK-NOT: arith.addi
// CHECK: arith.trunci %[[I]] : vector<16xi32> to vector<16xi8>
func.func @int8_vector(%v: vector<16xf32>) -> vector<16xi8> {
  %lo = arith.constant dense<-128.0> : vector<16xf32>
  %hi = arith.constant dense<127.0> : vector<16xf32>
  %r = math.roundeven %v : vector<16xf32>
  %h = arith.minimumf %r, %hi : vector<16xf32>
  %l = arith.maximumf %h, %lo : vector<16xf32>
  %q = arith.fptosi %l : vector<16xf32> to vector<16xi8>
  return %q : vector<16xi8>
}

// -----

// Left alone: a bound that is not an integer, a range the result type
// cannot hold, and a cast without rounding.
// CHECK-LABEL: func.func @not_matched
// CHECK-COUNT-3: arith.fptoui %{{.*}} : f32 to i8
// CHECK-NOT: arith.fptosi
func.func @not_matched(%v: f32) -> (i8, i8, i8) {
  %lo = arith.constant 0.0 : f32
  %half = arith.constant 254.5 : f32
  %big = arith.constant 300.0 : f32
  %hi = arith.constant 255.0 : f32
  %r = math.roundeven %v : f32
  %a = arith.maxnumf %r, %lo : f32
  %b = arith.minnumf %a, %half : f32
  %q0 = arith.fptoui %b : f32 to i8
  %c = arith.minnumf %a, %big : f32
  %q1 = arith.fptoui %c : f32 to i8
  %d = arith.maxnumf %v, %lo : f32
  %e = arith.minnumf %d, %hi : f32
  %q2 = arith.fptoui %e : f32 to i8
  return %q0, %q1, %q2 : i8, i8, i8
}
