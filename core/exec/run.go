package exec

import (
	"math"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/internal/norm"
)

// Run is exec.run: the session machine driven by a script instead of a
// host (docs/DESIGN.md#executor). Each tick, every attempt in flight gets its outcome
// from the scenario (see Scenario); the report comes tickMs of host time
// after the previous one. It runs until the session ends (complete, failed,
// aborted or max_ticks) and returns every tick, a summary and the trace.
// A nil scenario makes every dispatch succeed at its estimated latency and
// cost.
func Run(id string, in Input, opts Options, sc *Scenario) (*RunResult, error) {
	s, err := NewScripted(id, in, opts, sc)
	if err != nil {
		return nil, err
	}
	s.record = true
	if _, err := s.StartScripted(); err != nil {
		return nil, err
	}
	for s.status == StatusRunning {
		if _, err := s.Step(); err != nil {
			return nil, err
		}
	}
	return s.RunResult(), nil
}

// NewScripted creates a session driven by a scenario; StartScripted runs
// its tick 0 and Step each following tick. Run is the usual entry point;
// these exist so a scripted session can be snapshotted mid-run.
func NewScripted(id string, in Input, opts Options, sc *Scenario) (*Session, error) {
	if sc == nil {
		sc = &Scenario{}
	}
	if err := validateScenario(sc, in.Graph); err != nil {
		return nil, err
	}
	c := *sc
	return newSession(id, in, opts, &c)
}

// StartScripted runs tick 0 of a scripted session.
func (s *Session) StartScripted() (*TickResult, error) {
	return s.begin(), s.takeErr()
}

// Step simulates the outcomes of the attempts in flight and reports them.
func (s *Session) Step() (*TickResult, error) {
	outs := s.simulate()
	return s.Report(s.now+s.tickMs(), outs)
}

// RunResult returns the ticks recorded so far, the summary and the trace.
func (s *Session) RunResult() *RunResult {
	steps := s.history
	if steps == nil {
		steps = []ExecutorStep{}
	}
	return &RunResult{
		Steps: steps,
		Summary: Summary{Ticks: s.ticks, Status: s.status, Violations: s.nViol, Swaps: s.nSwaps,
			FinalPlanFeasible: s.plan != nil && s.plan.Feasible},
		Trace: s.log.Records(),
	}
}

func (s *Session) tickMs() float64 {
	if s.scenario != nil && s.scenario.TickMs > 0 {
		return s.scenario.TickMs
	}
	return DefaultTickMs
}

func validateScenario(sc *Scenario, g *graph.Graph) error {
	// Provider names are canonical everywhere (norm.Name), so a scripted
	// "OpenAI" matches the resource whose provider is "openai".
	for i := range sc.Outcomes {
		sc.Outcomes[i].Provider = norm.Name(sc.Outcomes[i].Provider)
	}
	for i := range sc.Events {
		sc.Events[i].Provider = norm.Name(sc.Events[i].Provider)
	}
	if sc.Model != nil {
		for i := range sc.Model.Providers {
			sc.Model.Providers[i].Provider = norm.Name(sc.Model.Providers[i].Provider)
		}
	}
	if !(sc.TickMs >= 0) || sc.TickMs > norm.MaxQuantity {
		return errs.New(errs.CodeInvalidParams, "exec: tickMs must be a positive number").At("scenario.tickMs")
	}
	for i, r := range sc.Outcomes {
		switch r.Status {
		case OutcomeOK, OutcomeError, OutcomeTimeout, OutcomeQuota, OutcomePending:
		default:
			return errs.New(errs.CodeInvalidParams, "exec: outcome status must be ok, error, timeout, quota or pending, got %q", r.Status).At(errs.Index("scenario.outcomes", i) + ".status")
		}
		for _, f := range []struct {
			name string
			v    *float64
		}{{"latencyMs", r.LatencyMs}, {"cost", r.Cost}, {"tokens", r.Tokens}, {"inputTokens", r.InputTokens}, {"outputTokens", r.OutputTokens}} {
			if f.v != nil && !norm.InRange(*f.v, 0, norm.MaxQuantity) {
				return errs.New(errs.CodeInvalidParams, "exec: %s must be a number within [0, %g]", f.name, norm.MaxQuantity).At(errs.Index("scenario.outcomes", i) + "." + f.name)
			}
		}
	}
	for i, e := range sc.Events {
		at := errs.Index("scenario.events", i)
		if e.Constraint != "" {
			if g == nil || g.Node(e.Constraint) == nil || g.Node(e.Constraint).Kind != graph.KindConstraint {
				return errs.New(errs.CodeInvalidParams, "exec: %q is not a constraint of the graph", e.Constraint).At(at + ".constraint")
			}
			if e.Satisfied == nil {
				return errs.New(errs.CodeInvalidParams, "exec: a constraint event needs satisfied").At(at + ".satisfied")
			}
		}
		if (e.Health != nil || e.LatencyMs != nil) && e.Provider == "" {
			return errs.New(errs.CodeInvalidParams, "exec: a health or latency event needs a provider").At(at + ".provider")
		}
		if e.Health != nil && *e.Health > 1 {
			return errs.New(errs.CodeInvalidParams, "exec: health must be within [0, 1] (negative removes it)").At(at + ".health")
		}
		if e.LatencyMs != nil && *e.LatencyMs > norm.MaxQuantity {
			return errs.New(errs.CodeInvalidParams, "exec: latencyMs must be within %g (negative removes it)", norm.MaxQuantity).At(at + ".latencyMs")
		}
		if e.AuthorityScope != nil {
			switch *e.AuthorityScope {
			case "", "operator", "user", "agent", "public":
			default:
				return errs.New(errs.CodeInvalidParams, "exec: invalid authorityScope %q", *e.AuthorityScope).At(at + ".authorityScope")
			}
		}
	}
	return nil
}

