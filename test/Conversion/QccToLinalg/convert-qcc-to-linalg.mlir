// RUN: qcc-opt %s -split-input-file --convert-qcc-to-linalg | FileCheck %s

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK-NEXT: linalg.yield %[[S]] : f32
// CHECK: return %[[R]]
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = qcc.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Size-1 dims read index 0.
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @mul_broadcast_both
// CHECK: linalg.generic {indexing_maps = [#[[COL]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK: arith.mulf
func.func @mul_broadcast_both(%a: tensor<2x1xf32>, %b: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %0 = qcc.mul %a, %b : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @unary
// CHECK: linalg.generic
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: arith.maximumf %{{.*}}, %[[Z]] : f32
// CHECK: linalg.generic
// CHECK: math.exp
// CHECK: linalg.generic
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
// CHECK: linalg.generic
// CHECK: math.roundeven
func.func @unary(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = qcc.relu %x : tensor<4xf32>
  %1 = qcc.exp %x : tensor<4xf32>
  %2 = qcc.sigmoid %x : tensor<4xf32>
  %3 = qcc.round %x : tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @unary_attrs
// CHECK: math.erf
// CHECK: %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[MAX:.*]] = arith.maximumf %{{.*}}, %[[LO]] : f32
// CHECK: %[[HI:.*]] = arith.constant 6.000000e+00 : f32
// CHECK: arith.minimumf %[[MAX]], %[[HI]] : f32
// CHECK: %[[ALPHA:.*]] = arith.constant 1.000000e-01 : f32
// CHECK: %[[SCALED:.*]] = arith.mulf %[[IN:.*]], %[[ALPHA]] : f32
// CHECK: %[[NEG:.*]] = arith.cmpf olt, %[[IN]], %{{.*}} : f32
// CHECK: arith.select %[[NEG]], %[[SCALED]], %[[IN]] : f32
func.func @unary_attrs(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = qcc.gelu %x {approximate = "none"} : tensor<4xf32>
  %1 = qcc.clip %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<4xf32>
  %2 = qcc.leaky_relu %x {alpha = 0.1 : f32} : tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Unsigned types become signless; the arithmetic keeps them unsigned.
// CHECK-LABEL: func.func @unsigned
// CHECK-SAME: (%[[A:.*]]: tensor<4xi8>, %[[B:.*]]: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi1>, tensor<4xf32>, tensor<4xi8>, tensor<4xi8>)
// CHECK: linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<4xi8>, tensor<4xi8>) outs(%{{.*}} : tensor<4xi8>)
// CHECK: arith.divui %{{.*}}, %{{.*}} : i8
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4xi1>)
// CHECK: arith.cmpi ult, %{{.*}}, %{{.*}} : i8
// CHECK: arith.uitofp %{{.*}} : i8 to f32
// CHECK: arith.maxui %{{.*}}, %{{.*}} : i8
// CHECK: arith.remui %{{.*}}, %{{.*}} : i8
// CHECK-NOT: qcc.
// CHECK-NOT: ui8
func.func @unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xi1>, tensor<4xf32>, tensor<4xui8>, tensor<4xui8>) {
  %0 = qcc.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = qcc.less %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  %2 = qcc.cast %a : tensor<4xui8> to tensor<4xf32>
  %3 = qcc.max %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %4 = qcc.mod %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0, %1, %2, %3, %4 : tensor<4xui8>, tensor<4xi1>, tensor<4xf32>, tensor<4xui8>, tensor<4xui8>
}

// -----

// Unsigned constants keep their bits.
// CHECK-LABEL: func.func @unsigned_constant
// CHECK: %[[C:.*]] = arith.constant dense<[-56, 1]> : tensor<2xi8>
// CHECK: return %[[C]] : tensor<2xi8>
func.func @unsigned_constant() -> tensor<2xui8> {
  %0 = qcc.constant dense<[200, 1]> : tensor<2xui8>
  return %0 : tensor<2xui8>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @compare
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xi1>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[ID]]], {{.*}} outs(%[[E]] : tensor<4xi1>)
// CHECK: ^bb0(%{{.*}}: f32, %{{.*}}: f32, %{{.*}}: i1):
// CHECK: arith.cmpf ogt
// CHECK: -> tensor<4xi1>
// CHECK: arith.cmpi sle, %{{.*}}, %{{.*}} : i64
// CHECK: arith.cmpf oeq
func.func @compare(%a: tensor<4xf32>, %b: tensor<f32>, %i: tensor<4xi64>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = qcc.greater %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  %1 = qcc.less_or_equal %i, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  %2 = qcc.equal %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  return %0, %1, %2 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// CHECK-LABEL: func.func @where
// CHECK: linalg.generic
// CHECK: ^bb0(%[[C:.*]]: i1, %[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK: arith.select %[[C]], %[[X]], %[[Y]] : f32
func.func @where(%c: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<f32>) -> tensor<4xf32> {
  %0 = qcc.where %c, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Signed Mod takes the sign of the divisor.
// CHECK-LABEL: func.func @mod_signed
// CHECK: %[[R:.*]] = arith.remsi %[[A:.*]], %[[B:.*]] : i32
// CHECK: %[[NZ:.*]] = arith.cmpi ne, %[[R]]
// CHECK: arith.xori
// CHECK: %[[FIX:.*]] = arith.andi %[[NZ]]
// CHECK: %[[ADJ:.*]] = arith.addi %[[R]], %[[B]] : i32
// CHECK: arith.select %[[FIX]], %[[ADJ]], %[[R]] : i32
func.func @mod_signed(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = qcc.mod %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @casts
// CHECK: arith.fptosi %{{.*}} : f32 to i64
// CHECK: arith.fptoui %{{.*}} : f32 to i8
// CHECK: arith.sitofp %{{.*}} : i32 to f32
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: arith.cmpf une, %{{.*}}, %[[Z]] : f32
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: arith.extui %{{.*}} : i1 to i64
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.extui %{{.*}} : i8 to i32
func.func @casts(%f: tensor<4xf32>, %i: tensor<4xi32>, %b: tensor<4xi1>, %h: tensor<4xf16>, %u: tensor<4xui8>)
    -> (tensor<4xi64>, tensor<4xui8>, tensor<4xf32>, tensor<4xi1>, tensor<4xf32>, tensor<4xf16>, tensor<4xi8>, tensor<4xi64>, tensor<4xi64>, tensor<4xi32>) {
  %0 = qcc.cast %f : tensor<4xf32> to tensor<4xi64>
  %1 = qcc.cast %f : tensor<4xf32> to tensor<4xui8>
  %2 = qcc.cast %i : tensor<4xi32> to tensor<4xf32>
  %3 = qcc.cast %f : tensor<4xf32> to tensor<4xi1>
  %4 = qcc.cast %h : tensor<4xf16> to tensor<4xf32>
  %5 = qcc.cast %f : tensor<4xf32> to tensor<4xf16>
  %6 = qcc.cast %i : tensor<4xi32> to tensor<4xi8>
  %7 = qcc.cast %b : tensor<4xi1> to tensor<4xi64>
  %8 = qcc.cast %i : tensor<4xi32> to tensor<4xi64>
  %9 = qcc.cast %u : tensor<4xui8> to tensor<4xi32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<4xi64>, tensor<4xui8>, tensor<4xf32>, tensor<4xi1>, tensor<4xf32>, tensor<4xf16>, tensor<4xi8>, tensor<4xi64>, tensor<4xi64>, tensor<4xi32>
}

// -----

// The rest of the unary family: one generic each, the scalar op inside.
// CHECK-LABEL: func.func @more_unary
// CHECK: math.sqrt
// CHECK: math.log
// CHECK: math.erf
// CHECK: math.tanh
// CHECK: arith.negf
// CHECK: math.absf
// CHECK: math.floor
// CHECK: math.ceil
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: arith.divf %[[ONE]], %{{.*}} : f32
// CHECK: math.sin
// CHECK: math.cos
// Sign: 1, 0 or -1, NaN kept.
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf uno
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK-NEXT: arith.xori %{{.*}}, %[[TRUE]] : i1
// Softplus without overflow: max(x, 0) + log1p(exp(-|x|)).
// CHECK: math.absf
// CHECK: math.exp
// CHECK: math.log1p
// CHECK: arith.constant 0.166666672 : f32
// CHECK: math.expm1
// CHECK: arith.constant 2.000000e-01 : f32
// CHECK: arith.minimumf
func.func @more_unary(%x: tensor<4xf32>, %b: tensor<4xi1>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi1>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = qcc.sqrt %x : tensor<4xf32>
  %1 = qcc.log %x : tensor<4xf32>
  %2 = qcc.erf %x : tensor<4xf32>
  %3 = qcc.tanh %x : tensor<4xf32>
  %4 = qcc.neg %x : tensor<4xf32>
  %5 = qcc.abs %x : tensor<4xf32>
  %6 = qcc.floor %x : tensor<4xf32>
  %7 = qcc.ceil %x : tensor<4xf32>
  %8 = qcc.reciprocal %x : tensor<4xf32>
  %9 = qcc.sin %x : tensor<4xf32>
  %10 = qcc.cos %x : tensor<4xf32>
  %11 = qcc.sign %x : tensor<4xf32>
  %12 = qcc.not %b : tensor<4xi1>
  %13 = qcc.softplus %x : tensor<4xf32>
  %14 = qcc.hard_swish %x : tensor<4xf32>
  %15 = qcc.elu %x {alpha = 1.0 : f32} : tensor<4xf32>
  %16 = qcc.hard_sigmoid %x {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi1>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @more_binary
// CHECK: arith.subf
// CHECK: math.powf %{{.*}}, %{{.*}} : f32
// CHECK: arith.minimumf
// CHECK: arith.remf
// CHECK: arith.cmpf olt
// CHECK: arith.mulf
// CHECK: arith.select
// CHECK: arith.cmpf oge
// CHECK: arith.andi
// CHECK: arith.ori
// CHECK: arith.xori
// Integer fmod keeps the dividend's sign: a plain remsi.
// CHECK: %[[R:.*]] = arith.remsi
// CHECK-NEXT: linalg.yield %[[R]] : i32
// Integer Pow computes in f64.
// CHECK: arith.sitofp %{{.*}} : i32 to f64
// CHECK: math.powf %{{.*}}, %{{.*}} : f64
// CHECK: arith.fptosi %{{.*}} : f64 to i32
func.func @more_binary(%a: tensor<4xf32>, %b: tensor<4xf32>, %p: tensor<4xi1>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi32>, tensor<4xi32>) {
  %0 = qcc.sub %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = qcc.pow %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = qcc.min %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = qcc.fmod %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = qcc.prelu %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %5 = qcc.greater_or_equal %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %6 = qcc.and %p, %p : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %7 = qcc.or %p, %p : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %8 = qcc.xor %p, %p : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %9 = qcc.fmod %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %10 = qcc.pow %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi32>, tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @more_reductions
// CHECK: %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK: linalg.fill ins(%[[INF]] : f32)
// CHECK: arith.minimumf
// CHECK: %[[ONE:.*]] = arith.constant 1 : i32
// CHECK: linalg.fill ins(%[[ONE]] : i32)
// CHECK: arith.muli
// CHECK: %[[MAX:.*]] = arith.constant 2147483647 : i32
// CHECK: linalg.fill ins(%[[MAX]] : i32)
// select_last_index: ties replace the best index.
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]
// CHECK: arith.cmpi sle
// CHECK: tensor.expand_shape %{{.*}} into tensor<1x3xi64>
func.func @more_reductions(%x: tensor<2x3xf32>, %i: tensor<2x3xi32>) -> (tensor<2xf32>, tensor<3xi32>, tensor<1x3xi64>) {
  %0 = qcc.reduce_min %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  %1 = qcc.reduce_prod %i {axes = array<i64: 0>, keepdims = false} : (tensor<2x3xi32>) -> tensor<3xi32>
  %2 = qcc.argmin %i {axis = 0 : i64, keepdims = true, select_last_index = true} : (tensor<2x3xi32>) -> tensor<1x3xi64>
  return %0, %1, %2 : tensor<2xf32>, tensor<3xi32>, tensor<1x3xi64>
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

// -----

// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<3x4xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x4xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<2x4xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[Y]] : tensor<2x3xf32>, tensor<3x4xf32>) outs(%[[F]] : tensor<2x4xf32>)
// CHECK: ^bb0(%[[I:.*]]: f32, %[[J:.*]]: f32, %[[O:.*]]: f32):
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[I]], %[[J]] : f32
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[O]], %[[P]] : f32
// CHECK-NEXT: linalg.yield %[[S]]
// CHECK: return %[[R]]
func.func @matmul_2d(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = qcc.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// The batch dim of B broadcasts through its map: no copy.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (0, d3, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul_batched
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<5x2x3xf32>, tensor<1x3x4xf32>) outs(%{{.*}} : tensor<5x2x4xf32>)
func.func @matmul_batched(%a: tensor<5x2x3xf32>, %b: tensor<1x3x4xf32>) -> tensor<5x2x4xf32> {
  %0 = qcc.matmul %a, %b : (tensor<5x2x3xf32>, tensor<1x3x4xf32>) -> tensor<5x2x4xf32>
  return %0 : tensor<5x2x4xf32>
}

// -----

// 1-D operands are promoted to matrices and the result collapsed back.
// CHECK-LABEL: func.func @matmul_1d
// CHECK-SAME: (%[[V:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3x4xf32>)
// CHECK: %[[ROW:.*]] = tensor.expand_shape %[[V]] {{\[\[}}0, 1]] output_shape [1, 3] : tensor<3xf32> into tensor<1x3xf32>
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[ROW]], %[[M]] : tensor<1x3xf32>, tensor<3x4xf32>) outs(%{{.*}} : tensor<1x4xf32>)
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[R]] {{\[\[}}0, 1]] : tensor<1x4xf32> into tensor<4xf32>
// CHECK: return %[[C]]
func.func @matmul_1d(%a: tensor<3xf32>, %b: tensor<3x4xf32>) -> tensor<4xf32> {
  %0 = qcc.matmul %a, %b : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @matvec
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [3, 1] : tensor<3xf32> into tensor<3x1xf32>
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x1xf32>)
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<2x1xf32> into tensor<2xf32>
func.func @matvec(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2xf32> {
  %0 = qcc.matmul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// transB is a transposed map, C a broadcast epilogue with alpha and beta.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[BT:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @gemm
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[W:.*]]: tensor<4x3xf32>, %[[BIAS:.*]]: tensor<4xf32>)
// CHECK: %[[AB:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[BT]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[W]] : tensor<2x3xf32>, tensor<4x3xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[AB]], %[[BIAS]] : tensor<2x4xf32>, tensor<4xf32>)
// CHECK: ^bb0(%[[P:.*]]: f32, %[[Q:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ALPHA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[PA:.*]] = arith.mulf %[[P]], %[[ALPHA]] : f32
// CHECK: %[[BETA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: %[[QB:.*]] = arith.mulf %[[Q]], %[[BETA]] : f32
// CHECK: arith.addf %[[PA]], %[[QB]] : f32
// CHECK: return %[[R]]
func.func @gemm(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = qcc.gemm %a, %b, %c {alpha = 0.5 : f32, beta = 2.0 : f32, transA = false, transB = true} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Without C and with alpha = 1, the contraction is the result.
// CHECK-DAG: #[[AT:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-LABEL: func.func @gemm_trans_a
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[AT]], {{.*}}], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]
func.func @gemm_trans_a(%a: tensor<3x2xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = qcc.gemm %a, %b {alpha = 1.0 : f32, beta = 1.0 : f32, transA = true, transB = false} : (tensor<3x2xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

// -----

// Loops (n, g, oc/g, o..., ic/g, k...): pads become tensor.pad, the bias
// the broadcast init, and channels are split into groups by expand_shape.
// CHECK-DAG: #[[BIASMAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>, %[[WT:.*]]: tensor<4x3x3x3xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[ZERO]] : f32
// CHECK: } : tensor<1x3x8x8xf32> to tensor<1x3x10x10xf32>
// CHECK: %[[B4:.*]] = tensor.expand_shape %[[B]] {{\[\[}}0, 1, 2, 3]] output_shape [1, 4, 1, 1]
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[BIASMAP]], {{.*}}]{{.*}} ins(%[[B4]] : tensor<1x4x1x1xf32>) outs(%{{.*}} : tensor<1x4x4x4xf32>)
// CHECK-DAG: tensor.expand_shape %[[PAD]] {{.*}} into tensor<1x1x3x10x10xf32>
// CHECK-DAG: %[[GW:.*]] = tensor.expand_shape %[[WT]] {{.*}} into tensor<1x4x3x3x3xf32>
// CHECK-DAG: %[[GOUT:.*]] = tensor.expand_shape %[[INIT]] {{.*}} into tensor<1x1x4x4x4xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [{{.*}}, #[[W]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%{{.*}}, %[[GW]] : {{.*}}, tensor<1x4x3x3x3xf32>) outs(%[[GOUT]] : tensor<1x1x4x4x4xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[R]] {{.*}} into tensor<1x4x4x4xf32>
// CHECK: return %[[C]]
func.func @conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = qcc.conv %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Depthwise: one input channel per group; no pads, no tensor.pad. At unit
// stride the windows are read in place (h + 2 kh with dilation 2): no
// im2col copy.
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6 * 2, d4 + d7 * 2)>
// CHECK-LABEL: func.func @depthwise
// CHECK-NOT: tensor.pad
// CHECK: linalg.fill
// CHECK-DAG: %[[GX:.*]] = tensor.expand_shape %{{.*}} into tensor<1x4x1x6x6xf32>
// CHECK-DAG: %[[GW:.*]] = tensor.expand_shape %{{.*}} into tensor<4x1x1x3x3xf32>
// CHECK-DAG: %[[GOUT:.*]] = tensor.expand_shape %{{.*}} into tensor<1x4x1x2x2xf32>
// CHECK-NOT: linalg.generic
// CHECK: linalg.generic {indexing_maps = [#[[WIN]], {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[GX]], %[[GW]] : tensor<1x4x1x6x6xf32>, tensor<4x1x1x3x3xf32>) outs(%[[GOUT]] : tensor<1x4x1x2x2xf32>)
// CHECK: tensor.collapse_shape %{{.*}} into tensor<1x4x2x2xf32>
func.func @depthwise(%x: tensor<1x4x6x6xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x2x2xf32> {
  %0 = qcc.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 2, 2>, group = 4 : i64} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

// Overlapping windows (kernel 3, stride 2): a stride-1 convolution of the
// zero-upsampled, padded input with the spatially flipped kernel; the
// weight map reads (g, ic/g, oc/g, k...).
// CHECK-DAG: #[[FLIP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, -d2 + 2, -d3 + 2)>
// CHECK-DAG: #[[WT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d5, d2, d6, d7)>
// CHECK-LABEL: func.func @conv_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x3x3xf32>, %[[W:.*]]: tensor<4x2x3x3xf32>, %{{.*}}: tensor<2xf32>)
// CHECK: %[[ZEROS:.*]] = linalg.fill {{.*}} -> tensor<1x4x5x5xf32>
// CHECK: %[[UP:.*]] = tensor.insert_slice %[[X]] into %[[ZEROS]][0, 0, 0, 0] [1, 4, 3, 3] [1, 1, 2, 2]
// CHECK: %[[PAD:.*]] = tensor.pad %[[UP]] low[0, 0, 2, 2] high[0, 0, 2, 2]
// CHECK: } : tensor<1x4x5x5xf32> to tensor<1x4x9x9xf32>
// CHECK: %[[FLIPPED:.*]] = linalg.generic {indexing_maps = [#[[FLIP]], {{.*}}]{{.*}} ins(%[[W]] : tensor<4x2x3x3xf32>)
// CHECK: tensor.expand_shape %[[FLIPPED]] {{.*}} into tensor<1x4x2x3x3xf32>
// CHECK: linalg.generic {indexing_maps = [{{.*}}, #[[WT]], {{.*}}]
// CHECK-SAME: outs(%{{.*}} : tensor<1x1x2x7x7xf32>)
// CHECK: tensor.collapse_shape %{{.*}} into tensor<1x2x7x7xf32>
func.func @conv_transpose(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x7x7xf32> {
  %0 = qcc.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x7x7xf32>
  return %0 : tensor<1x2x7x7xf32>
}

// -----

// Windows that tile the output (kernel 2, stride 2): a contraction over
// input channels into (n, a1, a2, oc, i1, i2), no upsampled zeros, then a
// copy to (n, oc, i1, a1, i2, a2) that adds the bias.
// CHECK-DAG: #[[TX:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d6, d4, d5)>
// CHECK-DAG: #[[TW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d6, d1, d2, d3)>
// CHECK-DAG: #[[TY:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, d3, d1, d4, d5)>
// CHECK-DAG: #[[TREAD:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, d5, d1, d2, d4)>
// CHECK-LABEL: func.func @conv_transpose_tiling
// CHECK-NOT: tensor.insert_slice
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[TX]], #[[TW]], #[[TY]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: outs(%{{.*}} : tensor<1x2x2x2x3x3xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[TREAD]], {{.*}}]{{.*}} ins(%[[Y]], %{{.*}} : tensor<1x2x2x2x3x3xf32>, tensor<2xf32>) outs(%{{.*}} : tensor<1x2x3x2x3x2xf32>)
// CHECK: arith.addf
// CHECK: tensor.collapse_shape %{{.*}} into tensor<1x2x6x6xf32>
func.func @conv_transpose_tiling(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x2x2xf32>, %b: tensor<2xf32>) -> tensor<1x2x6x6xf32> {
  %0 = qcc.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x2x2xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32>
  return %0 : tensor<1x2x6x6xf32>
}

// -----

// ceil_mode: the result needs one more row and column than the input has;
// they are padded with -inf.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEGINF]]
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<1x2x3x3xf32>)
// CHECK: %[[WINDOW:.*]] = tensor.empty() : tensor<2x2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[WIN]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[PAD]], %[[WINDOW]] : tensor<1x2x6x6xf32>, tensor<2x2xf32>) outs(%[[INIT]] : tensor<1x2x3x3xf32>)
// CHECK: arith.maximumf
func.func @max_pool_ceil(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = qcc.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Integer max pool pads with the type's lowest value.
// CHECK-LABEL: func.func @max_pool_unsigned
// CHECK: %[[LOW:.*]] = arith.constant 0 : i8
// CHECK: tensor.pad
// CHECK: tensor.yield %[[LOW]] : i8
// CHECK: arith.maxui
func.func @max_pool_unsigned(%x: tensor<1x1x4x4xui8>) -> tensor<1x1x4x4xui8> {
  %0 = qcc.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x1x4x4xui8>) -> tensor<1x1x4x4xui8>
  return %0 : tensor<1x1x4x4xui8>
}

