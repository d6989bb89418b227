'use strict';
// @convergence-io/ceg/otel: the golden mapping (shared with the Go package
// testrunner/otel), live spans and metrics through the official SDK's
// in-memory exporter and a metric reader, and a host without
// @opentelemetry/api.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const api = require('@opentelemetry/api');
const { BasicTracerProvider, SimpleSpanProcessor, InMemorySpanExporter } = require('@opentelemetry/sdk-trace-base');
const { MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics');
const { load, loadSync, CegError } = require('../index.js');
const { traceToSpans, traceToMetrics, toOtlp, instrument, INSTRUMENTS } = require('../otel.js');

const ROOT = path.join(__dirname, '..', '..', '..');
const golden = JSON.parse(fs.readFileSync(path.join(ROOT, 'testdata', 'otel', 'golden.json'), 'utf8'));
const roundTrip = (v) => JSON.parse(JSON.stringify(v));

test('golden: the same records give the Go mapping\'s spans and measurements', () => {
  assert.equal(golden.cases.length >= 6, true);
  for (const c of golden.cases) {
    assert.deepEqual(roundTrip(traceToSpans(c.records, c.options)), c.spans, c.name);
    assert.deepEqual(roundTrip(traceToMetrics(c.records, c.options)), c.metrics, c.name);
  }
});

test('a turn with two failovers: parents, statuses, events, links and attributes', () => {
  const c = golden.cases.find((x) => x.name === 'two-failovers');
  const spans = traceToSpans(c.records, c.options);
  const attrs = (s) => Object.fromEntries(s.attributes.map((kv) => [kv.key, Object.values(kv.value)[0]]));
  const [session, step, ...attempts] = spans;
  assert.equal(spans.length, 5);
  assert.equal(session.name, 'ceg.session');
  assert.equal(session.parentSpanId, '');
  assert.deepEqual(session.status, { code: 1 });
  assert.equal(session.traceId, c.records[0].hash.slice(0, 32));
  assert.equal(step.parentSpanId, session.spanId);
  assert.deepEqual(attrs(step)['ceg.step.chain'], { values: [{ stringValue: 'cirrus' }, { stringValue: 'borealis-mini' }, { stringValue: 'aurora' }] });
  assert.equal(attrs(step)['ceg.grounding.fetch_external'], true);
  assert.deepEqual(attempts.map((s) => [s.name, s.kind, s.parentSpanId, s.status.code, attrs(s)['ceg.outcome'], s.events.map((e) => e.name)]), [
    ['chat cirrus', 3, step.spanId, 2, 'error', ['ceg.breaker', 'ceg.retry']],
    ['chat borealis-mini', 3, step.spanId, 2, 'timeout', ['ceg.breaker', 'ceg.retry']],
    ['chat aurora-large-2', 3, step.spanId, 1, 'ok', ['ceg.breaker']],
  ]);
  assert.equal(attempts[0].status.message, '502 bad gateway');
  assert.deepEqual(attempts[1].links.map((l) => l.spanId), [attempts[0].spanId]);
  assert.deepEqual(attempts[2].links.map((l) => l.spanId), [attempts[1].spanId]);
  const last = attrs(attempts[2]);
  assert.equal(last['gen_ai.provider.name'], 'aurora');
  assert.equal(last['gen_ai.system'], 'aurora');
  assert.equal(last['gen_ai.request.model'], 'aurora-large-2');
  assert.equal(last['gen_ai.operation.name'], 'chat');
  assert.equal(last['gen_ai.usage.input_tokens'], '120');
  assert.equal(last['gen_ai.usage.output_tokens'], '300');
  assert.equal(last['ceg.cost.reported_usd'], 0.00084);
  assert.equal(last['ceg.cost.estimated_usd'], 0.002);
  assert.equal(last['ceg.attempt'], '3');
  assert.equal(attempts[2].endTimeUnixNano, '3250500000');
  const m = traceToMetrics(c.records, c.options);
  assert.deepEqual(m.filter((x) => x.name === 'ceg.failovers').map((x) => [x.attributes['gen_ai.provider.name'], x.attributes['ceg.failover.to']]),
    [['cirrus', 'borealis'], ['borealis', 'aurora']]);
});

test('ids are stable; traceId replaces the trace id and keeps span ids', () => {
  const c = golden.cases[0];
  const a = traceToSpans(c.records);
  assert.deepEqual(traceToSpans(c.records.map((r) => ({ ...r }))), a);
  const own = '0af7651916cd43dd8448eb211c80319c';
  const b = traceToSpans(c.records, { traceId: own });
  assert.deepEqual(b.map((s) => [s.traceId, s.spanId, s.parentSpanId]), a.map((s) => [own, s.spanId, s.parentSpanId]));
  assert.equal(new Set(a.map((s) => s.spanId)).size, a.length);
  assert.throws(() => traceToSpans(c.records, { traceId: 'nope' }), { code: 'INVALID_OPTIONS', path: 'traceId' });
  assert.throws(() => traceToSpans(c.records, { tracer: {} }), { code: 'INVALID_OPTIONS', path: 'tracer' });
  assert.throws(() => traceToSpans([{ id: 't-000001', event: 'x', at: 1 }]), { code: 'INVALID_ARGUMENT', path: 'records[0]' });
  assert.throws(() => traceToSpans('nope'), CegError);
  assert.deepEqual(traceToSpans([]), []);
});

test('toOtlp groups spans by resource into one export request', () => {
  const c = golden.cases[0];
  const spans = traceToSpans(c.records, { resource: { 'service.name': 'chat' } });
  const doc = toOtlp(spans);
  assert.equal(doc.resourceSpans.length, 1);
  assert.deepEqual(doc.resourceSpans[0].resource, { attributes: [{ key: 'service.name', value: { stringValue: 'chat' } }] });
  assert.equal(doc.resourceSpans[0].scopeSpans[0].scope.name, '@convergence-io/ceg');
  assert.equal(doc.resourceSpans[0].scopeSpans[0].spans.length, spans.length);
  assert.equal('resource' in doc.resourceSpans[0].scopeSpans[0].spans[0], false);
});

/** sdk sets up a tracer with the in-memory exporter and a meter with a pull reader. */
function sdk() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  class Reader extends MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  const reader = new Reader();
  const meters = new MeterProvider({ readers: [reader] });
  return { exporter, tracer: provider.getTracer('test'), meter: meters.getMeter('test'), reader };
}

