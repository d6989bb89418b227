'use strict';
/*
 * demo.js: one chat turn through the CEG binding.
 *
 *   node examples/node/demo.js     (or: make demo)
 *
 * Builds a small graph — a chat intent, three LLM resources from different
 * providers and a budget constraint — queries it, scores the message's time
 * dilation and grounding, and plans the turn: which provider answers, which
 * ones it fails over to, and why any candidate was rejected.
 */

const { load, CegError } = require('@convergence-io/ceg');

const MESSAGE = 'What changed in the latest release, compared with last month?';

const GRAPH = {
  nodes: [
    { id: 'turn', kind: 'intent', label: 'chat turn', text: MESSAGE, capabilities: ['chat'], tokens: 1200 },
    { id: 'gpt', kind: 'resource', label: 'GPT', resourceKind: 'llm', provider: 'openai', capabilities: ['chat', 'tools'], costPerToken: 0.000005, latencyTargetMs: 1800 },
    { id: 'claude', kind: 'resource', label: 'Claude', resourceKind: 'llm', provider: 'anthropic', capabilities: ['chat'], costPerToken: 0.000003, latencyTargetMs: 2200 },
    { id: 'local', kind: 'resource', label: 'local model', resourceKind: 'llm', provider: 'local', capabilities: ['chat', 'deterministic'], costPerToken: 0, costPerCall: 0.0001, latencyTargetMs: 3500 },
    { id: 'budget', kind: 'constraint', label: 'at most 0.5 cent a turn', predicate: 'money <= 0.005', severity: 'hard', scope: 'request' },
  ],
  edges: [
    { from: 'turn', to: 'gpt', kind: 'executes_on' },
    { from: 'turn', to: 'claude', kind: 'executes_on' },
    { from: 'turn', to: 'local', kind: 'executes_on' },
    { from: 'budget', to: 'gpt', kind: 'blocks' },
  ],
};

const STATE = { tick: 0, now: 0, resources: { health: { openai: 0.97, anthropic: 0.9, local: 1 }, latencyMs: { anthropic: 2600 } } };

const money = (usd) => `$${usd.toFixed(4)}`;
const table = (rows) => {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => '  ' + r.map((v, c) => String(v).padEnd(widths[c])).join('  ')).join('\n');
};

async function main() {
  const ceg = await load();
  const v = await ceg.version();
  console.log(`CEG ${v.module} (ABI ${v.abi}, ${v.go}), wasm memory ${(await ceg.memoryBytes() / 1048576).toFixed(1)} MiB\n`);

  const g = await ceg.graph(GRAPH);
  const snap = await g.snapshot();
  console.log(`graph ${g.handle}: ${snap.nodes} nodes, ${snap.edges} edges, tick ${snap.tick}`);
  console.log('  by kind:', Object.entries(snap.byKind).map(([k, n]) => `${k} ${n}`).join(', '));

  const resources = await g.nodesByKind('resource');
  console.log('\nresources');
  console.log(table([['id', 'provider', 'cost/token', 'per call', 'target', 'health', 'blocked by'],
    ...await Promise.all(resources.map(async (r) => [r.id, r.provider, r.costPerToken || 0, r.costPerCall || 0, `${r.latencyTargetMs} ms`, STATE.resources.health[r.provider], (await g.blockedBy(r.id)).join(', ') || '-'])),
  ]));
  const candidates = (await g.edgesFrom('turn')).filter((e) => e.kind === 'executes_on').map((e) => e.to);
  console.log(`\nintent "turn" may run on: ${candidates.join(', ')}`);

  const est = await ceg.estimate(MESSAGE);
  const grounding = await ceg.grounding(est.d);
  console.log(`\nmessage: "${MESSAGE}"`);
  console.log(`  uncertainty ${est.uncertainty}, dilation D = ${est.d}`);
  console.log(`  grounding: ${grounding.fetchExternal ? 'fetch external sources' : 'no external fetch'}, up to ${grounding.maxResults} results from at least ${grounding.minSources} sources${grounding.deepMode ? ', deep mode' : ''}`);

  const plan = await ceg.optimize({ graph: g, contract: { id: 'demo-turn', constraints: { maxCost: 0.01, maxLatencyMs: 8000 } }, state: STATE });
  console.log(`\nplan ${plan.id.slice(0, 12)}… ${plan.feasible ? 'feasible' : `INFEASIBLE (${plan.infeasibility.code})`}${plan.optimal ? ', proven optimal' : ''}, explored ${plan.explored}`);
  for (const s of plan.steps) {
    console.log(`  step ${s.id}: ${s.intent} -> ${s.resource} (${s.provider}), ${money(s.estimatedCost)}, ~${Math.round(s.dilatedLatencyMs)} ms, deadline ${Math.round(s.deadlineMs)} ms`);
    console.log(`    fails over to: ${s.fallbacks.map((f) => `${f.resource} (${f.provider})`).join(' -> ') || 'nothing'}`);
    for (const r of s.rejected) console.log(`    rejected ${r.resource}: ${r.reason}${r.detail ? ` (${r.detail})` : ''}`);
  }
  console.log(`  total ${money(plan.totalCost)}, critical path ${Math.round(plan.totalLatencyMs)} ms`);
  await g.drop();
}

main().catch((e) => {
  console.error(e instanceof CegError ? `${e.code}: ${e.message}${e.path ? ` (at ${e.path})` : ''}` : e);
  process.exit(1);
});
