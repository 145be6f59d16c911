"""Turns a function lowered by `qcc-opt --qcc-to-llvm='target=cuda'` into a CPU program
that runs its kernels on emulated GPU threads (Inputs/emu_runtime.c: one
POSIX thread per GPU thread, barriers, and mma.sync computed from the
warp's registers by PTX's fragment tables: m16n8k32 on 8-bit integers,
m16n8k8 on tf32, m16n8k16 on f16), so that kernel results can be
compared with the CPU target's on a machine without a GPU.

usage: emulate_cuda.py LOWERED.mlir OUT_DIR

Writes OUT_DIR/emulated.mlir (the host function and the kernels, as plain
LLVM-dialect functions: thread and block ids, barriers and MMAs become
calls of the runtime, shared memory becomes ordinary globals, which is
right because blocks run one after another) and OUT_DIR/launchers.c (one
launcher per kernel, which packs the kernel's arguments and runs its grid).
"""
import os
import re
import sys

src, out_dir = sys.argv[1], sys.argv[2]
text = open(src).read()

# The device module's body, and the module without it.
start = re.search(r"^\s*gpu\.module @\w+.*\{\s*$", text, re.M)
if not start:
    sys.exit("emulate_cuda: no gpu.module in " + src)
depth, i = 1, start.end()
while depth:
    c = text[i]
    depth += c == "{"
    depth -= c == "}"
    i += 1
device = text[start.end():i - 1]
host = text[:start.start()] + text[i:]

C_TYPES = {"!llvm.ptr": "void *", "i64": "int64_t", "i32": "int32_t",
           "f32": "float", "i8": "int8_t", "i16": "int16_t", "f64": "double"}

kernels = {}
for m in re.finditer(r"llvm\.func @(\w+)\(([^)]*)\) attributes \{[^\n]*"
                     r"gpu\.kernel[^\n]*\{", device):
    params = [p.split(":")[1].strip() for p in m.group(2).split(",") if p]
    kernels[m.group(1)] = params
if not kernels:
    sys.exit("emulate_cuda: no kernel in " + src)


def device_fn(name):
    return "qcc_emu_kernel_" + name


# Device code for the CPU: no kernel attributes, one address space, the
# hardware's registers and instructions as runtime calls.
def strip_attributes(m):
    return "llvm.func @%s(%s) {" % (device_fn(m.group(1)), m.group(2))


device = re.sub(r"llvm\.func @(\w+)\(([^)]*)\) attributes \{[^\n]*\{",
                strip_attributes, device)
device = re.sub(r"addr_space = \d+ : i32", "addr_space = 0 : i32", device)
device = re.sub(r"llvm\.addrspacecast (%\w+) : !llvm\.ptr<\d+> to !llvm\.ptr",
                r"llvm.bitcast \1 : !llvm.ptr to !llvm.ptr", device)
device = re.sub(r"!llvm\.ptr<\d+>", "!llvm.ptr", device)
device = re.sub(r"nvvm\.read\.ptx\.sreg\.(tid|ctaid|ntid|nctaid)\.([xyz])"
                r"(?: range <[^>]*>)? : i32",
                r"llvm.call @qcc_emu_\1_\2() : () -> i32", device)
device = re.sub(r"nvvm\.barrier0\b", "llvm.call @qcc_emu_barrier() : () -> ()",
                device)


