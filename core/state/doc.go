// Package state is S, the system state a request brings in (SPEC §3):
// per-provider health, latency and circuit-breaker state, memory load and
// policy. State values override node values. It also holds the circuit
// breaker (SPEC §5.7), whose only clock is the host's `now`.
//
// Everything here encodes with sorted keys.
package state
