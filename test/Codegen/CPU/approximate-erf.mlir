// RUN: qcc-opt %s -split-input-file --qcc-approximate-erf | FileCheck %s

// A GELU body: erf becomes arithmetic (no libm call left), with the sign
// of x copied onto the result (erf(-0.0) = -0.0); NaN
// stays NaN through the polynomial.
// CHECK-LABEL: func.func @gelu_body
// CHECK-NOT: math.erf
// CHECK: ^bb0(%[[IN:[a-z_0-9]+]]: f32
// CHECK: %[[X:[0-9]+]] = arith.mulf %[[IN]]
// CHECK: arith.cmpf olt, %[[X]]
// CHECK: math.fma
// CHECK: arith.divf
// CHECK: arith.select
// CHECK: %[[S:[0-9]+]] = math.copysign %{{[0-9]+}}, %[[X]] : f32
// CHECK: arith.addf %[[S]]
// CHECK: linalg.yield
#m = affine_map<(i) -> (i)>
func.func @gelu_body(%x: memref<64xf32>, %y: memref<64xf32>) {
  %c = arith.constant 0.707106769 : f32
  %h = arith.constant 5.000000e-01 : f32
  %one = arith.constant 1.000000e+00 : f32
  linalg.generic {indexing_maps = [#m, #m], iterator_types = ["parallel"]}
      ins(%x : memref<64xf32>) outs(%y : memref<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %c : f32
    %e = math.erf %s : f32
    %p = arith.addf %e, %one : f32
    %q = arith.mulf %a, %h : f32
    %r = arith.mulf %q, %p : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Vectors too (the pattern is shape-agnostic).
// CHECK-LABEL: func.func @erf_vector
// CHECK-NOT: math.erf
// CHECK: math.copysign {{.*}} : vector<16xf32>
func.func @erf_vector(%x: vector<16xf32>) -> vector<16xf32> {
  %e = math.erf %x : vector<16xf32>
  return %e : vector<16xf32>
}
