// RUN: qcc-opt %s -split-input-file --qcc-vectorize-reductions | FileCheck %s

// A sum over the innermost dims (GlobalAveragePool's): per output element,
// 4 accumulators over 64-element blocks, whole vectors, a masked tail
// (200 = 3 * 64 + 8) padded with -0.0, lanes summed in order (no
// reassociation flag), then the output's initial value.
// CHECK-LABEL: func.func @sum_trailing
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<1x3x10x20xf32> into memref<1x3x200xf32>
// CHECK: %[[ID:.*]] = arith.constant dense<-0.000000e+00> : vector<16xf32>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for %{{.*}} = %{{.*}} to %c192 step %c64 iter_args
// CHECK-COUNT-4: vector.load %[[FLAT]]
// CHECK: arith.addf {{.*}} : vector<16xf32>
// CHECK: vector.constant_mask [8] : vector<16xi1>
// CHECK: vector.maskedload %[[FLAT]][{{.*}}], %{{.*}}, %[[ID]]
// CHECK: %[[R:.*]] = vector.reduction <add>, %{{.*}} : vector<16xf32> into f32
// CHECK-NOT: fastmath
// CHECK: %[[PREV:.*]] = memref.load
// CHECK: arith.addf %[[PREV]], %[[R]] : f32
// CHECK: memref.store
// CHECK-NOT: linalg.generic
#in = affine_map<(n, c, h, w) -> (n, c, h, w)>
#out = affine_map<(n, c, h, w) -> (n, c)>
func.func @sum_trailing(%x: memref<1x3x10x20xf32>, %y: memref<1x3xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x : memref<1x3x10x20xf32>) outs(%y : memref<1x3xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Integer max: the identity is the smallest value.
// CHECK-LABEL: func.func @max_i32
// CHECK: arith.constant dense<-2147483648> : vector<16xi32>
// CHECK: arith.maxsi {{.*}} : vector<16xi32>
// CHECK: vector.reduction <maxsi>
#in = affine_map<(m, k) -> (m, k)>
#out = affine_map<(m, k) -> (m)>
func.func @max_i32(%x: memref<4x64xi32>, %y: memref<4xi32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x64xi32>) outs(%y : memref<4xi32>) {
  ^bb0(%a: i32, %acc: i32):
    %s = arith.maxsi %acc, %a : i32
    linalg.yield %s : i32
  }
  return
}

// -----

