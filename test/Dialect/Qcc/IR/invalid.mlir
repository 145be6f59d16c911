// RUN: qcc-opt %s -split-input-file -verify-diagnostics

// Verifier errors of the qcc ops (lib/Dialect/Qcc/IR/QccOps.cpp).

func.func @add_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'qcc.add' op operands are not broadcast-compatible}}
  %0 = qcc.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @mul_wrong_result_shape(%a: tensor<2x1xf32>, %b: tensor<3xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{'qcc.mul' op result shape does not match the broadcast shape of the operands}}
  %0 = qcc.mul %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @less_wrong_result_rank(%a: tensor<3xui8>, %b: tensor<3xui8>) -> tensor<1x3xi1> {
  // expected-error @+1 {{'qcc.less' op result shape does not match the broadcast shape of the operands}}
  %0 = qcc.less %a, %b : (tensor<3xui8>, tensor<3xui8>) -> tensor<1x3xi1>
  return %0 : tensor<1x3xi1>
}

// -----

func.func @where_not_broadcastable(%c: tensor<2x3xi1>, %x: tensor<2x3xf32>, %y: tensor<2xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'qcc.where' op operands are not broadcast-compatible}}
  %0 = qcc.where %c, %x, %y : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @unary_type_mismatch(%x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{'qcc.relu' op requires the same type for all operands and results}}
  %0 = "qcc.relu"(%x) : (tensor<4xf32>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @cast_shape_mismatch(%x: tensor<4xf32>) -> tensor<5xi32> {
  // expected-error @+1 {{'qcc.cast' op requires the same shape for all operands and results}}
  %0 = qcc.cast %x : tensor<4xf32> to tensor<5xi32>
  return %0 : tensor<5xi32>
}

// -----

func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<4x5xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'qcc.matmul' op operands must have rank >= 1}}
  %0 = qcc.matmul %a, %b : (tensor<f32>, tensor<4x5xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @matmul_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'qcc.matmul' op contraction dims differ: 3 vs 4}}
  %0 = qcc.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_vector_contraction(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'qcc.matmul' op contraction dims differ: 3 vs 4}}
  %0 = qcc.matmul %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  // expected-error @+1 {{'qcc.gemm' op A, B and the result must be 2-D}}
  %0 = qcc.gemm %a, %b {alpha = 1.0 : f32, beta = 1.0 : f32, transA = false, transB = false} : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

func.func @gemm_contraction_transposed(%a: tensor<3x4xf32>, %b: tensor<5x4xf32>) -> tensor<3x5xf32> {
  // transB = false reads K from dim 0 of B.
  // expected-error @+1 {{'qcc.gemm' op contraction dims differ: 4 vs 5}}
  %0 = qcc.gemm %a, %b {alpha = 1.0 : f32, beta = 1.0 : f32, transA = false, transB = false} : (tensor<3x4xf32>, tensor<5x4xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

func.func @gemm_contraction_transA(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{'qcc.gemm' op contraction dims differ: 3 vs 4}}
  %0 = qcc.gemm %a, %b {alpha = 1.0 : f32, beta = 1.0 : f32, transA = true, transB = false} : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @conv_rank(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'qcc.conv' op input and weight must have the same rank >= 3}}
  %0 = qcc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<8x4x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'qcc.conv' op input channels (4) != weight channels (3) x group (1)}}
  %0 = qcc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_group_divides_outputs(%x: tensor<1x4x8x8xf32>, %w: tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{'qcc.conv' op output channels not divisible by group}}
  %0 = qcc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

