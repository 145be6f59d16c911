//===- Passes.td - qcc conversion passes -------------------*- tablegen -*-===//
#ifndef QCC_CONVERSION_PASSES
#define QCC_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def ConvertQccToLinalg : Pass<"convert-qcc-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower qcc graph ops to linalg, tensor, arith and math";
  let description = [{
    Every qcc op becomes destination-passing linalg (named ops where upstream
    has the exact semantics, `linalg.generic` otherwise) on tensors. Unsigned
    ONNX integer types (`ui8`, ...) become signless integers; the arithmetic
    chosen for them (`divui`, `uitofp`, ...) keeps their meaning. Ops that
    cannot be lowered are reported by name and location.

    Before:
    ```mlir
    %0 = qcc.relu %x : tensor<4xf32>
    ```
    After:
    ```mlir
    %e = tensor.empty() : tensor<4xf32>
    %0 = linalg.generic {indexing_maps = [#id, #id],
                         iterator_types = ["parallel"]}
        ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %zero = arith.constant 0.0 : f32
      %r = arith.maximumf %in, %zero : f32
      linalg.yield %r : f32
    } -> tensor<4xf32>
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect", "mlir::func::FuncDialect",
    "mlir::bufferization::BufferizationDialect"
  ];
}

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

def LinalgLoopOrder : Pass<"qcc-linalg-loop-order"> {
  let summary = "Make a contiguous parallel loop innermost in reductions";
  let description = [{
    Contractions and convolutions come out of the lowering with their
    reduction loops innermost. This pass moves the parallel loop that indexes
    the output's innermost dimension (and an input's innermost dimension, so
    accesses stay contiguous) to the innermost position. Each output element
    still accumulates in the same order, so results are bit-identical, but
    the innermost loop becomes a plain vectorizable loop.

    Before (matmul, loops m, n, k):
    ```mlir
    linalg.generic {indexing_maps = [(m,n,k)->(m,k), (m,n,k)->(k,n), (m,n,k)->(m,n)],
                    iterator_types = ["parallel", "parallel", "reduction"]}
    ```
    After (loops m, k, n):
    ```mlir
    linalg.generic {indexing_maps = [(m,k,n)->(m,k), (m,k,n)->(k,n), (m,k,n)->(m,n)],
                    iterator_types = ["parallel", "reduction", "parallel"]}
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

def RoundToNearestInt : Pass<"qcc-round-to-nearest-int"> {
  let summary = "fptosi(roundeven(x)) as lrint(x) on the LLVM dialect";
  let description = [{
    The last step of the CPU pipeline: `llvm.fptosi` of `llvm.intr.roundeven`
    (f32 or f64 to i32 or i64, scalar or vector) becomes `llvm.intr.lrint`,
    one conversion instruction that rounds to nearest even (`vcvtps2dq` on
    x86, as ONNX Runtime's quantization kernels use) instead of a rounding
    and a truncating conversion. Equal in LLVM's default floating-point
    environment, the one LLVM compiles qcc's functions for; a value out of
    the integer range was poison and stays unspecified.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def ExpandArith : Pass<"qcc-expand-arith"> {
  let summary = "Expand the arith ops LLVM has no lowering for, and bf16 casts";
  let description = [{
    The CPU pipeline's replacement for upstream's `arith-expand`:
    `ceildivsi`, `ceildivui` and `floordivsi` become plain divisions with
    corrections, and bf16 `extf`/`truncf` integer bit operations (so no
    compiler-rt helper is needed). Unlike `arith-expand` it leaves
    `maxnumf`, `minnumf`, `maximumf` and `minimumf` to arith-to-llvm, whose
    `llvm.maxnum`/`llvm.maximum` x86 compiles to one `vmaxps`/`vminps` when
    the other operand is a constant (a NaN-propagating bound by 0, or a
    value that may be NaN, costs a fix-up), where upstream's compares and
    selects cost a compare, a mask operation and a blend per bound.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

def ApproximateErf : Pass<"qcc-approximate-erf"> {
  let summary = "Replace f32 math.erf by a rational polynomial approximation";
  let description = [{
    `math.erf` otherwise becomes a libm call per element, which keeps a
    GELU (and the quantization or range reduction fused with it) a scalar
    loop. Upstream's approximation (three rational polynomials over
    [0, 0.8), [0.8, 2) and [2, 3.75), 1 beyond, the sign restored) is
    arithmetic, `math.fma`, `math.absf` and selects, which
    `qcc-vectorize-elementwise` and `qcc-vectorize-reductions` run on
    vectors. Its largest error against the exact erf, measured over every
    f32 input, is in docs/Numerics.md.

    Before:
    ```mlir
    %y = math.erf %x : f32
    ```
    After: `math.absf`, comparisons, `math.fma` chains, `arith.divf` and
    `arith.select`s computing the same function to within that error.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::math::MathDialect",
                           "mlir::vector::VectorDialect"];
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

def VectorizeContractions : Pass<"qcc-vectorize-contractions"> {
  let summary = "Register-tile and vectorize matmul-like contractions";
  let description = [{
    For contractions whose innermost loop is a parallel output dim (see
    `qcc-linalg-loop-order`), tiles the output into blocks of `m` rows by
    `n` columns (n a multiple of the vector width), keeps the reduction loops
    inside the block loops with a step of one, and vectorizes each tile.
    Upstream `loop-invariant-subset-hoisting` then moves the accumulator's
    read and write out of the reduction loops, so the block stays in
    registers. Accumulation order per output element is unchanged. An
    input may read a window along the vector loop (`w + kw`, a unit-stride
    depthwise convolution reading its input in place): each tile then reads
    one contiguous run, and the rows are not blocked when the window
    depends on them. A strided window (`2 * w + kw`, stride up to 4: a
    stride-2 MaxPool) is read through a strided slice of the tile's run,
    which `qcc-lower-vector-transfers` loads contiguously and shuffles.

    When the init is a `linalg.fill` of a constant that nothing else reads
    (a convolution's or pooling's zero or lowest value), the output is
    never filled in full: each block is filled just before its reduction
    loops, a write that (after hoisting and canonicalization) folds into
    the accumulator's first value, a splat in registers.

    Before: a `linalg.generic` over (m, k, n). After: `scf.for` over m and n
    blocks, then k, around `vector.transfer_read`s, elementwise vector
    arithmetic and a `vector.transfer_write` of the block.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
                           "mlir::tensor::TensorDialect", "mlir::arith::ArithDialect"];
}

def VectorizeElementwise : Pass<"qcc-vectorize-elementwise"> {
  let summary = "Tile elementwise generics along their innermost dim and vectorize";
  let description = [{
    Runs after bufferization (tiling tensor ops would thread graph outputs
    through loops that bufferize out of place). An all-parallel
    `linalg.generic` on buffers with only arithmetic (and vectorizable math:
    roundeven, floor, sqrt, ...) in its body, no sub-byte elements, static
    shapes, an innermost loop that walks its output contiguously and every
    operand either contiguous or broadcast along it is tiled
    to `[1, ..., 1, w]` (w = `width`, halved down to 4 until it divides the
    innermost extent) and each tile vectorized. Activations and the
    quantize/dequantize/requantize chains of integer models then run as
    vector code: they read and write slices of one workspace buffer, which
    LLVM's loop vectorizer cannot prove independent. Results are bitwise
    the same (each element's arithmetic is unchanged).

    An operand read as a window, its last index `d_inner + f(outer loops)`
    (padding copies, stride-1 im2col, copies into strided windows), still
    reads one contiguous run per tile: the other loops have extent 1 in a
    tile, so its map is rewritten with them at 0 before vectorizing. A
    strided window (`s * d_inner + f`, s up to 4: a stride-2 convolution's
    im2col) reads a strided subview of the tile's run (see
    `qcc-lower-vector-transfers`).
    `linalg.copy` and `linalg.map` are generalized first.

    Before: `linalg.generic` over (n, c, h, w). After: `scf.for` over n, c,
    h and w / 16 around `vector.transfer_read`s, vector arithmetic and a
    `vector.transfer_write`.
  }];
  let options = [
    Option<"width", "width", "int64_t", "16", "Elements per vector">
  ];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
                           "mlir::tensor::TensorDialect", "mlir::arith::ArithDialect"];
}

def LowerVectorTransfers : Pass<"qcc-lower-vector-transfers"> {
  let summary = "Broadcasting and permuted vector transfers to loads and broadcasts";
  let description = [{
    Runs upstream's transfer permutation-map lowering and rank-1 transfer
    lowering before VectorToSCF, so a transfer_read that broadcasts a
    scalar or per-channel value becomes `vector.load`/`memref.load` plus
    `vector.broadcast` instead of a loop filling one lane at a time.

    A read of n lanes from a subview with a static innermost stride s > 1
    (of a unit-stride buffer: a strided window as the vectorizers slice
    it) becomes one `vector.maskedload` of the s * (n - 1) + 1 elements
    that cover the lanes, from the same window with unit stride, and a
    `vector.shuffle` keeping every s-th lane, instead of n scalar loads.
  }];
  let dependentDialects = ["mlir::vector::VectorDialect", "mlir::memref::MemRefDialect"];
}

def PackInt8Contractions : Pass<"qcc-pack-int8-contractions", "mlir::ModuleOp"> {
  let summary = "Pack int8 contractions for 4-byte dot-product instructions";
  let description = [{
    On tensors, before contraction tiling. A `linalg.generic` computing
    `out += (ext(x) - zp) * ext(w)` in i32, with `w` a constant signed
    8-bit tensor (no zero point) and `x` 8-bit (uint8, or int8 biased by
    128), becomes:

    * a run-time copy of `x` and a compile-time copy of `w` in the layouts
      of a 4-byte dot-product instruction: the reduction loops flattened
      to K and grouped by 4 (zero weights pad K to a multiple of 4); the
      operand that walks the output's innermost dim packed
      `[..., K/4, N, 4]`, the other `[..., K/4, 4]`;
    * the zero-point term `-zp * sum_k w` as a constant added to the
      accumulator's initial value (exact in wrapping int32);
    * a `linalg.generic` over (parallel..., k4, j) on the packed operands,
      marked `qcc.int8_dot = "<isa>"`, that `qcc-lower-int8-dot` turns
      into the micro-kernel after bufferization (unmarked, it still
      computes the same result);
    * when the accumulator starts as a constant fill (a convolution's
      zeros), its initial value as a generic that reads only the term,
      marked `qcc.int8_prologue`, right before the contraction;
    * when the result's only reader (through reshapes) is an elementwise
      generic reading it whole (bias, requantization, activation), whose
      other operands exist before the contraction: that reader, moved
      right after the contraction with a `tensor.empty` of its own placed
      before it (so its buffer cannot share memory with the contraction's
      operands), and marked `qcc.epilogue`.

    Contractions whose output rows are shorter than `min-vector` or whose
    reduction is shorter than 16 (a 3x3 depthwise convolution) are left
    alone: the packing copy costs more than the instruction saves.
  }];
  let options = [
    Option<"isa", "isa", "std::string", "\"x86-avx512-vnni\"",
           "Instruction set of the kernel (x86-avx512-vnni)">,
    Option<"minVector", "min-vector", "int64_t", "8",
           "Least output row length worth packing">
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::arith::ArithDialect",
                           "mlir::tensor::TensorDialect"];
}

def LowerInt8Dot : Pass<"qcc-lower-int8-dot"> {
  let summary = "Micro-kernels for the contractions qcc-pack-int8-contractions marked";
  let description = [{
    On buffers. Each `linalg.generic` marked `qcc.int8_dot =
    "x86-avx512-vnni"` becomes loops around a register block of up to
    4 rows x 4 vectors of 16 int32 accumulators, kept in registers over
    the K/4 loop; each step loads 64 bytes of the vector operand per
    column, broadcasts 4 bytes of the other operand per row and issues
    `llvm.x86.avx512.vpdpbusd.512` for every accumulator. Columns past the
    last whole vector use masked loads and stores. The activation packing
    copies marked `qcc.int8_pack` load 16 bytes from each of 4 consecutive
    reduction rows and interleave them with one byte shuffle into a
    64-byte store.

    The kernel computes the marked generics next to it on its registers:
    the accumulators start at the value of the `qcc.int8_prologue` that
    writes its output, and the `qcc.epilogue` that reads it is
    evaluated on each block of accumulators and stores its own (uint8)
    output, so the int32 accumulators are never filled, loaded or stored.
    Each operand of those generics must be constant over a vector (a
    per-channel bias or scale: one load and a splat) or contiguous along
    it (a vector load), their bodies plain arithmetic (no per-lane libm
    calls, no integer division), and the epilogue's output must not
    overlap the kernel's operands in the workspace; otherwise the mark is
    dropped and the generic runs on its own. Results are bitwise the same.

    An epilogue ending in `qcc-saturating-round`'s tail, `trunci(w + zp)`
    to 8 bits with `w` rounded from a value clamped so that `w + zp` stays
    in the 8-bit range, is evaluated to `w` on the four vectors of a
    block's row and narrowed by `llvm.x86.avx512.packssdw.512`, the zero
    point added in i16, `packuswb.512` (or `packsswb.512`) and one dword
    shuffle back into order: one 64-byte store instead of four truncations
    (two uops each) and stores. Nothing saturates, so the bytes are the
    same. (The packs need AVX-512BW, which every AVX-512 VNNI CPU has.)
  }];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
                           "mlir::memref::MemRefDialect", "mlir::arith::ArithDialect",
                           "mlir::LLVM::LLVMDialect", "mlir::affine::AffineDialect"];
}

def VectorizeReductions : Pass<"qcc-vectorize-reductions"> {
  let summary = "Vectorize reductions over an input's contiguous innermost dims";
  let description = [{
    On buffers. A `linalg.generic` whose body is `yield combine(f(in), out)`
    (addf, addi, maximumf, minimumf, max/min signed or unsigned) on 32-bit
    accumulators, with f elementwise arithmetic of the input element, of
    other inputs read like it (the other terms of a fused sum) and of
    scalars indexed by output dims (a fused DequantizeLinear of 8-bit
    values, computed on vectors), whose leading loops are parallel and index the output in
    order, and whose trailing loops reduce the innermost dims of a
    contiguous input (GlobalAveragePool, ReduceSum/Mean/Max over the last
    axes) becomes, per output element, a loop over the flattened reduced
    dims with four 16-lane accumulators, single vectors and a masked tail,
    the accumulators combined as (a0 + a1) + (a2 + a3), the 16 lanes summed
    in order, then one combine with the output's initial value. Integer,
    max and min results are unchanged; a float sum is reassociated into 64
    partial sums, in an order fixed by the IR (the same on every target;
    docs/Numerics.md).

    Several outputs, each `yield combine_k(f_k(in), out_k)` (a min and a
    max: DynamicQuantizeLinear's range), share the loads and the prefix,
    with accumulators of their own. f may also use single-instruction math
    (sqrt, roundeven, fma, ...) and, when whole vectors fit the innermost
    dim, inputs indexed by any loops with the innermost one last (a vector
    load) or absent (a scalar per vector, broadcast): the per-row
    statistics and per-column weights of a LayerNorm whose output is
    quantized dynamically.

    Before:
    ```mlir
    linalg.generic {iterator_types = ["reduction", "reduction"]}
        ins(%x : memref<16x64xf32>) outs(%lo, %hi : memref<f32>, memref<f32>) {
    ^bb0(%a: f32, %l: f32, %h: f32):
      %mn = arith.minimumf %a, %l : f32
      %mx = arith.maximumf %a, %h : f32
      linalg.yield %mn, %mx : f32, f32
    }
    ```
    After: an `scf.for` over the 1024 flattened elements in steps of 64
    carrying 4 + 4 `vector<16xf32>` accumulators, `vector.reduction
    <minimumf>` and `<maximumf>`, and one `memref.store` per output.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
                           "mlir::memref::MemRefDialect", "mlir::arith::ArithDialect"];
}

#endif // QCC_CONVERSION_PASSES
