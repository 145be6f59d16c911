// RUN: qcc-opt %s -split-input-file --allow-unregistered-dialect --qcc-plan-workspace | FileCheck %s

// Two buffers never live together share offset 0; the third overlaps the
// second's lifetime and gets the next 64-byte aligned slot.
// CHECK: module attributes {qcc.workspace_bytes = 128 : i64}
// CHECK-LABEL: func.func @main
// CHECK-SAME: %[[WS:[^:]*]]: memref<128xi8>
// CHECK: %[[A:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[WS]][%[[A]]][] : memref<128xi8> to memref<4xf32>
// CHECK: %[[B:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[WS]][%[[B]]][] : memref<128xi8> to memref<8xf32>
// CHECK: %[[C:.*]] = arith.constant 64 : index
// CHECK: memref.view %[[WS]][%[[C]]][] : memref<128xi8> to memref<2xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
module {
  func.func @main(%x: memref<4xf32>) {
    %a = memref.alloc() : memref<4xf32>
    memref.copy %x, %a : memref<4xf32> to memref<4xf32>
    memref.dealloc %a : memref<4xf32>
    %b = memref.alloc() : memref<8xf32>
    %c = memref.alloc() : memref<2xf32>
    memref.dealloc %b : memref<8xf32>
    memref.dealloc %c : memref<2xf32>
    return
  }
}

// -----

// No allocation: no workspace argument.
// CHECK: module attributes {qcc.workspace_bytes = 0 : i64}
// CHECK-LABEL: func.func @main(%{{.*}}: memref<4xf32>)
module {
  func.func @main(%x: memref<4xf32>) {
    return
  }
}

// -----

// Zero-element arguments become memref<0xT>.
// CHECK-LABEL: func.func @main(%{{.*}}: memref<0xf32>)
// CHECK: memref.alloca() : memref<2x0xf32>
module {
  func.func @main(%x: memref<2x0xf32>) {
    "test.use"(%x) : (memref<2x0xf32>) -> ()
    return
  }
}
