// Types of @convergence-io/ceg/otel: OpenTelemetry spans and metrics from
// CEG trace records. The mapping is documented in docs/JS.md
// ("OpenTelemetry"). Nothing here needs @opentelemetry/api's types: the
// tracer, meter and API are described by the members the module uses, so a
// host without the package still type-checks.
import type { ExecutionPlan, TraceRecord, Session, CegApi } from './index.js';

/** An OTLP attribute value: exactly one field is set (intValue is a decimal string). */
export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: AnyValue[] };
}

export interface KeyValue {
  key: string;
  value: AnyValue;
}

/** A span in the OTLP/JSON shape. */
export interface OtlpSpan {
  /** 32 hex digits: the session_start record's hash prefix, or options.traceId. */
  traceId: string;
  /** 16 hex digits, a slice of the opening record's hash. */
  spanId: string;
  /** '' for the session span. */
  parentSpanId: string;
  name: string;
  /** 1 internal (session, step), 3 client (attempt). */
  kind: 1 | 3;
  /** Unix nanoseconds as a decimal string. */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  /** Sorted by key. */
  attributes: KeyValue[];
  events: { timeUnixNano: string; name: string; attributes: KeyValue[] }[];
  /** A later attempt links to the previous attempt of its step. */
  links: { traceId: string; spanId: string; attributes: KeyValue[] }[];
  /** 0 unset, 1 ok, 2 error. */
  status: { code: 0 | 1 | 2; message?: string };
  /** Present when options.resource was given. */
  resource?: { attributes: KeyValue[] };
}

export type AttributeValue = string | number | boolean | string[];

export interface Measurement {
  name: string;
  kind: 'counter' | 'histogram';
  unit: string;
  value: number;
  attributes: Record<string, AttributeValue>;
}

export interface MappingOptions {
  /** The session's plans: steps and attempts gain estimates, grounding and rejections. */
  plans?: ExecutionPlan[];
  /** Resource id -> model name for gen_ai.request.model (default: the resource id). */
  models?: Record<string, string>;
  /** gen_ai.operation.name (default 'chat'). */
  operation?: string;
}

export interface SpanOptions extends MappingOptions {
  /** Attributes of the OTel resource each span carries. */
  resource?: Record<string, AttributeValue>;
  /** 32 lower-case hex digits replacing the derived trace id (span ids stay derived). */
  traceId?: string;
}

/** Spans of one session's records, in the order they open; pure, no dependency. */
export function traceToSpans(records: TraceRecord[], options?: SpanOptions): OtlpSpan[];

/** The metric measurements the records give, in record order. */
export function traceToMetrics(records: TraceRecord[], options?: MappingOptions): Measurement[];

/** An OTLP/JSON ExportTraceServiceRequest: spans grouped by resource, scope @convergence-io/ceg. */
export function toOtlp(spans: OtlpSpan[]): {
  resourceSpans: { resource: { attributes: KeyValue[] }; scopeSpans: { scope: { name: string; version: string }; spans: OtlpSpan[] }[] }[];
};

/** The members of an @opentelemetry/api Span the module uses. */
export interface SpanLike {
  spanContext(): unknown;
  setAttributes(attributes: Record<string, AttributeValue>): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  addEvent(name: string, attributes?: Record<string, AttributeValue>, time?: [number, number]): unknown;
  end(time?: [number, number]): void;
}

/** An @opentelemetry/api Tracer. */
export interface TracerLike {
  startSpan(name: string, options?: object, context?: unknown): SpanLike;
}

/** An @opentelemetry/api Meter. */
export interface MeterLike {
  createCounter(name: string, options?: object): { add(value: number, attributes?: Record<string, AttributeValue>): void };
  createHistogram(name: string, options?: object): { record(value: number, attributes?: Record<string, AttributeValue>): void };
}

export interface InstrumentOptions extends MappingOptions {
  tracer?: TracerLike;
  meter?: MeterLike;
  /** The @opentelemetry/api module (default: require('@opentelemetry/api') when instrument is called). */
  api?: object;
  /** Parent context of the session spans (default: the active context). */
  context?: unknown;
  /** Where mapping errors go (default: one console.warn); telemetry never throws into the host. */
  onError?: (error: Error) => void;
}

/**
 * Emits spans and metrics live as sessions advance: given a Session, its
 * turns; given the object load()/loadSync() returned, every session that
 * execute() and restore() start and every simulate() run. Returns its argument.
 */
export function instrument<T extends Session<boolean> | CegApi<boolean>>(target: T, options: InstrumentOptions): T;

/** The metric instruments: name -> kind, unit, description, bucket boundaries. */
export const INSTRUMENTS: Record<string, { kind: 'counter' | 'histogram'; unit: string; description: string; buckets?: number[] }>;

/** The instrumentation scope name. */
export const SCOPE: string;
