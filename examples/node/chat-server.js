'use strict';
/*
 * chat-server.js: a streaming chat server that plans every turn with CEG and
 * fails over across LLM providers.
 *
 *   node examples/node/chat-server.js            # starts mock providers + the server
 *   curl -N -d '{"message":"hello"}' http://127.0.0.1:8787/chat
 *
 * POST /chat {message} answers with server-sent events:
 *   plan      {order, d, grounding, planId}   the failover chain CEG chose
 *   attempt   {provider, attempt, deadlineMs}
 *   token     {text}
 *   failover  {provider, reason, discard}     discard: drop the tokens of this attempt
 *   done      {provider, attempts, latencyMs}
 *   error     {message, code?}                no provider could answer
 * GET /health shows what the server knows about each provider.
 *
 * Each turn: estimate the message's dilation D and grounding, plan one
 * implicit chat intent over the provider resources with plan.optimize (the
 * graph is created once and referenced by handle; S carries the breakers
 * and observed latencies), then stream from the chosen provider, failing
 * over along the plan's fallbacks on an error or a missed deadline. Outcomes
 * feed the breakers, so the next turn's plan avoids a failing provider.
 */

const http = require('node:http');
const { load, CegError } = require('@convergence-io/ceg');
const { Breakers } = require('./breakers.js');

const MAX_BODY = 64 * 1024;
const LATENCY_TOLERANCE = 2; // SPEC §5.3: the deadline is τ · 2

/**
 * resourceNode turns a provider description into a CEG resource node.
 * @param {{name: string, costPerToken?: number, costPerCall?: number, latencyTargetMs?: number}} p
 */
function resourceNode(p) {
  const n = { id: p.name, kind: 'resource', resourceKind: 'llm', provider: p.name, capabilities: ['chat'] };
  for (const k of ['costPerToken', 'costPerCall', 'latencyTargetMs']) if (p[k] !== undefined) n[k] = p[k];
  return n;
}

/**
 * cegPlanner plans a turn with plan.optimize and returns the failover chain
 * [{name, deadlineMs}], best first, plus what the plan said.
 * @param {import('@convergence-io/ceg').Ceg} ceg
 * @param {Array<{name: string, latencyTargetMs?: number}>} providers
 */
function cegPlanner(ceg, providers) {
  const doc = { nodes: providers.map(resourceNode), edges: [] };
  let graph = null;
  const target = (p) => p.latencyTargetMs === undefined ? 2000 : p.latencyTargetMs;
  const byName = new Map(providers.map((p) => [p.name, p]));

  return async function plan(message, state) {
    if (!graph) graph = await ceg.graph(doc);
    const params = () => ({ graph, contract: { id: 'chat-turn', intent: message }, state });
    let planned;
    try {
      planned = await ceg.optimize(params());
    } catch (e) {
      // The instance was replaced after a trap: its handles are gone.
      if (!(e instanceof CegError) || (e.code !== 'UNKNOWN_HANDLE' && e.code !== 'INSTANCE_TRAPPED')) throw e;
      graph = await ceg.graph(doc);
      planned = await ceg.optimize(params());
    }
    const step = planned.feasible ? planned.steps[0] : null;
    if (!step) return { order: [], plan: planned };
    const order = [{ name: step.resource, deadlineMs: step.deadlineMs }].concat(step.fallbacks.map((f) => ({
      name: f.resource,
      deadlineMs: target(byName.get(f.resource)) * LATENCY_TOLERANCE,
    })));
    return { order, plan: planned };
  };
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
 * within deadlineMs and the whole reply within maxStreamMs.
 * @returns {Promise<{tokens: number, latencyMs: number}>} or throws {kind, message}.
 */
async function streamFrom(url, message, deadlineMs, maxStreamMs, onToken) {
  const started = Date.now();
  const ctrl = new AbortController();
  let why = 'timeout';
  let timer = setTimeout(() => ctrl.abort(), deadlineMs);
  const fail = (kind, msg) => Object.assign(new Error(msg), { kind });
  try {
    const res = await fetch(`${url}/v1/chat`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }), signal: ctrl.signal,
    });
    if (!res.ok) {
      why = 'error';
      throw fail('error', `HTTP ${res.status}`);
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
        return { tokens, latencyMs: Date.now() - started };
      }
    }
    why = 'error';
    throw fail('error', 'the stream ended without done');
  } catch (e) {
    if (e.kind) throw e;
    if (ctrl.signal.aborted && why === 'timeout') throw fail('timeout', `no reply within ${Math.round(deadlineMs)} ms`);
    throw fail('error', e.message);
  } finally {
    clearTimeout(timer);
  }
}

