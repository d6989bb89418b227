package exec

import (
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/trace"
)

// Projection feature states (docs/DESIGN.md#data-model).
const (
	FeatureInactive  = "inactive"
	FeatureScheduled = "scheduled"
	FeatureActive    = "active"
	FeatureSuspended = "suspended"
)

// updateProjections sets each projection's featureState from its sources
// at the end of a tick, with the original CEG's meaning (docs/DESIGN.md#executor). A source matches a
// step when it is the step's id, intent or current resource:
//   - active: a source matches a step of the current plan that is executing
//     or completed (a session that completes leaves them active);
//   - suspended: swapped out, state kept — a source is a resource a swap
//     took out (and no source is active or scheduled), or the session was
//     aborted while the projection was active or scheduled;
//   - scheduled: a source matches a pending step of the plan (eligible,
//     waiting) while the session runs;
//   - inactive: otherwise (not scheduled: its steps left the plan, failed or
//     were cancelled).
//
// Becoming active activates the node (an activate record); every other
// change writes a projection record whose reason says why (swap, abort).
func (s *Session) updateProjections() {
	active, scheduled, swapped := map[string]bool{}, map[string]bool{}, map[string]bool{}
	running := s.status == StatusRunning
	aborted := s.status == StatusAborted
	for _, st := range s.steps {
		if s.planStep(s.plan, st.ID) == nil {
			continue
		}
		var set map[string]bool
		switch {
		case st.Status == StepActive || st.Status == StepDone:
			set = active
		case st.Status == StepPending && running:
			set = scheduled
		default:
			continue
		}
		set[st.ID], set[st.Intent] = true, true
		if st.Resource != "" {
			set[st.Resource] = true
		}
	}
	for _, sw := range s.reg.History() {
		swapped[sw.From] = true
	}
	for _, n := range s.g.NodesByKind(graph.KindProjection) {
		next, reason := FeatureInactive, ""
		isActive, isScheduled := anyIn(n.Sources, active), anyIn(n.Sources, scheduled)
		switch {
		case aborted && (isActive || isScheduled || n.FeatureState == FeatureActive || n.FeatureState == FeatureScheduled || n.FeatureState == FeatureSuspended):
			next, reason = FeatureSuspended, "abort"
		case isActive:
			next = FeatureActive
		case isScheduled:
			next = FeatureScheduled
		case anyIn(n.Sources, swapped):
			next, reason = FeatureSuspended, "swap"
		}
		if next == n.FeatureState {
			continue
		}
		from := n.FeatureState
		n.FeatureState = next
		s.g.Touch()
		d := &trace.Data{From: from, To: next, State: next, Reason: reason}
		if next == FeatureActive {
			s.activate(n, s.root, d)
			continue
		}
		n.Active = false
		s.g.Touch()
		s.emit(trace.EventProjection, n.ID, s.root, d)
	}
}

func anyIn(ids []string, set map[string]bool) bool {
	for _, id := range ids {
		if set[id] {
			return true
		}
	}
	return false
}

// projectionMap is {projection id: featureState}, sorted by id.
func (s *Session) projectionMap() StringMap {
	var m StringMap
	m.Keys, m.Values = []string{}, []string{}
	for _, n := range s.g.NodesByKind(graph.KindProjection) {
		m.Set(n.ID, n.FeatureState)
	}
	return m
}
