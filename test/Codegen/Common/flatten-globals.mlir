// RUN: qcc-opt %s -split-input-file --qcc-flatten-globals | FileCheck %s

// CHECK: memref.global "private" constant @w : memref<6xf32> = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00]>
// CHECK-LABEL: func.func @use
// CHECK: %[[G:.*]] = memref.get_global @w : memref<6xf32>
// CHECK: %[[V:.*]] = memref.expand_shape %[[G]] {{\[}}[0, 1]] output_shape [2, 3] : memref<6xf32> into memref<2x3xf32>
// CHECK: return %[[V]]
memref.global "private" constant @w : memref<2x3xf32> = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]>
func.func @use() -> memref<2x3xf32> {
  %0 = memref.get_global @w : memref<2x3xf32>
  return %0 : memref<2x3xf32>
}

// -----

// 1-D globals are left alone.
// CHECK: memref.global "private" constant @v : memref<3xf32>
// CHECK-LABEL: func.func @keep
// CHECK-NOT: expand_shape
memref.global "private" constant @v : memref<3xf32> = dense<[1.0, 2.0, 3.0]>
func.func @keep() -> memref<3xf32> {
  %0 = memref.get_global @v : memref<3xf32>
  return %0 : memref<3xf32>
}
