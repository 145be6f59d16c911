//===- Passes.td - qcc graph transformations ---------------*- tablegen -*-===//
//
// Quantization passes on the qcc graph dialect. They run between import and
// lowering (`--compile-to=quantize` shows their result).
//
//===----------------------------------------------------------------------===//
#ifndef QCC_DIALECT_QCC_TRANSFORMS_PASSES
#define QCC_DIALECT_QCC_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def QuantizeWeightsF16 : Pass<"qcc-quantize-weights-f16", "mlir::func::FuncOp"> {
  let summary = "Store float32 weights as float16 (`--quant=f16`)";
  let description = [{
    The constant weights of convolutions, Gemm and MatMul become float16
    constants widened back to float32 where they are used, halving their size
    in the compiled model; activations and arithmetic stay float32.
    Conversion rounds to nearest even. A weight with a magnitude beyond
    float16's range (65504) or with non-finite values keeps float32, and the
    pass says so with a remark naming the weight's op.

    Before:
    ```mlir
    %w = qcc.constant dense<...> : tensor<16x3x3x3xf32>
    %y = qcc.conv %x, %w ...
    ```
    After:
    ```mlir
    %w16 = qcc.constant dense<...> : tensor<16x3x3x3xf16>
    %w = qcc.cast %w16 : tensor<16x3x3x3xf16> to tensor<16x3x3x3xf32>
    %y = qcc.conv %x, %w ...
    ```
  }];
  let options = [
    Option<"minElements", "min-elements", "int64_t", "16",
           "Leave smaller weights in float32 (not worth a conversion)">
  ];
  let dependentDialects = ["qcc::QccDialect"];
}

#endif // QCC_DIALECT_QCC_TRANSFORMS_PASSES
