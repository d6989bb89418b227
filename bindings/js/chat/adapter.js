/*
 * adapter.js: the state behind @convergence-io/ceg/stream-chat — one
 * engine, one graph handle per configuration, the breakers built from the
 * outcomes a server reports, and the provider order of each turn.
 *
 * Every public function of the adapter is synchronous, as the original
 * server's were: the module is instantiated once (preload() compiles it off
 * the main thread and warms it up; otherwise the first use loads it
 * synchronously) and a turn is a plan by handle, cached until something the
 * plan reads changes (the configuration, an outcome, a breaker's time).
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { CegError } = require('../errors.js');
const providers = require('./providers.js');

/** The state file format (CEG_STREAM_CHAT_STATE). */
const STATE_FORMAT = 'ceg-stream-chat-state/1';

// Outcomes queued before they are handed to the module without waiting for
// a turn (state.observe takes at most 4,096 per call).
const MAX_PENDING = 256;

/**
 * Rejection reasons by which a contract or a policy denies a provider: such
 * a provider never appears in an order. Every other rejection (down, open
 * breaker, missing capability, over budget) puts it last instead.
 */
const DENIED = new Set(['FORBIDDEN_PROVIDER', 'NOT_ALLOWED_PROVIDER', 'EXTERNAL_IO_BLOCKED', 'AUTHORITY_DENIED', 'LABEL_DENIED', 'CONSTRAINT_VIOLATED']);

/** classify maps a failure's error text to an outcome status. */
function classify(error) {
  const text = error instanceof Error ? error.message : String(error === undefined || error === null ? '' : error);
  if (/\b429\b|rate.?limit|quota/i.test(text)) return 'quota';
  if (/time(d)?[ -]?out|ETIMEDOUT|deadline/i.test(text)) return 'timeout';
  return 'error';
}

class Adapter {
  /**
   * @param {{env?: Record<string, string|undefined>, stderr?: (line: string) => void, now?: () => number, loadSync?: Function, load?: Function}} [o]
   */
  constructor(o = {}) {
    this.env = o.env || process.env;
    this.stderr = o.stderr || ((line) => process.stderr.write(line + '\n'));
    this.now = o.now || Date.now;
    this.index = o.index || require('../index.js');
    this.engine = null;       // the synchronous API
    this.module = null;       // a compiled WebAssembly.Module from preload()
    this.failed = null;       // why planning is unavailable (the fallback runs)
    this.warned = new Set();  // stderr lines already said once
    this.graph = null;        // the configuration's graph handle; it keeps the breakers
    this.seeded = false;      // whether the handle's kept breakers are this.breakers
    this.config = providers.defaultConfig();
    this.breakers = {};       // provider -> breaker, from state.observe
    this.pending = [];        // outcomes recorded since the last state.observe
    this.lastAt = 0;          // the latest time handed to the module (it only moves forward)
    this.nextChangeAt = 0;    // when breakers change by time alone
    this.cached = null;       // {plan-derived lists} until invalidated
    this.statePath = this.env.CEG_STREAM_CHAT_STATE || '';
    this.last = null;         // what the last buildBrainOrder decided
    this.pendingCheck = false; // restored breakers not yet checked by the module
    this.restoredFrom = null;
    const file = this.env.CEG_STREAM_CHAT_CONFIG;
    if (file) {
      try {
        this.config = providers.mergeConfig(this.config, JSON.parse(fs.readFileSync(file, 'utf8')), 'CEG_STREAM_CHAT_CONFIG');
      } catch (e) {
        // A bad file must not take the server down: say so, keep the defaults.
        this.warn(`ceg stream-chat: ignoring CEG_STREAM_CHAT_CONFIG=${file}: ${e.message}`);
      }
    }
    this.restoreState();
  }

  /** warn writes a line to stderr once per process. */
  warn(line) {
    if (this.warned.has(line)) return;
    this.warned.add(line);
    this.stderr(line);
  }

  /**
   * ceg returns the synchronous engine, instantiating it on first use: from
   * the module preload() compiled, else with loadSync (a synchronous compile
   * that blocks the event loop; said once on stderr).
   */
  ceg() {
    if (this.engine) return this.engine;
    if (this.failed) throw this.failed;
    try {
      if (this.module) {
        this.engine = this.index.loadSync({ wasm: this.module });
      } else {
        this.warn('ceg stream-chat: compiling the module synchronously on first use; call preload() at start to keep the event loop free');
        this.engine = this.index.loadSync();
      }
    } catch (e) {
      this.failed = e;
      throw e;
    }
    return this.engine;
  }

