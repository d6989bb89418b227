'use strict';
// The documentation is executed: what the docs state about the module must be
// what the module does. See docs/README.md ("Docs that run") for the markers.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { DEFAULT_WASM } = require('../index.js');

const ROOT = path.join(__dirname, '..', '..', '..');
const read = (rel) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

test('docs/BENCHMARKS.md states the size of the module this commit builds (within 10%)', () => {
  const doc = read('docs/BENCHMARKS.md');
  const wasm = fs.readFileSync(DEFAULT_WASM);
  const sizes = { raw: wasm.length, 'gzip -9': zlib.gzipSync(wasm, { level: 9 }).length };
  for (const [row, actual] of Object.entries(sizes)) {
    const m = doc.match(new RegExp(`^\\| ${row} \\| ([\\d,]+) bytes`, 'm'));
    assert.ok(m, `docs/BENCHMARKS.md has no "| ${row} | N bytes" row in its module size table`);
    const documented = Number(m[1].replace(/,/g, ''));
    const off = Math.abs(actual - documented) / actual;
    assert.ok(off <= 0.1, `module size ${row}: got: ${actual} bytes want: ${documented} ± 10% (off by ${(off * 100).toFixed(1)}%); run make bench and make bench-update`);
  }
  assert.doesNotMatch(doc, /sha256 \| `[0-9a-f]{64}`/, 'a module hash in the docs is stale at the next commit: make build prints it');
});
