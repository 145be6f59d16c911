#!/usr/bin/python3
"""Checks that an object file built with --integer-only stands alone.

usage: check_standalone.py OBJECT [OBJECT...]

For each ELF object (x86-64, AArch64 or 32-bit Arm/Thumb) it checks, with
llvm-readelf, llvm-nm and llvm-objdump (LLVM 22's, or the first on PATH):

  * no undefined symbols (no libc, libm, runtime, memcpy or memset calls);
  * no writable or thread-local data (.data, .bss, .tdata, .tbss: the
    object keeps no state, so it is re-entrant; .data.rel.ro is written only
    by a dynamic loader's relocations) and no static constructors or
    destructors (.init_array, .fini_array, .ctors, .dtors);
  * no floating-point instruction: x86 SSE/AVX/x87 float arithmetic,
    comparisons or conversions; AArch64 FP arithmetic or conversions (an
    fmov between registers, general-purpose or vector, is a bit copy of
    integer data and allowed, an fmov of a float immediate is not; integer
    Advanced SIMD is allowed); Arm/Thumb: no VFP, NEON or MVE instruction
    at all.

Prints one line per object and each violation; exits 1 if any.
"""

import os
import re
import shutil
import subprocess
import sys


def tool(name):
    for candidate in ("/usr/lib/llvm-22/bin/" + name, name + "-22", name):
        path = candidate if os.path.isabs(candidate) else shutil.which(candidate)
        if path and os.path.exists(path):
            return path
    sys.exit("check_standalone: %s not found" % name)


def run(*args):
    return subprocess.run(args, check=True, capture_output=True,
                          text=True).stdout


# x86: scalar/packed float arithmetic, compares and conversions; x87.
X86_FLOAT = re.compile(
    r"^v?(add|sub|mul|div|sqrt|max|min|rcp(14|28)?|rsqrt(14|28)?|round|"
    r"cmp\w*|fn?m(add|sub)\d*|fmaddsub\d*|fmsubadd\d*|dp|hadd|hsub|addsub|"
    r"getexp|getmant|scalef|reduce|range|rndscale|fixupimm|fpclass)"
    r"(ss|sd|ps|pd|sh|ph)$"
    r"|^v?u?comis[sdh]$|^v?cvt\w*$|^f[a-z0-9]+$")
# AArch64: FP data processing and conversions.
A64_FLOAT = re.compile(r"^(f[a-z0-9]+|[su]cvtf|bf\w+)$")

FORBIDDEN_SECTIONS = re.compile(
    r"^\.(data|bss|tdata|tbss|init_array|fini_array|ctors|dtors)(\.|$)")
ALLOWED_SECTIONS = re.compile(r"^\.data\.rel\.ro(\.|$)")


def machine(obj):
    header = run(tool("llvm-readelf"), "-h", obj)
    m = re.search(r"Machine:\s*(.*)", header)
    text = m.group(1) if m else ""
    if "X86-64" in text or "x86-64" in text:
        return "x86-64"
    if "AArch64" in text:
        return "aarch64"
    if "ARM" in text:
        return "arm"
    sys.exit("check_standalone: %s: unsupported machine '%s'" % (obj, text))


def float_instructions(obj, arch):
    found = []
    for line in run(tool("llvm-objdump"), "-d", "--no-show-raw-insn",
                    obj).splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not re.match(r"^\s*[0-9a-f]+:", parts[0]):
            continue
        fields = parts[1].split(None, 1)
        if not fields:
            continue
        mnemonic = fields[0]
        operands = parts[2] if len(parts) > 2 else (
            fields[1] if len(fields) > 1 else "")
        if arch == "x86-64":
            bad = bool(X86_FLOAT.match(mnemonic))
        elif arch == "aarch64":
            bad = bool(A64_FLOAT.match(mnemonic)) and not (
                mnemonic == "fmov" and "#" not in operands)
        else:  # Arm/Thumb: VFP, NEON and MVE all start with 'v'.
            bad = mnemonic.startswith("v")
        if bad:
            found.append(line.strip())
    return found


def check(obj):
    problems = []
    arch = machine(obj)
    undefined = run(tool("llvm-nm"), "--undefined-only",
                    "--just-symbol-name", obj).split()
    problems += ["undefined symbol: " + s for s in undefined]
    for line in run(tool("llvm-readelf"), "-S", "-W", obj).splitlines():
        m = re.match(r"^\s*\[\s*\d+\]\s+(\S+)", line)
        if not m:
            continue
        name = m.group(1)
        if name.startswith(".rel"):
            continue
        if FORBIDDEN_SECTIONS.match(name) and not ALLOWED_SECTIONS.match(name):
            problems.append("section %s (mutable, thread-local or "
                            "constructor data)" % name)
    floats = float_instructions(obj, arch)
    problems += ["floating-point instruction: " + f for f in floats[:20]]
    if len(floats) > 20:
        problems.append("... %d more floating-point instructions"
                        % (len(floats) - 20))
    status = "ok" if not problems else "FAILED"
    print("%s: %s: %s: 0 undefined symbols, no state, no floating point"
          % (os.path.basename(obj), arch, status) if not problems else
          "%s: %s: %s" % (os.path.basename(obj), arch, status))
    for p in problems:
        print("  " + p)
    return not problems


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    ok = all([check(obj) for obj in sys.argv[1:]])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
