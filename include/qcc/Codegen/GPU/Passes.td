//===- Passes.td - GPU code generation: loops to kernels --*- tablegen -*-===//
//
// -target=cuda: after bufferization every loop nest of `main` becomes a GPU
// kernel; `main` itself only launches kernels on device buffers.
//
//===----------------------------------------------------------------------===//
#ifndef QCC_CODEGEN_GPU_PASSES
#define QCC_CODEGEN_GPU_PASSES

include "mlir/Pass/PassBase.td"

def GPUMapLoops : Pass<"qcc-gpu-map-loops", "mlir::func::FuncOp"> {
  let summary = "Map the loop nests of a function onto GPU blocks and threads";
  let description = [{
    Every top-level `scf.parallel` (from `convert-linalg-to-parallel-loops`)
    has its dimensions collapsed into one, is tiled by `block-size`, and gets
    the mapping attributes `convert-parallel-loops-to-gpu` reads: tiles on
    block x, iterations of a tile on thread x (a guard skips the threads past
    the end). Any other top-level operation that reads or writes memory (a
    reduction-only `scf.for`, a store) is wrapped in a one-thread launch, so
    that the host function never touches device memory. An operation whose
    results are used outside cannot move to the device and is an error.

    Before:
    ```mlir
    scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) { ... }
    ```
    After:
    ```mlir
    scf.parallel (%b) = (%c0) to (%c32) step (%c256) {
      scf.parallel (%t) = (%c0) to (%c256) step (%c1) {
        scf.if %in_bounds { ... }
      } {mapping = [#gpu.loop_dim_map<processor = thread_x, ...>]}
    } {mapping = [#gpu.loop_dim_map<processor = block_x, ...>]}
    ```
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block">
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
    "mlir::scf::SCFDialect", "mlir::affine::AffineDialect"
  ];
}

def GPUInt8TensorCores : Pass<"qcc-gpu-int8-tensor-cores",
                              "mlir::func::FuncOp"> {
  let summary = "8-bit integer contractions as tiled tensor-core kernels";
  let description = [{
    A `linalg.generic` on buffers computing
    `out += (ext(a) - zpA) * (ext(b) - zpB)` over 8-bit `a` and `b` into
    int32 (MatMul, Gemm, and convolutions as implicit GEMMs: any indexing
    maps whose loops split into batch, row (M), column (N) and reduction
    (K) dimensions) becomes one `gpu.launch`: a block computes a BMxBN
    output tile with four warps (2x2), staging each 32-deep slice of `a`
    and `b` through shared memory (K-contiguous 32-bit words, rows padded to
    48 bytes so that fragment reads hit 32 distinct banks) and multiplying
    on tensor cores with `mma.sync.m16n8k32` (u8/s8 operands as the `ext`s
    say, wrapping int32 accumulation like the CPU's). Zero points are not
    8-bit values: the raw bytes are multiplied and the zero-point terms are
    subtracted in the epilogue from row and column sums gathered while
    staging (`-zpA*sum_k b - zpB*sum_k a + K*zpA*zpB`), which is exact in
    wrapping int32 arithmetic. Edges are zero-padded; the epilogue adds the
    tile to the output's previous contents, as linalg does. Contractions
    with fewer than 8 rows or columns, or 16 reduction steps (GEMVs,
    depthwise convolutions), are left to the generic mapping.

    The elementwise reader of the result that `qcc-gpu-mark-epilogues`
    marked (`qcc.epilogue`: bias, requantization, activation) is
    computed on each finished output element in the same kernel and only
    its output is stored: the int32 result never reaches device memory and
    no second kernel reads it back. A reader whose output may overlap what
    the kernel reads, or whose operands come later, stays a kernel of its
    own (the mark is dropped).
  }];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::gpu::GPUDialect", "mlir::LLVM::LLVMDialect",
    "mlir::memref::MemRefDialect", "mlir::NVVM::NVVMDialect",
    "mlir::scf::SCFDialect"
  ];
}

def GPUFloatContractions : Pass<"qcc-gpu-float-contractions",
                                "mlir::func::FuncOp"> {
  let summary = "Float contractions as tiled and GEMV kernels";
  let description = [{
    A `linalg.generic` on buffers computing `out += a * b` in f32 (operands
    f32, or f16/bf16 widened with `extf`) whose loops split into batch, row
    (M), column (N) and reduction (K) loops (MatMul, Gemm, attention's
    products, convolutions as implicit GEMMs) becomes one `gpu.launch` of
    256-thread blocks, instead of one thread per output element looping
    over K:

    - more than 8 rows: each block computes a BMxBN tile (BM 16/32/64 by
      M, BN 32/64 by N), each thread a (BM/16)x(BN/16) register tile;
      16-deep K slices of both operands are staged in shared memory (K-major,
      rows padded by one float), consecutive threads reading consecutive
      elements of each operand's innermost loop; every staged value feeds
      BM/16 or BN/16 `fma`s.
    - at most 8 rows (batch-1 and small-batch decoding): each block computes
      32 columns for all rows, its warps splitting K (with a K-contiguous
      weight, the 32 lanes split K and each warp takes a column); blocks
      have 256 threads, or 1024 when there are fewer than 256 of them (more
      loads in flight). A thread reads each of its weights once, straight
      into registers (loop unrolled 8 times), and the K groups' partial
      sums are added in shared memory in a fixed order.

    Both are deterministic (a fixed summation order) and add to the
    output's previous contents, as linalg does. Products with fewer than 8
    columns or too short a reduction (depthwise convolutions) stay with the
    generic mapping; with fewer columns than rows the roles swap.

    An operand written by an elementwise `linalg.generic` that reads only
    weight globals and constants, into a buffer nothing else reads (f16
    weights widened to f32, int8/int4/int2 weights dequantized), is
    computed where the kernel loads it: packed weights are read and
    dequantized in registers, the float weight never reaches device memory
    and its producer is erased.

    The reader `qcc-gpu-mark-epilogues` marked (`qcc.epilogue`: Relu, GELU,
    a residual add) is computed on each finished element and only its
    output is stored, unless its output may overlap what the kernel reads.

    With `float-math=tf32` (or `auto`, the default, for products whose
    weights are f16 widened to f32: tf32 holds them exactly), products of
    more than 8 rows run on tensor cores instead: the int8 kernel's
    structure (128 threads, 2 x 2 warps of 16x8 fragments, K-contiguous
    32-bit words in shared memory, rows padded to 12 words) with each word
    one operand rounded to tf32 (10 mantissa bits, ties away from zero) and
    `mma.sync.m16n8k8.tf32` accumulating in f32. `f16` uses
    `mma.sync.m16n8k16.f16` (twice tf32's rate) on every tiled product, each
    word two halves rounded to nearest even (magnitudes beyond 65504 become
    infinite), f32 sums. `f32` keeps every product on FMAs (chips before
    sm_80 have neither).
  }];
  let options = [
    Option<"floatMath", "float-math", "std::string", /*default=*/"\"auto\"",
           "Tiled products on tensor cores: auto (tf32 where the weights "
           "are f16), tf32 (all), f16 (all, f16 operands), f32 (none)">
  ];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::gpu::GPUDialect", "mlir::LLVM::LLVMDialect",
    "mlir::math::MathDialect", "mlir::memref::MemRefDialect",
    "mlir::NVVM::NVVMDialect", "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect"
  ];
}

def GPUReductions : Pass<"qcc-gpu-reductions", "mlir::func::FuncOp"> {
  let summary = "Reductions as one block per output element";
  let description = [{
    A `linalg.generic` on buffers with reduction loops whose every yielded
    value is `combiner(value, out)` (add, mul, max/min in their float and
    integer forms, and, or, xor), `value` computed from the inputs
    (LayerNorm's and softmax's row statistics, ReduceSum/Mean/Max, a
    pooling, DynamicQuantizeLinear's min and max), becomes one
    `gpu.launch` with a block per output element instead of a thread: its
    threads (up to 256, the reduced extent rounded up to a power of two)
    stride over the reduced elements, consecutive threads on consecutive
    elements, each folding its share into a register starting from the
    combiner's identity; the block then combines the threads' values in
    shared memory by halving (thread t takes t + s, s = threads/2 ... 1),
    and thread 0 combines the total with the output's previous contents.
    The order is fixed (deterministic); float sums are in another order
    than the CPU's. Reductions of fewer than 64 elements, or of fewer than
    1024 when there are over 16384 outputs (one thread each already fills
    the GPU), keep the generic mapping.
  }];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::gpu::GPUDialect", "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect"
  ];
}

def GPUMarkEpilogues : Pass<"qcc-gpu-mark-epilogues", "mlir::func::FuncOp"> {
  let summary = "Mark the elementwise readers of contractions for fusion";
  let description = [{
    On tensors, for -target=cuda (the CPU's `qcc-pack-int8-contractions`
    does the same for its kernels). The only reader of an int32 or f32
    contraction's result `out + a * b`, when it is an elementwise
    `linalg.generic` reading it whole at the identity (through reshapes)
    and all its other operands exist before the contraction, is moved
    right after it, marked `qcc.epilogue`, and given its own
    `tensor.empty` before the contraction (so that bufferization cannot
    place its output over the contraction's operands).
    `qcc-gpu-int8-tensor-cores` and `qcc-gpu-float-contractions` then
    compute it in the kernel's epilogue.

    Before:
    ```mlir
    %acc = linalg.generic ... ins(%a, %w) outs(%zero) { out + ext(a) * ext(w) }
    %other = ...
    %q = linalg.generic ins(%acc, %bias) outs(%e) { requantize }
    ```
    After:
    ```mlir
    %e2 = tensor.empty() : tensor<...xi8>
    %acc = linalg.generic ... ins(%a, %w) outs(%zero) { ... }
    %q = linalg.generic {qcc.epilogue} ins(%acc, %bias) outs(%e2) { requantize }
    %other = ...
    ```
  }];
  let dependentDialects = ["mlir::tensor::TensorDialect", "mlir::linalg::LinalgDialect"];
}

def GPUSinkKernelConstants : Pass<"qcc-gpu-sink-kernel-constants",
                                  "mlir::func::FuncOp"> {
  let summary = "Move constants and weight globals into the kernels using them";
  let description = [{
    A `gpu.launch` body that reads a weight through `memref.get_global` (and
    the views FlattenGlobals puts on it) gets its own copy of that chain, so
    kernel outlining clones the global into the device module instead of
    passing a host address to the kernel. Scalar constants move too.

    Before:
    ```mlir
    %w = memref.get_global @w : memref<6xf32>
    %v = memref.expand_shape %w [[0, 1]] output_shape [2, 3] : ...
    gpu.launch ... { ... memref.load %v[%i, %j] ... }
    ```
    After:
    ```mlir
    gpu.launch ... {
      %w = memref.get_global @w : memref<6xf32>
      %v = memref.expand_shape %w [[0, 1]] output_shape [2, 3] : ...
      ... memref.load %v[%i, %j] ...
    }
    ```
  }];
}

def GPUMergeKernelModules : Pass<"qcc-gpu-merge-kernel-modules",
                                 "mlir::ModuleOp"> {
  let summary = "Put every outlined kernel into one gpu.module";
  let description = [{
    Kernel outlining makes one `gpu.module` per launch. Merged into one
    module, `@qcc_kernels`, the model has a single device image (one PTX
    file, one cubin, one module load) and each weight global is stored once
    even when several kernels read it. Launches are updated to the new
    symbol.

    Before:
    ```mlir
    gpu.module @main_kernel { gpu.func @main_kernel(...) kernel {...} }
    gpu.module @main_kernel_0 { gpu.func @main_kernel(...) kernel {...} }
    ```
    After:
    ```mlir
    gpu.module @qcc_kernels {
      gpu.func @main_kernel(...) kernel {...}
      gpu.func @main_kernel_0(...) kernel {...}
    }
    ```
  }];
}

def GPUNativeMath : Pass<"qcc-gpu-native-math", "mlir::gpu::GPUModuleOp"> {
  let summary = "Rounding, sqrt and fma in kernels as PTX instructions";
  let description = [{
    `convert-gpu-to-nvvm` turns every math op into a libdevice call, which
    needs libdevice from the CUDA toolkit. The calls PTX has an exactly
    rounded instruction for (round half to even, floor, ceil, trunc, abs,
    sqrt, fma) become LLVM intrinsics instead, which NVPTX selects as
    `cvt.rni`, `cvt.rmi`, `sqrt.rn`, `fma.rn`...: the same IEEE results as
    the CPU target, and quantized kernels need no libdevice. exp, tanh, erf
    and the like stay libdevice calls.

    Before:
    ```mlir
    %r = llvm.call @__nv_rintf(%x) : (f32) -> f32
    ```
    After:
    ```mlir
    %r = llvm.intr.roundeven(%x) : (f32) -> f32
    ```
  }];
}

#endif // QCC_CODEGEN_GPU_PASSES
