// Integer contractions for emulated-gpu.test: every shape leaves
// partial tiles, and between them they cover both operand signednesses,
// constant and run-time zero points on either side, batch loops on the
// grid, and convolution windows with strides.

// Batched MatMul, uint8 activations with zero point 127 by int8 weights:
// 2 x 2 x 2 blocks of 64 x 64, K = 70 (three slices, the last partial).
func.func @matmul_zp(%a: memref<2x80x70xi8>, %b: memref<2x70x72xi8>, %o: memref<2x80x72xi32>) {
  %zp = arith.constant 127 : i32
  linalg.generic {indexing_maps = [affine_map<(g, m, n, k) -> (g, m, k)>, affine_map<(g, m, n, k) -> (g, k, n)>, affine_map<(g, m, n, k) -> (g, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x80x70xi8>, memref<2x70x72xi8>) outs(%o : memref<2x80x72xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %0 = arith.extui %x : i8 to i32
    %1 = arith.subi %0, %zp : i32
    %2 = arith.extsi %w : i8 to i32
    %3 = arith.muli %1, %2 : i32
    %4 = arith.addi %acc, %3 : i32
    linalg.yield %4 : i32
  }
  return
}

// A stride-2 3x3 convolution as an implicit GEMM (M = 5x5 pixels, N = 24
// channels, K = 16x3x3), zero points on both sides.
func.func @conv_zp(%x: memref<1x16x11x11xi8>, %w: memref<24x16x3x3xi8>, %o: memref<1x24x5x5xi32>) {
  %zx = arith.constant 3 : i32
  %zw = arith.constant -2 : i32
  linalg.generic {indexing_maps = [affine_map<(n, co, oh, ow, ci, kh, kw) -> (n, ci, oh * 2 + kh, ow * 2 + kw)>, affine_map<(n, co, oh, ow, ci, kh, kw) -> (co, ci, kh, kw)>, affine_map<(n, co, oh, ow, ci, kh, kw) -> (n, co, oh, ow)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x16x11x11xi8>, memref<24x16x3x3xi8>) outs(%o : memref<1x24x5x5xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %0 = arith.extui %a : i8 to i32
    %1 = arith.subi %0, %zx : i32
    %2 = arith.extsi %b : i8 to i32
    %3 = arith.subi %2, %zw : i32
    %4 = arith.muli %1, %3 : i32
    %5 = arith.addi %acc, %4 : i32
    linalg.yield %5 : i32
  }
  return
}

// Dynamic quantization: the activations' zero point is read at run time;
// signed activations, weights whose rows are contiguous in N.
func.func @dynamic_zp(%a: memref<16x64xi8>, %b: memref<64x40xi8>, %zp: memref<i8>, %o: memref<16x40xi32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> ()>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b, %zp : memref<16x64xi8>, memref<64x40xi8>, memref<i8>) outs(%o : memref<16x40xi32>) {
  ^bb0(%x: i8, %w: i8, %z: i8, %acc: i32):
    %0 = arith.extsi %x : i8 to i32
    %1 = arith.extsi %z : i8 to i32
    %2 = arith.subi %0, %1 : i32
    %3 = arith.extsi %w : i8 to i32
    %4 = arith.muli %2, %3 : i32
    %5 = arith.addi %acc, %4 : i32
    linalg.yield %5 : i32
  }
  return
}
