// Package exec is CEG's executor (docs/DESIGN.md#executor): a host-driven state machine
// that walks an execution plan tick by tick, applies the dilation field D,
// fails over and hot-swaps failing resources, and writes the causal audit
// trace (docs/DESIGN.md#trace). docs/EXECUTOR.md describes the session protocol.
//
// One tick is, in order:
//
//	observe S -> update D -> evaluate constraints -> reoptimize -> hot-swap
//	-> dispatch ready steps | record outcomes -> update projections and memory
//
// Start runs tick 0 up to the dispatches and returns the actions for the
// host; each Report records the host's outcomes (the rest of the tick) and
// runs the next tick up to its dispatches. Run (exec.run) drives the same
// machine from a Scenario instead of a host.
//
// Guarantees:
//   - Determinism: the same inputs (graph, contract, S, options, and the
//     same sequence of reports or the same scenario) give byte-identical
//     actions, events, plans and traces. No wall clock, no map order, no
//     goroutines; the only randomness is the scenario's seeded splitmix64,
//     whose state is part of the snapshot.
//   - The invariants of docs/DESIGN.md#invariants are checked at the end of every phase
//     (see invariants.go); a violation is reported as an internal error.
//   - A session never modifies the graph, contract or state it was given.
//   - Snapshot and Restore round-trip a session exactly: a restored
//     session continues byte-identically.
//
// A Session is not safe for concurrent use.
package exec
