"""Checks a qcc --report JSON file: python3 check_report.py REPORT.json MODE
[MIN_LAYER_SQNR]. Prints a one-line summary for FileCheck."""
import json
import sys

report = json.load(open(sys.argv[1]))
mode = sys.argv[2]
min_sqnr = float(sys.argv[3]) if len(sys.argv) > 3 else None

assert report["mode"] == mode, report["mode"]
layers = report["layers"]
assert layers, "no layers"
before = sum(l["bytes_before"] for l in layers)
after = sum(l["bytes_after"] for l in layers)
totals = report["totals"]
assert totals["weight_bytes_before"] == before
assert totals["weight_bytes_after"] == after
assert totals["layers"] == len(layers)
quantized = [l for l in layers if l["weights"] not in ("float32", "(activation)")]
assert totals["layers_quantized"] == len(quantized)
for l in quantized:
    assert l["bytes_after"] < l["bytes_before"], l
    assert 2 <= l["bits"] <= 16, l
if min_sqnr is not None:
    for l in quantized:
        s = l.get("sqnr_db")
        assert s is None or s >= min_sqnr, l  # None: exact
    ev = report["evaluation"]
    assert ev["samples"] > 0
    for o in ev["outputs"]:
        assert 0.99 <= o["cosine"] <= 1.000001, o
print("report %s: %d layers, %d quantized, weights %d -> %d bytes, schemes: %s"
      % (mode, len(layers), len(quantized), before, after,
         ", ".join(sorted({l["weights"] for l in quantized}))))
if "evaluation" in report:
    for o in report["evaluation"]["outputs"]:
        print("output %s: sqnr %s cosine %.4f top1 %s" % (
            o["name"], o["sqnr_db"], o["cosine"], o.get("top1_agreement")))
