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
// (docs/DESIGN.md#executor), at the end of a tick. A source matches a step when it is the
// step's id, intent or resource:
//   - a source in a step that was active during the tick (in flight at its
//     start or dispatched in it): active — or suspended when the session
//     has just ended;
//   - otherwise, a projection that was active (or already suspended):
//     suspended;
//   - otherwise, while the session runs, a source in a pending step of the
//     plan: scheduled;
//   - otherwise a scheduled projection falls back to inactive (its steps
//     will not run), and any other keeps its state.
//
// Becoming active activates the node (an activate record); every other
// change writes a projection record.
func (s *Session) updateProjections() {
	active, scheduled := map[string]bool{}, map[string]bool{}
	running := s.status == StatusRunning
	for _, st := range s.steps {
		ran := false
		for _, r := range append(append([]string{}, st.Tried...), st.Resource) {
			if s.ran[ranKey(st.ID, r)] {
				ran, active[r] = true, true
			}
		}
		switch {
		case ran:
			active[st.ID], active[st.Intent] = true, true
		case running && st.Status == StepPending && s.planStep(s.plan, st.ID) != nil:
			scheduled[st.ID], scheduled[st.Intent] = true, true
			if st.Resource != "" {
				scheduled[st.Resource] = true
			}
		}
	}
	for _, n := range s.g.NodesByKind(graph.KindProjection) {
		next := n.FeatureState
		switch {
		case anyIn(n.Sources, active) && running:
			next = FeatureActive
		case anyIn(n.Sources, active), n.FeatureState == FeatureActive, n.FeatureState == FeatureSuspended:
			next = FeatureSuspended
		case anyIn(n.Sources, scheduled):
			next = FeatureScheduled
		case n.FeatureState == FeatureScheduled:
			next = FeatureInactive // its steps will not run: the session ended or they left the plan
		}
		if next == n.FeatureState {
			continue
		}
		from := n.FeatureState
		n.FeatureState = next
		s.g.Touch()
		d := &trace.Data{From: from, To: next, State: next}
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
