"""Runs qcc's --emit=onnx QDQ model in ONNX Runtime (bench/ort_time.js) and
compares it with qcc's own int8 build and the float model on evaluation
samples: compare_ort_qdq.py MODEL.qdq.onnx FLOAT.so INT8.so EVALDIR N WORK.
Prints the SQNRs against float and between the two int8 executions."""
import glob
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.join(HERE, "..", "..", "..", "..")
sys.path.insert(0, os.path.join(REPO, "python"))
sys.path.insert(0, os.path.join(REPO, "bench"))
import qcc  # noqa: E402
from run_bench import ensure_node_modules  # noqa: E402

qdq, float_so, int8_so, eval_dir, n, work = sys.argv[1:7]
ensure_node_modules()
ref, quant = qcc.load(float_so), qcc.load(int8_so)
acc = {"qcc": [0.0, 0.0], "ort": [0.0, 0.0], "qcc_vs_ort": [0.0, 0.0]}
agree = count = 0


def add(key, a, b):
    acc[key][0] += (a ** 2).sum()
    acc[key][1] += ((a - b) ** 2).sum()


for i, path in enumerate(sorted(glob.glob(os.path.join(eval_dir, "*", "x.npy")))[:int(n)]):
    out = os.path.join(work, "ort%d" % i)
    subprocess.run(["node", os.path.join(REPO, "bench", "ort_time.js"), qdq,
                    "--input", "x=" + path, "--runs", "1", "--warmup", "0",
                    "--save-outputs", out], check=True, stdout=subprocess.DEVNULL)
    (ort_file,) = os.listdir(out)
    x = np.load(path)
    f = ref(x)["y"].astype(np.float64)
    q = quant(x)["y"].astype(np.float64)
    o = np.load(os.path.join(out, ort_file)).astype(np.float64)
    add("qcc", f, q)
    add("ort", f, o)
    add("qcc_vs_ort", o, q)
    agree += int(q.argmax() == o.argmax())
    count += 1
db = {k: 10 * np.log10(s / max(e, 1e-30)) for k, (s, e) in acc.items()}
print("qcc int8 vs float: %.1f dB; ORT on the QDQ export vs float: %.1f dB; "
      "qcc vs ORT: %.1f dB, top-1 agreement %d/%d"
      % (db["qcc"], db["ort"], db["qcc_vs_ort"], agree, count))
sys.exit(0 if db["ort"] >= 25 and db["qcc_vs_ort"] >= 30 and agree == count else 1)
