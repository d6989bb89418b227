'use strict';
/*
 * chat-server.js: a streaming chat server whose turns are CEG executor
 * sessions: the engine plans each turn, chooses every dispatch, fails over
 * along the plan's fallbacks and owns the circuit breakers; this file only
 * calls the providers and reports what happened.
 *
 *   node examples/node/chat-server.js            # starts mock providers + the server
 *   curl -N -d '{"message":"hello"}' http://127.0.0.1:8787/chat
 *
 * POST /chat {message} answers with server-sent events:
 *   plan      {order, chain, d, grounding, planId, session, rejected}
 *             the failover chain the session planned (step resource + fallbacks)
 *   attempt   {provider, resource, attempt, deadlineMs}   a dispatch action
 *   token     {text, attempt}
 *   failover  {provider, resource, attempt, reason, discard, latencyMs}
 *             discard: tokens of this attempt were already sent; drop them
 *   done      {provider, resource, attempts, latencyMs, tokens, cost, session}
 *   error     {message, code?, status?, attempts?, session?}   no provider could answer
 * GET /health   the breakers carried between turns (provider -> breaker).
 * GET /trace    the last finished session's trace, as JSON Lines.
 *
 * With `tracer` / `meter` (an OpenTelemetry Tracer / Meter), each POST /chat
 * is a server span `POST /chat`, and the turn's session, instrumented with
 * @convergence-io/ceg/otel, nests under it: a span per session, step and
 * attempt, and the per-provider metrics. `node chat-server.js` with
 * CEG_OTEL_FILE=<path> writes the spans there as OTLP/JSON (otel-file.js).
 *
 * One turn = one session (docs/DESIGN.md#executor, docs/EXECUTOR.md):
 *   exec.start {handle, contract: {id, intent: message},
 *               state: {now, resources: {breakers: <carried over>}}}
 *   for each `dispatch` action: stream from that provider (SSE `token`s),
 *     timing out when no token came within the action's deadlineMs;
 *   for each `cancel` action: abort that attempt;
 *   exec.report {now, outcomes: [{step, attempt, status, latencyMs, cost?, tokens?}]}
 *   ... until the session's status is not `running`;
 *   exec.snapshot, whose `breakers` are carried into the next turn, then exec.close.
 * Breaker logic (3 errors open a circuit for 30 s·2^level, half-open probe,
 * quota back-off, latency EMA), failover and attempt limits live in the
 * engine; the server keeps no breaker state of its own, only the map the
 * last sessions returned.
 */

const http = require('node:http');
const { load, CegError } = require('@convergence-io/ceg');

const MAX_BODY = 64 * 1024;
/** Reports per turn at most: a chat turn needs one per attempt (at most 5). */
const MAX_REPORTS = 32;

/**
 * resourceNode turns a provider entry into a CEG resource node. `name` is
 * the resource (a model of a provider); `provider` (default: name) is the
 * account the breaker is kept for, so the models of one provider share it.
 * @param {{name: string, provider?: string, costPerToken?: number, costPerCall?: number, latencyTargetMs?: number}} p
 */
function resourceNode(p) {
  const n = { id: p.name, kind: 'resource', resourceKind: 'llm', provider: p.provider || p.name, capabilities: ['chat'] };
  for (const k of ['costPerToken', 'costPerCall', 'latencyTargetMs']) if (p[k] !== undefined) n[k] = p[k];
  return n;
}

/** readNdjson yields the JSON lines of a fetch body. */
async function* readNdjson(body) {
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of body) {
    buf += decoder.decode(chunk, { stream: true });
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield JSON.parse(line);
    }
  }
  if (buf.trim()) yield JSON.parse(buf);
}

/**
 * streamFrom runs one attempt against a provider: the first token must come
 * within deadlineMs (the dispatch's deadline) and the whole reply within
 * maxStreamMs. An abort of `signal` cancels it.
 * @returns {Promise<{tokens: number, latencyMs: number}>} or throws an Error
 *   with `kind` 'error' | 'timeout' | 'quota' | 'cancelled'.
 */
