/*
 * otel.js: OpenTelemetry spans and metrics from CEG trace records
 * (`@convergence-io/ceg/otel`).
 *
 *   const { traceToSpans, traceToMetrics, toOtlp, instrument } = require('@convergence-io/ceg/otel');
 *   const spans = traceToSpans(records, { plans: [plan] });  // OTLP/JSON span objects
 *   instrument(ceg, { tracer, meter });                       // live, through @opentelemetry/api
 *
 * traceToSpans, traceToMetrics and toOtlp are pure functions of the records
 * and need nothing installed. Only instrument() loads @opentelemetry/api (an
 * optional peer dependency), and only when it is called without `api`.
 * The Go package testrunner/otel implements the same mapping; both are
 * checked against testdata/otel/golden.json. The mapping is documented in
 * docs/JS.md ("OpenTelemetry").
 */
'use strict';

const { CegError } = require('./errors.js');

/** OTLP span kinds (the wire's numbers) and the @opentelemetry/api ones. */
const KIND = { INTERNAL: 1, CLIENT: 3 };
const API_KIND = { 1: 0, 3: 2 };
/** Status codes (the same numbers in OTLP and the API). */
const STATUS = { UNSET: 0, OK: 1, ERROR: 2 };

/** Attributes written as OTLP intValue (every other number is a doubleValue). */
const INT_KEYS = new Set([
  'ceg.attempt', 'ceg.data.attempt', 'ceg.step.attempts', 'ceg.step.wave', 'ceg.tick',
  'ceg.grounding.max_results', 'ceg.grounding.min_sources',
  'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens',
]);

/** Records that become no span event: activations and projections are bookkeeping. */
const QUIET = new Set(['activate', 'projection']);

/**
 * The metric instruments (name -> kind, unit, description). Durations are
 * in seconds and token counts use the GenAI semantic conventions' buckets.
 */
const INSTRUMENTS = {
  'ceg.turns': { kind: 'counter', unit: '{turn}', description: 'Sessions (turns) that ended, by final status and the provider that answered' },
  'ceg.attempts': { kind: 'counter', unit: '{attempt}', description: 'Dispatched attempts that ended, by provider, model and outcome' },
  'ceg.failovers': { kind: 'counter', unit: '{failover}', description: 'Failed attempts re-dispatched on the next resource of the chain, by the provider that failed' },
  'ceg.swaps': { kind: 'counter', unit: '{swap}', description: 'Hot-swaps of a resource, by trigger' },
  'ceg.breaker.opens': { kind: 'counter', unit: '{open}', description: 'Circuit breakers that opened, by provider' },
  'gen_ai.client.operation.duration': { kind: 'histogram', unit: 's', description: 'Duration of each attempt, dispatch to outcome, host clock',
    buckets: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] },
  'ceg.cost': { kind: 'histogram', unit: 'USD', description: 'Cost of each completed attempt (reported, else the engine estimate)' },
  'gen_ai.client.token.usage': { kind: 'histogram', unit: '{token}', description: 'Reported input and output tokens of each completed attempt',
    buckets: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] },
};

/** Instruments already created, per meter: a meter creates each once. */
const METERS = new WeakMap();

const snake = (k) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
const has = (o, k) => o[k] !== undefined && o[k] !== null;

/**
 * nanos converts a host time in ms to Unix nanoseconds (a BigInt), exactly:
 * whole milliseconds and the fraction are converted apart.
 */
function nanos(at) {
  const ms = Math.trunc(at);
  return BigInt(ms) * 1000000n + BigInt(Math.round((at - ms) * 1e6));
}

/** anyValue is the OTLP/JSON AnyValue of an attribute. */
function anyValue(key, v) {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return INT_KEYS.has(key) ? { intValue: String(Math.round(v)) } : { doubleValue: v };
  return { arrayValue: { values: v.map((x) => anyValue('', x)) } };
}

/** keyValues turns an attribute object into OTLP/JSON key-values sorted by key. */
function keyValues(attrs) {
  return Object.keys(attrs).sort().map((key) => ({ key, value: anyValue(key, attrs[key]) }));
}

/** dataAttrs maps a record's data fields to `ceg.data.<snake_case>` attributes. */
function dataAttrs(data) {
  const out = {};
  if (!data || typeof data !== 'object') return out;
  for (const k of Object.keys(data)) {
    const v = data[k];
    if (v === null || v === undefined) continue;
    const key = 'ceg.data.' + snake(k);
    if (Array.isArray(v)) out[key] = v.every((x) => typeof x === 'string') ? v.slice() : JSON.stringify(v);
    else if (typeof v === 'object') out[key] = JSON.stringify(v);
    else out[key] = v;
  }
  return out;
}

