package exec

import (
	"fmt"
	"sort"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/swap"
	"github.com/convergence-io/ceg/core/trace"
)

// hotSwap checks the triggers of every resource in use (bound to a step
// that is pending or active), in id order, and swaps each triggered one
// through the registry. A swap moves every step bound to the old resource
// onto the new one; an attempt in flight on it is rolled back (rollback
// record, cancel action) and re-dispatched on the new resource in this
// tick's dispatch phase (continuity).
func (s *Session) hotSwap() {
	s.refusedNow = map[string]bool{}
	defer func() { s.refused = s.refusedNow }()
	manual := map[string]bool{}
	for _, id := range s.manual {
		manual[id] = true
	}
	s.manual = nil
	for _, r := range s.inUse() {
		n := s.g.Node(r.Resource)
		if n == nil {
			continue
		}
		steps := s.stepsOn(r.Resource)
		obs := swap.Observation{
			Resource: n.ID, Health: s.health(n), TargetMs: n.LatencyTarget(), Dilation: s.field.Get(n.ID),
			MaxCost: *s.contract.Constraints.MaxCost, Manual: manual[n.ID],
		}
		if lat, ok := s.eff.Resources.LatencyMs.Get(n.Provider); ok {
			obs.LatencyMs = lat
		}
		for _, st := range steps {
			obs.Money = max(obs.Money, s.money(n, st.Intent))
			if rej, ok := s.rejection(st.Intent, n.ID); ok && rej.Reason == plan.ReasonAuthorityDenied {
				obs.AuthorityRevoked = true
			}
		}
		// Reported costs count too: a step on this resource whose host
		// reported a cost over maxCost·costTolerance fires cost_spike (a
		// plan never schedules one whose estimate is over budget).
		for _, st := range s.steps {
			if st.Resource == n.ID && st.Cost != nil {
				obs.Money = max(obs.Money, *st.Cost)
			}
		}
		triggers := s.reg.Config().Triggers(obs)
		if len(triggers) == 0 {
			continue
		}
		s.swapOut(n, steps, obs, triggers[0])
	}
}

// inUse lists the distinct resources in use, by id: those of active steps,
// of steps waiting for a re-dispatch, and of pending steps the current plan
// schedules (a step an infeasible plan no longer lists is not using its old
// binding).
func (s *Session) inUse() []swap.InUse {
	seen := map[string]bool{}
	var out []swap.InUse
	for _, st := range s.steps {
		if !s.using(st) || seen[st.Resource] {
			continue
		}
		if n := s.g.Node(st.Resource); n != nil {
			seen[st.Resource] = true
			out = append(out, swap.InUse{Resource: n.ID, Provider: n.Provider})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Resource < out[j].Resource })
	return out
}

// using reports whether a step holds its resource (see inUse).
func (s *Session) using(st *StepState) bool {
	if st.Resource == "" {
		return false
	}
	switch st.Status {
	case StepActive:
		return true
	case StepPending:
		return len(st.Chain) > 0 || s.planStep(s.plan, st.ID) != nil
	}
	return false
}

// stepsOn returns the steps using a resource.
func (s *Session) stepsOn(resource string) []*StepState {
	var out []*StepState
	for _, st := range s.steps {
		if s.using(st) && st.Resource == resource {
			out = append(out, st)
		}
	}
	return out
}

// money is costPerToken·tokens(intent) + costPerCall.
func (s *Session) money(n *graph.Node, intent string) float64 {
	return float64(n.CostPerToken*s.tokens(intent)) + n.CostPerCall
}

func (s *Session) tokens(intent string) float64 {
	if n := s.g.Node(intent); n != nil && n.Kind == graph.KindIntent {
		return n.TokensOr()
	}
	return 1000
}

// candidate describes a resource for the swap selection.
func (s *Session) candidate(n *graph.Node, steps []*StepState) swap.Candidate {
	c := swap.Candidate{ID: n.ID, Provider: n.Provider, Health: s.health(n), LatencyMs: s.eff.Latency(n.Provider, n.LatencyTarget()),
		Callable: s.breakers.Get(n.Provider).Allow(s.now), Capabilities: n.Capabilities}
	for _, st := range steps {
		c.Money = max(c.Money, s.money(n, st.Intent))
		if rej, ok := s.rejection(st.Intent, n.ID); ok && c.Ineligible == "" {
			c.Ineligible = rej.Reason
		}
	}
	return c
}