def mma(m):
    regs = ", ".join(x.strip() for x in
                     (m.group(1) + "," + m.group(2) + "," + m.group(3))
                     .split(","))
    attrs = m.group(4)
    types = re.findall(r"mma_type<(\w+)>", attrs)
    if "m = 16, n = 8, k = 32" in attrs and len(types) == 2:
        return ("llvm.call @qcc_emu_mma_m16n8k32_%s_%s(%s) : (%s) -> "
                "!llvm.struct<(i32, i32, i32, i32)>"
                % (types[0], types[1], regs, ", ".join(["i32"] * 10)))
    if "m = 16, n = 8, k = 8" in attrs and types == ["tf32", "tf32"]:
        return ("llvm.call @qcc_emu_mma_m16n8k8_tf32(%s) : (%s) -> "
                "!llvm.struct<(f32, f32, f32, f32)>"
                % (regs, ", ".join(["i32"] * 6 + ["f32"] * 4)))
    # f16 operands are vector<2xf16>; their type is not spelled as an
    # attribute.
    if ("m = 16, n = 8, k = 16" in attrs and not types and
            m.group(5).startswith("vector<2xf16>")):
        return ("llvm.call @qcc_emu_mma_m16n8k16_f16(%s) : (%s) -> "
                "!llvm.struct<(f32, f32, f32, f32)>"
                % (regs, ", ".join(["vector<2xf16>"] * 6 + ["f32"] * 4)))
    sys.exit("emulate_cuda: unsupported mma: " + attrs)


device = re.sub(r"nvvm\.mma\.sync A\[([^\]]*)\]\s+B\[([^\]]*)\]\s+"
                r"C\[([^\]]*)\]\s+\{([^}]*)\} : \(([^)]*)\) -> "
                r"!llvm\.struct<\((?:i32|f32), (?:i32|f32), (?:i32|f32), "
                r"(?:i32|f32)\)>", mma, device)
leftover = re.findall(r"\bnvvm\.[a-z_.0-9]+", device)
if leftover:
    sys.exit("emulate_cuda: cannot emulate " + ", ".join(sorted(set(leftover))))

decls = []
for name in ("tid", "ctaid", "ntid", "nctaid"):
    for d in "xyz":
        decls.append("llvm.func @qcc_emu_%s_%s() -> i32" % (name, d))
decls.append("llvm.func @qcc_emu_barrier()")


# mma.sync returns four registers; the C runtime writes them through a
# pointer (a struct return would not match C's calling convention).
def mma_wrapper(name, runtime, flags, params, result):
    """A function `name` taking `params` (vector<2xf16> registers are passed
    to the runtime as their 32 bits) that calls `runtime` with `flags`,
    the registers and a pointer to the four results."""
    regs = ["%%r%d" % k for k in range(len(params))]
    struct = "!llvm.struct<(%s)>" % ", ".join([result] * 4)
    lines = ["llvm.func @%s(%s) -> %s {"
             % (name, ", ".join(r + ": " + t for r, t in zip(regs, params)),
                struct),
             "  %one = llvm.mlir.constant(1 : i64) : i64",
             "  %%p = llvm.alloca %%one x !llvm.array<4 x %s> : "
             "(i64) -> !llvm.ptr" % result]
    args = []
    for k, flag in enumerate(flags):
        lines.append("  %%f%d = llvm.mlir.constant(%d : i32) : i32" % (k, flag))
        args.append("%%f%d" % k)
    words = []
    for reg, t in zip(regs, params):
        if t == "vector<2xf16>":
            lines.append("  %s_w = llvm.bitcast %s : vector<2xf16> to i32"
                         % (reg, reg))
            words.append(reg + "_w")
        else:
            words.append(reg)
    call_types = ["i32" if t == "vector<2xf16>" else t for t in params]
    lines += ["  llvm.call @%s(%s, %%p) : (%s, !llvm.ptr) -> ()"
              % (runtime, ", ".join(args + words),
                 ", ".join(["i32"] * len(flags) + call_types)),
              "  %%s0 = llvm.mlir.undef : %s" % struct]
    for q in range(4):
        lines += ["  %%q%d = llvm.getelementptr %%p[%d] : (!llvm.ptr) -> "
                  "!llvm.ptr, %s" % (q, q, result),
                  "  %%v%d = llvm.load %%q%d : !llvm.ptr -> %s" % (q, q, result),
                  "  %%s%d = llvm.insertvalue %%v%d, %%s%d[%d] : %s"
                  % (q + 1, q, q, q, struct)]
    lines += ["  llvm.return %%s4 : %s" % struct, "}"]
    return "\n".join(lines)