/**
 * Mapper turns records, in order, into span operations: `start`, `event`,
 * `end` and metric `measure`s. traceToSpans feeds it every record at once;
 * instrument feeds it each turn's events as the session advances. The ends a
 * batch causes come after its starts and events, so a record that follows
 * the one closing a span (a breaker change after a failure) still lands on
 * that span.
 */
class Mapper {
  constructor(options) {
    const o = options || {};
    this.operation = o.operation || 'chat';
    this.models = o.models || {};
    this.plans = new Map();
    for (const p of o.plans || []) this.addPlan(p);
    this.owner = new Map(); // record id -> span key
    this.spans = new Map(); // span key -> {key, parent, ended, ...}
    this.steps = new Map(); // step id -> open step span key
    this.attempts = new Map(); // step id -> open attempt span key
    this.session = null; // session span key
    this.plan = null; // id of the latest plan record
    this.answered = null; // provider of the last completed attempt
    this.last = null; // the last record seen
    this.ops = [];
    this.ends = [];
  }

  addPlan(p) { if (p && p.id) this.plans.set(p.id, p); }

  /** push maps records in order; it returns the operations, ends last. */
  push(records) {
    for (const r of records) this.record(r);
    const ops = this.ops.concat(this.ends);
    this.ops = [];
    this.ends = [];
    return ops;
  }

  /** finish ends every span still open at the last record's time (status unset). */
  finish() {
    if (!this.last) return [];
    for (const s of [...this.spans.values()].reverse()) {
      if (!s.ended) this.end(s.key, this.last, STATUS.UNSET, '', s.key === this.session ? { 'ceg.session.status': 'running' } : {});
    }
    return this.push([]);
  }

  start(key, kind, name, r, parent, attrs, idFrom, links) {
    this.spans.set(key, { key, parent, ended: false, start: r.at, attempts: 0 });
    this.ops.push({ op: 'start', key, name, kind, at: r.at, parent, attrs, idFrom, links: links || [] });
  }

  end(key, r, code, message, attrs) {
    const s = this.spans.get(key);
    if (!s || s.ended) return;
    s.ended = true;
    this.ends.push({ op: 'end', key, at: r.at, status: message ? { code, message } : { code }, attrs });
  }

  measure(name, value, attrs) { this.ops.push({ op: 'measure', name, value, attrs }); }

  /** planStep returns the governing plan's step, or null. */
  planStep(step) {
    const p = this.plans.get(this.plan);
    return (p && (p.steps || []).find((s) => s.id === step)) || null;
  }

  genAI(provider, resource) {
    const a = { 'gen_ai.operation.name': this.operation };
    if (provider) { a['gen_ai.provider.name'] = provider; a['gen_ai.system'] = provider; }
    if (resource) a['gen_ai.request.model'] = this.models[resource] || resource;
    return a;
  }

