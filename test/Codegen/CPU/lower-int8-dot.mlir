// RUN: qcc-opt %s -split-input-file --qcc-lower-int8-dot | FileCheck %s

// Activation as the vector operand: 4 rows x 4 vectors of 16 lanes per
// block over 64 columns, then one masked vector for the last 4 columns.
// CHECK-LABEL: func.func @conv_like
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : memref<3x68x4xi8> into memref<3x272xi8>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c8 step %c4
// CHECK: scf.for %{{.*}} = %{{.*}} to %c64 step %c64
// CHECK-COUNT-16: vector.load %{{.*}} : memref<8x68xi32>, vector<16xi32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c3{{.*}} step %c1{{.*}} iter_args
// CHECK-COUNT-4: vector.load %{{.*}} : memref<3x272xi8>, vector<64xi8>
// CHECK: vector.load %{{.*}} : memref<8x3x4xi8>, vector<4xi8>
// CHECK: vector.bitcast %{{.*}} : vector<4xi8> to vector<1xi32>
// CHECK: vector.broadcast %{{.*}} : vector<1xi32> to vector<16xi32>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK-COUNT-16: vector.store
// The tail: 4 lanes, masked.
// CHECK: vector.constant_mask [4] : vector<16xi1>
// CHECK: vector.constant_mask [16] : vector<64xi1>
// CHECK: vector.maskedload %{{.*}} : memref<8x68xi32>, vector<16xi1>, vector<16xi32> into vector<16xi32>
// CHECK: vector.maskedload %{{.*}} : memref<3x272xi8>, vector<64xi1>, vector<64xi8> into vector<64xi8>
// CHECK: vector.maskedstore
// CHECK-NOT: linalg.generic
#mX = affine_map<(o, s, k4, j) -> (k4, s, j)>
#mW = affine_map<(o, s, k4, j) -> (o, k4, j)>
#mY = affine_map<(o, s, k4, j) -> (o, s)>
func.func @conv_like(%x: memref<3x68x4xi8>, %w: memref<8x3x4xi8>, %y: memref<8x68xi32>) {
  linalg.generic {indexing_maps = [#mX, #mW, #mY], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : memref<3x68x4xi8>, memref<8x3x4xi8>) outs(%y : memref<8x68xi32>) attrs = {qcc.int8_dot = "x86-avx512-vnni"} {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %ae = arith.extui %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %m = arith.muli %ae, %be : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  return
}

// -----

// Weights as the vector operand (a GEMV): the unsigned activation bytes
// are broadcast and passed first to vpdpbusd; 3 rows, 10 masked columns.
// CHECK-LABEL: func.func @gemv_like
// CHECK: scf.for %{{.*}} = %{{.*}} to %c3 step %c3
// CHECK: vector.constant_mask [10] : vector<16xi1>
// CHECK: vector.constant_mask [40] : vector<64xi1>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c5{{.*}} step %c1{{.*}} iter_args
// CHECK: %[[W:.*]] = vector.maskedload %{{.*}} : memref<5x40xi8>, vector<64xi1>, vector<64xi8> into vector<64xi8>
// CHECK: %[[A:.*]] = vector.bitcast %{{.*}} : vector<16xi32> to vector<64xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %[[A]], %[[W]])
#mA = affine_map<(m, n, k4, j) -> (m, k4, j)>
#mB = affine_map<(m, n, k4, j) -> (k4, n, j)>
#mC = affine_map<(m, n, k4, j) -> (m, n)>
func.func @gemv_like(%a: memref<3x5x4xi8>, %b: memref<5x10x4xi8>, %c: memref<3x10xi32>) {
  linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%a, %b : memref<3x5x4xi8>, memref<5x10x4xi8>) outs(%c : memref<3x10xi32>) attrs = {qcc.int8_dot = "x86-avx512-vnni"} {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %m = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  }
  return
}

// -----

// The prologue (the zero-point term per output channel) and the epilogue
// (bias, scale, round, clamp to uint8, on an 8x2x64 reshape of the
// accumulators) are computed on the registers: the accumulators start at
// the splat term and the uint8 results are stored; no int32 is loaded or
// stored and both generics are gone. The epilogue's per-channel operands
// are indexed by row / 2 (8 channels of 2 rows).
// CHECK-LABEL: func.func @fused_prologue_epilogue
// CHECK-NOT: linalg.generic
// CHECK: scf.for
// CHECK: memref.load %{{.*}} : memref<16xi32>
// CHECK: vector.broadcast %{{.*}} : i32 to vector<16xi32>
// CHECK: scf.for {{.*}} iter_args
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK: arith.divui %{{.*}}, %c2
// CHECK: memref.load %{{.*}} : memref<8xf32>
// CHECK: arith.sitofp %{{.*}} : vector<16xi32> to vector<16xf32>
// CHECK: math.roundeven %{{.*}} : vector<16xf32>
// CHECK: arith.fptoui %{{.*}} : vector<16xf32> to vector<16xi8>
// CHECK: vector.store %{{.*}}, %{{.*}} : memref<8x2x64xi8>, vector<16xi8>
// CHECK-NOT: xi32>, vector<16xi32>
// CHECK-NOT: linalg.generic
#mX = affine_map<(o, s, k4, j) -> (k4, s, j)>
#mW = affine_map<(o, s, k4, j) -> (o, k4, j)>
#mY = affine_map<(o, s, k4, j) -> (o, s)>
#id2 = affine_map<(o, s) -> (o, s)>
#row = affine_map<(o, s) -> (o)>
#id3 = affine_map<(c, h, w) -> (c, h, w)>
#ch = affine_map<(c, h, w) -> (c)>
func.func @fused_prologue_epilogue(%x: memref<3x64x4xi8>, %w: memref<16x3x4xi8>, %term: memref<16xi32>, %bias: memref<8xi32>, %scale: memref<8xf32>, %y: memref<8x2x64xi8>) {
  %acc = memref.alloc() : memref<16x64xi32>
  linalg.generic {indexing_maps = [#row, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%term : memref<16xi32>) outs(%acc : memref<16x64xi32>) attrs = {qcc.int8_prologue} {
  ^bb0(%t: i32, %o: i32):
    %c0 = arith.constant 0 : i32
    %s = arith.addi %c0, %t : i32
    linalg.yield %s : i32
  }
  linalg.generic {indexing_maps = [#mX, #mW, #mY], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : memref<3x64x4xi8>, memref<16x3x4xi8>) outs(%acc : memref<16x64xi32>) attrs = {qcc.int8_dot = "x86-avx512-vnni"} {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %ae = arith.extui %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %m = arith.muli %ae, %be : i32
    %s = arith.addi %o, %m : i32
    linalg.yield %s : i32
  }
  %r = memref.expand_shape %acc [[0, 1], [2]] output_shape [8, 2, 64] : memref<16x64xi32> into memref<8x2x64xi32>
  linalg.generic {indexing_maps = [#id3, #ch, #ch, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%r, %bias, %scale : memref<8x2x64xi32>, memref<8xi32>, memref<8xf32>) outs(%y : memref<8x2x64xi8>) attrs = {qcc.epilogue} {
  ^bb0(%a: i32, %b: i32, %s: f32, %o: i8):
    %lo = arith.constant 0.0 : f32
    %hi = arith.constant 255.0 : f32
    %t = arith.addi %a, %b : i32
    %f = arith.sitofp %t : i32 to f32
    %m = arith.mulf %f, %s : f32
    %q = math.roundeven %m : f32
    %c1 = arith.maximumf %q, %lo : f32
    %c2 = arith.minimumf %c1, %hi : f32
    %u = arith.fptoui %c2 : f32 to i8
    linalg.yield %u : i8
  }
  return
}

// -----

// An epilogue ending in qcc-saturating-round's tail (clamp to [-3, 252],
// round, + 3, truncate): each row's four accumulators round to i32 and
// narrow together through saturating packs, the zero point added in i16,
// the dwords put back in order, one 64-byte store. A clamp whose range
// would not fit after the zero point keeps the per-vector truncation.
// CHECK-LABEL: func.func @packed_tail
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK-COUNT-2: math.roundeven
// CHECK: arith.fptosi %{{.*}} : vector<16xf32> to vector<16xi32>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.packssdw.512"(%{{.*}}, %{{.*}}) : (vector<16xi32>, vector<16xi32>) -> vector<32xi16>
// CHECK: arith.constant dense<3> : vector<32xi16>
// CHECK: arith.addi %{{.*}} : vector<32xi16>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.packssdw.512"
// CHECK: arith.addi %{{.*}} : vector<32xi16>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.packuswb.512"(%{{.*}}, %{{.*}}) : (vector<32xi16>, vector<32xi16>) -> vector<64xi8>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15] : vector<16xi32>, vector<16xi32>
// CHECK: vector.store %{{.*}}, %{{.*}} : memref<16x64xi8>, vector<64xi8>
// CHECK-LABEL: func.func @unpacked_tail
// CHECK-NOT: packssdw
// CHECK: vector.store %{{.*}}, %{{.*}} : memref<16x64xi8>, vector<16xi8>
// CHECK-NOT: packssdw
#mX = affine_map<(o, s, k4, j) -> (k4, s, j)>
#mW = affine_map<(o, s, k4, j) -> (o, k4, j)>
#mY = affine_map<(o, s, k4, j) -> (o, s)>
#id2 = affine_map<(o, s) -> (o, s)>
func.func @packed_tail(%x: memref<3x64x4xi8>, %w: memref<16x3x4xi8>, %y: memref<16x64xi8>) {
  %acc = memref.alloc() : memref<16x64xi32>
  linalg.generic {indexing_maps = [#mX, #mW, #mY], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : memref<3x64x4xi8>, memref<16x3x4xi8>) outs(%acc : memref<16x64xi32>) attrs = {qcc.int8_dot = "x86-avx512-vnni"} {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %ae = arith.extui %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %m = arith.muli %ae, %be : i32
    %s = arith.addi %o, %m : i32
    linalg.yield %s : i32
  }
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%acc : memref<16x64xi32>) outs(%y : memref<16x64xi8>) attrs = {qcc.epilogue} {
  ^bb0(%a: i32, %o: i8):
    %lo = arith.constant -3.0 : f32
    %hi = arith.constant 252.0 : f32
    %scale = arith.constant 0.01 : f32
    %zp = arith.constant 3 : i32
    %f = arith.sitofp %a : i32 to f32
    %m = arith.mulf %f, %scale : f32
    %c1 = arith.maxnumf %m, %lo : f32
    %c2 = arith.minnumf %c1, %hi : f32
    %q = math.roundeven %c2 : f32
    %i = arith.fptosi %q : f32 to i32
    %z = arith.addi %i, %zp : i32
    %u = arith.trunci %z : i32 to i8
    linalg.yield %u : i8
  }
  return
}
func.func @unpacked_tail(%x: memref<3x64x4xi8>, %w: memref<16x3x4xi8>, %y: memref<16x64xi8>) {
  %acc = memref.alloc() : memref<16x64xi32>
  linalg.generic {indexing_maps = [#mX, #mW, #mY], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : memref<3x64x4xi8>, memref<16x3x4xi8>) outs(%acc : memref<16x64xi32>) attrs = {qcc.int8_dot = "x86-avx512-vnni"} {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %ae = arith.extui %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %m = arith.muli %ae, %be : i32
    %s = arith.addi %o, %m : i32
    linalg.yield %s : i32
  }
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%acc : memref<16x64xi32>) outs(%y : memref<16x64xi8>) attrs = {qcc.epilogue} {
  ^bb0(%a: i32, %o: i8):
    %lo = arith.constant -300.0 : f32
    %hi = arith.constant 252.0 : f32
    %scale = arith.constant 0.01 : f32
    %zp = arith.constant 3 : i32
    %f = arith.sitofp %a : i32 to f32
    %m = arith.mulf %f, %scale : f32
    %c1 = arith.maxnumf %m, %lo : f32
    %c2 = arith.minnumf %c1, %hi : f32
    %q = math.roundeven %c2 : f32
    %i = arith.fptosi %q : f32 to i32
    %z = arith.addi %i, %zp : i32
    %u = arith.trunci %z : i32 to i8
    linalg.yield %u : i8
  }
  return
}

// -----

// Not fused: an epilogue that computes erf (a libm call per lane) and one
// whose output overlaps the kernel's operand in the workspace stay loops
// of their own, unmarked, reading the stored accumulators.
// CHECK-LABEL: func.func @not_fused
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK: vector.store %{{.*}} : memref<16x64xi32>, vector<16xi32>
// CHECK: linalg.generic
// CHECK-NOT: qcc.epilogue
// CHECK: math.erf
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// CHECK: vector.store %{{.*}} : memref<16x64xi32>, vector<16xi32>
// CHECK: linalg.generic
// CHECK-NOT: qcc.epilogue
// CHECK: return
#mX = affine_map<(o, s, k4, j) -> (k4, s, j)>
#mW = affine_map<(o, s, k4, j) -> (o, k4, j)>
#mY = affine_map<(o, s, k4, j) -> (o, s)>
#id2 = affine_map<(o, s) -> (o, s)>
func.func @not_fused(%x: memref<3x64x4xi8>, %w: memref<16x3x4xi8>, %y: memref<16x64xf32>, %ws: memref<20000xi8>) {
  %acc = memref.alloc() : memref<16x64xi32>
  linalg.generic {indexing_maps = [#mX, #mW, #mY], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : memref<3x64x4xi8>, memref<16x3x4xi8>) outs(%acc : memref<16x64xi32>) attrs = {qcc.int8_dot = "x86-avx512-vnni"} {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %ae = arith.extui %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %m = arith.muli %ae, %be : i32
    %s = arith.addi %o, %m : i32
    linalg.yield %s : i32
  }
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%acc : memref<16x64xi32>) outs(%y : memref<16x64xf32>) attrs = {qcc.epilogue} {
  ^bb0(%a: i32, %o: f32):
    %f = arith.sitofp %a : i32 to f32
    %e = math.erf %f : f32
    linalg.yield %e : f32
  }
  %c0 = arith.constant 0 : index
  %c512 = arith.constant 512 : index
  %c4096 = arith.constant 4096 : index
  %px = memref.view %ws[%c0][] : memref<20000xi8> to memref<3x64x4xi8>
  %acc2 = memref.view %ws[%c4096][] : memref<20000xi8> to memref<16x64xi32>
  %out = memref.view %ws[%c512][] : memref<20000xi8> to memref<16x64xi8>
  linalg.generic {indexing_maps = [#mX, #mW, #mY], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%px, %w : memref<3x64x4xi8>, memref<16x3x4xi8>) outs(%acc2 : memref<16x64xi32>) attrs = {qcc.int8_dot = "x86-avx512-vnni"} {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %ae = arith.extui %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %m = arith.muli %ae, %be : i32
    %s = arith.addi %o, %m : i32
    linalg.yield %s : i32
  }
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%acc2 : memref<16x64xi32>) outs(%out : memref<16x64xi8>) attrs = {qcc.epilogue} {
  ^bb0(%a: i32, %o: i8):
    %t = arith.trunci %a : i32 to i8
    linalg.yield %t : i8
  }
  return
}
