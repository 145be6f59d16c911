//===- Passes.td - qcc conversion passes -------------------*- tablegen -*-===//
#ifndef QCC_CONVERSION_PASSES
#define QCC_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def ConvertQccToLinalg : Pass<"convert-qcc-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower qcc graph ops to linalg, tensor, arith and math";
  let description = [{
    Every qcc op becomes destination-passing linalg (named ops where upstream
    has the exact semantics, `linalg.generic` otherwise) on tensors. Unsigned
    ONNX integer types (`ui8`, ...) become signless integers; the arithmetic
    chosen for them (`divui`, `uitofp`, ...) keeps their meaning. Ops that
    cannot be lowered are reported by name and location.

    Before:
    ```mlir
    %0 = qcc.relu %x : tensor<4xf32>
    ```
    After:
    ```mlir
    %e = tensor.empty() : tensor<4xf32>
    %0 = linalg.generic {indexing_maps = [#id, #id],
                         iterator_types = ["parallel"]}
        ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %zero = arith.constant 0.0 : f32
      %r = arith.maximumf %in, %zero : f32
      linalg.yield %r : f32
    } -> tensor<4xf32>
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::tensor::TensorDialect",
    "mlir::func::FuncDialect"
  ];
}

def MemRefCopyToLinalg : Pass<"qcc-memref-copy-to-linalg"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    `memref.copy` between non-contiguous memrefs lowers to a call into MLIR's
    C runner-utils library, which compiled models must not depend on. As
    `linalg.copy` it becomes plain loops (and vector code) in the model.

    Before:
    ```mlir
    memref.copy %a, %b : memref<4xf32, strided<[2]>> to memref<4xf32>
    ```
    After:
    ```mlir
    linalg.copy ins(%a : memref<4xf32, strided<[2]>>) outs(%b : memref<4xf32>)
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

#endif // QCC_CONVERSION_PASSES
