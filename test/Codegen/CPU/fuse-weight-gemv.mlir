// RUN: qcc-opt %s -split-input-file --qcc-fuse-weight-gemv=exact=true | FileCheck %s
// RUN: qcc-opt %s -split-input-file --qcc-fuse-weight-gemv --canonicalize | FileCheck %s --check-prefix=AFFINE

// w4 with zero points in groups of 4 along K (two nibbles per byte, the
// high one 16 columns on): one 16-byte read of the packed weights per k
// feeds both nibbles; the packed bytes are stored tile by tile; scales and
// zero points are read once per group; the float weights are never built.
#map = affine_map<(d0, d1, d2) -> (d0, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d0 floordiv 4, d1 * 16 + d2)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#mx = affine_map<(d0, d1, d2) -> (d0, d2)>
#mw = affine_map<(d0, d1, d2) -> (d2, d1)>
#mo = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @w4
// CHECK: %[[PACKED:.*]] = arith.constant dense<{{.*}}> : tensor<1x8x16xi8>
// CHECK: scf.forall (%[[T:.*]]) in (1) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<1x32xf32>)
// CHECK: scf.for %[[G:.*]] = %c0 to %c2 step %c1
// CHECK-COUNT-2: vector.transfer_read %{{.*}}[%[[G]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<2x32xf32>, vector<16xf32>
// CHECK: scf.for %[[KK:.*]] = %c0 to %c4 step %c1
// CHECK: %[[K:.*]] = affine.apply #{{.*}}(%[[G]], %[[KK]])
// CHECK: %[[BYTES:.*]] = vector.transfer_read %[[PACKED]][%[[T]], %[[K]], %c0], %{{.*}} {in_bounds = [true]} : tensor<1x8x16xi8>, vector<16xi8>
// CHECK-NOT: vector.transfer_read %[[PACKED]]
// CHECK-COUNT-2: arith.shli %[[BYTES]]
// CHECK: %[[X:.*]] = tensor.extract %arg0[%c0, %[[K]]] : tensor<1x8xf32>
// CHECK: %[[XV:.*]] = vector.broadcast %[[X]]
// CHECK: %[[P0:.*]] = arith.mulf %[[XV]], %{{.*}} : vector<16xf32>
// CHECK: arith.addf %{{.*}}, %[[P0]] : vector<16xf32>
// CHECK: %[[P1:.*]] = arith.mulf %[[XV]], %{{.*}} : vector<16xf32>
// CHECK: arith.addf %{{.*}}, %[[P1]] : vector<16xf32>
// CHECK: %[[S0:.*]] = tensor.extract_slice %[[OUT]][0, %{{.*}}] [1, 16] [1, 1]
// CHECK: %[[W0:.*]] = vector.transfer_write %{{.*}}, %[[S0]][%c0, %c0] {in_bounds = [true]} : vector<16xf32>, tensor<1x16xf32>
// CHECK: %[[S1:.*]] = tensor.extract_slice %[[OUT]][0, %{{.*}}] [1, 16] [1, 1]
// CHECK: %[[W1:.*]] = vector.transfer_write %{{.*}}, %[[S1]][%c0, %c0] {in_bounds = [true]} : vector<16xf32>, tensor<1x16xf32>
// CHECK: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[W0]] into %[[OUT]]
// CHECK-NEXT: tensor.parallel_insert_slice %[[W1]] into %[[OUT]]
// CHECK-NOT: linalg.generic {{.*}} ins(%arg0

