//===- Passes.td - qcc graph transformations ---------------*- tablegen -*-===//
//
// Quantization passes on the qcc graph dialect. They run between import and
// lowering (`--compile-to=quantize` shows their result).
//
//===----------------------------------------------------------------------===//
#ifndef QCC_DIALECT_QCC_TRANSFORMS_PASSES
#define QCC_DIALECT_QCC_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def FoldBatchNorm : Pass<"qcc-fold-batch-norm", "mlir::func::FuncOp"> {
  let summary = "Fold inference BatchNormalization into the preceding Conv";
  let description = [{
    `BN(Conv(x, W, b))` with constant W, b, scale, B, mean and var, where the
    Conv has no other user, becomes `Conv(x, W', b')` with
    `k = scale / sqrt(var + eps)`, `W'[o] = W[o] * k[o]` and
    `b' = (b - mean) * k + B`, computed in double and rounded to float32
    once, as ONNX Runtime's graph optimizer does. Quantization then sees the
    weights the model really applies, and the float model saves a pass over
    every activation.

    Before:
    ```mlir
    %c = qcc.conv %x, %w, %b ...
    %y = qcc.batch_norm %c, %scale, %bias, %mean, %var {epsilon = 1.0e-5 : f32} ...
    ```
    After:
    ```mlir
    %y = qcc.conv %x, %w2, %b2 ...
    ```
  }];
  let dependentDialects = ["qcc::QccDialect"];
}

def GemmToMatMul : Pass<"qcc-gemm-to-matmul", "mlir::func::FuncOp"> {
  let summary = "Gemm with a constant weight as MatMul plus a bias Add";
  let description = [{
    `Gemm(A, B, C)` with `transA = 0`, `alpha = 1`, `beta = 1` (or no C), a
    constant float32 2-D B and a per-column C (`[N]` or `[1, N]`) becomes
    `MatMul(A, B')` (B' = B, or B transposed at compile time for `transB`)
    plus `Add(., C)`. Exact (no arithmetic changes), and it gives int8 one
    form for every fully connected layer: `MatMul + bias`, the pattern
    calibration observes and `qcc-fuse-qdq` turns into an integer product.
    Per-layer attributes move to the MatMul.

    Before:
    ```mlir
    %y = qcc.gemm %a, %w, %c {transB = true, ...} : (tensor<1x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<1x10xf32>
    ```
    After:
    ```mlir
    %wt = qcc.constant dense<...> : tensor<64x10xf32>
    %m = qcc.matmul %a, %wt : (tensor<1x64xf32>, tensor<64x10xf32>) -> tensor<1x10xf32>
    %y = qcc.add %m, %c : (tensor<1x10xf32>, tensor<10xf32>) -> tensor<1x10xf32>
    ```
  }];
  let dependentDialects = ["qcc::QccDialect"];
}

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

def FuseQDQ : Pass<"qcc-fuse-qdq", "mlir::func::FuncOp"> {
  let summary = "Turn DequantizeLinear -> Conv/MatMul -> QuantizeLinear into integer ops";
  let description = [{
    QDQ models (exported by quantization-aware training or other quantizers)
    wrap float ops in DequantizeLinear/QuantizeLinear. This pass rewrites

      Q(op(DQ(x), DQ(w) [, bias]) [-> Relu]) for op = Conv or MatMul

    into an exact int32 accumulation (`qcc.conv_integer`,
    `qcc.matmul_integer`), the bias added in int32, and one requantization
    by `s_x * s_w / s_y` with round-half-even and saturation, so the model
    runs integer kernels. A Relu before the QuantizeLinear becomes
    `max(q, zero_point)`, which is exact. The integer path rounds once where
    the float QDQ graph rounds after every operation, so an element may
    differ by one quantization step at an exact tie.

    Conditions: x per tensor; w per tensor or per output channel with
    a scalar zero point (Conv) or one zero point per column (MatMul); a bias
    that is DequantizeLinear of int32 with scale `s_x * s_w` or a float
    constant (then quantized with that scale); y per tensor. Other shapes
    keep the float path, which is exact ONNX semantics.

    ConvTranspose (one group, symmetric weights) has no ONNX integer form:
    one whose windows tile the output (strides equal to the kernel, no
    padding or dilation) becomes a pointwise `qcc.conv_integer` into
    `C_out * k` channels, requantized on `(N, C_out, k..., X...)`, and a
    `qcc.transpose` of the 8-bit result into the output's layout (so it runs
    on the int8 dot-product kernels); others accumulate with an int32
    `qcc.conv_transpose`.

    Before:
    ```mlir
    %x = qcc.dequantize_linear %xq, %sx, %zx {axis = 1 : i64} : ...
    %w = qcc.dequantize_linear %wq, %sw {axis = 0 : i64} : ...
    %y = qcc.conv %x, %w ...
    %q = qcc.quantize_linear %y, %sy, %zy {axis = 1 : i64} : ...
    ```
    After:
    ```mlir
    %acc = qcc.conv_integer %xq, %wq x_zp %zx ... -> tensor<...xi32>
    %f = qcc.cast %acc : ... to ...xf32
    %m = qcc.mul %f, %multiplier : ...
    %q = qcc.quantize_linear %m, %one, %zy {axis = 0 : i64} : ...
    ```
  }];
  let dependentDialects = ["qcc::QccDialect"];
}