async function streamFrom(url, body, deadlineMs, maxStreamMs, onToken, signal) {
  const started = Date.now();
  const ctrl = new AbortController();
  let why = 'timeout';
  let timer = setTimeout(() => ctrl.abort(), Math.max(0, deadlineMs));
  const cancel = () => { why = 'cancelled'; ctrl.abort(); };
  if (signal) {
    if (signal.aborted) cancel();
    else signal.addEventListener('abort', cancel, { once: true });
  }
  const fail = (kind, msg) => Object.assign(new Error(msg), { kind });
  try {
    const res = await fetch(`${url}/v1/chat`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: ctrl.signal,
    });
    if (!res.ok) {
      why = 'error';
      await res.body?.cancel().catch(() => {});
      throw fail(res.status === 429 ? 'quota' : 'error', `HTTP ${res.status}`);
    }
    let tokens = 0;
    for await (const ev of readNdjson(res.body)) {
      if (ev.token !== undefined) {
        if (tokens++ === 0) {
          clearTimeout(timer);
          timer = setTimeout(() => ctrl.abort(), Math.max(0, maxStreamMs - (Date.now() - started)));
        }
        onToken(ev.token);
      } else if (ev.done) {
        return { tokens: typeof ev.tokens === 'number' ? ev.tokens : tokens, latencyMs: Date.now() - started };
      } else if (ev.error !== undefined) {
        why = 'error';
        throw fail('error', String(ev.error));
      }
    }
    why = 'error';
    throw fail('error', 'the stream ended without done');
  } catch (e) {
    if (e.kind) throw e;
    if (ctrl.signal.aborted && why === 'cancelled') throw fail('cancelled', 'cancelled');
    if (ctrl.signal.aborted && why === 'timeout') throw fail('timeout', `no reply within ${Math.round(deadlineMs)} ms`);
    throw fail('error', e.message);
  } finally {
    clearTimeout(timer);
    if (signal) signal.removeEventListener('abort', cancel);
  }
}