  record(r) {
    const d = r.data && typeof r.data === 'object' ? r.data : {};
    const parentOwner = this.owner.get(r.causalParent) || this.session;
    this.last = r;
    let owner = parentOwner;
    const ids = { 'ceg.record.id': r.id, 'ceg.record.hash': r.hash || '' };
    switch (r.event) {
      case 'session_start':
        if (!this.session) {
          owner = this.session = 'session';
          this.start('session', KIND.INTERNAL, 'ceg.session', r, null,
            Object.assign({ 'ceg.session.id': d.session || r.actor, 'ceg.tick': r.tick }, ids), [r.hash, 32]);
          return this.owner.set(r.id, owner);
        }
        break;
      case 'plan':
        if (d.plan) this.plan = d.plan;
        break;
      case 'dispatch':
        if (d.step) return this.owner.set(r.id, this.dispatch(r, d, parentOwner, ids));
        break;
      case 'complete':
      case 'fail':
        if (d.step && d.outcome && this.attempts.has(d.step)) {
          owner = this.attemptEnd(r, d);
          if (r.event === 'complete') this.stepEnd(d.step, r, STATUS.OK, '', 'done');
          return this.owner.set(r.id, owner);
        }
        if (r.event === 'fail' && d.step && this.steps.has(d.step)) {
          owner = this.stepEnd(d.step, r, STATUS.ERROR, d.reason || 'failed', 'failed');
          return this.owner.set(r.id, owner);
        }
        break;
      case 'rollback':
        if (d.step && this.attempts.has(d.step)) return this.owner.set(r.id, this.attemptEnd(r, d));
        break;
      case 'cancel':
        if (d.step && this.steps.has(d.step)) {
          owner = this.stepEnd(d.step, r, STATUS.ERROR, 'cancelled: ' + (d.reason || ''), 'cancelled');
          return this.owner.set(r.id, owner);
        }
        break;
      case 'retry': {
        const from = this.spans.get(this.owner.get(r.causalParent));
        this.measure('ceg.failovers', 1, Object.assign(this.genAI(from && from.provider, from && from.resource),
          { 'ceg.failover.to': d.provider || '' }));
        break;
      }
      case 'swap':
        this.measure('ceg.swaps', 1, { 'ceg.swap.trigger': d.trigger || '' });
        break;
      case 'breaker':
        if (d.to === 'circuit_open') this.measure('ceg.breaker.opens', 1, { 'gen_ai.provider.name': d.provider || r.actor });
        break;
      case 'session_end':
        if (this.session) return this.owner.set(r.id, this.sessionEnd(r, d));
        break;
      default:
    }
    this.owner.set(r.id, owner);
    if (!QUIET.has(r.event) && owner) {
      this.ops.push({ op: 'event', key: owner, name: 'ceg.' + r.event, at: r.at,
        attrs: Object.assign(dataAttrs(d), { 'ceg.actor': r.actor, 'ceg.record.id': r.id }) });
    }
  }

  dispatch(r, d, parentOwner, ids) {
    let step = this.steps.get(d.step);
    const ps = this.planStep(d.step);
    if (!step) {
      step = 'step:' + r.id;
      const a = Object.assign({ 'gen_ai.operation.name': this.operation, 'ceg.step.id': d.step, 'ceg.tick': r.tick }, ids);
      if (d.intent) a['ceg.intent.id'] = d.intent;
      if (ps) stepPlanAttrs(a, ps, this.plan);
      // The step hangs under the span its first dispatch descends from (an
      // attempt's own step when it is nested there is not possible: steps
      // open once).
      const parent = parentOwner && this.spans.get(parentOwner) && this.spans.get(parentOwner).kind === 'attempt'
        ? this.spans.get(parentOwner).parent : parentOwner;
      this.start(step, KIND.INTERNAL, 'ceg.step ' + d.step, r, parent || null, a, [r.hash, 16]);
      this.steps.set(d.step, step);
    }
    const st = this.spans.get(step);
    st.attempts++;
    const key = 'attempt:' + r.id;
    const a = Object.assign(this.genAI(d.provider, d.resource), {
      'ceg.step.id': d.step, 'ceg.resource.id': d.resource || '', 'ceg.attempt': d.attempt || st.attempts, 'ceg.tick': r.tick,
    }, ids);
    if (d.intent) a['ceg.intent.id'] = d.intent;
    if (has(d, 'deadlineMs')) a['ceg.deadline_ms'] = d.deadlineMs;
    if (has(d, 'dilation')) a['ceg.dilation'] = d.dilation;
    if (ps) attemptPlanAttrs(a, ps, d.resource, this.plan);
    const links = st.lastAttempt ? [st.lastAttempt] : [];
    this.start(key, KIND.CLIENT, this.operation + ' ' + (this.models[d.resource] || d.resource), r, step, a, [r.hash, 0], links);
    Object.assign(this.spans.get(key), { kind: 'attempt', provider: d.provider, resource: d.resource });
    st.kind = 'step';
    st.lastAttempt = key;
    st.resource = d.resource;
    this.attempts.set(d.step, key);
    return key;
  }