// applyEvents applies the scenario's events for the current tick, in the
// order given, before the tick observes S.
func (s *Session) applyEvents() {
	if s.scenario == nil {
		return
	}
	for _, e := range s.scenario.Events {
		if e.Tick != s.tick {
			continue
		}
		if e.Provider != "" {
			if e.Health != nil {
				if *e.Health < 0 {
					deleteKey(&s.base.Resources.Health, e.Provider)
				} else {
					s.base.Resources.Health.Set(e.Provider, *e.Health)
				}
			}
			if e.LatencyMs != nil {
				if *e.LatencyMs < 0 {
					deleteKey(&s.base.Resources.LatencyMs, e.Provider)
				} else {
					s.base.Resources.LatencyMs.Set(e.Provider, *e.LatencyMs)
				}
			}
		}
		if e.Constraint != "" {
			if n := s.g.Node(e.Constraint); n != nil {
				v := *e.Satisfied
				n.Satisfied = &v
				s.g.Touch()
			}
		}
		if e.AuthorityScope != nil {
			s.base.Policy.AuthorityScope = *e.AuthorityScope
		}
		if e.Swap != "" {
			s.manual = append(s.manual, e.Swap)
		}
	}
}

// simulate returns the outcome of every attempt in flight, in plan order.
func (s *Session) simulate() []Outcome {
	var outs []Outcome
	for _, st := range s.ordered() {
		if st.Status != StepActive {
			continue
		}
		n := s.g.Node(st.Resource)
		lat, cost := st.DeadlineMs/2, 0.0
		if n != nil {
			lat = s.eff.Latency(n.Provider, n.LatencyTarget())
			cost = dilation.Round(s.money(n, st.Intent))
		}
		o := Outcome{Step: st.ID, Attempt: st.Attempt, Status: OutcomeOK, LatencyMs: ptr(lat), Cost: ptr(cost), Tokens: ptr(s.tokens(st.Intent))}
		if r := s.rule(st); r != nil {
			if r.Status == OutcomePending {
				continue
			}
			o.Status = r.Status
			if o.Status != OutcomeOK {
				o.LatencyMs, o.Cost, o.Tokens = nil, nil, nil
			}
			if r.LatencyMs != nil {
				o.LatencyMs = ptr(*r.LatencyMs)
			}
			if r.Cost != nil {
				o.Cost = ptr(*r.Cost)
			}
			if r.Tokens != nil {
				o.Tokens = ptr(*r.Tokens)
			}
			if r.InputTokens != nil || r.OutputTokens != nil {
				o.InputTokens, o.OutputTokens = r.InputTokens, r.OutputTokens
				if r.Tokens == nil {
					o.Tokens = nil // the sum of the reported usage
				}
			}
		} else if m := s.scenario.Model; m != nil {
			o.Status, o.LatencyMs = s.draw(m, st.Provider, lat)
		}
		if o.Status != OutcomeOK {
			o.Cost, o.Tokens, o.InputTokens, o.OutputTokens = nil, nil, nil, nil
			o.Error = "simulated " + o.Status
		}
		outs = append(outs, o)
	}
	return outs
}

// rule returns the first script rule matching the attempt, or nil.
func (s *Session) rule(st *StepState) *ScriptRule {
	for i := range s.scenario.Outcomes {
		r := &s.scenario.Outcomes[i]
		switch {
		case r.Tick != nil && *r.Tick != s.tick,
			r.FromTick != nil && s.tick < *r.FromTick,
			r.ToTick != nil && s.tick > *r.ToTick,
			r.Provider != "" && r.Provider != st.Provider,
			r.Resource != "" && r.Resource != st.Resource,
			r.Step != "" && r.Step != st.ID,
			r.Attempt != 0 && r.Attempt != st.Attempt:
			continue
		}
		return r
	}
	return nil
}

// draw picks an outcome from the seeded model.
func (s *Session) draw(m *OutcomeModel, provider string, lat float64) (string, *float64) {
	e, t, q := m.ErrorRate, m.TimeoutRate, m.QuotaRate
	for _, p := range m.Providers {
		if p.Provider == provider {
			e, t, q = p.ErrorRate, p.TimeoutRate, p.QuotaRate
		}
	}
	u := s.uniform()
	switch {
	case u < e:
		return OutcomeError, nil
	case u < e+t:
		return OutcomeTimeout, nil
	case u < e+t+q:
		return OutcomeQuota, nil
	}
	if m.Jitter > 0 {
		v := s.uniform()
		lat = dilation.Round(math.Max(0, float64(lat*float64(1+float64(m.Jitter*float64(2*v-1))))))
	}
	return OutcomeOK, ptr(lat)
}

// uniform returns the next number in [0, 1) of the session's splitmix64
// generator (its state is part of the snapshot).
func (s *Session) uniform() float64 {
	s.rng += 0x9E3779B97F4A7C15
	z := s.rng
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}
