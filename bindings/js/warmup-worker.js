/*
 * warmup-worker.js: the worker side of warmup.js. It instantiates the
 * shared module and runs the turns; its instance is discarded with the
 * worker, only the optimised code stays.
 */
'use strict';

const { workerData, parentPort } = require('node:worker_threads');
const { loadSync } = require('./index.js');
const { warmUpRequests } = require('./core.js');

const { module: wasm, turns, doc, contract, weights } = workerData;
// The binding's representative turns of the adapter's own shape (an
// outcome and its re-plan in one state.observe call), over its graph and
// contract; plain ids (g1), as the requests name them.
const ceg = loadSync({ wasm, stderr: () => {}, epoch: false });
let failed = 0; // requests the module refused: a warm-up that warms the wrong path
for (const r of warmUpRequests(turns, { doc, contract, weights, paths: ['observe'] })) {
  if (JSON.parse(ceg.callRaw(r)).error) failed++;
}
parentPort.postMessage({ turns, failed });
