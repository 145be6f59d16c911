#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test suite:
# lit (FileCheck, end-to-end, Python API), gtest units, ONNX's backend
# conformance tests, real-world models checked against ONNX Runtime, and
# the same models quantized to int8 checked against float.
# Ends with one "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh || exit 1
./scripts/build.sh || exit 1

passed=0 failed=0 status=0
tally() { passed=$((passed + $1)); failed=$((failed + $2)); [ "$2" -eq 0 ] || status=1; }

echo "=== lit"
/usr/lib/llvm-22/bin/lit -sv build/test | tee build/lit.log
lit_rc=${PIPESTATUS[0]}
lp=$(grep -Eo 'Passed *: *[0-9]+' build/lit.log | grep -Eo '[0-9]+' || echo 0)
lf=$(grep -Eo '(Failed|Unresolved|Timed Out|Unexpectedly Passed) *: *[0-9]+' build/lit.log |
     grep -Eo '[0-9]+$' | awk '{s += $1} END {print s + 0}')
[ "$lit_rc" -ne 0 ] && [ "${lf:-0}" -eq 0 ] && lf=1
tally "${lp:-0}" "${lf:-0}"

echo "=== unit tests"
ctest --test-dir build --output-on-failure | tee build/ctest.log
ct_rc=${PIPESTATUS[0]}
ctotal=$(grep -Eo 'out of [0-9]+' build/ctest.log | grep -Eo '[0-9]+' || echo 0)
cfail=$(grep -Eo '[0-9]+ tests failed' build/ctest.log | grep -Eo '^[0-9]+' || echo 0)
[ "$ct_rc" -ne 0 ] && [ "${cfail:-0}" -eq 0 ] && cfail=1
tally $(( ${ctotal:-0} - ${cfail:-0} )) "${cfail:-0}"

echo "=== ONNX backend conformance"
/usr/bin/python3 test/conformance/run_conformance.py --jobs 2 --json build/conformance.json | tee build/conformance.log
cf_rc=${PIPESTATUS[0]}
cp=$(tail -1 build/conformance.log | grep -Eo '^[0-9]+' || echo 0)
cff=$(tail -1 build/conformance.log | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 0)
[ "$cf_rc" -ne 0 ] && [ "${cff:-0}" -eq 0 ] && cff=1
tally "${cp:-0}" "${cff:-0}"

echo "=== real-world models against ONNX Runtime"
/usr/bin/python3 test/models/run_models.py | tee build/models.log
rm_rc=${PIPESTATUS[0]}
mp=$(tail -1 build/models.log | grep -Eo '^[0-9]+' || echo 0)
mf=$(tail -1 build/models.log | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 0)
[ "$rm_rc" -ne 0 ] && [ "${mf:-0}" -eq 0 ] && mf=1
tally "${mp:-0}" "${mf:-0}"

echo "=== real-world models quantized to int8 (argmax agreement with float)"
/usr/bin/python3 test/models/run_quant_models.py | tee build/quant-models.log
rq_rc=${PIPESTATUS[0]}
qp=$(tail -1 build/quant-models.log | grep -Eo '^[0-9]+' || echo 0)
qf=$(tail -1 build/quant-models.log | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 0)
[ "$rq_rc" -ne 0 ] && [ "${qf:-0}" -eq 0 ] && qf=1
tally "${qp:-0}" "${qf:-0}"

echo
echo "total: $passed passed, $failed failed"
exit $status
