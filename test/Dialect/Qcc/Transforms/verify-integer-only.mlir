// RUN: qcc-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(qcc-verify-integer-only))'

// Integer ops on integer inputs and outputs pass.
func.func @integer(%x: tensor<4xui8>) -> tensor<4xui8> {
  %zp = qcc.constant dense<3> : tensor<ui8>
  %r = qcc.max %x, %zp : (tensor<4xui8>, tensor<ui8>) -> tensor<4xui8>
  return %r : tensor<4xui8>
}

// -----

// An edge conversion qcc-integer-io could not move to the caller (here
// per-axis) is reported as such.
func.func @edge(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %s = qcc.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %zp = qcc.constant dense<3> : tensor<2xui8>
  // expected-error @+1 {{'qcc.quantize_linear' quantizes a model input that cannot become an integer input}}
  %q = qcc.quantize_linear %x, %s, %zp {axis = 0 : i64} : (tensor<2x4xf32>, tensor<2xf32>, tensor<2xui8>) -> tensor<2x4xui8>
  // expected-error @+1 {{'qcc.dequantize_linear' dequantizes a model output that cannot become an integer output}}
  %y = qcc.dequantize_linear %q, %s, %zp {axis = 0 : i64} : (tensor<2x4xui8>, tensor<2xf32>, tensor<2xui8>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Float arithmetic between them is an error at each op, the dequantization
// that feeds it included.
func.func @inside(%x: tensor<4xui8>) -> tensor<4xui8> {
  %s = qcc.constant dense<0.5> : tensor<f32>
  // expected-error @+1 {{--integer-only: 'qcc.dequantize_linear' computes in floating point}}
  %d = qcc.dequantize_linear %x, %s {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>) -> tensor<4xf32>
  // expected-error @+1 {{--integer-only: 'qcc.sigmoid' computes in floating point (no integer-only form yet)}}
  %g = qcc.sigmoid %d : tensor<4xf32>
  %r = qcc.quantize_linear %g, %s {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>) -> tensor<4xui8>
  return %r : tensor<4xui8>
}
