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

def QuantizeDynamic : Pass<"qcc-quantize-dynamic", "mlir::func::FuncOp"> {
  let summary = "int8 weights, activations quantized at run time (`--quant=dynamic`)";
  let description = [{
    MatMul and Gemm with a constant float32 weight W (K x N after Gemm's
    transB) become integer matrix products, as ONNX Runtime's dynamic
    quantization does:

    * W is quantized per output column n, symmetric, narrow range:
      `s_n = max_k |W[k, n]| / 127`, `q = clamp(round_half_even(W / s_n),
      -127, 127)` (a zero column gets `s_n = 1` and `q = 0`);
    * the activation A is quantized per tensor at run time by
      `qcc.dynamic_quantize_linear` (uint8, range including 0);
    * `y = float(MatMulInteger(qA, qW, zA)) * (s_A * s_n)`, plus Gemm's
      `alpha` and `beta * C`.

    Before:
    ```mlir
    %y = qcc.matmul %a, %w : (tensor<4x64xf32>, tensor<64x32xf32>) -> tensor<4x32xf32>
    ```
    After:
    ```mlir
    %qa, %sa, %za = qcc.dynamic_quantize_linear %a : ...
    %acc = qcc.matmul_integer %qa, %qw a_zp %za : (..., tensor<64x32xi8>, tensor<ui8>) -> tensor<4x32xi32>
    %f = qcc.cast %acc : tensor<4x32xi32> to tensor<4x32xf32>
    %s = qcc.mul %sa, %scales : (tensor<f32>, tensor<32xf32>) -> tensor<32xf32>
    %y = qcc.mul %f, %s : (tensor<4x32xf32>, tensor<32xf32>) -> tensor<4x32xf32>
    ```
  }];
  let options = [
    Option<"minElements", "min-elements", "int64_t", "256",
           "Leave smaller weights in float32">
  ];
  let dependentDialects = ["qcc::QccDialect"];
}

#endif // QCC_DIALECT_QCC_TRANSFORMS_PASSES
