'use strict';
// The hot-swap registry, configurable and inspectable (SwapRegistry,
// registry.*), and the hysteresis direction switch.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync, SwapRegistry } = require('../index.js');

test('the original: registration deduplicated by provider (the first stays), triggers at its thresholds', () => {
  const s = loadSync();
  const reg = s.swapRegistry();
  assert.ok(reg instanceof SwapRegistry);
  assert.deepEqual(reg.register('gpt', { id: 'claude', kind: 'resource', provider: 'anthropic' }), { registered: true, candidates: ['claude'] });
  assert.deepEqual(reg.register('gpt', { id: 'claude-2', kind: 'resource', provider: 'anthropic' }), { registered: false, candidates: ['claude'] });
  reg.register('gpt', { id: 'gemini', kind: 'resource', provider: 'google' });
  assert.deepEqual(reg.candidates('gpt').map((n) => n.id), ['claude', 'gemini']);
  // health < 0.4; observed > target·D·2.0; cost > maxCost·1.5.
  assert.equal(reg.check({ health: 0.39 }).trigger, 'capability_degraded');
  assert.equal(reg.check({ health: 0.4 }).trigger, null);
  assert.equal(reg.check({ latencyMs: 4001, targetMs: 2000, dilation: 1 }).trigger, 'latency_violation');
  assert.equal(reg.check({ latencyMs: 4000, targetMs: 2000, dilation: 1 }).trigger, null);
  assert.equal(reg.check({ money: 0.0751, maxCost: 0.05 }).trigger, 'cost_spike');
  // Provider diversity cap 0.6, never blocking when no alternative exists.
  const inUse = [{ resource: 'gpt', provider: 'openai' }, { resource: 'c1', provider: 'anthropic' }, { resource: 'c2', provider: 'anthropic' }];
  const only = reg.select({ trigger: 'manual', from: { id: 'gpt', provider: 'openai' }, candidates: [{ id: 'claude', provider: 'anthropic' }], inUse });
  assert.equal(only.to, 'claude');
  const both = reg.select({ trigger: 'manual', from: { id: 'gpt', provider: 'openai' }, candidates: [{ id: 'claude', provider: 'anthropic' }, { id: 'gemini', provider: 'google', health: 0.9 }], inUse });
  assert.equal(both.to, 'gemini');
  assert.deepEqual(both.passed, [{ resource: 'claude', provider: 'anthropic', reason: 'diversity_cap' }]);
  const off = s.swapRegistry({ diversityCap: 1 }).select({ trigger: 'manual', from: { id: 'gpt', provider: 'openai' }, candidates: [{ id: 'claude', provider: 'anthropic' }, { id: 'gemini', provider: 'google', health: 0.9 }], inUse });
  assert.equal(off.to, 'claude', 'a cap of 1.0 switches it off');
  const sum = reg.summary();
  assert.deepEqual(sum.tracked, ['gpt']);
  assert.equal(sum.policy.diversityCap, 0.6);
});

test('the original hysteresis: a node whose own stability is below the threshold is not swapped out', () => {
  const s = loadSync();
  const original = s.swapRegistry({ hysteresis: 'incumbent' });
  const moduleReg = s.swapRegistry();
  for (const reg of [original, moduleReg]) {
    for (const h of [1, 0.2, 0.2]) reg.observe('gpt', h); // stability 1, 0.6, 0.4
    reg.observe('claude', 1);
  }
  const req = { trigger: 'capability_degraded', from: { id: 'gpt', provider: 'openai', health: 0.2 }, candidates: [{ id: 'claude', provider: 'anthropic', health: 0.9 }] };
  assert.deepEqual(original.select(req), { reason: 'unstable_incumbent', refused: [], passed: [], diverted: false, degraded: false });
  // The module (default): the incoming candidate's stability gates, so the failing node leaves.
  assert.equal(moduleReg.select(req).to, 'claude');
  moduleReg.observe('claude', 0); // claude's stability 0.5: unstable
  assert.deepEqual(moduleReg.select(req).refused, [{ resource: 'claude', provider: 'anthropic', reason: 'unstable' }]);
  // A manual swap is never held back by hysteresis.
  assert.equal(original.select({ ...req, trigger: 'manual' }).to, 'claude');
});

test('the module: a session registry is inspectable before a swap, configurable, and cost_spike fires on reported costs', async () => {
  const a = await load();
  const graph = {
    nodes: [
      { id: 'a', kind: 'intent' }, { id: 'b', kind: 'intent' },
      { id: 'gpt', kind: 'resource', provider: 'openai', costPerToken: 0.00001 },
      { id: 'claude', kind: 'resource', provider: 'anthropic', costPerToken: 0.00002 },
    ],
    edges: [{ from: 'b', to: 'a', kind: 'requires' }, { from: 'gpt', to: 'claude', kind: 'swaps_to' }],
  };
  const session = await a.execute({ graph, contract: { id: 'c' }, options: { swapPolicy: { costTolerance: 1.5, sameCapabilities: true } } });
  assert.deepEqual((await session.registry.candidates('gpt')).map((n) => n.id), ['claude'], 'the candidate set is visible before any swap');
  assert.equal((await session.registry.summary()).policy.sameCapabilities, true);
  const act = session.actions[0];
  // The host reports 0.2 USD for step-a on gpt: over maxCost 0.05 × 1.5.
  const turn = await session.report(1000, [{ step: act.step, attempt: act.attempt, status: 'ok', latencyMs: 900, cost: 0.2 }]);
  const swap = turn.events.find((e) => e.event === 'swap');
  assert.deepEqual(swap && swap.data, { provider: 'anthropic', from: 'gpt', to: 'claude', trigger: 'cost_spike' });
  const sum = await session.registry.summary();
  assert.equal(sum.swaps.length, 1);
  assert.equal(sum.swaps[0].trigger, 'cost_spike');
  await assert.rejects(a.execute({ graph, contract: { id: 'c' }, options: { swapPolicy: { hysteresis: 'both' } } }),
    (e) => e.code === 'INVALID_PARAMS' && e.path === 'options.swapPolicy.hysteresis');
  await session.close();

  const g = await a.graph(graph);
  const rb = await a.captureRollback(g, 'gpt', 'claude');
  assert.equal(rb.old.id, 'gpt');
  assert.equal(rb.new.id, 'claude');
  assert.deepEqual(rb.oldEdges.map((e) => `${e.from}>${e.to}`), ['gpt>claude']);
});
