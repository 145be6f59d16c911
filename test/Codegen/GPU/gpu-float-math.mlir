// RUN: qcc-opt %s -split-input-file --qcc-gpu-float-contractions='float-math=tf32' | FileCheck %s --check-prefix=TF32
// RUN: qcc-opt %s -split-input-file --qcc-gpu-float-contractions='float-math=f32' | FileCheck %s --check-prefix=F32
// RUN: qcc-opt %s -split-input-file --qcc-gpu-float-contractions='float-math=f16' | FileCheck %s --check-prefix=F16
// RUN: not qcc-opt %s --qcc-gpu-float-contractions='float-math=bf16' 2>&1 | FileCheck %s --check-prefix=BAD

// float-math=tf32 puts every tiled product on tensor cores; f32 none, not
// even one of f16 weights; GEMVs (at most 8 rows) stay FMAs either way.
// TF32-LABEL: func.func @float_weights
// TF32: nvvm.mma.sync
// F32-LABEL: func.func @float_weights
// F32-NOT: nvvm.mma.sync
// F32: math.fma
// float-math=f16: f16 tiles of 24 halves per row (12 words), operands
// rounded with truncf, fragments read as vector<2xf16>, mma.m16n8k16.
// F16-LABEL: func.func @float_weights
// F16: workgroup(%{{.*}} : memref<64x24xf16, #gpu.address_space<workgroup>>, %{{.*}} : memref<32x24xf16, #gpu.address_space<workgroup>>)
// F16: arith.truncf %{{.*}} : f32 to f16
// F16: vector.load %{{.*}} : memref<64x24xf16, #gpu.address_space<workgroup>>, vector<2xf16>
// F16: nvvm.mma.sync {{.*}}shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// BAD: float-math is auto, f32, tf32 or f16, not 'bf16'
func.func @float_weights(%a: memref<40x70xf32>, %b: memref<70x24xf32>, %o: memref<40x24xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<40x70xf32>, memref<70x24xf32>) outs(%o : memref<40x24xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %0 = arith.mulf %x, %y : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// TF32-LABEL: func.func @gemv
// TF32-NOT: nvvm.mma.sync
// TF32: math.fma
// F32-LABEL: func.func @gemv
// F32: math.fma
func.func @gemv(%a: memref<1x70xf32>, %b: memref<70x24xf16>, %o: memref<1x24xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<1x70xf32>, memref<70x24xf16>) outs(%o : memref<1x24xf32>) {
  ^bb0(%x: f32, %y: f16, %acc: f32):
    %w = arith.extf %y : f16 to f32
    %0 = arith.mulf %x, %w : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// F32-LABEL: func.func @half_weights
// F32-NOT: nvvm.mma.sync
// F32: math.fma
func.func @half_weights(%a: memref<40x70xf32>, %b: memref<70x24xf16>, %o: memref<40x24xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<40x70xf32>, memref<70x24xf16>) outs(%o : memref<40x24xf32>) {
  ^bb0(%x: f32, %y: f16, %acc: f32):
    %w = arith.extf %y : f16 to f32
    %0 = arith.mulf %x, %w : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}
