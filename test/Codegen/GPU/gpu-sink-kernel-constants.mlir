// RUN: qcc-opt %s -split-input-file --qcc-gpu-sink-kernel-constants | FileCheck %s

memref.global "private" constant @w : memref<6xf32> = dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>

// The weight and its view move into the kernel; the output buffer, a
// function argument, stays a kernel operand.
// CHECK-LABEL: func.func @weights
// CHECK-SAME: (%[[OUT:.*]]: memref<2x3xf32>)
// CHECK: gpu.launch
// CHECK: %[[G:.*]] = memref.get_global @w : memref<6xf32>
// CHECK: %[[V:.*]] = memref.expand_shape %[[G]]
// CHECK: %[[X:.*]] = memref.load %[[V]]
// CHECK: memref.store %[[X]], %[[OUT]]
func.func @weights(%out: memref<2x3xf32>) {
  %c1 = arith.constant 1 : index
  %g = memref.get_global @w : memref<6xf32>
  %v = memref.expand_shape %g [[0, 1]] output_shape [2, 3] : memref<6xf32> into memref<2x3xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %x = memref.load %v[%tx, %tx] : memref<2x3xf32>
    memref.store %x, %out[%tx, %tx] : memref<2x3xf32>
    gpu.terminator
  }
  return
}

// -----

// A view of a device buffer (the workspace) is computed on the host and
// passed in: it is not a constant.
// CHECK-LABEL: func.func @workspace_view
// CHECK: %[[V:.*]] = memref.view
// CHECK: gpu.launch
// CHECK-NOT: memref.view
// CHECK: memref.store %{{.*}}, %[[V]][]
func.func @workspace_view(%ws: memref<64xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 2.0 : f32
  %v = memref.view %ws[%c0][] : memref<64xi8> to memref<f32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    memref.store %cst, %v[] : memref<f32>
    gpu.terminator
  }
  return
}