def QuantizeStatic : Pass<"qcc-quantize-static", "mlir::func::FuncOp"> {
  let summary = "Full-integer int8 from calibrated ranges (`--quant=int8`)";
  let description = [{
    Uses the activation ranges that calibration recorded (`qcc.range =
    [min, max]` on the producing op, or on a `main` argument) to wrap each
    Conv and MatMul with a constant weight in QuantizeLinear /
    DequantizeLinear pairs, as ONNX Runtime's static QDQ quantization does:

    * activations: uint8, asymmetric, per tensor; the range is widened to
      include 0, `s = (max - min) / 255`, `z = round_half_even(-min / s)`
      (`symmetric-activations`: int8, `z = 0`, `s = 2 max|x| / 255`);
    * weights: int8, symmetric, narrow range (+-127), per output channel
      (`per-tensor-weights`: one scale per tensor);
    * a Conv/MatMul output (after a Relu that is its only user) with a range
      is quantized too, so consecutive layers stay in integers.

    `qcc-fuse-qdq` then turns these patterns into integer kernels.

    Before:
    ```mlir
    %x = qcc.relu %in {qcc.range = [0.0, 6.0]} : ...
    %y = qcc.conv %x, %w ...
    ```
    After:
    ```mlir
    %xq = qcc.quantize_linear %x, %sx, %zx ...
    %xd = qcc.dequantize_linear %xq, %sx, %zx ...
    %wd = qcc.dequantize_linear %wq, %sw {axis = 0} ...
    %y = qcc.conv %xd, %wd ...
    ```
  }];
  let options = [
    Option<"perTensorWeights", "per-tensor-weights", "bool", "false",
           "One int8 scale per weight tensor instead of per output channel">,
    Option<"symmetricActivations", "symmetric-activations", "bool", "false",
           "int8 activations with zero point 0 (scale 2 max|x| / 255) "
           "instead of asymmetric uint8">,
    Option<"integerOnly", "integer-only", "bool", "false",
           "Also quantize the outputs of Add, Sub and Mul of two "
           "activations (isRequantizedArithmetic), as --integer-only needs">
  ];
  let dependentDialects = ["qcc::QccDialect"];
}