  /** attemptEnd closes the step's open attempt with the outcome of r. */
  attemptEnd(r, d) {
    const key = this.attempts.get(d.step);
    this.attempts.delete(d.step);
    const s = this.spans.get(key);
    const outcome = r.event === 'rollback' ? 'rolled_back' : d.outcome;
    const a = { 'ceg.outcome': outcome };
    const g = this.genAI(s.provider, s.resource);
    if (has(d, 'latencyMs')) a['ceg.latency.reported_ms'] = d.latencyMs;
    if (d.trigger) a['ceg.swap.trigger'] = d.trigger;
    let code = STATUS.OK;
    let message = '';
    if (outcome === 'ok') {
      if (has(d, 'cost')) a['ceg.cost.reported_usd'] = d.cost;
      if (has(d, 'tokens')) a['ceg.usage.tokens'] = d.tokens;
      if (has(d, 'inputTokens')) a['gen_ai.usage.input_tokens'] = d.inputTokens;
      if (has(d, 'outputTokens')) a['gen_ai.usage.output_tokens'] = d.outputTokens;
      this.answered = s.provider;
      if (has(d, 'cost')) this.measure('ceg.cost', d.cost, g);
      for (const t of ['input', 'output']) {
        if (has(d, t + 'Tokens')) this.measure('gen_ai.client.token.usage', d[t + 'Tokens'], Object.assign({}, g, { 'gen_ai.token.type': t }));
      }
    } else {
      code = STATUS.ERROR;
      a['error.type'] = outcome;
      message = outcome === 'rolled_back' ? 'rolled back: ' + (d.reason || '') : d.reason || outcome;
    }
    this.end(key, r, code, message, a);
    this.measure('ceg.attempts', 1, Object.assign({}, g, { 'ceg.outcome': outcome }));
    const dur = Object.assign({}, g);
    if (code === STATUS.ERROR) dur['error.type'] = outcome;
    this.measure('gen_ai.client.operation.duration', (r.at - s.start) / 1000, dur);
    return key;
  }

  stepEnd(step, r, code, message, status) {
    const key = this.steps.get(step);
    this.steps.delete(step);
    const s = this.spans.get(key);
    this.end(key, r, code, message, { 'ceg.step.status': status, 'ceg.step.attempts': s.attempts, 'ceg.resource.id': s.resource || '' });
    return key;
  }

  sessionEnd(r, d) {
    const status = d.status || 'complete';
    const failed = status !== 'complete';
    const msg = failed ? 'session ' + status : '';
    for (const [step, key] of this.attempts) {
      this.end(key, r, failed ? STATUS.ERROR : STATUS.UNSET, msg, { 'ceg.outcome': 'cancelled' });
      this.attempts.delete(step);
    }
    for (const [step, key] of this.steps) {
      this.end(key, r, failed ? STATUS.ERROR : STATUS.UNSET, msg, { 'ceg.step.status': 'cancelled', 'ceg.step.attempts': this.spans.get(key).attempts });
      this.steps.delete(step);
    }
    const a = { 'ceg.session.status': status };
    if (this.plan) a['ceg.plan.id'] = this.plan;
    if (d.reason) a['ceg.session.reason'] = d.reason;
    this.end(this.session, r, failed ? STATUS.ERROR : STATUS.OK, msg, a);
    const m = { 'ceg.session.status': status };
    if (this.answered) m['gen_ai.provider.name'] = this.answered;
    this.measure('ceg.turns', 1, m);
    return this.session;
  }
}

/** stepPlanAttrs adds what the plan says about a step. */
function stepPlanAttrs(a, ps, planId) {
  a['ceg.plan.id'] = planId;
  a['ceg.step.wave'] = ps.wave || 0;
  a['ceg.step.chain'] = [ps.resource].concat((ps.fallbacks || []).map((f) => f.resource));
  a['ceg.cost.estimated_usd'] = ps.estimatedCost;
  a['ceg.latency.estimated_ms'] = ps.estimatedLatencyMs;
  a['ceg.latency.dilated_ms'] = ps.dilatedLatencyMs;
  a['ceg.deadline_ms'] = ps.deadlineMs;
  a['ceg.dilation'] = ps.dilation;
  const g = ps.grounding;
  if (g) {
    a['ceg.grounding.fetch_external'] = !!g.fetchExternal;
    a['ceg.grounding.max_results'] = g.maxResults;
    a['ceg.grounding.min_sources'] = g.minSources;
    a['ceg.grounding.deep_mode'] = !!g.deepMode;
  }
  const rej = ps.rejected || [];
  if (rej.length) {
    a['ceg.rejections'] = rej.map((x) => x.resource + ':' + x.reason);
    a['ceg.rejection.codes'] = [...new Set(rej.map((x) => x.reason))].sort();
  }
}