  /**
   * preload compiles the module asynchronously (off the main thread) and
   * instantiates it; with warmUp (default) it then runs representative turns
   * in a worker thread sharing the compiled code, so V8 optimises the hot
   * functions before the first real turn. With eagerTierUp (default) the
   * module is compiled with V8's dynamic tiering off, so every function is
   * optimised in the background at once (warmup.js, compileTieredUp).
   * @param {{warmUp?: boolean, turns?: number, eagerTierUp?: boolean}} [opts]
   */
  preload(opts = {}) {
    if (this.engine) return Promise.resolve(this.describe());
    if (!this.preloading) {
      this.preloading = this.compileAndWarm(opts).finally(() => { this.preloading = null; });
    }
    return this.preloading;
  }

  /** compileAndWarm is preload's work; concurrent preloads share one. */
  async compileAndWarm(opts) {
    const bytes = await fs.promises.readFile(this.index.DEFAULT_WASM);
    const warmup = require('../warmup.js');
    this.module = await warmup.compileTieredUp(bytes, opts.eagerTierUp !== false);
    if (opts.warmUp !== false) {
      await warmup.warmUp(this.module, { turns: opts.turns, doc: providers.graphDoc(this.config), contract: this.contract(), weights: this.config.weights });
    }
    this.ceg();
    return this.describe();
  }

  describe() {
    return { providers: providers.PROVIDERS.slice(), preloaded: this.module !== null, stateFile: this.statePath || null };
  }

  /** contract is the chat turn's contract: the configured fields over the defaults. */
  contract() {
    return Object.assign({ id: 'chat-turn', intent: 'chat' }, this.config.contract);
  }

  /**
   * configure merges overrides into the configuration and re-plans with it
   * at once, so a bad contract or weight throws here (CegError with its
   * path) rather than on a turn; the previous configuration then stays.
   */
  configure(patch) {
    const before = this.config;
    this.config = providers.mergeConfig(before, patch, 'configure');
    this.dropGraph();
    try {
      this.plan();
    } catch (e) {
      this.config = before;
      this.dropGraph();
      if (e instanceof CegError && e.path && !e.path.startsWith('configure')) e.path = 'configure.' + e.path;
      throw e;
    }
    return this.snapshotConfig();
  }

  snapshotConfig() {
    const out = { providers: {}, contract: this.contract(), weights: Object.assign({}, this.config.weights) };
    for (const id of providers.PROVIDERS) {
      const p = this.config.providers[id];
      out.providers[id] = { model: p.model, costPerToken: p.costPerToken, latencyTargetMs: p.latencyTargetMs, capabilities: p.capabilities.slice(), health: p.health, keys: p.keys.slice() };
    }
    return out;
  }

  dropGraph() {
    if (this.graph) {
      try { this.graph.drop(); } catch (_) { /* the instance may be gone */ }
    }
    this.graph = null;
    this.denials = null;
    this.cached = null;
  }

  /**
   * plan returns the cached decision lists of the current configuration and
   * breakers: {eligible, rejected, denied}, each a list of canonical names,
   * re-planning when an outcome arrived, the configuration changed or a
   * breaker's time came. A re-plan asks for the lean answer (select
   * "route"); which providers the contract denies depends on the
   * configuration only, so it is read once per configuration from a full
   * plan in which every provider is healthy (a down provider's reason would
   * hide a denial behind RESOURCE_DOWN).
   */
  plan() {
    const now = this.clock();
    if (this.cached && !this.pending.length && (!this.nextChangeAt || now < this.nextChangeAt)) return this.cached;
    const ceg = this.ceg();
    this.ensureGraph();
    if (!this.denials) this.denials = this.retry(() => this.readDenials(ceg));
    const route = this.retry(() => this.sync(now, true));
    const step = route.feasible && route.steps[0];
    const eligible = step ? [step.resource].concat(step.failover.map((f) => f.resource)) : [];
    const denied = this.denials.denied;
    const rejected = providers.PROVIDERS.filter((id) => !eligible.includes(id) && !denied.has(id));
    this.cached = { planId: route.id, eligible, rejected, denied, reasons: this.denials.reasons };
    return this.cached;
  }

