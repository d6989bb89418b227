/*
 * transport.js: how the API object reaches the module, in this thread or in
 * a worker.
 *
 * local(runtime, sync) serves calls from a Runtime in this thread. remote(spawn,
 * module, options) runs the Runtime in a worker (worker_threads in Node, a Web
 * Worker in browsers) and exchanges request/response text by message; the
 * host's event loop never blocks on the module. Both produce the transport
 * createApi takes.
 *
 * Worker mode keeps its queue on the calling thread and hands the worker one
 * call at a time, so it always knows which call is running. A call given a
 * deadline (timeoutMs) that is still queued when the deadline passes is
 * dropped with TIMEOUT (it never ran); one that is running is failed with
 * TIMEOUT, the worker is terminated (the only way to stop a wasm call) and a
 * new one is started, reported via onRecreate. A worker that dies fails its
 * running call with INSTANCE_TRAPPED. Either way the calls queued behind run
 * on the new worker, and objects of the old one answer INSTANCE_LOST.
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

  /** MAX_TIMEOUT_MS is the largest deadline setTimeout honours (about 24.8 days). */
  var MAX_TIMEOUT_MS = 2147483647;

  /**
   * timeoutOf reads {timeoutMs} from per-call options (or the load option
   * when where is 'options'); undefined when absent.
   */
  function timeoutOf(o, where) {
    if (o === undefined || o === null) return undefined;
    if (typeof o !== 'object' || Array.isArray(o)) {
      throw new CegError('INVALID_ARGUMENT', 'ceg: ' + where + ' must be an object like {timeoutMs}', { path: where });
    }
    for (var k in o) {
      if (Object.prototype.hasOwnProperty.call(o, k) && k !== 'timeoutMs') {
        throw new CegError('INVALID_ARGUMENT', 'ceg: unknown call option ' + JSON.stringify(k) + ' (known: timeoutMs)', { path: k });
      }
    }
    return checkTimeout(o.timeoutMs, 'timeoutMs', 'INVALID_ARGUMENT');
  }

  /** checkTimeout accepts undefined or a number in (0, MAX_TIMEOUT_MS]. */
  function checkTimeout(v, path, code) {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !(v > 0) || v > MAX_TIMEOUT_MS) {
      throw new CegError(code, 'ceg: timeoutMs must be a number of milliseconds in (0, ' + MAX_TIMEOUT_MS + ']; got ' + String(v), { path: path });
    }
    return v;
  }

  /**
   * local serves the API from a Runtime in this thread. A call cannot be
   * interrupted here (the thread runs it), so per-call timeoutMs is refused:
   * deadlines need worker mode.
   * @param {object} rt a core.Runtime.
   * @param {boolean} sync true for loadSync (values), false for load (Promises).
   */
  function local(rt, sync) {
    var exchange = sync ? function (t) { return rt.callRaw(String(t)); } : function (t) { return rt.callRawAsync(String(t)); };
    var raw = function (t, opts) {
      if (timeoutOf(opts, 'options') !== undefined) {
        throw new CegError('INVALID_ARGUMENT', 'ceg: timeoutMs needs worker mode (load({ worker: true })): a call in this thread cannot be interrupted', { path: 'timeoutMs' });
      }
      return exchange(t);
    };
    var r = rpc.createRpc(raw, sync);
    var wrap = function (f) { return sync ? f : function () { try { return Promise.resolve(f.apply(null, arguments)); } catch (e) { return Promise.reject(e); } }; };
    return {
      call: r.call, notify: r.notify, batch: r.batch, callRaw: wrap(raw),
      memoryBytes: wrap(function () { return rt.memoryBytes(); }),
      close: wrap(function () { rt.close(); }),
      debugTrap: function () { return rt.debugTrap(!sync); },
      epoch: function () { return rt.epoch(); },
      closed: function () { return rt.closed; },
      setTraceKey: function (key) { return rt.setTraceKey(key, !sync); },
      sync: sync, worker: false, abi: rt.abi,
    };
  }

  /**
   * remote starts the module in a worker and resolves to a transport once
   * the worker reports the instance ready (or rejects with its load error).
   * @param {() => {post(m: any): void, onMessage(cb: (m: any) => void): void, onExit(cb: (e: Error) => void): void, terminate(): void, ref?(): void, unref?(): void}} spawn
   * @param {WebAssembly.Module} module
   * @param {{onRecreate?: Function, stdout?: Function, stderr?: Function, timeoutMs?: number, epoch?: boolean}} options
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
    var defaultTimeout = options.timeoutMs;
    var nextId = 1;
    var queue = []; // jobs not yet handed to the worker, in call order
    var running = null; // the job the worker is running
    var worker = null; // the current worker (null between a death and the next boot)
    var up = false; // the current worker reported its instance ready
    var closed = false;
    var abi = null;
    var epoch = null; // the live instance's epoch (null while there is none)
    var traceKey = null; // handed to every new worker
    var recreations = 0;

    function holdOpen() {
      if (!worker) return;
      var busy = running !== null || queue.length > 0;
      if (busy && worker.ref) worker.ref();
      else if (!busy && worker.unref) worker.unref();
    }

    function settle(job) {
      if (job.timer !== undefined) clearTimeout(job.timer);
      job.timer = undefined;
    }

    /** pump hands the next queued job to the worker when it is idle. */
    function pump() {
      if (closed || !up || running || queue.length === 0) { holdOpen(); return; }
      var job = queue.shift();
      running = job;
      holdOpen();
      worker.post(Object.assign({ type: job.type, id: job.id }, job.payload));
    }

    /** replace discards the current worker and starts another. */
    function replace(info, runningError) {
      var w = worker;
      worker = null;
      up = false;
      epoch = null;
      if (w) { try { w.terminate(); } catch (_) { /* already gone */ } }
      var job = running;
      running = null;
      if (job) { settle(job); job.reject(runningError); }
      try { onRecreate(info); } catch (_) { /* a failing callback must not stop recovery */ }
      boot().catch(function (e) {
        // The new worker could not start: what was queued fails with its error.
        var all = queue.splice(0);
        for (var q of all) { settle(q); q.reject(e); }
        holdOpen();
      });
    }

    function boot() {
      var w = spawn();
      worker = w;
      var started = false;
      return new Promise(function (resolve, reject) {
        w.onMessage(function (m) {
          if (w !== worker) return;
          switch (m.type) {
            case 'ready':
              started = true;
              if (m.error) {
                worker = null;
                try { w.terminate(); } catch (_) { /* ignore */ }
                reject(CegError.revive(m.error));
                return;
              }
              abi = m.abi;
              epoch = m.epoch;
              up = true;
              resolve();
              pump(); // also lets an idle host process exit
              break;
            case 'log':
              sinks[m.stream](m.line);
              break;
            case 'recreated':
              recreations++;
              epoch = m.epoch;
              try { onRecreate(Object.assign({}, m.info, { recreations: recreations })); } catch (_) { /* ignore */ }
              break;
            case 'result': {
              var job = running;
              if (!job || job.id !== m.id) return; // a call given up on (timed out)
              running = null;
              settle(job);
              if (m.error) job.reject(CegError.revive(m.error));
              else job.resolve(m.value);
              pump();
              break;
            }
            default:
          }
        });
        w.onExit(function (e) {
          if (w !== worker || closed) return;
          var reason = 'worker exited: ' + (e && e.message ? e.message : String(e));
          if (!started) {
            worker = null;
            reject(new CegError('WORKER_FAILED', 'ceg: the worker failed to start: ' + reason));
            return;
          }
          // The worker died: fail the call it was running and start another.
          recreations++;
          var info = { reason: reason, stderr: [], recreations: recreations };
          replace(info, new CegError('INSTANCE_TRAPPED', 'ceg: the worker running the module died (' + reason + ') and was replaced; retry the call', { data: info }));
        });
        w.post({ type: 'init', module: module, traceKey: traceKey, epoch: options.epoch !== false });
      });
    }

    /** timedOut fails a job whose deadline passed. */
    function timedOut(job) {
      job.timer = undefined;
      var i = queue.indexOf(job);
      if (i >= 0) {
        queue.splice(i, 1);
        job.reject(new CegError('TIMEOUT', 'ceg: ' + job.what + ' did not start within ' + job.timeoutMs + ' ms (calls ahead of it in the queue) and was not run', { data: { timeoutMs: job.timeoutMs, started: false } }));
        holdOpen();
        return;
      }
      if (job !== running) return;
      recreations++;
      var reason = job.what + ' ran past its deadline of ' + job.timeoutMs + ' ms';
      var info = { reason: 'timeout: ' + reason, stderr: [], recreations: recreations };
      replace(info, new CegError('TIMEOUT', 'ceg: ' + reason + '; the worker was terminated and replaced (its handles and sessions are lost: INSTANCE_LOST)', { data: { timeoutMs: job.timeoutMs, started: true, recreations: recreations } }));
    }

    function send(type, payload, timeoutMs, what) {
      if (closed) return Promise.reject(new CegError('CLOSED', 'ceg: this instance was closed'));
      return new Promise(function (resolve, reject) {
        var job = { id: nextId++, type: type, payload: payload, resolve: resolve, reject: reject, timeoutMs: timeoutMs, what: what || type, timer: undefined };
        if (timeoutMs !== undefined) job.timer = setTimeout(function () { timedOut(job); }, timeoutMs);
        queue.push(job);
        if (!worker) boot().catch(function (e) { var all = queue.splice(0); for (var q of all) { settle(q); q.reject(e); } });
        else pump();
      });
    }

    /** what names a request text for messages: its method, when it has one. */
    function what(text) {
      var m = /"method"\s*:\s*"([^"\\]{1,64})"/.exec(text.slice(0, 512));
      return m ? m[1] : 'the call';
    }

    return boot().then(function () {
      var raw = function (text, opts) {
        var t;
        try {
          t = timeoutOf(opts, 'options');
        } catch (e) { return Promise.reject(e); }
        if (t === undefined) t = defaultTimeout;
        text = String(text);
        return send('call', { text: text }, t, what(text));
      };
      var r = rpc.createRpc(raw, false);
      return {
        call: r.call, notify: r.notify, batch: r.batch, callRaw: raw,
        memoryBytes: function () { return send('memory', {}); },
        debugTrap: function () { return send('debugTrap', {}); },
        epoch: function () { return closed ? null : epoch; },
        closed: function () { return closed; },
        setTraceKey: function (key) {
          return send('setKey', { key: key }).then(function (v) { traceKey = key; return v; });
        },
        close: function () {
          if (closed) return Promise.resolve();
          closed = true;
          var w = worker;
          worker = null;
          epoch = null;
          var all = (running ? [running] : []).concat(queue.splice(0));
          running = null;
          for (var q of all) { settle(q); q.reject(new CegError('CLOSED', 'ceg: this instance was closed')); }
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

  return { local: local, remote: remote, timeoutOf: timeoutOf, checkTimeout: checkTimeout, MAX_TIMEOUT_MS: MAX_TIMEOUT_MS };
});