// -----

// count_include_pad = false: sums divided by the pooled count of a ones
// tensor padded with zeros.
// CHECK-LABEL: func.func @average_pool
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[PX:.*]] = tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[SUMS:.*]] = linalg.generic {{.*}} ins(%[[PX]], %{{.*}} : tensor<1x2x6x6xf32>, tensor<3x3xf32>)
// CHECK: arith.addf
// CHECK: %[[ONES:.*]] = linalg.fill ins(%[[ONE]] : f32) outs(%{{.*}} : tensor<1x1x4x4xf32>)
// CHECK: %[[PONES:.*]] = tensor.pad %[[ONES]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[ZERO]]
// CHECK: %[[COUNTS:.*]] = linalg.generic {{.*}} ins(%[[PONES]], %{{.*}} : tensor<1x1x6x6xf32>, tensor<3x3xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[SUMS]], %[[COUNTS]] : tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>)
// CHECK: arith.divf
func.func @average_pool(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %0 = qcc.average_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, count_include_pad = false} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[NC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @global_pools
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[NC]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK: arith.addf
// CHECK: %[[AVG:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x4xf32>)
// CHECK: %[[N:.*]] = arith.constant 2.500000e+01 : f32
// CHECK: arith.divf %{{.*}}, %[[N]]
// CHECK: %[[A4:.*]] = tensor.expand_shape %[[AVG]] {{\[\[}}0], [1, 2, 3]] output_shape [1, 4, 1, 1]
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[NC]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK: arith.maximumf
// CHECK: %[[M4:.*]] = tensor.expand_shape %[[MAX]] {{\[\[}}0], [1, 2, 3]] output_shape [1, 4, 1, 1]
// CHECK: return %[[A4]], %[[M4]]
func.func @global_pools(%x: tensor<1x4x5x5xf32>) -> (tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>) {
  %0 = qcc.global_average_pool %x : (tensor<1x4x5x5xf32>) -> tensor<1x4x1x1xf32>
  %1 = qcc.global_max_pool %x : (tensor<1x4x5x5xf32>) -> tensor<1x4x1x1xf32>
  return %0, %1 : tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>
}

//===----------------------------------------------------------------------===//
// Normalization and reductions
//===----------------------------------------------------------------------===//

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
// CHECK: ^bb0(%[[X:.*]]: f32, %[[SCALE:.*]]: f32, %[[BIAS:.*]]: f32, %[[MEAN:.*]]: f32, %[[VAR:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK: %[[VE:.*]] = arith.addf %[[VAR]], %[[EPS]]
// CHECK: %[[D:.*]] = arith.subf %[[X]], %[[MEAN]]
// CHECK: %[[SD:.*]] = math.sqrt %[[VE]]
// CHECK: %[[N:.*]] = arith.divf %[[D]], %[[SD]]
// CHECK: %[[NS:.*]] = arith.mulf %[[N]], %[[SCALE]]
// CHECK: arith.addf %[[NS]], %[[BIAS]]
func.func @batch_norm(%x: tensor<1x2x3x3xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %0 = qcc.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-5 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// mean, centered, variance, normalized, then scale and bias along the
// normalized dims.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[LAST:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x8xf32>, %[[S:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[KEPT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]] : tensor<2x4x8xf32>)
// CHECK: %[[CEN:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[KEPT]], #[[ID]]], {{.*}} ins(%[[X]], %[[SUM]] :
// CHECK: arith.constant 8.000000e+00 : f32
// CHECK: arith.subf
// CHECK: %[[SQ:.*]] = linalg.generic {{.*}} ins(%[[CEN]] :
// CHECK: %[[SQSUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[SQ]] :
// CHECK: %[[NORM:.*]] = linalg.generic {{.*}} ins(%[[CEN]], %[[SQSUM]] :
// CHECK: math.sqrt
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[LAST]], #[[LAST]], #[[ID]]], {{.*}} ins(%[[NORM]], %[[S]], %[[B]] :
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @layer_norm(%x: tensor<2x4x8xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x4x8xf32> {
  %0 = qcc.layer_norm %x, %s, %b {axis = 2 : i64, epsilon = 1.0e-5 : f32} : (tensor<2x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  return %0 : tensor<2x4x8xf32>
}

// -----

// max, x - max, exp, sum, divide (softmax) or subtract log (log_softmax).
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROWS:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[COLS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @softmax
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROWS]]], iterator_types = ["parallel", "reduction"]}
// CHECK: arith.maximumf
// CHECK: %[[SH:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[MAX]] : tensor<2x5xf32>, tensor<2xf32>)
// CHECK: arith.subf
// CHECK: %[[E:.*]] = linalg.generic
// CHECK: math.exp
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROWS]]], iterator_types = ["parallel", "reduction"]} ins(%[[E]] :
// CHECK: %[[SM:.*]] = linalg.generic {{.*}} ins(%[[E]], %[[SUM]] :
// CHECK: arith.divf
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[COLS]]], iterator_types = ["reduction", "parallel"]}
// CHECK: math.log
// CHECK: arith.subf
func.func @softmax(%x: tensor<2x5xf32>) -> (tensor<2x5xf32>, tensor<2x5xf32>) {
  %0 = qcc.softmax %x {axis = 1 : i64} : tensor<2x5xf32>
  %1 = qcc.log_softmax %x {axis = 0 : i64} : tensor<2x5xf32>
  return %0, %1 : tensor<2x5xf32>, tensor<2x5xf32>
}

