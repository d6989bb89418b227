/*
 * index.js: the Node entry of @convergence-io/ceg (CommonJS).
 *
 *   const { load, loadSync, CegError } = require('@convergence-io/ceg');
 *   const ceg = await load();            // helpers return Promises
 *   const cegSync = loadSync();          // helpers return values
 *   const off = await load({ worker: true }); // the module runs in a worker thread
 *
 * With no `wasm` option the module is ceg.wasm next to this file; it is read
 * and compiled once per process and shared by every load.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { fileURLToPath } = require('node:url');
const { randomFillSync } = require('node:crypto');
const { CegError } = require('./errors.js');
const core = require('./core.js');
const transport = require('./transport.js');
const warmup = require('./warmup.js');
const { createApi, checkOptions: checkApiOptions, Graph, Session, TraceLog, DilationField, OscillationGuard, SwapRegistry } = require('./api.js');

/** The module file this package ships. */
const DEFAULT_WASM = path.join(__dirname, 'ceg.wasm');

const OPTIONS = ['wasm', 'worker', 'onRecreate', 'stdout', 'stderr', 'timeoutMs', 'epoch', 'autoFree', 'warmup', 'clock', 'recover'];

/** warmupTurns reads options.warmup (core.js): 0 for none. */
const warmupTurns = core.warmupTurns;

const warmed = new WeakMap(); // WebAssembly.Module -> turns already run on it

/** warmSync runs what is left of a warm-up of n turns on module (once per module and process). */
function warmSync(module, o, n) {
  const done = warmed.get(module) || 0;
  if (n <= done) return;
  core.warmUpSync(module, { ...runtimeOptions(o), epoch: false }, n - done); // its requests use plain ids (g1)
  warmed.set(module, n);
}

/** checkOptions rejects unknown keys so a typo does not pass silently. */
function checkOptions(options, allowed) {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    throw new CegError('INVALID_OPTIONS', 'ceg: options must be an object');
  }
  for (const k of Object.keys(options)) {
    if (!allowed.includes(k)) {
      throw new CegError('INVALID_OPTIONS', `ceg: unknown option ${JSON.stringify(k)} (known: ${allowed.join(', ')})`, { path: k });
    }
  }
  for (const k of ['onRecreate', 'stdout', 'stderr']) {
    if (options[k] !== undefined && typeof options[k] !== 'function') {
      throw new CegError('INVALID_OPTIONS', `ceg: options.${k} must be a function`, { path: k });
    }
  }
  for (const k of ['worker', 'epoch', 'autoFree']) {
    if (options[k] !== undefined && typeof options[k] !== 'boolean') {
      throw new CegError('INVALID_OPTIONS', `ceg: options.${k} must be a boolean`, { path: k });
    }
  }
  checkApiOptions(options);
  transport.checkTimeout(options.timeoutMs, 'timeoutMs', 'INVALID_OPTIONS');
  if (options.timeoutMs !== undefined && !options.worker) {
    throw new CegError('INVALID_OPTIONS', 'ceg: options.timeoutMs needs worker: true (a call in this thread cannot be interrupted)', { path: 'timeoutMs' });
  }
  return options;
}

function runtimeOptions(o) {
  return { onRecreate: o.onRecreate, stdout: o.stdout, stderr: o.stderr, epoch: o.epoch, randomFill: (v) => randomFillSync(v) };
}

/** api builds the public object over a transport. */
function api(t, o) {
  t.autoFree = o.autoFree;
  t.clock = o.clock;
  t.recover = o.recover;
  return createApi(t);
}

/** filePath returns the path a string or file: URL names, or null for a remote URL. */
function filePath(src) {
  const u = src instanceof URL ? src : /^[a-z][a-z0-9+.-]+:\/\//i.test(src) ? new URL(src) : null;
  if (!u) return path.resolve(src);
  return u.protocol === 'file:' ? fileURLToPath(u) : null;
}

function readWasm(file) {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new CegError('LOAD_FAILED', `ceg: cannot read the module at ${file}: ${e.message}` +
      (file === DEFAULT_WASM ? ' (build it with `make build`)' : ''), { cause: e });
  }
}

