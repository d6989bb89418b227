'use strict';
/*
 * demo-chat.js: the main job, end to end (`make demo`, `npm run demo`).
 *
 *   node examples/node/demo-chat.js
 *
 * Starts the mock LLM providers and the streaming chat server in this
 * process on ephemeral loopback ports, sends a few chat turns through the
 * server's HTTP server-sent-events endpoint and prints a transcript per
 * turn: the failover chain the executor session planned (with costs), each
 * attempt with its outcome and latency, failovers, and the answer. Then the
 * breakers the sessions carried from turn to turn (GET /health) and the last
 * session's trace, checked with verifyTrace (GET /trace), and where the
 * turns' OpenTelemetry spans went: an OTLP/JSON file (CEG_OTEL_FILE, default
 * ceg-demo-spans-<pid>.jsonl in the temp folder) written by the SDK through
 * otel-file.js. Exits 0 when every turn behaved as expected, 1 otherwise (or
 * after 15 s).
 */

const os = require('node:os');
const path = require('node:path');
const { load, CegError } = require('@convergence-io/ceg');
const { startChatServer, startDemoProviders, DEMO_PROVIDERS } = require('./chat-server.js');
const { fileTracing, readSpans } = require('./otel-file.js');

const DEADLINE_MS = 15000;
const TURN_TIMEOUT_MS = 8000;

/**
 * The providers: the chat server's demo set, with aurora's reply breaking
 * off mid-stream on its third call (its tokens are discarded) and cirrus
 * slow enough to miss its deadline but not to hold up the shutdown.
 */
const PROVIDERS = DEMO_PROVIDERS.map((p) => {
  if (p.name === 'aurora') return { ...p, sequence: ['healthy', 'healthy', 'drop', 'healthy'] };
  if (p.behavior === 'slow') return { ...p, delayMs: 2000 };
  return p;
});

const TURNS = [
  'Hello! What can you help me with?',
  'What are the latest prices of gold vs silver today, and why did they move??',
  'Summarise that in one sentence.',
  'Thanks. How long does delivery usually take?',
];

const money = (usd) => (typeof usd === 'number' ? `$${usd.toFixed(usd !== 0 && usd < 0.0001 ? 6 : 4)}` : '-');
const ms = (v) => `${Math.round(v)} ms`;
const secondsFrom = (at, now) => `${((at - now) / 1000).toFixed(1)} s`;

/** sseEvents yields {event, data} from a text/event-stream response as it arrives. */
async function* sseEvents(res) {
  const decoder = new TextDecoder();
  let buf = '';
  const parse = (block) => {
    const ev = {};
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) ev.event = line.slice(7);
      else if (line.startsWith('data: ')) ev.data = JSON.parse(line.slice(6));
    }
    return ev;
  };
  for await (const chunk of res.body) {
    buf += decoder.decode(chunk, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (block.trim()) yield parse(block);
    }
  }
  if (buf.trim()) yield parse(buf);
}

/** groundingText describes a grounding policy. */
function groundingText(g) {
  if (!g) return 'no grounding policy';
  if (!g.fetchExternal) return 'no external fetch';
  return `fetch external sources, up to ${g.maxResults} results from at least ${g.minSources} sources${g.deepMode ? ', deep mode' : ''}`;
}

/**
 * runTurn sends one message and prints the turn as its events arrive.
 * @returns {Promise<{end: string, failovers: number, discarded: number, provider?: string, order: string[]}>}
 */
