// RUN: qcc-opt %s -split-input-file -verify-diagnostics --qcc-gpu-map-loops

// A value computed from device memory cannot be read by the host.
func.func @scalar_used_by_host(%a: memref<8xf32>, %b: memref<?xf32>) -> index {
  %c0 = arith.constant 0 : index
  %x = memref.load %a[%c0] : memref<8xf32>
  %i = arith.fptosi %x : f32 to i32
  // expected-error @+1 {{cannot run on the GPU: its result is used by host code}}
  %n = arith.index_cast %i : i32 to index
  return %n : index
}

// -----

func.func @parallel_reduction(%a: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{a parallel loop with reductions cannot be mapped to GPU threads yet}}
  %r = scf.parallel (%i) = (%c0) to (%c8) step (%c1) init (%zero) -> f32 {
    %x = memref.load %a[%i] : memref<8xf32>
    scf.reduce(%x : f32) {
    ^bb0(%l: f32, %r: f32):
      %s = arith.addf %l, %r : f32
      scf.reduce.return %s : f32
    }
  }
  return %r : f32
}
