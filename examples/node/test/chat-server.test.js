'use strict';
// The streaming chat server example, end to end: real HTTP, real mock
// providers on loopback, SSE replies, and every turn an executor session of
// the real module (the engine plans, fails over and keeps the breakers).

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('@convergence-io/ceg');
const { startChatServer, startDemoProviders, DEMO_PROVIDERS } = require('../chat-server.js');
const { replyFor } = require('../mock-providers.js');
const { chat, answer } = require('./sse.js');

const TIMEOUT = { timeout: 10000 };

/**
 * setup starts mock providers for the specs (entries sharing `mock` share
 * one mock server) and a chat server over them.
 */
async function setup(t, specs = DEMO_PROVIDERS, serverOptions = {}) {
  // The slow provider's reply comes well after any deadline, but not so late
  // that closing its mock has to wait.
  const demo = await startDemoProviders(specs.map((p) => (p.behavior === 'slow' ? { ...p, delayMs: 2000 } : p)));
  const srv = await startChatServer({ providers: demo.providers, maxStreamMs: 5000, ...serverOptions });
  t.after(async () => {
    await srv.close();
    await demo.close();
  });
  return { srv, mocks: Object.fromEntries(demo.mocks.map((m) => [m.name, m])) };
}

const kinds = (events) => events.map((e) => e.event).filter((e) => e !== 'token');
const of = (events, kind) => events.filter((e) => e.event === kind).map((e) => e.data);
const BOREALIS = ['borealis-mini', 'borealis-pro', 'borealis-max'];

test('turn 1 fails over from the slow and the failing provider to a healthy one', TIMEOUT, async (t) => {
  const { srv, mocks } = await setup(t);
  const events = await chat(srv.url, 'hello world');
  const plan = events[0];
  assert.equal(plan.event, 'plan');
  assert.deepEqual([...plan.data.order].sort(), DEMO_PROVIDERS.map((p) => p.name).sort(), 'every resource is in the chain');
  assert.deepEqual(plan.data.chain.map((c) => c.resource), plan.data.order);
  assert.ok(plan.data.chain.every((c) => typeof c.estimatedCost === 'number'), 'the chain carries costs');
  assert.match(plan.data.planId, /^plan-/);
  assert.ok(['cirrus', ...BOREALIS].includes(plan.data.order[0]), `a cheap broken provider is planned first (${plan.data.order[0]})`);

  const attempts = of(events, 'attempt');
  const failovers = of(events, 'failover');
  const done = events.at(-1);
  assert.equal(done.event, 'done', JSON.stringify(done));
  assert.ok(['aurora', 'delta'].includes(done.data.provider), 'a healthy provider answered');
  assert.equal(done.data.attempts, attempts.length);
  assert.equal(failovers.length, attempts.length - 1);
  assert.deepEqual(attempts.map((a) => a.attempt), attempts.map((_, i) => i + 1));
  assert.deepEqual(attempts.map((a) => a.resource), plan.data.order.slice(0, attempts.length), 'the engine dispatched along the planned chain');
  assert.ok(attempts.every((a) => a.deadlineMs > 0));
  for (const f of failovers) {
    // The failing mock answers HTTP 500 at once; on a starved CPU that answer
    // can still arrive after the attempt's deadline, which is a timeout.
    if (f.provider === 'cirrus') assert.match(f.reason, /^timeout: no reply within \d+ ms/);
    else assert.match(f.reason, /^(error: HTTP 500|timeout: no reply within)/);
    assert.equal(f.discard, false);
  }
  assert.ok(failovers.some((f) => f.provider === 'cirrus'), 'the slow provider timed out');
  assert.ok(failovers.some((f) => f.provider === 'borealis'), 'the failing provider failed');
  assert.equal(answer(events), replyFor(done.data.provider, 'hello world'));
  assert.equal(mocks.delta.calls + mocks.aurora.calls, 1);
});

test('three errors open the failing provider\'s circuit; later plans do not dispatch to it first', TIMEOUT, async (t) => {
  const { srv, mocks } = await setup(t);
  const t0 = Date.now();
  assert.equal((await chat(srv.url, 'turn 0')).at(-1).event, 'done');
  assert.equal(mocks.borealis.calls, 3, 'one call per borealis model');
  const b = srv.breakers().borealis;
  assert.equal(b.state, 'circuit_open');
  assert.equal(b.errors, 3);
  assert.equal(b.level, 1);
  assert.ok(b.openUntil >= t0 + 30000 && b.openUntil <= Date.now() + 30000, `open for 30 s of host time (${b.openUntil - t0})`);
  assert.equal(srv.breakers().cirrus.state, 'degraded', 'the timeout counted against cirrus');

  for (let i = 1; i <= 3; i++) {
    const events = await chat(srv.url, `turn ${i}`);
    assert.equal(events.at(-1).event, 'done', JSON.stringify(events.at(-1)));
    const plan = events[0].data;
    assert.ok(!BOREALIS.includes(plan.order[0]), `turn ${i} is not planned onto borealis first (${plan.order})`);
    assert.ok(!BOREALIS.some((r) => plan.order.includes(r)), 'an open circuit takes the provider out of the chain');
    assert.deepEqual(plan.rejected.filter((r) => r.provider === 'borealis').map((r) => r.reason), ['RESOURCE_DOWN', 'RESOURCE_DOWN', 'RESOURCE_DOWN']);
    assert.ok(!of(events, 'attempt').some((a) => a.provider === 'borealis'), 'no attempt goes to borealis');
  }
  assert.equal(mocks.borealis.calls, 3, 'the open circuit stops calls to borealis');
  const health = await (await fetch(`${srv.url}/health`, { signal: AbortSignal.timeout(5000) })).json();
  assert.equal(health.turns, 4);
  assert.equal(health.breakers.borealis.state, 'circuit_open');
  assert.equal(health.breakers.borealis.openUntil, b.openUntil, 'the carried breaker is the engine\'s');
  assert.equal(health.breakers.aurora.state, 'available');
});

