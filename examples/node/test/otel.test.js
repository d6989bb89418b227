'use strict';
// The chat server's OpenTelemetry export: a turn's spans through the
// official SDK, to its in-memory exporter and to the OTLP/JSON file exporter
// of otel-file.js, which must agree.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { BasicTracerProvider, SimpleSpanProcessor, InMemorySpanExporter } = require('@opentelemetry/sdk-trace-base');
const { startChatServer, startDemoProviders, DEMO_PROVIDERS } = require('../chat-server.js');
const { OtlpJsonFileExporter, readSpans, otlpSpan } = require('../otel-file.js');
const { chat } = require('./sse.js');

test('a chat turn exports its request, session, step and attempt spans with the SDK, to memory and to an OTLP/JSON file', { timeout: 15000 }, async (t) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ceg-otel-')), 'spans.jsonl');
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory), new SimpleSpanProcessor(new OtlpJsonFileExporter(file))] });
  const demo = await startDemoProviders(DEMO_PROVIDERS.map((p) => (p.behavior === 'slow' ? { ...p, delayMs: 2000 } : p)));
  const srv = await startChatServer({ providers: demo.providers.map((p) => (p.name === 'aurora' ? { ...p, model: 'aurora-large-2' } : p)), maxStreamMs: 5000, tracer: provider.getTracer('test') });
  t.after(async () => {
    await srv.close();
    await demo.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
  const events = await chat(srv.url, 'hello world');
  const attempts = events.filter((e) => e.event === 'attempt').map((e) => e.data);
  const done = events.at(-1);
  assert.equal(done.event, 'done');
  await provider.forceFlush();

  const spans = memory.getFinishedSpans();
  const http = spans.find((s) => s.name === 'POST /chat');
  const session = spans.find((s) => s.name === 'ceg.session');
  const step = spans.find((s) => s.name === 'ceg.step step-intent');
  const tries = spans.filter((s) => s.kind === 2).sort((a, b) => a.attributes['ceg.attempt'] - b.attributes['ceg.attempt']);
  assert.equal(spans.length, 3 + attempts.length);
  assert.equal(http.kind, 1, 'a server span');
  assert.equal(session.parentSpanContext.spanId, http.spanContext().spanId, 'the turn nests under the HTTP request');
  assert.ok(spans.every((s) => s.spanContext().traceId === http.spanContext().traceId), 'one trace per request');
  assert.equal(session.attributes['ceg.session.status'], 'complete');
  assert.equal(step.parentSpanContext.spanId, session.spanContext().spanId);
  assert.deepEqual(tries.map((s) => s.attributes['ceg.resource.id']), attempts.map((a) => a.resource));
  assert.ok(tries.every((s) => s.parentSpanContext.spanId === step.spanContext().spanId));
  assert.deepEqual(tries.map((s) => s.status.code), attempts.map((a, i) => (i === attempts.length - 1 ? 1 : 2)));
  const last = tries.at(-1);
  assert.equal(last.attributes['gen_ai.provider.name'], done.data.provider);
  if (done.data.provider === 'aurora') assert.equal(last.name, 'chat aurora-large-2');
  assert.equal(last.attributes['ceg.usage.tokens'], done.data.tokens);
  assert.equal(last.attributes['ceg.cost.reported_usd'], done.data.cost);
  assert.ok(tries.slice(0, -1).every((s) => s.events.some((e) => e.name === 'ceg.retry')), 'every failed attempt records its failover');
  assert.ok(typeof step.attributes['ceg.cost.estimated_usd'] === 'number' && step.attributes['ceg.grounding.fetch_external'] !== undefined);

  // The file holds the same spans, in OTLP/JSON.
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  assert.equal(lines.length, spans.length, 'one export request per span (SimpleSpanProcessor)');
  const fromFile = readSpans(file);
  assert.deepEqual(fromFile, spans.map(otlpSpan));
  const doc = JSON.parse(lines[0]);
  assert.equal(doc.resourceSpans[0].scopeSpans[0].scope.name, 'test');
  assert.ok(fromFile.every((s) => /^[0-9a-f]{32}$/.test(s.traceId) && /^[0-9a-f]{16}$/.test(s.spanId)));
  await provider.shutdown();
});
