#!/usr/bin/env bash
# Regenerates the easyjson code for every file that declares wire types
# (a `//easyjson:json` comment), then
# strips the generator's import of the easyjson root package: that package
# imports net/http, which would add about 1.6 MB to the module. The
# generated code only needs jlexer/jwriter. Number decoders are then
# rewritten to reject null (internal/nullnumbers), and float encoders to
# use core/internal/jsonfloat (internal/floatwrites).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(grep -rl --include='*.go' --exclude='*_easyjson.go' --exclude='*_test.go' '^//easyjson:json' core | sort)
dirs=$(for f in $files; do dirname "$f"; done | sort -u)
for d in $dirs; do rm -f "$d"/*_easyjson.go; done
# Pass 1 writes stubs for every type so that every package compiles; pass 2
# generates the real code.
# shellcheck disable=SC2086
go tool easyjson -stubs -no_std_marshalers -disallow_unknown_fields $files
# shellcheck disable=SC2086
go tool easyjson -no_std_marshalers -disallow_unknown_fields $files
# null is an error wherever a number is expected (internal/nullnumbers), and
# floats are written by core/internal/jsonfloat: strconv's bytes, found
# faster (internal/floatwrites). internal/postgen applies both.
# shellcheck disable=SC2046
go run ./internal/postgen $(find core -name '*_easyjson.go' | sort)
for out in $(find core -name '*_easyjson.go' | sort); do
  sed -i -e '/easyjson "github.com\/mailru\/easyjson"$/d' -e '/_ easyjson\.Marshaler$/d' "$out"
  gofmt -w "$out"
done
if grep -l 'easyjson "github.com/mailru/easyjson"' $(find core -name '*_easyjson.go'); then
  echo "generate: a generated file still imports the easyjson root package" >&2
  exit 1
fi
echo "generate: $(echo $files | wc -w) files in $(echo $dirs | wc -w) packages"
