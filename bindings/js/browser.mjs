/*
 * browser.mjs: the browser entry of @convergence-io/ceg (an ES module).
 *
 *   import { load } from '@convergence-io/ceg'; // resolves here via the "browser" condition
 *   const ceg = await load({ wasm: new URL('./ceg.wasm', import.meta.url) });
 *   const off = await load({ wasm: url, worker: true }); // runs in a Web Worker
 *
 * `wasm` may be a URL or string (fetched, compiled while streaming when the
 * server sends application/wasm, from the bytes otherwise), a Response,
 * bytes or a compiled WebAssembly.Module. Helpers return Promises. The shared
 * files below register themselves when imported (they are also CommonJS
 * modules for Node).
 */
import './wasi.js';
import './errors.js';
import './core.js';
import './rpc.js';
import './transport.js';
import './api.js';

const reg = globalThis[Symbol.for('@convergence-io/ceg/modules')];
const { CegError } = reg.errors;
const { Graph, Session, TraceLog, DilationField, OscillationGuard, SwapRegistry } = reg.api;
export { CegError, Graph, Session, TraceLog, DilationField, OscillationGuard, SwapRegistry };

const OPTIONS = ['wasm', 'worker', 'onRecreate', 'stdout', 'stderr', 'timeoutMs', 'epoch', 'autoFree', 'warmup', 'clock', 'recover'];

function checkOptions(options) {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') throw new CegError('INVALID_OPTIONS', 'ceg: options must be an object');
  for (const k of Object.keys(options)) {
    if (!OPTIONS.includes(k)) {
      throw new CegError('INVALID_OPTIONS', `ceg: unknown option ${JSON.stringify(k)} (known: ${OPTIONS.join(', ')})`, { path: k });
    }
  }
  for (const k of ['worker', 'epoch', 'autoFree']) {
    if (options[k] !== undefined && typeof options[k] !== 'boolean') {
      throw new CegError('INVALID_OPTIONS', `ceg: options.${k} must be a boolean`, { path: k });
    }
  }
  reg.api.checkOptions(options);
  reg.transport.checkTimeout(options.timeoutMs, 'timeoutMs', 'INVALID_OPTIONS');
  if (options.timeoutMs !== undefined && !options.worker) {
    throw new CegError('INVALID_OPTIONS', 'ceg: options.timeoutMs needs worker: true (a call in this thread cannot be interrupted)', { path: 'timeoutMs' });
  }
  return options;
}

/** source turns the wasm option into something core.compile takes. */
function source(wasm) {
  if (wasm === undefined) wasm = new URL('./ceg.wasm', import.meta.url);
  if (typeof wasm === 'string' || wasm instanceof URL) {
    const url = new URL(wasm, globalThis.location ? globalThis.location.href : undefined);
    return fetch(url).catch((e) => {
      throw new CegError('LOAD_FAILED', `ceg: cannot fetch the module at ${url}: ${e.message}`, { cause: e });
    });
  }
  return wasm;
}

function spawnWebWorker() {
  const w = new Worker(new URL('./browser-worker.mjs', import.meta.url), { type: 'module', name: 'ceg' });
  return {
    post: (m) => w.postMessage(m),
    onMessage: (cb) => w.addEventListener('message', (e) => cb(e.data)),
    onExit: (cb) => w.addEventListener('error', (e) => { e.preventDefault(); cb(new Error(e.message || 'worker error')); }),
    terminate: () => w.terminate(),
  };
}

/**
 * load compiles and instantiates the module and returns the API (every
 * helper returns a Promise).
 * With `warmup` (true: 2000 turns, or a number), representative chat turns
 * run on a throwaway instance first, so the page's first turns run code the
 * browser has already compiled and optimised (docs/JS.md, "Warm from the
 * first turn"); once per module and page.
 * @param {{wasm?: string|URL|Response|Promise<Response>|ArrayBuffer|ArrayBufferView|WebAssembly.Module, worker?: boolean, onRecreate?: Function, stdout?: Function, stderr?: Function, timeoutMs?: number, epoch?: boolean, autoFree?: boolean, warmup?: boolean|number, clock?: () => number, recover?: 'none'|'snapshot'}} [options]
 */
export async function load(options) {
  const o = checkOptions(options);
  const n = reg.core.warmupTurns(o);
  const module = await reg.core.compile(source(o.wasm));
  if (n > (warmed.get(module) || 0)) {
    await reg.core.warmUp(module, { stdout: o.stdout, stderr: o.stderr, epoch: false }, n - (warmed.get(module) || 0)); // plain ids (g1)
    warmed.set(module, n);
  }
  if (o.worker) return reg.api.createApi(Object.assign(await reg.transport.remote(spawnWebWorker, module, o), { autoFree: o.autoFree, clock: o.clock, recover: o.recover }));
  const rt = await reg.core.Runtime.create(module, { onRecreate: o.onRecreate, stdout: o.stdout, stderr: o.stderr, epoch: o.epoch });
  return reg.api.createApi(Object.assign(reg.transport.local(rt, false), { autoFree: o.autoFree, clock: o.clock, recover: o.recover }));
}

const warmed = new WeakMap(); // WebAssembly.Module -> warm-up turns already run on it

/** loadSync is Node only. */
export function loadSync() {
  throw new CegError('INVALID_OPTIONS', 'ceg: loadSync is not available in browsers (synchronous instantiation of a large module is refused on the main thread); use load()');
}

export default { load, loadSync, CegError, Graph, Session, TraceLog, DilationField, OscillationGuard, SwapRegistry };
