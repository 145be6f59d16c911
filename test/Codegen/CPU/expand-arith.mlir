// RUN: qcc-opt %s -split-input-file --qcc-expand-arith | FileCheck %s

// Bounds stay whole (arith-to-llvm makes llvm.maxnum/llvm.maximum of them);
// floor division and bf16 truncation expand.
// CHECK-LABEL: func.func @expand
// CHECK: arith.maxnumf
// CHECK: arith.minimumf
// CHECK-NOT: arith.floordivsi
// CHECK-NOT: arith.truncf
// CHECK: return
func.func @expand(%x: f32, %a: i32, %b: i32) -> (f32, f32, i32, bf16) {
  %c0 = arith.constant 0.0 : f32
  %c6 = arith.constant 6.0 : f32
  %m = arith.maxnumf %x, %c0 : f32
  %n = arith.minimumf %x, %c6 : f32
  %d = arith.floordivsi %a, %b : i32
  %h = arith.truncf %x : f32 to bf16
  return %m, %n, %d, %h : f32, f32, i32, bf16
}