// -----

// keepdims restores the reduced dims with expand_shape.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[D02:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[D1:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @reductions
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[D02]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: arith.addf
// CHECK: %[[KEEP:.*]] = tensor.expand_shape %[[SUM]] {{\[\[}}0], [1, 2]] output_shape [2, 1, 4] : tensor<2x4xf32> into tensor<2x1x4xf32>
// CHECK: %[[MS:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[D1]]], iterator_types = ["reduction", "parallel", "reduction"]}
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[MS]] : tensor<3xf32>)
// CHECK: arith.constant 8.000000e+00 : f32
// CHECK: arith.divf
// CHECK: %[[UMAX:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<2x3xi8>) outs(%{{.*}} : tensor<2xi8>)
// CHECK: arith.maxui
// CHECK: return %[[KEEP]], %[[MEAN]], %[[UMAX]]
func.func @reductions(%x: tensor<2x3x4xf32>, %u: tensor<2x3xui8>) -> (tensor<2x1x4xf32>, tensor<3xf32>, tensor<2xui8>) {
  %0 = qcc.reduce_sum %x {axes = array<i64: 1>, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %1 = qcc.reduce_mean %x {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %2 = qcc.reduce_max %u {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xui8>) -> tensor<2xui8>
  return %0, %1, %2 : tensor<2x1x4xf32>, tensor<3xf32>, tensor<2xui8>
}

// -----

// One generic carries the best value and its index.
// CHECK-LABEL: func.func @argmax
// CHECK: %[[BEST:.*]] = linalg.fill {{.*}} -> tensor<2xf32>
// CHECK: %[[IDX:.*]] = linalg.fill {{.*}} -> tensor<2xi64>
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<2x5xf32>) outs(%[[BEST]], %[[IDX]] : tensor<2xf32>, tensor<2xi64>)
// CHECK: linalg.index 1 : index
// CHECK: arith.cmpf ogt
// CHECK: arith.select
// CHECK: arith.select
// CHECK: %[[K:.*]] = tensor.expand_shape %[[R]]#1 {{\[\[}}0, 1]] output_shape [2, 1] : tensor<2xi64> into tensor<2x1xi64>
// CHECK: return %[[K]]
func.func @argmax(%x: tensor<2x5xf32>) -> tensor<2x1xi64> {
  %0 = qcc.argmax %x {axis = 1 : i64, keepdims = true, select_last_index = false} : (tensor<2x5xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

// -----

// Groupings become collapse/expand_shape; other reshapes tensor.reshape.
// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-DAG: %[[C:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK-DAG: %[[E:.*]] = tensor.expand_shape %[[X]] {{\[\[}}0], [1], [2, 3]] output_shape [2, 3, 2, 2] : tensor<2x3x4xf32> into tensor<2x3x2x2xf32>
// CHECK-DAG: %[[SHAPE:.*]] = arith.constant dense<[4, 6]> : tensor<2xindex>
// CHECK-DAG: %[[R:.*]] = tensor.reshape %[[X]](%[[SHAPE]]) : (tensor<2x3x4xf32>, tensor<2xindex>) -> tensor<4x6xf32>
// CHECK: return %[[C]], %[[E]], %[[R]]
func.func @reshape(%x: tensor<2x3x4xf32>) -> (tensor<6x4xf32>, tensor<2x3x2x2xf32>, tensor<4x6xf32>) {
  %0 = qcc.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %1 = qcc.reshape %x : (tensor<2x3x4xf32>) -> tensor<2x3x2x2xf32>
  %2 = qcc.reshape %x : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
  return %0, %1, %2 : tensor<6x4xf32>, tensor<2x3x2x2xf32>, tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xi8>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x2x3xi8>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[X]] : tensor<2x3x4xi8>) outs(%[[E]] : tensor<4x2x3xi8>) permutation = [2, 0, 1]
// CHECK: return %[[T]]
func.func @transpose(%x: tensor<2x3x4xui8>) -> tensor<4x2x3xui8> {
  %0 = qcc.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xui8>) -> tensor<4x2x3xui8>
  return %0 : tensor<4x2x3xui8>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<2x1xf32>, %[[EMPTY:.*]]: tensor<2x0xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x7xf32>
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[A]] into %[[E]][0, 0] [2, 3] [1, 1]
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[B]] into %[[I0]][0, 3] [2, 1] [1, 1]
// CHECK-NOT: %[[EMPTY]]
// CHECK: %[[I2:.*]] = tensor.insert_slice %[[A]] into %[[I1]][0, 4] [2, 3] [1, 1]
// CHECK: return %[[I2]]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>, %e: tensor<2x0xf32>) -> tensor<2x7xf32> {
  %0 = qcc.concat %a, %b, %e, %a {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>, tensor<2x0xf32>, tensor<2x3xf32>) -> tensor<2x7xf32>
  return %0 : tensor<2x7xf32>
}