// By default the scale multiplies each group's sum once: FMAs of x and
// (q - z) inside, the group's scales after.
// AFFINE-LABEL: func.func @w4
// AFFINE: scf.for %[[G:.*]] = %c0 to %c2 step %c1 iter_args(%[[A0:.*]] = %{{.*}}, %[[A1:.*]] = %{{.*}})
// AFFINE: %[[SUMS:.*]]:2 = scf.for %{{.*}} = %c0 to %c4 step %c1
// AFFINE: %[[F:.*]] = arith.sitofp %{{.*}} : vector<16xi32> to vector<16xf32>
// AFFINE: math.fma %{{.*}}, %[[F]], %{{.*}} : vector<16xf32>
// AFFINE-NOT: arith.mulf
// AFFINE: scf.yield
// AFFINE: %[[S0:.*]] = vector.transfer_read %{{.*}}[%[[G]], %c0]{{.*}} : tensor<2x32xf32>, vector<16xf32>
// AFFINE: math.fma %[[SUMS]]#0, %[[S0]], %[[A0]] : vector<16xf32>
// AFFINE: %[[S1:.*]] = vector.transfer_read %{{.*}}[%[[G]], %c16]{{.*}} : tensor<2x32xf32>, vector<16xf32>
// AFFINE: math.fma %[[SUMS]]#1, %[[S1]], %[[A1]] : vector<16xf32>
func.func @w4(%x: tensor<1x8xf32>) -> tensor<1x32xf32> {
  %c4 = arith.constant 4 : i8
  %zero = arith.constant 0.0 : f32
  %packed = arith.constant dense<[[-49, 21, 45, 60, 46, -51, -34, -107, 10, 24, 85, 110, -97, 122, 67, 40], [-79, -68, 8, 29, 115, 100, -29, -124, 107, 110, -86, -106, 44, -68, -63, -12], [-55, 72, 81, -90, -90, -78, -34, 74, -16, 0, 19, -7, -15, 76, 35, 80], [11, -28, -87, -107, 62, 120, 48, -59, 121, 7, 65, -76, -123, 95, 64, 23], [-101, -87, -123, -18, -19, 53, -101, -95, 63, 76, 124, -67, 74, -72, -89, 55], [99, -44, -41, -88, 1, -82, 57, -47, -23, 109, -12, -62, 83, -32, 98, 26], [-105, -39, -88, 100, -26, 122, 98, 37, 54, -78, -52, 74, -96, -33, 37, 70], [-122, -113, 101, 102, 33, -100, -18, 50, -52, 46, 11, -65, 46, -64, 84, -111]]> : tensor<8x16xi8>
  %scales = arith.constant dense<[[0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0], [0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5]]> : tensor<2x32xf32>
  %zps = arith.constant dense<8> : tensor<2x32xi8>
  %e = tensor.empty() : tensor<8x2x16xf32>
  %w = linalg.generic {indexing_maps = [#map, #map1, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel"]} ins(%packed, %scales, %zps : tensor<8x16xi8>, tensor<2x32xf32>, tensor<2x32xi8>) outs(%e : tensor<8x2x16xf32>) {
  ^bb0(%in: i8, %s: f32, %zp: i8, %out: f32):
    %h = linalg.index 1 : index
    %hi = arith.index_castui %h : index to i8
    %m = arith.muli %hi, %c4 : i8
    %sh = arith.subi %c4, %m : i8
    %l = arith.shli %in, %sh : i8
    %q = arith.shrui %l, %c4 : i8
    %qi = arith.extui %q : i8 to i32
    %zi = arith.extui %zp : i8 to i32
    %d = arith.subi %qi, %zi : i32
    %f = arith.sitofp %d : i32 to f32
    %v = arith.mulf %f, %s : f32
    linalg.yield %v : f32
  } -> tensor<8x2x16xf32>
  %wc = tensor.collapse_shape %w [[0], [1, 2]] : tensor<8x2x16xf32> into tensor<8x32xf32>
  %oe = tensor.empty() : tensor<1x32xf32>
  %o = linalg.fill ins(%zero : f32) outs(%oe : tensor<1x32xf32>) -> tensor<1x32xf32>
  %y = linalg.generic {indexing_maps = [#mx, #mw, #mo], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %wc : tensor<1x8xf32>, tensor<8x32xf32>) outs(%o : tensor<1x32xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<1x32xf32>
  return %y : tensor<1x32xf32>
}

// -----

// Not fused: more rows than max-rows (prefill), and a weight computed from
// an activation rather than constants.
// AFFINE-LABEL: func.func @kept
// AFFINE-COUNT-2: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-LABEL: func.func @kept
// CHECK-COUNT-2: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<{{.*}}>, tensor<16x32xf32>)
#mx2 = affine_map<(d0, d1, d2) -> (d0, d2)>
#mw2 = affine_map<(d0, d1, d2) -> (d2, d1)>
#mo2 = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @kept(%x: tensor<16x16xf32>, %x1: tensor<1x16xf32>, %a: tensor<16x32xf32>) -> (tensor<16x32xf32>, tensor<1x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = arith.constant dense<2.0> : tensor<16x32xf32>
  %e = tensor.empty() : tensor<16x32xf32>
  %w = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%c : tensor<16x32xf32>) outs(%e : tensor<16x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %h = arith.mulf %in, %in : f32
    linalg.yield %h : f32
  } -> tensor<16x32xf32>
  %w2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<16x32xf32>) outs(%e : tensor<16x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %h = arith.mulf %in, %in : f32
    linalg.yield %h : f32
  } -> tensor<16x32xf32>
  %oe = tensor.empty() : tensor<16x32xf32>
  %o = linalg.fill ins(%zero : f32) outs(%oe : tensor<16x32xf32>) -> tensor<16x32xf32>
  %y = linalg.generic {indexing_maps = [#mx2, #mw2, #mo2], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<16x16xf32>, tensor<16x32xf32>) outs(%o : tensor<16x32xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<16x32xf32>
  %oe1 = tensor.empty() : tensor<1x32xf32>
  %o1 = linalg.fill ins(%zero : f32) outs(%oe1 : tensor<1x32xf32>) -> tensor<1x32xf32>
  %y1 = linalg.generic {indexing_maps = [#mx2, #mw2, #mo2], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x1, %w2 : tensor<1x16xf32>, tensor<16x32xf32>) outs(%o1 : tensor<1x32xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<1x32xf32>
  return %y, %y1 : tensor<16x32xf32>, tensor<1x32xf32>
}

// -----

// Float weights stored as they are stream tile by tile too (an identity
// producer), bit-identical.
// CHECK-LABEL: func.func @float_weights
// CHECK: %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<1x4x32xf32>
// CHECK: vector.transfer_read %[[W]][%{{.*}}, %{{.*}}, %c0]
// CHECK: vector.transfer_read %[[W]][%{{.*}}, %{{.*}}, %c16]
// CHECK-NOT: linalg.generic
#fx = affine_map<(d0, d1, d2) -> (d0, d2)>
#fw = affine_map<(d0, d1, d2) -> (d2, d1)>
#fo = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @float_weights(%x: tensor<2x4xf32>) -> tensor<2x32xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0]]> : tensor<4x32xf32>
  %oe = tensor.empty() : tensor<2x32xf32>
  %o = linalg.fill ins(%zero : f32) outs(%oe : tensor<2x32xf32>) -> tensor<2x32xf32>
  %y = linalg.generic {indexing_maps = [#fx, #fw, #fo], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<2x4xf32>, tensor<4x32xf32>) outs(%o : tensor<2x32xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x32xf32>
  return %y : tensor<2x32xf32>
}
