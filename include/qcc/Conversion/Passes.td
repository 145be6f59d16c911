//===- Passes.td - qcc conversion passes --------------------*- tablegen -*-===//
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
    "mlir::math::MathDialect", "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect", "mlir::func::FuncDialect",
    "mlir::bufferization::BufferizationDialect"
  ];
}

#endif // QCC_CONVERSION_PASSES
