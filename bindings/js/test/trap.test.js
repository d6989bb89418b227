'use strict';
// Trap recovery: a trapped instance is discarded, a fresh one is made from
// the cached module, the recreation is reported, the call fails with
// INSTANCE_TRAPPED and the next call works.
//
// The real module is made to trap the only way a host can: a second
// _initialize, which Go's runtime refuses with a fatal error (docs/DESIGN.md#pitfalls).
// A hand-made module whose ceg_call executes `unreachable` covers a trap
// inside ceg_call itself.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync, CegError } = require('../index.js');
const { fakeModule } = require('./helpers/fake-module.js');
const { quiet } = require('./helpers/quiet.js');

const TRAP = Symbol.for('@convergence-io/ceg/debugTrap');

function assertTrapped(e) {
  assert.ok(e instanceof CegError, `want CegError, got ${e}`);
  assert.equal(e.code, 'INSTANCE_TRAPPED');
  assert.match(e.data.reason, /RuntimeError|WasiExit/);
  return true;
}

test('loadSync: a trapped real instance is replaced and reported; its handles are gone', () => {
  const q = quiet();
  const s = loadSync(q.options);
  const g = s.graph();
  assert.throws(() => s[TRAP](), assertTrapped);
  assert.equal(q.log.recreated.length, 1);
  assert.equal(q.log.recreated[0].recreations, 1);
  assert.ok(q.log.recreated[0].stderr.some((l) => /fatal error/.test(l)), 'Go\'s fatal message is attached');
  assert.ok(q.log.stderr.some((l) => /fatal error/.test(l)), 'and was written to the stderr sink');
  assert.equal(s.version().abi, '1.0', 'the next call works');
  assert.throws(() => g.snapshot(), (e) => e.code === 'INSTANCE_LOST');
  assert.equal(s.graph().handle, 'g1.' + s.epoch(), 'the fresh instance starts from an empty engine, under a new epoch');
});

test('load: recovery is asynchronous and works the same', async () => {
  const q = quiet();
  const a = await load(q.options);
  await assert.rejects(a[TRAP](), assertTrapped);
  assert.equal(q.log.recreated.length, 1);
  assert.equal((await a.version()).abi, '1.0');
  await assert.rejects(a[TRAP](), assertTrapped);
  assert.equal(q.log.recreated[1].recreations, 2);
  assert.equal((await a.version()).abi, '1.0');
});

test('a trap inside ceg_call fails that call and the next call gets a fresh instance', async () => {
  const q = quiet();
  const s = loadSync({ wasm: fakeModule({ callTraps: true }), ...q.options });
  assert.throws(() => s.callRaw('{}'), (e) => assertTrapped(e) && /unreachable/.test(e.message));
  assert.throws(() => s.callRaw('{}'), assertTrapped);
  assert.equal(q.log.recreated.length, 2, 'each trap is reported once');
  const a = await load({ wasm: fakeModule({ callTraps: true }), ...q.options });
  await assert.rejects(a.callRaw('{}'), assertTrapped);
  assert.equal(q.log.recreated.length, 3);
});

test('the default onRecreate warns once per recreation', (t) => {
  const warnings = [];
  t.mock.method(console, 'warn', (m) => warnings.push(m));
  const s = loadSync({ stderr: () => {} });
  assert.throws(() => s[TRAP](), assertTrapped);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /trapped .*fresh instance/);
});

test('an onRecreate that throws does not hide the trap', () => {
  const s = loadSync({ stderr: () => {}, onRecreate: () => { throw new Error('boom'); } });
  assert.throws(() => s[TRAP](), assertTrapped);
  assert.equal(s.version().abi, '1.0');
});