def QuantizeWeightOnly : Pass<"qcc-quantize-weight-only", "mlir::func::FuncOp"> {
  let summary = "Grouped low-bit MatMul/Gemm weights, float activations (`--quant=w8|w4`)";
  let description = [{
    Weight-only round-to-nearest (RTN) quantization, the recipe of LLM
    runtimes: each constant float32 2-D weight of a MatMul or Gemm is stored
    in `bits` (2 to 8) with one float32 scale, and unless `symmetric` one
    zero point, per group of `group-size` consecutive elements along the
    reduction axis (K of a K x N weight; per output channel when the group
    size is 0 or at least K). Activations and arithmetic stay float32.

    * asymmetric (default): the group's range widened to include 0,
      `s = (max - min) / (2^bits - 1)`, `z = round(-min / s)`,
      `q = clamp(round(w / s) + z, 0, 2^bits - 1)`, stored unsigned;
    * symmetric: `s = max |w| / (2^(bits-1) - 1)`, `q` in
      `+-(2^(bits-1) - 1)`, no zero point;
    * rounding is half to even; a group of zeros (or of denormals, whose
      scale would be denormal) gets `s = 1` and `q = 0`;
    * values live in the smallest of 2-, 4- and 8-bit integer types, which
      lowering packs 4 or 2 to a byte; a weight with a NaN or infinity is an
      error naming it.

    The result is ONNX DequantizeLinear with `block_size` (opset 21), so the
    quantized graph means exactly what ONNX says it means.

    Before:
    ```mlir
    %w = qcc.constant dense<...> : tensor<256x64xf32>
    %y = qcc.matmul %x, %w : (tensor<16x256xf32>, tensor<256x64xf32>) -> tensor<16x64xf32>
    ```
    After (`bits=4 group-size=128`):
    ```mlir
    %q = qcc.constant dense<...> : tensor<256x64xui4>
    %s = qcc.constant dense<...> : tensor<2x64xf32>
    %z = qcc.constant dense<...> : tensor<2x64xui4>
    %w = qcc.dequantize_linear %q, %s, %z {axis = 0 : i64, block_size = 128 : i64} : ...
    %y = qcc.matmul %x, %w : ...
    ```
  }];
  let options = [
    Option<"bits", "bits", "int64_t", "4", "Bits per weight (2 to 8)">,
    Option<"groupSize", "group-size", "int64_t", "128",
           "Elements per scale along the reduction axis (0: per channel)">,
    Option<"symmetric", "symmetric", "bool", "false",
           "Signed values and no zero point">,
    Option<"minElements", "min-elements", "int64_t", "256",
           "Leave smaller weights in float32">
  ];
  let dependentDialects = ["qcc::QccDialect"];
}

def RequantizeFixedPoint : Pass<"qcc-requantize-fixed-point", "mlir::func::FuncOp"> {
  let summary = "Requantize integer layers with fixed-point multipliers and shifts";
  let description = [{
    Part of `--integer-only`. The float requantization of an integer
    kernel's int32 accumulator,
    `quantize_linear(cast(acc) * S, s_y, zp)` with constant `S` and a
    per-tensor `s_y`, becomes `qcc.requantize(acc, m, s, zp)` with one
    multiplier and shift per element of `S` (`r = S / s_y = m * 2^-s`,
    `m` in [2^30, 2^31), FixedPoint.h): a 64-bit product rounded half up.
    Against the float path (round half to even of an f32 product) an
    element may differ by one step, next to a tie. Scales without a
    fixed-point form (non-finite, not positive, >= 2^30) keep the float
    path, which `qcc-verify-integer-only` then reports.

    Before:
    ```mlir
    %f = qcc.cast %acc : tensor<1x16x8x8xi32> to tensor<1x16x8x8xf32>
    %y = qcc.mul %f, %S : (tensor<1x16x8x8xf32>, tensor<1x16x1x1xf32>) -> ...
    %q = qcc.quantize_linear %y, %one, %zp {axis = 0 : i64} : ...
    ```
    After:
    ```mlir
    %q = qcc.requantize %acc, %m, %s, %zp : (tensor<1x16x8x8xi32>,
        tensor<1x16x1x1xi32>, tensor<1x16x1x1xi32>, tensor<ui8>) -> ...
    ```
  }];
}

def VerifyIntegerOnly : Pass<"qcc-verify-integer-only", "mlir::func::FuncOp"> {
  let summary = "Check that no floating-point arithmetic is left inside the model";
  let description = [{
    Part of `--integer-only`, after the integer rewrites and
    `qcc-integer-io`. Every op whose result is a floating-point tensor is an
    error naming the ONNX node (float constants are reported where they are
    used). An input quantization or output dequantization left at the edge
    is reported as one that cannot move to the caller.
  }];
}

