/*
 * api.js: the typed helpers over the JSON-RPC methods of docs/DESIGN.md#methods.
 *
 * createApi(transport) returns the object `load()` / `loadSync()` resolve to.
 * With a synchronous transport (loadSync) every helper returns its value;
 * otherwise (load, worker mode) every helper returns a Promise. Graph and
 * Session wrap a module-side handle / session id; both live in one instance.
 * Each object remembers the epoch of that instance; once the instance is
 * gone (it trapped, its worker was terminated after a timeout or died) the
 * object answers INSTANCE_LOST without touching the module, so it can never
 * reach an object of the instance that replaced it. Objects made by graph(),
 * execute() and restore() own their handle / session: when one is garbage
 * collected without drop() / close(), the binding frees it in the module
 * (FinalizationRegistry; load option autoFree: false turns this off).
 */
(function (root, factory) {
  'use strict';
  var key = Symbol.for('@convergence-io/ceg/modules');
  var reg = root[key] || (root[key] = {});
  var cjs = typeof module === 'object' && module && module.exports;
  var m = cjs ? factory(require('./errors.js')) : factory(reg.errors);
  reg.api = m;
  if (cjs) module.exports = m;
})(globalThis, function (errors) {
  'use strict';

  var CegError = errors.CegError;

  /** Session statuses after which no more actions come. */
  var TERMINAL = Object.freeze(['complete', 'failed', 'aborted', 'max_ticks']);

  /** epochOf returns the epoch an id carries after its last '.', or null. */
  function epochOf(id) {
    if (typeof id !== 'string') return null;
    var i = id.lastIndexOf('.');
    return i >= 0 ? id.slice(i + 1) : null;
  }

  /** lostError is the error of an object whose instance is gone. */
  function lostError(obj) {
    var what = obj instanceof Graph ? 'graph ' + JSON.stringify(obj.handle) : 'session ' + JSON.stringify(obj.id);
    return new CegError('INSTANCE_LOST', 'ceg: ' + what + ' lived in a module instance that is gone (it trapped, timed out or died, and was replaced); ' +
      'nothing was sent: create it again' + (obj instanceof Session ? ' or restore it from a snapshot' : ''), {
      data: { kind: obj instanceof Graph ? 'graph' : 'session', id: obj instanceof Graph ? obj.handle : obj.id, epoch: obj.epoch },
    });
  }

  /**
   * target copies params, replacing a Graph object given as `graph` by its
   * handle, so every method that takes `graph|handle` also takes a Graph.
   * It returns [params, graph object or null].
   */
  function target(params) {
    if (!params || typeof params !== 'object' || Array.isArray(params)) throw new CegError('INVALID_ARGUMENT', 'ceg: expected a params object');
    var p = Object.assign({}, params);
    var g = null;
    if (p.graph instanceof Graph) {
      g = p.graph;
      p.handle = g.handle;
      delete p.graph;
    }
    return [p, g];
  }

  /** options checks an optional options object of a helper. */
  function options(o, where) {
    if (o === undefined || o === null) return {};
    if (typeof o !== 'object' || Array.isArray(o)) throw new CegError('INVALID_ARGUMENT', 'ceg: ' + where + ': expected an options object, got ' + typeof o);
    return o;
  }

  /**
   * Graph is a graph held by the module under `handle` (graph.create). Each
   * mutation is one graph.apply; apply(ops) runs several all-or-nothing.
   */
  class Graph {
    /**
     * @param {{call: Function, then: Function}} ctx how to call the module.
     * @param {string} handle the module-side handle.
     */
    constructor(ctx, handle) {
      Object.defineProperty(this, 'ctx', { value: ctx, enumerable: false });
      /** The module-side handle (a string). */
      this.handle = handle;
      /** The epoch of the instance the handle lives in. */
      Object.defineProperty(this, 'epoch', { value: epochOf(handle) || ctx.epoch(), enumerable: false });
    }

    /** lost is true once the instance holding this graph is gone (calls answer INSTANCE_LOST). */
    get lost() { return this.epoch !== this.ctx.epoch(); }

    /** apply runs ops all-or-nothing and returns {results, snapshot}. */
    apply(ops) { return this.ctx.on(this, 'graph.apply', { handle: this.handle, ops: ops }); }

    op(o) { return this.ctx.then(this.apply([o]), function (r) { return r.results[0]; }); }
    /** addNode adds a node; DUPLICATE_NODE if its id is taken. */
    addNode(node) { return this.op({ op: 'addNode', node: node }); }
    /** removeNode removes a node and its edges. */
    removeNode(id) { return this.op({ op: 'removeNode', id: id }); }
    /** addEdge adds an edge; adding an existing (from, to, kind) keeps one. */
    addEdge(edge) { return this.op({ op: 'addEdge', edge: edge }); }
    /** removeEdge removes (from, to, kind); also takes one {from, to, kind} object. */
    removeEdge(from, to, kind) {
      if (from && typeof from === 'object') return this.op({ op: 'removeEdge', from: from.from, to: from.to, kind: from.kind });
      return this.op({ op: 'removeEdge', from: from, to: to, kind: kind });
    }
    /** swapNode replaces oldId by node atomically (σ); the new node takes its edges. */
    swapNode(oldId, node) { return this.op({ op: 'swapNode', oldId: oldId, node: node }); }
    /** advanceTick moves the graph's tick on by one. */
    advanceTick() { return this.op({ op: 'advanceTick' }); }

    query(q, extra) {
      return this.ctx.then(this.ctx.on(this, 'graph.query', Object.assign({ handle: this.handle, query: q }, extra)), function (r) { return r.result; });
    }
    /** getNode returns the node with that id. */
    getNode(id) { return this.query('getNode', { id: id }); }
    /** nodesByKind returns the nodes of one kind, sorted by id. */
    nodesByKind(kind) { return this.query('nodesByKind', { kind: kind }); }
    /** edgesFrom returns the edges leaving id. */
    edgesFrom(id) { return this.query('edgesFrom', { id: id }); }
    /** edgesTo returns the edges entering id. */
    edgesTo(id) { return this.query('edgesTo', { id: id }); }
    /** blockedBy returns the sources of `blocks` edges into id. */
    blockedBy(id) { return this.query('blockedBy', { id: id }); }
    /** requiredBy returns the targets of `requires` edges out of id. */
    requiredBy(id) { return this.query('requiredBy', { id: id }); }
    /** snapshot returns {tick, nodes, edges, ...counts by kind}. */
    snapshot() { return this.query('snapshot'); }
    /** export returns the whole graph document {nodes, edges, tick}. */
    export() { return this.ctx.then(this.ctx.on(this, 'graph.export', { handle: this.handle }), function (r) { return r.graph; }); }
    /** drop releases the handle; the Graph must not be used afterwards. */
    drop() {
      var self = this;
      return this.ctx.then(this.ctx.on(this, 'graph.drop', { handle: this.handle }), function (r) { self.ctx.release(self); return r.dropped; });
    }
  }

  /**
   * Session is one host-driven execution (exec.start). `actions` are what the
   * host must do now; report(now, outcomes) advances it. Iterating it (for
   * await) yields each turn {tick, status, actions, events} until the status
   * is terminal; the loop body must report between turns.
   */
  class Session {
    constructor(ctx, id, turn) {
      Object.defineProperty(this, 'ctx', { value: ctx, enumerable: false });
      /** The module-side session id. */
      this.id = id;
      /** The epoch of the instance the session lives in. */
      Object.defineProperty(this, 'epoch', { value: epochOf(id) || ctx.epoch(), enumerable: false });
      this.closed = false;
      /** The hash of the session's last trace record ('' before any): keep it apart from the records for verifyTrace({expectHead}). */
      this.traceHead = '';
      /** How many trace records the session has written: for verifyTrace({expectCount}). */
      this.traceCount = 0;
      this.turns = 0;
      this.last = undefined;
      if (turn) this.update(turn);
    }

    update(turn) {
      this.last = turn;
      this.tick = turn.tick;
      this.status = turn.status;
      this.actions = turn.actions || [];
      this.events = turn.events || [];
      if (turn.plan) this.plan = turn.plan; // the latest plan (sent when it changed)
      var ev = this.events;
      if (ev.length > 0 && ev[ev.length - 1] && typeof ev[ev.length - 1].hash === 'string') {
        var last = ev[ev.length - 1];
        this.traceHead = last.hash;
        var n = /^t-(\d+)$/.exec(last.id || '');
        if (n) this.traceCount = Number(n[1]);
      }
      this.turns++;
      return turn;
    }

    /** lost is true once the instance holding this session is gone (calls answer INSTANCE_LOST). */
    get lost() { return this.epoch !== this.ctx.epoch(); }

    /** done is true once the status is terminal or the session was closed. */
    get done() { return this.closed || TERMINAL.indexOf(this.status) >= 0; }

    /**
     * report hands the outcomes of dispatched actions (with the host clock
     * `now`, in ms) and returns the next turn. `options.swaps` lists
     * resources to hot-swap this tick (the manual trigger).
     */
    report(now, outcomes, options) {
      var self = this;
      var params = { session: this.id, now: now, outcomes: outcomes || [] };
      var o = options || {};
      if (typeof o !== 'object') throw new CegError('INVALID_ARGUMENT', 'ceg: report(now, outcomes, options): options must be an object like {swaps, timeoutMs}', { path: 'options' });
      if (o.swaps) params.swaps = o.swaps;
      var co = o.timeoutMs === undefined ? undefined : { timeoutMs: o.timeoutMs };
      return this.ctx.then(this.ctx.on(this, 'exec.report', params, co), function (r) { return self.update(r); });
    }

    /** exportGraph returns the session's working graph with its trace records as nodes of kind trace. */
    exportGraph() { return this.ctx.then(this.ctx.on(this, 'graph.export', { session: this.id }), function (r) { return r.graph; }); }

    /** snapshot returns a snapshot for restore (it carries its own digest). */
    snapshot() { return this.ctx.then(this.ctx.on(this, 'exec.snapshot', { session: this.id }), function (r) { return r.snapshot; }); }

    /** close ends the session and frees it in the module. */
    close() {
      var self = this;
      return this.ctx.then(this.ctx.on(this, 'exec.close', { session: this.id }), function (r) { self.closed = true; self.ctx.release(self); return r.closed; });
    }

    async *[Symbol.asyncIterator]() {
      var seen = -1;
      while (!this.done && this.last) {
        if (this.turns === seen) {
          throw new CegError('SESSION_STALLED', 'ceg: call session.report(now, outcomes) before asking for the next turn');
        }
        seen = this.turns;
        yield this.last;
      }
    }
  }

  /** asCegError turns anything thrown inside the binding into a CegError. */
  function asCegError(e) {
    if (e instanceof CegError) return e;
    return new CegError('BINDING_ERROR', 'ceg: unexpected ' + (e && e.name ? e.name : 'exception') + ' in the binding: ' + (e && e.message ? e.message : String(e)) + ' (please report it)', { cause: e });
  }

  var B64 = /^[A-Za-z0-9+/]*={0,2}$/;

  /** keyText turns a trace key (base64 string, bytes or null) into base64 or null. */
  function keyText(key) {
    if (key === null) return null;
    if (typeof key === 'string') {
      if (key.length === 0 || key.length % 4 !== 0 || !B64.test(key)) throw new CegError('INVALID_ARGUMENT', 'ceg: setTraceKey: the key must be base64 (standard alphabet, padded), bytes or null', { path: 'key' });
      return key;
    }
    var bytes = key instanceof ArrayBuffer ? new Uint8Array(key) : ArrayBuffer.isView(key) ? new Uint8Array(key.buffer, key.byteOffset, key.byteLength) : null;
    if (!bytes) throw new CegError('INVALID_ARGUMENT', 'ceg: setTraceKey: the key must be base64, bytes (Uint8Array, Buffer, ArrayBuffer) or null', { path: 'key' });
    var bin = '';
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin);
  }

  /**
   * createApi builds the public object.
   * @param {{call: Function, notify: Function, batch: Function, callRaw: Function, memoryBytes: Function, close: Function, debugTrap?: Function, epoch: () => (string|null), closed: () => boolean, setTraceKey: Function, sync: boolean, worker: boolean, abi: {major: number, minor: number}, autoFree?: boolean}} t
   */
  function createApi(t) {
    var sync = t.sync;
    var then = sync
      ? function (v, f) { return f(v); }
      : function (v, f) { return Promise.resolve(v).then(f); };
    var call = t.call;
    var noop = function () {};
    var fail = sync ? function (e) { throw asCegError(e); } : function (e) { return Promise.reject(asCegError(e)); };

    // Objects that own their handle / session, by id, for openGraph and the
    // finalizer. A WeakRef never keeps an object alive.
    var owned = new Map();
    var autoFree = t.autoFree !== false && typeof FinalizationRegistry === 'function' && typeof WeakRef === 'function';
    var freed = 0;
    var registry = autoFree ? new FinalizationRegistry(function (held) {
      var ref = owned.get(held.id);
      if (ref && ref.deref() !== undefined) return; // another live object owns the id
      owned.delete(held.id);
      if (t.closed() || t.epoch() !== held.epoch) return; // the instance is gone: so is the object in it
      freed++;
      try {
        var r = t.notify(held.method, held.params);
        if (r && typeof r.catch === 'function') r.catch(noop);
      } catch (_) { /* freeing is best effort */ }
    }) : null;

    /** own registers an object that owns its module-side id. */
    function own(obj, id, method, params) {
      if (!registry) return obj;
      registry.register(obj, { id: id, epoch: obj.epoch, method: method, params: params }, obj);
      owned.set(id, new WeakRef(obj));
      return obj;
    }

    /** release forgets an object whose id was dropped / closed. */
    function release(obj) {
      if (!registry) return;
      registry.unregister(obj);
      var id = obj instanceof Graph ? obj.handle : obj.id;
      var ref = owned.get(id);
      if (ref && ref.deref() === obj) owned.delete(id);
    }

    /**
     * on calls a method about obj (a Graph or Session): INSTANCE_LOST
     * without a call when obj's instance is gone, and when it went while
     * the call was on its way (the module then answered UNKNOWN_HANDLE /
     * UNKNOWN_SESSION for an id it never issued).
     */
    function on(obj, method, params, opts) {
      var lost = function (e) {
        if (e instanceof CegError && (e.code === 'UNKNOWN_HANDLE' || e.code === 'UNKNOWN_SESSION') && !t.closed() && obj.epoch !== t.epoch()) throw lostError(obj);
        throw asCegError(e);
      };
      try {
        if (!t.closed() && obj.epoch !== t.epoch()) throw lostError(obj);
        if (sync) {
          try { return call(method, params, opts); } catch (e) { return lost(e); }
        }
        return Promise.resolve(call(method, params, opts)).catch(lost);
      } catch (e) {
        return fail(e);
      }
    }

    var ctx = { call: call, then: then, on: on, epoch: t.epoch, release: release };
    var field = function (name) { return function (r) { return r[name]; }; };
    /** viaTarget runs a graph|handle method, with the Graph's INSTANCE_LOST check when one is given. */
    var viaTarget = function (method, p, opts) {
      var pg = target(p);
      return pg[1] ? on(pg[1], method, pg[0], opts) : call(method, pg[0], opts);
    };

    var api = {
      /** Whether helpers return values (loadSync) rather than Promises. */
      sync: t.sync,
      /** Whether the module runs in a worker. */
      worker: t.worker,
      /** The module's ABI version {major, minor, raw}. */
      abi: t.abi,
      call: call,
      notify: t.notify,
      batch: t.batch,
      callRaw: t.callRaw,
      memoryBytes: t.memoryBytes,
      close: t.close,

      /** epoch is the live instance's epoch (null while there is none); every id it issues ends in "." + epoch. */
      epoch: function () { return t.epoch(); },
      /** autoFreed counts handles and sessions freed because their objects were garbage collected. */
      autoFreed: function () { return freed; },

      /** version returns {abi, module, go}. */
      version: function () { return call('version', {}); },
      /** validate checks a graph document; invalid graphs throw CegError. */
      validate: function (graph) { return call('graph.validate', { graph: graph }); },
      /** graph creates a module-side graph from doc (default empty); opts is {maxIdleCalls?}. */
      graph: function (doc, opts) {
        var p = Object.assign({ graph: doc || { nodes: [], edges: [] } }, options(opts, 'graph(doc, opts)'));
        return then(call('graph.create', p), function (r) {
          return own(new Graph(ctx, r.handle), r.handle, 'graph.drop', { handle: r.handle });
        });
      },
      /** openGraph returns the live Graph that owns handle, or wraps the handle without owning it. */
      openGraph: function (handle) {
        if (typeof handle !== 'string') throw new CegError('INVALID_ARGUMENT', 'ceg: openGraph(handle): the handle must be a string', { path: 'handle' });
        var ref = owned.get(handle);
        var g = ref && ref.deref();
        return g instanceof Graph ? g : new Graph(ctx, handle);
      },

      /** dilation computes D from {uncertainty, costPressure, confidence, collapseProximity?}. */
      dilation: function (p) { return then(call('dilation.compute', p), field('d')); },
      /** dilationFromHealth computes D from a health in [0,1] and observed/target latency. */
      dilationFromHealth: function (health, latencyRatio) {
        return then(call('dilation.fromHealth', { health: health, latencyRatio: latencyRatio }), field('d'));
      },
      /** grounding returns the grounding policy for D; base is {baseMaxResults?, baseMinSources?}. */
      grounding: function (d, base) { return call('dilation.grounding', Object.assign({ d: d }, options(base, 'grounding(d, base)'))); },
      /** estimate scores a chat message: {d, uncertainty}; opts is {confidence?, collapseProximity?}. */
      estimate: function (text, opts) { return call('dilation.estimate', Object.assign({ text: text }, options(opts, 'estimate(text, opts)'))); },

      /** optimize returns the execution plan; opts is {timeoutMs?}. */
      optimize: function (p, opts) { return then(viaTarget('plan.optimize', p, opts), field('plan')); },
      /**
       * route is plan.optimize with select "route": the lean answer a caller
       * that plans every turn reads ({id, feasible, infeasibility?, steps:
       * [{intent, resource, provider, failover, grounding}]}), a view of the
       * same plan optimize returns, at a fraction of the encoding and
       * decoding; opts is {timeoutMs?}.
       */
      route: function (p, opts) {
        var q = Object.assign({}, p);
        if (q && typeof q === 'object') q.select = 'route';
        return then(viaTarget('plan.optimize', q, opts), field('route'));
      },
      /** reoptimize returns {plan, changes} given the previous plan; opts is {timeoutMs?}. */
      reoptimize: function (p, opts) { return viaTarget('plan.reoptimize', p, opts); },
      /** execute starts a host-driven Session; opts is {timeoutMs?}. */
      execute: function (p, opts) {
        return then(viaTarget('exec.start', p, opts), function (r) {
          return own(new Session(ctx, r.session, r), r.session, 'exec.close', { session: r.session });
        });
      },
      /** restore re-creates a Session from a snapshot; report(now, []) gives its current actions. */
      restore: function (snapshot, opts) {
        return then(call('exec.restore', { snapshot: snapshot }, opts), function (r) {
          return own(new Session(ctx, r.session), r.session, 'exec.close', { session: r.session });
        });
      },
      /** simulate runs exec.run: {steps, summary, trace}; opts is {timeoutMs?}. */
      simulate: function (p, opts) { return viaTarget('exec.run', p, opts); },
      /**
       * verifyTrace checks trace records (array) or JSON Lines (string);
       * opts {expectHead?, expectCount?} also catch records missing at the end.
       */
      verifyTrace: function (records, opts) {
        var o = options(opts, 'verifyTrace(records, opts)');
        var params = typeof records === 'string' ? { jsonl: records } : { records: records };
        for (var k in o) {
          if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
          if (k !== 'expectHead' && k !== 'expectCount' && k !== 'timeoutMs') throw new CegError('INVALID_ARGUMENT', 'ceg: verifyTrace: unknown option ' + JSON.stringify(k) + ' (known: expectHead, expectCount, timeoutMs)', { path: k });
        }
        if (o.expectHead !== undefined) params.expectHead = o.expectHead;
        if (o.expectCount !== undefined) params.expectCount = o.expectCount;
        return call('trace.verify', params, o.timeoutMs === undefined ? undefined : { timeoutMs: o.timeoutMs });
      },
      /** listGraphs lists the live graph handles with sizes and ages in calls (graph.list). */
      listGraphs: function () { return call('graph.list', {}); },
      /** listSessions lists the live sessions with sizes and ages in calls (exec.list). */
      listSessions: function () { return call('exec.list', {}); },
      /**
       * setTraceKey keys the trace hashes and snapshot digests (HMAC-SHA-256)
       * with key (base64 or bytes), or goes back to plain SHA-256 (null). The
       * binding hands the key to every instance it makes after a trap.
       */
      setTraceKey: function (key) { return t.setTraceKey(keyText(key)); },
    };
    Object.keys(api).forEach(function (k) {
      var f = api[k];
      if (typeof f !== 'function') return;
      // Every error is a CegError; a helper that rejects its arguments still
      // returns a Promise when helpers return Promises.
      api[k] = (sync || k === 'openGraph' || k === 'epoch' || k === 'autoFreed')
        ? function () { try { return f.apply(api, arguments); } catch (e) { throw asCegError(e); } }
        : function () {
          try { return Promise.resolve(f.apply(api, arguments)).catch(function (e) { throw asCegError(e); }); } catch (e) { return Promise.reject(asCegError(e)); }
        };
    });
    if (t.debugTrap) Object.defineProperty(api, Symbol.for('@convergence-io/ceg/debugTrap'), { value: t.debugTrap, enumerable: false });
    return api;
  }

  return { createApi: createApi, Graph: Graph, Session: Session, TERMINAL: TERMINAL, asCegError: asCegError };
});
