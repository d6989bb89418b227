/*
 * transport.js: how the API object reaches the module, in this thread or in
 * a worker.
 *
 * local(runtime, sync) serves calls from a Runtime in this thread. remote(spawn,
 * module, options) runs the Runtime in a worker (worker_threads in Node, a Web
 * Worker in browsers) and exchanges request/response text by message; the
 * host's event loop never blocks on the module. Both produce the transport
 * createApi takes. A worker that dies is replaced (reported via onRecreate)
 * and its in-flight calls fail with INSTANCE_TRAPPED.
 */
(function (root, factory) {
  'use strict';
  var key = Symbol.for('@convergence-io/ceg/modules');
  var reg = root[key] || (root[key] = {});
  var cjs = typeof module === 'object' && module && module.exports;
  var m = cjs ? factory(require('./errors.js'), require('./rpc.js')) : factory(reg.errors, reg.rpc);
  reg.transport = m;
  if (cjs) module.exports = m;
})(globalThis, function (errors, rpc) {
  'use strict';

  var CegError = errors.CegError;

  /**
   * local serves the API from a Runtime in this thread.
   * @param {object} rt a core.Runtime.
   * @param {boolean} sync true for loadSync (values), false for load (Promises).
   */
  function local(rt, sync) {
    var raw = sync ? function (t) { return rt.callRaw(String(t)); } : function (t) { return rt.callRawAsync(String(t)); };
    var r = rpc.createRpc(raw, sync);
    var wrap = function (f) { return sync ? f : function () { try { return Promise.resolve(f()); } catch (e) { return Promise.reject(e); } }; };
    return {
      call: r.call, notify: r.notify, batch: r.batch, callRaw: raw,
      memoryBytes: wrap(function () { return rt.memoryBytes(); }),
      close: wrap(function () { rt.close(); }),
      debugTrap: function () { return rt.debugTrap(!sync); },
      sync: sync, worker: false, abi: rt.abi,
    };
  }

  /**
   * remote starts the module in a worker and resolves to a transport once
   * the worker reports the instance ready (or rejects with its load error).
   * @param {() => {post(m: any): void, onMessage(cb: (m: any) => void): void, onExit(cb: (e: Error) => void): void, terminate(): void, ref?(): void, unref?(): void}} spawn
   * @param {WebAssembly.Module} module
   * @param {{onRecreate?: Function, stdout?: Function, stderr?: Function}} options
   * @returns {Promise<object>}
   */
  function remote(spawn, module, options) {
    options = options || {};
    /* eslint-disable no-console */
    var sinks = {
      stdout: options.stdout || function (l) { console.log(l); },
      stderr: options.stderr || function (l) { console.error(l); },
    };
    var onRecreate = options.onRecreate || function (info) {
      console.warn('ceg: the wasm instance trapped (' + info.reason + '); started a fresh instance (#' + info.recreations + '); its handles and sessions are gone');
    };
    /* eslint-enable no-console */
    var nextId = 1;
    var pending = new Map();
    var worker = null;
    var ready = null;
    var closed = false;
    var abi = null;
    var recreations = 0;

    function holdOpen() {
      if (!worker) return;
      if (pending.size > 0 && worker.ref) worker.ref();
      else if (pending.size === 0 && worker.unref) worker.unref();
    }

    function failAll(err) {
      var all = Array.from(pending.values());
      pending.clear();
      for (var p of all) p.reject(err);
      holdOpen();
    }

    function boot() {
      var w = spawn();
      worker = w;
      ready = new Promise(function (resolve, reject) {
        w.onMessage(function (m) {
          if (w !== worker) return;
          switch (m.type) {
            case 'ready':
              if (m.error) reject(CegError.revive(m.error));
              else { abi = m.abi; resolve(); }
              holdOpen(); // idle from here on: let the host process exit
              break;
            case 'log':
              sinks[m.stream](m.line);
              break;
            case 'recreated':
              recreations = m.info.recreations;
              try { onRecreate(m.info); } catch (_) { /* ignore */ }
              break;
            case 'result': {
              var p = pending.get(m.id);
              if (!p) return;
              pending.delete(m.id);
              holdOpen();
              if (m.error) p.reject(CegError.revive(m.error));
              else p.resolve(m.value);
              break;
            }
            default:
          }
        });
        w.onExit(function (e) {
          if (w !== worker || closed) return;
          // The worker itself died: fail what was in flight and start another.
          recreations++;
          var info = { reason: 'worker exited: ' + (e && e.message ? e.message : String(e)), stderr: [], recreations: recreations };
          worker = null;
          reject(new CegError('WORKER_FAILED', 'ceg: the worker failed to start: ' + info.reason));
          failAll(new CegError('INSTANCE_TRAPPED', 'ceg: the worker running the module died (' + info.reason + ') and was replaced; retry the call', { data: info }));
          try { onRecreate(info); } catch (_) { /* ignore */ }
          boot();
          ready.catch(function () { /* reported on the next call */ });
        });
        w.post({ type: 'init', module: module });
      });
      return ready;
    }

    function send(type, payload) {
      if (closed) return Promise.reject(new CegError('CLOSED', 'ceg: this instance was closed'));
      return ready.then(function () {
        return new Promise(function (resolve, reject) {
          var id = nextId++;
          pending.set(id, { resolve: resolve, reject: reject });
          holdOpen();
          worker.post(Object.assign({ type: type, id: id }, payload));
        });
      });
    }

    return boot().then(function () {
      var raw = function (text) { return send('call', { text: String(text) }); };
      var r = rpc.createRpc(raw, false);
      return {
        call: r.call, notify: r.notify, batch: r.batch, callRaw: raw,
        memoryBytes: function () { return send('memory', {}); },
        debugTrap: function () { return send('debugTrap', {}); },
        close: function () {
          if (closed) return Promise.resolve();
          closed = true;
          var w = worker;
          worker = null;
          failAll(new CegError('CLOSED', 'ceg: this instance was closed'));
          return Promise.resolve(w && w.terminate()).then(function () { return undefined; });
        },
        sync: false, worker: true, abi: abi,
      };
    }, function (e) {
      closed = true;
      if (worker) worker.terminate();
      throw e;
    });
  }

  return { local: local, remote: remote };
});
