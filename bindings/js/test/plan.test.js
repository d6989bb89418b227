'use strict';
// optimize / reoptimize through the binding (docs/DESIGN.md#optimizer).

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync, CegError } = require('../index.js');
const { chatGraph, contract } = require('./helpers/graphs.js');

test('optimize picks the cheapest eligible resource and orders the fallbacks', () => {
  const s = loadSync();
  const plan = s.optimize({ graph: chatGraph(), contract: contract() });
  assert.equal(plan.feasible, true);
  assert.equal(plan.contractId, 'chat');
  assert.equal(plan.steps.length, 1);
  const [step] = plan.steps;
  assert.equal(step.intent, 'turn');
  assert.equal(step.resource, 'fast');
  assert.equal(step.provider, 'alpha');
  assert.deepEqual(step.fallbacks.map((f) => f.resource), ['mid', 'slow']);
  assert.ok(step.fallbacks[0].cost <= step.fallbacks[1].cost);
  assert.deepEqual(step.rejected, []);
  assert.equal(typeof step.grounding.fetchExternal, 'boolean');
});

test('equal inputs give byte-identical plans; a Graph object plans like its document', async () => {
  const s = loadSync();
  const a = s.callRaw(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'plan.optimize', params: { graph: chatGraph(), contract: contract() } }));
  const b = s.callRaw(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'plan.optimize', params: { graph: chatGraph(), contract: contract() } }));
  assert.equal(a, b);
  const w = await load({ worker: true });
  assert.equal(await w.callRaw(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'plan.optimize', params: { graph: chatGraph(), contract: contract() } })), a);
  await w.close();
  const g = s.graph(chatGraph());
  assert.deepEqual(s.optimize({ graph: g, contract: contract() }).steps, s.optimize({ graph: chatGraph(), contract: contract() }).steps);
});

test('every rejection is explained; an infeasible plan names its code', () => {
  const s = loadSync();
  const forbidden = s.optimize({ graph: chatGraph(), contract: contract({ forbiddenProviders: ['alpha'] }) });
  assert.equal(forbidden.steps[0].resource, 'mid');
  assert.deepEqual(forbidden.steps[0].rejected.map((r) => [r.resource, r.reason]), [['fast', 'FORBIDDEN_PROVIDER']]);

  const down = s.optimize({ graph: chatGraph(), contract: contract(), state: { resources: { health: { alpha: 0, beta: 0, gamma: 0 } } } });
  assert.equal(down.feasible, false);
  assert.equal(down.infeasibility.code, 'NO_ELIGIBLE_RESOURCES');
  const reasons = down.infeasibility.candidates.flatMap((c) => c.rejected.map((r) => r.reason));
  assert.deepEqual(reasons, ['RESOURCE_DOWN', 'RESOURCE_DOWN', 'RESOURCE_DOWN']);
});

test('a predicate that does not compile is INVALID_PREDICATE', () => {
  const g = chatGraph();
  g.nodes.push({ id: 'bad', kind: 'constraint', predicate: 'money <=', severity: 'hard' });
  assert.throws(() => loadSync().optimize({ graph: g, contract: contract() }),
    (e) => e instanceof CegError && e.code === 'INVALID_PREDICATE');
});

test('reoptimize keeps a good plan and moves a pending step off a dead provider', () => {
  const s = loadSync();
  const previous = s.optimize({ graph: chatGraph(), contract: contract() });
  const same = s.reoptimize({ graph: chatGraph(), contract: contract(), previous });
  assert.equal(same.plan.steps[0].resource, 'fast');
  const moved = s.reoptimize({ graph: chatGraph(), contract: contract(), previous, state: { resources: { health: { alpha: 0 } } } });
  assert.equal(moved.plan.steps[0].resource, 'mid');
  const change = moved.changes.find((c) => c.step === previous.steps[0].id);
  assert.ok(change, 'the move is listed with its reason');
  assert.equal(change.from, 'fast');
  assert.equal(change.to, 'mid');
  assert.equal(typeof change.reason, 'string');
});

test('route is the lean view of the plan optimize returns', async () => {
  const s = loadSync();
  const g = s.graph(chatGraph());
  const plan = s.optimize({ graph: g, contract: contract() });
  const r = s.route({ graph: g, contract: contract() });
  assert.deepEqual(Object.keys(r).sort(), ['feasible', 'id', 'steps']);
  assert.equal(r.id, plan.id);
  assert.equal(r.feasible, true);
  assert.equal(r.steps.length, plan.steps.length);
  const st = plan.steps[0];
  assert.deepEqual(r.steps[0], {
    intent: st.intent, resource: st.resource, provider: st.provider,
    failover: st.fallbacks.map((f) => ({ resource: f.resource, provider: f.provider })),
    grounding: st.grounding,
  });
  const inf = s.route({ graph: g, contract: contract({ forbiddenProviders: ['alpha', 'beta', 'gamma'] }) });
  assert.equal(inf.feasible, false);
  assert.equal(inf.infeasibility, 'NO_ELIGIBLE_RESOURCES');
  assert.deepEqual(inf.steps, []);
  const a = await load();
  assert.deepEqual(await a.route({ handle: (await a.graph(chatGraph())).handle, contract: contract() }), { ...r });
  await assert.rejects(a.route(null), CegError);
});
