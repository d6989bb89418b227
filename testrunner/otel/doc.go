// Package otel maps CEG trace records to OpenTelemetry spans and metrics
// for Go hosts, the same mapping as the JS binding's
// `@convergence-io/ceg/otel`: the same records give the same spans, byte
// for byte in the OTLP/JSON shape, whether they came from the engine
// natively, from the module under wazero or from Node. Both
// implementations are checked against testdata/otel/golden.json.
//
// Spans returns plain OTLP/JSON spans; Stubs turns them into the SDK's
// read-only spans, so Export hands them to any sdktrace.SpanExporter (the
// in-memory exporter in tests, an OTLP exporter in a service) with the ids
// the records determine. Measurements and Metrics do the same for metrics
// through an OpenTelemetry meter.
//
// The mapping, in short (docs/JS.md has the attribute table):
//   - one trace per session: traceId is the first 32 hex digits of the
//     session_start record's hash;
//   - a session span (session_start .. session_end), a step span per plan
//     step (first dispatch .. complete, final fail or cancel) and a CLIENT
//     span per attempt (dispatch .. its outcome or rollback), named
//     "{operation} {model}" as the GenAI semantic conventions ask; span ids
//     are slices of the opening record's hash;
//   - a later attempt of a step links to the previous one;
//   - every other record but activate and projection is an event on the
//     span its causal parent belongs to (a breaker change lands on the
//     attempt that caused it).
//
// Nothing here is used by the module itself: the core stays free of
// OpenTelemetry.
package otel
