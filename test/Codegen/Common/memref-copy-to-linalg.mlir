// RUN: qcc-opt %s -split-input-file --qcc-memref-copy-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @strided_source
// CHECK-SAME: (%[[A:.*]]: memref<4xf32, strided<[2]>>, %[[B:.*]]: memref<4xf32>)
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%[[A]] : memref<4xf32, strided<[2]>>) outs(%[[B]] : memref<4xf32>)
func.func @strided_source(%a: memref<4xf32, strided<[2]>>, %b: memref<4xf32>) {
  memref.copy %a, %b : memref<4xf32, strided<[2]>> to memref<4xf32>
  return
}

// -----

// Every copy is rewritten, in order, whatever the layouts.
// CHECK-LABEL: func.func @several
// CHECK-SAME: (%[[A:.*]]: memref<2x3xi8>, %[[B:.*]]: memref<2x3xi8>, %[[C:.*]]: memref<2x3xi8, strided<[6, 1], offset: 2>>)
// CHECK-NEXT: linalg.copy ins(%[[A]] : memref<2x3xi8>) outs(%[[B]] : memref<2x3xi8>)
// CHECK-NEXT: linalg.copy ins(%[[B]] : memref<2x3xi8>) outs(%[[C]] : memref<2x3xi8, strided<[6, 1], offset: 2>>)
// CHECK-NEXT: return
func.func @several(%a: memref<2x3xi8>, %b: memref<2x3xi8>, %c: memref<2x3xi8, strided<[6, 1], offset: 2>>) {
  memref.copy %a, %b : memref<2x3xi8> to memref<2x3xi8>
  memref.copy %b, %c : memref<2x3xi8> to memref<2x3xi8, strided<[6, 1], offset: 2>>
  return
}

// -----

// CHECK-LABEL: func.func @dynamic_and_scalar
// CHECK: linalg.copy ins(%{{.*}} : memref<?x4xf32>) outs(%{{.*}} : memref<?x4xf32>)
// CHECK: linalg.copy ins(%{{.*}} : memref<f32>) outs(%{{.*}} : memref<f32>)
func.func @dynamic_and_scalar(%a: memref<?x4xf32>, %b: memref<?x4xf32>, %s: memref<f32>, %t: memref<f32>) {
  memref.copy %a, %b : memref<?x4xf32> to memref<?x4xf32>
  memref.copy %s, %t : memref<f32> to memref<f32>
  return
}

// -----

// Copies nested in regions are found too.
// CHECK-LABEL: func.func @nested
// CHECK: scf.for
// CHECK-NEXT: linalg.copy ins(%{{.*}} : memref<4xf32>) outs(%{{.*}} : memref<4xf32>)
// CHECK-NOT: memref.copy
func.func @nested(%a: memref<4xf32>, %b: memref<4xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    memref.copy %a, %b : memref<4xf32> to memref<4xf32>
  }
  return
}

// -----

// The pass is not tied to func.func.
// CHECK-LABEL: gpu.module @kernels
// CHECK: linalg.copy
module {
  gpu.module @kernels {
    gpu.func @k(%a: memref<4xf32>, %b: memref<4xf32>) {
      memref.copy %a, %b : memref<4xf32> to memref<4xf32>
      gpu.return
    }
  }
}
