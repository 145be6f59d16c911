// RUN: qcc-opt %s -split-input-file --qcc-mark-no-nan-bounds | FileCheck %s

// HardSigmoid of a dequantized value: finite operands, both bounds get nnan.
// CHECK-LABEL: func.func @dequantized
// CHECK: arith.maximumf %{{.*}}, %{{.*}} fastmath<nnan> : f32
// CHECK: arith.minimumf %{{.*}}, %{{.*}} fastmath<nnan> : f32
func.func @dequantized(%i: i32) -> f32 {
  %scale = arith.constant 0.0083 : f32
  %alpha = arith.constant 0.166666672 : f32
  %beta = arith.constant 0.5 : f32
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %f = arith.sitofp %i : i32 to f32
  %x = arith.mulf %f, %scale : f32
  %a = arith.mulf %x, %alpha : f32
  %b = arith.addf %a, %beta : f32
  %l = arith.maximumf %b, %zero : f32
  %h = arith.minimumf %l, %one : f32
  return %h : f32
}

// -----

// A float argument may be NaN: left alone.
// CHECK-LABEL: func.func @float_input
// CHECK: arith.maximumf %arg0, %{{.*}} : f32
// CHECK-NOT: nnan
func.func @float_input(%x: f32) -> f32 {
  %zero = arith.constant 0.0 : f32
  %r = arith.maximumf %x, %zero : f32
  return %r : f32
}

// -----

// Inside linalg.generic: a constant input's elements are finite, a
// non-constant input is not known; a constant with Inf is not finite.
// CHECK-LABEL: func.func @generic
// CHECK: arith.maximumf %{{.*}}, %{{.*}} fastmath<nnan> : f32
// CHECK: arith.maximumf %in_{{[0-9]+}}, %{{.*}} : f32
// CHECK: arith.minimumf %{{.*}}, %{{.*}} : f32
#map = affine_map<(d0) -> (d0)>
func.func @generic(%i: tensor<4xi8>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %scales = arith.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %inf = arith.constant 0x7F800000 : f32
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#map, #map, #map, #map],
                       iterator_types = ["parallel"]}
      ins(%i, %y, %scales : tensor<4xi8>, tensor<4xf32>, tensor<4xf32>)
      outs(%e : tensor<4xf32>) {
  ^bb0(%in: i8, %in_0: f32, %s: f32, %out: f32):
    %f = arith.sitofp %in : i8 to f32
    %x = arith.mulf %f, %s : f32
    %a = arith.maximumf %x, %zero : f32
    %b = arith.maximumf %in_0, %zero : f32
    %c = arith.minimumf %a, %inf : f32
    %d = arith.addf %b, %c : f32
    linalg.yield %d : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A product that could overflow to Inf (and then give NaN) is not finite.
// CHECK-LABEL: func.func @overflow
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f32
// CHECK-NOT: nnan
func.func @overflow(%i: i32) -> f32 {
  %big = arith.constant 1.0e30 : f32
  %zero = arith.constant 0.0 : f32
  %f = arith.sitofp %i : i32 to f32
  %x = arith.mulf %f, %big : f32
  %r = arith.maximumf %x, %zero : f32
  return %r : f32
}
