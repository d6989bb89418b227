package exec

import (
	"fmt"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/internal/norm"
	"github.com/convergence-io/ceg/core/state"
	"github.com/convergence-io/ceg/core/trace"
)

// checkOutcomes validates a report before anything changes: every outcome
// names a known step, a known status and an attempt that was dispatched,
// with non-negative numbers.
func (s *Session) checkOutcomes(outs []Outcome) error {
	for i, o := range outs {
		at := func(f string) string { return errs.Join(errs.Index("outcomes", i), f) }
		st := s.byID[o.Step]
		switch {
		case o.Step == "":
			return errs.New(errs.CodeInvalidParams, "exec: outcome step is required").At(at("step"))
		case st == nil:
			return errs.New(errs.CodeInvalidParams, "exec: unknown step %q", o.Step).At(at("step"))
		case o.Status != OutcomeOK && o.Status != OutcomeError && o.Status != OutcomeTimeout && o.Status != OutcomeQuota:
			return errs.New(errs.CodeInvalidParams, "exec: outcome status must be ok, error, timeout or quota, got %q", o.Status).At(at("status"))
		case o.Attempt < 0 || o.Attempt > st.Attempt:
			return errs.New(errs.CodeInvalidParams, "exec: step %q has no attempt %d", o.Step, o.Attempt).At(at("attempt"))
		}
		for _, f := range []struct {
			name string
			v    *float64
		}{{"latencyMs", o.LatencyMs}, {"cost", o.Cost}, {"tokens", o.Tokens}, {"inputTokens", o.InputTokens}, {"outputTokens", o.OutputTokens}} {
			if f.v != nil && !norm.InRange(*f.v, 0, norm.MaxQuantity) {
				return errs.New(errs.CodeInvalidParams, "exec: %s must be a number within [0, %g]", f.name, norm.MaxQuantity).At(at(f.name))
			}
		}
	}
	return nil
}

// recordOutcomes applies the host's outcomes in the order given, then
// times out every attempt still in flight past its deadline.
//   - ok: the provider's breaker records a success (latency EMA), the step
//     is done, a complete record is written under the dispatch.
//   - error, timeout, quota: the breaker records an error (or a quota
//     back-off), a fail record is written under the dispatch; the step is
//     re-dispatched on the next resource of its chain (a retry record)
//     while it has attempts left (min(5, chain length)); otherwise it fails
//     (a second fail record, status failed) and its dependents are
//     cancelled.
//
// An outcome for an attempt that is not the step's current one, or for a
// step that is not active, is stale and ignored.
func (s *Session) recordOutcomes(outs []Outcome) {
	reported := map[string]bool{}
	for _, o := range outs {
		st := s.byID[o.Step]
		if st.Status != StepActive || (o.Attempt != 0 && o.Attempt != st.Attempt) {
			continue
		}
		reported[st.ID] = true
		s.apply(st, o)
	}
	for _, st := range s.ordered() {
		if st.Status == StepActive && !reported[st.ID] && s.now > st.DispatchedAt+st.DeadlineMs {
			s.apply(st, Outcome{Step: st.ID, Attempt: st.Attempt, Status: OutcomeTimeout, Error: "no outcome within the deadline of " + state.Seconds(st.DeadlineMs)})
		}
	}
}

