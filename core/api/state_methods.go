package api

import (
	"fmt"
	"math"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/internal/norm"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/state"
	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

// Params and results of the state.* methods.

// MaxObservations bounds the outcomes of one state.observe call.
const MaxObservations = 4096

// MaxKeptBreakers bounds the breakers one graph handle keeps.
const MaxKeptBreakers = 4096

// Select values of state.observe.
const (
	selectState    = "state"
	selectBreakers = "breakers"
	selectObserved = "observed"
)

// stateExt is the engine state of state.observe: the breakers each graph
// handle keeps (state.observe with handle), dropped with the handle.
type stateExt struct {
	kept     map[string]state.BreakerMap
	contract contractBuf // the plan member's contract, decoded into reused memory
}

func (x *stateExt) init() { x.kept = map[string]state.BreakerMap{} }

//easyjson:json
type observeParams struct {
	// Handle names a graph handle that keeps the breakers between calls:
	// they are the starting breakers (a given state's breakers replace
	// them) and the observed ones are kept back.
	Handle   *string             `json:"handle"`
	State    *state.SystemState  `json:"state"`
	Outcomes []state.Observation `json:"outcomes"`
	Now      *float64            `json:"now"`
	// Plan, when given, plans with the observed state in the same call and
	// answers the lean route (plan.optimize's select "route").
	Plan planArg `json:"plan"`
	// Select is "state" (the default: the whole state to plan with),
	// "breakers" (only the breakers, what a host keeps between calls) or
	// "observed" (only the breakers of the outcomes' providers).
	Select *string `json:"select"`
}

// observePlan is plan.optimize's params without state and select: the state
// is the observed one and the answer is the route.
//
//easyjson:json
type observePlan struct {
	GraphRef
	Contract contractArg       `json:"contract"`
	Weights  *plan.CostWeights `json:"weights"`
}

//easyjson:json
type observeResult struct {
	State        *state.SystemState `json:"state,omitempty"`
	Breakers     *state.BreakerMap  `json:"breakers,omitempty"`
	NextChangeAt float64            `json:"nextChangeAt,omitempty"`
	Route        *route             `json:"route,omitempty"`
}

// state.observe {handle?, state?, outcomes, now, plan?, select?} ->
// {state | breakers, nextChangeAt?, route?}.
//
// It is the executor's breaker bookkeeping for hosts that dispatch calls
// themselves: each outcome, in order, moves its provider's breaker
// (state.resources.breakers) at its time `at` (default now), and the
// answer is the state to plan with at now: the breakers, the health they
// imply and their latency EMAs applied as an executor applies them.
// nextChangeAt is the earliest later time at which a breaker's implied
// health changes with no new outcome (a probe falls due, a back-off ends);
// a host caching a plan re-plans then. The input state is checked as
// plan.optimize checks a state (provider keys canonicalised by norm.Name,
// values range-checked) and is not modified.
//
// With plan, the same call plans with the observed state and answers the
// lean route, so a host that records an outcome and re-plans every turn
// sends its breakers across once. With select "breakers" the answer
// carries only the breakers, which is all such a host keeps. With handle,
// the graph handle keeps the breakers between calls (until it is dropped),
// so such a host sends only its outcomes and, with select "observed",
// receives only the breakers they moved.
func stateObserve(e *Engine, raw []byte) (marshaler, error) {
	p := observeParams{Plan: planArg{contract: &e.ext.state.contract}}
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	pp := p.Plan.get()
	if p.Now == nil {
		return nil, missing("now")
	}
	now := *p.Now
	if !norm.InRange(now, 0, norm.MaxQuantity) {
		return nil, badParam("now", "now must be a time within [0, %g] (ms)", norm.MaxQuantity)
	}
	if p.Outcomes == nil {
		return nil, missing("outcomes")
	}
	if len(p.Outcomes) > MaxObservations {
		return nil, errs.New(errs.CodeLimitExceeded, "%d outcomes: at most %d per call", len(p.Outcomes), MaxObservations).At("outcomes")
	}
	sel := selectState
	if p.Select != nil {
		switch sel = *p.Select; sel {
		case selectState, selectBreakers, selectObserved:
		default:
			return nil, badParam("select", "select must be %q, %q or %q, not %q", selectState, selectBreakers, selectObserved, sel)
		}
	}
	if pp != nil && pp.Contract.get() == nil {
		return nil, missing("plan.contract")
	}
	s := &state.SystemState{}
	if p.State != nil {
		s = p.State
	}
	if err := s.Validate("state"); err != nil {
		return nil, err
	}
	// kept is the handle's kept map when breakers shares its values (copy
	// on write), else empty.
	var breakers, kept state.BreakerMap
	switch {
	case p.Handle != nil:
		if _, err := e.lookup(*p.Handle); err != nil {
			return nil, err
		}
		if p.State != nil {
			breakers = s.Resources.Breakers.Clone() // given breakers replace the kept ones
		} else {
			// Copy on write: the kept breakers are never changed in place,
			// so the new map shares them and an outcome clones the one it
			// moves (below).
			kept = e.ext.state.kept[*p.Handle]
			breakers.Keys = append([]string(nil), kept.Keys...)
			breakers.Values = append([]*state.Breaker(nil), kept.Values...)
		}
	default:
		breakers = s.Resources.Breakers.Clone()
	}
	last := 0.0
	for i, o := range p.Outcomes {
		provider := norm.Name(o.Provider)
		at := now
		if o.At != nil {
			at = *o.At
		}
		if field, msg := checkOutcome(o, provider, at, last, now); field != "" {
			path := errs.Index("outcomes", i) // built only for an error
			if msg == "" {
				return nil, missing(path + "." + field)
			}
			return nil, badParam(path+"."+field, "%s.%s %s", path, field, msg)
		}
		last = at
		b := breakers.Get(provider)
		switch {
		case b == nil:
			b = state.NewBreaker()
			breakers.Set(provider, b)
		case b == kept.Get(provider): // still the kept one: copy before changing it
			b = b.Clone()
			breakers.Set(provider, b)
		}
		b.Observe(o, at)
	}
	if p.Handle != nil && len(breakers.Keys) > MaxKeptBreakers {
		return nil, errs.New(errs.CodeLimitExceeded, "%d breakers: a handle keeps at most %d", len(breakers.Keys), MaxKeptBreakers).At("outcomes")
	}
	r := &observeResult{NextChangeAt: breakers.NextChange(now)}
	out := *s
	out.Now = now
	out.Resources.Health = s.Resources.Health.CloneGrow(len(breakers.Keys))
	out.Resources.LatencyMs = s.Resources.LatencyMs.CloneGrow(len(breakers.Keys))
	out.Resources.Breakers = state.BreakerMap{}
	out.ApplyBreakersShared(breakers, now) // breakers is not changed after this
	switch sel {
	case selectState:
		r.State = &out
	case selectBreakers:
		r.Breakers = &out.Resources.Breakers
	case selectObserved:
		r.Breakers = observed(&out.Resources.Breakers, p.Outcomes)
	}
	if pp != nil {
		g, _, err := e.resolve(pp.GraphRef)
		if err != nil {
			return nil, atPlan(err)
		}
		opts := e.ext.plan.options(pp.GraphRef)
		opts.Buffer = &e.ext.plan.buf // encoded before the next call
		pl, err := plan.Optimize(plan.Input{Graph: g, Contract: pp.Contract.get(), State: &out, Weights: pp.Weights}, opts)
		if err != nil {
			return nil, atPlan(planError(err, pp.GraphRef))
		}
		r.Route = routeOf(pl).Route
	}
	if p.Handle != nil { // kept only once the whole call succeeded
		e.ext.state.kept[*p.Handle] = breakers
	}
	return r, nil
}

// observed returns the breakers in all of the outcomes' providers, each once.
func observed(all *state.BreakerMap, outcomes []state.Observation) *state.BreakerMap {
	m := &state.BreakerMap{}
	for _, o := range outcomes {
		p := norm.Name(o.Provider)
		if b := all.Get(p); b != nil && m.Get(p) == nil {
			m.Set(p, b)
		}
	}
	return m
}

// checkOutcome returns the field of outcome o that state.observe cannot
// take and why ("" when the field is missing), or "" when o is valid.
// provider is its canonical provider name, at its time, last the time of
// the outcome before it.
func checkOutcome(o state.Observation, provider string, at, last, now float64) (field, msg string) {
	switch {
	case o.Provider == "":
		return "provider", ""
	case !norm.ValidName(provider):
		return "provider", fmt.Sprintf("is not a provider name: %q (empty or control characters)", o.Provider)
	case o.Status != state.StatusOK && o.Status != state.StatusError && o.Status != state.StatusTimeout && o.Status != state.StatusQuota:
		return "status", fmt.Sprintf("is not a status: %q (one of ok, error, timeout, quota)", o.Status)
	case o.LatencyMs != nil && !norm.InRange(*o.LatencyMs, 0, norm.MaxQuantity):
		return "latencyMs", fmt.Sprintf("must be within [0, %g] (ms)", norm.MaxQuantity)
	case o.At != nil && (!norm.InRange(at, last, now) || math.IsNaN(at)):
		return "at", fmt.Sprintf("must be within [%g, %g] (ms): not after now, not before the previous outcome", last, now)
	}
	return "", ""
}

// planArg is the plan member of state.observe, its contract decoded into
// the engine's reused memory (as plan.optimize's is).
type planArg struct {
	v        observePlan
	contract *contractBuf
	set      bool // present and not null
}

// get returns the decoded member, or nil when it was absent or null.
func (a *planArg) get() *observePlan {
	if !a.set {
		return nil
	}
	return &a.v
}

// UnmarshalEasyJSON decodes the member.
func (a *planArg) UnmarshalEasyJSON(l *jlexer.Lexer) {
	if l.IsNull() {
		l.Skip()
		a.set = false
		return
	}
	if !a.set {
		a.v = observePlan{Contract: contractArg{buf: a.contract}}
	}
	a.v.UnmarshalEasyJSON(l)
	a.set = true
}

// MarshalEasyJSON writes the member, or null.
func (a planArg) MarshalEasyJSON(w *jwriter.Writer) { writeOrNull(a.get(), w) }

// atPlan places the path of an error of the plan member under "plan".
func atPlan(err error) error {
	if e, ok := err.(*errs.Error); ok && e.Path != "" {
		return e.At("plan")
	}
	return err
}
