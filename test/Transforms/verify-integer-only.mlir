// RUN: qcc-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(qcc-verify-integer-only))'

// The float boundary (input quantization, output dequantization, their
// scales) is allowed; integer ops inside are.
func.func @boundary(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = qcc.constant dense<0.5> : tensor<f32>
  %zp = qcc.constant dense<3> : tensor<ui8>
  %q = qcc.quantize_linear %x, %s, %zp {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xui8>
  %r = qcc.max %q, %zp : (tensor<4xui8>, tensor<ui8>) -> tensor<4xui8>
  %y = qcc.dequantize_linear %r, %s, %zp {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Float arithmetic between them is an error at each op, the dequantization
// that feeds it included.
func.func @inside(%x: tensor<4xf32>) -> tensor<4xui8> {
  %s = qcc.constant dense<0.5> : tensor<f32>
  %q = qcc.quantize_linear %x, %s {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>) -> tensor<4xui8>
  // expected-error @+1 {{--integer-only: 'qcc.dequantize_linear' computes in floating point}}
  %d = qcc.dequantize_linear %q, %s {axis = 0 : i64} : (tensor<4xui8>, tensor<f32>) -> tensor<4xf32>
  // expected-error @+1 {{--integer-only: 'qcc.sigmoid' computes in floating point (no integer-only form yet)}}
  %g = qcc.sigmoid %d : tensor<4xf32>
  %r = qcc.quantize_linear %g, %s {axis = 0 : i64} : (tensor<4xf32>, tensor<f32>) -> tensor<4xui8>
  return %r : tensor<4xui8>
}