// A reduction over a non-innermost dim is left alone.
// CHECK-LABEL: func.func @sum_leading
// CHECK: linalg.generic
#in = affine_map<(n, k) -> (k, n)>
#out = affine_map<(n, k) -> (n)>
func.func @sum_leading(%x: memref<64x8xf32>, %y: memref<8xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<64x8xf32>) outs(%y : memref<8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A GlobalAveragePool's sum of a fused DequantizeLinear: 8-bit loads, the
// conversion on vectors (the scale, a rank-0 input, loaded once per output
// and broadcast), lanes past the end of the masked tail set to the
// identity after the conversion.
// CHECK-LABEL: func.func @sum_of_dequantized
// CHECK: %[[S:.*]] = memref.load %arg1[]
// CHECK: vector.load {{.*}} : memref<2x100xi8>, vector<16xi8>
// CHECK: arith.uitofp {{.*}} : vector<16xi8> to vector<16xf32>
// CHECK: vector.broadcast %[[S]] : f32 to vector<16xf32>
// CHECK: arith.mulf {{.*}} : vector<16xf32>
// CHECK: vector.maskedload
// CHECK: arith.select
// CHECK: vector.reduction <add>
// CHECK-NOT: linalg.generic
#in2 = affine_map<(c, i) -> (c, i)>
#s2 = affine_map<(c, i) -> ()>
#out2 = affine_map<(c, i) -> (c)>
func.func @sum_of_dequantized(%x: memref<2x100xi8>, %s: memref<f32>, %y: memref<2xf32>) {
  linalg.generic {indexing_maps = [#in2, #s2, #out2], iterator_types = ["parallel", "reduction"]}
      ins(%x, %s : memref<2x100xi8>, memref<f32>) outs(%y : memref<2xf32>) {
  ^bb0(%a: i8, %sc: f32, %acc: f32):
    %f = arith.uitofp %a : i8 to f32
    %z = arith.constant 3.0 : f32
    %d = arith.subf %f, %z : f32
    %m = arith.mulf %d, %sc : f32
    %r = arith.addf %m, %acc : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// The sum of a fused elementwise sum (the example CNN's skip connections
// before GlobalAveragePool): the other full-shaped input is loaded as a
// vector at the same position as the first, in the blocks and in the
// masked tail; the per-channel gate stays a broadcast scalar.
// CHECK-LABEL: func.func @sum_of_sum
// CHECK: %[[G:.*]] = memref.load %arg1[%{{.*}}] : memref<2xf32>
// CHECK: vector.load %{{.*}} : memref<2x100xi8>, vector<16xi8>
// CHECK: vector.load %{{.*}} : memref<2x100xf32>, vector<16xf32>
// CHECK: vector.broadcast %[[G]] : f32 to vector<16xf32>
// CHECK: vector.maskedload %{{.*}} : memref<2x100xi8>
// CHECK: vector.maskedload %{{.*}} : memref<2x100xf32>
// CHECK: arith.select
// CHECK: vector.reduction <add>
// CHECK-NOT: linalg.generic
#in3 = affine_map<(c, i) -> (c, i)>
#g3 = affine_map<(c, i) -> (c)>
#out3 = affine_map<(c, i) -> (c)>
func.func @sum_of_sum(%x: memref<2x100xi8>, %g: memref<2xf32>, %u: memref<2x100xf32>, %y: memref<2xf32>) {
  linalg.generic {indexing_maps = [#in3, #g3, #in3, #out3], iterator_types = ["parallel", "reduction"]}
      ins(%x, %g, %u : memref<2x100xi8>, memref<2xf32>, memref<2x100xf32>) outs(%y : memref<2xf32>) {
  ^bb0(%a: i8, %gate: f32, %b: f32, %acc: f32):
    %f = arith.uitofp %a : i8 to f32
    %m = arith.mulf %f, %gate : f32
    %s = arith.addf %m, %b : f32
    %r = arith.addf %s, %acc : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// DynamicQuantizeLinear's range: one min and one max over a whole tensor,
// two outputs folding the same values in one pass, each with its own
// identity and 4 accumulators.
// CHECK-LABEL: func.func @min_max_pair
// CHECK-DAG: %[[PINF:.*]] = arith.constant dense<0x7F800000> : vector<16xf32>
// CHECK-DAG: %[[NINF:.*]] = arith.constant dense<0xFF800000> : vector<16xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c1024 step %c64 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK-COUNT-4: arith.minimumf {{.*}} : vector<16xf32>
// CHECK: vector.reduction <minimumf>
// CHECK: memref.store {{.*}}, %arg1[] : memref<f32>
// CHECK: vector.reduction <maximumf>
// CHECK: memref.store {{.*}}, %arg2[] : memref<f32>
// CHECK-NOT: linalg.generic
#in4 = affine_map<(a, b, c) -> (a, b, c)>
#out4 = affine_map<(a, b, c) -> ()>
func.func @min_max_pair(%x: memref<1x16x64xf32>, %lo: memref<f32>, %hi: memref<f32>) {
  linalg.generic {indexing_maps = [#in4, #out4, #out4], iterator_types = ["reduction", "reduction", "reduction"]}
      ins(%x : memref<1x16x64xf32>) outs(%lo, %hi : memref<f32>, memref<f32>) {
  ^bb0(%a: f32, %l: f32, %h: f32):
    %mn = arith.minimumf %a, %l : f32
    %mx = arith.maximumf %a, %h : f32
    linalg.yield %mn, %mx : f32, f32
  }
  return
}

// -----

// The range of a fused LayerNorm (a dynamically quantized MatMul's input):
// per-row statistics indexed by a reduced dim other than the innermost are
// loaded once per vector and broadcast, per-column weights indexed by the
// innermost dim are vector loads; sqrt stays a vector instruction.
// CHECK-LABEL: func.func @range_of_layer_norm
// CHECK: scf.for
// CHECK: %[[ROW:.*]] = arith.divui %{{.*}}, %c64{{.*}} : index
// CHECK: %[[B:.*]] = arith.remui %[[ROW]], %c16{{.*}} : index
// CHECK: memref.load %arg1[%{{.*}}, %[[B]]] : memref<1x16xf32>
// CHECK: vector.broadcast {{.*}} : f32 to vector<16xf32>
// CHECK: %[[COL:.*]] = arith.remui %{{.*}}, %c64{{.*}} : index
// CHECK: vector.load %arg2[%[[COL]]] : memref<64xf32>, vector<16xf32>
// CHECK: math.sqrt {{.*}} : vector<16xf32>
// CHECK: arith.minimumf {{.*}} : vector<16xf32>
// CHECK: arith.maximumf {{.*}} : vector<16xf32>
// CHECK-NOT: linalg.generic
#x5 = affine_map<(a, b, c) -> (a, b, c)>
#row5 = affine_map<(a, b, c) -> (a, b)>
#col5 = affine_map<(a, b, c) -> (c)>
#out5 = affine_map<(a, b, c) -> ()>
func.func @range_of_layer_norm(%x: memref<1x16x64xf32>, %var: memref<1x16xf32>, %gamma: memref<64xf32>, %lo: memref<f32>, %hi: memref<f32>) {
  linalg.generic {indexing_maps = [#x5, #row5, #col5, #out5, #out5], iterator_types = ["reduction", "reduction", "reduction"]}
      ins(%x, %var, %gamma : memref<1x16x64xf32>, memref<1x16xf32>, memref<64xf32>) outs(%lo, %hi : memref<f32>, memref<f32>) {
  ^bb0(%a: f32, %v: f32, %g: f32, %l: f32, %h: f32):
    %s = math.sqrt %v : f32
    %d = arith.divf %a, %s : f32
    %y = arith.mulf %d, %g : f32
    %mn = arith.minimumf %y, %l : f32
    %mx = arith.maximumf %y, %h : f32
    linalg.yield %mn, %mx : f32, f32
  }
  return
}

// -----

// A per-column input needs whole vectors within the innermost dim: 40
// columns leave it scalar.
// CHECK-LABEL: func.func @indexed_needs_whole_rows
// CHECK: linalg.generic
#x6 = affine_map<(a, b) -> (a, b)>
#col6 = affine_map<(a, b) -> (b)>
#out6 = affine_map<(a, b) -> ()>
func.func @indexed_needs_whole_rows(%x: memref<4x40xf32>, %g: memref<40xf32>, %hi: memref<f32>) {
  linalg.generic {indexing_maps = [#x6, #col6, #out6], iterator_types = ["reduction", "reduction"]}
      ins(%x, %g : memref<4x40xf32>, memref<40xf32>) outs(%hi : memref<f32>) {
  ^bb0(%a: f32, %c: f32, %h: f32):
    %y = arith.mulf %a, %c : f32
    %mx = arith.maximumf %y, %h : f32
    linalg.yield %mx : f32
  }
  return
}
