#!/usr/bin/python3
"""Run ONNX's backend conformance tests (Debian libonnx-testdata) through qcc.

Each test folder holds model.onnx and test_data_set_*/{input,output}_*.pb.
A test whose model uses an op type missing from supported_ops.txt (subgraphs
included) is skipped as unsupported; every other test is compiled with
`qcc --emit=shared` and each data set is checked with `qcc-run --expect`.
Known failures are listed in xfail.txt. The last line printed is always
`N passed, N failed, N skipped` (skipped = unsupported + xfail); the exit
status is 0 iff nothing failed unexpectedly.

Run with the Debian interpreter: /usr/bin/python3 (onnx 1.12).
"""

import argparse
import collections
import concurrent.futures
import dataclasses
import fnmatch
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA_ROOT = "/usr/share/libonnx-testdata/data"
SUITES = ("node", "pytorch-converted", "pytorch-operator", "simple")
COMPILE_TIMEOUT = 120
RUN_TIMEOUT = 60
# ONNX's backend tests use rtol 1e-3 with atol 1e-7; atol 1e-5 leaves room for
# float32 results that are near zero after cancellation (different
# summation order than NumPy's reference).
RTOL, ATOL = 1e-3, 1e-5
# Per-test tolerance overrides, 'suite/test': (rtol, atol), each with a reason.
TOLERANCES = {}
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


@dataclasses.dataclass
class Test:
    id: str                      # suite/name
    suite: str
    path: str
    ops: list = dataclasses.field(default_factory=list)
    inputs: list = dataclasses.field(default_factory=list)  # graph inputs fed by input_<i>.pb
    dynamic: bool = False        # some input dimension is not static
    datasets: list = dataclasses.field(default_factory=list)
    unsupported: str = ""        # why the test is not run; empty when it is
    xfail: str = None            # xfail.txt reason when listed (may be "")
    status: str = ""             # pass, fail, xfail, xpass, unsupported
    message: str = ""            # first lines of the failing tool's output
    log: str = ""                # full output and command of the failure
    seconds: float = 0.0


def op_key(node):
    return node.op_type if node.domain in ("", "ai.onnx") else "%s:%s" % (node.domain, node.op_type)


def graph_ops(graph):
    """Op types of graph and of all its subgraphs (If/Loop/Scan bodies)."""
    for node in graph.node:
        yield op_key(node)
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                yield from graph_ops(attr.g)
            for g in attr.graphs:
                yield from graph_ops(g)


def indexed(pattern):
    """Files matching pattern (one '*'), sorted by the number in the name (input_10 after input_9)."""
    return sorted(glob.glob(pattern), key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[-1]))


def analyze(test, supported):
    """Fills in ops, inputs and data sets; sets test.unsupported when it cannot run."""
    model_path = os.path.join(test.path, "model.onnx")
    if not os.path.exists(model_path):
        test.unsupported = "no model.onnx"  # e.g. the 'real' suite only has download URLs
        return
    model = onnx.load(model_path, load_external_data=False)
    test.ops = sorted(set(graph_ops(model.graph)))
    test.datasets = indexed(os.path.join(test.path, "test_data_set_*"))
    initializers = {t.name for t in model.graph.initializer}
    # Older (opset < 9) models also list initializers as graph inputs; the
    # data sets only provide the others.
    feeds = [vi for vi in model.graph.input if vi.name not in initializers]
    test.inputs = [vi.name for vi in feeds]
    io = list(feeds) + list(model.graph.output)
    test.dynamic = any(not vi.type.tensor_type.HasField("shape") or
                       any(not d.HasField("dim_value") for d in vi.type.tensor_type.shape.dim)
                       for vi in feeds)

    missing = [op for op in test.ops if op not in supported]
    if missing:
        test.unsupported = "unsupported op(s): " + ", ".join(missing)
    elif any(vi.type.WhichOneof("value") != "tensor_type" for vi in io):
        test.unsupported = "sequence/optional graph input or output"
    elif any(vi.type.tensor_type.elem_type == onnx.TensorProto.STRING for vi in io):
        test.unsupported = "string tensors (no dense buffer in the qcc ABI)"
    elif not test.datasets:
        test.unsupported = "no test_data_set"