/** attemptPlanAttrs adds the plan's estimates for the resource an attempt runs on. */
function attemptPlanAttrs(a, ps, resource, planId) {
  a['ceg.plan.id'] = planId;
  if (ps.resource === resource) {
    a['ceg.cost.estimated_usd'] = ps.estimatedCost;
    a['ceg.latency.estimated_ms'] = ps.estimatedLatencyMs;
    a['ceg.latency.dilated_ms'] = ps.dilatedLatencyMs;
    return;
  }
  const f = (ps.fallbacks || []).find((x) => x.resource === resource);
  if (f) {
    a['ceg.cost.estimated_usd'] = f.estimatedCost;
    a['ceg.latency.estimated_ms'] = f.estimatedLatencyMs;
  }
}

const OPTIONS = ['plans', 'models', 'operation', 'resource', 'traceId'];

function checkOptions(o, allowed, where) {
  if (o === undefined || o === null) return {};
  if (typeof o !== 'object' || Array.isArray(o)) throw new CegError('INVALID_ARGUMENT', `ceg/otel: ${where}: options must be an object`);
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new CegError('INVALID_OPTIONS', `ceg/otel: ${where}: unknown option ${JSON.stringify(k)} (known: ${allowed.join(', ')})`, { path: k });
  }
  return o;
}

function checkRecords(records, where) {
  if (!Array.isArray(records)) throw new CegError('INVALID_ARGUMENT', `ceg/otel: ${where}: records must be an array of trace records`);
  records.forEach((r, i) => {
    if (!r || typeof r !== 'object' || typeof r.id !== 'string' || typeof r.event !== 'string' || typeof r.at !== 'number' || typeof r.hash !== 'string' || !/^[0-9a-f]{64}$/.test(r.hash)) {
      throw new CegError('INVALID_ARGUMENT', `ceg/otel: ${where}: records[${i}] is not a trace record (id, event, at and a 64-hex hash are required)`, { path: `records[${i}]` });
    }
  });
}

/**
 * traceToSpans maps one session's trace records to spans in the OTLP/JSON
 * shape. Ids derive from the records' hashes, so the same records give the
 * same spans (here and in Go). Options: `plans` (the session's plans, to add
 * estimates, grounding and rejections), `models` (resource id -> model
 * name; default the resource id), `operation` (gen_ai.operation.name,
 * default 'chat'), `resource` (attributes of the OTel resource each span
 * carries, as the SDK's spans do), `traceId` (32 hex digits: replaces the
 * trace id derived from the session_start record, which two hosts whose
 * sessions start alike share; span ids stay derived).
 * @param {object[]} records
 * @param {{plans?: object[], models?: Record<string, string>, operation?: string, resource?: Record<string, unknown>, traceId?: string}} [options]
 * @returns {object[]}
 */
function traceToSpans(records, options) {
  const o = checkOptions(options, OPTIONS, 'traceToSpans');
  checkRecords(records, 'traceToSpans');
  if (o.traceId !== undefined && (typeof o.traceId !== 'string' || !/^[0-9a-f]{32}$/.test(o.traceId) || /^0+$/.test(o.traceId))) {
    throw new CegError('INVALID_OPTIONS', 'ceg/otel: traceToSpans: traceId must be 32 lower-case hex digits, not all zero', { path: 'traceId' });
  }
  if (records.length === 0) return [];
  const root = records.find((r) => r.event === 'session_start' && !r.causalParent) || records[0];
  const traceId = o.traceId || root.hash.slice(0, 32);
  const m = new Mapper(o);
  const ops = m.push(records).concat(m.finish());
  const spans = new Map();
  const out = [];
  for (const op of ops) {
    if (op.op === 'start') {
      const s = {
        traceId,
        spanId: op.idFrom[0].slice(op.idFrom[1], op.idFrom[1] + 16),
        parentSpanId: op.parent ? spans.get(op.parent).spanId : '',
        name: op.name,
        kind: op.kind,
        startTimeUnixNano: String(nanos(op.at)),
        endTimeUnixNano: '',
        attrs: Object.assign({}, op.attrs),
        events: [],
        links: op.links.map((k) => ({ traceId, spanId: spans.get(k).spanId, attributes: keyValues({ 'ceg.link.type': 'previous_attempt' }) })),
        status: { code: STATUS.UNSET },
      };
      spans.set(op.key, s);
      out.push(s);
    } else if (op.op === 'event') {
      spans.get(op.key).events.push({ timeUnixNano: String(nanos(op.at)), name: op.name, attributes: keyValues(op.attrs) });
    } else if (op.op === 'end') {
      const s = spans.get(op.key);
      s.endTimeUnixNano = String(nanos(op.at));
      Object.assign(s.attrs, op.attrs);
      s.status = op.status;
    }
  }
  const resource = o.resource ? { attributes: keyValues(o.resource) } : undefined;
  return out.map((s) => {
    const span = {
      traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name, kind: s.kind,
      startTimeUnixNano: s.startTimeUnixNano, endTimeUnixNano: s.endTimeUnixNano,
      attributes: keyValues(s.attrs), events: s.events, links: s.links, status: s.status,
    };
    if (resource) span.resource = resource;
    return span;
  });
}

