'use strict';
// The host-state objects of issue 11 — TraceLog, DilationField,
// OscillationGuard, SwapRegistry — follow issue 9's rules for handles:
// their ids carry the instance epoch, they are listed with their ages, a
// trap marks them lost (INSTANCE_LOST without a call, nothing of the new
// instance touched), and numbers fail closed.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync, CegError, TraceLog, DilationField, OscillationGuard, SwapRegistry } = require('../index.js');
const { quiet } = require('./helpers/quiet.js');

const { TWO_PROVIDERS: DOC, TWO_PROVIDERS_CONTRACT: CONTRACT, TRAP } = require('./helpers/graphs.js');
const INPUTS = { uncertainty: 0.9, costPressure: 0, confidence: 0 };
const isLost = (e) => e instanceof CegError && e.code === 'INSTANCE_LOST' && /gone/.test(e.message);

/** make creates one object of each kind (and a session, whose own ones are read through it). */
async function make(ceg) {
  const log = await ceg.traceLog();
  const field = await ceg.dilationField();
  const guard = await ceg.oscillationGuard();
  const reg = await ceg.swapRegistry();
  const g = await ceg.graph(DOC);
  const s = await ceg.execute({ graph: g, contract: CONTRACT });
  await log.append('hello', { n: 1 });
  await field.update('fast', INPUTS);
  await guard.recordSwap('fast', 'slow', 1);
  await reg.register('fast', DOC.nodes[1]);
  return { log, field, guard, reg, g, s };
}

/** uses lists one call of every method of the four kinds, stand-alone and a session's. */
function uses(o) {
  const { log, field, guard, reg, g, s } = o;
  return [
    ['log.append', () => log.append('x')],
    ['log.replay', () => log.replay()],
    ['log.causalChain', () => log.causalChain('t-000001')],
    ['log.drop', () => log.drop()],
    ['field.update', () => field.update('fast', INPUTS)],
    ['field.fromHealth', () => field.fromHealth('fast', 0.5, 2)],
    ['field.get', () => field.get('fast')],
    ['field.entry', () => field.entry('fast')],
    ['field.snapshot', () => field.snapshot()],
    ['field.apply', () => field.apply(g)],
    ['field.drop', () => field.drop()],
    ['guard.recordSwap', () => guard.recordSwap('fast', 'slow', 2)],
    ['guard.isOscillating', () => guard.isOscillating('fast', 'slow', 2)],
    ['guard.check', () => guard.check('fast', 'slow', 2)],
    ['guard.reset', () => guard.reset('fast', 'slow')],
    ['guard.drop', () => guard.drop()],
    ['registry.register', () => reg.register('slow', DOC.nodes[0])],
    ['registry.candidates', () => reg.candidates('fast')],
    ['registry.check', () => reg.check({ health: 0.1 })],
    ['registry.select', () => reg.select({ trigger: 'manual', from: { id: 'fast' } })],
    ['registry.observe', () => reg.observe('fast', 0.5)],
    ['registry.summary', () => reg.summary()],
    ['registry.drop', () => reg.drop()],
    ['session.trace.append', () => s.trace.append('x')],
    ['session.trace.replay', () => s.trace.replay()],
    ['session.field.snapshot', () => s.field.snapshot()],
    ['session.guard.check', () => s.guard.check('fast', 'slow', 1)],
    ['session.registry.summary', () => s.registry.summary()],
  ];
}

