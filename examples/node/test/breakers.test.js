'use strict';
// The chat server's breakers and the SystemState they produce.

const test = require('node:test');
const assert = require('node:assert/strict');
const { Breakers } = require('../breakers.js');

test('errors degrade, then open the circuit with exponential backoff', () => {
  const b = new Breakers();
  b.record('p', { status: 'error' }, 0);
  assert.equal(b.state(0).resources.breakers.p.state, 'degraded');
  b.record('p', { status: 'timeout' }, 0);
  b.record('p', { status: 'error' }, 1000);
  assert.deepEqual(b.state(1000).resources.breakers.p, { state: 'circuit_open', errors: 3, level: 1, openUntil: 31000 });
  b.record('p', { status: 'error' }, 40000);
  assert.equal(b.state(40000).resources.breakers.p.openUntil, 40000 + 60000, 'the next opening lasts twice as long');
});

test('success closes the circuit and feeds the latency EMA', () => {
  const b = new Breakers();
  b.record('p', { status: 'error' }, 0);
  b.record('p', { status: 'ok', latencyMs: 100 }, 0);
  b.record('p', { status: 'ok', latencyMs: 200 }, 0);
  const s = b.state(5);
  assert.equal(s.now, 5);
  assert.deepEqual(s.resources.breakers.p, { state: 'available', errors: 0, level: 0, latencyEmaMs: 120, samples: 2 });
  assert.deepEqual(s.resources.latencyMs, { p: 120 });
});

test('quota backs off 60 s; providers are listed in sorted order', () => {
  const b = new Breakers();
  b.record('z', { status: 'quota' }, 10);
  b.record('a', { status: 'ok', latencyMs: 50 }, 10);
  const s = b.state(10);
  assert.deepEqual(Object.keys(s.resources.breakers), ['a', 'z']);
  assert.equal(s.resources.breakers.z.state, 'quota_hit');
  assert.equal(s.resources.breakers.z.openUntil, 60010);
});
