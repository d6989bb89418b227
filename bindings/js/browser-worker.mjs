/*
 * browser-worker.mjs: the Web Worker entry of worker mode in browsers
 * (started by browser.mjs as a module worker). It serves the module to the
 * page that called load({ worker: true }).
 */
import './wasi.js';
import './errors.js';
import './core.js';
import './worker-host.js';

const { workerHost } = globalThis[Symbol.for('@convergence-io/ceg/modules')];

workerHost.serve({
  post: (m) => self.postMessage(m),
  onMessage: (cb) => self.addEventListener('message', (e) => cb(e.data)),
});
