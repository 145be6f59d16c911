//===- QccOps.td - qcc graph operations --------------------*- tablegen -*-===//
//
// Operations mirror ONNX operators. Tensor operands are ranked and, after
// import, statically shaped; element types are free (float, integer, quant).
//
//===----------------------------------------------------------------------===//
#ifndef QCC_OPS_TD
#define QCC_OPS_TD

include "qcc/Dialect/Qcc/IR/QccDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"

def Qcc_Tensor : RankedTensorOf<[AnyType]>;
def Qcc_OptTensor : Optional<Qcc_Tensor>;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Qcc_ConstantOp : Qcc_Op<"constant", [Pure, ConstantLike,
    AllTypesMatch<["value", "result"]>]> {
  let summary = "A constant tensor (ONNX Constant and initializers)";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Qcc_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise unary operations: result type equals operand type.
//===----------------------------------------------------------------------===//

class Qcc_UnaryOp<string mnemonic, string onnx, list<Trait> traits = []>
    : Qcc_Op<mnemonic, !listconcat([Pure, SameOperandsAndResultType], traits)> {
  let summary = "ONNX " # onnx # " (elementwise)";
  let arguments = (ins Qcc_Tensor:$input);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
}

def Qcc_SqrtOp : Qcc_UnaryOp<"sqrt", "Sqrt">;
def Qcc_ExpOp : Qcc_UnaryOp<"exp", "Exp">;
def Qcc_LogOp : Qcc_UnaryOp<"log", "Log">;
def Qcc_ErfOp : Qcc_UnaryOp<"erf", "Erf">;
def Qcc_TanhOp : Qcc_UnaryOp<"tanh", "Tanh">;
def Qcc_SigmoidOp : Qcc_UnaryOp<"sigmoid", "Sigmoid">;
def Qcc_ReluOp : Qcc_UnaryOp<"relu", "Relu">;
def Qcc_NegOp : Qcc_UnaryOp<"neg", "Neg"> { let hasFolder = 1; }
def Qcc_AbsOp : Qcc_UnaryOp<"abs", "Abs">;
def Qcc_FloorOp : Qcc_UnaryOp<"floor", "Floor">;
def Qcc_CeilOp : Qcc_UnaryOp<"ceil", "Ceil">;
def Qcc_RoundOp : Qcc_UnaryOp<"round", "Round (half to even)">;
def Qcc_ReciprocalOp : Qcc_UnaryOp<"reciprocal", "Reciprocal">;
def Qcc_SinOp : Qcc_UnaryOp<"sin", "Sin">;
def Qcc_CosOp : Qcc_UnaryOp<"cos", "Cos">;
def Qcc_SignOp : Qcc_UnaryOp<"sign", "Sign">;
def Qcc_NotOp : Qcc_UnaryOp<"not", "Not">;
def Qcc_SoftplusOp : Qcc_UnaryOp<"softplus", "Softplus">;
def Qcc_HardSwishOp : Qcc_UnaryOp<"hard_swish", "HardSwish">;

class Qcc_UnaryAlphaOp<string mnemonic, string onnx>
    : Qcc_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = "ONNX " # onnx # " (elementwise, with attributes)";
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
}

def Qcc_LeakyReluOp : Qcc_UnaryAlphaOp<"leaky_relu", "LeakyRelu"> {
  let arguments = (ins Qcc_Tensor:$input, F32Attr:$alpha);
}
def Qcc_EluOp : Qcc_UnaryAlphaOp<"elu", "Elu"> {
  let arguments = (ins Qcc_Tensor:$input, F32Attr:$alpha);
}
def Qcc_HardSigmoidOp : Qcc_UnaryAlphaOp<"hard_sigmoid", "HardSigmoid"> {
  let arguments = (ins Qcc_Tensor:$input, F32Attr:$alpha, F32Attr:$beta);
}
def Qcc_GeluOp : Qcc_UnaryAlphaOp<"gelu", "Gelu"> {
  let description = "`approximate` is \"none\" (erf) or \"tanh\".";
  let arguments = (ins Qcc_Tensor:$input, StrAttr:$approximate);
}
def Qcc_ClipOp : Qcc_UnaryAlphaOp<"clip", "Clip"> {
  let description = [{
    Bounds are the importer's constant `min`/`max` inputs; absent means
    unbounded. They are stored as f64 and converted to the element type.
  }];
  let arguments = (ins Qcc_Tensor:$input, OptionalAttr<F64Attr>:$min,
                   OptionalAttr<F64Attr>:$max);
}

