// RUN: qcc-opt %s -split-input-file --qcc-outline-parallel-loops | FileCheck %s

// A parallel loop on static buffers becomes a task over a range of its
// iterations and a call handing [0, count) to the caller's threads;
// constants and globals are recomputed in the task, buffers passed.
// CHECK: func.func private @main_task0(%[[B:.*]]: index, %[[E:.*]]: index, %[[TX:.*]]: memref<4xf32>, %[[TY:.*]]: memref<8xf32>)
// CHECK: memref.get_global @g
// CHECK: scf.for %[[I:.*]] = %[[B]] to %[[E]] step %{{.*}} {
// CHECK: %[[IV:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK: memref.load %[[TX]][%{{.*}}]
// CHECK: memref.store %{{.*}}, %[[TY]][%[[IV]]]
// CHECK: func.func private @qcc.parallel_for.main_task0(index, memref<4xf32>, memref<8xf32>)
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: memref<4xf32>, %[[Y:.*]]: memref<8xf32>)
// CHECK: %[[N:.*]] = arith.constant 4 : index
// CHECK: call @qcc.parallel_for.main_task0(%[[N]], %[[X]], %[[Y]]) : (index, memref<4xf32>, memref<8xf32>) -> ()
// CHECK-NOT: scf.forall
memref.global "private" constant @g : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
func.func @main(%x: memref<4xf32>, %y: memref<8xf32>) {
  %c2 = arith.constant 2 : index
  %g = memref.get_global @g : memref<4xf32>
  scf.forall (%i) = (0) to (8) step (2) {
    %j = arith.divui %i, %c2 : index
    %a = memref.load %x[%j] : memref<4xf32>
    %b = memref.load %g[%j] : memref<4xf32>
    %s = arith.addf %a, %b : f32
    memref.store %s, %y[%i] : memref<8xf32>
  }
  return
}

// -----

// A buffer with a dynamic shape cannot be passed as one pointer: the loop
// runs sequentially.
// CHECK-LABEL: func.func @dynamic
// CHECK-NOT: qcc.parallel_for
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK: memref.store
func.func @dynamic(%y: memref<?xf32>) {
  %zero = arith.constant 0.0 : f32
  scf.forall (%i) in (8) {
    memref.store %zero, %y[%i] : memref<?xf32>
  }
  return
}
