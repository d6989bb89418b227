// Package state is S, the system state a request brings in (docs/DESIGN.md#data-model):
// per-provider health, latency and circuit-breaker state, memory load and
// policy. State values override node values. It also holds the circuit
// breaker (docs/DESIGN.md#breakers-and-hot-swap), whose only clock is the host's `now`.
//
// Everything here encodes with sorted keys.
package state
