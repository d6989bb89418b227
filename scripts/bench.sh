#!/usr/bin/env bash
# make bench: the same workloads natively, under wazero and in Node (warm
# and the first 200 turns of fresh processes), and the chat turn side by
# side in interleaved rounds, Chromium included (scripts/bench-turn.mjs and
# scripts/bench-turn-browser.mjs, BENCH_TURN_ROUNDS,
# default 5, with a Python stand-in for the reference); writes
# the tables for docs/BENCHMARKS.md, with wasm/native ratios, to
# build/bench/tables.md (untracked). `make bench-update` puts them into the
# doc. Takes a few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/bench
mkdir -p "$out"
echo "bench: workloads -> $out/workloads.jsonl"
go run ./internal/benchdata/cmd/benchdata -out "$out/workloads.jsonl"
echo "bench: Go (native core/plan, native engine, wazero) -> $out/go.txt"
{
  go test -run '^$' -bench . -benchmem -count 1 ./core/plan/
  go test -run '^$' -bench 'Native|Wazero' -benchmem -count 1 -benchtime 1s ./testrunner/
} | tee "$out/go.txt"
echo "bench: Node -> $out/node.json"
node scripts/bench-node.mjs "$out/workloads.jsonl" > "$out/node.json"
echo "bench: stream-chat adapter -> $out/stream-chat.md"
node scripts/bench-stream-chat.mjs "$out/stream-chat.md"
echo "bench: the chat turn side by side, interleaved rounds -> $out/turn.md"
node scripts/bench-turn.mjs "$out/workloads.jsonl" "$out/turn.json" "$out/turn.md" "${BENCH_TURN_ROUNDS:-5}"
node scripts/bench-report.mjs "$out/go.txt" "$out/node.json" bindings/js/ceg.wasm "$out/tables.md"
{ echo; cat "$out/turn.md"; echo; cat "$out/stream-chat.md"; } >> "$out/tables.md"
echo "bench: the dashboard in chromium -> $out/browser.json, $out/browser.md"
node scripts/bench-browser.mjs "$out/browser.json" --markdown "$out/browser.md"
echo "bench: tables in $out/tables.md and $out/browser.md; 'make bench-update' puts them into docs/BENCHMARKS.md"
