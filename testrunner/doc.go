// Package testrunner loads the shipped module (bindings/js/ceg.wasm) with
// wazero and talks to it through its four exports only. It is the Go host
// used by the wasm tests, the benchmarks and the cegcall CLI.
//
// A Module detects a trapped instance (any error from an export call),
// discards it, instantiates a fresh one from the compiled module and
// reports the trap to the caller as ErrTrapped; the next call works.
//
// Configuration follows docs/DESIGN.md#pitfalls: the compiler engine with a compilation
// cache on disk, `_initialize` as the start function, the guest's stderr
// captured, and never WithCloseOnContextDone (it makes Go-built wasm about
// 5x slower).
//
// The subpackage testrunner/otel maps the module's trace records to
// OpenTelemetry spans and metrics for Go hosts, as the JS binding's
// @convergence-io/ceg/otel does.
package testrunner