const compiled = new Map(); // absolute file path -> WebAssembly.Module

/** moduleSync returns the compiled module for a loadSync `wasm` option. */
function moduleSync(src, eager) {
  if (src === undefined || typeof src === 'string' || src instanceof URL) {
    const file = src === undefined ? DEFAULT_WASM : filePath(src);
    if (!file) throw new CegError('INVALID_OPTIONS', 'ceg: loadSync cannot fetch a remote URL; use load()');
    let m = compiled.get(file);
    if (!m) {
      m = compileBytes(readWasm(file), file, eager);
      compiled.set(file, m);
    }
    return m;
  }
  return core.compileSync(src);
}

/** compileBytes compiles a module file: eagerly (every function now) for a warmed-up load. */
function compileBytes(bytes, file, eager) {
  try {
    return eager ? warmup.compileEagerSync(bytes) : new WebAssembly.Module(bytes);
  } catch (e) {
    throw new CegError('LOAD_FAILED', `ceg: ${file} is not a valid wasm module: ${e.message}`, { cause: e });
  }
}

/** moduleAsync returns the compiled module for a load `wasm` option. */
async function moduleAsync(src, eager) {
  if (src === undefined || typeof src === 'string' || src instanceof URL) {
    const file = src === undefined ? DEFAULT_WASM : filePath(src);
    if (file) return moduleSync(file, eager);
    return core.compile(fetch(src).catch((e) => {
      throw new CegError('LOAD_FAILED', `ceg: cannot fetch the module at ${src}: ${e.message}`, { cause: e });
    }));
  }
  return core.compile(src);
}

function spawnNode() {
  const { Worker } = require('node:worker_threads');
  const w = new Worker(path.join(__dirname, 'node-worker.js'));
  return {
    post: (m) => w.postMessage(m),
    onMessage: (cb) => w.on('message', cb),
    onExit: (cb) => { w.on('error', cb); w.on('exit', (code) => cb(new Error(`exit code ${code}`))); },
    terminate: () => w.terminate(),
    ref: () => w.ref(),
    unref: () => w.unref(),
  };
}

/**
 * load instantiates the module and returns the API; every helper returns a
 * Promise.
 * @param {{wasm?: string|URL|ArrayBuffer|ArrayBufferView|WebAssembly.Module|Response, worker?: boolean, onRecreate?: Function, stdout?: Function, stderr?: Function, timeoutMs?: number, epoch?: boolean, autoFree?: boolean, warmup?: boolean|number, clock?: () => number, recover?: 'none'|'snapshot'}} [options]
 * @returns {Promise<object>}
 */
async function load(options) {
  const o = checkOptions(options, OPTIONS);
  const n = warmupTurns(o);
  const module = await moduleAsync(o.wasm, n > 0);
  if (n > 0 && (warmed.get(module) || 0) < n) {
    await core.warmUp(module, { ...runtimeOptions(o), epoch: false }, n - (warmed.get(module) || 0)); // plain ids (g1)
    warmed.set(module, n);
  }
  if (o.worker) return api(await transport.remote(spawnNode, module, o), o);
  return api(transport.local(await core.Runtime.create(module, runtimeOptions(o)), false), o);
}

/**
 * loadSync instantiates the module synchronously in this thread and returns
 * the API; every helper returns its value directly.
 * @param {{wasm?: string|URL|ArrayBuffer|ArrayBufferView|WebAssembly.Module, onRecreate?: Function, stdout?: Function, stderr?: Function, epoch?: boolean, autoFree?: boolean, warmup?: boolean|number, clock?: () => number, recover?: 'none'|'snapshot'}} [options]
 * @returns {object}
 */
function loadSync(options) {
  const o = checkOptions(options, OPTIONS.filter((k) => k !== 'worker' && k !== 'timeoutMs'));
  const n = warmupTurns(o);
  const module = moduleSync(o.wasm, n > 0);
  if (n > 0) warmSync(module, o, n);
  return api(transport.local(core.Runtime.createSync(module, runtimeOptions(o)), true), o);
}

module.exports = { load, loadSync, CegError, Graph, Session, TraceLog, DilationField, OscillationGuard, SwapRegistry, DEFAULT_WASM };
