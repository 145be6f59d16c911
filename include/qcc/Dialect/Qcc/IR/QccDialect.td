//===- QccDialect.td - qcc graph dialect -------------------*- tablegen -*-===//
#ifndef QCC_DIALECT_TD
#define QCC_DIALECT_TD

include "mlir/IR/OpBase.td"

def Qcc_Dialect : Dialect {
  let name = "qcc";
  let summary = "The qcc graph dialect: ONNX operators on ranked tensors";
  let description = [{
    One op per ONNX operator that matters to qcc, on statically shaped ranked
    tensors. Ops are polymorphic over element types: the same op holds `f32`,
    `f16`, integers, or upstream quantized types. Attributes are the ONNX
    attributes after the importer resolved defaults, negative axes and
    `auto_pad`, so lowerings never re-derive ONNX conventions.
  }];
  let cppNamespace = "::qcc";
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::quant::QuantDialect"];
}

class Qcc_Op<string mnemonic, list<Trait> traits = []>
    : Op<Qcc_Dialect, mnemonic, traits>;

#endif // QCC_DIALECT_TD
