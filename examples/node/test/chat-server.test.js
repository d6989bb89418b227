'use strict';
// The streaming chat server example: real HTTP, real mock providers on
// loopback, SSE replies, failover along the planned order, breakers.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startChatServer, DEMO_PROVIDERS } = require('../chat-server.js');
const { startProviders, replyFor } = require('../mock-providers.js');
const { chat, answer } = require('./sse.js');

const TURNS = 6;

/** setup starts the demo's mock providers (the slow one 2 s slow) and a server. */
async function setup(t, serverOptions = {}) {
  const specs = DEMO_PROVIDERS.map((p) => (p.behavior === 'slow' ? { ...p, delayMs: 2000 } : p));
  const mocks = await startProviders(specs);
  const providers = specs.map((p, i) => ({ ...p, url: mocks[i].url }));
  const srv = await startChatServer({ providers, ...serverOptions });
  t.after(async () => {
    await srv.close();
    await Promise.all(mocks.map((m) => m.close()));
  });
  return { srv, mocks: Object.fromEntries(mocks.map((m) => [m.name, m])) };
}

const fixedOrder = (names, deadlineMs = 400) => async () => ({ order: names.map((name) => ({ name, deadlineMs })) });

test('a turn fails over past an erroring and a slow provider and streams the answer', async (t) => {
  const { srv, mocks } = await setup(t, { planner: fixedOrder(['borealis', 'cirrus', 'aurora']) });
  const events = await chat(srv.url, 'hello world');
  assert.deepEqual(events.map((e) => e.event).filter((e) => e !== 'token'),
    ['plan', 'attempt', 'failover', 'attempt', 'failover', 'attempt', 'done']);
  assert.deepEqual(events[0].data.order, ['borealis', 'cirrus', 'aurora']);
  const failovers = events.filter((e) => e.event === 'failover').map((e) => e.data);
  assert.equal(failovers[0].provider, 'borealis');
  assert.match(failovers[0].reason, /^error: HTTP 500/);
  assert.equal(failovers[1].provider, 'cirrus');
  assert.match(failovers[1].reason, /^timeout/);
  assert.equal(events.at(-1).data.provider, 'aurora');
  assert.equal(events.at(-1).data.attempts, 3);
  assert.equal(answer(events), replyFor('aurora', 'hello world'));
  assert.deepEqual([mocks.borealis.calls, mocks.cirrus.calls, mocks.aurora.calls, mocks.delta.calls], [1, 1, 1, 0]);
  const b = srv.breakers.state(0).resources.breakers;
  assert.equal(b.borealis.errors, 1);
  assert.equal(b.cirrus.state, 'degraded');
  assert.equal(b.aurora.state, 'available');
});

test('each turn carries D and the grounding policy of the message', async (t) => {
  const { srv } = await setup(t, { planner: fixedOrder(['aurora']) });
  const plain = (await chat(srv.url, 'hello'))[0].data;
  const fresh = (await chat(srv.url, 'what is the latest news today, compared with yesterday??'))[0].data;
  assert.ok(fresh.d > plain.d, `a fresh-facts question dilates more: ${fresh.d} vs ${plain.d}`);
  assert.equal(fresh.grounding.fetchExternal, true);
  assert.ok(fresh.grounding.maxResults >= plain.grounding.maxResults);
});

test('three errors open the failing provider\'s circuit', async (t) => {
  const { srv } = await setup(t, { planner: fixedOrder(['borealis', 'aurora']) });
  for (let i = 0; i < 3; i++) assert.equal((await chat(srv.url, `turn ${i}`)).at(-1).event, 'done');
  const b = srv.breakers.state(0).resources.breakers.borealis;
  assert.equal(b.state, 'circuit_open');
  assert.equal(b.errors, 3);
  assert.ok(b.openUntil > 0);
});

test('when every provider fails the stream ends with an error event', async (t) => {
  const { srv } = await setup(t, { planner: fixedOrder(['borealis', 'cirrus'], 200) });
  const events = await chat(srv.url, 'anyone?');
  assert.equal(events.at(-1).event, 'error');
  assert.match(events.at(-1).data.message, /every provider failed \(2 attempts\)/);
});

test('bad requests get 4xx answers; /health reports the breakers', async (t) => {
  const { srv } = await setup(t, { planner: fixedOrder(['aurora']) });
  const bad = await fetch(`${srv.url}/chat`, { method: 'POST', body: 'not json', signal: AbortSignal.timeout(5000) });
  assert.equal(bad.status, 400);
  const empty = await fetch(`${srv.url}/chat`, { method: 'POST', body: '{"message":""}', signal: AbortSignal.timeout(5000) });
  assert.equal(empty.status, 400);
  await chat(srv.url, 'hi');
  const health = await (await fetch(`${srv.url}/health`, { signal: AbortSignal.timeout(5000) })).json();
  assert.equal(health.resources.breakers.aurora.state, 'available');
});

test('planned turns: CEG orders the providers and learns from failures', async (t) => {
  const { srv, mocks } = await setup(t);
  const firsts = [];
  for (let i = 0; i < TURNS; i++) {
    const events = await chat(srv.url, `question ${i}: what changed?`);
    const last = events.at(-1);
    assert.equal(last.event, 'done', `turn ${i} ended with ${JSON.stringify(last)}`);
    assert.ok(['aurora', 'delta'].includes(last.data.provider), 'a healthy provider answered');
    assert.equal(answer(events), replyFor(last.data.provider, `question ${i}: what changed?`));
    firsts.push(events[0].data.order[0]);
  }
  assert.equal(firsts[0], 'borealis', 'the provider promising the lowest cost is planned first');
  assert.notEqual(firsts.at(-1), 'borealis', 'once its circuit opens the failing provider is not planned first');
  assert.ok(mocks.borealis.calls <= 3, `the open circuit stops calls to borealis (${mocks.borealis.calls})`);
});
