/*
 * worker-host.js: the worker side of worker mode (see transport.js remote).
 *
 * serve(port, env) waits for {type: 'init', module}, instantiates the module
 * synchronously (allowed in workers), then answers {type: 'call' | 'memory' |
 * 'debugTrap' | 'setKey', id} messages with {type: 'result', id, value |
 * error}. Output lines and instance re-creations are forwarded as 'log' /
 * 'recreated' (with the new instance's epoch).
 */
(function (root, factory) {
  'use strict';
  var key = Symbol.for('@convergence-io/ceg/modules');
  var reg = root[key] || (root[key] = {});
  var cjs = typeof module === 'object' && module && module.exports;
  var m = cjs ? factory(require('./core.js'), require('./errors.js')) : factory(reg.core, reg.errors);
  reg.workerHost = m;
  if (cjs) module.exports = m;
})(globalThis, function (core, errors) {
  'use strict';

  function serialize(e) {
    if (e instanceof errors.CegError) return e.toJSON();
    return { code: 'WORKER_ERROR', message: 'ceg: ' + (e && e.message ? e.message : String(e)) };
  }

  /**
   * serve answers the main thread's messages.
   * @param {{post(m: any): void, onMessage(cb: (m: any) => void): void}} port
   * @param {{randomFill?: (v: Uint8Array) => void}} [env]
   */
  function serve(port, env) {
    env = env || {};
    var rt = null;
    port.onMessage(function (m) {
      if (m.type === 'init') {
        try {
          rt = core.Runtime.createSync(m.module, {
            randomFill: env.randomFill,
            epoch: m.epoch,
            stdout: function (line) { port.post({ type: 'log', stream: 'stdout', line: line }); },
            stderr: function (line) { port.post({ type: 'log', stream: 'stderr', line: line }); },
            onRecreate: function (info) {
              port.post({ type: 'recreated', epoch: rt.epoch(), info: { reason: info.reason, stderr: info.stderr, recreations: info.recreations, exitCode: info.exitCode } });
            },
          });
          if (m.traceKey) rt.traceKey = m.traceKey; // handed to the instance before its first call
          port.post({ type: 'ready', abi: rt.abi, epoch: rt.epoch() });
        } catch (e) {
          port.post({ type: 'ready', error: serialize(e) });
        }
        return;
      }
      var out = { type: 'result', id: m.id };
      try {
        switch (m.type) {
          case 'call': out.value = rt.callRaw(m.text); break;
          case 'memory': out.value = rt.memoryBytes(); break;
          case 'debugTrap': rt.debugTrap(false); break;
          case 'setKey': out.value = rt.setTraceKey(m.key, false); break;
          default: throw new Error('unknown message type ' + m.type);
        }
      } catch (e) {
        out.error = serialize(e);
      }
      port.post(out);
    });
  }

  return { serve: serve };
});
