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

# Runs a suite whose last line reads "N passed, M failed" and tallies it; a
# failing exit status counts as at least one failure.
suite() {
  local title=$1 log=$2; shift 2
  echo "=== $title"
  "$@" | tee "$log"
  local rc=${PIPESTATUS[0]}
  local p f
  p=$(tail -1 "$log" | grep -Eo '^[0-9]+' || echo 0)
  f=$(tail -1 "$log" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 0)
  [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ] && f=1
  tally "${p:-0}" "${f:-0}"
}

suite "ONNX backend conformance" build/conformance.log \
  /usr/bin/python3 test/conformance/run_conformance.py --jobs 2 --json build/conformance.json
suite "real-world models against ONNX Runtime" build/models.log \
  /usr/bin/python3 test/models/run_models.py
suite "real-world models quantized to int8 (argmax agreement with float)" \
  build/quant-models.log /usr/bin/python3 test/models/run_quant_models.py
suite "real-world CNNs --integer-only (SQNR within 1 dB of int8)" \
  build/integer-only-models.log /usr/bin/python3 test/models/run_integer_only_models.py

echo
echo "total: $passed passed, $failed failed"
exit $status
