'use strict';
// Linear memory stays bounded over many calls: every request and response
// buffer is freed (docs/DESIGN.md#pitfalls: memory never shrinks, so a leak would show as
// growth).

const test = require('node:test');
const assert = require('node:assert/strict');
const { loadSync } = require('../index.js');

const doc = {
  nodes: Array.from({ length: 50 }, (_, i) => ({ id: `n${i}`, kind: i % 2 ? 'intent' : 'resource', provider: `p${i % 5}` })),
  edges: [],
};

/** round makes 8 calls of every kind: create/query/export/drop, estimate, a batch, an error. */
function round(s) {
  const g = s.graph(doc);
  g.snapshot();
  g.nodesByKind('intent');
  g.export();
  g.drop();
  s.estimate('what is the latest news about the price of btc vs eth??');
  s.batch([{ method: 'version' }, { method: 'dilation.compute', params: { uncertainty: 0.5, costPressure: 0.2, confidence: 0.3 } }]);
  assert.throws(() => s.validate({ nodes: [{ id: 'x', kind: 'bad' }], edges: [] }));
}

test('memory stays bounded over 10,000 calls', () => {
  const s = loadSync();
  for (let i = 0; i < 100; i++) round(s); // warm-up: let the Go heap reach its working size
  const warm = s.memoryBytes();
  for (let i = 0; i < 1250; i++) round(s); // 10,000 calls
  const after = s.memoryBytes();
  assert.ok(after - warm <= 1 << 20, `memory grew from ${warm} to ${after} bytes over 10,000 calls`);
});

// Regression: the Go GC's background goroutines run only when an export
// yields. Before ceg_call yielded, a clock that jumps (here performance.now
// advancing 50 ms per read; in a real server, about two minutes of uptime)
// stopped every GC cycle from finishing and memory grew ~19 KiB per call
// without bound. The clock is faked in a child process so this one's timers
// are untouched.
test('the GC keeps up in a long-running process (jumping clock)', () => {
  const { execFileSync } = require('node:child_process');
  const script = `
    let fake = 0;
    performance.now = () => (fake += 50);
    const { loadSync } = require(${JSON.stringify(require.resolve('../index.js'))});
    const s = loadSync();
    const g = { nodes: Array.from({ length: 40 }, (_, i) => ({ id: 'n' + i, kind: 'resource', provider: 'p' + (i % 4), capabilities: ['chat'] })), edges: [] };
    for (let i = 0; i < 2000; i++) s.validate(g);
    const warm = s.memoryBytes();
    for (let i = 0; i < 6000; i++) s.validate(g);
    process.stdout.write(JSON.stringify({ warm, after: s.memoryBytes(), seconds: Math.round(fake / 1000) }));
  `;
  const r = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60000 }));
  assert.ok(r.after - r.warm <= 8 << 20, `memory grew from ${r.warm} to ${r.after} bytes (simulated ${r.seconds} s)`);
  assert.ok(r.seconds > 120, `the fake clock only reached ${r.seconds} s`);
});
