/*
 * node-worker.js: the worker_threads entry of worker mode in Node. It serves
 * the module to the thread that called load({ worker: true }).
 */
'use strict';

const { parentPort } = require('node:worker_threads');
const { randomFillSync } = require('node:crypto');
const { serve } = require('./worker-host.js');

serve({
  post: (m) => parentPort.postMessage(m),
  onMessage: (cb) => parentPort.on('message', cb),
}, { randomFill: (v) => randomFillSync(v) });
