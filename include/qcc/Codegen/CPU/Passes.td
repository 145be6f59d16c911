//===- Passes.td - CPU code generation ----------------------*- tablegen -*-===//
#ifndef QCC_CODEGEN_CPU_PASSES
#define QCC_CODEGEN_CPU_PASSES

include "mlir/Pass/PassBase.td"

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

def FuseWeightGemv : Pass<"qcc-fuse-weight-gemv", "mlir::func::FuncOp"> {
  let summary = "GEMVs that compute their weights from packed constants in registers";
  let description = [{
    A contraction `out[rows, n] += x[rows, k] * w[k, n]` (or `w[n, k]`) in
    f32 with at most `max-rows` rows, whose `w` is computed by an
    elementwise generic from constants only (the dequantization of w8, w4,
    w3 or w2 weights, grouped or per channel, or f16 weights widened), and
    read by nothing else: the contraction becomes loops over 16-lane
    column chunks and the reduction, where the producer's body runs on
    vectors read straight from the packed constants. The float weights are
    never written (a weight-only model's workspace holds none of them) and
    each packed byte is loaded once for all the weights it holds. The
    reduction is split into the producer's groups (`k floordiv G`), so a
    group's scales and zero points are read once.

    When the producer is `f * s` with s fixed within a group and f an
    integer converted to float (every integer weight-only format's
    `sitofp(q - z) * s`), each group sums `x * f` with fused multiply-adds
    and multiplies by s once: per weight a subtraction, a conversion and an
    FMA instead of a multiplication by s, a multiplication and an addition.
    That rounds differently from the unfused contraction (docs/Numerics.md:
    within a few f32 ulps of the group sums). Other producers (f16
    weights), or `exact=true`, get the same operations in the same order as
    the unfused contraction: bit-identical results.

    Before:
    ```mlir
    %w = linalg.generic {...} ins(%packed, %scales, %zps : ...) outs(%e : tensor<256x2x256xf32>) {
      ... // unpack a nibble, subtract the zero point, scale
    }
    %wc = tensor.collapse_shape %w [[0], [1, 2]] : ... into tensor<256x512xf32>
    %y = linalg.generic {... "reduction"} ins(%x, %wc : tensor<1x256xf32>, tensor<256x512xf32>) outs(%zero : tensor<1x512xf32>) {
      %p = arith.mulf %in, %in_1 : f32
      %s = arith.addf %out, %p : f32
      linalg.yield %s : f32
    }
    ```
    After:
    ```mlir
    %y = scf.for %t = %c0 to %c8 step %c1 iter_args(%o = %zero) -> (tensor<1x512xf32>) {
      %acc:4 = scf.for %g = %c0 to %c2 step %c1 iter_args(...) {
        // scales and zero points of group %g, both nibbles
        scf.for %kk = %c0 to %c128 step %c1 iter_args(...) {
          %bytes = vector.transfer_read %packed[%k, %j] : tensor<256x256xi8>, vector<16xi8>
          ... // both nibbles unpacked, dequantized, multiplied, added
        }
      }
      ... // vector.transfer_write of each accumulator
    }
    ```
  }];
  let options = [
    Option<"maxRows", "max-rows", "int64_t", /*default=*/"8",
           "Fuse contractions with at most this many rows (tokens)">,
    Option<"exact", "exact", "bool", /*default=*/"false",
           "Dequantize every weight as the unfused contraction does "
           "(bit-identical results) instead of the affine form">,
  ];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
                           "mlir::tensor::TensorDialect", "mlir::affine::AffineDialect",
                           "mlir::ub::UBDialect", "mlir::math::MathDialect"];
}

def OutlineParallelLoops : Pass<"qcc-outline-parallel-loops", "mlir::ModuleOp"> {
  let summary = "Parallel loops on buffers as tasks for the caller's threads";
  let description = [{
    Each top-level 1-D `scf.forall` on buffers (constant bounds) becomes a
    private function `<func>_task<N>(begin, end, captured...)` running its
    iterations [begin, end), and a call to the declaration
    `qcc.parallel_for.<func>_task<N>(count, captured...)`, which the CPU
    target defines when it writes the model: it runs the task over [0,
    count) through the caller's parallel-for (P_run_parallel, ABI version
    4), or on the calling thread alone (P_run). Constants and globals'
    addresses are recomputed in the task; other captured values must be
    scalars or static buffers with the identity layout (one pointer each),
    else the loop becomes a sequential `scf.for`.

    Before:
    ```mlir
    scf.forall (%t) in (512) {
      ... // writes columns 32 t .. 32 t + 31 of %out
    }
    ```
    After:
    ```mlir
    call @qcc.parallel_for.main_task0(%c512, %x, %out) : (index, memref<1x4096xf32>, memref<1x16384xf32>) -> ()
    func.func private @main_task0(%begin: index, %end: index, %x: memref<1x4096xf32>, %out: memref<1x16384xf32>) {
      scf.for %i = %begin to %end step %c1 { ... }
      return
    }
    ```
  }];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::scf::SCFDialect",
                           "mlir::arith::ArithDialect"];
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

#endif // QCC_CODEGEN_CPU_PASSES