/** otlp turns an SDK span into the golden shape, ids through `ids` (SDK id -> golden id). */
function fromSdk(s, ids) {
  const kv = (attrs) => Object.keys(attrs).sort().map((key) => ({ key, value: attrs[key] }));
  const ns = (t) => String(BigInt(t[0]) * 1000000000n + BigInt(t[1]));
  const parent = s.parentSpanContext && s.parentSpanContext.spanId;
  return {
    spanId: ids.get(s.spanContext().spanId),
    parentSpanId: parent ? ids.get(parent) || 'outside' : '',
    name: s.name,
    kind: { 0: 1, 2: 3 }[s.kind],
    startTimeUnixNano: ns(s.startTime),
    endTimeUnixNano: ns(s.endTime),
    attributes: kv(s.attributes),
    events: s.events.map((e) => ({ timeUnixNano: ns(e.time), name: e.name, attributes: kv(e.attributes || {}) })),
    links: s.links.map((l) => ({ spanId: ids.get(l.context.spanId), attributes: kv(l.attributes || {}) })),
    status: s.status.message ? { code: s.status.code, message: s.status.message } : { code: s.status.code },
  };
}

/** plain drops OTLP value types and trace ids, as the SDK's spans hold plain values. */
function plain(spans) {
  const val = (v) => ('arrayValue' in v ? v.arrayValue.values.map(val) : 'intValue' in v ? Number(v.intValue) : Object.values(v)[0]);
  const kv = (list) => list.map(({ key, value }) => ({ key, value: val(value) }));
  return spans.map((s) => ({
    spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name, kind: s.kind,
    startTimeUnixNano: s.startTimeUnixNano, endTimeUnixNano: s.endTimeUnixNano, attributes: kv(s.attributes),
    events: s.events.map((e) => ({ ...e, attributes: kv(e.attributes) })),
    links: s.links.map((l) => ({ spanId: l.spanId, attributes: kv(l.attributes) })),
    status: s.status,
  }));
}

