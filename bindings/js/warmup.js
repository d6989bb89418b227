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

/**
 * userTiering reports whether the process was started with a V8 option
 * about wasm tiering (command line or NODE_OPTIONS): then it is the host's
 * choice and compileTieredUp leaves it alone.
 */
function userTiering() {
  const given = process.execArgv.join(' ') + ' ' + (process.env.NODE_OPTIONS || '');
  return /wasm-(dynamic-tiering|tier-up|tiering-budget)|liftoff/.test(given);
}

/**
 * compileTieredUp compiles bytes asynchronously. With eager (and no tiering
 * option of the host's), V8's dynamic tiering is off while this module is
 * compiled, so V8 optimises every function of this module in background
 * threads right after the baseline compile, instead of one by one when
 * each gets hot — which in a fresh process showed as turns of 5–60 ms
 * while hot functions were being replaced. Measured in a fresh process
 * (docs/BENCHMARKS.md, "The stream-chat adapter"): the first 200 turns run
 * about twice as fast, for 0.3–0.6 s more start-up and about 0.6 s more
 * CPU in background threads. The flag is process-wide while the compile
 * runs (a module another part of the process compiles at that moment is
 * tiered up eagerly too) and is set back afterwards.
 * @param {Uint8Array} bytes
 * @param {boolean} eager
 * @returns {Promise<WebAssembly.Module>}
 */
async function compileTieredUp(bytes, eager) {
  if (!eager || userTiering()) return WebAssembly.compile(bytes);
  const v8 = require('node:v8');
  v8.setFlagsFromString('--no-wasm-dynamic-tiering');
  try {
    return await WebAssembly.compile(bytes);
  } finally {
    v8.setFlagsFromString('--wasm-dynamic-tiering');
  }
}

/**
 * userLazy reports whether the process was started with a V8 option about
 * wasm lazy compilation: then compileEagerSync leaves it alone.
 */
function userLazy() {
  return /wasm-lazy-(compilation|validation)/.test(process.execArgv.join(' ') + ' ' + (process.env.NODE_OPTIONS || ''));
}

/**
 * compileEagerSync compiles bytes synchronously with V8's lazy compilation
 * off while this module compiles (unless the host chose a lazy-compilation
 * option): every function gets its baseline code now, instead of on its
 * first call. A warmed-up module still compiles, on the caller's first
 * turns, the functions its warm-up did not reach (other breaker states,
 * rejection reasons, request shapes): 1–15 ms on the first turn, measured
 * in fresh processes (docs/BENCHMARKS.md, "Warm from the first turn"); this
 * costs about 130 ms more compile once. The flag is process-wide while the
 * compile runs and is set back afterwards.
 * @param {Uint8Array} bytes
 * @returns {WebAssembly.Module}
 */
function compileEagerSync(bytes) {
  if (userLazy()) return new WebAssembly.Module(bytes);
  const v8 = require('node:v8');
  v8.setFlagsFromString('--no-wasm-lazy-compilation');
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    v8.setFlagsFromString('--wasm-lazy-compilation');
  }
}

module.exports = { warmUp, compileTieredUp, compileEagerSync };
