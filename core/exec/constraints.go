package exec

import (
	"sort"
	"strconv"
	"strings"

	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/trace"
)

// rejIndex is the eligibility of every candidate of every intent under this
// tick's S: intent -> resource -> rejection (absent: eligible, or not a
// candidate of the intent).
type rejIndex map[string]map[string]plan.Rejection

func indexRejections(p *plan.Plan) rejIndex {
	idx := rejIndex{}
	add := func(intent string, rs []plan.Rejection) {
		m := idx[intent]
		if m == nil {
			m = map[string]plan.Rejection{}
			idx[intent] = m
		}
		for _, r := range rs {
			m[r.Resource] = r
		}
	}
	if p == nil {
		return idx
	}
	for _, st := range p.Steps {
		add(st.Intent, st.Rejected)
	}
	if p.Infeasibility != nil {
		for _, c := range p.Infeasibility.Candidates {
			add(c.Intent, c.Rejected)
		}
	}
	return idx
}

// rejection returns why resource may not run intent this tick ("" when it
// may).
func (s *Session) rejection(intent, resource string) (plan.Rejection, bool) {
	r, ok := s.fresh[intent][resource]
	return r, ok
}

func violationKey(constraint, step, resource string) string {
	return constraint + "\x00" + step + "\x00" + resource
}

// pairViolated reports whether a hard or critical violation is in force for
// (step, resource).
func (s *Session) pairViolated(step, resource string) bool {
	suffix := "\x00" + step + "\x00" + resource
	for k := range s.violated {
		if strings.HasSuffix(k, suffix) {
			return true
		}
	}
	return false
}

// evaluateConstraints prices every candidate under this tick's S (an
// unbound optimize: the eligibility view the rest of the tick uses) and
// checks every step holding a resource (active, waiting for a re-dispatch,
// or pending in the plan) against the hard and critical constraints. A newly violated pair is recorded (a
// violation record and an entry in the tick's violations); a critical one
// aborts the session with rollback.
func (s *Session) evaluateConstraints() {
	fresh, err := s.optimize()
	if err != nil {
		s.fail(err)
		return
	}
	s.fresh = indexRejections(fresh)
	if s.plan == nil {
		s.freshPlan = fresh
	}
	now := map[string]bool{}
	var critical []Violation
	for _, st := range s.ordered() {
		if !s.using(st) {
			continue
		}
		rej, ok := s.rejection(st.Intent, st.Resource)
		if !ok || rej.Reason != plan.ReasonConstraintViolated {
			continue
		}
		cid := rej.Constraint
		sev := "hard"
		if n := s.g.Node(cid); n != nil && n.Kind == graph.KindConstraint {
			sev = n.Severity
		}
		key := violationKey(cid, st.ID, st.Resource)
		now[key] = true
		v := Violation{Constraint: cid, Severity: sev, Step: st.ID, Intent: st.Intent, Resource: st.Resource, Detail: rej.Detail}
		if !s.violated[key] {
			v.Trace = s.emit(trace.EventViolation, firstNonEmpty(cid, st.ID), s.root, &trace.Data{Constraint: cid, Severity: sev, Step: st.ID, Intent: st.Intent, Resource: st.Resource, Reason: rej.Detail})
			s.cur.Violations = append(s.cur.Violations, v)
			s.nViol++
		}
		if sev == "critical" {
			if v.Trace == "" {
				v.Trace = s.root
			}
			critical = append(critical, v)
		}
	}
	s.violated = now
	if len(critical) > 0 {
		s.abort(critical[0])
	}
}

// recordPlanViolations records the hard and critical constraints that
// block the plan: when a plan is infeasible because of constraints
// (HARD_CONSTRAINT_VIOLATED), each (intent, candidate) pair rejected by a
// constraint is a violation that blocks. A pair is recorded when it starts
// blocking, not again while it goes on.
func (s *Session) recordPlanViolations(p *plan.Plan) {
	if p.Infeasibility == nil || p.Infeasibility.Code != plan.InfeasibleHard {
		s.blocked = map[string]bool{}
		return
	}
	var keys []string
	found := map[string]Violation{}
	for _, c := range p.Infeasibility.Candidates {
		for _, r := range c.Rejected {
			if r.Reason != plan.ReasonConstraintViolated {
				continue
			}
			cid := r.Constraint
			sev := "hard"
			if n := s.g.Node(cid); n != nil && n.Kind == graph.KindConstraint {
				sev = n.Severity
			}
			step := plan.StepID(c.Intent)
			key := violationKey(cid, step, r.Resource)
			if _, dup := found[key]; !dup {
				keys = append(keys, key)
			}
			found[key] = Violation{Constraint: cid, Severity: sev, Step: step, Intent: c.Intent, Resource: r.Resource, Detail: r.Detail}
		}
	}
	sort.Strings(keys)
	now := map[string]bool{}
	for _, key := range keys {
		now[key] = true
		if s.blocked[key] {
			continue
		}
		v := found[key]
		v.Trace = s.emit(trace.EventViolation, firstNonEmpty(v.Constraint, v.Step), s.root, &trace.Data{Constraint: v.Constraint, Severity: v.Severity, Step: v.Step, Intent: v.Intent, Resource: v.Resource, Reason: v.Detail, Status: "blocked"})
		s.cur.Violations = append(s.cur.Violations, v)
		s.nViol++
	}
	s.blocked = now
}

// abort ends the session on a critical violation: the abort record
// descends from the violation, every in-flight attempt is rolled back under
// it (with a cancel action for the host) and every pending step cancelled.
func (s *Session) abort(v Violation) {
	id := s.emit(trace.EventAbort, s.id, v.Trace, &trace.Data{Constraint: v.Constraint, Severity: v.Severity, Step: v.Step, Resource: v.Resource, Reason: "critical constraint violated"})
	s.end(StatusAborted, id, "critical constraint "+strconv.Quote(v.Constraint)+" violated")
}
