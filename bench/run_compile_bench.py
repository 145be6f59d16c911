"""Compile time and peak memory for LLM-sized models (issue: LLM-size
compiles in bounded memory).

For LLaMA-shaped models from ../shared/tools/make_llama.py at 0.25x, 1x and
2.4x of its default size (1.26 G parameters; 2.4x is about 3 G), compiles
each at --quant=none, f16, w8, w4 and int8 (calibrated on two token
sequences) into an object, and prints for each: the wall time, the peak
resident memory of the compile (its own and its children's, from the
kernel: getrusage's ru_maxrss), the bytes of weights in the output, and
the peak's excess over them and ratio to them. One model is on disk at a
time (float32 external data: 5 GB at 1x, 12.6 GB at 2.4x), under --work.

  /usr/bin/python3 bench/run_compile_bench.py [--scales 0.25,1,2.4]
      [--modes none,f16,w8,w4,int8] [--work build/compile-bench]
      [--emit obj|shared] [--json out.json]
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAKE_LLAMA = os.path.join(ROOT, '..', 'shared', 'tools', 'make_llama.py')

# make_llama.py shapes per scale of the default (22 layers, hidden 2048,
# ffn 5632, 32 heads, vocabulary 32000).
SHAPES = {
    '0.25': dict(layers=22, hidden=1024, ffn=2816, heads=16),
    '1': dict(layers=22, hidden=2048, ffn=5632, heads=32),
    '2.4': dict(layers=26, hidden=3072, ffn=8192, heads=32),
}


def params(shape, vocab=32000):
    c, f, n = shape['hidden'], shape['ffn'], shape['layers']
    return n * (4 * c * c + 3 * c * f + 2 * c) + 2 * vocab * c + c


def weight_bytes(path):
    """Bytes of the output's weights section (or of the whole file)."""
    try:
        out = subprocess.run(['readelf', '-SW', path], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return os.path.getsize(path)
    total = 0
    for line in out.splitlines():
        if 'qcc_weights' in line or ('.rodata' in line and 'PROGBITS' in line):
            fields = line.split(']', 1)[1].split()
            total += int(fields[4], 16)
    return total or os.path.getsize(path)


def compile_once(qcc, model, mode, out, calib, emit):
    cmd = [qcc, model, '--quant=' + mode, '-o', out]
    if emit == 'shared':
        cmd.append('--emit=shared')
    if mode == 'int8':
        cmd.append('--calib=' + calib)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        return dict(error=proc.stderr.strip().splitlines()[-1:] or ['failed'])
    # ru_maxrss of waited-for children is the largest of any one of them
    # (qcc, and the linker it runs); it never shrinks, so each compile runs
    # under a fresh process (measure).
    return dict(seconds=seconds, peak=after.ru_maxrss * 1024)


def measure(qcc, model, mode, out, calib, emit):
    """Runs the compile in a child Python so that ru_maxrss is its own."""
    code = ('import json,sys;sys.path.insert(0,%r);import run_compile_bench as b;'
            'print(json.dumps(b.compile_once(*sys.argv[1:])))' %
            os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.run([sys.executable, '-c', code, qcc, model, mode, out,
                           calib, emit], capture_output=True, text=True)
    if proc.returncode != 0:
        return dict(error=[proc.stderr.strip()[-300:]])
    return json.loads(proc.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--scales', default='0.25,1,2.4')
    ap.add_argument('--modes', default='none,f16,w8,w4,int8')
    ap.add_argument('--work', default=os.path.join(ROOT, 'build', 'compile-bench'))
    ap.add_argument('--qcc', default=os.path.join(ROOT, 'build', 'bin', 'qcc'))
    ap.add_argument('--emit', default='obj', choices=['obj', 'shared'])
    ap.add_argument('--keep', action='store_true', help='keep the last model')
    ap.add_argument('--json')
    a = ap.parse_args()
    if not os.path.exists(MAKE_LLAMA):
        sys.exit('run_compile_bench.py: needs ../shared/tools/make_llama.py')
    rows = []
    print(f"{'scale':>5} {'params':>7} {'mode':>5} {'time s':>7} {'peak GB':>8} "
          f"{'weights GB':>10} {'excess GB':>9} {'peak/w':>6}")
    for scale in a.scales.split(','):
        shape = SHAPES[scale]
        model_dir = os.path.join(a.work, 'llama-' + scale)
        model = os.path.join(model_dir, 'llama.onnx')
        if not os.path.exists(model):
            shutil.rmtree(a.work, ignore_errors=True)  # One model at a time.
            args = [sys.executable, MAKE_LLAMA, model_dir]
            for k, v in shape.items():
                args += ['--' + k, str(v)]
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        calib = os.path.join(model_dir, 'calib')
        for s in range(2):
            d = os.path.join(calib, f's{s:03d}')
            os.makedirs(d, exist_ok=True)
            ids = np.random.default_rng(s).integers(0, 32000, (1, 1))
            np.save(os.path.join(d, 'input_ids.npy'), ids.astype(np.int64))
        for mode in a.modes.split(','):
            out = os.path.join(model_dir, f'llama-{mode}.' +
                               ('so' if a.emit == 'shared' else 'o'))
            r = measure(a.qcc, model, mode, out, calib, a.emit)
            row = dict(scale=float(scale), params=params(shape), mode=mode, **r)
            if 'error' in r:
                print(f"{scale:>5} {params(shape) / 1e9:6.2f}G {mode:>5}  "
                      f"failed: {' '.join(r['error'])}")
            else:
                wb = weight_bytes(out)
                row.update(weights=wb)
                print(f"{scale:>5} {params(shape) / 1e9:6.2f}G {mode:>5} "
                      f"{r['seconds']:7.1f} {r['peak'] / 1e9:8.2f} {wb / 1e9:10.2f} "
                      f"{(r['peak'] - wb) / 1e9:9.2f} {r['peak'] / max(wb, 1):6.2f}",
                      flush=True)
                os.remove(out)
            rows.append(row)
        if not a.keep:
            shutil.rmtree(model_dir, ignore_errors=True)
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(rows, f, indent=2)


if __name__ == '__main__':
    main()
