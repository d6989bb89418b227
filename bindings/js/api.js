/*
 * api.js: the typed helpers over the JSON-RPC methods of docs/DESIGN.md#methods.
 *
 * createApi(transport) returns the object `load()` / `loadSync()` resolve to.
 * With a synchronous transport (loadSync) every helper returns its value;
 * otherwise (load, worker mode) every helper returns a Promise. Graph and
 * Session wrap a module-side handle / session id; both live in one instance
 * and are lost if that instance traps (the next use fails with
 * UNKNOWN_HANDLE / UNKNOWN_SESSION).
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

  /**
   * target copies params, replacing a Graph object given as `graph` by its
   * handle, so every method that takes `graph|handle` also takes a Graph.
   */
  function target(params) {
    if (!params || typeof params !== 'object') throw new CegError('INVALID_ARGUMENT', 'ceg: expected a params object');
    var p = Object.assign({}, params);
    if (p.graph instanceof Graph) {
      p.handle = p.graph.handle;
      delete p.graph;
    }
    return p;
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
    }

    /** apply runs ops all-or-nothing and returns {results, snapshot}. */
    apply(ops) { return this.ctx.call('graph.apply', { handle: this.handle, ops: ops }); }

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
      return this.ctx.then(this.ctx.call('graph.query', Object.assign({ handle: this.handle, query: q }, extra)), function (r) { return r.result; });
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
    export() { return this.ctx.then(this.ctx.call('graph.export', { handle: this.handle }), function (r) { return r.graph; }); }
    /** drop releases the handle; the Graph must not be used afterwards. */
    drop() { return this.ctx.then(this.ctx.call('graph.drop', { handle: this.handle }), function (r) { return r.dropped; }); }
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
      this.closed = false;
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
      this.turns++;
      return turn;
    }

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
      if (options && options.swaps) params.swaps = options.swaps;
      return this.ctx.then(this.ctx.call('exec.report', params), function (r) { return self.update(r); });
    }

    /** exportGraph returns the session's working graph with its trace records as nodes of kind trace. */
    exportGraph() { return this.ctx.then(this.ctx.call('graph.export', { session: this.id }), function (r) { return r.graph; }); }

    /** snapshot returns an opaque snapshot for exec.restore. */
    snapshot() { return this.ctx.then(this.ctx.call('exec.snapshot', { session: this.id }), function (r) { return r.snapshot; }); }

    /** close ends the session and frees it in the module. */
    close() {
      var self = this;
      return this.ctx.then(this.ctx.call('exec.close', { session: this.id }), function (r) { self.closed = true; return r.closed; });
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

  /**
   * createApi builds the public object.
   * @param {{call: Function, notify: Function, batch: Function, callRaw: Function, memoryBytes: Function, close: Function, debugTrap?: Function, sync: boolean, worker: boolean, abi: {major: number, minor: number}}} t
   */
  function createApi(t) {
    var then = t.sync
      ? function (v, f) { return f(v); }
      : function (v, f) { return Promise.resolve(v).then(f); };
    var call = t.call;
    var ctx = { call: call, then: then };
    var field = function (name) { return function (r) { return r[name]; }; };

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

      /** version returns {abi, module, go}. */
      version: function () { return call('version', {}); },
      /** validate checks a graph document; invalid graphs throw CegError. */
      validate: function (graph) { return call('graph.validate', { graph: graph }); },
      /** graph creates a module-side graph from doc (default empty); opts is {maxIdleCalls?}. */
      graph: function (doc, opts) {
        var p = Object.assign({ graph: doc || { nodes: [], edges: [] } }, options(opts, 'graph(doc, opts)'));
        return then(call('graph.create', p), function (r) { return new Graph(ctx, r.handle); });
      },
      /** openGraph wraps an existing handle without a call. */
      openGraph: function (handle) { return new Graph(ctx, handle); },

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

      /** optimize returns the execution plan. */
      optimize: function (p) { return then(call('plan.optimize', target(p)), field('plan')); },
      /**
       * route is plan.optimize with select "route": the lean answer a caller
       * that plans every turn reads ({id, feasible, infeasibility?, steps:
       * [{intent, resource, provider, failover, grounding}]}), a view of the
       * same plan optimize returns, at a fraction of the encoding and decoding.
       */
      route: function (p) {
        var q = target(p);
        q.select = 'route';
        return then(call('plan.optimize', q), field('route'));
      },
      /** reoptimize returns {plan, changes} given the previous plan. */
      reoptimize: function (p) { return call('plan.reoptimize', target(p)); },
      /** execute starts a host-driven Session. */
      execute: function (p) {
        return then(call('exec.start', target(p)), function (r) { return new Session(ctx, r.session, r); });
      },
      /** restore re-creates a Session from a snapshot; report(now, []) gives its current actions. */
      restore: function (snapshot) {
        return then(call('exec.restore', { snapshot: snapshot }), function (r) { return new Session(ctx, r.session); });
      },
      /** simulate runs exec.run: {steps, summary, trace}. */
      simulate: function (p) { return call('exec.run', target(p)); },
      /** verifyTrace checks trace records (array) or JSON Lines (string). */
      verifyTrace: function (records) {
        return call('trace.verify', typeof records === 'string' ? { jsonl: records } : { records: records });
      },
      /** listGraphs lists the live graph handles with sizes and ages in calls (graph.list). */
      listGraphs: function () { return call('graph.list', {}); },
      /** listSessions lists the live sessions with sizes and ages in calls (exec.list). */
      listSessions: function () { return call('exec.list', {}); },
    };
    if (!t.sync) {
      // A helper that rejects its arguments must still return a Promise.
      Object.keys(api).forEach(function (k) {
        var f = api[k];
        if (typeof f !== 'function' || k === 'openGraph') return;
        api[k] = function () {
          try { return f.apply(api, arguments); } catch (e) { return Promise.reject(e); }
        };
      });
    }
    if (t.debugTrap) Object.defineProperty(api, Symbol.for('@convergence-io/ceg/debugTrap'), { value: t.debugTrap, enumerable: false });
    return api;
  }

  return { createApi: createApi, Graph: Graph, Session: Session, TERMINAL: TERMINAL };
});