//===----------------------------------------------------------------------===//
// Elementwise binary and ternary operations with multidirectional
// (numpy) broadcasting.
//===----------------------------------------------------------------------===//

class Qcc_BinaryOp<string mnemonic, string onnx, list<Trait> traits = []>
    : Qcc_Op<mnemonic, !listconcat([Pure], traits)> {
  let summary = "ONNX " # onnx # " (elementwise, numpy broadcasting)";
  let arguments = (ins Qcc_Tensor:$lhs, Qcc_Tensor:$rhs);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Qcc_AddOp : Qcc_BinaryOp<"add", "Add", [Commutative]>;
def Qcc_SubOp : Qcc_BinaryOp<"sub", "Sub">;
def Qcc_MulOp : Qcc_BinaryOp<"mul", "Mul", [Commutative]>;
def Qcc_DivOp : Qcc_BinaryOp<"div", "Div">;
def Qcc_PowOp : Qcc_BinaryOp<"pow", "Pow">;
def Qcc_MaxOp : Qcc_BinaryOp<"max", "Max", [Commutative]>;
def Qcc_MinOp : Qcc_BinaryOp<"min", "Min", [Commutative]>;
def Qcc_ModOp : Qcc_BinaryOp<"mod", "Mod (fmod=0: sign of divisor)">;
def Qcc_FModOp : Qcc_BinaryOp<"fmod", "Mod (fmod=1: sign of dividend)">;
def Qcc_PReluOp : Qcc_BinaryOp<"prelu", "PRelu">;
def Qcc_EqualOp : Qcc_BinaryOp<"equal", "Equal", [Commutative]>;
def Qcc_LessOp : Qcc_BinaryOp<"less", "Less">;
def Qcc_LessOrEqualOp : Qcc_BinaryOp<"less_or_equal", "LessOrEqual">;
def Qcc_GreaterOp : Qcc_BinaryOp<"greater", "Greater">;
def Qcc_GreaterOrEqualOp : Qcc_BinaryOp<"greater_or_equal", "GreaterOrEqual">;
def Qcc_AndOp : Qcc_BinaryOp<"and", "And", [Commutative]>;
def Qcc_OrOp : Qcc_BinaryOp<"or", "Or", [Commutative]>;
def Qcc_XorOp : Qcc_BinaryOp<"xor", "Xor", [Commutative]>;

def Qcc_WhereOp : Qcc_Op<"where", [Pure]> {
  let summary = "ONNX Where (elementwise select, numpy broadcasting)";
  let arguments = (ins Qcc_Tensor:$condition, Qcc_Tensor:$x, Qcc_Tensor:$y);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = [{
    $condition `,` $x `,` $y attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Qcc_CastOp : Qcc_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "ONNX Cast: element type conversion, saturating for floats";
  let description = [{
    Float to integer truncates toward zero (C semantics, as ONNX Runtime);
    float to bool is `x != 0`.
  }];
  let arguments = (ins Qcc_Tensor:$input);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($output)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra and convolution
//===----------------------------------------------------------------------===//

def Qcc_MatMulOp : Qcc_Op<"matmul", [Pure]> {
  let summary = "ONNX MatMul (numpy matmul semantics)";
  let arguments = (ins Qcc_Tensor:$a, Qcc_Tensor:$b);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$a `,` $b attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Qcc_GemmOp : Qcc_Op<"gemm", [Pure]> {
  let summary = "ONNX Gemm: alpha * op(A) * op(B) + beta * C";
  let arguments = (ins Qcc_Tensor:$a, Qcc_Tensor:$b, Qcc_OptTensor:$c,
                   F32Attr:$alpha, F32Attr:$beta, BoolAttr:$transA,
                   BoolAttr:$transB);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qcc_ConvOp : Qcc_Op<"conv", [Pure]> {
  let summary = "ONNX Conv (N, C, spatial...) with explicit pads";
  let description = [{
    `pads` holds begin pads for every spatial dim then end pads (ONNX order);
    `auto_pad` was resolved by the importer.
  }];
  let arguments = (ins Qcc_Tensor:$input, Qcc_Tensor:$weight,
                   Qcc_OptTensor:$bias, DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$dilations,
                   I64Attr:$group);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qcc_ConvTransposeOp : Qcc_Op<"conv_transpose", [Pure]> {
  let summary = "ONNX ConvTranspose with explicit pads";
  let description = [{
    Weight layout is (C_in, C_out / group, k...). `pads` were resolved from
    `output_shape`/`auto_pad` by the importer; `output_padding` only extends
    the end of each spatial dim (it is visible in the result type).
  }];
  let arguments = (ins Qcc_Tensor:$input, Qcc_Tensor:$weight,
                   Qcc_OptTensor:$bias, DenseI64ArrayAttr:$strides,
                   DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$dilations,
                   I64Attr:$group);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// Whether the windows tile the output without overlap: static shapes,
    /// strides equal to the kernel, no padding or dilation, one group (the
    /// usual 2x2 stride-2 upsampling). Each output element then reads one
    /// input position.
    bool tilesOutput();
  }];
  let hasVerifier = 1;
}

def Qcc_BatchNormOp : Qcc_Op<"batch_norm", [Pure]> {
  let summary = "ONNX BatchNormalization in inference mode";
  let arguments = (ins Qcc_Tensor:$input, Qcc_Tensor:$scale, Qcc_Tensor:$bias,
                   Qcc_Tensor:$mean, Qcc_Tensor:$variance, F32Attr:$epsilon);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
}

def Qcc_LayerNormOp : Qcc_Op<"layer_norm", [Pure]> {
  let summary = "ONNX LayerNormalization (normalizes dims [axis, rank))";
  let arguments = (ins Qcc_Tensor:$input, Qcc_Tensor:$scale,
                   Qcc_OptTensor:$bias, I64Attr:$axis, F32Attr:$epsilon);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Normalization along an axis and reductions
//===----------------------------------------------------------------------===//

def Qcc_SoftmaxOp : Qcc_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "ONNX Softmax (opset 13 semantics: along one axis)";
  let arguments = (ins Qcc_Tensor:$input, I64Attr:$axis);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
}

def Qcc_LogSoftmaxOp : Qcc_Op<"log_softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "ONNX LogSoftmax (opset 13 semantics: along one axis)";
  let arguments = (ins Qcc_Tensor:$input, I64Attr:$axis);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
}

class Qcc_ReduceOp<string mnemonic, string onnx>
    : Qcc_Op<mnemonic, [Pure]> {
  let summary = "ONNX " # onnx # " over the sorted, non-negative `axes`";
  let arguments = (ins Qcc_Tensor:$input, DenseI64ArrayAttr:$axes,
                   BoolAttr:$keepdims);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Qcc_ReduceSumOp : Qcc_ReduceOp<"reduce_sum", "ReduceSum">;
def Qcc_ReduceMeanOp : Qcc_ReduceOp<"reduce_mean", "ReduceMean">;
def Qcc_ReduceMaxOp : Qcc_ReduceOp<"reduce_max", "ReduceMax">;
def Qcc_ReduceMinOp : Qcc_ReduceOp<"reduce_min", "ReduceMin">;
def Qcc_ReduceProdOp : Qcc_ReduceOp<"reduce_prod", "ReduceProd">;

class Qcc_ArgReduceOp<string mnemonic, string onnx>
    : Qcc_Op<mnemonic, [Pure]> {
  let summary = "ONNX " # onnx # " (int64 indices)";
  let arguments = (ins Qcc_Tensor:$input, I64Attr:$axis, BoolAttr:$keepdims,
                   BoolAttr:$select_last_index);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}
def Qcc_ArgMaxOp : Qcc_ArgReduceOp<"argmax", "ArgMax">;
def Qcc_ArgMinOp : Qcc_ArgReduceOp<"argmin", "ArgMin">;

//===----------------------------------------------------------------------===//
// Pooling and resizing
//===----------------------------------------------------------------------===//

def Qcc_MaxPoolOp : Qcc_Op<"max_pool", [Pure]> {
  let summary = "ONNX MaxPool (values only) with explicit pads";
  let description = [{
    `ceil_mode` is reflected in the result type: windows that start inside
    the padded input but run past its end only see valid elements.
  }];
  let arguments = (ins Qcc_Tensor:$input, DenseI64ArrayAttr:$kernel_shape,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                   DenseI64ArrayAttr:$dilations);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Qcc_AveragePoolOp : Qcc_Op<"average_pool", [Pure]> {
  let summary = "ONNX AveragePool with explicit pads";
  let arguments = (ins Qcc_Tensor:$input, DenseI64ArrayAttr:$kernel_shape,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                   DenseI64ArrayAttr:$dilations, BoolAttr:$count_include_pad);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Qcc_GlobalAveragePoolOp : Qcc_Op<"global_average_pool", [Pure]> {
  let summary = "ONNX GlobalAveragePool";
  let arguments = (ins Qcc_Tensor:$input);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Qcc_GlobalMaxPoolOp : Qcc_Op<"global_max_pool", [Pure]> {
  let summary = "ONNX GlobalMaxPool";
  let arguments = (ins Qcc_Tensor:$input);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Qcc_ResizeOp : Qcc_Op<"resize", [Pure]> {
  let summary = "ONNX Resize (nearest, linear) with per-dim scales";
  let description = [{
    `scales` are the ONNX scales (given, or derived from `sizes` as
    out/in); output sizes are the result type. `mode` is "nearest" or
    "linear"; `coordinate_transformation_mode` and `nearest_mode` keep ONNX
    spellings.
  }];
  let arguments = (ins Qcc_Tensor:$input, DenseF32ArrayAttr:$scales,
                   StrAttr:$mode, StrAttr:$coordinate_transformation_mode,
                   StrAttr:$nearest_mode);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Qcc_ReshapeOp : Qcc_Op<"reshape", [Pure]> {
  let summary = "Reshape (ONNX Reshape, Flatten, Squeeze, Unsqueeze)";
  let arguments = (ins Qcc_Tensor:$input);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Qcc_TransposeOp : Qcc_Op<"transpose", [Pure]> {
  let summary = "ONNX Transpose (constants fold: weights are laid out at compile time)";
  let arguments = (ins Qcc_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Qcc_ConcatOp : Qcc_Op<"concat", [Pure]> {
  let summary = "ONNX Concat";
  let arguments = (ins Variadic<Qcc_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Qcc_SliceOp : Qcc_Op<"slice", [Pure]> {
  let summary = "ONNX Slice with per-dim start and step (normalized)";
  let description = [{
    `starts` and `steps` have one entry per dim, already clamped as ONNX
    specifies; the number of elements taken is the result dim.
  }];
  let arguments = (ins Qcc_Tensor:$input, DenseI64ArrayAttr:$starts,
                   DenseI64ArrayAttr:$steps);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Qcc_GatherOp : Qcc_Op<"gather", [Pure]> {
  let summary = "ONNX Gather (negative indices wrap)";
  let arguments = (ins Qcc_Tensor:$data, Qcc_Tensor:$indices, I64Attr:$axis);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Qcc_ExpandOp : Qcc_Op<"expand", [Pure]> {
  let summary = "ONNX Expand and Tile-free broadcast to the result shape";
  let arguments = (ins Qcc_Tensor:$input);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Qcc_TileOp : Qcc_Op<"tile", [Pure]> {
  let summary = "ONNX Tile (repeats are result dim / input dim)";
  let arguments = (ins Qcc_Tensor:$input);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Qcc_PadOp : Qcc_Op<"pad", [Pure]> {
  let summary = "ONNX Pad (constant, reflect, edge); negative pads crop";
  let arguments = (ins Qcc_Tensor:$input, DenseI64ArrayAttr:$pads,
                   StrAttr:$mode, F64Attr:$value);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// ONNX quantization operators (exact ONNX semantics: round half to even,
// saturation to the integer range).
//===----------------------------------------------------------------------===//

def Qcc_QuantizeLinearOp : Qcc_Op<"quantize_linear", [Pure]> {
  let summary = "ONNX QuantizeLinear: saturate(round(x / scale) + zp)";
  let description = [{
    Per-tensor when `scale` is a scalar, per-axis along `axis` when it is
    1-D, and blocked (opset 21) when `block_size` > 0: then `scale` has the
    input's rank and element i of dim `axis` uses scale i / block_size. The
    zero point, when absent, is 0 of the result type (uint8 by default).
  }];
  let arguments = (ins Qcc_Tensor:$input, Qcc_Tensor:$scale,
                   Qcc_OptTensor:$zero_point, I64Attr:$axis,
                   DefaultValuedAttr<I64Attr, "0">:$block_size);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Qcc_DequantizeLinearOp : Qcc_Op<"dequantize_linear", [Pure]> {
  let summary = "ONNX DequantizeLinear: (x - zp) * scale";
  let description = [{
    Scales and zero points as for `qcc.quantize_linear` (per tensor, per
    axis, or blocked along `axis` with `block_size`).
  }];
  let arguments = (ins Qcc_Tensor:$input, Qcc_Tensor:$scale,
                   Qcc_OptTensor:$zero_point, I64Attr:$axis,
                   DefaultValuedAttr<I64Attr, "0">:$block_size);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Qcc_RequantizeOp : Qcc_Op<"requantize", [Pure]> {
  let summary = "int32 to 8 or 16 bits with a fixed-point multiplier and shift";
  let description = [{
    `saturate(((x * multiplier + 2^(shift-1)) >> shift) + zero_point)`: the
    integer-only form of `quantize_linear(cast(x) * scale)`
    (`qcc-requantize-fixed-point`, `--integer-only`). `multiplier` (i32) and
    `shift` (i32, 1 to 62) have one shape and broadcast against `input`
    (i32) as ONNX does: one value per tensor, or per channel with shape
    (1, C, 1, ...). The product is exact in 64 bits, the shift rounds half
    up (toward +infinity); `zero_point` (rank 0) has the result's element
    type (uint8, int8 or int16), to whose range the result saturates.

    ```mlir
    %y = qcc.requantize %acc, %m, %s, %zp : (tensor<1x16x8x8xi32>,
        tensor<1x16x1x1xi32>, tensor<1x16x1x1xi32>, tensor<ui8>)
        -> tensor<1x16x8x8xui8>
    ```
  }];
  let arguments = (ins Qcc_Tensor:$input, Qcc_Tensor:$multiplier,
                   Qcc_Tensor:$shift, Qcc_Tensor:$zero_point);
  let results = (outs Qcc_Tensor:$output);
  let hasVerifier = 1;
  let assemblyFormat = [{
    $input `,` $multiplier `,` $shift `,` $zero_point attr-dict `:` functional-type(operands, results)
  }];
}

def Qcc_LookupOp : Qcc_Op<"lookup", [Pure]> {
  let summary = "8-bit table lookup: output[i] = table[input[i]]";
  let description = [{
    Integer-only nonlinearities (`qcc-integer-lookup-tables`): `table` has
    256 entries indexed by the input byte as an unsigned number (an int8
    input -128..127 reads entries 0..255 after adding 128). The output has
    the input's shape and the table's element type.
  }];
  let arguments = (ins Qcc_Tensor:$input, Qcc_Tensor:$table);
  let results = (outs Qcc_Tensor:$output);
  let hasVerifier = 1;
  let assemblyFormat = [{
    $input `,` $table attr-dict `:` functional-type(operands, results)
  }];
}

def Qcc_LayerNormIntegerOp : Qcc_Op<"layer_norm_integer", [Pure]> {
  let summary = "LayerNormalization of an 8- or 16-bit tensor, in integers";
  let description = [{
    The integer-only form of `quantize_linear(layer_norm(dequantize_linear(
    x)))` (`qcc-integer-layer-norm`). Each row (the N elements sharing the
    indices before `axis`) is normalized with integer arithmetic only; 64-bit
    products and shifts, one integer square root and one 32-bit division per
    row, no 64-bit division:

    ```
    S = sum input_i; d_i = N input_i - S     (the zero point cancels)
    V   = (sum d_i^2 + offset) << (2 pre_shift)            (< 2^63)
    r   = floor(sqrt(V)); h = max(bits(r) - 16, 0); n = r >> h
    inv = floor(2^31 / n)                                  (32-bit)
    t   = 16 + h - pre_shift                               (>= 1)
    v_i = (d_i inv + 2^(t-1)) >> t                         (~ 2^15 d_i / r)
    y_i = saturate(((v_i gain_c + bias_c + 2^(gain_shift+14))
                    >> (gain_shift + 15)) + zero_point)
    ```

    `gain` (i32) and `bias` (i64) have the shape of the normalized dims:
    `gain = round(gamma sqrt(N) / s_y 2^gain_shift)`, `bias = round(beta /
    s_y 2^(gain_shift+15))`, `offset = round(N^3 epsilon / s_x^2)` (at least
    1). Shifts right are arithmetic (round half up).
  }];
  let arguments = (ins Qcc_Tensor:$input, Qcc_Tensor:$gain, Qcc_Tensor:$bias, Qcc_Tensor:$zero_point,
                   I64Attr:$axis, I64Attr:$offset, I64Attr:$pre_shift,
                   I64Attr:$gain_shift);
  let results = (outs Qcc_Tensor:$output);
  let hasVerifier = 1;
  let assemblyFormat = [{
    $input `,` $gain `,` $bias `,` $zero_point attr-dict
    `:` functional-type(operands, results)
  }];
}

def Qcc_DynamicQuantizeLinearOp : Qcc_Op<"dynamic_quantize_linear", [Pure]> {
  let summary = "ONNX DynamicQuantizeLinear (uint8, range includes 0)";
  let arguments = (ins Qcc_Tensor:$input);
  let results = (outs Qcc_Tensor:$output, Qcc_Tensor:$scale,
                  Qcc_Tensor:$zero_point);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Qcc_MatMulIntegerOp : Qcc_Op<"matmul_integer", [Pure, AttrSizedOperandSegments]> {
  let summary = "ONNX MatMulInteger: (A - a_zp) x (B - b_zp) into i32";
  let arguments = (ins Qcc_Tensor:$a, Qcc_Tensor:$b, Qcc_OptTensor:$a_zero_point,
                   Qcc_OptTensor:$b_zero_point);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`a_zp` $a_zero_point^)? (`b_zp` $b_zero_point^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qcc_ConvIntegerOp : Qcc_Op<"conv_integer", [Pure, AttrSizedOperandSegments]> {
  let summary = "ONNX ConvInteger: conv of (x - x_zp), (w - w_zp) into i32";
  let arguments = (ins Qcc_Tensor:$input, Qcc_Tensor:$weight,
                   Qcc_OptTensor:$input_zero_point,
                   Qcc_OptTensor:$weight_zero_point,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                   DenseI64ArrayAttr:$dilations, I64Attr:$group);
  let results = (outs Qcc_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`x_zp` $input_zero_point^)?
    (`w_zp` $weight_zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // QCC_OPS_TD