func.func @conv_group_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'qcc.conv' op group must be >= 1}}
  %0 = qcc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 0 : i64} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_strides_count(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'qcc.conv' op strides/dilations need 2 entries and pads 4}}
  %0 = qcc.conv %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_pads_count(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'qcc.conv' op strides/dilations need 2 entries and pads 4}}
  %0 = qcc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_stride_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'qcc.conv' op strides must be >= 1}}
  %0 = qcc.conv %x, %w {strides = array<i64: 1, 0>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_dilation_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32> {
  // expected-error @+1 {{'qcc.conv' op dilations must be >= 1}}
  %0 = qcc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 0, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

func.func @conv_integer_missing_group(%x: tensor<1x4x8x8xui8>, %w: tensor<8x4x3x3xi8>) -> tensor<1x8x6x6xi32> {
  // expected-error @+1 {{'qcc.conv_integer' op requires attribute 'group'}}
  %0 = "qcc.conv_integer"(%x, %w) <{operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}> : (tensor<1x4x8x8xui8>, tensor<8x4x3x3xi8>) -> tensor<1x8x6x6xi32>
  return %0 : tensor<1x8x6x6xi32>
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<3x4x2x2xf32>) -> tensor<1x4x16x16xf32> {
  // expected-error @+1 {{'qcc.conv_transpose' op input channels differ from weight dim 0}}
  %0 = qcc.conv_transpose %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<3x4x2x2xf32>) -> tensor<1x4x16x16xf32>
  return %0 : tensor<1x4x16x16xf32>
}

// -----

func.func @conv_transpose_dilations_count(%x: tensor<1x4x8x8xf32>, %w: tensor<4x3x2x2xf32>) -> tensor<1x3x16x16xf32> {
  // expected-error @+1 {{'qcc.conv_transpose' op strides/dilations need 2 entries and pads 4}}
  %0 = qcc.conv_transpose %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1, 1>, group = 1 : i64} : (tensor<1x4x8x8xf32>, tensor<4x3x2x2xf32>) -> tensor<1x3x16x16xf32>
  return %0 : tensor<1x3x16x16xf32>
}

// -----

func.func @layer_norm_axis(%x: tensor<2x5x6xf32>, %s: tensor<6xf32>) -> tensor<2x5x6xf32> {
  // expected-error @+1 {{'qcc.layer_norm' op axis out of range}}
  %0 = qcc.layer_norm %x, %s {axis = 3 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x5x6xf32>, tensor<6xf32>) -> tensor<2x5x6xf32>
  return %0 : tensor<2x5x6xf32>
}

// -----

func.func @layer_norm_negative_axis(%x: tensor<2x5x6xf32>, %s: tensor<6xf32>) -> tensor<2x5x6xf32> {
  // Negative axes are normalized by the importer.
  // expected-error @+1 {{'qcc.layer_norm' op axis out of range}}
  %0 = qcc.layer_norm %x, %s {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x5x6xf32>, tensor<6xf32>) -> tensor<2x5x6xf32>
  return %0 : tensor<2x5x6xf32>
}

// -----

func.func @reduce_axes_unsorted(%x: tensor<2x5x6xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'qcc.reduce_sum' op axes must be sorted, unique and in [0, rank)}}
  %0 = qcc.reduce_sum %x {axes = array<i64: 2, 0>, keepdims = false} : (tensor<2x5x6xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @reduce_axes_duplicate(%x: tensor<2x5x6xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'qcc.reduce_max' op axes must be sorted, unique and in [0, rank)}}
  %0 = qcc.reduce_max %x {axes = array<i64: 1, 1>, keepdims = false} : (tensor<2x5x6xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @reduce_axes_out_of_range(%x: tensor<2x5x6xf32>) -> tensor<2x5x6xf32> {
  // expected-error @+1 {{'qcc.reduce_mean' op axes must be sorted, unique and in [0, rank)}}
  %0 = qcc.reduce_mean %x {axes = array<i64: 3>, keepdims = true} : (tensor<2x5x6xf32>) -> tensor<2x5x6xf32>
  return %0 : tensor<2x5x6xf32>
}

// -----

func.func @reduce_axes_negative(%x: tensor<2x5x6xf32>) -> tensor<2x5x1xf32> {
  // expected-error @+1 {{'qcc.reduce_min' op axes must be sorted, unique and in [0, rank)}}
  %0 = qcc.reduce_min %x {axes = array<i64: -1>, keepdims = true} : (tensor<2x5x6xf32>) -> tensor<2x5x1xf32>
  return %0 : tensor<2x5x1xf32>
}

// -----

func.func @reduce_result_rank_keepdims(%x: tensor<2x5x6xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'qcc.reduce_prod' op result rank must be 3}}
  %0 = qcc.reduce_prod %x {axes = array<i64: 1>, keepdims = true} : (tensor<2x5x6xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @reduce_result_rank(%x: tensor<2x5x6xf32>) -> tensor<2x1x6xf32> {
  // expected-error @+1 {{'qcc.reduce_sum' op result rank must be 2}}
  %0 = qcc.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x5x6xf32>) -> tensor<2x1x6xf32>
  return %0 : tensor<2x1x6xf32>
}

// -----