async function scenario(ceg, trap) {
  const o = await make(ceg);
  const ep = ceg.epoch();
  assert.equal(o.log.handle, 'l1.' + ep);
  assert.equal(o.field.handle, 'f1.' + ep);
  assert.equal(o.guard.handle, 'o1.' + ep);
  assert.equal(o.reg.handle, 'r1.' + ep);
  assert.ok(o.log instanceof TraceLog && o.field instanceof DilationField && o.guard instanceof OscillationGuard && o.reg instanceof SwapRegistry);
  assert.equal(o.log.lost, false);
  assert.equal(o.s.trace.epoch, ep);

  await trap();
  assert.notEqual(ceg.epoch(), ep);
  for (const x of [o.log, o.field, o.guard, o.reg, o.s.trace, o.s.field, o.s.guard, o.s.registry]) assert.equal(x.lost, true);

  // The replacement issues the same counters under its own epoch.
  const n = await make(ceg);
  assert.equal(n.log.handle, 'l1.' + ceg.epoch());
  const untouched = JSON.stringify([await n.log.replay(), await n.field.snapshot(), await n.guard.check('fast', 'slow', 1), await n.reg.summary()]);

  for (const [name, use] of uses(o)) {
    let r;
    try { r = use(); } catch (e) { assert.ok(isLost(e), `${name}: ${e}`); continue; }
    if (ceg.sync) assert.fail(`${name} answered ${JSON.stringify(r)} on a dead instance`);
    await assert.rejects(r, isLost, name);
  }
  // A live object given a lost Graph says so.
  let r;
  try { r = n.field.apply(o.g); } catch (e) { assert.ok(isLost(e)); }
  if (r !== undefined) await assert.rejects(Promise.resolve(r), isLost);
  // A raw call with an old id reaches nothing.
  await assert.rejects(Promise.resolve().then(() => ceg.call('trace.replay', { log: o.log.handle })), (e) => e.code === 'UNKNOWN_HANDLE');
  assert.equal(JSON.stringify([await n.log.replay(), await n.field.snapshot(), await n.guard.check('fast', 'slow', 1), await n.reg.summary()]), untouched,
    'no new object was touched');
}

test('loadSync: after a trap every trace log, field, guard and registry answers INSTANCE_LOST', async () => {
  const ceg = loadSync(quiet().options);
  await scenario(ceg, () => assert.throws(() => ceg[TRAP](), (e) => e.code === 'INSTANCE_TRAPPED'));
});

test('load: the same, with Promise helpers', async () => {
  const ceg = await load(quiet().options);
  await scenario(ceg, () => assert.rejects(ceg[TRAP](), (e) => e.code === 'INSTANCE_TRAPPED'));
});

test('worker mode: the same', async (t) => {
  const ceg = await load({ worker: true, ...quiet().options });
  t.after(() => ceg.close());
  await scenario(ceg, () => assert.rejects(ceg[TRAP](), (e) => e.code === 'INSTANCE_TRAPPED'));
});

test('list helpers show the live handles with their sizes; drop removes them', () => {
  const ceg = loadSync();
  const log = ceg.traceLog({ maxIdleCalls: 50 });
  log.append('a', { x: 1 });
  log.append('b');
  const field = ceg.dilationField({ preset: 'original' }, { maxIdleCalls: 50 });
  field.update('gpt', INPUTS);
  const guard = ceg.oscillationGuard({ limit: 2, maxIdleCalls: 50 });
  const reg = ceg.swapRegistry({ diversityCap: 1 }, { maxIdleCalls: 50 });
  const logs = ceg.listTraceLogs();
  assert.equal(logs.logs.length, 1);
  assert.equal(logs.logs[0].handle, log.handle);
  assert.equal(logs.logs[0].items, 2);
  assert.ok(logs.logs[0].bytes > 0);
  assert.equal(logs.logs[0].maxIdleCalls, 50);
  assert.deepEqual(ceg.listFields().fields.map((f) => [f.handle, f.items]), [[field.handle, 1]]);
  assert.deepEqual(ceg.listGuards().guards.map((f) => f.handle), [guard.handle]);
  assert.deepEqual(ceg.listRegistries().registries.map((f) => f.handle), [reg.handle]);
  assert.equal(ceg.openTraceLog(log.handle), log, 'openTraceLog returns the owning object');
  for (const x of [log, field, guard, reg]) assert.equal(x.drop(), true);
  assert.equal(ceg.listTraceLogs().totals.count + ceg.listFields().totals.count + ceg.listGuards().totals.count + ceg.listRegistries().totals.count, 0);
  assert.throws(() => ceg.traceLog({ maxIdle: 5 }), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'maxIdle');
});