test('tokens of a discarded attempt are flagged', TIMEOUT, async (t) => {
  const { srv } = await setup(t, [
    { name: 'flaky', behavior: 'drop', dropAfter: 2, costPerToken: 0.0000001, latencyTargetMs: 400 },
    { name: 'aurora', behavior: 'healthy', costPerToken: 0.000002, latencyTargetMs: 800 },
  ]);
  const events = await chat(srv.url, 'tell me a story');
  assert.deepEqual(events[0].data.order, ['flaky', 'aurora']);
  assert.deepEqual(kinds(events), ['plan', 'attempt', 'failover', 'attempt', 'done']);
  const firstTokens = events.slice(0, events.findIndex((e) => e.event === 'failover')).filter((e) => e.event === 'token');
  assert.equal(firstTokens.length, 2, 'the broken attempt streamed two tokens');
  assert.ok(firstTokens.every((e) => e.data.attempt === 1));
  const f = of(events, 'failover')[0];
  assert.equal(f.provider, 'flaky');
  assert.equal(f.discard, true, 'the client is told to drop them');
  assert.match(f.reason, /^error: flaky: connection reset mid-stream/);
  assert.equal(answer(events), replyFor('aurora', 'tell me a story'), 'the answer is the healthy attempt only');
});

test('a turn where every provider fails ends with an error event', TIMEOUT, async (t) => {
  const { srv } = await setup(t, [
    { name: 'borealis', behavior: 'failing', costPerToken: 0.0000005, latencyTargetMs: 300 },
    { name: 'cirrus', behavior: 'slow', costPerToken: 0.0000008, latencyTargetMs: 150 },
  ]);
  const events = await chat(srv.url, 'anyone?');
  assert.deepEqual(kinds(events), ['plan', 'attempt', 'failover', 'attempt', 'failover', 'error']);
  const err = events.at(-1).data;
  assert.match(err.message, /every provider failed \(2 attempts\)/);
  assert.equal(err.status, 'failed');
  assert.equal(answer(events), '');
});

test('a turn with every circuit open is refused without calling a provider', TIMEOUT, async (t) => {
  const { srv, mocks } = await setup(t, DEMO_PROVIDERS.filter((p) => p.provider === 'borealis'));
  const first = await chat(srv.url, 'hello?');
  assert.equal(first.at(-1).event, 'error');
  assert.match(first.at(-1).data.message, /every provider failed \(3 attempts\)/);
  assert.equal(srv.breakers().borealis.state, 'circuit_open');
  const second = await chat(srv.url, 'hello again?');
  assert.deepEqual(kinds(second), ['plan', 'error']);
  assert.deepEqual(second[0].data.order, []);
  assert.equal(second.at(-1).data.code, 'NO_ELIGIBLE_RESOURCES');
  assert.equal(mocks.borealis.calls, 3);
});

test('a rate-limited provider backs off for 60 s (quota)', TIMEOUT, async (t) => {
  const { srv } = await setup(t, [
    { name: 'borealis', behavior: 'quota', costPerToken: 0.0000005, latencyTargetMs: 300 },
    { name: 'aurora', behavior: 'healthy', costPerToken: 0.000002, latencyTargetMs: 800 },
  ]);
  const t0 = Date.now();
  const events = await chat(srv.url, 'hi');
  assert.match(of(events, 'failover')[0].reason, /^quota: HTTP 429/);
  assert.equal(events.at(-1).data.provider, 'aurora');
  const b = srv.breakers().borealis;
  assert.equal(b.state, 'quota_hit');
  assert.ok(b.openUntil >= t0 + 60000 && b.openUntil <= Date.now() + 60000);
  const next = await chat(srv.url, 'hi again');
  assert.deepEqual(next[0].data.order, ['aurora'], 'backing off: left out of the plan');
});