func (s *Session) apply(st *StepState, o Outcome) {
	n := s.g.Node(st.Resource)
	b := s.breaker(st.Provider)
	before := *b
	d := &trace.Data{Step: st.ID, Intent: st.Intent, Resource: st.Resource, Provider: st.Provider, Attempt: st.Attempt, Outcome: o.Status, Reason: o.Error}
	if o.Status == OutcomeOK {
		lat := st.DeadlineMs / 2
		if n != nil {
			lat = s.eff.Latency(n.Provider, n.LatencyTarget())
		}
		if o.LatencyMs != nil {
			lat = *o.LatencyMs
		}
		b.Success(lat, s.now)
		if n != nil {
			b.CheckLatency(n.LatencyTarget())
		}
		st.LatencyMs, st.Cost, st.Tokens = ptr(lat), o.Cost, o.Tokens
		st.InputTokens, st.OutputTokens = o.InputTokens, o.OutputTokens
		if st.Cost == nil && n != nil {
			st.Cost = ptr(dilation.Round(s.money(n, st.Intent)))
		}
		if st.Tokens == nil && (o.InputTokens != nil || o.OutputTokens != nil) {
			st.Tokens = ptr(usage(o.InputTokens) + usage(o.OutputTokens))
		}
		if st.Tokens == nil {
			st.Tokens = ptr(s.tokens(st.Intent))
		}
		d.LatencyMs, d.Cost, d.Tokens = st.LatencyMs, st.Cost, st.Tokens
		d.InputTokens, d.OutputTokens = st.InputTokens, st.OutputTokens
		id := s.emit(trace.EventComplete, st.ID, st.Trace, d)
		s.deactivate(st)
		st.Status, st.Trace = StepDone, id
		s.breakerChanged(st.Provider, &before, b, id)
		return
	}
	if o.Status == OutcomeQuota {
		b.Quota(s.now)
	} else {
		b.Error(s.now)
	}
	if o.LatencyMs != nil {
		d.LatencyMs = o.LatencyMs
	}
	failID := s.emit(trace.EventFail, st.ID, st.Trace, d)
	s.breakerChanged(st.Provider, &before, b, failID)
	s.deactivate(st)
	st.Failures++
	st.Trace = failID
	next := s.nextInChain(st)
	if st.Failures < s.maxAttempts(st) && next != nil {
		id := s.emit(trace.EventRetry, st.ID, failID, &trace.Data{Step: st.ID, From: st.Resource, To: next.ID, Provider: next.Provider, Attempt: st.Attempt + 1})
		st.Status, st.Resource, st.Provider, st.Trace = StepPending, next.ID, next.Provider, id
		s.rebind(st.ID, next.ID, next.Provider)
		return
	}
	reason := fmt.Sprintf("%d of %d attempts failed", st.Failures, s.maxAttempts(st))
	if next == nil {
		reason = fmt.Sprintf("fallbacks exhausted after %d attempts", st.Failures)
	}
	id := s.emit(trace.EventFail, st.ID, failID, &trace.Data{Step: st.ID, Intent: st.Intent, Status: StepFailed, Reason: reason})
	st.Status, st.Reason, st.Trace = StepFailed, reason, id
	s.cancelDependents(st.ID, id)
}

// usage is a reported token count, 0 when absent.
func usage(v *float64) float64 {
	if v == nil {
		return 0
	}
	return *v
}

// maxAttempts is min(5, candidates): the length of the step's chain.
func (s *Session) maxAttempts(st *StepState) int { return min(MaxAttempts, max(1, len(st.Chain))) }

// nextInChain is the first untried resource of the chain still in the
// graph.
func (s *Session) nextInChain(st *StepState) *graph.Node {
	for _, id := range st.Chain {
		if hasString(st.Tried, id) {
			continue
		}
		if n := s.g.Node(id); n != nil && n.Kind == graph.KindResource {
			return n
		}
	}
	return nil
}

// cancelDependents cancels, transitively and in plan order, every
// unfinished step that depends on a failed one.
func (s *Session) cancelDependents(failed, parent string) {
	gone := map[string]bool{failed: true}
	for changed := true; changed; {
		changed = false
		for _, st := range s.ordered() {
			if st.Status != StepPending && st.Status != StepActive {
				continue
			}
			ps := s.planStep(s.plan, st.ID)
			if ps == nil {
				continue
			}
			for _, dep := range ps.DependsOn {
				if gone[dep] {
					if st.Status == StepActive {
						rb := s.emit(trace.EventRollback, st.ID, parent, &trace.Data{Step: st.ID, Resource: st.Resource, Attempt: st.Attempt, Reason: "dependency " + dep + " failed"})
						s.actions = append(s.actions, Action{Type: ActionCancel, Step: st.ID, Intent: st.Intent, Resource: st.Resource, Provider: st.Provider, Attempt: st.Attempt, Reason: "dependency " + dep + " failed", Trace: rb})
						s.deactivate(st)
					}
					id := s.emit(trace.EventCancel, st.ID, parent, &trace.Data{Step: st.ID, Intent: st.Intent, Reason: "dependency " + dep + " failed"})
					st.Status, st.Reason, st.Trace = StepCancelled, "dependency "+dep+" failed", id
					gone[st.ID], changed = true, true
					break
				}
			}
		}
	}
}

// breakerChanged records a breaker state change.
func (s *Session) breakerChanged(provider string, before, after *state.Breaker, parent string) {
	if before.State == after.State && before.Level == after.Level {
		return
	}
	d := &trace.Data{Provider: provider, State: after.State, From: before.State, To: after.State}
	if after.State == state.CircuitOpen {
		d.Reason = fmt.Sprintf("open for %s (level %d)", state.Seconds(state.OpenDuration(after.Level)), after.Level)
	}
	s.emit(trace.EventBreaker, provider, parent, d)
}