  /**
   * sync hands the outcomes recorded since the last call to state.observe
   * at now. The graph handle keeps the breakers between calls (seeded with
   * this.breakers when the handle is new), so a call carries only the
   * outcomes and answers only the breakers they moved, which are merged
   * into this.breakers (the copy the adapter reads, saves and re-seeds a
   * new handle with). With withPlan the same call plans the turn with the
   * observed state and sync returns the route: an outcome and the re-plan
   * it causes cross into the module once. Outcomes leave the queue only
   * once the module took them: a call that fails changed nothing. Breakers
   * restored from the state file are checked when they seed a handle: a
   * file the module refuses is said once on stderr and the breakers start
   * closed.
   */
  sync(now, withPlan) {
    this.ensureGraph();
    const params = { handle: this.graph.handle, outcomes: this.pending, now, select: 'observed' };
    if (!this.seeded) params.state = { resources: { breakers: this.breakers } };
    if (withPlan) params.plan = this.params();
    let r;
    try {
      r = this.ceg().call('state.observe', params);
    } catch (e) {
      const path = e instanceof CegError && e.code === 'INVALID_PARAMS' ? e.path || '' : '';
      if (this.pendingCheck && path.startsWith('state.')) {
        this.warn(`ceg stream-chat: ignoring the breakers of the state file ${this.restoredFrom}: ${e.message}`);
        this.breakers = {};
        this.pendingCheck = false;
        return this.sync(now, withPlan);
      }
      if (withPlan && this.pending.length && e instanceof CegError && (e.path || '').startsWith('plan')) {
        this.sync(now, false); // the outcomes still count when planning fails
      }
      throw e;
    }
    this.pendingCheck = false;
    this.seeded = true;
    this.pending = [];
    if (r.breakers) Object.assign(this.breakers, r.breakers);
    this.nextChangeAt = r.nextChangeAt || 0;
    return r.route;
  }

  /** ensureGraph makes the configuration's graph handle when there is none. */
  ensureGraph() {
    if (this.graph) return;
    this.graph = this.ceg().graph(providers.graphDoc(this.config));
    this.seeded = false; // (the denials depend on the configuration only: they stay)
  }

  /**
   * clock is the adapter's time: the host clock, never earlier than a time
   * already handed to the module (a wall clock stepped back must not make
   * an outcome look older than one recorded before it).
   */
  clock() {
    this.lastAt = Math.max(this.lastAt, this.now());
    return this.lastAt;
  }

  /** current returns the breakers with every recorded outcome applied. */
  current() {
    if (this.pending.length && !this.failed) {
      try {
        this.sync(this.clock(), false);
      } catch (e) {
        this.dropPending(e);
      }
    }
    return this.breakers;
  }

  /** dropPending forgets queued outcomes the module refused, said once on stderr. */
  dropPending(e) {
    this.pending = [];
    this.warn(`ceg stream-chat: cannot record outcomes (${e.message}); the order will not learn from them`);
  }

  /** params are plan.optimize's params by the configuration's handle. */
  params(extra) {
    const p = Object.assign({ handle: this.graph.handle, contract: this.contract() }, extra);
    if (Object.keys(this.config.weights).length) p.weights = this.config.weights;
    return p;
  }

  /** readDenials plans once with every provider healthy and keeps the contract's denials. */
  readDenials(ceg) {
    const health = Object.fromEntries(providers.PROVIDERS.map((id) => [id, 1]));
    const plan = ceg.optimize(this.params({ state: { resources: { health } } }));
    const step = plan.feasible && plan.steps[0];
    const rejections = step ? step.rejected : (plan.infeasibility && plan.infeasibility.candidates[0] ? plan.infeasibility.candidates[0].rejected : []);
    const denied = new Set();
    const reasons = {};
    for (const r of rejections) {
      reasons[r.resource] = r.reason;
      if (DENIED.has(r.reason)) denied.add(r.resource);
    }
    return { denied, reasons };
  }

  /**
   * retry runs f, and once more on a new graph handle when the instance
   * behind the old one was replaced (a trap in any other call).
   */
  retry(f) {
    try {
      return f();
    } catch (e) {
      if (!e || (e.code !== 'UNKNOWN_HANDLE' && e.code !== 'INSTANCE_LOST')) throw e;
      this.graph = null;
      this.ensureGraph();
      return f();
    }
  }

  /** breakerOpen reports whether a provider's circuit is open (or backing off a quota) at now. */
  breakerOpen(id, now) {
    const b = this.current()[id];
    return Boolean(b && (b.state === 'circuit_open' || b.state === 'quota_hit') && now < b.openUntil);
  }

  /**
   * order is buildBrainOrder: see stream-chat.js for the rule.
   * @param {{requestedProvider?: string, hintProvider?: string}} [o]
   */
  order(o) {
    const req = o && o.requestedProvider;
    const hint = o && o.hintProvider;
    const can = (id) => providers.callable(this.config.providers[id], this.env);
    let pinned = null;
    if (req) {
      pinned = providers.resolve(req);
      if (!pinned || !can(pinned)) return this.decided([], 'pinned provider unknown or not callable', pinned);
    }
    let d;
    try {
      d = this.plan();
    } catch (e) {
      return this.fallback(pinned, hint, can, e);
    }
    if (pinned && d.denied.has(pinned)) return this.decided([], `pinned provider denied (${d.reasons[pinned]})`, pinned, d.planId);
    const now = this.clock();
    let lead = d.eligible.filter(can);
    let why = 'plan';
    if (!pinned) {
      const h = providers.resolve(hint);
      if (h && can(h) && lead.includes(h) && !this.breakerOpen(h, now)) {
        lead = [h].concat(lead.filter((id) => id !== h));
        why = 'hint';
      } else if (lead.length > 1 && this.failedLast(lead[0])) {
        const healthy = lead.findIndex((id) => !this.failedLast(id));
        if (healthy > 0) {
          lead = [lead[healthy]].concat(lead.filter((_, i) => i !== healthy));
          why = `plan; ${d.eligible[0]} failed last and was demoted`;
        }
      }
    } else {
      why = 'pinned';
    }
    let out = lead.concat(d.rejected.filter(can));
    if (pinned) out = [pinned].concat(out.filter((id) => id !== pinned));
    return this.decided(out, why, pinned, d.planId);
  }

