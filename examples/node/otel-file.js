'use strict';
/*
 * otel-file.js: an OpenTelemetry span exporter that appends OTLP/JSON to a
 * local file, built on the official SDK's SpanExporter interface, and
 * fileTracing(), which wires it into the SDK's tracer provider.
 *
 *   const { fileTracing } = require('./otel-file.js');
 *   const tracing = fileTracing('/tmp/ceg-spans.jsonl');
 *   instrument(ceg, { tracer: tracing.tracer });          // @convergence-io/ceg/otel
 *   ...
 *   await tracing.shutdown();
 *
 * Each line of the file is one OTLP/JSON ExportTraceServiceRequest (the body
 * an OTLP/HTTP collector accepts at /v1/traces), so `otelcol`'s file
 * receiver, a collector's `otlpjsonfile` receiver or a short script can
 * forward it to Jaeger, Tempo, Honeycomb, Langfuse or Phoenix. The SDK's own
 * OTLP exporters need a network endpoint; this one does not.
 */

const fs = require('node:fs');
const { SpanKind } = require('@opentelemetry/api');
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = require('@opentelemetry/resources');

/** The OTLP numbers of the API's span kinds. */
const OTLP_KIND = { [SpanKind.INTERNAL]: 1, [SpanKind.SERVER]: 2, [SpanKind.CLIENT]: 3, [SpanKind.PRODUCER]: 4, [SpanKind.CONSUMER]: 5 };

const nanos = (t) => String(BigInt(t[0]) * 1000000000n + BigInt(t[1]));

function anyValue(v) {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  return { stringValue: String(v) };
}

const keyValues = (attrs) => Object.keys(attrs || {}).map((key) => ({ key, value: anyValue(attrs[key]) }));

/** otlpSpan converts one of the SDK's ReadableSpans to the OTLP/JSON shape. */
function otlpSpan(s) {
  const ctx = s.spanContext();
  const parent = s.parentSpanContext;
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: parent ? parent.spanId : '',
    name: s.name,
    kind: OTLP_KIND[s.kind] || 1,
    startTimeUnixNano: nanos(s.startTime),
    endTimeUnixNano: nanos(s.endTime),
    attributes: keyValues(s.attributes),
    events: s.events.map((e) => ({ timeUnixNano: nanos(e.time), name: e.name, attributes: keyValues(e.attributes) })),
    links: s.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, attributes: keyValues(l.attributes) })),
    status: s.status.message ? { code: s.status.code, message: s.status.message } : { code: s.status.code },
  };
}

/**
 * OtlpJsonFileExporter implements the SDK's SpanExporter: each export()
 * appends one ExportTraceServiceRequest line (spans grouped by resource and
 * instrumentation scope) to `file`.
 */
class OtlpJsonFileExporter {
  constructor(file) {
    this.file = file;
    this.spans = 0;
    this.stopped = false;
  }

  export(spans, resultCallback) {
    if (this.stopped) return resultCallback({ code: 1, error: new Error('otel-file: exporter shut down') });
    try {
      const byResource = new Map();
      for (const s of spans) {
        const res = s.resource;
        if (!byResource.has(res)) byResource.set(res, new Map());
        const scopes = byResource.get(res);
        const scope = s.instrumentationScope;
        const key = `${scope.name}@${scope.version || ''}`;
        if (!scopes.has(key)) scopes.set(key, { scope: { name: scope.name, version: scope.version || '' }, spans: [] });
        scopes.get(key).spans.push(otlpSpan(s));
      }
      const request = {
        resourceSpans: [...byResource].map(([res, scopes]) => ({
          resource: { attributes: keyValues(res.attributes) },
          scopeSpans: [...scopes.values()],
        })),
      };
      fs.appendFileSync(this.file, JSON.stringify(request) + '\n');
      this.spans += spans.length;
      resultCallback({ code: 0 });
    } catch (error) {
      resultCallback({ code: 1, error });
    }
  }

  shutdown() { this.stopped = true; return Promise.resolve(); }

  forceFlush() { return Promise.resolve(); }
}

/**
 * fileTracing starts a tracer provider whose spans go to `file` (truncated
 * first) as each span ends.
 * @param {string} file
 * @param {Record<string, string>} [resource] resource attributes (default service.name ceg-chat)
 * @returns {{tracer: import('@opentelemetry/api').Tracer, exporter: OtlpJsonFileExporter, file: string, shutdown(): Promise<void>}}
 */
function fileTracing(file, resource) {
  fs.writeFileSync(file, '');
  const exporter = new OtlpJsonFileExporter(file);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resource || { 'service.name': 'ceg-chat' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { tracer: provider.getTracer('ceg-chat'), exporter, file, shutdown: () => provider.shutdown() };
}

/** readSpans reads the spans back from such a file. */
function readSpans(file) {
  const out = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    for (const rs of JSON.parse(line).resourceSpans) for (const ss of rs.scopeSpans) out.push(...ss.spans);
  }
  return out;
}

module.exports = { OtlpJsonFileExporter, fileTracing, readSpans, otlpSpan };
