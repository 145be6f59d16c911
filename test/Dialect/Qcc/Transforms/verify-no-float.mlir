// RUN: qcc-opt %s -split-input-file -verify-diagnostics --qcc-verify-no-float

// Integer code passes.
llvm.func @integer(%a: i32, %v: vector<16xi8>) -> i32 {
  %one = llvm.mlir.constant(1 : i32) : i32
  %s = llvm.add %a, %one : i32
  llvm.return %s : i32
}

// -----

llvm.func @arith(%a: i32) -> i32 {
  // expected-error @+1 {{--integer-only: floating-point type 'f32' survived lowering in 'llvm.sitofp'}}
  %f = llvm.sitofp %a : i32 to f32
  // expected-error @+1 {{floating-point type 'f32' survived lowering in 'llvm.fptosi'}}
  %i = llvm.fptosi %f : f32 to i32
  llvm.return %i : i32
}

// -----

// Vectors, globals and signatures count too.
// expected-error @+1 {{floating-point type '!llvm.array<4 x f32>' survived lowering in 'llvm.mlir.global'}}
llvm.mlir.global private constant @table(dense<1.0> : tensor<4xf32>) : !llvm.array<4 x f32>

// expected-error @+1 {{survived lowering in 'llvm.func'}}
llvm.func @signature(%v: vector<8xf16>) {
  llvm.return
}
