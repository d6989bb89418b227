'use strict';
// The host trace API: stand-alone logs (ceg.traceLog) and a session's
// trace (session.trace): append, replay, causalChain, verify.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync, TraceLog } = require('../index.js');

test('the original: append returns the id, replay from an id inclusive (unknown: all), causal chain root first', () => {
  const s = loadSync();
  const log = s.traceLog();
  assert.ok(log instanceof TraceLog);
  const a = log.append('user_message', { text: 'hi' });
  const b = log.append('plan', { steps: 1 }, { causalParent: a });
  const c = log.append('unrelated');
  const d = log.append('answer', { ok: true }, { causalParent: b });
  assert.deepEqual([a, b, c, d], ['t-000001', 't-000002', 't-000003', 't-000004']);
  assert.deepEqual(log.replay(b).map((r) => r.id), [b, c, d]);
  assert.deepEqual(log.replay('t-999999').map((r) => r.id), [a, b, c, d]);
  assert.deepEqual(log.replay().map((r) => r.id), [a, b, c, d]);
  assert.deepEqual(log.causalChain(d).map((r) => r.event), ['user_message', 'plan', 'answer']);
  assert.deepEqual(log.causalChain('t-999999'), []);
  // Hash-chained like the executor's records.
  const records = log.replay();
  assert.equal(records[1].prevHash, records[0].hash);
  assert.deepEqual(log.verify(), { valid: true, count: 4 });
  const tampered = records.map((r) => ({ ...r }));
  tampered[1].data = { steps: 2 };
  assert.deepEqual(s.verifyTrace(tampered).firstInvalid, 1);
});

test('the module: errors are clear, logs are handles with graph limits, sessions share the API', async () => {
  const a = await load();
  const log = await a.traceLog();
  await assert.rejects(log.append('x', null, { causalParent: 't-000009' }), (e) => e.code === 'UNKNOWN_NODE' && e.path === 'causalParent');
  await assert.rejects(log.append(''), (e) => e.code === 'INVALID_PARAMS' && e.path === 'event');
  const id = await log.append('tick', { n: 1 }, { tick: 3, at: 1700000000000, actor: 'cron' });
  const [rec] = await log.replay(id);
  assert.equal(rec.tick, 3);
  assert.equal(rec.at, 1700000000000);
  assert.equal(rec.actor, 'cron');
  assert.equal(await log.drop(), true);
  await assert.rejects(log.replay(), (e) => e.code === 'UNKNOWN_HANDLE' && e.path === 'log');

  const graph = { nodes: [{ id: 'gpt', kind: 'resource', provider: 'openai' }], edges: [] };
  const session = await a.execute({ graph, contract: { id: 'c', intent: 'hi' } });
  const fb = await session.trace.append('user_feedback', { thumbs: 'up' }, { causalParent: 't-000001' });
  await assert.rejects(session.trace.append('x', {}, { tick: 9 }), (e) => e.code === 'INVALID_PARAMS' && e.path === 'tick');
  const chain = await session.trace.causalChain(fb);
  assert.deepEqual(chain.map((r) => r.event), ['session_start', 'user_feedback']);
  const act = session.actions[0];
  await session.report(500, [{ step: act.step, attempt: act.attempt, status: 'ok', latencyMs: 400 }]);
  assert.equal(session.status, 'complete');
  assert.equal((await session.trace.verify()).valid, true);
  await assert.rejects(session.trace.drop(), (e) => e.code === 'INVALID_ARGUMENT');
  await session.close();
});
