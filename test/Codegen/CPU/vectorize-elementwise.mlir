// RUN: qcc-opt %s -split-input-file --qcc-vectorize-elementwise | FileCheck %s

// A requantization over (c, w) with a per-channel scale, on buffers: tiles
// of 16 along w, the scale read as a broadcast.
// CHECK-LABEL: func.func @requantize
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c4 step %c1
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c32 step %c16
// CHECK: vector.transfer_read {{.*}} vector<1x16xi32>
// CHECK: vector.transfer_read {{.*}}permutation_map = #{{.*}}} : memref<1xf32, {{.*}}>, vector<1x16xf32>
// CHECK: math.roundeven {{.*}} : vector<1x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<1x16xi8>, memref<1x16xi8
// CHECK-NOT: linalg.generic
#id = affine_map<(c, w) -> (c, w)>
#ch = affine_map<(c, w) -> (c)>
func.func @requantize(%acc: memref<4x32xi32>, %s: memref<4xf32>, %out: memref<4x32xi8>) {
  linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]}
      ins(%acc, %s : memref<4x32xi32>, memref<4xf32>) outs(%out : memref<4x32xi8>) {
  ^bb0(%a: i32, %sc: f32, %o: i8):
    %f = arith.sitofp %a : i32 to f32
    %m = arith.mulf %f, %sc : f32
    %r = math.roundeven %m : f32
    %q = arith.fptosi %r : f32 to i8
    linalg.yield %q : i8
  }
  return
}

// -----

// An innermost extent of 12 takes vectors of 4.
// CHECK-LABEL: func.func @narrow
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c12 step %c4
// CHECK: arith.addf {{.*}} : vector<1x4xf32>
#id2 = affine_map<(a, b) -> (a, b)>
func.func @narrow(%x: memref<3x12xf32>, %out: memref<3x12xf32>) {
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<3x12xf32>) outs(%out : memref<3x12xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Left alone: a transposed read (a lane-by-lane gather), a function without
// a vector instruction (exp), an odd innermost extent, booleans (vectors of
// i1 are stored bit-packed, buffers hold a byte per element) and ops still
// on tensors (tiling them before bufferization would cost a copy per output).
// CHECK-LABEL: func.func @unchanged
// CHECK-NOT: vector.
// CHECK: return
#t = affine_map<(a, b) -> (b, a)>
#id3 = affine_map<(a, b) -> (a, b)>
func.func @unchanged(%x: memref<16x16xf32>, %y: memref<3x7xf32>, %o1: memref<16x16xf32>, %o2: memref<16x16xf32>, %o3: memref<3x7xf32>, %b: memref<4x16xi1>, %ob: memref<4x16xi1>, %tx: tensor<4x16xf32>) -> tensor<4x16xf32> {
  linalg.generic {indexing_maps = [#t, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<16x16xf32>) outs(%o1 : memref<16x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<16x16xf32>) outs(%o2 : memref<16x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %x2 = math.exp %a : f32
    linalg.yield %x2 : f32
  }
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%y : memref<3x7xf32>) outs(%o3 : memref<3x7xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  }
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%b : memref<4x16xi1>) outs(%ob : memref<4x16xi1>) {
  ^bb0(%a: i1, %o: i1):
    %true = arith.constant true
    %n = arith.xori %a, %true : i1
    linalg.yield %n : i1
  }
  %e = tensor.empty() : tensor<4x16xf32>
  %r = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%tx : tensor<4x16xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// im2col of a stride-1 3x3 window: the read index h + kh, w + kw walks the
// input contiguously along w, so each tile reads 16 bytes at an offset.
// CHECK-LABEL: func.func @window_copy
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c16{{.*}} step %c16
// CHECK: memref.subview %{{.*}} : memref<2x18x18xi8> to memref<1x1x16xi8
// CHECK: vector.transfer_read {{.*}} : memref<1x1x16xi8, {{.*}}>, vector<1x1x1x1x16xi8>
// CHECK: vector.transfer_write {{.*}} : vector<1x1x1x1x16xi8>
// CHECK-NOT: linalg.generic
#in = affine_map<(c, kh, kw, h, w) -> (c, h + kh, w + kw)>
#out = affine_map<(c, kh, kw, h, w) -> (c, kh, kw, h, w)>
func.func @window_copy(%x: memref<2x18x18xi8>, %o: memref<2x3x3x16x16xi8>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%x : memref<2x18x18xi8>) outs(%o : memref<2x3x3x16x16xi8>) {
  ^bb0(%a: i8, %b: i8):
    linalg.yield %a : i8
  }
  return
}

// -----

// Padding: a linalg.copy into a strided window of the padded buffer and
// the fill of the border (a linalg.map) are vectorized like generics.
// CHECK-LABEL: func.func @pad_copy
// CHECK: vector.transfer_write {{.*}} : vector<1x8xf32>, memref<1x8xf32
// CHECK: vector.transfer_read {{.*}} : memref<1x16xf32, {{.*}}>, vector<1x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<1x16xf32>, memref<1x16xf32, strided<[24, 1], offset: ?>>
// CHECK-NOT: linalg.
func.func @pad_copy(%x: memref<16x16xf32>, %p: memref<18x24xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.map outs(%p : memref<18x24xf32>) (%init: f32) {
    linalg.yield %zero : f32
  }
  %w = memref.subview %p[1, 4] [16, 16] [1, 1] : memref<18x24xf32> to memref<16x16xf32, strided<[24, 1], offset: 28>>
  linalg.copy ins(%x : memref<16x16xf32>) outs(%w : memref<16x16xf32, strided<[24, 1], offset: 28>>)
  return
}

// -----

// A strided window (stride 2 along the innermost loop: a strided
// convolution's im2col) is read through a strided slice of the tile's run,
// which qcc-lower-vector-transfers turns into a contiguous load and a
// shuffle. Left alone: a window that is not the last dim of its operand.
// CHECK-LABEL: func.func @strided_and_not_windows
// CHECK: memref.subview %{{.*}}[0, 0] [1, 16] [1, 2] : memref<1x31xf32, strided<[34, 1], offset: ?>> to memref<1x16xf32, strided<[34, 2], offset: ?>>
// CHECK: vector.transfer_read {{.*}} : memref<1x16xf32, strided<[34, 2], offset: ?>>, vector<1x1x16xf32>
// CHECK: vector.transfer_write
// CHECK-NOT: vector.
// CHECK: return
#s2 = affine_map<(c, kw, w) -> (c, 2 * w + kw)>
#o2 = affine_map<(c, kw, w) -> (c, kw, w)>
#tw = affine_map<(c, kw, w) -> (w + kw, c)>
func.func @strided_and_not_windows(%x: memref<4x34xf32>, %o: memref<4x2x16xf32>, %y: memref<17x4xf32>, %o2: memref<4x2x16xf32>) {
  linalg.generic {indexing_maps = [#s2, #o2], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : memref<4x34xf32>) outs(%o : memref<4x2x16xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  }
  linalg.generic {indexing_maps = [#tw, #o2], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%y : memref<17x4xf32>) outs(%o2 : memref<4x2x16xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  }
  return
}