test('each turn carries D and the grounding policy of the message', TIMEOUT, async (t) => {
  const { srv } = await setup(t, [{ name: 'aurora', behavior: 'healthy', latencyTargetMs: 800 }]);
  const plain = (await chat(srv.url, 'hello'))[0].data;
  const fresh = (await chat(srv.url, 'what are the latest prices today, gold vs silver??'))[0].data;
  assert.ok(fresh.d > plain.d, `a fresh-facts question dilates more: ${fresh.d} vs ${plain.d}`);
  assert.equal(fresh.grounding.fetchExternal, true);
  assert.ok(fresh.grounding.maxResults > plain.grounding.maxResults);
});

test('bad requests get 4xx answers; /health and /trace report the last session', TIMEOUT, async (t) => {
  const { srv } = await setup(t, [{ name: 'aurora', behavior: 'healthy', latencyTargetMs: 800 }]);
  const get = (p) => fetch(`${srv.url}${p}`, { signal: AbortSignal.timeout(5000) });
  const bad = await fetch(`${srv.url}/chat`, { method: 'POST', body: 'not json', signal: AbortSignal.timeout(5000) });
  assert.equal(bad.status, 400);
  const empty = await fetch(`${srv.url}/chat`, { method: 'POST', body: '{"message":""}', signal: AbortSignal.timeout(5000) });
  assert.equal(empty.status, 400);
  assert.equal((await get('/trace')).status, 404, 'no turn yet');
  const events = await chat(srv.url, 'hi');
  const health = await (await get('/health')).json();
  assert.equal(health.breakers.aurora.state, 'available');
  assert.equal(health.breakers.aurora.samples, 1);
  const trace = await get('/trace');
  assert.equal(trace.headers.get('x-ceg-session'), events.at(-1).data.session);
  const jsonl = await trace.text();
  const records = jsonl.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(records.map((r) => r.event), ['session_start', 'plan', 'dispatch', 'activate', 'complete', 'session_end']);
  const ceg = await load();
  t.after(() => ceg.close());
  assert.deepEqual(await ceg.verifyTrace(jsonl), { valid: true, count: records.length });
});

test('a client that goes away mid-turn leaves no session behind', TIMEOUT, async (t) => {
  const ceg = await load();
  t.after(() => ceg.close());
  const { srv, mocks } = await setup(t, [
    { name: 'cirrus', behavior: 'slow', costPerToken: 0.0000001, latencyTargetMs: 600 },
    { name: 'aurora', behavior: 'healthy', costPerToken: 0.000002, latencyTargetMs: 800 },
  ], { ceg });
  // Leave once the slow provider has been called (not after a fixed time:
  // on a busy machine the dispatch itself can take longer than any guess).
  const leave = new AbortController();
  const turn = chat(srv.url, 'are you there?', 15000, {}, leave.signal);
  for (let i = 0; i < 500 && mocks.cirrus.calls === 0; i++) await new Promise((r) => setTimeout(r, 10));
  leave.abort();
  await assert.rejects(turn, /abort/i);
  for (let i = 0; i < 50 && srv.lastTrace() === null; i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(srv.lastTrace(), 'the session was snapshotted and closed');
  await assert.rejects(ceg.call('exec.snapshot', { session: srv.lastTrace().session }), { code: 'UNKNOWN_SESSION' });
  assert.equal(mocks.cirrus.calls, 1);
  assert.deepEqual(srv.breakers().cirrus, { state: 'available', errors: 0, level: 0 }, 'an attempt the client abandoned is not held against the provider');
});

// Breakers carried in state.resources.breakers seed the session's own, so
// errors spread over several turns add up to an open circuit.
test('errors carried from earlier turns add up to an open circuit', TIMEOUT, async (t) => {
  const { srv } = await setup(t, [
    { name: 'borealis', behavior: 'failing', costPerToken: 0.0000005, latencyTargetMs: 300 },
    { name: 'cirrus', behavior: 'failing', costPerToken: 0.0000008, latencyTargetMs: 300 },
  ], { breakers: { borealis: { state: 'degraded', errors: 2, level: 0 } } });
  await chat(srv.url, 'one more error');
  assert.equal(srv.breakers().borealis.state, 'circuit_open');
});

test('after a trap the server re-creates its graph: the old one answers INSTANCE_LOST, the next turn works', { timeout: 60000 }, async (t) => {
  const ceg = await load({ stderr: () => {}, onRecreate: () => {} });
  const { srv } = await setup(t, DEMO_PROVIDERS.filter((p) => p.behavior !== 'slow'), { ceg });
  const first = await chat(srv.url, 'hello world');
  assert.equal(first.at(-1).event, 'done', JSON.stringify(first.at(-1)));
  await assert.rejects(ceg[Symbol.for('@convergence-io/ceg/debugTrap')](), { code: 'INSTANCE_TRAPPED' });
  const second = await chat(srv.url, 'hello again');
  assert.equal(second.at(-1).event, 'done', JSON.stringify(second.at(-1)));
  assert.equal(srv.lastTrace().session.split('.')[1], ceg.epoch(), 'the turn ran on the new instance');
});
