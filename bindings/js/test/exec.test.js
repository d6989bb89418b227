'use strict';
// Sessions (exec.start / report / snapshot / restore / close), simulation
// (exec.run) and trace verification through the binding.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync, Session } = require('../index.js');
const { chatGraph, contract } = require('./helpers/graphs.js');

const MAX_TURNS = 50;

const ok = (a) => ({ step: a.step, attempt: a.attempt, status: 'ok', latencyMs: 300, cost: 0.001, tokens: 1000 });
const dispatches = (turn) => turn.actions.filter((a) => a.type === 'dispatch');

test('a session runs to complete when every dispatch succeeds', async () => {
  const a = await load();
  const session = await a.execute({ graph: chatGraph(), contract: contract() });
  assert.ok(session instanceof Session);
  assert.equal(typeof session.id, 'string');
  assert.equal(session.status, 'running');
  assert.equal(dispatches(session).length, 1);
  assert.equal(dispatches(session)[0].provider, 'alpha');
  let now = 1000;
  let turns = 0;
  for await (const turn of session) {
    assert.ok(++turns <= MAX_TURNS, 'the session must end');
    await session.report((now += 500), dispatches(turn).map(ok));
  }
  assert.equal(session.status, 'complete');
  assert.ok(session.events.every((e) => typeof e.hash === 'string'));
  assert.equal(await session.close(), true);
  await assert.rejects(session.report(now, []), (e) => ['UNKNOWN_SESSION', 'SESSION_CLOSED'].includes(e.code));
});

test('a failed attempt is re-dispatched on the next fallback', () => {
  const s = loadSync();
  const session = s.execute({ graph: chatGraph(), contract: contract() });
  const first = dispatches(session)[0];
  const next = session.report(1500, [{ step: first.step, attempt: first.attempt, status: 'error', error: 'HTTP 500' }]);
  const retry = dispatches(next)[0];
  assert.ok(retry, 'a retry is dispatched');
  assert.equal(retry.step, first.step);
  assert.equal(retry.provider, 'beta');
  assert.equal(retry.attempt, first.attempt + 1);
  session.close();
});

test('iterating without reporting stops with SESSION_STALLED', async () => {
  const a = await load();
  const session = await a.execute({ graph: chatGraph(), contract: contract() });
  const it = session[Symbol.asyncIterator]();
  assert.equal((await it.next()).done, false);
  await assert.rejects(it.next(), (e) => e.code === 'SESSION_STALLED');
  await session.close();
});

test('snapshot / restore continues a session', () => {
  const s = loadSync();
  const session = s.execute({ graph: chatGraph(), contract: contract() });
  const step = dispatches(session)[0];
  const snap = session.snapshot();
  session.close();
  const restored = s.restore(snap);
  assert.ok(restored instanceof Session);
  const turn = restored.report(2000, [ok(step)]);
  assert.equal(turn.status, 'complete');
  restored.close();
});

test('simulate runs to complete and its trace verifies; tampering is found', () => {
  const s = loadSync();
  const sim = s.simulate({ graph: chatGraph(), contract: contract() });
  assert.equal(sim.summary.status, 'complete');
  assert.equal(sim.summary.finalPlanFeasible, true);
  assert.ok(sim.steps.length >= 1);
  assert.ok(sim.trace.length >= 2);
  assert.deepEqual(s.verifyTrace(sim.trace), { valid: true, count: sim.trace.length });
  const jsonl = sim.trace.map((r) => JSON.stringify(r)).join('\n');
  assert.equal(s.verifyTrace(jsonl).valid, true);
  const tampered = sim.trace.map((r) => ({ ...r }));
  tampered[1].actor = 'mallory';
  const v = s.verifyTrace(tampered);
  assert.equal(v.valid, false);
  assert.equal(v.firstInvalid, 1);
});

test('simulate with a scripted failure fails over', () => {
  const s = loadSync();
  const sim = s.simulate({ graph: chatGraph(), contract: contract(), scenario: { outcomes: [{ provider: 'alpha', status: 'error' }] } });
  assert.equal(sim.summary.status, 'complete');
  const providers = sim.trace.map((r) => r.data && r.data.provider).filter(Boolean);
  assert.ok(providers.includes('beta'), 'the fallback provider ran');
});

test('verifyTrace accepts an empty trace', () => {
  assert.deepEqual(loadSync().verifyTrace([]), { valid: true, count: 0 });
});

test('the session exposes its plan, a manual swap and its graph with trace nodes', () => {
  const s = loadSync();
  const graph = chatGraph();
  graph.edges.push({ from: 'fast', to: 'mid', kind: 'swaps_to' }); // the registered replacement
  const session = s.execute({ graph, contract: contract(), state: { now: 1000 } });
  assert.ok(session.plan && session.plan.steps.length >= 1, 'exec.start returns the plan');
  const first = dispatches(session)[0];
  assert.equal(session.plan.steps[0].resource, first.resource);
  const next = session.report(1100, [], { swaps: [first.resource] }); // before the deadline
  const cancel = next.actions.find((a) => a.type === 'cancel');
  assert.ok(cancel && cancel.resource === first.resource, 'the attempt on the swapped resource is cancelled');
  assert.ok(next.events.some((e) => e.event === 'swap' && e.data.trigger === 'manual'));
  assert.ok(next.events.some((e) => e.event === 'rollback'), 'continuity: the active step is rolled back and re-dispatched');
  const redo = dispatches(next)[0];
  assert.notEqual(redo.resource, first.resource);
  const g = session.exportGraph();
  const traces = g.nodes.filter((n) => n.kind === 'trace');
  assert.equal(traces.length, session.snapshot().trace.length);
  assert.ok(traces.every((n) => typeof n.hash === 'string' && typeof n.event === 'string'));
  assert.throws(() => session.report(1200, [], { swaps: ['nope'] }), (e) => e.code === 'UNKNOWN_NODE' && e.path === 'swaps[0]');
});
