package api

import (
	"math"

	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/state"
	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

// Reusable decode targets of plan.optimize, the per-turn call. The
// engine keeps one contract and one state and decodes each call's into
// them, keeping their memory (the state's provider maps and breakers, the
// contract's limit cells) for the next call; nothing of a call's params
// outlives its answer (plan.Optimize copies what it keeps), so the next
// decode may overwrite them. Presence is kept exactly: an absent or null
// contract or state is nil, as with a freshly allocated target, and a
// member given twice merges into the first as it does there.

// contractArg is a contract param decoded into reused memory.
type contractArg struct {
	buf *contractBuf // the engine's; a fresh one when nil
	set bool         // present and not null
}

type contractBuf struct {
	v     plan.Contract
	cells [2]float64 // constraints.maxCost and maxLatencyMs
}

// get returns the decoded contract, or nil when it was absent or null.
func (a *contractArg) get() *plan.Contract {
	if !a.set {
		return nil
	}
	return &a.buf.v
}

// UnmarshalEasyJSON decodes a contract into the reused memory. The limit
// cells start as NaN, which no JSON number decodes to: a cell still NaN
// after decoding was absent and its pointer goes back to nil.
func (a *contractArg) UnmarshalEasyJSON(l *jlexer.Lexer) {
	if l.IsNull() {
		l.Skip()
		a.set = false
		return
	}
	if a.buf == nil {
		a.buf = new(contractBuf)
	}
	b := a.buf
	if !a.set {
		b.cells = [2]float64{math.NaN(), math.NaN()}
		b.v = plan.Contract{Constraints: plan.Limits{MaxCost: &b.cells[0], MaxLatencyMs: &b.cells[1]}}
	}
	b.v.UnmarshalEasyJSON(l)
	c := &b.v.Constraints
	if c.MaxCost == &b.cells[0] && math.IsNaN(b.cells[0]) {
		c.MaxCost = nil
	}
	if c.MaxLatencyMs == &b.cells[1] && math.IsNaN(b.cells[1]) {
		c.MaxLatencyMs = nil
	}
	a.set = true
}

// MarshalEasyJSON writes the contract, or null.
func (a contractArg) MarshalEasyJSON(w *jwriter.Writer) { writeOrNull(a.get(), w) }

// stateArg is a state param decoded into reused memory.
type stateArg struct {
	buf *state.SystemState // the engine's; a fresh one when nil
	set bool               // present and not null
}

// get returns the decoded state, or nil when it was absent or null.
func (a *stateArg) get() *state.SystemState {
	if !a.set {
		return nil
	}
	return a.buf
}

// UnmarshalEasyJSON decodes a state into the reused memory: the provider
// maps keep their arrays and the breaker map its breakers (Reset).
func (a *stateArg) UnmarshalEasyJSON(l *jlexer.Lexer) {
	if l.IsNull() {
		l.Skip()
		a.set = false
		return
	}
	if a.buf == nil {
		a.buf = new(state.SystemState)
	}
	s := a.buf
	if !a.set {
		r := s.Resources
		r.Health.Reset()
		r.LatencyMs.Reset()
		r.Breakers.Reset()
		*s = state.SystemState{Resources: r}
	}
	s.UnmarshalEasyJSON(l)
	a.set = true
}

// MarshalEasyJSON writes the state, or null.
func (a stateArg) MarshalEasyJSON(w *jwriter.Writer) { writeOrNull(a.get(), w) }

// writeOrNull writes the value v points to, or null when v is nil: the
// encoding of an optional member decoded into reused memory.
func writeOrNull[P interface {
	*E
	MarshalEasyJSON(*jwriter.Writer)
}, E any](v P, w *jwriter.Writer) {
	if v == nil {
		w.RawString("null")
		return
	}
	v.MarshalEasyJSON(w)
}
