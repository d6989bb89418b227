// Compiled by `npm run typecheck`, never run: the typed API of
// @convergence-io/ceg/otel as a TypeScript host uses it.
import { loadSync } from '@convergence-io/ceg';
import { traceToSpans, traceToMetrics, toOtlp, instrument, INSTRUMENTS } from '@convergence-io/ceg/otel';
import type { OtlpSpan, Measurement, TracerLike, SpanLike } from '@convergence-io/ceg/otel';

const span: SpanLike = {
  spanContext: () => ({}),
  setAttributes: () => undefined,
  setStatus: () => undefined,
  addEvent: () => undefined,
  end: () => undefined,
};
const tracer: TracerLike = { startSpan: () => span };

export function otelHost(): number {
  const ceg = instrument(loadSync(), { tracer, models: { gpt: 'gpt-4o' }, onError: (e: Error) => console.warn(e.message) });
  const session = ceg.execute({ graph: { nodes: [], edges: [] }, contract: { id: 'c', intent: 'hi' } });
  instrument(session, { tracer, operation: 'chat' });
  const records = session.events;
  const spans: OtlpSpan[] = traceToSpans(records, { plans: session.plan ? [session.plan] : [], resource: { 'service.name': 'chat' }, traceId: '0af7651916cd43dd8448eb211c80319c' });
  const first: string = spans[0].spanId + spans[0].parentSpanId + spans[0].startTimeUnixNano;
  const metrics: Measurement[] = traceToMetrics(records);
  const doc = toOtlp(spans);
  const scope: string = doc.resourceSpans[0].scopeSpans[0].scope.name;
  const unit: string = INSTRUMENTS['ceg.cost'].unit;
  return first.length + metrics.length + scope.length + unit.length + spans[0].status.code;
}