test('numbers fail closed: NaN is refused by the binding, null and out-of-range values by the module', () => {
  const ceg = loadSync();
  const guard = ceg.oscillationGuard();
  const field = ceg.dilationField();
  const reg = ceg.swapRegistry();
  const log = ceg.traceLog();
  assert.throws(() => guard.recordSwap('a', 'b', NaN), (e) => e.code === 'INVALID_ARGUMENT');
  assert.throws(() => guard.recordSwap('a', 'b', -1), (e) => e.code === 'INVALID_PARAMS' && e.path === 'tick');
  assert.throws(() => field.update('a', { uncertainty: Infinity, costPressure: 0, confidence: 0 }), (e) => e.code === 'INVALID_ARGUMENT');
  assert.throws(() => field.fromHealth('a', null, 1), (e) => e.code === 'INVALID_PARAMS' && e.path === 'health');
  assert.throws(() => reg.check({ health: 1.5 }), (e) => e.code === 'INVALID_PARAMS' && e.path === 'observation.health');
  assert.throws(() => reg.select({ trigger: 'manual', from: { id: 'a', money: -1 } }), (e) => e.code === 'INVALID_PARAMS' && e.path === 'from.money');
  assert.throws(() => log.append('e', {}, { at: -5 }), (e) => e.code === 'INVALID_PARAMS' && e.path === 'at');
});

test('a log is chained under the trace key: it verifies with the key, not without', () => {
  const key = Buffer.alloc(32, 7);
  const keyed = loadSync();
  keyed.setTraceKey(key);
  const log = keyed.traceLog();
  log.append('a', { z: 1, a: 2 });
  assert.equal(log.verify().valid, true);
  assert.throws(() => keyed.setTraceKey(null), (e) => e.code === 'INVALID_PARAMS');
  const plain = loadSync();
  assert.equal(plain.verifyTrace(log.replay()).valid, false);
});

test("recover: 'snapshot': a session's own trace, field, guard and registry follow the re-created session; stand-alone ones answer INSTANCE_LOST", async () => {
  for (const mode of ['sync', 'async']) {
    const ceg = mode === 'sync' ? loadSync({ recover: 'snapshot', ...quiet().options }) : await load({ recover: 'snapshot', ...quiet().options });
    const s = await ceg.execute({ graph: DOC, contract: CONTRACT });
    const id = await s.trace.append('note', { n: 1 });
    const log = await ceg.traceLog();
    const before = s.id;
    if (ceg.sync) assert.throws(() => ceg[TRAP](), (e) => e.code === 'INSTANCE_TRAPPED');
    else await assert.rejects(ceg[TRAP](), (e) => e.code === 'INSTANCE_TRAPPED');
    assert.equal(s.trace.lost, true);
    // The next call through the session's own object re-creates the session and names its new id.
    const records = await s.trace.replay();
    assert.notEqual(s.id, before, mode);
    assert.equal(s.trace.lost, false);
    assert.deepEqual(records.map((r) => r.event).slice(0, 2), ['session_start', records[1].event]);
    assert.ok(records.some((r) => r.id === id && r.event === 'note'), 'the host record survived in the snapshot');
    assert.equal((await s.registry.summary()).policy.healthThreshold, 0.4);
    assert.equal((await s.field.snapshot()).config.dwellThreshold, 1.5);
    // A stand-alone log keeps no snapshot: it is lost.
    let r;
    try { r = log.replay(); } catch (e) { assert.ok(isLost(e), String(e)); }
    if (r !== undefined) await assert.rejects(Promise.resolve(r), isLost);
    await s.close();
  }
});