def IntegerLookupTables : Pass<"qcc-integer-lookup-tables", "mlir::func::FuncOp"> {
  let summary = "8-bit nonlinearities as 256-entry lookup tables";
  let description = [{
    Part of `--integer-only`. `QuantizeLinear(F(DequantizeLinear(x)))`,
    where `x` is an 8-bit tensor with a per-tensor scale and zero point and
    `F` is a DAG of elementwise float ops (Relu, Sigmoid, Tanh, Exp, Erf,
    Gelu, Elu, LeakyRelu, HardSigmoid, HardSwish, Softplus, Clip, Abs, Neg,
    and Add/Sub/Mul/Div/Max/Min with scalar constants or other values of
    the DAG) whose only varying input is that dequantized tensor, becomes
    `qcc.lookup(x, table)`. The 256 entries are computed at compile time
    in f32 from the dequantized value of each input byte, then rounded half
    to even and saturated as QuantizeLinear does; the table is the same on
    every target.

    Before:
    ```mlir
    %d = qcc.dequantize_linear %x, %s, %z {axis = 0 : i64} : ...
    %h = qcc.hard_swish %d : tensor<1x16x32x32xf32>
    %q = qcc.quantize_linear %h, %s2, %z2 {axis = 0 : i64} : ...
    ```
    After:
    ```mlir
    %t = qcc.constant dense<[...]> : tensor<256xui8>
    %q = qcc.lookup %x, %t : (tensor<1x16x32x32xui8>, tensor<256xui8>) -> tensor<1x16x32x32xui8>
    ```
  }];
}

def SinkDequantize : Pass<"qcc-sink-dequantize", "mlir::func::FuncOp"> {
  let summary = "Move per-tensor DequantizeLinear below exact data movement";
  let description = [{
    Part of `--integer-only` and, with `exact`, of `--quant=int8`. A MaxPool
    of a product with a non-negative factor broadcast over the pooled dims
    (a squeeze-and-excite gate: HardSigmoid, Sigmoid, Relu, Clip at or above
    0, a constant) pools first and scales the pooled values (exact: scaling
    by `g >= 0` is monotonic). MaxPool, Reshape and nearest Resize of a
    per-tensor `DequantizeLinear(x)` run on `x` instead, with the
    DequantizeLinear after them (exact: dequantization is monotonic and
    these ops only select or move elements); a per-tensor QuantizeLinear
    of one of them (its only user) moves above it for the same reason;
    then a QuantizeLinear of a DequantizeLinear with the same scale, zero
    point and type is removed. A float value that is quantized for one
    user and read as float by others gives them the quantized value,
    dequantized (where a QDQ export puts its pair), so they too can move
    to 8-bit data. `exact` keeps every value bit for bit: no such sharing,
    and no skipped requantization of a requantized value.

    Before: `%d = qcc.dequantize_linear %x ...; %p = qcc.max_pool %d ...`.
    After: `%p = qcc.max_pool %x ...; %d = qcc.dequantize_linear %p ...`.
  }];
  let options = [
    Option<"exact", "exact", "bool", "false",
           "Only rewrites that leave every value unchanged (--quant=int8)">
  ];
}

def IntegerAveragePool : Pass<"qcc-integer-average-pool", "mlir::func::FuncOp"> {
  let summary = "Quantized GlobalAveragePool as an int32 sum and a requantization";
  let description = [{
    Part of `--integer-only`. `Q(GlobalAveragePool(DQ(x)))` (per-tensor)
    becomes `requantize(ReduceSum(cast<i32>(x) - zp_x), m, s, zp_y)` with
    `m * 2^-s = s_x / (n * s_y)` for a window of n elements: the division by
    n is rounded half up once, in the requantization. ReduceMean over
    constant axes likewise. AveragePool over 2-D windows: the sums are a
    depthwise `qcc.conv_integer` with a weight of ones, requantized with a
    multiplier and shift per output position (each its own count of taps,
    with or without the padding as `count_include_pad` says).
  }];
}