def discover(root, suites, supported):
    tests = []
    for suite in suites:
        for path in sorted(glob.glob(os.path.join(root, suite, "*", ""))):
            path = path.rstrip("/")
            test = Test(id="%s/%s" % (suite, os.path.basename(path)), suite=suite, path=path)
            analyze(test, supported)
            tests.append(test)
    return tests


def read_list(path):
    """Non-blank, non-comment lines as (entry, trailing comment)."""
    out = []
    with open(path) as f:
        for line in f:
            entry, _, comment = line.partition("#")
            if entry.strip():
                out.append((entry.strip(), comment.strip()))
    return out


# Process groups of running tools, so Ctrl-C can stop them (they run in their
# own sessions to make timeouts kill linkers and other children too).
_running = set()
_running_lock = threading.Lock()


def call(cmd, timeout):
    """Runs cmd; returns (returncode or None on timeout, stdout, stderr)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         errors="replace", start_new_session=True)
    with _running_lock:
        _running.add(p)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out, err
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        return None, out, err
    finally:
        with _running_lock:
            _running.discard(p)


def describe_failure(stage, cmd, rc, out, err, timeout):
    """(one-line message, full log) for a failed tool run."""
    if rc is None:
        what = "timed out after %ds" % timeout
    elif rc < 0:
        what = "killed by %s" % signal.Signals(-rc).name
    else:
        what = "exit %d" % rc
    def first_lines(text):
        lines = [l.strip()[:200] for l in ANSI_ESCAPE.sub("", text).splitlines() if l.strip()]
        # Diagnostics ("loc(...): error: ...") say more than a crash banner or traceback header.
        errors = [l for l in lines if "error" in l.lower()]
        return (errors or lines)[:2]
    lines = first_lines(err) or first_lines(out)  # mismatch reports may go to stdout
    message = "%s: %s%s" % (stage, what, (": " + " | ".join(lines)) if lines else "")
    log = "$ %s\n%s%s" % (" ".join(cmd), out, err)
    return message, log


BIND_HINT = re.compile(r"--bind-input (\S+)=FILE")


def run_test(test, args):
    """Compiles and runs one test; returns (passed, message, log)."""
    work = os.path.join(args.workdir, test.suite, os.path.basename(test.path))
    os.makedirs(work, exist_ok=True)
    rtol, atol = TOLERANCES.get(test.id, (args.rtol, args.atol))
    libs = {}  # --input-shape arguments -> compiled library
    for ds in test.datasets:
        inputs = indexed(os.path.join(ds, "input_*.pb"))
        outputs = indexed(os.path.join(ds, "output_*.pb"))
        if len(inputs) != len(test.inputs):
            return False, "data: %s has %d inputs, the model %d" % (
                os.path.basename(ds), len(inputs), len(test.inputs)), ""
        shape_args = []
        if test.dynamic:  # static models need no shapes; dynamic ones get the data's
            for name, f in zip(test.inputs, inputs):
                t = onnx.load_tensor(f)
                if t.dims:
                    shape_args += ["--input-shape", "%s=%s" % (name, "x".join(map(str, t.dims)))]
        # Node tests feed values qcc needs at compile time (axes, shapes,
        # Clip bounds...) as graph inputs; qcc names each such input in its
        # error, and the runner freezes it with --bind-input, as a user would.
        bind_args, bound = [], set()
        key = tuple(shape_args)
        for _ in range(len(test.inputs) + 1):
            key = tuple(shape_args + bind_args)
            if key in libs:
                break
            lib = os.path.join(work, "model%d.so" % len(libs))
            cmd = [args.qcc, os.path.join(test.path, "model.onnx"), "-o", lib, "--emit=shared"] + list(key)
            rc, out, err = call(cmd, COMPILE_TIMEOUT)
            if rc == 0:
                libs[key] = lib
                break
            m = BIND_HINT.search(err)
            if not m or m.group(1) in bound or m.group(1) not in test.inputs:
                return (False,) + describe_failure("compile", cmd, rc, out, err, COMPILE_TIMEOUT)
            bound.add(m.group(1))
            bind_args += ["--bind-input", "%s=%s" % (m.group(1), inputs[test.inputs.index(m.group(1))])]
        cmd = [args.qcc_run, libs[key]]
        for name, f in zip(test.inputs, inputs):
            if name not in bound:
                cmd += ["--input", "%s=%s" % (name, f)]
        for f in outputs:
            cmd += ["--expect", f]
        cmd += ["--rtol", repr(rtol), "--atol", repr(atol)]
        rc, out, err = call(cmd, RUN_TIMEOUT)
        if rc != 0:
            stage = "run " + os.path.basename(ds) if len(test.datasets) > 1 else "run"
            return (False,) + describe_failure(stage, cmd, rc, out, err, RUN_TIMEOUT)
    return True, "", ""


def timed(fn, *args):
    start = time.monotonic()
    result = fn(*args)
    return round(time.monotonic() - start, 3), result


def classify(test, passed, strict_xfail):
    """Status of a test that ran, and whether it counts as an unexpected failure."""
    if test.xfail is None:
        return ("pass", False) if passed else ("fail", True)
    return ("xpass", strict_xfail) if passed else ("xfail", False)


def list_unsupported(tests):
    blocked = [t for t in tests if t.unsupported]
    for t in blocked:
        print("%s: %s" % (t.id, t.unsupported))
    # Ops ranked by how many tests they block, and how many they alone block
    # (the tests that supporting just that op would enable).
    blocks, alone = collections.Counter(), collections.Counter()
    for t in blocked:
        if t.unsupported.startswith("unsupported op"):
            missing = t.unsupported.split(": ", 1)[1].split(", ")
            blocks.update(missing)
            if len(missing) == 1:
                alone[missing[0]] += 1
    print("\nmissing op types (tests blocked, tests blocked by it alone):")
    for op, n in sorted(blocks.items(), key=lambda kv: (-alone[kv[0]], -kv[1], kv[0])):
        print("  %-36s %4d %4d" % (op, n, alone[op]))
    print()
    for suite in sorted({t.suite for t in tests}):
        runnable = sum(1 for t in tests if t.suite == suite and not t.unsupported)
        total = sum(1 for t in tests if t.suite == suite)
        print("%s: %d of %d tests runnable" % (suite, runnable, total))


def print_summary(tests, strict_xfail):
    status = collections.Counter(t.status for t in tests)
    for t in tests:
        if t.status == "fail":
            print("FAIL %s: %s" % (t.id, t.message))
    for t in tests:
        if t.status == "xpass":
            print("XPASS %s: passes but is listed in xfail%s%s" % (
                t.id, " (%s)" % t.xfail if t.xfail else "",
                "; counts as a failure (--strict-xfail)" if strict_xfail else ""))

    # Pass rate per op type, over the tests that ran, for ops in failing tests.
    ran = [t for t in tests if t.status in ("pass", "fail", "xfail", "xpass")]
    failing_ops = {op for t in ran if t.status in ("fail", "xfail") for op in t.ops}
    if failing_ops:
        print("\npass rate of op types in failing tests (passed/ran):")
        rates = []
        for op in failing_ops:
            with_op = [t for t in ran if op in t.ops]
            good = sum(t.status in ("pass", "xpass") for t in with_op)
            rates.append((good / len(with_op), op, good, len(with_op)))
        for rate, op, good, n in sorted(rates):
            print("  %-28s %4d/%-4d %3.0f%%" % (op, good, n, 100 * rate))

    print("\n" + ", ".join("%s %d" % (s, status[s]) for s in
                           ("pass", "fail", "xfail", "xpass", "unsupported")))
    passed = status["pass"] + (0 if strict_xfail else status["xpass"])
    failed = status["fail"] + (status["xpass"] if strict_xfail else 0)
    skipped = status["unsupported"] + status["xfail"]
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return failed


def die(message):
    print("run_conformance: " + message, file=sys.stderr)
    sys.exit(2)  # usage error, distinct from test failures (1)


def tool_path(path):
    found = shutil.which(path)
    if not found:
        die("%s not found or not executable (build qcc or pass --qcc/--qcc-run)" % path)
    return os.path.abspath(found)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qcc", default=os.path.join(REPO, "build", "bin", "qcc"))
    ap.add_argument("--qcc-run", default=os.path.join(REPO, "build", "bin", "qcc-run"))
    ap.add_argument("--data-root", default=DATA_ROOT)
    ap.add_argument("--suite", action="append", choices=SUITES + ("real",),
                    help="suite to run, repeatable (default: %s)" % " ".join(SUITES))
    ap.add_argument("--filter", help="regex searched in suite/testname")
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("--xfail", help="known failures (default: xfail.txt next to this script)")
    ap.add_argument("--strict-xfail", action="store_true", help="count unexpected passes as failures")
    ap.add_argument("--supported-ops", default=os.path.join(HERE, "supported_ops.txt"))
    ap.add_argument("--rtol", type=float, default=RTOL)
    ap.add_argument("--atol", type=float, default=ATOL)
    ap.add_argument("--workdir", help="keep compiled tests here (default: a temporary folder, removed)")
    ap.add_argument("--json", help="write per-test results to this file")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="print every result as it finishes, and failure logs")
    ap.add_argument("--list-unsupported", action="store_true",
                    help="only list tests that would be skipped, and the op types blocking them")
    return ap.parse_args()


def main():
    args = parse_args()
    suites = args.suite or list(SUITES)
    supported = {e for e, _ in read_list(args.supported_ops)}
    tests = discover(args.data_root, suites, supported)
    if not tests:
        die("no tests under %s for suites %s" % (args.data_root, ", ".join(suites)))

    xfail_file = args.xfail or os.path.join(HERE, "xfail.txt")
    if args.xfail and not os.path.exists(xfail_file):
        die("no such xfail file: %s" % xfail_file)
    xfails = read_list(xfail_file) if os.path.exists(xfail_file) else []
    for pattern, reason in xfails:
        matches = [t for t in tests if fnmatch.fnmatchcase(t.id, pattern)]
        if not matches and pattern.split("/")[0] in suites:
            print("run_conformance: warning: xfail entry matches no test: %s" % pattern, file=sys.stderr)
        for t in matches:
            t.xfail = reason
    if args.filter:
        tests = [t for t in tests if re.search(args.filter, t.id)]

    if args.list_unsupported:
        list_unsupported(tests)
        return 0

    args.qcc, args.qcc_run = tool_path(args.qcc), tool_path(args.qcc_run)
    own_workdir = not args.workdir
    args.workdir = args.workdir or tempfile.mkdtemp(prefix="qcc-conformance-")
    for t in tests:
        if t.unsupported:
            t.status = "unsupported"

    todo = [t for t in tests if not t.unsupported]
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = {pool.submit(timed, run_test, t, args): t for t in todo}
            for n, fut in enumerate(concurrent.futures.as_completed(futures), 1):
                t = futures[fut]
                t.seconds, (passed, t.message, t.log) = fut.result()
                t.status, _ = classify(t, passed, args.strict_xfail)
                if args.verbose:
                    print("[%d/%d] %s %s%s" % (n, len(todo), t.status.upper(), t.id,
                                               ": " + t.message if t.message else ""), flush=True)
                    if t.log and t.status == "fail":
                        print("    " + t.log.rstrip().replace("\n", "\n    "), flush=True)
    except KeyboardInterrupt:
        with _running_lock:
            for p in list(_running):
                os.killpg(p.pid, signal.SIGKILL)
        raise
    finally:
        if own_workdir:
            shutil.rmtree(args.workdir, ignore_errors=True)

    failed = print_summary(tests, args.strict_xfail)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"suites": suites, "rtol": args.rtol, "atol": args.atol,
                       "tests": [{k: v for k, v in dataclasses.asdict(t).items()
                                  if k not in ("path", "datasets", "inputs")} for t in tests]},
                      f, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
