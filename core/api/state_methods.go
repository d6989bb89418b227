package api

import (
	"math"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/state"
)

// Params and results of the state.* methods.

// MaxObservations bounds the outcomes of one state.observe call.
const MaxObservations = 4096

//easyjson:json
type observeParams struct {
	State    *state.SystemState  `json:"state"`
	Outcomes []state.Observation `json:"outcomes"`
	Now      *float64            `json:"now"`
}

//easyjson:json
type observeResult struct {
	State        *state.SystemState `json:"state"`
	NextChangeAt float64            `json:"nextChangeAt,omitempty"`
}

// state.observe {state?, outcomes, now} -> {state, nextChangeAt?}.
//
// It is the executor's breaker bookkeeping for hosts that dispatch calls
// themselves: each outcome, in order, moves its provider's breaker
// (state.resources.breakers) at host time now, and the answer is the state
// to plan with at now: the breakers, the health they imply and their
// latency EMAs applied as an executor applies them. nextChangeAt is the
// earliest later time at which a breaker's implied health changes with no
// new outcome (a probe falls due, a back-off ends); a host caching a plan
// re-plans then. The input is not modified.
func stateObserve(_ *Engine, raw []byte) (marshaler, error) {
	var p observeParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Now == nil {
		return nil, missing("now")
	}
	now := *p.Now
	if now < 0 || math.IsInf(now, 0) {
		return nil, badParam("now", "now must be a finite time >= 0 (ms)")
	}
	if p.Outcomes == nil {
		return nil, missing("outcomes")
	}
	if len(p.Outcomes) > MaxObservations {
		return nil, errs.New(errs.CodeLimitExceeded, "%d outcomes: at most %d per call", len(p.Outcomes), MaxObservations).At("outcomes")
	}
	s := &state.SystemState{}
	if p.State != nil {
		s = p.State
	}
	breakers := s.Resources.Breakers.Clone()
	for i, b := range breakers.Values {
		path := "state.resources.breakers." + breakers.Keys[i]
		if b == nil {
			return nil, badParam(path, "%s: expected a breaker object", path)
		}
		if f, msg := b.Check(); f != "" {
			return nil, badParam(path+"."+f, "%s.%s: %s", path, f, msg)
		}
	}
	for i, o := range p.Outcomes {
		path := errs.Index("outcomes", i)
		switch {
		case o.Provider == "":
			return nil, missing(path + ".provider")
		case o.Status != state.StatusOK && o.Status != state.StatusError && o.Status != state.StatusTimeout && o.Status != state.StatusQuota:
			return nil, badParam(path+".status", "%s.status: unknown status %q (one of ok, error, timeout, quota)", path, o.Status)
		case o.LatencyMs != nil && (*o.LatencyMs < 0 || math.IsInf(*o.LatencyMs, 0)):
			return nil, badParam(path+".latencyMs", "%s.latencyMs must be finite and >= 0 (ms)", path)
		}
		b := breakers.Get(o.Provider)
		if b == nil {
			b = state.NewBreaker()
			breakers.Set(o.Provider, b)
		}
		b.Observe(o, now)
	}
	out := *s
	out.Now = now
	out.Resources.Health = s.Resources.Health.Clone()
	out.Resources.LatencyMs = s.Resources.LatencyMs.Clone()
	out.Resources.Breakers = state.BreakerMap{}
	out.ApplyBreakers(breakers, now)
	return &observeResult{State: &out, NextChangeAt: breakers.NextChange(now)}, nil
}
