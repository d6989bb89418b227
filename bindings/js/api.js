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

  /**
   * withContract runs f(params) once params.contract is an ExecutionContract:
   * a string contract is a message, compiled by contract.fromMessage first.
   */
  function withContract(ctx, params, f) {
    var p = target(params);
    if (typeof p.contract !== 'string') return f(p);
    return ctx.then(ctx.call('contract.fromMessage', { message: p.contract }), function (r) {
      p.contract = r.contract;
      return f(p);
    });
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
    /**
     * rollback undoes the swap that brought id in (σ rollback): the old node
     * returns with its edges, id leaves. {op, rolledBack, node?}; rolledBack
     * is false (not an error) when id has no rollback state.
     */
    rollback(id) { return this.op({ op: 'rollback', id: id }); }
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
   * TraceLog is a hash-chained trace the host appends to: a stand-alone log
   * (trace.create; `handle` is its id) or a session's trace (session.trace).
   */
  class TraceLog {
    constructor(ctx, target) {
      Object.defineProperty(this, 'ctx', { value: ctx, enumerable: false });
      Object.defineProperty(this, 'target', { value: target, enumerable: false });
      /** The log handle ("l1", ...) or undefined for a session's trace. */
      this.handle = target.log;
    }

    /**
     * append adds a host event and returns its record id. opts:
     * {causalParent?, actor?, tick?, at?} (tick and at only for a
     * stand-alone log: a session's records take its tick and clock).
     */
    append(event, data, opts) {
      var p = Object.assign({}, this.target, options(opts, 'append(event, data, opts)'), { event: event });
      if (data !== undefined) p.data = data;
      return this.ctx.then(this.ctx.call('trace.append', p), function (r) { return r.id; });
    }
    /** replay returns every record from sinceId inclusive (all when absent or unknown). */
    replay(sinceId) {
      var p = Object.assign({}, this.target);
      if (sinceId !== undefined) p.sinceId = sinceId;
      return this.ctx.then(this.ctx.call('trace.replay', p), function (r) { return r.records; });
    }
    /** causalChain returns the records from the root down to id ([] for an unknown id). */
    causalChain(id) {
      return this.ctx.then(this.ctx.call('trace.causalChain', Object.assign({ id: id }, this.target)), function (r) { return r.records; });
    }
    /** verify checks the whole log with trace.verify. */
    verify() {
      var ctx = this.ctx;
      return ctx.then(this.replay(), function (records) { return ctx.call('trace.verify', { records: records }); });
    }
    /** drop releases a stand-alone log (a session's trace goes with the session). */
    drop() {
      if (!this.target.log) throw new CegError('INVALID_ARGUMENT', 'ceg: a session trace is released by session.close()');
      return this.ctx.then(this.ctx.call('trace.drop', { log: this.target.log }), function (r) { return r.dropped; });
    }
  }

  /**
   * DilationField is D as state (field.*): a stand-alone field (`handle`
   * "f1", ...) the host updates, or a session's field (session.field), which
   * its executor updates and the host reads.
   */
  class DilationField {
    constructor(ctx, target) {
      Object.defineProperty(this, 'ctx', { value: ctx, enumerable: false });
      Object.defineProperty(this, 'target', { value: target, enumerable: false });
      /** The field's handle; undefined for a session's field. */
      this.handle = target.field;
    }
    c(method, params, f) {
      return this.ctx.then(this.ctx.call(method, Object.assign({}, this.target, params)), f);
    }
    /** update sets D of id from {uncertainty, costPressure, confidence, collapseProximity?} and returns the D in force (dwell guard applied). */
    update(id, inputs) {
      return this.c('field.update', Object.assign({}, options(inputs, 'update(id, inputs)'), { id: id }), function (r) { return r.d; });
    }
    /** fromHealth sets D of id from a health and observed/target latency ratio; returns the D in force. */
    fromHealth(id, health, latencyRatio) {
      return this.c('field.fromHealth', { id: id, health: health, latencyRatio: latencyRatio }, function (r) { return r.d; });
    }
    /** get returns D of id (1, D_DEFAULT, for an id the field does not hold). */
    get(id) { return this.c('field.get', { id: id }, function (r) { return r.d; }); }
    /** entry returns {id, d, dwell}. */
    entry(id) { return this.c('field.get', { id: id }, function (r) { return r; }); }
    /** snapshot returns {nodes: [{id, d, dwell}], config}. */
    snapshot() { return this.c('field.snapshot', {}, function (r) { return r; }); }
    /** apply sets every node's dilation in a graph (a Graph or a handle) from the field; returns how many nodes. */
    apply(graph) {
      var h = graph instanceof Graph ? graph.handle : graph;
      return this.c('field.apply', { handle: h }, function (r) { return r.applied; });
    }
    /** drop releases a stand-alone field. */
    drop() { return this.c('field.drop', {}, function (r) { return r.dropped; }); }
  }

  /**
   * OscillationGuard is the swap oscillation guard on its own (guard.*): a
   * stand-alone guard (`handle` "o1", ...) or a session's (session.guard,
   * read-only: it counts the session's own swaps).
   */
  class OscillationGuard {
    constructor(ctx, target) {
      Object.defineProperty(this, 'ctx', { value: ctx, enumerable: false });
      Object.defineProperty(this, 'target', { value: target, enumerable: false });
      /** The guard's handle; undefined for a session's guard. */
      this.handle = target.guard;
    }
    c(method, params, f) {
      return this.ctx.then(this.ctx.call(method, Object.assign({}, this.target, params)), f);
    }
    /** recordSwap records a swap old -> new at tick; returns {oscillating, count, limit, window}. */
    recordSwap(oldId, newId, tick) { return this.c('guard.recordSwap', { old: oldId, new: newId, tick: tick }, function (r) { return r; }); }
    /** isOscillating: more than `limit` swaps between the pair within `window` ticks ending at tick. */
    isOscillating(oldId, newId, tick) { return this.c('guard.isOscillating', { old: oldId, new: newId, tick: tick }, function (r) { return r.oscillating; }); }
    /** check returns {oscillating, count, limit, window} for the pair at tick. */
    check(oldId, newId, tick) { return this.c('guard.isOscillating', { old: oldId, new: newId, tick: tick }, function (r) { return r; }); }
    /** reset forgets the pair's swaps (stand-alone guards only). */
    reset(oldId, newId) { return this.c('guard.reset', { old: oldId, new: newId }, function (r) { return r.reset; }); }
    /** drop releases a stand-alone guard. */
    drop() { return this.c('guard.drop', {}, function (r) { return r.dropped; }); }
  }

  /**
   * SwapRegistry is the hot-swap registry (registry.*): a stand-alone one
   * (`handle` "r1", ...) or a session's (session.registry).
   */
  class SwapRegistry {
    constructor(ctx, target) {
      Object.defineProperty(this, 'ctx', { value: ctx, enumerable: false });
      Object.defineProperty(this, 'target', { value: target, enumerable: false });
      /** The registry's handle; undefined for a session's registry. */
      this.handle = target.registry;
    }
    c(method, params, f) {
      return this.ctx.then(this.ctx.call(method, Object.assign({}, this.target, params)), f || function (r) { return r; });
    }
    /** register adds a replacement candidate (a resource node) for resource; {registered, candidates}: the first of a provider stays. */
    register(resource, candidate) { return this.c('registry.register', { resource: resource, candidate: candidate }); }
    /** candidates lists the replacement candidates of resource (registered, plus swaps_to targets of graph or the session's graph). */
    candidates(resource, graph) {
      var p = { resource: resource };
      if (graph !== undefined) p.handle = graph instanceof Graph ? graph.handle : graph;
      return this.c('registry.candidates', p, function (r) { return r.candidates; });
    }
    /** check returns {trigger, triggers} for an observation {resource?, health?, latencyMs?, targetMs?, dilation?, money?, maxCost?, authorityRevoked?, manual?}. */
    check(observation) { return this.c('registry.check', { observation: observation }); }
    /** select chooses a replacement: {trigger, from, candidates?, inUse?, tick?} -> {to?, provider?, reason?, refused, passed, diverted, degraded}. */
    select(request) { return this.c('registry.select', options(request, 'select(request)')); }
    /** observe feeds a health observation into id's stability EMA; returns the stability. */
    observe(id, health) { return this.c('registry.observe', { id: id, health: health }, function (r) { return r.stability; }); }
    /** summary returns {tracked, swaps, blocked, policy}. */
    summary() { return this.c('registry.summary', {}); }
    /** drop releases a stand-alone registry. */
    drop() { return this.c('registry.drop', {}, function (r) { return r.dropped; }); }
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
      /** The session's trace, to append host events to and read back. */
      Object.defineProperty(this, 'trace', { value: new TraceLog(ctx, { session: id }), enumerable: false });
      /** The session's dilation field (read-only: the executor updates it). */
      Object.defineProperty(this, 'field', { value: new DilationField(ctx, { session: id }), enumerable: false });
      /** The session's oscillation guard (read-only: it counts the session's swaps). */
      Object.defineProperty(this, 'guard', { value: new OscillationGuard(ctx, { session: id }), enumerable: false });
      /** The session's hot-swap registry: inspect candidates, triggers, selections, its policy. */
      Object.defineProperty(this, 'registry', { value: new SwapRegistry(ctx, { session: id }), enumerable: false });
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
      /** graph creates a module-side graph from doc (default empty). */
      graph: function (doc) {
        return then(call('graph.create', { graph: doc || { nodes: [], edges: [] } }), function (r) { return new Graph(ctx, r.handle); });
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

      /** contractFromMessage compiles a chat message into an ExecutionContract (the original CEG's rule); overrides replace any field. */
      contractFromMessage: function (message, overrides) {
        var p = { message: message };
        if (overrides !== undefined) p.overrides = options(overrides, 'contractFromMessage(message, overrides)');
        return then(call('contract.fromMessage', p), field('contract'));
      },
      /** optimize returns the execution plan. A string contract is a message (contract.fromMessage). */
      optimize: function (p) { return withContract(ctx, p, function (q) { return then(call('plan.optimize', q), field('plan')); }); },
      /**
       * route is plan.optimize with select "route": the lean answer a caller
       * that plans every turn reads ({id, feasible, infeasibility?, steps:
       * [{intent, resource, provider, failover, grounding}]}), a view of the
       * same plan optimize returns, at a fraction of the encoding and decoding.
       * A string contract is a message (contract.fromMessage).
       */
      route: function (p) {
        return withContract(ctx, p, function (q) {
          q.select = 'route';
          return then(call('plan.optimize', q), field('route'));
        });
      },
      /** reoptimize returns {plan, changes} given the previous plan. */
      reoptimize: function (p) { return withContract(ctx, p, function (q) { return call('plan.reoptimize', q); }); },
      /** execute starts a host-driven Session. */
      execute: function (p) {
        return withContract(ctx, p, function (q) {
          return then(call('exec.start', q), function (r) { return new Session(ctx, r.session, r); });
        });
      },
      /** restore re-creates a Session from a snapshot; report(now, []) gives its current actions. */
      restore: function (snapshot) {
        return then(call('exec.restore', { snapshot: snapshot }), function (r) { return new Session(ctx, r.session); });
      },
      /** simulate runs exec.run: {steps, summary, trace}. */
      simulate: function (p) { return withContract(ctx, p, function (q) { return call('exec.run', q); }); },
      /** traceLog creates a stand-alone hash-chained log (trace.create). */
      traceLog: function () {
        return then(call('trace.create', {}), function (r) { return new TraceLog(ctx, { log: r.log }); });
      },
      /** dilationField creates a stand-alone dilation field; config {preset?: 'module'|'original', dwellThreshold?, dwellTicks?, strict?, pullBackTo?}. */
      dilationField: function (config) {
        var p = config === undefined ? {} : { config: options(config, 'dilationField(config)') };
        return then(call('field.create', p), function (r) { return new DilationField(ctx, { field: r.field }); });
      },
      /** oscillationGuard creates a stand-alone swap oscillation guard; opts {limit? (3), window? (10)}. */
      oscillationGuard: function (opts) {
        return then(call('guard.create', options(opts, 'oscillationGuard(opts)')), function (r) { return new OscillationGuard(ctx, { guard: r.guard }); });
      },
      /** swapRegistry creates a stand-alone hot-swap registry with a policy (registry.create). */
      swapRegistry: function (policy) {
        var p = policy === undefined ? {} : { policy: options(policy, 'swapRegistry(policy)') };
        return then(call('registry.create', p), function (r) { return new SwapRegistry(ctx, { registry: r.registry }); });
      },
      /** captureRollback returns the rollback state a swap from -> to on a graph would keep (nothing changes). */
      captureRollback: function (graph, from, to) {
        return call('registry.capture', { handle: graph instanceof Graph ? graph.handle : graph, from: from, to: to });
      },
      /** openTraceLog wraps an existing log handle without a call. */
      openTraceLog: function (handle) { return new TraceLog(ctx, { log: handle }); },
      /** verifyTrace checks trace records (array) or JSON Lines (string). */
      verifyTrace: function (records) {
        return call('trace.verify', typeof records === 'string' ? { jsonl: records } : { records: records });
      },
    };
    if (!t.sync) {
      // A helper that rejects its arguments must still return a Promise.
      Object.keys(api).forEach(function (k) {
        var f = api[k];
        if (typeof f !== 'function' || k === 'openGraph' || k === 'openTraceLog') return;
        api[k] = function () {
          try { return f.apply(api, arguments); } catch (e) { return Promise.reject(e); }
        };
      });
    }
    if (t.debugTrap) Object.defineProperty(api, Symbol.for('@convergence-io/ceg/debugTrap'), { value: t.debugTrap, enumerable: false });
    return api;
  }

  return { createApi: createApi, Graph: Graph, Session: Session, TraceLog: TraceLog, DilationField: DilationField, OscillationGuard: OscillationGuard, SwapRegistry: SwapRegistry, TERMINAL: TERMINAL };
});
