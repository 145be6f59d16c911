// RUN: qcc-opt %s -split-input-file --qcc-gpu-merge-kernel-modules | FileCheck %s

// Two outlined modules become @qcc_kernels; the global both cloned is kept
// once, the clashing kernel name is made unique, and launches follow.
// CHECK-LABEL: module attributes {gpu.container_module}
// CHECK: func.func @main
// CHECK: gpu.launch_func @qcc_kernels::@k blocks
// CHECK: gpu.launch_func @qcc_kernels::@[[K2:k_[0-9]+]] blocks
// CHECK: gpu.module @qcc_kernels
// CHECK-COUNT-1: memref.global "private" constant @w
// CHECK-DAG: gpu.func @k(
// CHECK-DAG: gpu.func @[[K2]](
// CHECK-NOT: gpu.module
module attributes {gpu.container_module} {
  func.func @main(%a: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @m1::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    gpu.launch_func @m2::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    return
  }
  gpu.module @m1 {
    memref.global "private" constant @w : memref<4xf32> = dense<1.0>
    gpu.func @k(%a: memref<4xf32>) kernel {
      %c0 = arith.constant 0 : index
      %w = memref.get_global @w : memref<4xf32>
      %x = memref.load %w[%c0] : memref<4xf32>
      memref.store %x, %a[%c0] : memref<4xf32>
      gpu.return
    }
  }
  gpu.module @m2 {
    memref.global "private" constant @w : memref<4xf32> = dense<1.0>
    gpu.func @k(%a: memref<4xf32>) kernel {
      %c1 = arith.constant 1 : index
      %w = memref.get_global @w : memref<4xf32>
      %x = memref.load %w[%c1] : memref<4xf32>
      memref.store %x, %a[%c1] : memref<4xf32>
      gpu.return
    }
  }
}