def IntegerAddMul : Pass<"qcc-integer-add-mul", "mlir::func::FuncOp"> {
  let summary = "Add, Sub and Mul of quantized tensors in int32";
  let description = [{
    Part of `--integer-only`, for per-tensor 8-bit operands and result.
    `Q(DQ(a) * DQ(b))` becomes the int32 product of the zero-point-shifted
    values and one requantization by `s_a s_b / s_y` (a squeeze-and-excite
    gate). `Q(+-DQ(x_1) +- ... +- DQ(x_T))` (a tree of Add/Sub whose inner
    values have no other user: residual and multi-way skips) scales each
    shifted value by `M_i = round(s_i / s_y * 2^K)` in int32, sums, and
    requantizes by `2^-K`; `K` is the largest shift (at most 32) keeping
    every `M_i` under `2^31 / (256 T)`, so nothing can overflow, and the
    ratios keep at least 21 bits for T <= 4. Broadcasting is as in the
    float ops.
  }];
}

def IntegerIO : Pass<"qcc-integer-io", "mlir::ModuleOp"> {
  let summary = "Integer inputs and outputs: the float edge moves to the caller";
  let description = [{
    Part of `--integer-only`. A `main` argument read only by per-tensor
    QuantizeLinear ops with one constant scale and zero point becomes the
    8-bit tensor itself, and a result computed by a per-tensor
    DequantizeLinear becomes its 8-bit input. The scales and zero points
    are recorded in the `qcc.inputs` / `qcc.outputs` signature (`scale`,
    `zero_point`), from which the C header and the ABI's
    `P_quant_info` tell the caller how to convert at the edge. Inputs and
    outputs that are not quantized at the edge keep their types.

    Before:
    ```mlir
    func.func @main(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
      %q = qcc.quantize_linear %x, %s, %zp {axis = 1 : i64} : ... -> tensor<1x8xui8>
      %y = qcc.lookup %q, %table : ...
      %d = qcc.dequantize_linear %y, %s2, %zp2 {axis = 1 : i64} : ... -> tensor<1x8xf32>
      return %d : tensor<1x8xf32>
    }
    ```
    After:
    ```mlir
    func.func @main(%x: tensor<1x8xui8>) -> tensor<1x8xui8> {
      %y = qcc.lookup %x, %table : ...
      return %y : tensor<1x8xui8>
    }
    ```
  }];
}

def VerifyNoFloat : Pass<"qcc-verify-no-float", "mlir::ModuleOp"> {
  let summary = "Check that no floating-point type survives lowering";
  let description = [{
    The last step of `--integer-only` lowering, on the LLVM dialect: every
    operation, block argument and global is checked for floating-point
    types (scalars, vectors, memrefs, tensors, LLVM structs and arrays).
    Any one is an error at its location, so a lowering that brings float
    back (a cast pattern, a library call, a vectorizer choice) fails the
    build instead of shipping float instructions to an integer-only
    device.
  }];
}

def IntegerSoftmax : Pass<"qcc-integer-softmax", "mlir::func::FuncOp"> {
  let summary = "Softmax of a quantized tensor in integers";
  let description = [{
    Part of `--integer-only`. `Softmax(DequantizeLinear(x))` with `x` 8-bit
    and a per-tensor scale `s`: along the axis, `d = max - x` is an integer
    in [0, 255], `e = T[d]` with the table `T[d] = round(exp(-s d) 2^b)`
    (`b` = 16 fraction bits, fewer for rows longer than 2^14, so that sums
    stay under 2^30), and the result is uint8 with scale 1/255 and zero
    point 0: `(255 e + sum(e) / 2) / sum(e)`, an exact 32-bit division
    rounding half up. The float result is that tensor dequantized, which
    later rewrites (or qcc-integer-io, at an output) absorb.

    Before:
    ```mlir
    %d = qcc.dequantize_linear %x, %s, %zp {axis = 1 : i64} : ... -> tensor<4x10xf32>
    %y = qcc.softmax %d {axis = 1 : i64} : tensor<4x10xf32>
    ```
    After:
    ```mlir
    %xi = qcc.cast %x : tensor<4x10xui8> to tensor<4x10xi32>
    %m = qcc.reduce_max %xi {axes = array<i64: 1>, keepdims = true} : ...
    %dd = qcc.sub %m, %xi : ...
    %e = qcc.lookup %idx, %table : (tensor<4x10xui8>, tensor<256xi32>) -> tensor<4x10xi32>
    %sum = qcc.reduce_sum %e {axes = array<i64: 1>, keepdims = true} : ...
    %q = qcc.div %num, %sum : ...
    %y8 = qcc.cast %q : tensor<4x10xi32> to tensor<4x10xui8>
    %y = qcc.dequantize_linear %y8, %one_255, %zero {axis = 0 : i64} : ...
    ```
  }];
}

