package exec

import (
	"fmt"
	"sort"

	"github.com/convergence-io/ceg/core/trace"
)

// Invariants of docs/DESIGN.md#invariants, checked at the end of every phase of a tick
// (every mutation boundary). A violation is an engine bug: the call returns
// an internal error naming the invariant and the phase.
//
//  1. Continuity: a step active at the start of the phase is, at its end,
//     still known and either still active on the same attempt, or its
//     leaving is explained by a record of this phase about the step
//     (complete, fail, rollback or cancel). An active step's resource is in
//     the graph and its current record is its dispatch.
//  2. TraceComplete: every active node has an activate record naming it.
//  3. Constraint dominance: nothing was dispatched on a (step, resource)
//     pair with a hard or critical violation in force, and a critical
//     violation on bound work leaves the session aborted.
//
// Bounded determinism (4) is a property of the whole machine and is tested
// (the same scripted run gives the same bytes), not checked at run time.

// phase runs f as one mutation boundary and checks the invariants after it.
func (s *Session) phase(name string, f func()) {
	s.phaseLen = s.log.Len()
	s.activeAt = map[string]int{}
	for _, st := range s.steps {
		if st.Status == StepActive {
			s.activeAt[st.ID] = st.Attempt
		}
	}
	s.dispatchd = s.dispatchd[:0]
	f()
	if err := s.checkInvariants(name); err != nil {
		s.fail(err)
	}
}

func (s *Session) checkInvariants(phase string) error {
	explained := map[string]bool{}
	for _, r := range s.log.Records()[s.phaseLen:] {
		switch r.Event {
		case trace.EventComplete, trace.EventFail, trace.EventRollback, trace.EventCancel:
			explained[r.Actor] = true
		}
	}
	// 1. Continuity.
	ids := make([]string, 0, len(s.activeAt))
	for id := range s.activeAt {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		attempt := s.activeAt[id]
		st := s.byID[id]
		if st == nil {
			return fmt.Errorf("exec: invariant continuity violated in %s: active step %q was dropped", phase, id)
		}
		if (st.Status != StepActive || st.Attempt != attempt) && !explained[id] {
			return fmt.Errorf("exec: invariant continuity violated in %s: active step %q left attempt %d without a trace record", phase, id, attempt)
		}
	}
	for _, st := range s.steps {
		if st.Status != StepActive {
			continue
		}
		if s.g.Node(st.Resource) == nil {
			return fmt.Errorf("exec: invariant continuity violated in %s: step %q is active on %q, which is not in the graph", phase, st.ID, st.Resource)
		}
		if r := s.log.Get(st.Trace); r == nil || r.Event != trace.EventDispatch || r.Actor != st.ID {
			return fmt.Errorf("exec: invariant continuity violated in %s: step %q is active without its dispatch record", phase, st.ID)
		}
	}
	// 2. TraceComplete.
	for _, n := range s.g.Nodes() {
		if !n.Active {
			continue
		}
		r := s.log.Get(s.active[n.ID])
		if r == nil || r.Event != trace.EventActivate || r.Actor != n.ID {
			return fmt.Errorf("exec: invariant trace-complete violated in %s: node %q is active without an activate record", phase, n.ID)
		}
	}
	// 3. Constraint dominance.
	for _, a := range s.dispatchd {
		if s.pairViolated(a.Step, a.Resource) {
			return fmt.Errorf("exec: invariant constraint-dominance violated in %s: step %q was dispatched on %q under a violated constraint", phase, a.Step, a.Resource)
		}
	}
	return nil
}