decls.append("llvm.func @qcc_emu_mma(%s, !llvm.ptr)" % ", ".join(["i32"] * 12))
for a in ("u8", "s8"):
    for b in ("u8", "s8"):
        decls.append(mma_wrapper("qcc_emu_mma_m16n8k32_%s_%s" % (a, b),
                                 "qcc_emu_mma", [a == "u8", b == "u8"],
                                 ["i32"] * 10, "i32"))
decls.append("llvm.func @qcc_emu_mma_tf32(%s, !llvm.ptr)"
             % ", ".join(["i32"] * 6 + ["f32"] * 4))
decls.append(mma_wrapper("qcc_emu_mma_m16n8k8_tf32", "qcc_emu_mma_tf32", [],
                         ["i32"] * 6 + ["f32"] * 4, "f32"))
decls.append("llvm.func @qcc_emu_mma_f16(%s, !llvm.ptr)"
             % ", ".join(["i32"] * 6 + ["f32"] * 4))
decls.append(mma_wrapper("qcc_emu_mma_m16n8k16_f16", "qcc_emu_mma_f16", [],
                         ["vector<2xf16>"] * 6 + ["f32"] * 4, "f32"))

# Host code: each launch calls its launcher with the grid, the block and
# the kernel's arguments.
def launch(m):
    name = m.group(1)
    dims = [d.strip() for d in (m.group(2) + "," + m.group(3)).split(",")]
    args = [a.split(":")[0].strip() for a in m.group(5).split(",")]
    types = ["i64"] * 6 + kernels[name]
    return "llvm.call @qcc_emu_launch_%s(%s) : (%s) -> ()" % (
        name, ", ".join(dims + args), ", ".join(types))


host, launches = re.subn(
    r"gpu\.launch_func\s+@\w+::@(\w+) blocks in \(([^)]*)\) threads in "
    r"\(([^)]*)\) : (i64|i32) args\(([^)]*)\)", launch, host)
if not launches:
    sys.exit("emulate_cuda: no gpu.launch_func in " + src)
for name, params in kernels.items():
    decls.append("llvm.func @qcc_emu_launch_%s(%s)" %
                 (name, ", ".join(["i64"] * 6 + params)))
# A model's entry point would clash with the C program's main.
host = host.replace("llvm.func @main(", "llvm.func @qcc_emu_main(")

# The module's attributes (gpu.container_module, qcc's model signature)
# mean nothing here.
head = re.search(r"^module\b.*\{\s*$", host, re.M)
if not head:
    sys.exit("emulate_cuda: no module in " + src)
module = ("module {\n" + "\n".join(decls) + "\n" + device +
          host[head.end():])
os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, "emulated.mlir"), "w") as f:
    f.write(module)

with open(os.path.join(out_dir, "launchers.c"), "w") as f:
    f.write("#include <stdint.h>\n")
    f.write("void qcc_emu_run(const int64_t dims[6], void (*body)(void *), "
            "void *args);\n")
    for name, params in kernels.items():
        ctypes = [C_TYPES[p] for p in params]
        fields = "".join("  %s a%d;\n" % (t, k) for k, t in enumerate(ctypes))
        f.write("struct args_%s {\n%s};\n" % (name, fields))
        f.write("void %s(%s);\n" % (device_fn(name), ", ".join(ctypes)))
        f.write("static void body_%s(void *p) {\n  struct args_%s *a = p;\n"
                "  %s(%s);\n}\n" % (name, name, device_fn(name),
                                    ", ".join("a->a%d" % k
                                              for k in range(len(ctypes)))))
        f.write("void qcc_emu_launch_%s(int64_t gx, int64_t gy, int64_t gz, "
                "int64_t bx, int64_t by, int64_t bz%s) {\n"
                % (name, "".join(", %s a%d" % (t, k)
                                 for k, t in enumerate(ctypes))))
        f.write("  const int64_t dims[6] = {gx, gy, gz, bx, by, bz};\n")
        f.write("  struct args_%s a = {%s};\n" %
                (name, ", ".join("a%d" % k for k in range(len(ctypes)))))
        f.write("  qcc_emu_run(dims, body_%s, &a);\n}\n" % name)