// -----

// Positive steps are a strided view; negative steps an affine read map.
// CHECK-DAG: #[[REV:.*]] = affine_map<(d0, d1) -> (-d0 + 3, d1 * -2 + 5)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @slice
// CHECK-SAME: (%[[X:.*]]: tensor<4x6xf32>)
// CHECK: %[[S:.*]] = tensor.extract_slice %[[X]][1, 0] [2, 3] [1, 2] : tensor<4x6xf32> to tensor<2x3xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[REV]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<4x6xf32>) outs(%{{.*}} : tensor<4x3xf32>)
// CHECK: return %[[S]], %[[R]]
func.func @slice(%x: tensor<4x6xf32>) -> (tensor<2x3xf32>, tensor<4x3xf32>) {
  %0 = qcc.slice %x {starts = array<i64: 1, 0>, steps = array<i64: 1, 2>} : (tensor<4x6xf32>) -> tensor<2x3xf32>
  %1 = qcc.slice %x {starts = array<i64: 3, 5>, steps = array<i64: -1, -2>} : (tensor<4x6xf32>) -> tensor<4x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<4x3xf32>
}

// -----

// Indices wrap when negative and are clamped into range.
// CHECK-DAG: #[[IDX:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[DATA:.*]]: tensor<5x4xf32>, %[[I:.*]]: tensor<2x3xi64>)
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[I]] : tensor<2x3xi64>) outs(%{{.*}} : tensor<2x3x4xf32>)
// CHECK: ^bb0(%[[IN:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[D2:.*]] = linalg.index 2 : index
// CHECK: %[[K:.*]] = arith.index_cast %[[IN]] : i64 to index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[K]]
// CHECK: %[[WRAP:.*]] = arith.addi %[[K]], %{{.*}} : index
// CHECK: %[[SEL:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[K]] : index
// CHECK: %[[LO:.*]] = arith.maxsi %[[SEL]]
// CHECK: %[[HI:.*]] = arith.minsi %[[LO]]
// CHECK: %[[V:.*]] = tensor.extract %[[DATA]][%[[HI]], %[[D2]]] : tensor<5x4xf32>
// CHECK: linalg.yield %[[V]] : f32
func.func @gather(%x: tensor<5x4xf32>, %i: tensor<2x3xi64>) -> tensor<2x3x4xf32> {
  %0 = qcc.gather %x, %i {axis = 0 : i64} : (tensor<5x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-DAG: #[[EXP:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[TILE:.*]] = affine_map<(d0, d1) -> (d0 mod 3, 0)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @expand_tile
// CHECK: linalg.generic {indexing_maps = [#[[EXP]], #[[ID3]]], {{.*}} ins(%{{.*}} : tensor<3x1xf32>) outs(%{{.*}} : tensor<2x3x4xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[TILE]], #[[ID2]]], {{.*}} ins(%{{.*}} : tensor<3x1xf32>) outs(%{{.*}} : tensor<6x2xf32>)
func.func @expand_tile(%x: tensor<3x1xf32>) -> (tensor<2x3x4xf32>, tensor<6x2xf32>) {
  %0 = qcc.expand %x : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %1 = qcc.tile %x : (tensor<3x1xf32>) -> tensor<6x2xf32>
  return %0, %1 : tensor<2x3x4xf32>, tensor<6x2xf32>
}

// -----

// CHECK-LABEL: func.func @pad
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK: %[[V:.*]] = arith.constant 1.500000e+00 : f32
// CHECK: %[[P:.*]] = tensor.pad %[[X]] low[1, 1] high[0, 1]
// CHECK: tensor.yield %[[V]] : f32
// CHECK: } : tensor<2x3xf32> to tensor<3x5xf32>
// Reflect: the source index folds into [0, 2n - 2) and mirrors.
// CHECK: %[[R:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x7xf32>)
// CHECK: arith.remsi
// CHECK: arith.cmpi sge
// CHECK: tensor.extract %[[X]]
// Negative pads crop first.
// CHECK: %[[CROP:.*]] = tensor.extract_slice %[[X]][0, 1] [2, 2] [1, 1] : tensor<2x3xf32> to tensor<2x2xf32>
// CHECK: %[[N:.*]] = tensor.pad %[[CROP]] low[0, 0] high[0, 2]
// CHECK: return %[[P]], %[[R]], %[[N]]
func.func @pad(%x: tensor<2x3xf32>) -> (tensor<3x5xf32>, tensor<2x7xf32>, tensor<2x4xf32>) {
  %0 = qcc.pad %x {pads = array<i64: 1, 1, 0, 1>, mode = "constant", value = 1.5 : f64} : (tensor<2x3xf32>) -> tensor<3x5xf32>
  %1 = qcc.pad %x {pads = array<i64: 0, 2, 0, 2>, mode = "reflect", value = 0.0 : f64} : (tensor<2x3xf32>) -> tensor<2x7xf32>
  %2 = qcc.pad %x {pads = array<i64: 0, -1, 0, 2>, mode = "constant", value = 0.0 : f64} : (tensor<2x3xf32>) -> tensor<2x4xf32>
  return %0, %1, %2 : tensor<3x5xf32>, tensor<2x7xf32>, tensor<2x4xf32>
}

// -----

// Nearest (asymmetric, floor): the source indices are computed at compile
// time; an integer upsampling reads i / 2, no float work is left; unresized
// dims are read directly.
// CHECK-LABEL: func.func @resize_nearest
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x2x2xf32>)
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x1x4x4xf32>)
// CHECK: %[[N:.*]] = linalg.index 0 : index
// CHECK: %[[C:.*]] = linalg.index 1 : index
// CHECK: %[[I:.*]] = linalg.index 2 : index
// CHECK: %[[J:.*]] = linalg.index 3 : index
// CHECK: %[[TWO:.*]] = arith.constant 2 : index
// CHECK: %[[H:.*]] = arith.divui %[[I]], %[[TWO]] : index
// CHECK: %[[W:.*]] = arith.divui %[[J]], %{{.*}} : index
// CHECK: tensor.extract %[[X]][%[[N]], %[[C]], %[[H]], %[[W]]] : tensor<1x1x2x2xf32>
// CHECK-NOT: math.floor
// CHECK: linalg.yield
func.func @resize_nearest(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %0 = qcc.resize %x {scales = array<f32: 1.0, 1.0, 2.0, 2.0>, mode = "nearest", coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// A resize that is not an integer upsampling (5 -> 3, half_pixel,
// round_prefer_floor) reads a constant table of source indices.
// CHECK-LABEL: func.func @resize_nearest_table
// CHECK: %[[T:.*]] = arith.constant dense<[0, 2, 4]> : tensor<3xindex>
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[S:.*]] = tensor.extract %[[T]][%[[I]]] : tensor<3xindex>
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %[[S]]] : tensor<1x5xi8>
func.func @resize_nearest_table(%x: tensor<1x5xi8>) -> tensor<1x3xi8> {
  %0 = qcc.resize %x {scales = array<f32: 1.0, 0.6>, mode = "nearest", coordinate_transformation_mode = "half_pixel", nearest_mode = "round_prefer_floor"} : (tensor<1x5xi8>) -> tensor<1x3xi8>
  return %0 : tensor<1x3xi8>
}