/**
 * traceToMetrics returns the measurements the records give, in record
 * order: `{name, kind, unit, value, attributes}` (attributes a plain object).
 * instrument() records the same measurements into a meter.
 * @param {object[]} records
 * @param {{plans?: object[], models?: Record<string, string>, operation?: string}} [options]
 */
function traceToMetrics(records, options) {
  const o = checkOptions(options, OPTIONS, 'traceToMetrics');
  checkRecords(records, 'traceToMetrics');
  const m = new Mapper(o);
  return m.push(records).filter((op) => op.op === 'measure').map((op) => ({
    name: op.name, kind: INSTRUMENTS[op.name].kind, unit: INSTRUMENTS[op.name].unit, value: op.value, attributes: op.attrs,
  }));
}

/**
 * toOtlp groups spans (from traceToSpans) into an OTLP/JSON
 * ExportTraceServiceRequest: one resourceSpans entry per distinct resource,
 * scope `@convergence-io/ceg`.
 * @param {object[]} spans
 */
function toOtlp(spans) {
  const groups = new Map();
  for (const s of spans) {
    const key = JSON.stringify(s.resource || { attributes: [] });
    if (!groups.has(key)) groups.set(key, []);
    const { resource, ...span } = s; // eslint-disable-line no-unused-vars
    groups.get(key).push(span);
  }
  return {
    resourceSpans: [...groups].map(([key, list]) => ({
      resource: JSON.parse(key),
      scopeSpans: [{ scope: { name: SCOPE, version: VERSION }, spans: list }],
    })),
  };
}

const SCOPE = '@convergence-io/ceg';
const VERSION = require('../../package.json').version;

/** loadApi loads @opentelemetry/api, or explains how to get it. */
function loadApi() {
  try {
    return require('@opentelemetry/api');
  } catch (e) {
    throw new CegError('OTEL_API_MISSING', 'ceg/otel: instrument() needs @opentelemetry/api (an optional peer dependency): install it, or pass it as options.api', { cause: e });
  }
}

const hrTime = (at) => {
  const n = nanos(at);
  return [Number(n / 1000000000n), Number(n % 1000000000n)];
};

/**
 * Live is one session's mapping onto a tracer and a meter.
 */
class Live {
  constructor(api, o) {
    this.api = api;
    this.tracer = o.tracer;
    this.meter = o.meter;
    this.context = o.context;
    this.onError = o.onError;
    this.mapper = new Mapper(o);
    this.spans = new Map(); // span key -> API span
    this.ended = new Set(); // span keys ended in the SDK
  }

  feed(events, plan) {
    try {
      if (plan) this.mapper.addPlan(plan);
      this.apply(this.mapper.push(events || []));
    } catch (e) {
      this.onError(e);
    }
  }

  finish() {
    try { this.apply(this.mapper.finish()); } catch (e) { this.onError(e); }
  }

  apply(ops) {
    const api = this.api;
    for (const op of ops) {
      if (op.op === 'measure') {
        if (this.meter) this.instrument(op.name).record(op.value, op.attrs);
        continue;
      }
      if (!this.tracer) continue;
      if (op.op === 'start') {
        const parent = op.parent && this.spans.get(op.parent);
        const base = this.context || api.context.active();
        const ctx = parent ? api.trace.setSpan(base, parent) : base;
        const links = op.links.map((k) => this.spans.get(k)).filter(Boolean)
          .map((s) => ({ context: s.spanContext(), attributes: { 'ceg.link.type': 'previous_attempt' } }));
        this.spans.set(op.key, this.tracer.startSpan(op.name, { kind: API_KIND[op.kind], startTime: hrTime(op.at), attributes: op.attrs, links }, ctx));
      } else if (op.op === 'event') {
        // A span ended by an earlier turn takes no more events: its nearest open ancestor does.
        let k = op.key;
        while (this.ended.has(k) && this.mapper.spans.get(k).parent) k = this.mapper.spans.get(k).parent;
        const s = this.spans.get(k);
        if (s) s.addEvent(op.name, op.attrs, hrTime(op.at));
      } else if (op.op === 'end') {
        const s = this.spans.get(op.key);
        if (!s) continue;
        this.ended.add(op.key);
        s.setAttributes(op.attrs);
        if (op.status.code !== STATUS.UNSET) s.setStatus(op.status);
        s.end(hrTime(op.at));
      }
    }
  }