  /** failedLast reports whether a provider's latest outcome was a failure. */
  failedLast(id) {
    const b = this.current()[id];
    return Boolean(b && b.errors > 0);
  }

  decided(order, why, pinned, planId) {
    this.last = { order: order.slice(), why, pinned: pinned || null, planId: planId || null, planned: Boolean(planId) };
    return order;
  }

  /**
   * fallback is the original server's rule, used when the module cannot be
   * loaded or fails: the pinned provider, else the hint, then the fixed
   * backstop order; callable providers only. Said once on stderr.
   */
  fallback(pinned, hint, can, err) {
    this.warn(`ceg stream-chat: planning unavailable (${err && err.code ? err.code + ': ' : ''}${err && err.message}); using the fixed provider order`);
    const first = pinned || providers.resolve(hint);
    const order = providers.PROVIDERS.filter(can);
    const out = first && can(first) ? [first].concat(order.filter((id) => id !== first)) : order;
    return this.decided(out, 'fallback: fixed order', pinned);
  }

  /**
   * record queues one outcome of a provider call for the breakers and
   * invalidates the cached plan; the next buildBrainOrder hands the queue
   * to the module together with its re-plan (one state.observe call), each
   * outcome at the time it was recorded. With a state file the outcome is
   * applied and saved at once. Unknown providers are ignored. Never throws:
   * an outcome that cannot be recorded is said once on stderr.
   * @param {string} id
   * @param {'ok'|'error'|'timeout'|'quota'} status
   * @param {unknown} [latencyMs]
   */
  record(id, status, latencyMs) {
    const p = providers.resolve(id);
    if (!p || this.failed) return false;
    const o = { provider: p, status, at: this.clock() };
    if (typeof latencyMs === 'number' && Number.isFinite(latencyMs) && latencyMs >= 0) o.latencyMs = latencyMs;
    this.pending.push(o);
    this.cached = null;
    if (this.statePath || this.pending.length >= MAX_PENDING) {
      try {
        this.sync(o.at, false);
      } catch (e) {
        this.dropPending(e);
        return false;
      }
      this.saveState();
    }
    return true;
  }

  /** restoreState reads the state file, when one is configured and exists. */
  restoreState() {
    if (!this.statePath) return;
    let doc;
    try {
      doc = JSON.parse(fs.readFileSync(this.statePath, 'utf8'));
    } catch (e) {
      if (e.code !== 'ENOENT') this.warn(`ceg stream-chat: ignoring the state file ${this.statePath}: ${e.message}`);
      return;
    }
    if (!doc || doc.format !== STATE_FORMAT || !doc.breakers || typeof doc.breakers !== 'object' || Array.isArray(doc.breakers)) {
      this.warn(`ceg stream-chat: ignoring the state file ${this.statePath}: not a ${STATE_FORMAT} file`);
      return;
    }
    this.breakers = doc.breakers;
    this.restoredFrom = this.statePath;
    // Checked by the module (state.observe) when it is first used: a bad
    // breaker is said once and the adapter starts from closed breakers.
    this.pendingCheck = true;
  }

  /** saveState writes the breakers to the state file (write, then rename). */
  saveState() {
    if (!this.statePath) return;
    const tmp = `${this.statePath}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.statePath), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify({ format: STATE_FORMAT, savedAt: this.now(), breakers: this.breakers }) + '\n');
      fs.renameSync(tmp, this.statePath);
    } catch (e) {
      this.warn(`ceg stream-chat: cannot write the state file ${this.statePath}: ${e.message}`);
    }
  }

  /** reset forgets the breakers (and the state file's content) and the cached plan. */
  reset() {
    this.breakers = {};
    this.seeded = false;
    this.pending = [];
    this.nextChangeAt = 0;
    this.cached = null;
    this.last = null;
    this.saveState();
  }
}

module.exports = { Adapter, classify, DENIED, STATE_FORMAT };
