// RUN: qcc-opt %s -split-input-file --qcc-gpu-map-loops=block-size=128 | FileCheck %s

// A 2-D nest is collapsed to 1-D (4*40 = 160 iterations), tiled by the block
// size, and mapped: tiles on block x, their iterations on thread x, with a
// guard for the last, partial block.
// CHECK-LABEL: func.func @collapse_and_tile
// CHECK: arith.muli
// CHECK: %[[N:.*]] = arith.muli %{{.*}}, %{{.*}} : index
// CHECK: %[[C128:.*]] = arith.constant 128 : index
// CHECK: %[[STEP:.*]] = arith.muli %{{.*}}, %[[C128]] : index
// CHECK: scf.parallel (%[[B:.*]]) = (%{{.*}}) to (%[[N]]) step (%[[STEP]])
// CHECK-NEXT: scf.parallel (%[[T:.*]]) = (%{{.*}}) to (%[[STEP]]) step
// CHECK: arith.cmpi ult, %{{.*}}, %[[N]] : index
// CHECK: scf.if
// CHECK: arith.remsi
// CHECK: arith.divsi
// CHECK: memref.store
// CHECK: processor = thread_x
// CHECK: processor = block_x
func.func @collapse_and_tile(%a: memref<4x40xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c40 = arith.constant 40 : index
  %cst = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c40) step (%c1, %c1) {
    memref.store %cst, %a[%i, %j] : memref<4x40xf32>
    scf.reduce
  }
  return
}

// -----

// The scalar work between parallel loops (a reduction to a scalar, the
// arithmetic on it, the store) runs together on one thread; the view it
// writes through stays on the host.
// CHECK-LABEL: func.func @serial_segment
// CHECK: %[[V:.*]] = memref.view
// CHECK: scf.parallel
// CHECK: scf.parallel
// CHECK: scf.for
// CHECK: memref.load
// CHECK: arith.mulf
// CHECK: memref.store %{{.*}}, %[[V]][]
// CHECK: processor = thread_x
// CHECK: processor = block_x
// CHECK-NEXT: return
func.func @serial_segment(%a: memref<8xf32>, %ws: memref<64xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %v = memref.view %ws[%c0][] : memref<64xi8> to memref<f32>
  %sum = scf.for %i = %c0 to %c8 step %c1 iter_args(%s = %c0) -> index {
    %n = arith.addi %s, %c1 : index
    scf.yield %n : index
  }
  %x = memref.load %a[%sum] : memref<8xf32>
  %y = arith.mulf %x, %x : f32
  memref.store %y, %v[] : memref<f32>
  return
}

// -----

// A kernel made by an earlier pass (a reduction's block per output) splits
// the serial work around it: the store that initializes what the kernel
// reads runs before it, the arithmetic on its result after it.
// CHECK-LABEL: func.func @serial_around_kernel
// CHECK: scf.parallel
// CHECK: memref.store %cst, %arg1[]
// CHECK: processor = block_x
// CHECK: gpu.launch
// CHECK: memref.store %{{.*}}, %arg1[]
// CHECK: gpu.terminator
// CHECK: scf.parallel
// CHECK: memref.load %arg1[]
// CHECK: arith.mulf
// CHECK: memref.store %{{.*}}, %arg2[]
// CHECK: processor = block_x
// CHECK-NEXT: return
func.func @serial_around_kernel(%a: memref<8xf32>, %s: memref<f32>, %t: memref<f32>) {
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  memref.store %zero, %s[] : memref<f32>
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1) threads(%tx, %ty, %tz) in (%u = %c1, %v = %c1, %w = %c1) {
    %old = memref.load %s[] : memref<f32>
    %e = memref.load %a[%tx] : memref<8xf32>
    %n = arith.addf %old, %e : f32
    memref.store %n, %s[] : memref<f32>
    gpu.terminator
  }
  %r = memref.load %s[] : memref<f32>
  %sq = arith.mulf %r, %r : f32
  memref.store %sq, %t[] : memref<f32>
  return
}
