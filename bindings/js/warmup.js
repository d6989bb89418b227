/*
 * warmup.js: runs representative calls in a worker thread that shares a
 * compiled module with this thread, so V8 tiers the module's hot functions
 * up (Liftoff → TurboFan) before the first real request — without blocking
 * this thread's event loop.
 *
 * V8 keeps one copy of a module's machine code per WebAssembly.Module, shared
 * by every instance and every thread it is posted to; optimised code a
 * worker triggers replaces the baseline code for all of them.
 */
'use strict';

const path = require('node:path');

/**
 * warmUp runs `turns` chat turns (plan by handle over `doc` with varying
 * breaker state, plus estimate, grounding and dilation) in a worker thread
 * on `module`. It resolves with {turns, failed, ms} when the worker is
 * done (failed: requests the module answered with an error); a
 * worker that fails resolves with {turns: 0, error} — warming up is an
 * optimisation, never a reason to fail a start-up.
 * @param {WebAssembly.Module} module
 * @param {{turns?: number, doc: object, contract: object, weights?: object}} o
 * @returns {Promise<{turns: number, failed?: number, ms: number, error?: string}>}
 */
function warmUp(module, o) {
  const { Worker } = require('node:worker_threads');
  const started = Date.now();
  return new Promise((resolve) => {
    let w;
    try {
      w = new Worker(path.join(__dirname, 'warmup-worker.js'), {
        workerData: { module, turns: o.turns || 400, doc: o.doc, contract: o.contract, weights: o.weights || {} },
      });
    } catch (e) {
      resolve({ turns: 0, ms: Date.now() - started, error: e.message });
      return;
    }
    let done = null;
    w.on('message', (m) => { done = m; });
    w.on('error', (e) => { done = { turns: 0, error: e.message }; });
    w.on('exit', () => resolve(Object.assign({ turns: 0 }, done, { ms: Date.now() - started })));
  });
}

module.exports = { warmUp };