  instrument(name) {
    let made = METERS.get(this.meter);
    if (!made) METERS.set(this.meter, (made = new Map()));
    let i = made.get(name);
    if (!i) {
      const def = INSTRUMENTS[name];
      const opts = { unit: def.unit, description: def.description };
      if (def.buckets) opts.advice = { explicitBucketBoundaries: def.buckets };
      const inst = def.kind === 'counter' ? this.meter.createCounter(name, opts) : this.meter.createHistogram(name, opts);
      i = { record: def.kind === 'counter' ? (v, a) => inst.add(v, a) : (v, a) => inst.record(v, a) };
      made.set(name, i);
    }
    return i;
  }
}

const INSTRUMENT_OPTIONS = ['tracer', 'meter', 'api', 'context', 'models', 'operation', 'onError'];
const WRAPPED = Symbol.for('@convergence-io/ceg/otel');

/**
 * instrument emits a session's spans and metrics live through
 * @opentelemetry/api as the session advances. Given a session, it maps the
 * turns it has seen and wraps report() and close(); given the object load()
 * returned, it does so for every session execute() and restore() start and
 * maps every simulate() run. Spans nest under `options.context` (default:
 * the active context), so a turn's spans join the host's request span.
 * Returns its argument. Telemetry never breaks the host: an error while
 * mapping goes to `options.onError` (default: one console.warn).
 * @param {object} target a Session, or the API object from load()/loadSync()
 * @param {{tracer?: object, meter?: object, api?: object, context?: object, models?: Record<string, string>, operation?: string, onError?: (e: Error) => void}} options
 */
function instrument(target, options) {
  const o = checkOptions(options, INSTRUMENT_OPTIONS, 'instrument');
  if (!o.tracer && !o.meter) throw new CegError('INVALID_OPTIONS', 'ceg/otel: instrument: give a tracer, a meter or both', { path: 'tracer' });
  if (!target || typeof target !== 'object') throw new CegError('INVALID_ARGUMENT', 'ceg/otel: instrument: expected a Session or a loaded ceg');
  if (target[WRAPPED]) return target;
  const api = o.api || loadApi();
  let warned = false;
  const shared = Object.assign({}, o, {
    onError: o.onError || ((e) => { if (!warned) { warned = true; console.warn(`ceg/otel: telemetry disabled for a session: ${e.message}`); } }),
  });
  const then = (v, f) => (v && typeof v.then === 'function' ? v.then(f) : f(v));
  const wrapSession = (session) => {
    if (!session || session[WRAPPED]) return session;
    const live = new Live(api, shared);
    Object.defineProperty(session, WRAPPED, { value: live });
    live.feed(session.events, session.plan);
    const report = session.report;
    const close = session.close;
    session.report = function () {
      return then(report.apply(this, arguments), (turn) => { live.feed(turn.events, turn.plan); return turn; });
    };
    session.close = function () {
      return then(close.apply(this, arguments), (r) => { live.finish(); return r; });
    };
    return session;
  };
  if (typeof target.report === 'function' && 'id' in target) return wrapSession(target);
  if (typeof target.execute !== 'function') throw new CegError('INVALID_ARGUMENT', 'ceg/otel: instrument: expected a Session or a loaded ceg');
  Object.defineProperty(target, WRAPPED, { value: true });
  for (const k of ['execute', 'restore']) {
    const f = target[k];
    target[k] = function () { return then(f.apply(this, arguments), wrapSession); };
  }
  const simulate = target.simulate;
  target.simulate = function () {
    return then(simulate.apply(this, arguments), (res) => {
      const live = new Live(api, shared);
      for (const st of res.steps || []) if (st.plan) live.mapper.addPlan(st.plan);
      live.feed(res.trace);
      live.finish();
      return res;
    });
  };
  return target;
}

module.exports = { traceToSpans, traceToMetrics, toOtlp, instrument, INSTRUMENTS, SCOPE };