/** replay drives a golden case's requests through the binding's helpers. */
async function replay(ceg, c) {
  let session = null;
  for (const req of c.requests) {
    const p = req.params;
    if (req.method === 'exec.start') session = await ceg.execute(p);
    else if (req.method === 'exec.report') await session.report(p.now, p.outcomes, p.swaps ? { swaps: p.swaps } : undefined);
    else if (req.method === 'exec.run') await ceg.simulate(p);
  }
  if (session) await session.close();
}

/** compareLive checks the exported spans against the golden ones, ids mapped through the record ids. */
function compareLive(finished, c) {
  const want = plain(c.spans);
  assert.equal(finished.length, want.length, c.name);
  const key = (name, attrs) => name + '@' + attrs['ceg.record.id'];
  const goldenByKey = new Map(c.spans.map((s) => [key(s.name, Object.fromEntries(s.attributes.map((kv) => [kv.key, Object.values(kv.value)[0]]))), s.spanId]));
  const ids = new Map(finished.map((s) => [s.spanContext().spanId, goldenByKey.get(key(s.name, s.attributes))]));
  const got = finished.map((s) => fromSdk(s, ids)).sort((a, b) => want.findIndex((w) => w.spanId === a.spanId) - want.findIndex((w) => w.spanId === b.spanId));
  assert.deepEqual(got, want, c.name);
  assert.equal(new Set(finished.map((s) => s.spanContext().traceId)).size, 1, 'one trace per session');
}

for (const mode of ['load', 'loadSync']) {
  test(`instrument(${mode}()): live spans through the SDK's in-memory exporter equal the golden ones`, async () => {
    for (const c of golden.cases) {
      const { exporter, tracer } = sdk();
      const ceg = mode === 'load' ? await load() : loadSync();
      assert.equal(instrument(ceg, { tracer, api, models: c.options.models, onError: (e) => { throw e; } }), ceg);
      await replay(ceg, c);
      compareLive(exporter.getFinishedSpans(), c);
      await ceg.close();
    }
  });
}

test('instrument(session) nests the turn under the host\'s span and records metrics', async () => {
  const c = golden.cases.find((x) => x.name === 'two-failovers');
  const { exporter, tracer, meter, reader } = sdk();
  const ceg = await load();
  const host = tracer.startSpan('POST /chat');
  const ctx = api.trace.setSpan(api.ROOT_CONTEXT, host);
  const [start, ...reports] = c.requests;
  const session = instrument(await ceg.execute(start.params), { tracer, meter, context: ctx, models: c.options.models });
  for (const r of reports) await session.report(r.params.now, r.params.outcomes);
  host.end();
  const spans = exporter.getFinishedSpans();
  const sessionSpan = spans.find((s) => s.name === 'ceg.session');
  assert.equal(sessionSpan.parentSpanContext.spanId, host.spanContext().spanId);
  assert.equal(sessionSpan.spanContext().traceId, host.spanContext().traceId);
  const { resourceMetrics } = await reader.collect();
  const sums = {};
  const counts = {};
  for (const sm of resourceMetrics.scopeMetrics) {
    for (const m of sm.metrics) {
      assert.equal(m.descriptor.unit, INSTRUMENTS[m.descriptor.name].unit);
      for (const dp of m.dataPoints) {
        const k = m.descriptor.name + '{' + (dp.attributes['gen_ai.provider.name'] || '') + '}';
        if (typeof dp.value === 'number') sums[k] = (sums[k] || 0) + dp.value;
        else counts[k] = (counts[k] || 0) + dp.value.count;
      }
    }
  }
  assert.deepEqual(sums, {
    'ceg.failovers{cirrus}': 1, 'ceg.failovers{borealis}': 1,
    'ceg.attempts{cirrus}': 1, 'ceg.attempts{borealis}': 1, 'ceg.attempts{aurora}': 1,
    'ceg.turns{aurora}': 1,
  });
  assert.deepEqual(counts, {
    'gen_ai.client.operation.duration{cirrus}': 1, 'gen_ai.client.operation.duration{borealis}': 1, 'gen_ai.client.operation.duration{aurora}': 1,
    'ceg.cost{aurora}': 1, 'gen_ai.client.token.usage{aurora}': 2,
  });
  await ceg.close();
});

