// Reductions for emulated-gpu.test (qcc-gpu-reductions: a block per
// output element): a LayerNorm-like row sum of squares over 300 elements
// (more than the block's 256 threads, not a power of two) and
// DynamicQuantizeLinear's min and max of a whole tensor in one generic
// (two rank-0 outputs).
func.func @row_sum_squares(%x: memref<6x300xf32>, %s: memref<6xf32>) {
  linalg.generic {indexing_maps = [affine_map<(r, c) -> (r, c)>, affine_map<(r, c) -> (r)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<6x300xf32>) outs(%s : memref<6xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %0 = arith.mulf %v, %v : f32
    %1 = arith.addf %0, %acc : f32
    linalg.yield %1 : f32
  }
  return
}

func.func @min_max(%x: memref<4x16x20xf32>, %lo: memref<f32>, %hi: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> ()>, affine_map<(a, b, c) -> ()>], iterator_types = ["reduction", "reduction", "reduction"]}
      ins(%x : memref<4x16x20xf32>) outs(%lo, %hi : memref<f32>, memref<f32>) {
  ^bb0(%v: f32, %l: f32, %h: f32):
    %0 = arith.minimumf %v, %l : f32
    %1 = arith.maximumf %h, %v : f32
    linalg.yield %0, %1 : f32, f32
  }
  return
}
