// RUN: qcc-opt %s -split-input-file --qcc-gpu-float-contractions --canonicalize --cse | FileCheck %s

// Tiled: M = 40 rows -> 64-high tiles (4 rows per thread), N = 24 -> one
// 32-wide tile (2 columns per thread), 256 threads, K = 70 in five 16-deep
// slices staged in shared memory (K-major, rows padded by one float), 16
// steps of 4 x 2 fmas per slice, and an epilogue adding to the output.
// CHECK-LABEL: func.func @matmul_tiled
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256, {{.*}} = %c1, {{.*}} = %c1)
// CHECK-SAME: workgroup([[A:%[a-z0-9]+]] : memref<16x65xf32, #gpu.address_space<workgroup>>, [[B:%[a-z0-9]+]] : memref<16x33xf32, #gpu.address_space<workgroup>>)
// CHECK: scf.for %{{.*}} = %c0 to %c5 step %c1 iter_args
// CHECK: gpu.barrier
// CHECK: memref.load %{{.*}} : memref<40x70xf32>
// CHECK: arith.select
// CHECK: memref.store %{{.*}}, [[A]]
// CHECK: memref.load %{{.*}} : memref<70x24xf32>
// CHECK: memref.store %{{.*}}, [[B]]
// CHECK: gpu.barrier
// CHECK-COUNT-128: math.fma
// CHECK: scf.yield
// CHECK: scf.if
// CHECK: %[[OLD:.*]] = memref.load %{{.*}} : memref<40x24xf32>
// CHECK: %[[NEW:.*]] = arith.addf %[[OLD]]
// CHECK: memref.store %[[NEW]], %{{.*}} : memref<40x24xf32>
// CHECK-NOT: linalg.generic
func.func @matmul_tiled(%a: memref<40x70xf32>, %b: memref<70x24xf32>, %o: memref<40x24xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<40x70xf32>, memref<70x24xf32>) outs(%o : memref<40x24xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %0 = arith.mulf %x, %w : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// Attention's product: the heads are batch loops on the grid's z; 16 rows
// take 16-high tiles.
// CHECK-LABEL: func.func @batched_scores
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c4) threads({{.*}}) in ({{.*}} = %c256,
// CHECK-SAME: workgroup(%{{.*}} : memref<16x17xf32, #gpu.address_space<workgroup>>, %{{.*}} : memref<16x33xf32, #gpu.address_space<workgroup>>)
// CHECK: scf.for %{{.*}} = %c0 to %c4 step %c1
// CHECK-COUNT-32: math.fma
// CHECK-NOT: linalg.generic
func.func @batched_scores(%q: memref<1x4x16x64xf32>, %k: memref<1x4x64x16xf32>, %o: memref<1x4x16x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(b, h, m, n, k) -> (b, h, m, k)>, affine_map<(b, h, m, n, k) -> (b, h, k, n)>, affine_map<(b, h, m, n, k) -> (b, h, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : memref<1x4x16x64xf32>, memref<1x4x64x16xf32>) outs(%o : memref<1x4x16x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %0 = arith.mulf %x, %y : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// GEMV (2 rows), weights N-contiguous: 32 columns per block (N = 100 ->
// 4 blocks, few, so 1024 threads), 32 groups of threads over K = 600: 18
// full steps (a loop of 2 unrolled by 8, then 2 more) and a last step for
// the groups below 600 % 32 = 24; two fmas per weight; partial sums in
// shared memory (32 x (2*32 + 1)), added in group order.
// CHECK-LABEL: func.func @gemv_cols
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c4, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c1024,
// CHECK-SAME: workgroup([[P:%[a-z0-9]+]] : memref<32x65xf32, #gpu.address_space<workgroup>>)
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c8 iter_args
// CHECK-COUNT-8: memref.load %{{.*}} : memref<600x100xf32>
// CHECK: scf.yield
// CHECK-COUNT-2: memref.load %{{.*}} : memref<600x100xf32>
// CHECK: scf.if %{{.*}} -> (f32, f32)
// CHECK: memref.load %{{.*}} : memref<600x100xf32>
// CHECK-COUNT-2: math.fma
// CHECK: memref.store %{{.*}}, [[P]]
// CHECK: gpu.barrier
// CHECK: scf.if
// CHECK-COUNT-32: memref.load [[P]]
// CHECK: memref.load %{{.*}} : memref<2x100xf32>
// CHECK: memref.store %{{.*}} : memref<2x100xf32>
// CHECK-NOT: linalg.generic
func.func @gemv_cols(%a: memref<2x600xf32>, %b: memref<600x100xf32>, %o: memref<2x100xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x600xf32>, memref<600x100xf32>) outs(%o : memref<2x100xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %0 = arith.mulf %x, %w : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// GEMV with K-contiguous f16 weights (Gemm transB): lanes go along K (32
// groups), a warp per column (32 columns with 1024 threads); the weight is
// widened where it is loaded. With the weight on the left (more rows than
// columns) the roles swap.
// CHECK-LABEL: func.func @gemv_k_contiguous
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c1024,
// CHECK-SAME: workgroup(%{{.*}} : memref<32x33xf32, #gpu.address_space<workgroup>>)
// CHECK: memref.load %{{.*}} : memref<20x256xf16>
// CHECK-NEXT: arith.extf
// CHECK: math.fma
// CHECK-NOT: linalg.generic
func.func @gemv_k_contiguous(%w: memref<20x256xf16>, %x: memref<256x1xf32>, %o: memref<20x1xf32>) {
  linalg.generic {indexing_maps = [affine_map<(n, m, k) -> (n, k)>, affine_map<(n, m, k) -> (k, m)>, affine_map<(n, m, k) -> (n, m)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %x : memref<20x256xf16>, memref<256x1xf32>) outs(%o : memref<20x1xf32>) {
  ^bb0(%a: f16, %b: f32, %acc: f32):
    %0 = arith.extf %a : f16 to f32
    %1 = arith.mulf %0, %b : f32
    %2 = arith.addf %acc, %1 : f32
    linalg.yield %2 : f32
  }
  return
}

// -----

// Int8 weights dequantized into a buffer only the product reads (through
// a reshape): the kernel loads the int8 weight and its per-column scale
// and dequantizes in registers; the dequantizing generic is gone.
// CHECK-LABEL: func.func @fused_dequantization
// CHECK: gpu.launch
// CHECK: memref.load %{{.*}} : memref<64x48xi8>
// CHECK: memref.load %{{.*}} : memref<48xf32>
// CHECK: arith.sitofp
// CHECK: arith.mulf
// CHECK: math.fma
// CHECK-NOT: linalg.generic
memref.global "private" constant @w : memref<3072xi8> = dense<3>
memref.global "private" constant @s : memref<48xf32> = dense<0.5>
func.func @fused_dequantization(%a: memref<1x64xf32>, %o: memref<1x6x8xf32>) {
  %tmp = memref.alloc() : memref<64x48xf32>
  %g = memref.get_global @w : memref<3072xi8>
  %w = memref.expand_shape %g [[0, 1]] output_shape [64, 48] : memref<3072xi8> into memref<64x48xi8>
  %s = memref.get_global @s : memref<48xf32>
  linalg.generic {indexing_maps = [affine_map<(k, n) -> (k, n)>, affine_map<(k, n) -> (n)>, affine_map<(k, n) -> (k, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%w, %s : memref<64x48xi8>, memref<48xf32>) outs(%tmp : memref<64x48xf32>) {
  ^bb0(%q: i8, %scale: f32, %out: f32):
    %0 = arith.sitofp %q : i8 to f32
    %1 = arith.mulf %0, %scale : f32
    linalg.yield %1 : f32
  }
  %b = memref.expand_shape %tmp [[0], [1, 2]] output_shape [64, 6, 8] : memref<64x48xf32> into memref<64x6x8xf32>
  linalg.generic {indexing_maps = [affine_map<(m, c, d, k) -> (m, k)>, affine_map<(m, c, d, k) -> (k, c, d)>, affine_map<(m, c, d, k) -> (m, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<1x64xf32>, memref<64x6x8xf32>) outs(%o : memref<1x6x8xf32>) {
  ^bb0(%x: f32, %w2: f32, %acc: f32):
    %0 = arith.mulf %x, %w2 : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// The dequantized buffer has another reader: it must be written, so the
// producer stays and the kernel reads the float weights.
// CHECK-LABEL: func.func @shared_weights
// CHECK: linalg.generic
// CHECK: gpu.launch
// CHECK: memref.load %{{.*}} : memref<64x48xf32>
// CHECK: memref.copy
memref.global "private" constant @w2 : memref<64x48xi8> = dense<3>
func.func @shared_weights(%a: memref<1x64xf32>, %o: memref<1x48xf32>, %copy: memref<64x48xf32>) {
  %tmp = memref.alloc() : memref<64x48xf32>
  %w = memref.get_global @w2 : memref<64x48xi8>
  linalg.generic {indexing_maps = [affine_map<(k, n) -> (k, n)>, affine_map<(k, n) -> (k, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%w : memref<64x48xi8>) outs(%tmp : memref<64x48xf32>) {
  ^bb0(%q: i8, %out: f32):
    %0 = arith.sitofp %q : i8 to f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %tmp : memref<1x64xf32>, memref<64x48xf32>) outs(%o : memref<1x48xf32>) {
  ^bb0(%x: f32, %w2: f32, %acc: f32):
    %0 = arith.mulf %x, %w2 : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  memref.copy %tmp, %copy : memref<64x48xf32> to memref<64x48xf32>
  return
}

// -----

// The dequantized buffer is the caller's (a function argument: the model
// may return it): the producer must write it, and stays.
// CHECK-LABEL: func.func @caller_buffer
// CHECK: linalg.generic
// CHECK: gpu.launch
// CHECK: memref.load %{{.*}} : memref<64x48xf32>
memref.global "private" constant @w3 : memref<64x48xi8> = dense<3>
func.func @caller_buffer(%a: memref<1x64xf32>, %tmp: memref<64x48xf32>, %o: memref<1x48xf32>) {
  %w = memref.get_global @w3 : memref<64x48xi8>
  linalg.generic {indexing_maps = [affine_map<(k, n) -> (k, n)>, affine_map<(k, n) -> (k, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%w : memref<64x48xi8>) outs(%tmp : memref<64x48xf32>) {
  ^bb0(%q: i8, %out: f32):
    %0 = arith.sitofp %q : i8 to f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %tmp : memref<1x64xf32>, memref<64x48xf32>) outs(%o : memref<1x48xf32>) {
  ^bb0(%x: f32, %w2: f32, %acc: f32):
    %0 = arith.mulf %x, %w2 : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// An integer GEMV (the tensor cores take 8 rows or more): the operands'
// chains (extension, the run-time zero point loaded from its rank-0
// buffer) are computed where the kernel loads, sums wrap in i32 (muli,
// addi), partial sums are i32.
// CHECK-LABEL: func.func @int8_gemv
// CHECK: gpu.launch {{.*}} workgroup(%{{.*}} : memref<32x33xi32, #gpu.address_space<workgroup>>)
// CHECK: memref.load %{{.*}} : memref<64x48xi8>
// CHECK: memref.load %{{.*}} : memref<1x64xi8>
// CHECK: memref.load %{{.*}}[] : memref<i8>
// CHECK: arith.subi
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: memref.store %{{.*}} : memref<1x48xi32>
// CHECK-NOT: linalg.generic
func.func @int8_gemv(%a: memref<1x64xi8>, %w: memref<64x48xi8>, %zp: memref<i8>, %o: memref<1x48xi32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> ()>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w, %zp : memref<1x64xi8>, memref<64x48xi8>, memref<i8>) outs(%o : memref<1x48xi32>) {
  ^bb0(%x: i8, %y: i8, %z: i8, %acc: i32):
    %0 = arith.extui %x : i8 to i32
    %1 = arith.extui %z : i8 to i32
    %2 = arith.subi %0, %1 : i32
    %3 = arith.extsi %y : i8 to i32
    %4 = arith.muli %2, %3 : i32
    %5 = arith.addi %acc, %4 : i32
    linalg.yield %5 : i32
  }
  return
}

// -----

// What stays generic: a depthwise convolution (one column per group, 9
// taps), a product with fewer than 8 columns and rows, a max reduction.
// CHECK-LABEL: func.func @stays_generic
// CHECK-NOT: gpu.launch
// CHECK-COUNT-3: linalg.generic
func.func @stays_generic(%x: memref<1x16x10x10xf32>, %w: memref<16x1x3x3xf32>, %o: memref<1x16x8x8xf32>, %a: memref<4x64xf32>, %b: memref<64x4xf32>, %c: memref<4x4xf32>, %m: memref<4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(n, g, oh, ow, kh, kw) -> (n, g, oh + kh, ow + kw)>, affine_map<(n, g, oh, ow, kh, kw) -> (g, 0, kh, kw)>, affine_map<(n, g, oh, ow, kh, kw) -> (n, g, oh, ow)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : memref<1x16x10x10xf32>, memref<16x1x3x3xf32>) outs(%o : memref<1x16x8x8xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %0 = arith.mulf %p, %q : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x64xf32>, memref<64x4xf32>) outs(%c : memref<4x4xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %0 = arith.mulf %p, %q : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, k) -> (m, k)>, affine_map<(m, k) -> (m)>], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<4x64xf32>) outs(%m : memref<4xf32>) {
  ^bb0(%p: f32, %acc: f32):
    %0 = arith.maximumf %acc, %p : f32
    linalg.yield %0 : f32
  }
  return
}

// -----

// f16 weights widened into a buffer only the product reads (--quant=f16):
// with float-math=auto the tiled product runs on tf32 tensor cores: 128
// threads, 2 x 2 warps of 16x8 fragments (M = 40 -> 64-high tiles, N = 24
// -> 32-wide), K = 70 in nine 8-deep slices of 32-bit words (rows padded
// to 12), operands rounded to tf32 on their bits, mma.m16n8k8, f32 sums.
// CHECK-LABEL: func.func @half_weights_tf32
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c128,
// CHECK-SAME: workgroup([[A:%[a-z0-9]+]] : memref<64x12xi32, #gpu.address_space<workgroup>>, [[B:%[a-z0-9]+]] : memref<32x12xi32, #gpu.address_space<workgroup>>)
// CHECK: scf.for %{{.*}} = %c0 to %c9 step %c1
// CHECK: memref.load %{{.*}} : memref<40x70xf32>
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: arith.addi %{{.*}}, %c4096_i32
// CHECK: arith.andi %{{.*}}, %c-8192_i32
// CHECK: arith.cmpf uno
// CHECK: arith.select
// CHECK: memref.store %{{.*}}, [[A]]
// CHECK: memref.load %{{.*}} : memref<70x24xf16>
// CHECK: arith.extf
// CHECK: memref.store %{{.*}}, [[B]]
// CHECK-COUNT-4: nvvm.mma.sync {{.*}} {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<tf32>, multiplicandBPtxType = #nvvm.mma_type<tf32>, shape = #nvvm.shape<m = 16, n = 8, k = 8>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK: scf.yield
// CHECK: memref.store %{{.*}} : memref<40x24xf32>
// CHECK-NOT: linalg.generic
memref.global "private" constant @h : memref<70x24xf16> = dense<0.5>
func.func @half_weights_tf32(%a: memref<40x70xf32>, %o: memref<40x24xf32>) {
  %tmp = memref.alloc() : memref<70x24xf32>
  %w = memref.get_global @h : memref<70x24xf16>
  linalg.generic {indexing_maps = [affine_map<(k, n) -> (k, n)>, affine_map<(k, n) -> (k, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%w : memref<70x24xf16>) outs(%tmp : memref<70x24xf32>) {
  ^bb0(%x: f16, %out: f32):
    %0 = arith.extf %x : f16 to f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %tmp : memref<40x70xf32>, memref<70x24xf32>) outs(%o : memref<40x24xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %0 = arith.mulf %x, %y : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// The marked Relu reading the tiled product's result is computed on each
// finished element; only its output is stored.
// CHECK-LABEL: func.func @fused_relu
// CHECK: gpu.launch
// CHECK: scf.for
// CHECK: math.fma
// CHECK: scf.if
// CHECK: %[[OLD:.*]] = memref.load %{{.*}} : memref<40x24xf32>
// CHECK: %[[SUM:.*]] = arith.addf %[[OLD]]
// CHECK: %[[R:.*]] = arith.maximumf %[[SUM]]
// CHECK-NOT: memref.store {{.*}}, %arg2
// CHECK: memref.store %[[R]], %arg3[{{.*}}] : memref<40x24xf32>
// CHECK-NOT: linalg.generic
func.func @fused_relu(%a: memref<40x70xf32>, %b: memref<70x24xf32>, %o: memref<40x24xf32>, %y: memref<40x24xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<40x70xf32>, memref<70x24xf32>) outs(%o : memref<40x24xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %0 = arith.mulf %x, %w : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%o : memref<40x24xf32>) outs(%y : memref<40x24xf32>) attrs = {qcc.epilogue} {
  ^bb0(%v: f32, %out: f32):
    %0 = arith.maximumf %v, %zero : f32
    linalg.yield %0 : f32
  }
  return
}
