// RUN: qcc-opt %s -split-input-file --pass-pipeline='builtin.module(gpu.module(qcc-gpu-native-math))' | FileCheck %s

// Exactly rounded libdevice calls become intrinsics (PTX instructions); the
// others stay calls, and unused declarations go.
// CHECK-LABEL: gpu.module @kernels
// CHECK-NOT: llvm.func @__nv_rintf
// CHECK-NOT: llvm.func @__nv_sqrt(
// CHECK: llvm.func @__nv_expf
// CHECK: llvm.func @k
// CHECK: llvm.intr.roundeven(%{{.*}}) : (f32) -> f32
// CHECK: llvm.intr.sqrt(%{{.*}}) : (f64) -> f64
// CHECK: llvm.intr.fma(%{{.*}}, %{{.*}}, %{{.*}}) : (f32, f32, f32) -> f32
// CHECK: llvm.call @__nv_expf
gpu.module @kernels {
  llvm.func @__nv_rintf(f32) -> f32
  llvm.func @__nv_sqrt(f64) -> f64
  llvm.func @__nv_fmaf(f32, f32, f32) -> f32
  llvm.func @__nv_expf(f32) -> f32
  llvm.func @k(%x: f32, %d: f64) -> f32 {
    %r = llvm.call @__nv_rintf(%x) : (f32) -> f32
    %s = llvm.call @__nv_sqrt(%d) : (f64) -> f64
    %f = llvm.call @__nv_fmaf(%r, %x, %x) : (f32, f32, f32) -> f32
    %e = llvm.call @__nv_expf(%f) : (f32) -> f32
    llvm.return %e : f32
  }
}