test('telemetry never breaks the host: a failing tracer goes to onError', async () => {
  const ceg = loadSync();
  const errors = [];
  const tracer = { startSpan() { throw new Error('exporter down'); } };
  instrument(ceg, { tracer, api, onError: (e) => errors.push(e.message) });
  const c = golden.cases.find((x) => x.name === 'two-failovers');
  const s = ceg.execute(c.requests[0].params);
  assert.equal(s.status, 'running');
  assert.deepEqual(errors, ['exporter down']);
  assert.throws(() => instrument(ceg, {}), { code: 'INVALID_OPTIONS' });
  assert.throws(() => instrument(null, { tracer }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => instrument(ceg, { tracer, bogus: 1 }), { code: 'INVALID_OPTIONS', path: 'bogus' });
  ceg.close();
});

test('nothing loads @opentelemetry/api unless instrument() is called', () => {
  const out = execFileSync(process.execPath, ['-e', `
    const ceg = require(${JSON.stringify(path.join(ROOT, 'bindings/js/index.js'))}).loadSync();
    const otel = require(${JSON.stringify(path.join(ROOT, 'bindings/js/otel.js'))});
    const g = require(${JSON.stringify(path.join(ROOT, 'testdata/otel/golden.json'))});
    otel.traceToSpans(g.cases[0].records); otel.traceToMetrics(g.cases[0].records);
    ceg.version();
    const before = Object.keys(require.cache).filter((k) => k.includes('@opentelemetry')).length;
    otel.instrument(ceg, { tracer: { startSpan() {} } });
    const after = Object.keys(require.cache).filter((k) => k.includes('@opentelemetry')).length;
    console.log(before, after > 0);
  `], { encoding: 'utf8' });
  assert.equal(out.trim(), '0 true');
});

test('a host without @opentelemetry/api installed uses everything else', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ceg-no-otel-'));
  try {
    const pkg = path.join(dir, 'node_modules', '@convergence-io', 'ceg');
    fs.mkdirSync(path.join(pkg, 'bindings', 'js'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
    for (const f of fs.readdirSync(path.join(ROOT, 'bindings', 'js'))) {
      if (/\.(js|mjs|d\.ts|wasm)$/.test(f)) fs.copyFileSync(path.join(ROOT, 'bindings', 'js', f), path.join(pkg, 'bindings', 'js', f));
    }
    fs.copyFileSync(path.join(ROOT, 'testdata', 'otel', 'golden.json'), path.join(dir, 'golden.json'));
    fs.writeFileSync(path.join(dir, 'host.cjs'), `
      const { loadSync } = require('@convergence-io/ceg');
      const { traceToSpans, instrument } = require('@convergence-io/ceg/otel');
      const g = require('./golden.json');
      const ceg = loadSync();
      const s = ceg.execute(g.cases[0].requests[0].params);
      let code = 'none';
      try { instrument(ceg, { tracer: {} }); } catch (e) { code = e.code; }
      console.log(s.status, traceToSpans(g.cases[0].records).length, code);
    `);
    fs.writeFileSync(path.join(dir, 'host.mjs'), `
      import { load } from '@convergence-io/ceg';
      import { traceToSpans } from '@convergence-io/ceg/otel';
      import { readFileSync } from 'node:fs';
      const g = JSON.parse(readFileSync(new URL('./golden.json', import.meta.url)));
      const ceg = await load();
      console.log((await ceg.version()).abi !== undefined, traceToSpans(g.cases[0].records).length);
    `);
    const env = { ...process.env, NODE_PATH: '' };
    assert.equal(execFileSync(process.execPath, ['host.cjs'], { cwd: dir, encoding: 'utf8', env }).trim(), 'running 5 OTEL_API_MISSING');
    assert.equal(execFileSync(process.execPath, ['host.mjs'], { cwd: dir, encoding: 'utf8', env }).trim(), 'true 5');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
