// RUN: qcc-opt %s -split-input-file --qcc-gpu-reductions --canonicalize --cse | FileCheck %s

// A row sum over 300 elements: a block of 256 threads per row (6 blocks),
// each thread folding elements tid, tid + 256 from -0.0 (addf's identity),
// then halving in shared memory (8 steps, a barrier before each), and
// thread 0 adding the total to the output's previous contents.
// CHECK-LABEL: func.func @row_sum
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c6, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256, {{.*}} = %c1, {{.*}} = %c1)
// CHECK-SAME: workgroup([[P:%[a-z0-9]+]] : memref<256xf32, #gpu.address_space<workgroup>>)
// CHECK: scf.for %{{.*}} = %{{.*}} to %c300 step %c256 iter_args(%{{.*}} = %cst)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: memref.store %{{.*}}, [[P]]
// CHECK-COUNT-8: gpu.barrier
// CHECK: arith.cmpi eq
// CHECK: memref.load %{{.*}} : memref<6xf32>
// CHECK: memref.load [[P]][%c0]
// CHECK: arith.addf
// CHECK: memref.store %{{.*}} : memref<6xf32>
// CHECK-NOT: linalg.generic
func.func @row_sum(%x: memref<6x300xf32>, %s: memref<6xf32>) {
  linalg.generic {indexing_maps = [affine_map<(r, c) -> (r, c)>, affine_map<(r, c) -> (r)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<6x300xf32>) outs(%s : memref<6xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %0 = arith.mulf %v, %v : f32
    %1 = arith.addf %0, %acc : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// Two outputs of one reduction (a tensor's min and max, rank 0): one
// block, 128 threads for 80 elements, one shared array per output, the
// identities +inf and -inf.
// CHECK-LABEL: func.func @min_max
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c128,
// CHECK-SAME: workgroup(%{{.*}} : memref<128xf32, #gpu.address_space<workgroup>>, %{{.*}} : memref<128xf32, #gpu.address_space<workgroup>>)
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %cst{{.*}}, %{{.*}} = %cst{{.*}}) -> (f32, f32)
// CHECK: arith.minimumf
// CHECK: arith.maximumf
// CHECK-COUNT-7: gpu.barrier
// CHECK: memref.store %{{.*}} : memref<f32>
// CHECK: memref.store %{{.*}} : memref<f32>
func.func @min_max(%x: memref<4x20xf32>, %lo: memref<f32>, %hi: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> ()>, affine_map<(a, b) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%x : memref<4x20xf32>) outs(%lo, %hi : memref<f32>, memref<f32>) {
  ^bb0(%v: f32, %l: f32, %h: f32):
    %0 = arith.minimumf %v, %l : f32
    %1 = arith.maximumf %h, %v : f32
    linalg.yield %0, %1 : f32, f32
  }
  return
}

// -----

// What stays with one thread per output: 16 reduced elements (a small
// softmax row), many outputs with short reductions, a combiner without an
// identity here (subtraction), an output read by the computed value.
// CHECK-LABEL: func.func @stays_generic
// CHECK-NOT: gpu.launch
// CHECK-COUNT-4: linalg.generic
func.func @stays_generic(%a: memref<64x16xf32>, %r: memref<64xf32>, %b: memref<20000x100xf32>, %s: memref<20000xf32>, %c: memref<4x100xf32>, %t: memref<4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<64x16xf32>) outs(%r : memref<64xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %0 = arith.addf %v, %acc : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%b : memref<20000x100xf32>) outs(%s : memref<20000xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %0 = arith.addf %v, %acc : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%c : memref<4x100xf32>) outs(%t : memref<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %0 = arith.subf %acc, %v : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%c : memref<4x100xf32>) outs(%t : memref<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %0 = arith.mulf %v, %acc : f32
    %1 = arith.addf %0, %acc : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// An input sharing bytes with the output (two views of one workspace at
// overlapping offsets): blocks would read what thread 0s store, so it
// stays with one thread per output.
// CHECK-LABEL: func.func @overlapping_views
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
func.func @overlapping_views(%ws: memref<4096xi8>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %x = memref.view %ws[%c0][] : memref<4096xi8> to memref<4x100xf32>
  %y = memref.view %ws[%c16][] : memref<4096xi8> to memref<4xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x100xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %0 = arith.addf %v, %acc : f32
    linalg.yield %0 : f32
  }
  return
}
