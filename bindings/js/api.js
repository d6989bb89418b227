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
 * execute(), restore(), traceLog(), dilationField(), oscillationGuard() and
 * swapRegistry() own their handle / session: when one is garbage collected
 * without drop() / close(), the binding frees it in the module
 * (FinalizationRegistry; load option autoFree: false turns this off).
 *
 * Two opt-ins work on the host's side of the module, which has no clock:
 * maxIdleMs (graph(), execute(), restore(), traceLog(), dilationField(),
 * oscillationGuard(), swapRegistry()) evicts an object that no call has
 * named for longer than that by the host's clock (load option clock,
 * default Date.now), checked at the start of every call; and load option
 * recover: 'snapshot' keeps what it takes to re-create each Graph and
 * Session (a graph's document and the ops applied since, a session's
 * snapshot after every turn, which holds its own trace, field, guard and
 * registry), so such an object whose instance is gone is re-created in the
 * new one on its next call instead of answering INSTANCE_LOST. Stand-alone
 * host-state objects keep nothing and are not re-created.
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

  // Hidden per-object state of the opt-ins (Symbols: not enumerable, not JSON).
  var REC = Symbol('recovery'); // recover: what re-creates the object
  var IDLE = Symbol('maxIdleMs'); // maxIdleMs of the object
  var EVICTED = Symbol('evicted'); // evicted for idleness
  var PENDING = Symbol('recovering'); // a re-creation in progress (async)

  /** MAX_IDLE_MS bounds maxIdleMs (2^53 - 1: any whole number of ms a host means). */
  var MAX_IDLE_MS = Number.MAX_SAFE_INTEGER;

  /** checkIdleMs accepts undefined or a number of ms in (0, MAX_IDLE_MS]. */
  function checkIdleMs(v, path) {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !(v > 0) || v > MAX_IDLE_MS) {
      throw new CegError('INVALID_ARGUMENT', 'ceg: maxIdleMs must be a number of milliseconds in (0, 2^53); got ' + String(v), { path: path });
    }
    return v;
  }

  /** takeIdleMs removes maxIdleMs (binding-side, never sent) from params p and returns it checked. */
  function takeIdleMs(p) {
    var ms = checkIdleMs(p.maxIdleMs, 'maxIdleMs');
    delete p.maxIdleMs;
    return ms;
  }

  /** ID_PARAMS are the params that name a handle or session: a call naming a tracked one is a use of it. */
  var ID_PARAMS = ['handle', 'session', 'log', 'field', 'guard', 'registry'];

  /**
   * checkOptions validates the load options createApi reads (clock,
   * recover); code is the error code of the loader (INVALID_OPTIONS).
   */
  function checkOptions(o) {
    if (o.clock !== undefined && typeof o.clock !== 'function') {
      throw new CegError('INVALID_OPTIONS', 'ceg: options.clock must be a function returning the host time in ms', { path: 'clock' });
    }
    if (o.recover !== undefined && o.recover !== 'none' && o.recover !== 'snapshot') {
      throw new CegError('INVALID_OPTIONS', 'ceg: options.recover must be "none" (the default) or "snapshot"; got ' + JSON.stringify(String(o.recover)), { path: 'recover' });
    }
  }

  /** idOf is the module-side id of a Graph, Session or stand-alone host-state object. */
  function idOf(obj) { return obj instanceof Session ? obj.id : obj.handle; }

  /**
   * evictedError is the error of an object evicted for idleness (nothing is
   * sent): what the module answers for an id it does not hold, with the
   * params field that names it as path.
   */
  function evictedError(obj) {
    var d = describe(obj);
    var s = obj instanceof Session;
    return new CegError(s ? 'UNKNOWN_SESSION' : 'UNKNOWN_HANDLE', 'ceg: ' + d[0] + ' ' + JSON.stringify(d[1]) +
      ' was evicted: no call named it for more than maxIdleMs (' + obj[IDLE] + ' ms)', {
      path: s ? 'session' : obj instanceof Graph ? 'handle' : obj.key, data: { evicted: true, maxIdleMs: obj[IDLE] },
    });
  }

  /** describe returns [kind, id] of an object that names something in the module. */
  function describe(obj) {
    if (obj instanceof Graph) return ['graph', obj.handle];
    if (obj instanceof Session) return ['session', obj.id];
    // A host-state object: its own handle, or the session it belongs to.
    return obj.handle !== undefined ? [obj.kind, obj.handle] : [obj.kind, obj.target.session];
  }

  /** lostError is the error of an object whose instance is gone. */
  function lostError(obj) {
    var d = describe(obj);
    return new CegError('INSTANCE_LOST', 'ceg: ' + d[0] + ' ' + JSON.stringify(d[1]) + ' lived in a module instance that is gone (it trapped, timed out or died, and was replaced); ' +
      'nothing was sent: create it again' + (obj instanceof Session ? ' or restore it from a snapshot' : ''), {
      data: { kind: d[0], id: d[1], epoch: obj.epoch },
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
      Object.defineProperty(this, 'epoch', { value: epochOf(handle) || ctx.epoch(), enumerable: false, writable: true });
    }

    /** lost is true once the instance holding this graph is gone (calls answer INSTANCE_LOST). */
    get lost() { return this.epoch !== this.ctx.epoch(); }

    /** apply runs ops all-or-nothing and returns {results, snapshot}. */
    apply(ops) {
      var self = this;
      var text = this.ctx.keepText(this, ops);
      return this.ctx.then(this.ctx.on(this, 'graph.apply', { handle: this.handle, ops: ops }), function (r) { return self.ctx.applied(self, text, r); });
    }

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
    /**
     * rollback undoes the swap that brought id in (σ rollback): the old node
     * returns with its edges, id leaves. {op, rolledBack, node?}; rolledBack
     * is false (not an error) when id has no rollback state.
     */
    rollback(id) { return this.op({ op: 'rollback', id: id }); }

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
      if (this.ctx.gone(this)) return this.ctx.then(true, function (v) { return v; });
      return this.ctx.then(this.ctx.on(this, 'graph.drop', { handle: this.handle }), function (r) { self.ctx.release(self, true); return r.dropped; });
    }
  }


  /**
   * Held is what the host-state objects share: a stand-alone handle (its
   * `handle`) or a session's own (target {session}), the epoch of the
   * instance holding it, and calls that answer INSTANCE_LOST once that
   * instance is gone.
   */
  class Held {
    /**
     * @param ctx how to call the module.
     * @param target {<key>: handle} of a stand-alone object, or {session: id}.
     * @param kind what it is, for errors ("trace log", ...).
     * @param key the params field naming a stand-alone handle ("log", ...).
     * @param drop the method that frees a stand-alone handle.
     * @param owner the Session a session's own object belongs to: its
     *   calls go through the session (lost, re-created with it under
     *   recover: 'snapshot', always naming its current id).
     */
    constructor(ctx, target, kind, key, drop, owner) {
      Object.defineProperty(this, 'ctx', { value: ctx, enumerable: false });
      Object.defineProperty(this, 'target', { value: target, enumerable: false });
      Object.defineProperty(this, 'kind', { value: kind, enumerable: false });
      Object.defineProperty(this, 'key', { value: key, enumerable: false });
      Object.defineProperty(this, 'dropMethod', { value: drop, enumerable: false });
      Object.defineProperty(this, 'owner', { value: owner, enumerable: false });
      /** The module-side handle ("<prefix><n>.<epoch>"); undefined for a session's own. */
      this.handle = owner ? undefined : target[key];
      if (!owner) Object.defineProperty(this, 'ownEpoch', { value: epochOf(this.handle) || ctx.epoch(), enumerable: false });
    }
    /** The epoch of the instance holding it (its session's, for a session's own). */
    get epoch() { return this.owner ? this.owner.epoch : this.ownEpoch; }
    /** lost is true once the instance holding it is gone (calls answer INSTANCE_LOST). */
    get lost() { return this.epoch !== this.ctx.epoch(); }
    c(method, params, f) {
      var r = this.owner
        ? this.ctx.on(this.owner, method, Object.assign({ session: this.owner.id }, params))
        : this.ctx.on(this, method, Object.assign({}, this.target, params));
      return this.ctx.then(r, f || function (x) { return x; });
    }
    /** w is c for a call that changes a session's own object: the session's kept snapshot (recover) is taken again. */
    w(method, params, f) {
      var ctx = this.ctx;
      var owner = this.owner;
      return this.c(method, params, owner ? function (x) { return ctx.then(ctx.kept(owner), function () { return f ? f(x) : x; }); } : f);
    }
    /** dropHandle releases a stand-alone handle. */
    dropHandle(what) {
      if (this.owner) return this.ctx.fail(new CegError('INVALID_ARGUMENT', 'ceg: a session\'s ' + what + ' goes with the session: session.close() releases it'));
      var self = this;
      return this.c(this.dropMethod, {}, function (r) { self.ctx.release(self, true); return r.dropped; });
    }
  }

  /**
   * TraceLog is a hash-chained trace the host appends to: a stand-alone log
   * (traceLog(); `handle` is "l<n>.<epoch>") or a session's trace
   * (session.trace). Records hash like the executor's (RFC 8785, keyed
   * under setTraceKey).
   */
  class TraceLog extends Held {
    constructor(ctx, target, owner) { super(ctx, target, 'trace log', 'log', 'trace.drop', owner); }
    /**
     * append adds a host event and returns its record id. opts:
     * {causalParent?, actor?, tick?, at?} (tick and at only for a
     * stand-alone log: a session's records take its tick and clock).
     */
    append(event, data, opts) {
      var p = Object.assign({}, options(opts, 'append(event, data, opts)'), { event: event });
      if (data !== undefined) p.data = data;
      return this.w('trace.append', p, function (r) { return r.id; });
    }
    /** replay returns every record from sinceId inclusive (all when absent or unknown). */
    replay(sinceId) {
      return this.c('trace.replay', sinceId === undefined ? {} : { sinceId: sinceId }, function (r) { return r.records; });
    }
    /** causalChain returns the records from the root down to id ([] for an unknown id). */
    causalChain(id) { return this.c('trace.causalChain', { id: id }, function (r) { return r.records; }); }
    /** verify checks the whole log with trace.verify. */
    verify() {
      var ctx = this.ctx;
      return ctx.then(this.replay(), function (records) { return ctx.call('trace.verify', { records: records }); });
    }
    /** drop releases a stand-alone log (a session's trace goes with the session). */
    drop() { return this.dropHandle('trace'); }
  }

  /**
   * DilationField is D as state (field.*): a stand-alone field (`handle`
   * "f<n>.<epoch>") the host updates, or a session's field (session.field),
   * which its executor updates and the host reads.
   */
  class DilationField extends Held {
    constructor(ctx, target, owner) { super(ctx, target, 'dilation field', 'field', 'field.drop', owner); }
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
    entry(id) { return this.c('field.get', { id: id }); }
    /** snapshot returns {nodes: [{id, d, dwell}], config}. */
    snapshot() { return this.c('field.snapshot', {}); }
    /** apply sets every node's dilation in a graph (a Graph or a handle) from the field; returns how many nodes. */
    apply(graph) {
      if (graph instanceof Graph && graph.lost) return this.ctx.fail(lostError(graph));
      var h = graph instanceof Graph ? graph.handle : graph;
      return this.c('field.apply', { handle: h }, function (r) { return r.applied; });
    }
    /** drop releases a stand-alone field. */
    drop() { return this.dropHandle('dilation field'); }
  }

  /**
   * OscillationGuard is the swap oscillation guard on its own (guard.*): a
   * stand-alone guard (`handle` "o<n>.<epoch>") or a session's
   * (session.guard, read-only: it counts the session's own swaps).
   */
  class OscillationGuard extends Held {
    constructor(ctx, target, owner) { super(ctx, target, 'oscillation guard', 'guard', 'guard.drop', owner); }
    /** recordSwap records a swap old -> new at tick; returns {oscillating, count, limit, window}. */
    recordSwap(oldId, newId, tick) { return this.c('guard.recordSwap', { old: oldId, new: newId, tick: tick }); }
    /** isOscillating: more than `limit` swaps between the pair within `window` ticks ending at tick. */
    isOscillating(oldId, newId, tick) { return this.c('guard.isOscillating', { old: oldId, new: newId, tick: tick }, function (r) { return r.oscillating; }); }
    /** check returns {oscillating, count, limit, window} for the pair at tick. */
    check(oldId, newId, tick) { return this.c('guard.isOscillating', { old: oldId, new: newId, tick: tick }); }
    /** reset forgets the pair's swaps (stand-alone guards only). */
    reset(oldId, newId) { return this.c('guard.reset', { old: oldId, new: newId }, function (r) { return r.reset; }); }
    /** drop releases a stand-alone guard. */
    drop() { return this.dropHandle('oscillation guard'); }
  }

  /**
   * SwapRegistry is the hot-swap registry (registry.*): a stand-alone one
   * (`handle` "r<n>.<epoch>") or a session's (session.registry).
   */
  class SwapRegistry extends Held {
    constructor(ctx, target, owner) { super(ctx, target, 'swap registry', 'registry', 'registry.drop', owner); }
    /** register adds a replacement candidate (a resource node) for resource; {registered, candidates}: the first of a provider stays. */
    register(resource, candidate) { return this.w('registry.register', { resource: resource, candidate: candidate }); }
    /** candidates lists the replacement candidates of resource (registered, plus swaps_to targets of graph or the session's graph). */
    candidates(resource, graph) {
      var p = { resource: resource };
      if (graph instanceof Graph && graph.lost) return this.ctx.fail(lostError(graph));
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
    drop() { return this.dropHandle('registry'); }
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
      Object.defineProperty(this, 'epoch', { value: epochOf(id) || ctx.epoch(), enumerable: false, writable: true });
      /** The session's trace, to append host events to and read back. */
      Object.defineProperty(this, 'trace', { value: new TraceLog(ctx, { session: id }, this), enumerable: false });
      /** The session's dilation field (read-only: the executor updates it). */
      Object.defineProperty(this, 'field', { value: new DilationField(ctx, { session: id }, this), enumerable: false });
      /** The session's oscillation guard (read-only: it counts the session's swaps). */
      Object.defineProperty(this, 'guard', { value: new OscillationGuard(ctx, { session: id }, this), enumerable: false });
      /** The session's hot-swap registry: inspect candidates, triggers, selections, its policy. */
      Object.defineProperty(this, 'registry', { value: new SwapRegistry(ctx, { session: id }, this), enumerable: false });
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
      return this.ctx.then(this.ctx.on(this, 'exec.report', params, co), function (r) {
        return self.ctx.then(self.ctx.kept(self), function () { return self.update(r); });
      });
    }

    /** exportGraph returns the session's working graph with its trace records as nodes of kind trace. */
    exportGraph() { return this.ctx.then(this.ctx.on(this, 'graph.export', { session: this.id }), function (r) { return r.graph; }); }

    /** snapshot returns a snapshot for restore (it carries its own digest). */
    snapshot() { return this.ctx.then(this.ctx.on(this, 'exec.snapshot', { session: this.id }), function (r) { return r.snapshot; }); }

    /** close ends the session and frees it in the module. */
    close() {
      var self = this;
      if (this.ctx.gone(this)) { this.closed = true; return this.ctx.then(true, function (v) { return v; }); }
      return this.ctx.then(this.ctx.on(this, 'exec.close', { session: this.id }), function (r) { self.closed = true; self.ctx.release(self, true); return r.closed; });
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
    var noop = function () {};
    var fail = sync ? function (e) { throw asCegError(e); } : function (e) { return Promise.reject(asCegError(e)); };
    var clock = t.clock || function () { return Date.now(); };
    var recoverOn = t.recover === 'snapshot';
    var recovered = 0;
    var evicted = 0;

    // Objects that own their handle / session, by id, for openGraph and the
    // finalizer. A WeakRef never keeps an object alive.
    var owned = new Map();
    var autoFree = t.autoFree !== false && typeof FinalizationRegistry === 'function' && typeof WeakRef === 'function';
    var freed = 0;
    var registry = autoFree ? new FinalizationRegistry(function (held) {
      var ref = owned.get(held.id);
      if (ref && ref.deref() !== undefined) return; // another live object owns the id
      owned.delete(held.id);
      idle.delete(held.id);
      if (t.closed() || t.epoch() !== held.epoch) return; // the instance is gone: so is the object in it
      freed++;
      try {
        var r = t.notify(held.method, held.params);
        if (r && typeof r.catch === 'function') r.catch(noop);
      } catch (_) { /* freeing is best effort */ }
    }) : null;

    /** freeing is how an object's id is freed in the module: [method, params]. */
    function freeing(obj) {
      if (obj instanceof Held) {
        var p = {};
        p[obj.key] = obj.handle;
        return [obj.dropMethod, p];
      }
      return obj instanceof Graph ? ['graph.drop', { handle: obj.handle }] : ['exec.close', { session: obj.id }];
    }

    /** own registers an object that owns its module-side id. */
    function own(obj) {
      if (obj[IDLE] !== undefined) track(obj);
      if (!registry) return obj;
      var id = idOf(obj);
      var f = freeing(obj);
      registry.register(obj, { id: id, epoch: obj.epoch, method: f[0], params: f[1] }, obj);
      owned.set(id, new WeakRef(obj));
      return obj;
    }

    /** release forgets an object whose id was dropped / closed (done: for good, with what would re-create it). */
    function release(obj, done) {
      var id = idOf(obj);
      idle.delete(id);
      if (done) obj[REC] = null;
      if (!registry) return;
      registry.unregister(obj);
      var ref = owned.get(id);
      if (ref && ref.deref() === obj) owned.delete(id);
    }

    // ---- idle eviction by the host's clock (maxIdleMs)

    var idle = new Map(); // id -> {obj: WeakRef or the object, epoch, last}
    // No tracked object is due before nextDue (ms by the clock): a lower
    // bound, since a use only moves an object's deadline later, so a sweep
    // before it has nothing to look at. It is made exact again by every
    // sweep that walks the map.
    var nextDue = Infinity;

    /** track puts an object with maxIdleMs under idle eviction, used now. */
    function track(obj) {
      var now = clock();
      idle.set(idOf(obj), { ref: typeof WeakRef === 'function' ? new WeakRef(obj) : { deref: function () { return obj; } }, epoch: obj.epoch, last: now });
      nextDue = Math.min(nextDue, now + obj[IDLE]);
    }

    /** touch marks the object with that id as used now. */
    function touch(id) {
      var en = typeof id === 'string' ? idle.get(id) : undefined;
      if (en) en.last = clock();
    }

    /** touchParams marks every tracked object params name (ID_PARAMS) as used now. */
    function touchParams(p) {
      if (idle.size === 0 || !p || typeof p !== 'object') return;
      ID_PARAMS.forEach(function (k) { touch(p[k]); });
    }

    /**
     * sweep evicts every tracked object no call has named for longer than
     * its maxIdleMs: it frees the id in the module (a notification) and
     * marks the object, whose calls then answer UNKNOWN_HANDLE /
     * UNKNOWN_SESSION without reaching the module. Returns how many.
     */
    function sweep() {
      if (idle.size === 0) return 0;
      var ep = t.epoch();
      if (ep === null || t.closed()) return 0;
      var now = clock();
      if (now <= nextDue) return 0;
      var gone = [];
      nextDue = Infinity;
      idle.forEach(function (en, id) {
        var obj = en.ref.deref();
        if (obj === undefined || en.epoch !== ep) { idle.delete(id); return; } // collected, or of a dead instance
        if (now - en.last > obj[IDLE]) gone.push(obj);
        else nextDue = Math.min(nextDue, en.last + obj[IDLE]);
      });
      gone.forEach(function (obj) {
        obj[EVICTED] = true;
        release(obj, true);
        evicted++;
        var f = freeing(obj);
        try {
          var r = t.notify(f[0], f[1]);
          if (r && typeof r.catch === 'function') r.catch(noop);
        } catch (_) { /* the module frees it at the latest with its instance */ }
      });
      return gone.length;
    }

    /** call runs a method after the idle sweep, counting the ids it names as used. */
    var call = function (method, params, opts) {
      sweep();
      touchParams(params);
      return t.call(method, params, opts);
    };

    // ---- re-creation from what was kept (recover: 'snapshot')

    /** jsonOrNull is v's JSON text, or null when it has none (the call then refuses v with its path). */
    function jsonOrNull(v) {
      try { return JSON.stringify(v); } catch (_) { return null; }
    }

    /** keepText returns the JSON text of v when obj keeps what re-creates it (else null). */
    function keepText(obj, v) { return obj[REC] ? jsonOrNull(v) : null; }

    /**
     * applied records ops that a Graph applied (for re-creation) and
     * returns r. Past 64 KiB of ops (or the document's size) the document
     * is re-read with one graph.export and the ops dropped.
     */
    function applied(g, text, r) {
      var rec = g[REC];
      if (!rec) return r;
      if (text === null) { g[REC] = null; return r; } // cannot replay what could not be kept
      rec.ops.push(text);
      rec.opsBytes += text.length;
      if (rec.opsBytes <= Math.max(65536, rec.doc.length)) return r;
      return then(t.call('graph.export', { handle: g.handle }), function (x) {
        rec.doc = JSON.stringify(x.graph);
        rec.ops = [];
        rec.opsBytes = 0;
        return r;
      });
    }

    /**
     * kept takes the snapshot that re-creates session s after a turn. If
     * it cannot be taken (a session past the response budget, say), s
     * stops being re-creatable: an older snapshot would resume it at a
     * turn the host has already seen through.
     */
    function kept(s) {
      if (!s[REC]) return undefined;
      var drop = function (e) {
        if (e instanceof CegError && (e.code === 'INSTANCE_TRAPPED' || e.code === 'TIMEOUT' || e.code === 'CLOSED')) throw e;
        s[REC] = null;
      };
      var store = function (x) { s[REC].snapshot = x.snapshot; };
      if (sync) {
        try { return store(t.call('exec.snapshot', { session: s.id })); } catch (e) { return drop(e); }
      }
      return Promise.resolve(t.call('exec.snapshot', { session: s.id })).then(store, drop);
    }

    /** rebind moves obj onto its re-created id in the live instance. */
    function rebind(obj, id) {
      release(obj, false);
      if (obj instanceof Graph) obj.handle = id;
      else obj.id = id;
      obj.epoch = epochOf(id) || t.epoch();
      recovered++;
      return own(obj);
    }

    /** recreate makes obj again in the live instance from what was kept. */
    function recreate(obj) {
      var rec = obj[REC];
      var lostWith = function (e) {
        var err = lostError(obj);
        err.message += '; re-creating it failed: ' + (e && e.message);
        err.cause = e;
        err.data.recoverError = e && e.code;
        throw err;
      };
      var run = function () {
        if (obj instanceof Graph) {
          var p = Object.assign({ graph: JSON.parse(rec.doc) }, rec.params);
          return then(t.call('graph.create', p), function (r) {
            var ops = [];
            rec.ops.forEach(function (o) { ops = ops.concat(JSON.parse(o)); });
            if (ops.length === 0) return rebind(obj, r.handle);
            var undo = function (e) {
              try { var x = t.notify('graph.drop', { handle: r.handle }); if (x && x.catch) x.catch(noop); } catch (_) { /* best effort */ }
              throw e;
            };
            if (sync) {
              try { t.call('graph.apply', { handle: r.handle, ops: ops }); } catch (e) { undo(e); }
              return rebind(obj, r.handle);
            }
            return Promise.resolve(t.call('graph.apply', { handle: r.handle, ops: ops })).then(function () { return rebind(obj, r.handle); }, undo);
          });
        }
        return then(t.call('exec.restore', Object.assign({ snapshot: rec.snapshot }, rec.params)), function (r) { return rebind(obj, r.session); });
      };
      if (sync) {
        try { return run(); } catch (e) { return lostWith(e); }
      }
      if (!obj[PENDING]) {
        obj[PENDING] = Promise.resolve().then(run).catch(lostWith).finally(function () { obj[PENDING] = null; });
      }
      return obj[PENDING];
    }

    /** lostNow is true when obj's instance is gone (and the loader is open). */
    function lostNow(obj) { return !t.closed() && obj.epoch !== t.epoch(); }

    /** gone releases a lost object that could be re-created: dropping it needs no module. */
    function gone(obj) {
      if (!obj[REC] || !lostNow(obj) || obj[PENDING]) return false;
      release(obj, true);
      return true;
    }

    /** withId returns params naming obj's current id. */
    function withId(obj, params) {
      var q = Object.assign({}, params);
      if (obj instanceof Graph) q.handle = obj.handle;
      else q.session = obj.id;
      return q;
    }

    /**
     * on calls a method about obj (a Graph, Session or host-state object): INSTANCE_LOST
     * without a call when obj's instance is gone, and when it went while
     * the call was on its way (the module then answered UNKNOWN_HANDLE /
     * UNKNOWN_SESSION for an id it never issued) — unless obj can be
     * re-created (recover: 'snapshot'), which is then done first and the
     * call sent to the new id. An object evicted for idleness answers
     * UNKNOWN_HANDLE / UNKNOWN_SESSION without a call.
     */
    function on(obj, method, params, opts) {
      try {
        sweep();
        if (obj[EVICTED]) throw evictedError(obj);
        if (lostNow(obj)) {
          if (!obj[REC]) throw lostError(obj);
          return then(recreate(obj), function () { return send(obj, method, withId(obj, params), opts, false); });
        }
        return send(obj, method, params, opts, true);
      } catch (e) {
        return fail(e);
      }
    }

    function send(obj, method, params, opts, mayRecover) {
      touch(idOf(obj));
      var lost = function (e) {
        if (e instanceof CegError && (e.code === 'UNKNOWN_HANDLE' || e.code === 'UNKNOWN_SESSION') && lostNow(obj)) {
          if (mayRecover && obj[REC]) return then(recreate(obj), function () { return send(obj, method, withId(obj, params), opts, false); });
          throw lostError(obj);
        }
        throw asCegError(e);
      };
      if (sync) {
        try { return t.call(method, params, opts); } catch (e) { return lost(e); }
      }
      return Promise.resolve(t.call(method, params, opts)).catch(lost);
    }

    /**
     * made finishes a new Graph, Session or stand-alone host-state object:
     * what re-creates it (recover; null for a host-state object), its
     * maxIdleMs, its ownership.
     */
    function made(obj, idleMs, rec) {
      if (idleMs !== undefined) obj[IDLE] = idleMs;
      obj[REC] = recoverOn ? rec : null;
      return own(obj);
    }

    var ctx = { call: call, then: then, on: on, epoch: t.epoch, release: release, keepText: keepText, applied: applied, kept: kept, gone: gone, fail: fail };
    var field = function (name) { return function (r) { return r[name]; }; };
    /** withIdle adds idleMs and maxIdleMs to the listed objects under idle eviction by time. */
    var withIdle = function (r, list, key) {
      if (idle.size === 0 || !Array.isArray(list)) return r;
      var now = clock();
      list.forEach(function (x) {
        var en = idle.get(x[key]);
        var obj = en && en.ref.deref();
        if (obj) { x.idleMs = now - en.last; x.maxIdleMs = obj[IDLE]; }
      });
      return r;
    };
    /** viaTarget runs a graph|handle method, with the Graph's INSTANCE_LOST check when one is given. */
    var viaTarget = function (method, p, opts) {
      var pg = target(p);
      return pg[1] ? on(pg[1], method, pg[0], opts) : call(method, pg[0], opts);
    };
    /**
     * withContract runs f(params) once params.contract is an
     * ExecutionContract: a string contract is a chat message, compiled by
     * contract.fromMessage first.
     */
    var withContract = function (p, f) {
      if (!p || typeof p !== 'object' || typeof p.contract !== 'string') return f(p);
      return then(call('contract.fromMessage', { message: p.contract }), function (r) {
        return f(Object.assign({}, p, { contract: r.contract }));
      });
    };
    /**
     * createOpts checks the options of a host-state constructor ({maxIdleCalls?,
     * maxIdleMs?} and the names in more) and returns a copy.
     */
    var createOpts = function (o, where, more) {
      var known = (more || []).concat(['maxIdleCalls', 'maxIdleMs']);
      var x = Object.assign({}, options(o, where));
      for (var k in x) {
        if (Object.prototype.hasOwnProperty.call(x, k) && known.indexOf(k) < 0) throw new CegError('INVALID_ARGUMENT', 'ceg: ' + where + ': unknown option ' + JSON.stringify(k) + ' (known: ' + known.join(', ') + ')', { path: k });
      }
      return x;
    };
    /**
     * hostState creates a stand-alone host-state object: it sends method
     * with params p (checked by createOpts; its maxIdleMs stays here) and
     * wraps the handle the answer gives under key in a new Cls.
     */
    var hostState = function (method, p, Cls, key) {
      var ms = takeIdleMs(p);
      return then(call(method, p), function (r) {
        var tg = {};
        tg[key] = r[key];
        return made(new Cls(ctx, tg), ms, null);
      });
    };

    /** execute starts a host-driven Session (exec.start); p may carry maxIdleMs. */
    var execute = function (p, opts) {
      var q = p;
      var ms;
      if (p && typeof p === 'object' && !Array.isArray(p) && 'maxIdleMs' in p) {
        q = Object.assign({}, p);
        ms = takeIdleMs(q);
      }
      return then(viaTarget('exec.start', q, opts), function (r) {
        var s = made(new Session(ctx, r.session, r), ms, { snapshot: null, params: q.maxIdleCalls === undefined ? {} : { maxIdleCalls: q.maxIdleCalls } });
        return then(kept(s), function () { return s; });
      });
    };

    var api = {
      /** Whether helpers return values (loadSync) rather than Promises. */
      sync: t.sync,
      /** Whether the module runs in a worker. */
      worker: t.worker,
      /** The module's ABI version {major, minor, raw}. */
      abi: t.abi,
      call: call,
      notify: function (method, params, opts) { sweep(); touchParams(params); return t.notify(method, params, opts); },
      batch: function (calls, opts) {
        sweep();
        if (Array.isArray(calls)) calls.forEach(function (c) { if (c && typeof c === 'object') touchParams(c.params); });
        return t.batch(calls, opts);
      },
      callRaw: function (text, opts) { sweep(); return t.callRaw(text, opts); },
      memoryBytes: t.memoryBytes,
      close: t.close,

      /** epoch is the live instance's epoch (null while there is none); every id it issues ends in "." + epoch. */
      epoch: function () { return t.epoch(); },
      /** autoFreed counts handles and sessions freed because their objects were garbage collected. */
      autoFreed: function () { return freed; },
      /** recovered counts objects re-created in a new instance from what was kept (recover: 'snapshot'). */
      recovered: function () { return recovered; },
      /**
       * evictIdle evicts now what maxIdleMs says is idle (every call does it
       * first anyway) and returns how many; idleEvicted() counts them all.
       */
      evictIdle: function () { return sweep(); },
      /** idleEvicted counts objects evicted for maxIdleMs over this loader's life. */
      idleEvicted: function () { return evicted; },

      /** version returns {abi, module, go}. */
      version: function () { return call('version', {}); },
      /** validate checks a graph document; invalid graphs throw CegError. */
      validate: function (graph) { return call('graph.validate', { graph: graph }); },
      /** graph creates a module-side graph from doc (default empty); opts is {maxIdleCalls?, maxIdleMs?}. */
      graph: function (doc, opts) {
        var p = Object.assign({ graph: doc || { nodes: [], edges: [] } }, options(opts, 'graph(doc, opts)'));
        var ms = takeIdleMs(p);
        var text = recoverOn ? jsonOrNull(p.graph) : null;
        return then(call('graph.create', p), function (r) {
          var rec = text === null ? null : { doc: text, ops: [], opsBytes: 0, params: p.maxIdleCalls === undefined ? {} : { maxIdleCalls: p.maxIdleCalls } };
          return made(new Graph(ctx, r.handle), ms, rec);
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

      /** contractFromMessage compiles a chat message into an ExecutionContract (the original CEG's rule); overrides replace any field. */
      contractFromMessage: function (message, overrides) {
        var p = { message: message };
        if (overrides !== undefined) p.overrides = options(overrides, 'contractFromMessage(message, overrides)');
        return then(call('contract.fromMessage', p), field('contract'));
      },
      /** optimize returns the execution plan; opts is {timeoutMs?}. A string contract is a message (contract.fromMessage). */
      optimize: function (p, opts) { return withContract(p, function (q) { return then(viaTarget('plan.optimize', q, opts), field('plan')); }); },
      /**
       * route is plan.optimize with select "route": the lean answer a caller
       * that plans every turn reads ({id, feasible, infeasibility?, steps:
       * [{intent, resource, provider, failover, grounding}]}), a view of the
       * same plan optimize returns, at a fraction of the encoding and
       * decoding; opts is {timeoutMs?}. A string contract is a message.
       */
      route: function (p, opts) {
        return withContract(p, function (p) {
          var q = Object.assign({}, p);
          if (q && typeof q === 'object') q.select = 'route';
          return then(viaTarget('plan.optimize', q, opts), field('route'));
        });
      },
      /** reoptimize returns {plan, changes} given the previous plan; opts is {timeoutMs?}. A string contract is a message. */
      reoptimize: function (p, opts) { return withContract(p, function (q) { return viaTarget('plan.reoptimize', q, opts); }); },
      /** execute starts a host-driven Session; p may carry maxIdleMs; opts is {timeoutMs?}. A string contract is a message. */
      execute: function (p, opts) { return withContract(p, function (p) { return execute(p, opts); }); },
      /**
       * restore re-creates a Session from a snapshot; report(now, []) gives
       * its current actions. opts is {maxIdleCalls?, maxIdleMs?, timeoutMs?}.
       */
      restore: function (snapshot, opts) {
        var o = Object.assign({}, options(opts, 'restore(snapshot, opts)'));
        var ms = takeIdleMs(o);
        var params = { snapshot: snapshot };
        if (o.maxIdleCalls !== undefined) params.maxIdleCalls = o.maxIdleCalls;
        delete o.maxIdleCalls;
        return then(call('exec.restore', params, Object.keys(o).length ? o : undefined), function (r) {
          var s = made(new Session(ctx, r.session), ms, { snapshot: null, params: params.maxIdleCalls === undefined ? {} : { maxIdleCalls: params.maxIdleCalls } });
          return then(kept(s), function () { return s; });
        });
      },
      /** simulate runs exec.run: {steps, summary, trace}; opts is {timeoutMs?}. A string contract is a message. */
      simulate: function (p, opts) { return withContract(p, function (q) { return viaTarget('exec.run', q, opts); }); },
      /** traceLog creates a stand-alone hash-chained log (trace.create); opts is {maxIdleCalls?, maxIdleMs?}. */
      traceLog: function (opts) { return hostState('trace.create', createOpts(opts, 'traceLog(opts)'), TraceLog, 'log'); },
      /** openTraceLog returns the live TraceLog that owns handle, or wraps the handle without owning it (no call). */
      openTraceLog: function (handle) {
        if (typeof handle !== 'string') throw new CegError('INVALID_ARGUMENT', 'ceg: openTraceLog(handle): the handle must be a string', { path: 'handle' });
        var ref = owned.get(handle);
        var l = ref && ref.deref();
        return l instanceof TraceLog ? l : new TraceLog(ctx, { log: handle });
      },
      /** dilationField creates a stand-alone dilation field; config {preset?: 'module'|'original', dwellThreshold?, dwellTicks?, strict?, pullBackTo?}; opts {maxIdleCalls?, maxIdleMs?}. */
      dilationField: function (config, opts) {
        var p = createOpts(opts, 'dilationField(config, opts)');
        if (config !== undefined) p.config = options(config, 'dilationField(config)');
        return hostState('field.create', p, DilationField, 'field');
      },
      /** oscillationGuard creates a stand-alone swap oscillation guard; opts {limit? (3), window? (10), maxIdleCalls?, maxIdleMs?}. */
      oscillationGuard: function (opts) {
        return hostState('guard.create', createOpts(opts, 'oscillationGuard(opts)', ['limit', 'window']), OscillationGuard, 'guard');
      },
      /** swapRegistry creates a stand-alone hot-swap registry with a policy (registry.create); opts {maxIdleCalls?, maxIdleMs?}. */
      swapRegistry: function (policy, opts) {
        var p = createOpts(opts, 'swapRegistry(policy, opts)');
        if (policy !== undefined) p.policy = options(policy, 'swapRegistry(policy)');
        return hostState('registry.create', p, SwapRegistry, 'registry');
      },
      /** captureRollback returns the rollback state a swap from -> to on a graph (a Graph or a handle) would keep; nothing changes. */
      captureRollback: function (graph, from, to) {
        var p = { handle: graph instanceof Graph ? graph.handle : graph, from: from, to: to };
        return graph instanceof Graph ? on(graph, 'registry.capture', p) : call('registry.capture', p);
      },
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
      /** listGraphs lists the live graph handles with sizes and ages in calls (graph.list), and idleMs / maxIdleMs where set. */
      listGraphs: function () { return then(call('graph.list', {}), function (r) { return withIdle(r, r.graphs, 'handle'); }); },
      /** listSessions lists the live sessions with sizes and ages in calls (exec.list), and idleMs / maxIdleMs where set. */
      listSessions: function () { return then(call('exec.list', {}), function (r) { return withIdle(r, r.sessions, 'session'); }); },
      /** listTraceLogs lists the live stand-alone trace logs (trace.list), and idleMs / maxIdleMs where set. */
      listTraceLogs: function () { return then(call('trace.list', {}), function (r) { return withIdle(r, r.logs, 'handle'); }); },
      /** listFields lists the live stand-alone dilation fields (field.list), and idleMs / maxIdleMs where set. */
      listFields: function () { return then(call('field.list', {}), function (r) { return withIdle(r, r.fields, 'handle'); }); },
      /** listGuards lists the live stand-alone oscillation guards (guard.list), and idleMs / maxIdleMs where set. */
      listGuards: function () { return then(call('guard.list', {}), function (r) { return withIdle(r, r.guards, 'handle'); }); },
      /** listRegistries lists the live stand-alone swap registries (registry.list), and idleMs / maxIdleMs where set. */
      listRegistries: function () { return then(call('registry.list', {}), function (r) { return withIdle(r, r.registries, 'handle'); }); },
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
      api[k] = (sync || k === 'openGraph' || k === 'openTraceLog' || k === 'epoch' || k === 'autoFreed' || k === 'recovered' || k === 'idleEvicted')
        ? function () { try { return f.apply(api, arguments); } catch (e) { throw asCegError(e); } }
        : function () {
          try { return Promise.resolve(f.apply(api, arguments)).catch(function (e) { throw asCegError(e); }); } catch (e) { return Promise.reject(asCegError(e)); }
        };
    });
    if (t.debugTrap) Object.defineProperty(api, Symbol.for('@convergence-io/ceg/debugTrap'), { value: t.debugTrap, enumerable: false });
    return api;
  }

  return {
    createApi: createApi, checkOptions: checkOptions, Graph: Graph, Session: Session, TraceLog: TraceLog, DilationField: DilationField,
    OscillationGuard: OscillationGuard, SwapRegistry: SwapRegistry, TERMINAL: TERMINAL, asCegError: asCegError,
  };
});
