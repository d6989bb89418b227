// Package api is CEG's JSON-RPC 2.0 surface (docs/DESIGN.md#methods): an Engine takes one
// request (an object or a batch array) as bytes and returns the response
// bytes. The wasm module is a thin shell around it, so the native engine and
// the module answer every request with the same bytes.
//
// Guarantees:
//   - Handle never panics: a panic inside a method is recovered and answered
//     with -32603, and the engine stays usable.
//   - Every error is a JSON-RPC error object whose data carries a stable
//     string code and, for bad params, the JSON path of the offending field
//     relative to params.
//   - A method that fails changes nothing it was given (graph.apply is
//     all-or-nothing).
//   - Responses are deterministic: the same sequence of requests gives the
//     same bytes on every platform.
//   - Limits (request bytes, batch size, nodes, edges, live handles and
//     sessions) are enforced as LIMIT_EXCEEDED errors.
//
// An Engine is not safe for concurrent use; hosts serialise calls.
package api
