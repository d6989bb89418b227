package exec

import (
	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/state"
	"github.com/convergence-io/ceg/core/trace"
)

// dispatch hands every ready step to the host, in plan order. A step is
// ready when it is pending, every step it depends on is done, and it has a
// resource to run on now:
//   - a first dispatch needs a feasible plan listing the step; it fixes the
//     step's failover chain (the plan's resource, then its fallbacks) and
//     runs on the plan's resource;
//   - a re-dispatch (after a failure or a rollback) runs on the step's
//     current resource, or failing that the next untried resource of its
//     chain that is eligible under this tick's S.
//
// The resource's breaker must admit the call (Acquire: an open circuit
// whose time is up admits one probe). A step with no admissible resource
// waits. Dispatching writes a dispatch record (under the step's retry or
// rollback record, else the plan record), activates the intent and the
// resource (an activate record each, under the dispatch) and emits a
// dispatch action with the deadline τ·2 and the intent's grounding policy.
func (s *Session) dispatch() {
	for _, st := range s.ordered() {
		if st.Status != StepPending {
			continue
		}
		ps := s.planStep(s.plan, st.ID)
		if len(st.Chain) == 0 && (ps == nil || !s.plan.Feasible || st.Resource == "") {
			continue
		}
		if !s.depsDone(st, ps) {
			continue
		}
		if len(st.Chain) == 0 {
			st.Chain = dedupe(append([]string{ps.Resource}, fallbackIDs(ps)...))
		}
		r := s.pick(st)
		if r == nil {
			continue
		}
		b := s.breaker(r.Provider)
		if !b.Acquire(s.now) {
			continue
		}
		st.Resource, st.Provider = r.ID, r.Provider
		s.rebind(st.ID, r.ID, r.Provider)
		st.Attempt++
		if !hasString(st.Tried, r.ID) {
			st.Tried = append(st.Tried, r.ID)
		}
		st.Status = StepActive
		s.ran[ranKey(st.ID, r.ID)] = true
		st.DispatchedAt = s.now
		st.DeadlineMs = dilation.Round(float64(float64(r.LatencyTarget()*s.field.Get(r.ID)) * plan.LatencyTolerance))
		var g *dilation.Grounding
		if ps != nil {
			gr := ps.Grounding
			g = &gr
		} else {
			gr := dilation.Policy(s.intentD(st.Intent), dilation.BaseMaxResults, dilation.BaseMinSources)
			g = &gr
		}
		parent := st.Trace
		if parent == "" {
			parent = firstNonEmpty(s.planRec, s.root)
		}
		st.Trace = s.emit(trace.EventDispatch, st.ID, parent, &trace.Data{Step: st.ID, Intent: st.Intent, Resource: r.ID, Provider: r.Provider, Attempt: st.Attempt, DeadlineMs: ptr(st.DeadlineMs), Dilation: ptr(s.field.Get(r.ID))})
		if n := s.g.Node(st.Intent); n != nil && n.Kind == graph.KindIntent {
			s.activate(n, st.Trace, &trace.Data{Step: st.ID, Attempt: st.Attempt})
		}
		s.activate(r, st.Trace, &trace.Data{Step: st.ID, Attempt: st.Attempt})
		a := Action{Type: ActionDispatch, Step: st.ID, Intent: st.Intent, Resource: r.ID, Provider: r.Provider, Attempt: st.Attempt, DeadlineMs: st.DeadlineMs, Grounding: g, Trace: st.Trace}
		s.actions = append(s.actions, a)
		s.dispatchd = append(s.dispatchd, a)
	}
}

func fallbackIDs(ps *plan.Step) []string {
	out := make([]string, 0, len(ps.Fallbacks))
	for _, f := range ps.Fallbacks {
		out = append(out, f.Resource)
	}
	return out
}

// depsDone reports whether every step st depends on is done.
func (s *Session) depsDone(st *StepState, ps *plan.Step) bool {
	if ps == nil {
		return true // dependencies were met when it was first dispatched
	}
	for _, d := range ps.DependsOn {
		if dep := s.byID[d]; dep == nil || dep.Status != StepDone {
			return false
		}
	}
	return true
}

// pick returns the resource st should run on now: its current resource
// when that is usable, else the next untried usable resource of its chain.
// Usable: in the graph, eligible for the intent under this tick's S, under
// no violated constraint, and admitted by its breaker.
func (s *Session) pick(st *StepState) *graph.Node {
	usable := func(id string) *graph.Node {
		n := s.g.Node(id)
		if n == nil || n.Kind != graph.KindResource {
			return nil
		}
		if _, rejected := s.rejection(st.Intent, id); rejected || s.pairViolated(st.ID, id) {
			return nil
		}
		if !s.breakers.Get(n.Provider).Allow(s.now) {
			return nil
		}
		return n
	}
	if n := usable(st.Resource); n != nil && !hasString(st.Tried, st.Resource) {
		return n
	}
	for _, id := range st.Chain {
		if hasString(st.Tried, id) {
			continue
		}
		if n := usable(id); n != nil {
			return n
		}
	}
	return nil
}

// breaker returns a provider's breaker, creating a closed one.
func (s *Session) breaker(provider string) *state.Breaker {
	b := s.breakers.Get(provider)
	if b == nil {
		b = state.NewBreaker()
		s.breakers.Set(provider, b)
	}
	return b
}

func (s *Session) intentD(intent string) float64 {
	if n := s.g.Node(intent); n != nil && n.Dilation > 0 {
		return n.Dilation
	}
	return 1
}

// activate marks a node active, recording the activation (TraceComplete).
func (s *Session) activate(n *graph.Node, parent string, d *trace.Data) {
	if n.Active {
		return
	}
	n.Active = true
	s.g.Touch()
	s.active[n.ID] = s.emit(trace.EventActivate, n.ID, parent, d)
}

// deactivate clears the active marks of a finished or abandoned attempt:
// the intent, and the resource unless another attempt runs on it.
func (s *Session) deactivate(st *StepState) {
	s.deactivateIntent(st)
	if n := s.g.Node(st.Resource); n != nil && n.Active && !s.anyActiveOn(n.ID, st.ID) {
		n.Active = false
		s.g.Touch()
	}
}

func (s *Session) deactivateIntent(st *StepState) {
	if n := s.g.Node(st.Intent); n != nil && n.Kind == graph.KindIntent {
		n.Active = false
		s.g.Touch()
	}
}

// anyActiveOn reports whether a step other than except is active on the
// resource.
func (s *Session) anyActiveOn(resource, except string) bool {
	for _, st := range s.steps {
		if st.ID != except && st.Status == StepActive && st.Resource == resource {
			return true
		}
	}
	return false
}
