/*
 * warmup-worker.js: the worker side of warmup.js. It instantiates the
 * shared module and runs the turns; its instance is discarded with the
 * worker, only the optimised code stays.
 */
'use strict';

const { workerData, parentPort } = require('node:worker_threads');
const { loadSync } = require('./index.js');

const { module: wasm, turns, doc, contract, weights } = workerData;
const ceg = loadSync({ wasm, stderr: () => {} });
const g = ceg.graph(doc);
const names = doc.nodes.map((n) => n.id);
const texts = ['hi', 'why is the latest price higher??', 'compare the exact figures for 2025 vs this week', 'not sure what you mean'];
let n = 0;
for (; n < turns; n++) {
  const status = n % 7 === 3 ? 'error' : n % 11 === 5 ? 'quota' : 'ok';
  // One outcome and the re-plan it causes, in one call, the breakers kept
  // by the handle, as the adapter does.
  const plan = { handle: g.handle, contract };
  if (Object.keys(weights).length) plan.weights = weights;
  const p = { handle: g.handle, outcomes: [{ provider: names[n % names.length], status, latencyMs: 500 + (n % 13) * 100, at: n * 1000 }], now: n * 1000, select: 'observed', plan };
  if (n % 50 === 0) p.state = { resources: { breakers: {} } }; // re-seeded now and then
  ceg.call('state.observe', p);
  const d = ceg.estimate(texts[n % texts.length]).d;
  ceg.grounding(d, { baseMaxResults: 5, baseMinSources: 2 });
  ceg.dilation({ uncertainty: (n % 10) / 10, costPressure: 0, confidence: 0.5, collapseProximity: 0 });
}
g.drop();
parentPort.postMessage({ turns: n });