def IntegerLayerNorm : Pass<"qcc-integer-layer-norm", "mlir::func::FuncOp"> {
  let summary = "LayerNormalization of a quantized tensor in integers";
  let description = [{
    Part of `--integer-only`. `QuantizeLinear(LayerNormalization(
    DequantizeLinear(x), gamma, beta))` with per-tensor parameters and
    constant gamma and beta becomes `qcc.layer_norm_integer`: the row's
    centred values `d = N x - sum x` (exact), their sum of squares in 64
    bits plus `N^3 epsilon / s_x^2`, an integer square root, one 32-bit
    reciprocal per row, and a per-channel fixed-point gain and bias into
    the output's scale (see the op for the exact arithmetic). The 64-bit
    sum is shifted left by the most bits that cannot overflow it, so the
    square root keeps about 16 significant bits for any input spread.

    Before:
    ```mlir
    %d = qcc.dequantize_linear %x, %sx, %zx {axis = 0 : i64} : ...
    %n = qcc.layer_norm %d, %gamma, %beta {axis = 2 : i64, epsilon = ...}
    %q = qcc.quantize_linear %n, %sy, %zy {axis = 0 : i64} : ...
    ```
    After:
    ```mlir
    %q = qcc.layer_norm_integer %x, %gain, %bias, %zy {axis = 2 : i64,
        gain_shift = 22 : i64, offset = 27 : i64, pre_shift = 13 : i64}
        : (tensor<1x16x64xui8>, tensor<64xi32>, tensor<64xi64>, tensor<ui8>)
        -> tensor<1x16x64xui8>
    ```
  }];
}

def IntegerResize : Pass<"qcc-integer-resize", "mlir::func::FuncOp"> {
  let summary = "Linear Resize of a quantized tensor in integers";
  let description = [{
    Part of `--integer-only`. `QuantizeLinear(Resize(DequantizeLinear(x)))`
    in linear mode, per-tensor parameters, static shapes: separable along
    each resized dim. Each output index reads two source indices with
    fixed-point weights `w_lo + w_hi = 2^F` (F = 12 for one resized dim,
    11 for two: the int32 sum stays below 2^31), all computed at compile
    time from the f32 source coordinates the float lowering uses (every
    `coordinate_transformation_mode`; indices clamped to the edge). Per dim
    the int32 values are gathered twice, weighted and summed; one
    requantization by `s_x / (s_y 2^(kF))` rounds once at the end.

    Before:
    ```mlir
    %d = qcc.dequantize_linear %x, %sx, %zx ...
    %r = qcc.resize %d {mode = "linear", scales = array<f32: 1, 1, 2, 2>, ...}
    %q = qcc.quantize_linear %r, %sy, %zy ...
    ```
    After (per resized dim d):
    ```mlir
    %lo = qcc.gather %x32, %idx_lo {axis = d} ...
    %hi = qcc.gather %x32, %idx_hi {axis = d} ...
    %s = qcc.add (qcc.mul %lo, %w_lo), (qcc.mul %hi, %w_hi) ...
    %q = qcc.requantize %s, %m, %shift, %zy ...
    ```
  }];
}

#endif // QCC_DIALECT_QCC_TRANSFORMS_PASSES
