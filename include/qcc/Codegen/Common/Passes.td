//===- Passes.td - target-independent code generation -------*- tablegen -*-===//
#ifndef QCC_CODEGEN_COMMON_PASSES
#define QCC_CODEGEN_COMMON_PASSES

include "mlir/Pass/PassBase.td"

def MemRefCopyToLinalg : Pass<"qcc-memref-copy-to-linalg"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    `memref.copy` between non-contiguous memrefs lowers to a call into MLIR's
    C runner-utils library, which compiled models must not depend on. As
    `linalg.copy` it becomes plain loops (and vector code) in the model.

    Before:
    ```mlir
    memref.copy %a, %b : memref<4xf32, strided<[2]>> to memref<4xf32>
    ```
    After:
    ```mlir
    linalg.copy ins(%a : memref<4xf32, strided<[2]>>) outs(%b : memref<4xf32>)
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def FuseElementwise : Pass<"qcc-fuse-elementwise"> {
  let summary = "Fuse elementwise linalg ops without recomputation";
  let description = [{
    Upstream elementwise fusion, controlled so that a producer is fused into
    a consumer only when that does not multiply its work: into all-parallel
    consumers, or when the producer merely moves data (its body yields an
    input unchanged: broadcasts, transposes). Fusing a normalization into a
    matmul would recompute it once per output column. Into an all-parallel
    consumer, a computing producer the consumer reads broadcast (a
    per-channel gate) is not fused either (it would be recomputed for every
    element it is broadcast to). A gather (a map other than a projected
    permutation, or a body reading through `linalg.index` and
    `tensor.extract`: nearest Resize's `h / 2`) is fused into no consumer,
    reductions included: it would keep the consumer from vectorizing. A
    computing producer is fused into a reduction that reads each of its
    elements once (a GlobalAveragePool of a DequantizeLinear, or of a sum
    of skip connections) when nothing else reads it. A
    producer of more than four ops that other ops also read (a
    requantization) is stored once rather than recomputed in every reader.

    Before:
    ```mlir
    %a = linalg.generic {... ["parallel"]} ins(%x) { exp }
    %b = linalg.generic {... ["parallel"]} ins(%a) { add }
    ```
    After:
    ```mlir
    %b = linalg.generic {... ["parallel"]} ins(%x) { exp; add }
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def SaturatingRound : Pass<"qcc-saturating-round"> {
  let summary = "Clamp before rounding in saturating float-to-integer casts";
  let description = [{
    QuantizeLinear's tail, `cast(clamp(roundeven(v) + zp, lo, hi))` with
    integer `lo <= hi` and `zp` (f32 constants or splats), becomes
    `trunc(fptosi(roundeven(clamp(v, lo - zp, hi - zp))) + zp)` with the
    rounding and the zero point in i32. The results are the same bits:
    roundeven is monotone and keeps integers, so the clamp commutes with
    it, and NaN still saturates to `lo` (see docs/Numerics.md). An
    extension of the result (`extui` of a range without negatives, `extsi`
    of one that fits the signed type) reads the i32 value directly, so a
    dequantization right after a quantization skips the narrow round trip.
    Together with `qcc-round-to-nearest-int` the tail costs two bounds,
    one rounding conversion and an integer add.

    Before:
    ```mlir
    %r = math.roundeven %v : f32
    %a = arith.addf %r, %c3 : f32          // zero point 3.0
    %l = arith.maxnumf %a, %c0 : f32
    %h = arith.minnumf %l, %c255 : f32
    %q = arith.fptoui %h : f32 to i8
    ```
    After:
    ```mlir
    %l = arith.maxnumf %v, %cm3 : f32      // 0 - 3
    %h = arith.minnumf %l, %c252 : f32     // 255 - 3
    %r = math.roundeven %h : f32
    %i = arith.fptosi %r : f32 to i32
    %a = arith.addi %i, %c3_i32 : i32
    %q = arith.trunci %a : i32 to i8
    ```
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::math::MathDialect"];
}

def DivideByReciprocal : Pass<"qcc-divide-by-reciprocal"> {
  let summary = "Quantizing divisions by a constant as a multiply and FMAs";
  let description = [{
    QuantizeLinear divides by its scale, and a vector division costs about
    ten multiplies. Where `x / s` (f32, `s` a constant) only feeds a
    saturating round, `roundeven(clamp(x / s, lo, hi))` with integral
    bounds (`maxnumf`/`minnumf`, as `qcc-saturating-round` leaves them),
    the division becomes

    ```mlir
    %c = arith.cmpf ogt, %x, %limit : f32      // limit: far past hi * s
    %xc = arith.select %c, %limit, %x : f32    // +Inf and huge x stay finite
    %q = arith.mulf %xc, %r : f32              // r = RN(1/s)
    %e = math.fma %q, %negs, %xc : f32         // exact remainder, -s
    %d = math.fma %e, %r, %q : f32             // RN(x / s)
    ```

    (Markstein's correction). The pass applies it to a scale and range only
    after checking, in the compiler, that every float x (NaN and infinities
    included) rounds to the same integer both ways: the quotients can differ
    only within a few ulps of a rounding threshold, and every float within
    32 ulps of each threshold is compared (docs/Numerics.md). The pipelines
    run it where the target has fused multiply-add instructions.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::math::MathDialect"];
}

def MarkNoNaNBounds : Pass<"qcc-mark-no-nan-bounds"> {
  let summary = "nnan on NaN-propagating min/max whose operands are finite";
  let description = [{
    Relu, Clip and HardSigmoid propagate NaN (`maximumf`/`minimumf`), which
    costs x86 a compare and a masked move per vector on top of
    `vmaxps`/`vminps`. Where both operands are provably finite, the pass
    adds the `nnan` fast-math flag so LLVM drops that fix-up; the results,
    signed zeros included, are unchanged. Finite means: a constant (or a
    `linalg.generic` input that is one) with finite elements, an integer
    converted to float, or sums, products, min/max, negations, roundings
    and selects of finite values whose bounds stay far below FLT_MAX. That
    covers the float steps of a requantization chain (dequantized integers
    times constant scales, an activation, the next quantization).

    ```mlir
    %f = arith.sitofp %i : i32 to f32
    %x = arith.mulf %f, %scale : f32
    %r = arith.maximumf %x, %zero fastmath<nnan> : f32   // flag added
    ```
  }];
}

def PlanWorkspace : Pass<"qcc-plan-workspace", "mlir::ModuleOp"> {
  let summary = "Place intermediate buffers in the caller's workspace";
  let description = [{
    Replaces the `memref.alloc`/`memref.dealloc` pairs of the straight-line
    `main` function by views into one workspace buffer, appended as `main`'s
    last argument. Offsets come from a first-fit scan over buffer lifetimes,
    so buffers that are never live together share memory; each offset is
    64-byte aligned. The size is recorded as `qcc.workspace_bytes` and becomes
    the ABI's `workspace_bytes`: a model run then allocates nothing.

    Before:
    ```mlir
    func.func @main(%x: memref<4xf32>, %y: memref<4xf32>) {
      %a = memref.alloc() : memref<4xf32>
      ...
      memref.dealloc %a : memref<4xf32>
    }
    ```
    After:
    ```mlir
    func.func @main(%x: memref<4xf32>, %y: memref<4xf32>, %ws: memref<64xi8>) {
      %c0 = arith.constant 0 : index
      %a = memref.view %ws[%c0][] : memref<64xi8> to memref<4xf32>
      ...
    }
    ```
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::memref::MemRefDialect"];
}

def FlattenGlobals : Pass<"qcc-flatten-globals", "mlir::ModuleOp"> {
  let summary = "Store constant tensors as flat 1-D globals";
  let description = [{
    An N-d `memref.global` becomes an LLVM array of arrays, and LLVM builds
    one constant per innermost row: millions for convolution weights, which
    made compilation take seconds and gigabytes. Globals are made 1-D and each
    `memref.get_global` is followed by a `memref.expand_shape` view.

    Before:
    ```mlir
    memref.global "private" constant @w : memref<2x3xf32> = dense<...>
    %0 = memref.get_global @w : memref<2x3xf32>
    ```
    After:
    ```mlir
    memref.global "private" constant @w : memref<6xf32> = dense<...>
    %g = memref.get_global @w : memref<6xf32>
    %0 = memref.expand_shape %g [[0, 1]] output_shape [2, 3] : memref<6xf32> into memref<2x3xf32>
    ```
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

#endif // QCC_CODEGEN_COMMON_PASSES