async function runTurn(url, n, message) {
  console.log(`\n== turn ${n}: "${message}"`);
  const res = await fetch(`${url}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message }),
    signal: AbortSignal.timeout(TURN_TIMEOUT_MS),
  });
  if (res.status !== 200 || res.headers.get('content-type') !== 'text/event-stream') {
    throw new Error(`turn ${n}: HTTP ${res.status} ${await res.text()}`);
  }
  const result = { end: 'none', failovers: 0, discarded: 0, order: [] };
  let current = null; // the attempt being streamed
  let answer = '';
  const line = (a, outcome, detail) => console.log(`  attempt ${a.attempt}  ${a.resource.padEnd(13)} ${`(${a.provider})`.padEnd(10)} ${outcome.padEnd(7)} ${ms(a.latencyMs).padStart(7)}  ${detail}`);
  for await (const { event, data } of sseEvents(res)) {
    switch (event) {
      case 'plan': {
        result.order = data.order;
        console.log(`  D ${data.d.toFixed(2)}; grounding: ${groundingText(data.grounding)}`);
        console.log(`  session ${data.session}, plan ${data.planId}`);
        console.log(`  failover chain (estimated cost): ${data.chain.map((c) => `${c.resource} ${money(c.estimatedCost)}`).join(' -> ') || '(none)'}`);
        const down = new Map();
        for (const r of data.rejected || []) {
          const why = `${r.reason}${r.detail ? ` (${r.detail})` : ''}`;
          down.set(why, [...(down.get(why) || []), r.resource]);
        }
        for (const [why, rs] of down) console.log(`  rejected ${rs.join(', ')}: ${why}`);
        break;
      }
      case 'attempt':
        current = { ...data, tokens: 0 };
        answer = '';
        break;
      case 'token':
        if (current) current.tokens++;
        answer += data.text;
        break;
      case 'failover': {
        result.failovers++;
        const a = { ...current, ...data };
        const reason = data.reason.replace(/^\w+: /, '');
        if (data.discard) result.discarded += current ? current.tokens : 0;
        line(a, data.reason.split(':')[0], `${reason}${data.discard ? `; ${current ? current.tokens : 'its'} streamed tokens discarded` : ''}`);
        current = null;
        break;
      }
      case 'done':
        result.end = 'done';
        result.provider = data.provider;
        line({ ...current, ...data }, 'ok', `${data.tokens} tokens, ${money(data.cost)}`);
        console.log(`  answer (${data.provider}, attempt ${data.attempt} of ${data.attempts}): ${answer}`);
        break;
      case 'error':
        result.end = 'error';
        console.log(`  error: ${data.message}${data.code ? ` (${data.code})` : ''}`);
        break;
      default:
        console.log(`  (unknown event ${event})`);
    }
  }
  return result;
}

async function main() {
  // `node demo-chat.js | head` closes stdout early: that is not a failure.
  process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); });
  const watchdog = setTimeout(() => {
    console.error(`demo-chat: still running after ${DEADLINE_MS / 1000} s`);
    process.exit(1);
  }, DEADLINE_MS);
  watchdog.unref();

  const ceg = await load();
  const v = await ceg.version();
  const demo = await startDemoProviders(PROVIDERS);
  const tracing = fileTracing(process.env.CEG_OTEL_FILE || path.join(os.tmpdir(), `ceg-demo-spans-${process.pid}.jsonl`));
  let srv;
  const problems = [];
  try {
    srv = await startChatServer({ providers: demo.providers, ceg, maxStreamMs: 5000, tracer: tracing.tracer });
    console.log(`CEG ${v.module} (ABI ${v.abi}): a streaming chat server whose turns are executor sessions`);
    for (const m of demo.mocks) {
      const models = PROVIDERS.filter((p) => (p.mock || p.name) === m.name).map((p) => p.name);
      console.log(`  mock provider ${m.name.padEnd(9)} ${m.behavior.padEnd(29)} ${m.url}${models.length > 1 || models[0] !== m.name ? `  models: ${models.join(', ')}` : ''}`);
    }
    console.log(`  chat server ${srv.url}  (POST /chat, GET /health, GET /trace)`);

    const results = [];
    for (let i = 0; i < TURNS.length; i++) results.push(await runTurn(srv.url, i + 1, TURNS[i]));

    const health = await (await fetch(`${srv.url}/health`, { signal: AbortSignal.timeout(5000) })).json();
    console.log(`\n== breakers carried across ${health.turns} turns (GET /health)`);
    for (const [p, b] of Object.entries(health.breakers)) {
      const extra = [`errors ${b.errors}`, `level ${b.level}`];
      if (b.openUntil !== undefined) extra.push(b.openUntil > health.now ? `open for another ${secondsFrom(b.openUntil, health.now)}` : 'probe due');
      if (b.latencyEmaMs !== undefined) extra.push(`latency EMA ${ms(b.latencyEmaMs)}`);
      console.log(`  ${p.padEnd(9)} ${b.state.padEnd(13)} ${extra.join(', ')}`);
    }

    const traceRes = await fetch(`${srv.url}/trace`, { signal: AbortSignal.timeout(5000) });
    const jsonl = await traceRes.text();
    const records = jsonl.trim().split('\n').map((l) => JSON.parse(l));
    const verified = await ceg.verifyTrace(jsonl);
    const byEvent = new Map();
    for (const r of records) byEvent.set(r.event, (byEvent.get(r.event) || 0) + 1);
    console.log(`\n== trace of the last session ${traceRes.headers.get('x-ceg-session')} (GET /trace)`);
    console.log(`  ${records.length} records: ${[...byEvent].map(([e, c]) => `${e} ${c}`).join(', ')}`);
    console.log(`  hash chain ${records[0].hash.slice(0, 12)}… -> ${records.at(-1).hash.slice(0, 12)}…`);
    console.log(`  verifyTrace: valid ${verified.valid}, count ${verified.count}`);

    await tracing.shutdown();
    const spans = readSpans(tracing.file);
    const sessions = spans.filter((s) => s.name === 'ceg.session');
    const attr = (s, k) => { const kv = s.attributes.find((a) => a.key === k); return kv && Object.values(kv.value)[0]; };
    console.log(`\n== OpenTelemetry: ${spans.length} spans of ${sessions.length} turns -> ${tracing.file}`);
    console.log('  (OTLP/JSON, one export request per line: a collector\'s otlpjsonfile receiver forwards them to Jaeger, Tempo, Langfuse...)');
    for (const s of sessions) {
      const attempts = spans.filter((a) => a.traceId === s.traceId && a.kind === 3)
        .sort((a, b) => Number(attr(a, 'ceg.attempt')) - Number(attr(b, 'ceg.attempt')))
        .map((a) => `${a.name.replace(/^chat /, '')} ${attr(a, 'ceg.outcome')}`);
      console.log(`  trace ${s.traceId.slice(0, 8)}… session ${attr(s, 'ceg.session.id')} ${attr(s, 'ceg.session.status')}: ${attempts.join(', ')}`);
    }

    // What the demo is for; anything else is a failure.
    results.forEach((r, i) => { if (r.end !== 'done') problems.push(`turn ${i + 1} ended with ${r.end}`); });
    if (results[0].failovers < 1) problems.push('turn 1 did not fail over');
    if (!health.breakers.borealis || health.breakers.borealis.state !== 'circuit_open') problems.push('borealis\'s circuit is not open');
    if (results.slice(1).some((r) => r.order.some((x) => x.startsWith('borealis')))) problems.push('a later turn was planned onto borealis');
    if (!results.some((r) => r.discarded > 0)) problems.push('no discarded tokens were flagged');
    if (!verified.valid || verified.count !== records.length) problems.push(`the trace does not verify: ${JSON.stringify(verified)}`);
    if (sessions.length !== TURNS.length) problems.push(`${sessions.length} session spans were exported for ${TURNS.length} turns`);
  } finally {
    await tracing.shutdown();
    if (srv) await srv.close();
    await demo.close();
    await ceg.close();
  }
  if (problems.length) {
    console.error(`\ndemo-chat: FAILED\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log('\ndemo-chat: ok');
  }
}

main().catch((e) => {
  console.error('demo-chat:', e instanceof CegError ? `${e.code}: ${e.message}${e.path ? ` (at ${e.path})` : ''}` : e);
  process.exit(1);
});
