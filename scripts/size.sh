#!/usr/bin/env bash
# Prints a module's raw and gzip size and its sha256 (reproducible builds:
# the same sources give the same hash).
set -euo pipefail
f=$1
raw=$(wc -c <"$f")
gz=$(gzip -9c "$f" | wc -c)
sum=$(sha256sum "$f" | cut -d' ' -f1)
awk -v f="$f" -v r="$raw" -v g="$gz" -v s="$sum" 'BEGIN {
  printf "build: %s  %d bytes raw (%.2f MiB), %d bytes gzip (%.2f MiB)\nbuild: sha256 %s\n", f, r, r/1048576, g, g/1048576, s }'
