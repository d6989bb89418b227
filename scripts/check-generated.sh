#!/usr/bin/env bash
# make check-generated: regenerates the easyjson wire code into a temporary
# copy of the Go sources and compares it with the working tree. It never
# writes a tracked file, so a check leaves file times alone and the module is
# not rebuilt because of it. Exits 1, with a diff, when the committed code is
# stale (run `make generate` and commit).
set -euo pipefail
cd "$(dirname "$0")/.."
# A fixed scratch folder (untracked, under .cache/) rather than a fresh
# mktemp name: Go's build cache keys on the package directory, so the same
# path makes the generator's bootstrap builds cache hits on the next check.
# It is removed afterwards: the cache entries stay valid for the same path.
tmp=.cache/check-generated
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp" && mkdir -p "$tmp/scripts"
cp -R core go.mod go.sum "$tmp"/
mkdir -p "$tmp/internal" && cp -R internal/nullnumbers internal/floatwrites internal/postgen "$tmp/internal/" # the post-generate rewrites
cp scripts/generate.sh "$tmp/scripts/"
(cd "$tmp" && scripts/generate.sh >/dev/null)
stale=0
# Files generated now, and files committed: any difference in either list or
# in a file's bytes is stale code.
want=$(cd "$tmp" && find core -name '*_easyjson.go' | sort)
have=$(find core -name '*_easyjson.go' | sort)
if [ "$want" != "$have" ]; then
  echo "check-generated: the set of generated files differs:"
  diff <(echo "$have") <(echo "$want") | sed -n 's/^[<>]/  &/p' || true
  stale=1
fi
for f in $want; do
  if [ -f "$f" ] && ! cmp -s "$f" "$tmp/$f"; then
    echo "check-generated: $f is stale:"
    diff -u "$f" "$tmp/$f" | head -40 || true
    stale=1
  fi
done
if [ "$stale" != 0 ]; then
  echo "check-generated: run 'make generate' and commit the result"
  exit 1
fi
echo "check-generated: $(echo "$want" | wc -w) generated files up to date"
