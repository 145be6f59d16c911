// RUN: qcc-opt %s -split-input-file --qcc-pack-int8-contractions | FileCheck %s

// GEMV-like: the weights walk the output's rows, so they are the vector
// operand [K/4, N, 4]; the activation's 4 bytes are broadcast. K = 18 pads
// to 20 (zero weights); the zero point 7 leaves the product as
// -7 * (sum of each column's weights) in the accumulator's initial value.
// CHECK-LABEL: func.func @matmul_u8
// CHECK: %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 0] high[0, 2]
// CHECK: %[[ACT:.*]] = linalg.generic {{.*}} ins(%[[PAD]] : tensor<2x20xi8>) outs(%{{.*}} : tensor<2x5x4xi8>)
// CHECK: %[[W:.*]] = arith.constant dense<"0x0101{{.*}}0000"> : tensor<5x16x4xi8>
// CHECK: %[[TERM:.*]] = arith.constant dense<-126> : tensor<16xi32>
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[TERM]] : tensor<2x16xi32>, tensor<16xi32>)
// CHECK: arith.addi
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%[[ACT]], %[[W]] : tensor<2x5x4xi8>, tensor<5x16x4xi8>) outs(%[[INIT]] : tensor<2x16xi32>) attrs = {qcc.int8_dot = "x86-avx512-vnni"}
// CHECK: arith.extui
// CHECK: arith.extsi
// CHECK-NOT: arith.subi
#mA = affine_map<(m, k, n) -> (m, k)>
#mB = affine_map<(m, k, n) -> (k, n)>
#mC = affine_map<(m, k, n) -> (m, n)>
func.func @matmul_u8(%a: tensor<2x18xi8>, %c: tensor<2x16xi32>) -> tensor<2x16xi32> {
  %w = arith.constant dense<1> : tensor<18x16xi8>
  %0 = linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %w : tensor<2x18xi8>, tensor<18x16xi8>) outs(%c : tensor<2x16xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %zp = arith.constant 7 : i32
    %xe = arith.extui %x : i8 to i32
    %xs = arith.subi %xe, %zp : i32
    %ye = arith.extsi %y : i8 to i32
    %m = arith.muli %xs, %ye : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  } -> tensor<2x16xi32>
  return %0 : tensor<2x16xi32>
}

// -----

// A convolution after im2col: the activation walks the output positions
// (vector operand [K/4, S, 4]); each output channel's 4 weight bytes are
// broadcast. Signed activations are biased to unsigned (xor 0x80) and the
// bias joins the zero point: (0 + 128) * sum(w) = 128 * 16 per channel.
// CHECK-LABEL: func.func @conv_i8
// CHECK: %[[ACT:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<16x32xi8>) outs(%{{.*}} : tensor<4x32x4xi8>)
// CHECK: %[[BIAS:.*]] = arith.constant -128 : i8
// CHECK: arith.xori %{{.*}}, %[[BIAS]] : i8
// CHECK: %[[W:.*]] = arith.constant dense<1> : tensor<4x4x4xi8>
// CHECK: arith.constant dense<-2048> : tensor<4xi32>
// CHECK: linalg.generic {{.*}} ins(%[[ACT]], %[[W]] : tensor<4x32x4xi8>, tensor<4x4x4xi8>) {{.*}} attrs = {qcc.int8_dot = "x86-avx512-vnni"}
#mX = affine_map<(o, s, k) -> (k, s)>
#mW = affine_map<(o, s, k) -> (o, k)>
#mY = affine_map<(o, s, k) -> (o, s)>
func.func @conv_i8(%x: tensor<16x32xi8>, %c: tensor<4x32xi32>) -> tensor<4x32xi32> {
  %w = arith.constant dense<1> : tensor<4x16xi8>
  %0 = linalg.generic {indexing_maps = [#mX, #mW, #mY], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<16x32xi8>, tensor<4x16xi8>) outs(%c : tensor<4x32xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %ae = arith.extsi %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %m = arith.muli %ae, %be : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  } -> tensor<4x32xi32>
  return %0 : tensor<4x32xi32>
}

// -----

// Weights that are not constants, or that have a zero point, keep the
// generic path.
// CHECK-LABEL: func.func @not_packed
// CHECK-NOT: qcc.int8_dot
// CHECK: return
#mA = affine_map<(m, k, n) -> (m, k)>
#mB = affine_map<(m, k, n) -> (k, n)>
#mC = affine_map<(m, k, n) -> (m, n)>
func.func @not_packed(%a: tensor<2x16xi8>, %b: tensor<16x16xi8>, %c: tensor<2x16xi32>) -> (tensor<2x16xi32>, tensor<2x16xi32>) {
  %0 = linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : tensor<2x16xi8>, tensor<16x16xi8>) outs(%c : tensor<2x16xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %m = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  } -> tensor<2x16xi32>
  %w = arith.constant dense<3> : tensor<16x16xi8>
  %1 = linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %w : tensor<2x16xi8>, tensor<16x16xi8>) outs(%c : tensor<2x16xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %zp = arith.constant 1 : i32
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %yz = arith.subi %ye, %zp : i32
    %m = arith.muli %xe, %yz : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  } -> tensor<2x16xi32>
  return %0, %1 : tensor<2x16xi32>, tensor<2x16xi32>
}

