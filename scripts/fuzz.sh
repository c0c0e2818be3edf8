#!/usr/bin/env bash
# Fuzzes theodoi's parsers of untrusted bytes with libFuzzer (Fuzz/, RECIPES.md): a release build
# with the address and fuzzer sanitizers, then each target for SECONDS from its corpus in
# Fuzz/Corpus/TARGET (copied, so a run never changes the repository; pass --merge to keep new
# inputs that add coverage). Fails on the first crash, leak, timeout or out-of-memory, leaving the
# input that caused it in $FUZZ_ARTIFACTS (default /tmp/theodoi-fuzz-artifacts).
#   scripts/fuzz.sh [--merge] SECONDS [TARGET…]     (no TARGET: every target)
set -euo pipefail
cd "$(dirname "$0")/.."

merge=false
if [[ "${1:-}" == "--merge" ]]; then merge=true; shift; fi
seconds=${1:?usage: scripts/fuzz.sh [--merge] SECONDS [TARGET…]}
shift
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(catalogue-text csv tsv markdown html xlsx xlsx-xml docx docx-xml pdf-layout hocr image-page multipart form search)
fi

echo "== building the fuzz targets (release, address + fuzzer sanitizers)"
# SwiftPM passes its sanitizers to swiftc in no fixed order, and `-sanitize=fuzzer` before
# `-sanitize=address` compiles without coverage (libFuzzer then mutates blindly): the coverage
# options are given explicitly, and the binary is checked for its counters.
flags=(-c release --product TheodoiFuzz --sanitize=address --sanitize=fuzzer
  -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,trace-cmp,pc-table)
(cd Fuzz && swift build "${flags[@]}" 2>&1 | grep -v "Cannot export local symbol" | tail -n 2)
binary="$(cd Fuzz && swift build "${flags[@]}" --show-bin-path)/TheodoiFuzz"
# grep reads all of it: with -q it would stop early, objdump would die of SIGPIPE, and pipefail would
# report no counters in a binary that has them.
if ! objdump -h "$binary" | grep __sancov_cntrs > /dev/null; then
  echo "the fuzz binary has no coverage counters; libFuzzer would run blind" >&2
  exit 1
fi

artifacts=${FUZZ_ARTIFACTS:-/tmp/theodoi-fuzz-artifacts}
mkdir -p "$artifacts"
work=$(mktemp -d /tmp/theodoi-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT

for target in "${targets[@]}"; do
  [[ -d "Fuzz/Corpus/$target" ]] || { echo "no corpus folder Fuzz/Corpus/$target" >&2; exit 2; }
  mkdir -p "$work/$target"
  cp -r "Fuzz/Corpus/$target/." "$work/$target/"
  echo "== fuzz $target for ${seconds}s"
  log="$work/$target.log"
  if ! SWIFT_BACKTRACE=enable=no THEODOI_FUZZ_TARGET="$target" ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
    "$binary" "$work/$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -max_len=262144 \
    -artifact_prefix="$artifacts/$target-" -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz $target: FAILED; the input is in $artifacts" >&2
    exit 1
  fi
  if grep -q "Is the code instrumented for coverage" "$log"; then
    echo "fuzz $target: libFuzzer saw no coverage" >&2
    exit 1
  fi
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo "?")
  features=$(grep -oE 'ft: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo "?")
  corpus=$(ls "$work/$target" | wc -l)
  echo "fuzz $target: 0 crashes; $runs executions, coverage $cov edges, $features features, corpus $corpus inputs"
  if $merge; then
    "$binary" -merge=1 "Fuzz/Corpus/$target" "$work/$target" >/dev/null 2>&1 || true
  fi
done