// -----

// Linear (half_pixel): (x + 0.5) / scale - 0.5, four corners weighted.
// CHECK-LABEL: func.func @resize_linear
// CHECK: linalg.generic
// CHECK: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: arith.addf %{{.*}}, %[[HALF]]
// CHECK: arith.divf
// CHECK: arith.subf
// CHECK: math.floor
// CHECK-COUNT-4: tensor.extract
// CHECK: linalg.yield
func.func @resize_linear(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %0 = qcc.resize %x {scales = array<f32: 1.0, 1.0, 2.0, 2.0>, mode = "linear", coordinate_transformation_mode = "half_pixel", nearest_mode = "round_prefer_floor"} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

// -----

// saturate(round_half_even(x / scale) + zp) in f32, uint8 range.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @quantize_per_tensor
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[S:.*]]: tensor<f32>, %[[ZP:.*]]: tensor<i8>) -> tensor<2x3xi8>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[SCALAR]], #[[ID]]], {{.*}} ins(%[[X]], %[[S]], %[[ZP]] : tensor<2x3xf32>, tensor<f32>, tensor<i8>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[SC:.*]]: f32, %[[Z:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[D:.*]] = arith.divf %[[IN]], %[[SC]] : f32
// CHECK: %[[R:.*]] = math.roundeven %[[D]] : f32
// CHECK: %[[ZF:.*]] = arith.uitofp %[[Z]] : i8 to f32
// CHECK: %[[A:.*]] = arith.addf %[[R]], %[[ZF]] : f32
// NaN saturates to the lowest value: maxnum / minnum.
// CHECK: %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[M:.*]] = arith.maxnumf %[[A]], %[[LO]] : f32
// CHECK: %[[HI:.*]] = arith.constant 2.550000e+02 : f32
// CHECK: %[[N:.*]] = arith.minnumf %[[M]], %[[HI]] : f32
// CHECK: %[[Q:.*]] = arith.fptoui %[[N]] : f32 to i8
// CHECK: linalg.yield %[[Q]] : i8
func.func @quantize_per_tensor(%x: tensor<2x3xf32>, %s: tensor<f32>, %zp: tensor<ui8>) -> tensor<2x3xui8> {
  %0 = qcc.quantize_linear %x, %s, %zp {axis = 1 : i64} : (tensor<2x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

// Per axis: scale and zero point follow dim 1; int8 range.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AXIS]], #[[AXIS]], #[[ID]]]
// CHECK: arith.sitofp %{{.*}} : i8 to f32
// CHECK: arith.constant -1.280000e+02 : f32
// CHECK: arith.constant 1.270000e+02 : f32
// CHECK: arith.fptosi %{{.*}} : f32 to i8
func.func @quantize_per_axis(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %zp: tensor<3xi8>) -> tensor<2x3xi8> {
  %0 = qcc.quantize_linear %x, %s, %zp {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// (q - zp) in i32, then one multiply.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AXIS0:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @dequantize
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AXIS0]], #[[ID]]]
// CHECK: ^bb0(%[[Q:.*]]: i8, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[W:.*]] = arith.extsi %[[Q]] : i8 to i32
// CHECK: %[[F:.*]] = arith.sitofp %[[W]] : i32 to f32
// CHECK: arith.mulf %[[F]], %[[S]] : f32
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[SCALAR]], #[[ID]]]
// CHECK: ^bb0(%[[Q2:.*]]: i8, %[[S2:.*]]: f32, %[[Z2:.*]]: i8, %{{.*}}: f32):
// CHECK: %[[W2:.*]] = arith.extui %[[Q2]] : i8 to i32
// CHECK: %[[ZW:.*]] = arith.extui %[[Z2]] : i8 to i32
// CHECK: %[[D:.*]] = arith.subi %[[W2]], %[[ZW]] : i32
// CHECK: %[[F2:.*]] = arith.sitofp %[[D]] : i32 to f32
// CHECK: arith.mulf %[[F2]], %[[S2]] : f32
func.func @dequantize(%q: tensor<2x3xi8>, %s: tensor<2xf32>, %q2: tensor<2x3xui8>, %s2: tensor<f32>, %z2: tensor<ui8>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = qcc.dequantize_linear %q, %s {axis = 0 : i64} : (tensor<2x3xi8>, tensor<2xf32>) -> tensor<2x3xf32>
  %1 = qcc.dequantize_linear %q2, %s2, %z2 {axis = 1 : i64} : (tensor<2x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// min/max (including 0) in one reduction, then scale, zero point, values.
// CHECK-LABEL: func.func @dynamic_quantize
// CHECK-SAME: -> (tensor<2x3xi8>, tensor<f32>, tensor<i8>)
// CHECK: %[[MM:.*]]:2 = linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]} ins(%{{.*}} : tensor<2x3xf32>) outs(%{{.*}}, %{{.*}} : tensor<f32>, tensor<f32>)
// CHECK: arith.minimumf
// CHECK: arith.maximumf
// CHECK: %[[SCALE:.*]] = linalg.generic {{.*}} ins(%[[MM]]#0, %[[MM]]#1 : tensor<f32>, tensor<f32>)
// CHECK: arith.constant 2.550000e+02 : f32
// CHECK: %[[ZP:.*]] = linalg.generic {{.*}} ins(%[[MM]]#0, %[[SCALE]] : tensor<f32>, tensor<f32>) outs(%{{.*}} : tensor<i8>)
// CHECK: math.roundeven
// CHECK: arith.fptoui %{{.*}} : f32 to i8
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[SCALE]], %[[ZP]] : tensor<2x3xf32>, tensor<f32>, tensor<i8>) outs(%{{.*}} : tensor<2x3xi8>)
// CHECK: return %[[Y]], %[[SCALE]], %[[ZP]]
func.func @dynamic_quantize(%x: tensor<2x3xf32>) -> (tensor<2x3xui8>, tensor<f32>, tensor<ui8>) {
  %0:3 = qcc.dynamic_quantize_linear %x : (tensor<2x3xf32>) -> (tensor<2x3xui8>, tensor<f32>, tensor<ui8>)
  return %0#0, %0#1, %0#2 : tensor<2x3xui8>, tensor<f32>, tensor<ui8>
}

// -----

// Zero points: scalar (map to ()) for A, per column (map to n) for B;
// u8 operands zero-extend, i8 ones sign-extend.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[AZ:.*]] = affine_map<(d0, d1, d2) -> ()>
// CHECK-DAG: #[[BZ:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul_integer
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xi8>, %[[Y:.*]]: tensor<3x4xi8>, %[[XZ:.*]]: tensor<i8>, %[[YZ:.*]]: tensor<4xi8>) -> tensor<2x4xi32>
// CHECK: %[[Z:.*]] = arith.constant 0 : i32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[Z]] : i32)
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[AZ]], #[[BZ]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[Y]], %[[XZ]], %[[YZ]] : tensor<2x3xi8>, tensor<3x4xi8>, tensor<i8>, tensor<4xi8>) outs(%[[INIT]] : tensor<2x4xi32>)
// CHECK: ^bb0(%[[I:.*]]: i8, %[[J:.*]]: i8, %[[IZ:.*]]: i8, %[[JZ:.*]]: i8, %[[O:.*]]: i32):
// CHECK: %[[IW:.*]] = arith.extui %[[I]] : i8 to i32
// CHECK: %[[JW:.*]] = arith.extsi %[[J]] : i8 to i32
// CHECK: %[[IZW:.*]] = arith.extui %[[IZ]] : i8 to i32
// CHECK: %[[ID:.*]] = arith.subi %[[IW]], %[[IZW]] : i32
// CHECK: %[[JZW:.*]] = arith.extsi %[[JZ]] : i8 to i32
// CHECK: %[[JD:.*]] = arith.subi %[[JW]], %[[JZW]] : i32
// CHECK: %[[P:.*]] = arith.muli %[[ID]], %[[JD]] : i32
// CHECK: arith.addi %[[O]], %[[P]] : i32
func.func @matmul_integer(%a: tensor<2x3xui8>, %b: tensor<3x4xi8>, %az: tensor<ui8>, %bz: tensor<4xi8>) -> tensor<2x4xi32> {
  %0 = qcc.matmul_integer %a, %b a_zp %az b_zp %bz : (tensor<2x3xui8>, tensor<3x4xi8>, tensor<ui8>, tensor<4xi8>) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

// The input is padded with its zero point, so padded taps contribute 0.
// CHECK-DAG: #[[ZPMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> ()>
// CHECK-LABEL: func.func @conv_integer
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4xi8>, %[[W:.*]]: tensor<3x2x3x3xi8>, %[[XZ:.*]]: tensor<i8>, %[[WZ:.*]]: tensor<i8>)
// CHECK: %[[XZV:.*]] = tensor.extract %[[XZ]][] : tensor<i8>
// CHECK: tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[XZV]] : i8
// CHECK: linalg.generic {indexing_maps = [{{.*}}, {{.*}}, #[[ZPMAP]], #[[ZPMAP]], {{.*}}]
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %[[XZ]], %[[WZ]] :
// CHECK-SAME: outs(%{{.*}} : tensor<1x1x3x4x4xi32>)
// CHECK: ^bb0(%[[I:.*]]: i8, %[[J:.*]]: i8, %[[IZ:.*]]: i8, %[[JZ:.*]]: i8, %[[O:.*]]: i32):
// CHECK: %[[IW:.*]] = arith.extui %[[I]] : i8 to i32
// CHECK: %[[JW:.*]] = arith.extsi %[[J]] : i8 to i32
// CHECK: arith.extui %[[IZ]] : i8 to i32
// CHECK: arith.subi %[[IW]]
// CHECK: arith.extsi %[[JZ]] : i8 to i32
// CHECK: arith.subi %[[JW]]
// CHECK: arith.muli
// CHECK: arith.addi %[[O]]
// CHECK: tensor.collapse_shape %{{.*}} into tensor<1x3x4x4xi32>
func.func @conv_integer(%x: tensor<1x2x4x4xui8>, %w: tensor<3x2x3x3xi8>, %xz: tensor<ui8>, %wz: tensor<i8>) -> tensor<1x3x4x4xi32> {
  %0 = qcc.conv_integer %x, %w x_zp %xz w_zp %wz {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x4x4xui8>, tensor<3x2x3x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x3x4x4xi32>
  return %0 : tensor<1x3x4x4xi32>
}

// -----

// Function boundaries, calls and returns of unsigned tensors are converted.
// CHECK-LABEL: func.func private @callee(tensor<4xi8>) -> tensor<4xi8>
// CHECK-LABEL: func.func @caller
// CHECK-SAME: (%[[X:.*]]: tensor<4xi8>) -> tensor<4xi8>
// CHECK: %[[R:.*]] = call @callee(%[[X]]) : (tensor<4xi8>) -> tensor<4xi8>
// CHECK: return %[[R]] : tensor<4xi8>
func.func private @callee(tensor<4xui8>) -> tensor<4xui8>
func.func @caller(%x: tensor<4xui8>) -> tensor<4xui8> {
  %0 = call @callee(%x) : (tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Sub-byte constants are stored packed. With an even last dim (split
// layout) byte j of a row holds elements j (low nibble) and j + 2 (high
// nibble): row 0 = [1, 2, 3, 4] packs to [0x31, 0x42] = [49, 66]. The loops
// run over (row, slot, byte) and the result collapses to 2x4.
// CHECK-LABEL: func.func @dequantize_packed_u4
// CHECK: %[[P:.*]] = arith.constant dense<{{\[}}[49, 66], [-119, -1]]> : tensor<2x2xi8>
// CHECK: %[[G:.*]] = linalg.generic {{.*}} ins(%[[P]], {{.*}} : tensor<2x2xi8>, tensor<f32>, tensor<i8>) outs(%{{.*}} : tensor<2x2x2xf32>)
// CHECK: linalg.index 1 : index
// CHECK: arith.shli
// CHECK: arith.shrui
// CHECK: tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2]] : tensor<2x2x2xf32> into tensor<2x4xf32>
func.func @dequantize_packed_u4(%s: tensor<f32>) -> tensor<2x4xf32> {
  %q = qcc.constant dense<[[1, 2, 3, 4], [9, 15, 8, 15]]> : tensor<2x4xui4>
  %z = qcc.constant dense<8> : tensor<ui4>
  %0 = qcc.dequantize_linear %q, %s, %z {axis = 0 : i64} : (tensor<2x4xui4>, tensor<f32>, tensor<ui4>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// An odd last dim packs interleaved (element j in slot j % 4 of byte j / 4
// for 2-bit values) and is read through a floordiv map; signed values are
// sign-extended by an arithmetic shift. [1, -1, -2, 0, 1] -> bytes
// [0b00101101, 0b01] = [45, 1].
// CHECK-DAG: #[[PACKED:.*]] = affine_map<(d0) -> (d0 floordiv 4)>
// CHECK-LABEL: func.func @dequantize_packed_i2
// CHECK: %[[P:.*]] = arith.constant dense<[45, 1]> : tensor<2xi8>
// CHECK: linalg.generic {indexing_maps = [#[[PACKED]], {{.*}}} ins(%[[P]], {{.*}}) outs(%{{.*}} : tensor<5xf32>)
// CHECK: arith.remui
// CHECK: arith.shrsi
func.func @dequantize_packed_i2(%s: tensor<f32>) -> tensor<5xf32> {
  %q = qcc.constant dense<[1, -1, -2, 0, 1]> : tensor<5xi2>
  %0 = qcc.dequantize_linear %q, %s {axis = 0 : i64} : (tensor<5xi2>, tensor<f32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// Fixed-point requantization: a 64-bit product, rounding half up by the
// shift, the zero point, saturation to uint8.
// CHECK-LABEL: func.func @requantize
// CHECK: linalg.generic
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.shli
// CHECK: arith.muli %{{.*}} : i64
// CHECK: arith.addi
// CHECK: arith.shrsi
// CHECK: arith.extui %{{.*}} : i8 to i64
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: arith.trunci %{{.*}} : i64 to i8
func.func @requantize(%x: tensor<2x3xi32>, %m: tensor<2x1xi32>, %s: tensor<2x1xi32>, %zp: tensor<ui8>) -> tensor<2x3xui8> {
  %0 = qcc.requantize %x, %m, %s, %zp : (tensor<2x3xi32>, tensor<2x1xi32>, tensor<2x1xi32>, tensor<ui8>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

// A lookup gathers from the table by the unsigned byte (int8 inputs flip
// the sign bit: -128..127 -> 0..255).
// CHECK-LABEL: func.func @lookup_signed
// CHECK: linalg.generic
// CHECK: %[[B:.*]] = arith.xori %{{.*}}, %{{.*}} : i8
// CHECK: %[[I:.*]] = arith.index_castui %[[B]] : i8 to index
// CHECK: tensor.extract %{{.*}}[%[[I]]] : tensor<256xi8>
func.func @lookup_signed(%x: tensor<4xi8>, %t: tensor<256xui8>) -> tensor<4xui8> {
  %0 = qcc.lookup %x, %t : (tensor<4xi8>, tensor<256xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Integer LayerNorm: the row sum (i32), the sum of squares of d = N x - S
// (i64), per row the square root (a 32-step digit loop), the bit count,
// one unsigned 32-bit division, then the fixed-point output.
// CHECK-LABEL: func.func @layer_norm_integer
// CHECK: tensor.collapse_shape {{.*}} into tensor<6x4xi8>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.muli %{{.*}} : i64
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]
// CHECK: scf.for
// CHECK: arith.cmpi sge
// CHECK: math.ctlz
// CHECK: arith.divui %{{.*}} : i32
// CHECK: linalg.yield %{{.*}}, %{{.*}} : i64, i64
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK: arith.shrsi
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: arith.trunci %{{.*}} : i64 to i8
// CHECK: tensor.expand_shape {{.*}} into tensor<2x3x4xi8>
func.func @layer_norm_integer(%x: tensor<2x3x4xui8>, %g: tensor<4xi32>, %b: tensor<4xi64>, %z: tensor<ui8>) -> tensor<2x3x4xui8> {
  %0 = qcc.layer_norm_integer %x, %g, %b, %z {axis = 2 : i64, gain_shift = 24 : i64, offset = 1 : i64, pre_shift = 15 : i64} : (tensor<2x3x4xui8>, tensor<4xi32>, tensor<4xi64>, tensor<ui8>) -> tensor<2x3x4xui8>
  return %0 : tensor<2x3x4xui8>
}

// -----

// Requantization to int16 saturates to [-32768, 32767].
// CHECK-LABEL: func.func @requantize_int16
// CHECK: arith.constant -32768 : i64
// CHECK: arith.maxsi
// CHECK: arith.constant 32767 : i64
// CHECK: arith.minsi
// CHECK: arith.trunci %{{.*}} : i64 to i16
func.func @requantize_int16(%x: tensor<4xi32>, %m: tensor<i32>, %s: tensor<i32>, %zp: tensor<i16>) -> tensor<4xi16> {
  %0 = qcc.requantize %x, %m, %s, %zp : (tensor<4xi32>, tensor<i32>, tensor<i32>, tensor<i16>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}