// -----

// A zero point computed at run time (dynamic quantization) multiplies the
// constant weight sums in the initial-value loop.
// CHECK-LABEL: func.func @runtime_zero_point
// CHECK: %[[SUMS:.*]] = arith.constant dense<16> : tensor<16xi32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[SUMS]], %{{.*}} : tensor<2x16xi32>, tensor<16xi32>, tensor<i8>)
// CHECK: arith.extui
// CHECK: arith.muli
// CHECK: arith.subi
// CHECK: qcc.int8_dot
#mA = affine_map<(m, k, n) -> (m, k)>
#mB = affine_map<(m, k, n) -> (k, n)>
#mZ = affine_map<(m, k, n) -> ()>
#mC = affine_map<(m, k, n) -> (m, n)>
func.func @runtime_zero_point(%a: tensor<2x16xi8>, %zp: tensor<i8>, %c: tensor<2x16xi32>) -> tensor<2x16xi32> {
  %w = arith.constant dense<1> : tensor<16x16xi8>
  %0 = linalg.generic {indexing_maps = [#mA, #mB, #mZ, #mC], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %w, %zp : tensor<2x16xi8>, tensor<16x16xi8>, tensor<i8>) outs(%c : tensor<2x16xi32>) {
  ^bb0(%x: i8, %y: i8, %z: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %ze = arith.extui %z : i8 to i32
    %xs = arith.subi %xe, %ze : i32
    %ye = arith.extsi %y : i8 to i32
    %m = arith.muli %xs, %ye : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  } -> tensor<2x16xi32>
  return %0 : tensor<2x16xi32>
}

// -----

// A zero-filled accumulator folds into the zero-point term: the initial
// value reads only the term (`qcc.int8_prologue`). The only reader of the
// result, through a reshape, is an elementwise generic: it is marked
// `qcc.epilogue` and moved right after the contraction (past the
// unrelated negation), with a tensor.empty of its own before it.
// CHECK-LABEL: func.func @prologue_epilogue
// CHECK: %[[TERM:.*]] = arith.constant dense<-32> : tensor<4xi32>
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[TERM]] : tensor<4xi32>) outs(%{{.*}} : tensor<4x32xi32>) attrs = {qcc.int8_prologue}
// CHECK: %[[OUT:.*]] = tensor.empty() : tensor<2x2x32xi8>
// CHECK: %[[DOT:.*]] = linalg.generic {{.*}} outs(%[[INIT]] : tensor<4x32xi32>) attrs = {qcc.int8_dot = "x86-avx512-vnni"}
// CHECK: %[[R:.*]] = tensor.expand_shape %[[DOT]]
// CHECK: linalg.generic {{.*}} ins(%[[R]], %{{.*}} : tensor<2x2x32xi32>, tensor<2xf32>) outs(%[[OUT]] : tensor<2x2x32xi8>) attrs = {qcc.epilogue}
// CHECK: arith.negf
#mX = affine_map<(o, s, k) -> (k, s)>
#mW = affine_map<(o, s, k) -> (o, k)>
#mY = affine_map<(o, s, k) -> (o, s)>
#id3 = affine_map<(c, h, w) -> (c, h, w)>
#ch = affine_map<(c, h, w) -> (c)>
func.func @prologue_epilogue(%x: tensor<16x32xi8>, %scale: tensor<2xf32>, %f: tensor<8xf32>) -> (tensor<2x2x32xi8>, tensor<8xf32>) {
  %w = arith.constant dense<1> : tensor<4x16xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<4x32xi32>
  %c = linalg.fill ins(%zero : i32) outs(%e : tensor<4x32xi32>) -> tensor<4x32xi32>
  %0 = linalg.generic {indexing_maps = [#mX, #mW, #mY], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<16x32xi8>, tensor<4x16xi8>) outs(%c : tensor<4x32xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %zp = arith.constant 2 : i32
    %ae = arith.extui %a : i8 to i32
    %as = arith.subi %ae, %zp : i32
    %be = arith.extsi %b : i8 to i32
    %m = arith.muli %as, %be : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  } -> tensor<4x32xi32>
  %neg = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%f : tensor<8xf32>) outs(%f : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<8xf32>
  %r = tensor.expand_shape %0 [[0, 1], [2]] output_shape [2, 2, 32] : tensor<4x32xi32> into tensor<2x2x32xi32>
  %e8 = tensor.empty() : tensor<2x2x32xi8>
  %q = linalg.generic {indexing_maps = [#id3, #ch, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%r, %scale : tensor<2x2x32xi32>, tensor<2xf32>) outs(%e8 : tensor<2x2x32xi8>) {
  ^bb0(%a: i32, %s: f32, %o: i8):
    %fl = arith.sitofp %a : i32 to f32
    %m = arith.mulf %fl, %s : f32
    %u = arith.fptoui %m : f32 to i8
    linalg.yield %u : i8
  } -> tensor<2x2x32xi8>
  return %q, %neg : tensor<2x2x32xi8>, tensor<8xf32>
}
