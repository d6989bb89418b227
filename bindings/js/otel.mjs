/*
 * otel.mjs: the ESM entry of @convergence-io/ceg/otel.
 *
 *   import { traceToSpans, instrument } from '@convergence-io/ceg/otel';
 *
 * It re-exports the CommonJS module: @opentelemetry/api is still loaded only
 * when instrument() is called without `api`.
 */
import otel from './otel.js';

export const { traceToSpans, traceToMetrics, toOtlp, instrument, INSTRUMENTS, SCOPE } = otel;
export default otel;
