#!/usr/bin/env bash
# Runs every Go fuzz target for a short time (FUZZTIME, default 3s each):
# `make test` runs it so that each check's fuzz target explores a little
# beyond its seeds on every run; `FUZZTIME=10m scripts/fuzz.sh` explores
# further. A failure writes the input under the package's testdata/fuzz/,
# where it becomes a regression seed.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-3s}
n=0
# Targets are found in the sources (grep, not `go test -list`, which would
# build every test binary once more).
for f in $(grep -rl --include='*_test.go' '^func Fuzz' core internal | sort); do
  pkg=./$(dirname "$f")
  for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$f"); do
    echo "fuzz: $pkg $target ($FUZZTIME)"
    go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" >/tmp/ceg-fuzz.$$ 2>&1 || { cat /tmp/ceg-fuzz.$$; rm -f /tmp/ceg-fuzz.$$; exit 1; }
    n=$((n + 1))
  done
done
rm -f /tmp/ceg-fuzz.$$
echo "fuzz: $n targets passed"