function sse(res, event, data) {
  if (!res.destroyed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => {
      body += c;
      if (body.length > MAX_BODY) reject(Object.assign(new Error('body too large'), { status: 413 }));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** A recreated instance lost its handles and sessions (its objects answer INSTANCE_LOST). */
const lostInstance = (e) => e instanceof CegError && (e.code === 'INSTANCE_LOST' || e.code === 'UNKNOWN_HANDLE' || e.code === 'INSTANCE_TRAPPED');

/**
 * startChatServer starts the chat server.
 * @param {object} o
 * @param {Array<{name: string, url: string, provider?: string, model?: string, costPerToken?: number, costPerCall?: number, latencyTargetMs?: number}>} o.providers
 *   one entry per resource (a model); entries sharing `provider` share its breaker
 * @param {string} [o.host] default 127.0.0.1
 * @param {number} [o.port] default 0 (ephemeral)
 * @param {import('@convergence-io/ceg').Ceg} [o.ceg] an engine (default: load())
 * @param {number} [o.maxStreamMs] cap on one attempt once it streams (default 30000)
 * @param {() => number} [o.now] host clock in ms (default Date.now); never allowed to go backwards
 * @param {Record<string, import('@convergence-io/ceg').Breaker>} [o.breakers] breakers to start from
 * @param {import('@convergence-io/ceg/otel').TracerLike} [o.tracer] OpenTelemetry tracer: each session's spans go there
 * @param {import('@convergence-io/ceg/otel').MeterLike} [o.meter] OpenTelemetry meter: the per-provider metrics go there
 * @returns {Promise<{url: string, close(): Promise<void>, breakers(): Record<string, object>, lastTrace(): {session: string, records: object[]} | null, turns(): number}>}
 */
async function startChatServer(o) {
  const ceg = o.ceg || await load();
  /** OpenTelemetry, when a tracer or meter is given (the API is then loaded). */
  const telemetry = o.tracer || o.meter ? {
    api: require('@opentelemetry/api'),
    instrument: require('@convergence-io/ceg/otel').instrument,
    models: Object.fromEntries(o.providers.filter((p) => p.model).map((p) => [p.name, p.model])),
  } : null;
  const providers = new Map(o.providers.map((p) => [p.name, p]));
  const doc = { nodes: o.providers.map(resourceNode), edges: [] };
  const maxStreamMs = o.maxStreamMs || 30000;
  const clock = o.now || Date.now;
  let last = -Infinity;
  const now = () => (last = Math.max(last, clock()));

  /** provider -> breaker, as the last sessions' snapshots left them. */
  let carried = { ...(o.breakers || {}) };
  let graph = null;
  let turns = 0;
  let lastTrace = null;

  /** start opens a session for the turn (its spans under ctx); the graph is created once. */
  async function start(message, ctx) {
    const params = () => ({
      graph,
      contract: { id: `chat-${turns}`, intent: message },
      state: { now: now(), resources: { breakers: structuredClone(carried) } },
    });
    if (!graph) graph = await ceg.graph(doc);
    let session;
    try {
      session = await ceg.execute(params());
    } catch (e) {
      // The instance was replaced after a trap: its handles are gone.
      if (!lostInstance(e)) throw e;
      graph = await ceg.graph(doc);
      session = await ceg.execute(params());
    }
    if (telemetry) telemetry.instrument(session, { tracer: o.tracer, meter: o.meter, models: telemetry.models, context: ctx });
    return session;
  }

  /**
   * finish carries the session's breakers into the next turn, keeps its
   * trace and closes it. Providers the session did not touch keep the
   * state they were carried in with (a snapshot lists only the breakers
   * the session itself used).
   */
  async function finish(session) {
    try {
      const snap = await session.snapshot();
      carried = snap.breakers; // seeded from `carried`, so it holds every provider's breaker
      lastTrace = { session: session.id, records: snap.trace };
    } catch (e) {
      if (!lostInstance(e) && !(e instanceof CegError && e.code === 'UNKNOWN_SESSION')) throw e;
    }
    await session.close().catch(() => {});
  }

  async function turn(message, res, ctx) {
    turns++;
    const gone = new AbortController(); // the client went away
    res.on('close', () => gone.abort());
    const est = await ceg.estimate(message);
    const session = await start(message, ctx);
    /** in-flight attempts: `${step}#${attempt}` -> flight */
    const flights = new Map();
    let attempts = 0;
    let answered = null;
    try {
      // The plan the session made at tick 0 (exec.start returns it): its
      // chain is fixed at the first dispatch.
      const plan = session.plan || {};
      const step = (plan.steps || [])[0];
      const chain = step ? [step, ...step.fallbacks].map((c) => ({
        resource: c.resource, provider: c.provider, estimatedCost: c.estimatedCost, estimatedLatencyMs: c.estimatedLatencyMs,
      })) : [];
      const firstDispatch = session.actions.find((a) => a.type === 'dispatch');
      const inf = plan.infeasibility;
      sse(res, 'plan', {
        order: chain.map((c) => c.resource),
        chain,
        d: est.d,
        grounding: (step && step.grounding) || (firstDispatch && firstDispatch.grounding) || await ceg.grounding(est.d),
        planId: plan.id,
        session: session.id,
        rejected: step ? step.rejected : (inf && inf.candidates && inf.candidates[0] ? inf.candidates[0].rejected : []),
      });

      const dispatch = (a) => {
        const p = providers.get(a.resource);
        const key = `${a.step}#${a.attempt}`;
        // A new attempt of a step supersedes any older one still running.
        for (const [k, f] of flights) if (f.action.step === a.step) { f.cancelled = true; f.ctrl.abort(); flights.delete(k); }
        attempts++;
        sse(res, 'attempt', { provider: a.provider, resource: a.resource, attempt: a.attempt, deadlineMs: a.deadlineMs });
        const flight = { action: a, ctrl: new AbortController(), sent: 0, cancelled: false, started: now() };
        const onGone = () => flight.ctrl.abort();
        gone.signal.addEventListener('abort', onGone, { once: true });
        const body = { message, model: (p && p.model) || a.resource, grounding: a.grounding };
        const run = p
          ? streamFrom(p.url, body, a.deadlineMs, maxStreamMs, (text) => { flight.sent++; sse(res, 'token', { text, attempt: a.attempt }); }, flight.ctrl.signal)
          : Promise.reject(Object.assign(new Error(`no endpoint for resource ${a.resource}`), { kind: 'error' }));
        flight.done = run.then(
          (r) => ({ flight, status: 'ok', tokens: r.tokens, latencyMs: r.latencyMs }),
          (e) => ({ flight, status: e.kind || 'error', error: e.message, latencyMs: now() - flight.started }),
        ).finally(() => gone.signal.removeEventListener('abort', onGone));
        flights.set(key, flight);
      };

      const cancel = (a) => {
        const key = `${a.step}#${a.attempt}`;
        const f = flights.get(key);
        if (!f) return;
        f.cancelled = true;
        f.ctrl.abort();
        flights.delete(key);
        sse(res, 'failover', { provider: a.provider, resource: a.resource, attempt: a.attempt, reason: `cancelled: ${a.reason || 'rolled back'}`, discard: f.sent > 0, latencyMs: now() - f.started });
      };

      let actions = session.actions; // not yet acted on
      for (let reports = 0; session.status === 'running';) {
        if (gone.signal.aborted) return; // the client left: abandon the turn
        for (const a of actions) {
          if (a.type === 'cancel') cancel(a);
          else if (a.type === 'dispatch') dispatch(a);
        }
        actions = [];
        // Running with nothing to do: no resource is eligible now (every
        // circuit open, say). The session would wait for the world to change;
        // a chat turn does not.
        if (flights.size === 0) break;
        const r = await Promise.race([...flights.values()].map((f) => f.done));
        const a = r.flight.action;
        flights.delete(`${a.step}#${a.attempt}`);
        if (r.flight.cancelled) continue; // rolled back or superseded: no outcome to report
        if (gone.signal.aborted) return; // the client left: nothing to report for an aborted call
        const p = providers.get(a.resource) || {};
        const outcome = { step: a.step, attempt: a.attempt, status: r.status, latencyMs: r.latencyMs };
        if (r.status === 'ok') {
          outcome.tokens = r.tokens;
          if (p.costPerToken !== undefined || p.costPerCall !== undefined) {
            outcome.cost = Number(((p.costPerToken || 0) * r.tokens + (p.costPerCall || 0)).toPrecision(12));
          }
          answered = { provider: a.provider, resource: a.resource, attempt: a.attempt, latencyMs: r.latencyMs, tokens: r.tokens, cost: outcome.cost };
        } else {
          outcome.error = r.error;
          sse(res, 'failover', { provider: a.provider, resource: a.resource, attempt: a.attempt, reason: `${r.status}: ${r.error}`, discard: r.flight.sent > 0, latencyMs: r.latencyMs });
        }
        if (++reports > MAX_REPORTS) throw Object.assign(new Error(`the session was still running after ${MAX_REPORTS} reports`), { code: 'TURN_STALLED' });
        await session.report(now(), [outcome]);
        actions = session.actions;
      }

      if (session.status === 'complete' && answered) {
        sse(res, 'done', { ...answered, attempts, session: session.id });
      } else if (session.status === 'running') {
        sse(res, 'error', { message: 'no eligible provider for this turn', code: inf ? inf.code : undefined, status: 'running', attempts, session: session.id });
      } else if (session.status === 'failed') {
        sse(res, 'error', { message: `every provider failed (${attempts} attempts)`, status: 'failed', attempts, session: session.id });
      } else {
        sse(res, 'error', { message: `the session ended ${session.status}`, status: session.status, attempts, session: session.id });
      }
    } finally {
      for (const f of flights.values()) { f.cancelled = true; f.ctrl.abort(); }
      await finish(session);
    }
  }

  const server = http.createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && req.url === '/health') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ now: now(), turns, breakers: carried }, null, 2));
        return;
      }
      if (req.method === 'GET' && req.url === '/trace') {
        if (!lastTrace) {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no turn has finished yet"}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/x-ndjson', 'x-ceg-session': lastTrace.session })
          .end(lastTrace.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
        return;
      }
      if (req.method !== 'POST' || req.url !== '/chat') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('POST /chat {"message": "..."} (server-sent events); GET /health; GET /trace\n');
        return;
      }
      let message;
      try {
        message = JSON.parse(await readBody(req)).message;
      } catch (e) {
        res.writeHead(e.status || 400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: e.status ? e.message : 'body must be JSON {"message": "..."}' }));
        return;
      }
      if (typeof message !== 'string' || message === '') {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"message must be a non-empty string"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      if (!telemetry || !o.tracer) {
        await turn(message, res);
      } else {
        const { api } = telemetry;
        const span = o.tracer.startSpan('POST /chat', { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.route': '/chat', 'http.response.status_code': 200 } });
        try {
          await turn(message, res, api.trace.setSpan(api.context.active(), span));
        } catch (e) {
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: e.message });
          throw e;
        } finally {
          span.end();
        }
      }
    } catch (e) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/event-stream' });
      sse(res, 'error', { message: e.message, code: e.code });
    }
    res.end();
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port || 0, o.host || '127.0.0.1', resolve);
  });
  const { address, port } = server.address();
  return {
    url: `http://${address}:${port}`,
    /** The breakers carried into the next turn (a copy). */
    breakers: () => structuredClone(carried),
    /** The last finished session's trace records, or null. */
    lastTrace: () => lastTrace,
    turns: () => turns,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/**
 * The providers `node chat-server.js` (and demo-chat.js) start. borealis is
 * one provider account with three models, all answering HTTP 500 (an
 * outage); cirrus never answers in time; aurora and delta are healthy. The
 * broken ones promise the lowest cost, so the first turn is planned onto
 * them and fails over; three borealis errors open borealis's circuit, and
 * later plans reject all its models (RESOURCE_DOWN) until its probe is due.
 */
const DEMO_PROVIDERS = [
  { name: 'cirrus', behavior: 'slow', delayMs: 5000, costPerToken: 0.0000008, latencyTargetMs: 250 },
  { name: 'borealis-mini', provider: 'borealis', mock: 'borealis', behavior: 'failing', costPerToken: 0.0000004, latencyTargetMs: 300 },
  { name: 'borealis-pro', provider: 'borealis', mock: 'borealis', behavior: 'failing', costPerToken: 0.0000006, latencyTargetMs: 400 },
  { name: 'borealis-max', provider: 'borealis', mock: 'borealis', behavior: 'failing', costPerToken: 0.000001, latencyTargetMs: 500 },
  { name: 'aurora', behavior: 'healthy', costPerToken: 0.000002, latencyTargetMs: 800 },
  { name: 'delta', behavior: 'healthy', costPerToken: 0.000005, latencyTargetMs: 1200 },
];

/**
 * startDemoProviders starts one mock server per distinct `mock` (default:
 * name) of the specs and returns the provider entries with their urls.
 * @param {Array<{name: string, mock?: string, behavior?: string}>} specs
 */
async function startDemoProviders(specs) {
  const { startProviders } = require('./mock-providers.js');
  const byMock = new Map();
  for (const s of specs) if (!byMock.has(s.mock || s.name)) byMock.set(s.mock || s.name, { ...s, name: s.mock || s.name });
  const mocks = await startProviders([...byMock.values()]);
  const url = new Map(mocks.map((m) => [m.name, m.url]));
  return {
    mocks,
    providers: specs.map((s) => ({ ...s, url: url.get(s.mock || s.name) })),
    close: () => Promise.all(mocks.map((m) => m.close())),
  };
}

async function main() {
  const demo = await startDemoProviders(DEMO_PROVIDERS);
  const port = Number(process.env.PORT || 8787);
  const tracing = process.env.CEG_OTEL_FILE ? require('./otel-file.js').fileTracing(process.env.CEG_OTEL_FILE) : null;
  const srv = await startChatServer({ providers: demo.providers, port, tracer: tracing && tracing.tracer });
  for (const m of demo.mocks) console.log(`mock provider ${m.name.padEnd(9)} ${m.behavior.padEnd(8)} ${m.url}`);
  if (tracing) console.log(`OpenTelemetry spans (OTLP/JSON) -> ${tracing.file}`);
  console.log(`chat server on ${srv.url}\n  curl -N -d '{"message":"what is new today?"}' ${srv.url}/chat`);
  const stop = async () => {
    await srv.close();
    await demo.close();
    if (tracing) await tracing.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

module.exports = { startChatServer, startDemoProviders, streamFrom, resourceNode, sse, readBody, DEMO_PROVIDERS };