func.func @reshape_element_count(%x: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error @+1 {{'qcc.reshape' op element count changes from 6 to 7}}
  %0 = qcc.reshape %x : (tensor<2x3xf32>) -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

func.func @reshape_element_type(%x: tensor<2x3xui8>) -> tensor<6xi8> {
  // expected-error @+1 {{'qcc.reshape' op element type must not change}}
  %0 = qcc.reshape %x : (tensor<2x3xui8>) -> tensor<6xi8>
  return %0 : tensor<6xi8>
}

// -----

func.func @transpose_perm_size(%x: tensor<2x3x4xf32>) -> tensor<3x2x4xf32> {
  // expected-error @+1 {{'qcc.transpose' op perm needs 3 entries}}
  %0 = qcc.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  return %0 : tensor<3x2x4xf32>
}

// -----

func.func @transpose_not_permutation(%x: tensor<2x3x4xf32>) -> tensor<3x3x4xf32> {
  // expected-error @+1 {{'qcc.transpose' op perm is not a permutation}}
  %0 = qcc.transpose %x {perm = array<i64: 1, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<3x3x4xf32>
  return %0 : tensor<3x3x4xf32>
}

// -----

func.func @transpose_perm_out_of_range(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'qcc.transpose' op perm is not a permutation}}
  %0 = qcc.transpose %x {perm = array<i64: 2, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_result_shape(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  // expected-error @+1 {{'qcc.transpose' op result dim 0 must be input dim 1}}
  %0 = qcc.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

func.func @concat_no_inputs() -> tensor<3xf32> {
  // expected-error @+1 {{'qcc.concat' op needs at least one input}}
  %0 = qcc.concat {axis = 0 : i64} : () -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'qcc.concat' op axis out of range}}
  %0 = qcc.concat %a, %a {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'qcc.concat' op inputs must have the result's rank}}
  %0 = qcc.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_non_axis_dim(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'qcc.concat' op non-axis dim 0 differs}}
  %0 = qcc.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_axis_sum(%a: tensor<2x3xf32>, %b: tensor<2x2xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'qcc.concat' op axis dim of the result must be the sum of the inputs'}}
  %0 = qcc.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @slice_entries(%x: tensor<4x6xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'qcc.slice' op starts and steps need one entry per dim}}
  %0 = qcc.slice %x {starts = array<i64: 0>, steps = array<i64: 1, 1>} : (tensor<4x6xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @slice_zero_step(%x: tensor<4x6xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'qcc.slice' op step must not be 0}}
  %0 = qcc.slice %x {starts = array<i64: 0, 0>, steps = array<i64: 0, 1>} : (tensor<4x6xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @slice_out_of_bounds_end(%x: tensor<4x6xf32>) -> tensor<2x4xf32> {
  // Dim 1 reads 3, 4, 5, 6.
  // expected-error @+1 {{'qcc.slice' op slice of dim 1 reads out of bounds}}
  %0 = qcc.slice %x {starts = array<i64: 0, 3>, steps = array<i64: 1, 1>} : (tensor<4x6xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @slice_out_of_bounds_negative_step(%x: tensor<4x6xf32>) -> tensor<3x6xf32> {
  // Dim 0 reads 1, 0, -1.
  // expected-error @+1 {{'qcc.slice' op slice of dim 0 reads out of bounds}}
  %0 = qcc.slice %x {starts = array<i64: 1, 0>, steps = array<i64: -1, 1>} : (tensor<4x6xf32>) -> tensor<3x6xf32>
  return %0 : tensor<3x6xf32>
}

// -----

func.func @slice_start_out_of_bounds(%x: tensor<4x6xf32>) -> tensor<1x6xf32> {
  // expected-error @+1 {{'qcc.slice' op slice of dim 0 reads out of bounds}}
  %0 = qcc.slice %x {starts = array<i64: 4, 0>, steps = array<i64: 1, 1>} : (tensor<4x6xf32>) -> tensor<1x6xf32>
  return %0 : tensor<1x6xf32>
}

// -----

func.func @expand_not_broadcastable(%x: tensor<3x2xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'qcc.expand' op input does not broadcast to the result shape}}
  %0 = qcc.expand %x : (tensor<3x2xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @expand_shrinks(%x: tensor<3x4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{'qcc.expand' op input does not broadcast to the result shape}}
  %0 = qcc.expand %x : (tensor<3x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

func.func @expand_drops_rank(%x: tensor<2x3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'qcc.expand' op input does not broadcast to the result shape}}
  %0 = qcc.expand %x : (tensor<2x3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @constant_type(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'qcc.constant' op failed to verify that all of {value, result} have same type}}
  %0 = "qcc.constant"() <{value = dense<1.0> : tensor<3xf32>}> : () -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @unranked_operand(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'qcc.exp' op operand #0 must be ranked tensor of any type values}}
  %0 = "qcc.exp"(%x) : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @transpose_rank(%x: tensor<3x3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{result rank must equal the input rank}}
  %0 = qcc.transpose %x {perm = array<i64: 0, 1>} : (tensor<3x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @slice_rank(%x: tensor<4x6xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{result rank must equal the input rank}}
  %0 = qcc.slice %x {starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : (tensor<4x6xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @conv_integer_per_channel_zp(%x: tensor<1x2x5x5xui8>, %w: tensor<3x2x3x3xi8>, %wz: tensor<3xi8>) -> tensor<1x3x3x3xi32> {
  // expected-error @+1 {{w_zero_point must hold one value}}
  %0 = qcc.conv_integer %x, %w w_zp %wz {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x5x5xui8>, tensor<3x2x3x3xi8>, tensor<3xi8>) -> tensor<1x3x3x3xi32>
  return %0 : tensor<1x3x3x3xi32>
}

// -----

func.func @requantize_float_input(%x: tensor<4xf32>, %m: tensor<i32>, %zp: tensor<ui8>) -> tensor<4xui8> {
  // expected-error @+1 {{'qcc.requantize' op input, multiplier and shift must be 32-bit integers}}
  %0 = qcc.requantize %x, %m, %m, %zp : (tensor<4xf32>, tensor<i32>, tensor<i32>, tensor<ui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @requantize_zero_point_type(%x: tensor<4xi32>, %m: tensor<i32>, %zp: tensor<i8>) -> tensor<4xui8> {
  // expected-error @+1 {{'qcc.requantize' op zero point must be a scalar of the result type}}
  %0 = qcc.requantize %x, %m, %m, %zp : (tensor<4xi32>, tensor<i32>, tensor<i32>, tensor<i8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @requantize_broadcast(%x: tensor<2x4xi32>, %m: tensor<3x1xi32>, %zp: tensor<ui8>) -> tensor<2x4xui8> {
  // expected-error @+1 {{'qcc.requantize' op multiplier does not broadcast against the input}}
  %0 = qcc.requantize %x, %m, %m, %zp : (tensor<2x4xi32>, tensor<3x1xi32>, tensor<3x1xi32>, tensor<ui8>) -> tensor<2x4xui8>
  return %0 : tensor<2x4xui8>
}

// -----

func.func @lookup_table_size(%x: tensor<4xui8>, %t: tensor<128xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{'qcc.lookup' op table must have 256 entries}}
  %0 = qcc.lookup %x, %t : (tensor<4xui8>, tensor<128xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @layer_norm_integer_gain_shape(%x: tensor<2x4xui8>, %g: tensor<3xi32>, %b: tensor<4xi64>, %z: tensor<ui8>) -> tensor<2x4xui8> {
  // expected-error @+1 {{'qcc.layer_norm_integer' op gain (i32) and bias (i64) must have the normalized dims' shape}}
  %0 = qcc.layer_norm_integer %x, %g, %b, %z {axis = 1 : i64, gain_shift = 24 : i64, offset = 1 : i64, pre_shift = 15 : i64} : (tensor<2x4xui8>, tensor<3xi32>, tensor<4xi64>, tensor<ui8>) -> tensor<2x4xui8>
  return %0 : tensor<2x4xui8>
}

// -----

func.func @layer_norm_integer_overflow(%x: tensor<2x4xui8>, %g: tensor<4xi32>, %b: tensor<4xi64>, %z: tensor<ui8>) -> tensor<2x4xui8> {
  // expected-error @+1 {{'qcc.layer_norm_integer' op offset must be >= 1 and the shifted variance sum must stay under 2^63}}
  %0 = qcc.layer_norm_integer %x, %g, %b, %z {axis = 1 : i64, gain_shift = 24 : i64, offset = 1 : i64, pre_shift = 20 : i64} : (tensor<2x4xui8>, tensor<4xi32>, tensor<4xi64>, tensor<ui8>) -> tensor<2x4xui8>
  return %0 : tensor<2x4xui8>
}

// -----

func.func @layer_norm_integer_zero_point(%x: tensor<2x4xui8>, %g: tensor<4xi32>, %b: tensor<4xi64>, %z: tensor<i8>) -> tensor<2x4xui8> {
  // expected-error @+1 {{'qcc.layer_norm_integer' op zero point must be a scalar of the result type}}
  %0 = qcc.layer_norm_integer %x, %g, %b, %z {axis = 1 : i64, gain_shift = 24 : i64, offset = 1 : i64, pre_shift = 15 : i64} : (tensor<2x4xui8>, tensor<4xi32>, tensor<4xi64>, tensor<i8>) -> tensor<2x4xui8>
  return %0 : tensor<2x4xui8>
}
