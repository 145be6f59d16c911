// RUN: qcc-opt %s -split-input-file --qcc-gpu-int8-tensor-cores --canonicalize --cse | FileCheck %s

// MatMul of uint8 activations (zero point 127) by int8 weights: one block
// (N = 24 -> 32-wide tiles, M = 40 -> 64-high), 128 threads, shared tiles
// of 48-byte rows, K = 70 in three 32-deep slices, four mma.sync per
// slice (2 x 2 fragments per warp), the zero point's column sums of the
// weights in shared memory, and an epilogue adding to the output.
// CHECK-LABEL: func.func @matmul_u8_s8
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c128, {{.*}} = %c1, {{.*}} = %c1)
// CHECK-SAME: workgroup([[A:%[a-z0-9]+]] : memref<64x12xi32, #gpu.address_space<workgroup>>, [[B:%[a-z0-9]+]] : memref<32x12xi32, #gpu.address_space<workgroup>>, [[COLS:%[a-z0-9]+]] : memref<8x32xi32, #gpu.address_space<workgroup>>)
// CHECK: scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK: gpu.barrier
// CHECK: memref.load %{{.*}} : memref<40x70xi8>
// CHECK: arith.extui
// CHECK: memref.store %{{.*}}, [[A]]
// CHECK: memref.load %{{.*}} : memref<70x24xi8>
// CHECK: arith.extsi
// CHECK: memref.store %{{.*}}, [[B]]
// CHECK: gpu.barrier
// CHECK-COUNT-4: nvvm.mma.sync {{.*}} {intOverflowBehavior = #nvvm.mma_int_overflow<wrapped>, layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<u8>, multiplicandBPtxType = #nvvm.mma_type<s8>, shape = #nvvm.shape<m = 16, n = 8, k = 32>} : (i32, i32, i32) -> !llvm.struct<(i32, i32, i32, i32)>
// CHECK: scf.yield
// CHECK: memref.store %{{.*}}, [[COLS]]
// CHECK: gpu.barrier
// CHECK: scf.if
// CHECK: memref.load [[COLS]]
// CHECK: arith.muli %{{.*}}, %c127_i32
// CHECK: arith.subi
// CHECK: %[[OLD:.*]] = memref.load %{{.*}} : memref<40x24xi32>
// CHECK: %[[NEW:.*]] = arith.addi %[[OLD]]
// CHECK: memref.store %[[NEW]], %{{.*}} : memref<40x24xi32>
// CHECK-NOT: linalg.generic
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (k, n)>
#o = affine_map<(m, n, k) -> (m, n)>
func.func @matmul_u8_s8(%a: memref<40x70xi8>, %b: memref<70x24xi8>, %o: memref<40x24xi32>) {
  %zp = arith.constant 127 : i32
  linalg.generic {indexing_maps = [#a, #b, #o], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<40x70xi8>, memref<70x24xi8>) outs(%o : memref<40x24xi32>) {
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

// -----

// A 3x3 convolution as an implicit GEMM: rows are the output pixels
// (M = 8*8 = 64, delinearized), columns the output channels (N = 64, the
// 2x2 grid of 64x64 tiles), K = 16*3*3 = 144 in five slices; the input's
// window indices are computed per element. Symmetric int8 on both sides:
// no zero-point sums. Groups are the grid's z (2).
// CHECK-LABEL: func.func @conv_implicit_gemm
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c2) threads({{.*}}) in ({{.*}} = %c128,
// CHECK-SAME: workgroup(%{{.*}} : memref<64x12xi32, #gpu.address_space<workgroup>>, %{{.*}} : memref<64x12xi32, #gpu.address_space<workgroup>>) {
// CHECK: scf.for %{{.*}} = %c0 to %c5 step %c1
// CHECK: affine.apply
// CHECK-COUNT-8: nvvm.mma.sync {{.*}} multiplicandAPtxType = #nvvm.mma_type<s8>, multiplicandBPtxType = #nvvm.mma_type<s8>
// CHECK-NOT: nvvm.mma.sync
// CHECK: scf.yield
// CHECK-NOT: gpu.barrier
// CHECK: scf.if
#in = affine_map<(g, co, oh, ow, ci, kh, kw) -> (g, ci, oh + kh, ow + kw)>
#w = affine_map<(g, co, oh, ow, ci, kh, kw) -> (g, co, ci, kh, kw)>
#out = affine_map<(g, co, oh, ow, ci, kh, kw) -> (g, co, oh, ow)>
func.func @conv_implicit_gemm(%x: memref<2x16x10x10xi8>, %w: memref<2x64x16x3x3xi8>, %o: memref<2x64x8x8xi32>) {
  linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<2x16x10x10xi8>, memref<2x64x16x3x3xi8>) outs(%o : memref<2x64x8x8xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  }
  return
}

// -----

// Dynamic quantization: the activation zero point is a rank-0 input read
// by the kernel, the weights have a zero point too: both sums, and the
// K*zpA*zpB term (K = 64, zpB = 3: 192*zpA).
// CHECK-LABEL: func.func @both_zero_points
// CHECK: gpu.launch
// CHECK-SAME: workgroup(%{{.*}} : memref<32x12xi32, {{.*}}>, %{{.*}} : memref<32x12xi32, {{.*}}>, [[ROWS:%[a-z0-9]+]] : memref<8x32xi32, {{.*}}>, [[COLS:%[a-z0-9]+]] : memref<8x32xi32, {{.*}}>)
// CHECK: scf.for
// CHECK: nvvm.mma.sync {{.*}} multiplicandAPtxType = #nvvm.mma_type<u8>, multiplicandBPtxType = #nvvm.mma_type<u8>
// CHECK: scf.yield
// CHECK: memref.store %{{.*}}, [[ROWS]]
// CHECK: memref.store %{{.*}}, [[COLS]]
// CHECK: gpu.barrier
// CHECK: %[[ZP:.*]] = memref.load %{{.*}}[] : memref<i8>
// CHECK: %[[ZPA:.*]] = arith.extui %[[ZP]]
// CHECK: scf.if
// CHECK: memref.load [[COLS]]
// CHECK: arith.muli %[[ZPA]]
// CHECK: memref.load [[ROWS]]
// CHECK: arith.muli %{{.*}}, %c3_i32
// CHECK: %[[KZZ:.*]] = arith.muli %[[ZPA]], %c192_i32
// CHECK: arith.addi %{{.*}}, %[[KZZ]]
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (n, k)>
#z = affine_map<(m, n, k) -> ()>
#o = affine_map<(m, n, k) -> (m, n)>
func.func @both_zero_points(%a: memref<16x64xi8>, %b: memref<16x64xi8>, %zp: memref<i8>, %o: memref<16x16xi32>) {
  %c3 = arith.constant 3 : i32
  linalg.generic {indexing_maps = [#a, #b, #z, #o], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b, %zp : memref<16x64xi8>, memref<16x64xi8>, memref<i8>) outs(%o : memref<16x16xi32>) {
  ^bb0(%x: i8, %w: i8, %z: i8, %acc: i32):
    %0 = arith.extui %x : i8 to i32
    %1 = arith.extui %z : i8 to i32
    %2 = arith.subi %0, %1 : i32
    %3 = arith.extui %w : i8 to i32
    %4 = arith.subi %3, %c3 : i32
    %5 = arith.muli %2, %4 : i32
    %6 = arith.addi %acc, %5 : i32
    linalg.yield %6 : i32
  }
  return
}

// -----

// Left to the generic mapping: a GEMV (one row), a depthwise convolution
// (one column per group) and float contractions.
// CHECK-LABEL: func.func @not_tensor_core
// CHECK-NOT: gpu.launch
// CHECK-COUNT-3: linalg.generic
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (k, n)>
#o = affine_map<(m, n, k) -> (m, n)>
#dwi = affine_map<(c, oh, ow, kh, kw) -> (c, oh + kh, ow + kw)>
#dww = affine_map<(c, oh, ow, kh, kw) -> (c, kh, kw)>
#dwo = affine_map<(c, oh, ow, kh, kw) -> (c, oh, ow)>
func.func @not_tensor_core(%v: memref<1x64xi8>, %w: memref<64x64xi8>, %y: memref<1x64xi32>,
                           %x: memref<32x10x10xi8>, %k: memref<32x3x3xi8>, %z: memref<32x8x8xi32>,
                           %f: memref<16x64xf32>, %g: memref<64x64xf32>, %h: memref<16x64xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #o], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%v, %w : memref<1x64xi8>, memref<64x64xi8>) outs(%y : memref<1x64xi32>) {
  ^bb0(%p: i8, %q: i8, %acc: i32):
    %0 = arith.extsi %p : i8 to i32
    %1 = arith.extsi %q : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  }
  linalg.generic {indexing_maps = [#dwi, #dww, #dwo], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %k : memref<32x10x10xi8>, memref<32x3x3xi8>) outs(%z : memref<32x8x8xi32>) {
  ^bb0(%p: i8, %q: i8, %acc: i32):
    %0 = arith.extsi %p : i8 to i32
    %1 = arith.extsi %q : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  }
  linalg.generic {indexing_maps = [#a, #b, #o], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%f, %g : memref<16x64xf32>, memref<64x64xf32>) outs(%h : memref<16x64xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %0 = arith.mulf %p, %q : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// A marked epilogue (a per-column bias and a requantization to int8,
// reading the result through a reshape) is computed on each finished
// element in the kernel: its output is stored instead of the int32 sum,
// with the bias loaded by its own map from the element's row-major
// position, and the reader is gone.
// CHECK-LABEL: func.func @fused_epilogue
// CHECK: gpu.launch
// CHECK: nvvm.mma.sync
// CHECK: scf.if
// CHECK: %[[OLD:.*]] = memref.load %arg2[%{{.*}}, %{{.*}}] : memref<40x24xi32>
// CHECK: %[[SUM:.*]] = arith.addi %[[OLD]]
// CHECK: %[[BIAS:.*]] = memref.load %arg3[%{{.*}}] : memref<24xi32>
// CHECK: arith.addi %[[SUM]], %[[BIAS]] : i32
// CHECK: arith.sitofp
// CHECK: %[[Q:.*]] = arith.trunci %{{.*}} : i32 to i8
// CHECK: memref.store %[[Q]], %arg4[%{{.*}}, %{{.*}}, %{{.*}}] : memref<1x40x24xi8>
// CHECK-NOT: memref.store %{{.*}} : memref<40x24xi32>
// CHECK-NOT: linalg.generic
#a2 = affine_map<(m, n, k) -> (m, k)>
#b2 = affine_map<(m, n, k) -> (k, n)>
#o2 = affine_map<(m, n, k) -> (m, n)>
#id3 = affine_map<(b, m, n) -> (b, m, n)>
#col3 = affine_map<(b, m, n) -> (n)>
func.func @fused_epilogue(%a: memref<40x70xi8>, %b: memref<70x24xi8>, %o: memref<40x24xi32>, %bias: memref<24xi32>, %y: memref<1x40x24xi8>) {
  %scale = arith.constant 0.0125 : f32
  %lo = arith.constant -128.0 : f32
  %hi = arith.constant 127.0 : f32
  linalg.generic {indexing_maps = [#a2, #b2, #o2], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<40x70xi8>, memref<70x24xi8>) outs(%o : memref<40x24xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %0 = arith.extsi %x : i8 to i32
    %2 = arith.extsi %w : i8 to i32
    %3 = arith.muli %0, %2 : i32
    %4 = arith.addi %acc, %3 : i32
    linalg.yield %4 : i32
  }
  %e = memref.expand_shape %o [[0, 1], [2]] output_shape [1, 40, 24] : memref<40x24xi32> into memref<1x40x24xi32>
  linalg.generic {indexing_maps = [#id3, #col3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e, %bias : memref<1x40x24xi32>, memref<24xi32>) outs(%y : memref<1x40x24xi8>) attrs = {qcc.epilogue} {
  ^bb0(%v: i32, %c: i32, %out: i8):
    %s = arith.addi %v, %c : i32
    %f = arith.sitofp %s : i32 to f32
    %m = arith.mulf %f, %scale : f32
    %r = math.roundeven %m : f32
    %l = arith.maximumf %r, %lo : f32
    %h = arith.minimumf %l, %hi : f32
    %i = arith.fptosi %h : f32 to i32
    %t = arith.trunci %i : i32 to i8
    linalg.yield %t : i8
  }
  return
}

// -----

// A marked reader whose output overlaps an operand of the contraction (two
// views of the workspace sharing bytes) cannot be fused, since other
// blocks may still read it: it keeps its kernel, unmarked.
// CHECK-LABEL: func.func @epilogue_overlapping_operand
// CHECK: gpu.launch
// CHECK: memref.store %{{.*}}, %{{.*}} : memref<40x24xi32>
// CHECK: linalg.generic
// CHECK-NOT: qcc.epilogue
#a4 = affine_map<(m, n, k) -> (m, k)>
#b4 = affine_map<(m, n, k) -> (k, n)>
#o4 = affine_map<(m, n, k) -> (m, n)>
#id4 = affine_map<(m, n) -> (m, n)>
func.func @epilogue_overlapping_operand(%ws: memref<8192xi8>, %b: memref<70x24xi8>) {
  %c0 = arith.constant 0 : index
  %c1024 = arith.constant 1024 : index
  %c4096 = arith.constant 4096 : index
  %a = memref.view %ws[%c0][] : memref<8192xi8> to memref<40x70xi8>
  %o = memref.view %ws[%c4096][] : memref<8192xi8> to memref<40x24xi32>
  %y = memref.view %ws[%c1024][] : memref<8192xi8> to memref<40x24xi8>
  linalg.generic {indexing_maps = [#a4, #b4, #o4], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<40x70xi8>, memref<70x24xi8>) outs(%o : memref<40x24xi32>) {
  ^bb0(%x: i8, %w: i8, %acc: i32):
    %0 = arith.extsi %x : i8 to i32
    %2 = arith.extsi %w : i8 to i32
    %3 = arith.muli %0, %2 : i32
    %4 = arith.addi %acc, %3 : i32
    linalg.yield %4 : i32
  }
  linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel"]}
      ins(%o : memref<40x24xi32>) outs(%y : memref<40x24xi8>) attrs = {qcc.epilogue} {
  ^bb0(%v: i32, %out: i8):
    %t = arith.trunci %v : i32 to i8
    linalg.yield %t : i8
  }
  return
}