function sse(res, event, data) {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
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

/**
 * startChatServer starts the chat server.
 * @param {object} o
 * @param {Array<{name: string, url: string, costPerToken?: number, costPerCall?: number, latencyTargetMs?: number}>} o.providers
 * @param {string} [o.host] default 127.0.0.1
 * @param {number} [o.port] default 0 (ephemeral)
 * @param {import('@convergence-io/ceg').Ceg} [o.ceg] an engine (default: load())
 * @param {(message: string, state: object) => Promise<{order: Array<{name: string, deadlineMs: number}>, plan?: object}>} [o.planner] default: cegPlanner
 * @param {number} [o.maxStreamMs] cap on one attempt once it streams (default 30000)
 * @param {() => number} [o.now] host clock for the breakers (default Date.now)
 * @returns {Promise<{url: string, close(): Promise<void>, breakers: Breakers}>}
 */
async function startChatServer(o) {
  const ceg = o.ceg || await load();
  const providers = new Map(o.providers.map((p) => [p.name, p]));
  const planner = o.planner || cegPlanner(ceg, o.providers);
  const maxStreamMs = o.maxStreamMs || 30000;
  const now = o.now || Date.now;
  const breakers = new Breakers();

  async function turn(message, res) {
    const [est, turnPlan] = await Promise.all([ceg.estimate(message), planner(message, breakers.state(now()))]);
    const grounding = await ceg.grounding(est.d);
    const order = turnPlan.order.filter((s) => providers.has(s.name));
    sse(res, 'plan', { order: order.map((s) => s.name), d: est.d, grounding, planId: turnPlan.plan && turnPlan.plan.id });
    if (order.length === 0) {
      const inf = turnPlan.plan && turnPlan.plan.infeasibility;
      sse(res, 'error', { message: 'no eligible provider for this turn', code: inf ? inf.code : undefined });
      return;
    }
    let attempts = 0;
    for (const step of order) {
      attempts++;
      const p = providers.get(step.name);
      sse(res, 'attempt', { provider: p.name, attempt: attempts, deadlineMs: step.deadlineMs });
      let sent = 0;
      try {
        const r = await streamFrom(p.url, message, step.deadlineMs, maxStreamMs, (text) => { sent++; sse(res, 'token', { text }); });
        breakers.record(p.name, { status: 'ok', latencyMs: r.latencyMs }, now());
        sse(res, 'done', { provider: p.name, attempts, latencyMs: r.latencyMs });
        return;
      } catch (e) {
        breakers.record(p.name, { status: e.kind === 'timeout' ? 'timeout' : 'error' }, now());
        sse(res, 'failover', { provider: p.name, reason: `${e.kind}: ${e.message}`, discard: sent > 0 });
      }
    }
    sse(res, 'error', { message: `every provider failed (${attempts} attempts)` });
  }

  const server = http.createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && req.url === '/health') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(breakers.state(now()), null, 2));
        return;
      }
      if (req.method !== 'POST' || req.url !== '/chat') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('POST /chat {"message": "..."} (server-sent events); GET /health\n');
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
      await turn(message, res);
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
    breakers,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/**
 * The providers `node chat-server.js` starts: two healthy, one failing, one
 * slow. The broken ones promise the lowest latency and cost, so they are
 * planned first until their errors count against them.
 */
const DEMO_PROVIDERS = [
  { name: 'borealis', behavior: 'failing', costPerToken: 0.0000005, latencyTargetMs: 300 },
  { name: 'cirrus', behavior: 'slow', delayMs: 5000, costPerToken: 0.0000008, latencyTargetMs: 500 },
  { name: 'aurora', behavior: 'healthy', costPerToken: 0.000002, latencyTargetMs: 800 },
  { name: 'delta', behavior: 'healthy', costPerToken: 0.000005, latencyTargetMs: 1200 },
];

async function main() {
  const { startProviders } = require('./mock-providers.js');
  const mocks = await startProviders(DEMO_PROVIDERS);
  const providers = DEMO_PROVIDERS.map((p, i) => ({ ...p, url: mocks[i].url }));
  const port = Number(process.env.PORT || 8787);
  const srv = await startChatServer({ providers, port });
  for (const m of mocks) console.log(`mock provider ${m.name.padEnd(9)} ${m.behavior.padEnd(8)} ${m.url}`);
  console.log(`chat server on ${srv.url}\n  curl -N -d '{"message":"what is new today?"}' ${srv.url}/chat`);
  const stop = async () => {
    await srv.close();
    await Promise.all(mocks.map((m) => m.close()));
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

module.exports = { startChatServer, cegPlanner, streamFrom, DEMO_PROVIDERS };
