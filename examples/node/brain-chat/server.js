'use strict';
/*
 * brain-chat/server.js: a streaming chat server shaped like the application
 * @convergence-io/ceg/stream-chat was made for — its own provider cache, a
 * provider order per turn, a dispatch loop that walks the order and records
 * what happened, grounding decided by D and by a time cadence. Moving it to
 * planned turns changed the three `require` lines marked below and added the
 * preload line; nothing else.
 *
 *   MOCK_URLS='{"anthropic":"http://127.0.0.1:…", …}' PORT=0 node server.js
 *
 * POST /chat {message, provider?, hint?} answers server-sent events:
 *   grounding {fetchExternal, maxResults, minSources, deepMode, due, d}
 *   order     {providers, why}
 *   attempt   {provider, attempt}
 *   token     {text}
 *   failover  {provider, error, latencyMs}
 *   done      {provider, attempts, latencyMs, tokens}
 *   error     {message, attempts}
 * GET /health  {providers: getProviderState of each, breakers}
 * Provider keys come from the environment (ANTHROPIC_API_KEY, …), as in
 * production; the mock providers ignore them.
 */

const http = require('node:http');
const { streamFrom, sse, readBody } = require('../chat-server.js');

// The three lines that changed (they were ./grounding-policy, ./brain-order
// and ./provider-cache):
const { groundingPolicy, chatDilation, isGroundingDue, GROUNDING_TICK_MS } = require('@convergence-io/ceg/stream-chat');
const { buildBrainOrder } = require('@convergence-io/ceg/stream-chat');
const { getProviderState, recordProviderSuccess, recordProviderFailure } = require('@convergence-io/ceg/stream-chat').observe(require('./provider-cache'));

const PROVIDER_TIMEOUT_MS = Number.parseInt(process.env.PROVIDER_TIMEOUT_MS || '', 10) || 3000;
const urls = JSON.parse(process.env.MOCK_URLS || '{}');
let lastGroundedAtMs = 0;

/** turn answers one chat request: grounding, order, then the dispatch loop. */
async function turn(req, res) {
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch (e) {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: e.message }));
    return;
  }
  const message = String(body.message || '');
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });

  const d = chatDilation(message);
  const policy = groundingPolicy(d);
  const due = isGroundingDue(lastGroundedAtMs, Date.now(), GROUNDING_TICK_MS);
  if (policy.fetchExternal || due) lastGroundedAtMs = Date.now();
  sse(res, 'grounding', Object.assign({ due, d }, policy));

  const order = buildBrainOrder({ requestedProvider: body.provider, hintProvider: body.hint });
  sse(res, 'order', { providers: order });
  let attempts = 0;
  for (const provider of order) {
    attempts++;
    sse(res, 'attempt', { provider, attempt: attempts });
    const started = Date.now();
    try {
      const r = await streamFrom(urls[provider], { message }, PROVIDER_TIMEOUT_MS, PROVIDER_TIMEOUT_MS * 4, (text) => sse(res, 'token', { text }));
      recordProviderSuccess(provider, { latency_ms: r.latencyMs });
      sse(res, 'done', { provider, attempts, latencyMs: r.latencyMs, tokens: r.tokens });
      res.end();
      return;
    } catch (e) {
      recordProviderFailure(provider, e.message);
      sse(res, 'failover', { provider, error: e.message, latencyMs: Date.now() - started });
    }
  }
  sse(res, 'error', { message: order.length ? `every provider failed (${attempts} attempts)` : 'no provider can take this turn', attempts });
  res.end();
}

function health(res) {
  const names = ['anthropic', 'gemini', 'openai', 'xai', 'ollama'];
  const providers = Object.fromEntries(names.map((p) => [p, getProviderState(p)]));
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ providers, breakers: require('@convergence-io/ceg/stream-chat').breakers() }));
}

async function main() {
  await require('@convergence-io/ceg/stream-chat').preload(); // the one added line: compile and warm up before listening
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/chat') turn(req, res).catch((e) => { sse(res, 'error', { message: e.message }); res.end(); });
    else if (req.method === 'GET' && req.url === '/health') health(res);
    else res.writeHead(404).end();
  });
  server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
    process.stdout.write(`listening http://127.0.0.1:${server.address().port}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  process.stderr.write(`brain-chat: ${e.stack || e}\n`);
  process.exit(1);
});