func (s *Session) swapOut(n *graph.Node, steps []*StepState, obs swap.Observation, trigger string) {
	req := swap.Request{Tick: s.tick, Trigger: trigger, From: s.candidate(n, steps), InUse: s.inUse()}
	req.From.LatencyMs = obs.LatencyMs
	req.From.Money = max(req.From.Money, obs.Money) // reported costs count (cost_spike)
	for _, c := range s.reg.Candidates(s.g, n.ID) {
		req.Candidates = append(req.Candidates, s.candidate(c, steps))
	}
	from := n.ID
	var to string
	validate := func() error {
		// After σ, the replacement must be eligible for every intent it
		// now serves under the same S.
		trial, err := s.optimize()
		if err != nil {
			return err
		}
		idx := indexRejections(trial)
		for _, st := range steps {
			if rej, ok := idx[st.Intent][to]; ok {
				return errs.New(errs.CodeSwapFailed, "exec: %s may not run %s: %s", to, st.Intent, rej.Reason)
			}
		}
		if s.plan != nil && s.plan.Feasible && !trial.Feasible {
			return errs.New(errs.CodeSwapFailed, "exec: the plan would become infeasible: %s", trial.Infeasibility.Code)
		}
		return nil
	}
	// Select first so validate knows the target; Swap selects again with
	// the same inputs and gets the same answer. validate refuses a
	// replacement that may not run one of the intents it takes over, or
	// that would turn a feasible plan infeasible; the registry then
	// restores the graph and records the rollback.
	to = s.reg.Select(req).To
	res, err := s.reg.Swap(s.g, req, validate, func(event, actor string, d *trace.Data) (string, error) {
		if event == trace.EventSwapRefused {
			// A refusal is recorded when it starts, not again every tick
			// while the same trigger keeps being refused for the same
			// reason.
			key := actor + "\x00" + d.Trigger + "\x00" + d.Reason + "\x00" + joinIDs(d.Ids)
			s.refusedNow[key] = true
			if s.refused[key] {
				return "", nil
			}
		}
		id := s.emit(event, actor, s.root, d)
		if id == "" {
			return "", fmt.Errorf("exec: trace write failed")
		}
		return id, nil
	})
	if err != nil {
		s.fail(err)
		return
	}
	if !res.Swapped {
		return
	}
	s.nSwaps++
	h := s.reg.History()
	s.cur.Swaps = append(s.cur.Swaps, h[len(h)-1])
	toNode := s.g.Node(res.To)
	s.field.Forget(from)
	s.fieldIDs = removeSorted(s.fieldIDs, from)
	delete(s.active, from)
	if hasSorted(s.fieldIDs, toNode.ID) {
		// Already observed this tick: keep the D it was given.
		toNode.Dilation = s.field.Get(toNode.ID)
		s.g.Touch()
	} else {
		// Swapped in from the registry: observe it now.
		toNode.Dilation = s.field.Update(toNode.ID, s.dilationOf(toNode))
		s.g.Touch()
		s.fieldIDs = insertSorted(s.fieldIDs, toNode.ID)
		s.reg.Observe(toNode.ID, s.health(toNode))
	}
	for _, st := range s.steps {
		for i, r := range st.Chain {
			if r == from {
				st.Chain[i] = res.To
			}
		}
		st.Chain = dedupe(st.Chain)
		if st.Resource != from || (st.Status != StepPending && st.Status != StepActive) {
			continue
		}
		st.Resource, st.Provider = res.To, toNode.Provider
		st.Tried = without(st.Tried, from)
		s.rebind(st.ID, res.To, toNode.Provider)
		if st.Status == StepActive {
			// Continuity: the attempt in flight on the old resource is
			// rolled back and the step re-dispatched on the new one.
			rb := s.emit(trace.EventRollback, st.ID, res.TraceID, &trace.Data{Step: st.ID, Resource: from, To: res.To, Attempt: st.Attempt, Trigger: trigger, Reason: "resource swapped under an active step"})
			s.actions = append(s.actions, Action{Type: ActionCancel, Step: st.ID, Intent: st.Intent, Resource: from, Provider: req.From.Provider, Attempt: st.Attempt, Reason: "swapped to " + res.To, Trace: rb})
			s.deactivateIntent(st)
			st.Status, st.Trace = StepPending, rb
		}
	}
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	out := list[:0]
	for _, x := range list {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func without(list []string, s string) []string {
	out := []string{}
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
