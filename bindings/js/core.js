/*
 * core.js: one live instance of the CEG module and the raw byte exchange
 * with it (docs/DESIGN.md#abi).
 *
 * A Runtime owns a compiled WebAssembly.Module and the instance made from
 * it. It instantiates with the WASI shim, calls `_initialize` once, checks
 * the ABI major, and exchanges UTF-8 JSON through ceg_alloc / ceg_call /
 * ceg_free. Any exception that escapes an export (a WebAssembly trap, a Go
 * fatal error ending in proc_exit, a stack overflow) poisons the instance: the
 * Runtime discards it, makes a fresh one from the cached Module, reports it
 * through onRecreate, and fails that one call with INSTANCE_TRAPPED. Handles
 * and sessions lived in the old instance and are gone.
 *
 * Each instance gets a fresh random epoch (12 hex digits) when it is made.
 * Before the instance's first call the Runtime hands it to the module
 * (engine.setEpoch), so every handle and session id the instance issues
 * ends in ".<epoch>" and no id of a dead instance can name an object of its
 * replacement. The binding's Graph and Session objects compare their
 * epoch with the live one and answer INSTANCE_LOST once it changed. A
 * trace key set with setTraceKey is handed to every new instance the same
 * way (trace.setKey).
 */
(function (root, factory) {
  'use strict';
  var key = Symbol.for('@convergence-io/ceg/modules');
  var reg = root[key] || (root[key] = {});
  var cjs = typeof module === 'object' && module && module.exports;
  var m = cjs ? factory(require('./wasi.js'), require('./errors.js')) : factory(reg.wasi, reg.errors);
  reg.core = m;
  if (cjs) module.exports = m;
})(globalThis, function (wasi, errors) {
  'use strict';

  var CegError = errors.CegError;

  /** The ABI major this binding speaks, and the newest minor it knows. */
  var ABI_MAJOR = 1;
  var ABI_MINOR = 0;
  var REQUIRED_EXPORTS = ['memory', '_initialize', 'ceg_abi_version', 'ceg_alloc', 'ceg_free', 'ceg_call'];

  var encoder = new TextEncoder();
  var decoder = new TextDecoder('utf-8');

  /**
   * defaultOnRecreate warns once per recreation.
   * @param {{reason: string, stderr: string[], recreations: number}} info
   */
  function defaultOnRecreate(info) {
    // eslint-disable-next-line no-console
    console.warn('ceg: the wasm instance trapped (' + info.reason + '); started a fresh instance (#' + info.recreations + '); its handles and sessions are gone');
  }

  /**
   * newEpoch returns 12 random hex digits.
   * @param {(v: Uint8Array) => void} [fill]
   */
  function newEpoch(fill) {
    var b = new Uint8Array(6);
    if (fill) fill(b);
    else globalThis.crypto.getRandomValues(b);
    var s = '';
    for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
    return s;
  }

  /**
   * Splits a packed ceg_call result (an i64: a BigInt, negative when the
   * pointer is 2 GiB or more) into {ptr, len}. It goes through 8 bytes of
   * scratch rather than BigInt arithmetic, which allocates a BigInt per
   * operation.
   */
  var packedView = new DataView(new ArrayBuffer(8));
  function unpack(packed) {
    packedView.setBigUint64(0, typeof packed === 'bigint' ? packed : BigInt(packed), true);
    return { ptr: packedView.getUint32(4, true), len: packedView.getUint32(0, true) };
  }

  /**
   * start finishes an instantiation: binds the shim, checks the exports,
   * runs _initialize and checks the ABI version.
   */
  function start(instance, shim) {
    shim.bind(instance);
    var ex = instance.exports;
    var missing = REQUIRED_EXPORTS.filter(function (n) { return !(n in ex); });
    if (missing.length) {
      throw new CegError('ABI_MISMATCH', 'ceg: the module lacks the export(s) ' + missing.join(', ') + '; is it a CEG module?');
    }
    try {
      ex._initialize();
    } catch (e) {
      shim.flush();
      throw new CegError('LOAD_FAILED', 'ceg: _initialize failed: ' + (e && e.message), { cause: e, data: { stderr: shim.stderr.recent.slice() } });
    }
    var v = ex.ceg_abi_version() >>> 0;
    var abi = { major: v >>> 16, minor: v & 0xffff, raw: v };
    if (abi.major !== ABI_MAJOR) {
      throw new CegError('ABI_MISMATCH', 'ceg: the module speaks ABI ' + abi.major + '.' + abi.minor + '; this binding speaks ' + ABI_MAJOR + '.x', { data: { module: abi.major + '.' + abi.minor, binding: ABI_MAJOR + '.' + ABI_MINOR } });
    }
    return { instance: instance, exports: ex, shim: shim, abi: abi, epoch: '', primed: false };
  }

  /**
   * exchangeOn runs one request text on an instance state; exceptions from
   * the exports come back as {trap}.
   */
  function exchangeOn(st, text) {
    var ex = st.exports;
    // A request of n UTF-16 code units is at least n UTF-8 bytes, exactly n
    // when it is ASCII (most are): ask for n bytes and encode straight into
    // them. Only when the text did not fit is it encoded on its own and
    // copied into a buffer of its real size.
    var n = text.length;
    var ptr;
    var req = null;
    try {
      ptr = ex.ceg_alloc(n) >>> 0;
      if (ptr !== 0 && encoder.encodeInto(text, new Uint8Array(ex.memory.buffer, ptr, n)).read !== n) {
        ex.ceg_free(ptr);
        req = encoder.encode(text);
        n = req.length;
        ptr = ex.ceg_alloc(n) >>> 0;
      }
    } catch (e) { return { trap: e }; }
    if (ptr === 0) tooLarge(req ? n : encoder.encode(text).length);
    var res;
    try {
      if (req) new Uint8Array(ex.memory.buffer, ptr, n).set(req);
      res = unpack(ex.ceg_call(ptr, n));
      ex.ceg_free(ptr);
      var out = res.len === 0 ? '' : decoder.decode(new Uint8Array(ex.memory.buffer, res.ptr, res.len));
      if (res.ptr !== 0) ex.ceg_free(res.ptr);
      return { text: out };
    } catch (e) { return { trap: e }; }
  }

  /** tooLarge is the error for a request of n bytes that ceg_alloc refused. */
  function tooLarge(n) {
    throw new CegError('LIMIT_EXCEEDED', 'ceg: a request of ' + n + ' bytes is over the module\'s request limit', { data: { bytes: n } });
  }

  /** answer parses a priming response: {result} or {error} ({} when unreadable). */
  function answer(text) {
    try {
      var r = JSON.parse(text);
      return r && typeof r === 'object' ? r : {};
    } catch (_) { return {}; }
  }

  /**
   * Runtime holds one instance of the module and re-creates it after a trap.
   * Make one with Runtime.create (async) or Runtime.createSync (Node, Web
   * Workers: synchronous instantiation).
   */
  class Runtime {
    /**
     * @param {WebAssembly.Module} module
     * @param {object} options see Runtime.create.
     */
    constructor(module, options) {
      this.module = module;
      this.options = options || {};
      this.onRecreate = this.options.onRecreate || defaultOnRecreate;
      this.state = null;
      this.recreations = 0;
      this.closed = false;
      this.pending = null; // a recreation in progress (async mode)
      this.traceKey = null; // base64 key handed to every instance (setTraceKey)
    }

    /**
     * create instantiates the module asynchronously (required on a browser's
     * main thread for modules over 4 KB).
     * @param {WebAssembly.Module} module
     * @param {{stdout?: (l: string) => void, stderr?: (l: string) => void, onRecreate?: (info: object) => void, randomFill?: (v: Uint8Array) => void}} [options]
     * @returns {Promise<Runtime>}
     */
    static async create(module, options) {
      var rt = new Runtime(module, options);
      rt.state = await rt.instantiateAsync();
      return rt;
    }

    /**
     * createSync instantiates the module synchronously.
     * @param {WebAssembly.Module} module
     * @param {object} [options] as for create.
     * @returns {Runtime}
     */
    static createSync(module, options) {
      var rt = new Runtime(module, options);
      rt.state = rt.instantiateSync();
      return rt;
    }

    shim() {
      return wasi.createWasi({ stdout: this.options.stdout, stderr: this.options.stderr, randomFill: this.options.randomFill });
    }

    instantiateSync() {
      var shim = this.shim();
      return this.stamp(start(new WebAssembly.Instance(this.module, shim.imports), shim));
    }

    async instantiateAsync() {
      var shim = this.shim();
      return this.stamp(start(await WebAssembly.instantiate(this.module, shim.imports), shim));
    }

    /** stamp gives a new instance state its epoch. */
    stamp(st) {
      st.epoch = newEpoch(this.options.randomFill);
      return st;
    }

    /**
     * epoch is the live instance's epoch, or null while there is none
     * (closed, or a re-creation in progress).
     * @returns {string|null}
     */
    epoch() {
      return this.closed || !this.state ? null : this.state.epoch;
    }

    /**
     * prime hands the instance its epoch (unless options.epoch is false)
     * and the trace key, once, before its first call. A module without
     * engine.setEpoch (an older build) keeps plain ids; the binding's
     * objects still answer INSTANCE_LOST after a re-creation. Returns
     * {trap} when the module trapped, else null.
     */
    prime(st) {
      if (this.options.epoch !== false) {
        var r = exchangeOn(st, '{"jsonrpc":"2.0","id":0,"method":"engine.setEpoch","params":{"epoch":"' + st.epoch + '"}}');
        if (r.trap) return r;
        var a = answer(r.text);
        st.idEpoch = a.result ? st.epoch : '';
      }
      if (this.traceKey) {
        var k = exchangeOn(st, JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'trace.setKey', params: { key: this.traceKey } }));
        if (k.trap) return k;
        var ka = answer(k.text);
        if (!ka.result) {
          throw new CegError('KEY_REFUSED', 'ceg: the module refused the trace key: ' + (ka.error ? ka.error.message : k.text), { data: ka.error && ka.error.data });
        }
      }
      st.primed = true;
      return null;
    }

    /** @returns {{major: number, minor: number, raw: number}} the module's ABI version. */
    get abi() { return this.live().abi; }

    live() {
      if (this.closed) throw new CegError('CLOSED', 'ceg: this instance was closed');
      if (!this.state) throw new CegError('INSTANCE_TRAPPED', 'ceg: no live instance (the last re-creation failed)');
      return this.state;
    }

    /**
     * exchange runs one request against the live instance. Exceptions from
     * the exports are returned as {trap}; binding errors are thrown.
     */
    exchange(text) {
      var st = this.live();
      if (!st.primed) {
        var t = this.prime(st);
        if (t) return t;
      }
      return exchangeOn(st, text);
    }

    /**
     * setTraceKey sets (base64 key) or clears (null) the trace key of the
     * live instance and of every instance made after it.
     * @param {string|null} key
     * @param {boolean} [async] return a Promise (guardAsync) rather than a value.
     */
    setTraceKey(key, async) {
      var params = key === null ? { clear: true } : { key: key };
      var text = JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'trace.setKey', params: params });
      var self = this;
      var done = function (r) {
        var a = answer(r);
        if (!a.result) {
          var err = a.error || {};
          throw new CegError((err.data && err.data.code) || 'KEY_REFUSED', 'trace.setKey: ' + (err.message || r), { data: err.data, rpcCode: err.code, method: 'trace.setKey' });
        }
        self.traceKey = key;
        return a.result;
      };
      var run = function (rt) { return rt.exchange(text); };
      return async ? this.guardAsync(run).then(done) : done(this.guardSync(run));
    }

    /** trapped discards the poisoned instance and returns what to report. */
    trapped(e) {
      var st = this.state;
      this.state = null;
      st.shim.flush();
      this.recreations++;
      var reason = (e && e.name ? e.name + ': ' : '') + (e && e.message ? e.message : String(e));
      // Go's own words first ("fatal error: out of memory"): the engine's
      // "RuntimeError: unreachable" alone does not say what happened.
      if (st.shim.stderr.fatal.length) reason += ' after "' + st.shim.stderr.fatal[0] + '"';
      return { reason: reason, stderr: st.shim.stderr.kept(), recreations: this.recreations, exitCode: e instanceof wasi.WasiExit ? e.exitCode : undefined, cause: e };
    }

    trapError(info) {
      return new CegError('INSTANCE_TRAPPED', 'ceg: the wasm instance trapped (' + info.reason + ') and was replaced; retry the call (handles and sessions must be created again)', {
        cause: info.cause,
        data: { reason: info.reason, stderr: info.stderr, recreations: info.recreations, recreateError: info.recreateError ? String(info.recreateError.message || info.recreateError) : undefined },
      });
    }

    report(info) {
      try { this.onRecreate({ reason: info.reason, stderr: info.stderr, recreations: info.recreations, exitCode: info.exitCode, recreateError: info.recreateError }); } catch (_) { /* a failing callback must not hide the trap */ }
    }

    /**
     * callRaw sends request bytes and returns the response text exactly as
     * the module wrote it ('' for a notification). Synchronous: after a trap
     * the instance is re-created synchronously, then INSTANCE_TRAPPED is thrown.
     * @param {string} text
     * @returns {string}
     */
    callRaw(text) {
      return this.guardSync(function (rt) { return rt.exchange(text); });
    }

    /**
     * callRawAsync is callRaw for hosts that must instantiate asynchronously
     * (a browser's main thread); it waits for a re-creation in progress.
     * @param {string} text
     * @returns {Promise<string>}
     */
    async callRawAsync(text) {
      return this.guardAsync(function (rt) { return rt.exchange(text); });
    }

    guardSync(fn) {
      if (!this.state && !this.closed) this.state = this.instantiateSync(); // a failed re-creation is retried
      var r = fn(this);
      if (!('trap' in r)) return r.text;
      var info = this.trapped(r.trap);
      try {
        this.state = this.instantiateSync();
      } catch (e) {
        info.recreateError = e;
      }
      this.report(info);
      throw this.trapError(info);
    }

    async guardAsync(fn) {
      while (this.pending) await this.pending;
      var self = this;
      if (!this.state && !this.closed) { // a failed re-creation is retried, once for all waiting calls
        this.pending = this.instantiateAsync().then(function (st) { self.state = st; }).finally(function () { self.pending = null; });
        await this.pending;
      }
      var r = fn(this);
      if (!('trap' in r)) return r.text;
      var info = this.trapped(r.trap);
      this.pending = this.instantiateAsync().then(
        function (st) { self.state = st; },
        function (e) { info.recreateError = e; });
      await this.pending;
      this.pending = null;
      this.report(info);
      throw this.trapError(info);
    }

    /**
     * debugTrap provokes a real trap (a second _initialize, which a Go
     * reactor refuses) so hosts and tests can exercise recovery. Internal.
     * @param {boolean} [async]
     */
    debugTrap(async) {
      var provoke = function (rt) {
        var ex = rt.live().exports;
        try { ex._initialize(); } catch (e) { return { trap: e }; }
        return { text: '' };
      };
      return async ? this.guardAsync(provoke) : this.guardSync(provoke);
    }

    /** @returns {number} the size of the instance's linear memory in bytes (it never shrinks). */
    memoryBytes() {
      return this.live().exports.memory.buffer.byteLength;
    }

    /** close drops the instance; later calls throw CLOSED. */
    close() {
      if (this.state) this.state.shim.flush();
      this.state = null;
      this.closed = true;
    }
  }

  /**
   * toBytes returns a Uint8Array view of ArrayBuffer / ArrayBufferView input,
   * or null for anything else.
   */
  function toBytes(src) {
    if (src instanceof ArrayBuffer) return new Uint8Array(src);
    if (ArrayBuffer.isView(src)) return new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
    return null;
  }

  /**
   * compile turns a Module, bytes, a Response or a promise of one into a
   * WebAssembly.Module, streaming when the Response allows it.
   * @param {WebAssembly.Module|ArrayBuffer|ArrayBufferView|Response|Promise<Response>} src
   * @returns {Promise<WebAssembly.Module>}
   */
  async function compile(src) {
    try {
      return await compileAny(await src);
    } catch (e) {
      if (e instanceof CegError) throw e;
      throw new CegError('LOAD_FAILED', 'ceg: cannot compile the module: ' + (e && e.message), { cause: e });
    }
  }

  async function compileAny(src) {
    if (src instanceof WebAssembly.Module) return src;
    var bytes = toBytes(src);
    if (bytes) return WebAssembly.compile(bytes);
    if (typeof Response !== 'undefined' && src instanceof Response) {
      if (!src.ok) throw new CegError('LOAD_FAILED', 'ceg: fetching the module failed: HTTP ' + src.status + ' ' + (src.url || ''));
      if (WebAssembly.compileStreaming) {
        try {
          return await WebAssembly.compileStreaming(src.clone());
        } catch (e) {
          // Wrong MIME type or no streaming support: compile from the bytes.
        }
      }
      return WebAssembly.compile(await src.arrayBuffer());
    }
    throw new CegError('INVALID_OPTIONS', 'ceg: options.wasm must be a WebAssembly.Module, bytes, a Response or a URL; got ' + Object.prototype.toString.call(src));
  }

  /**
   * compileSync compiles bytes or passes a Module through.
   * @param {WebAssembly.Module|ArrayBuffer|ArrayBufferView} src
   * @returns {WebAssembly.Module}
   */
  function compileSync(src) {
    if (src instanceof WebAssembly.Module) return src;
    var bytes = toBytes(src);
    if (!bytes) throw new CegError('INVALID_OPTIONS', 'ceg: loadSync needs options.wasm as a file path, bytes or a WebAssembly.Module');
    try {
      return new WebAssembly.Module(bytes);
    } catch (e) {
      throw new CegError('LOAD_FAILED', 'ceg: cannot compile the module: ' + e.message, { cause: e });
    }
  }

  /**
   * warmUpRequests returns the request texts of a warm-up of `turns` chat
   * turns over a graph created once (o.doc, by default six providers) and
   * dropped at the end. Turns take the per-turn paths of o.paths in turn
   * (default both): 'optimize', plan.optimize by handle (the full plan and
   * the lean route) under a state that changes every turn, every third
   * turn sent twice (the repeat is answered from the handle's memo), and 'observe',
   * state.observe with an outcome and the re-plan in the same call, the
   * breakers kept by the handle (the stream-chat adapter's turn); then an
   * estimate, a grounding policy and a dilation. It exercises JSON decode,
   * the optimizer, the plan id and encode so that V8 tiers those functions
   * up before a caller's first turn. Requests name the graph `g1`: run them on an instance without an
   * epoch.
   * @param {number} turns
   * @param {{doc?: object, contract?: object, weights?: object, paths?: Array<'optimize'|'observe'>}} [o]
   */
  function warmUpRequests(turns, o) {
    o = o || {};
    var doc = o.doc;
    if (!doc) {
      var provs = ['anthropic', 'google', 'groq', 'local', 'mistral', 'openai'];
      doc = { nodes: provs.map(function (p, i) {
        return { id: p, kind: 'resource', resourceKind: 'llm', provider: p, capabilities: i % 2 ? ['chat', 'tools'] : ['chat', 'tools', 'vision'],
          costPerToken: 0.000001 * (i + 1), costPerCall: p === 'local' ? 0.0001 : 0, latencyTargetMs: 600 + 300 * i, external: p !== 'local' };
      }), edges: [] };
    }
    var names = doc.nodes.map(function (n) { return n.provider || n.id; });
    var weights = o.weights && Object.keys(o.weights).length ? o.weights : undefined;
    var paths = o.paths && o.paths.length ? o.paths : ['optimize', 'observe'];
    var id = 1;
    var req = function (method, params) { return JSON.stringify({ jsonrpc: '2.0', id: id++, method: method, params: params }); };
    var reqs = [req('graph.create', { graph: doc })];
    for (var t = 0; t < turns; t++) {
      var contract = o.contract || { id: 'warm-' + t, intent: t % 4 === 1 ? 'compare the latest prices?' : 'hello' };
      var now = 1700000000000 + 1000 * t;
      if (paths[t % paths.length] === 'optimize') {
        var breakers = { [names[1 % names.length]]: { state: 'degraded', errors: t % 3, level: 0 } };
        // Every other turn one circuit is open (a rejected provider, its
        // reason and detail) and the contract has limits: the paths of a
        // turn after an outage, not only of a calm one.
        if (t % 2) breakers[names[2 % names.length]] = { state: 'circuit_open', errors: 3, level: 1, openUntil: now + 30000 };
        var state = { tick: t, now: now, resources: {
          health: { [names[0]]: 0.9 + (t % 10) / 100, [names[names.length - 1]]: 0.8 }, latencyMs: { [names[0]]: 1500 + t % 300 },
          breakers: breakers }, memory: { activeNodes: 0, entries: 0 }, policy: { activeConstraints: null } };
        var turnContract = contract;
        if (t % 2 && !o.contract) turnContract = { id: contract.id, intent: contract.intent, constraints: { maxCost: 0.05, maxLatencyMs: 10000 } };
        var params = { handle: 'g1', contract: turnContract, state: state };
        if (weights) params.weights = weights;
        if (t % 4) params.select = 'route';
        reqs.push(req('plan.optimize', params));
        // A turn that repeats (nothing changed since): answered from the
        // handle's memo, a path of its own to warm.
        if (t % 3 === 0) reqs.push(req('plan.optimize', params));
      } else {
        var status = t % 7 === 3 ? 'error' : t % 11 === 5 ? 'quota' : 'ok';
        var plan = { handle: 'g1', contract: contract };
        if (weights) plan.weights = weights;
        var obs = { handle: 'g1', outcomes: [{ provider: names[t % names.length], status: status, latencyMs: 500 + (t % 13) * 100, at: now }], now: now, select: 'observed', plan: plan };
        if (t % 50 === 1) obs.state = { resources: { breakers: {} } }; // re-seeded now and then
        reqs.push(req('state.observe', obs));
      }
    }
    reqs.push(req('dilation.estimate', { text: 'why is it slow today?' }));
    reqs.push(req('dilation.grounding', { d: 1.4, baseMaxResults: 5, baseMinSources: 2 }));
    reqs.push(req('dilation.compute', { uncertainty: 0.4, costPressure: 0, confidence: 0.5, collapseProximity: 0 }));
    reqs.push(req('graph.drop', { handle: 'g1' }));
    return reqs;
  }

  /** DEFAULT_WARMUP_TURNS is what `warmup: true` runs (docs/JS.md, "Warm from the first turn"). */
  var DEFAULT_WARMUP_TURNS = 2000;

  /**
   * warmupTurns reads the `warmup` load option of both entries: false, 0
   * or absent (the default) none, true DEFAULT_WARMUP_TURNS, a whole number
   * that many turns (up to 100,000). Not with `worker: true`: the worker's
   * thread runs the module, and a warm-up here would block this thread for
   * what the worker is there to take off it.
   * @param {{warmup?: boolean|number, worker?: boolean}} o
   * @returns {number}
   */
  function warmupTurns(o) {
    var w = o.warmup;
    if (w === undefined || w === false || w === 0) return 0;
    if (w !== true && (!Number.isInteger(w) || w < 0 || w > 100000)) {
      throw new CegError('INVALID_OPTIONS', 'ceg: options.warmup must be a boolean or a whole number of turns (0..100000)', { path: 'warmup' });
    }
    if (o.worker) throw new CegError('INVALID_OPTIONS', 'ceg: options.warmup is not applied in worker mode (the worker compiles its own code); warm the worker with a few calls instead', { path: 'warmup' });
    return w === true ? DEFAULT_WARMUP_TURNS : w;
  }

  /**
   * warmUpSync runs a warm-up of `turns` turns on a throwaway instance of
   * module. Compiled code belongs to the module, not the instance, so every
   * instance made from it afterwards starts warm, and the caller's instance
   * keeps a pristine state (its first handle is still g1).
   */
  function warmUpSync(module, options, turns) {
    var rt = Runtime.createSync(module, options);
    try {
      warmUpRequests(turns).forEach(function (r) { rt.callRaw(r); });
    } finally {
      rt.close();
    }
  }

  /** warmUp is warmUpSync for hosts that must instantiate asynchronously. */
  async function warmUp(module, options, turns) {
    var rt = await Runtime.create(module, options);
    try {
      var reqs = warmUpRequests(turns);
      for (var i = 0; i < reqs.length; i++) await rt.callRawAsync(reqs[i]);
    } finally {
      rt.close();
    }
  }

  return { Runtime: Runtime, newEpoch: newEpoch, compile: compile, compileSync: compileSync, toBytes: toBytes, unpack: unpack, ABI_MAJOR: ABI_MAJOR, ABI_MINOR: ABI_MINOR,
    warmUp: warmUp, warmUpSync: warmUpSync, warmUpRequests: warmUpRequests, warmupTurns: warmupTurns };
});
