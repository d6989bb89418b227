package exec

import (
	"strings"

	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/trace"
)

func (s *Session) input() plan.Input {
	return plan.Input{Graph: s.g, Contract: s.contract, State: s.eff, Weights: s.weights, NodeDilation: true}
}

func (s *Session) optimize() (*plan.Plan, error) {
	return plan.Optimize(s.input(), plan.Options{Compiler: s.comp})
}

// replan computes this tick's plan: the first plan with Optimize, later
// ones with Reoptimize from the previous plan, with every step the
// executor has bound (active, done, failed, cancelled, or dispatched
// before and waiting for its re-dispatch) passed as done or active so it
// keeps its resource (continuity); pending steps move only past the
// optimizer's hysteresis. New steps are created pending; pending steps that
// were never dispatched take the plan's binding. A plan record is written
// when the assignment or the feasibility changes.
func (s *Session) replan() {
	var p *plan.Plan
	var changes []plan.Change
	var err error
	if s.plan == nil {
		p, err = s.freshPlan, nil
		if p == nil {
			p, err = s.optimize()
		}
	} else {
		// Steps bound by execution but missing from the previous plan
		// (an infeasible plan lists none) are added to it with their
		// binding, so Reoptimize keeps them where they ran.
		prev := s.plan
		var done, active []string
		for _, st := range s.steps {
			bound := st.Status == StepDone || st.Status == StepFailed || st.Status == StepCancelled || st.Status == StepActive || len(st.Chain) > 0
			if bound && s.planStep(prev, st.ID) == nil && st.Resource != "" {
				if prev == s.plan {
					prev = clonePlan(prev)
				}
				prev.Steps = append(prev.Steps, &plan.Step{ID: st.ID, Intent: st.Intent, Resource: st.Resource, Provider: st.Provider,
					DependsOn: []string{}, Fallbacks: []plan.Fallback{}, Rejected: []plan.Rejection{}, SoftMisses: []string{}})
			}
			if s.planStep(prev, st.ID) == nil {
				continue
			}
			switch {
			case st.Status == StepDone || st.Status == StepFailed || st.Status == StepCancelled:
				done = append(done, st.ID)
			case st.Status == StepActive || len(st.Chain) > 0:
				active = append(active, st.ID)
			}
		}
		p, changes, err = plan.Reoptimize(prev, s.input(), done, active, plan.Options{Compiler: s.comp})
	}
	s.freshPlan = nil
	if err != nil {
		s.fail(err)
		return
	}
	prev := s.plan
	s.plan = p
	s.cur.Plan = p
	for _, ps := range p.Steps {
		st := s.byID[ps.ID]
		if st == nil {
			st = &StepState{ID: ps.ID, Intent: ps.Intent, Status: StepPending, Chain: []string{}, Tried: []string{}}
			s.steps = append(s.steps, st)
			s.byID[st.ID] = st
		}
		if st.Status == StepPending && len(st.Chain) == 0 {
			st.Resource, st.Provider = ps.Resource, ps.Provider
		}
	}
	if changed(prev, p) {
		d := &trace.Data{Plan: p.ID, Status: feasibility(p)}
		if p.Infeasibility != nil {
			d.Reason = p.Infeasibility.Code
		}
		for _, c := range changes {
			if c.From != c.To {
				d.Ids = append(d.Ids, c.Step+":"+c.From+"->"+c.To)
			}
		}
		s.planRec = s.emit(trace.EventPlan, s.id, firstNonEmpty(s.planRec, s.root), d)
	}
	s.recordPlanViolations(p)
}

func feasibility(p *plan.Plan) string {
	if p.Feasible {
		return "feasible"
	}
	return "infeasible"
}

// changed reports whether the plan's assignment or feasibility differs.
func changed(a, b *plan.Plan) bool {
	if a == nil || a.Feasible != b.Feasible || len(a.Steps) != len(b.Steps) {
		return true
	}
	if (a.Infeasibility == nil) != (b.Infeasibility == nil) || (a.Infeasibility != nil && a.Infeasibility.Code != b.Infeasibility.Code) {
		return true
	}
	for i := range a.Steps {
		if a.Steps[i].ID != b.Steps[i].ID || a.Steps[i].Resource != b.Steps[i].Resource {
			return true
		}
	}
	return false
}

// rebind updates the plan's bound resource for a step (after a swap or a
// failover), so the next Reoptimize keeps what actually runs.
func (s *Session) rebind(stepID, resource, provider string) {
	if ps := s.planStep(s.plan, stepID); ps != nil && ps.Resource != resource {
		s.plan = clonePlan(s.plan)
		ps = s.planStep(s.plan, stepID)
		ps.Resource, ps.Provider = resource, provider
		var keep []plan.Fallback
		for _, f := range ps.Fallbacks {
			if f.Resource != resource {
				keep = append(keep, f)
			}
		}
		ps.Fallbacks = keep
		if ps.Fallbacks == nil {
			ps.Fallbacks = []plan.Fallback{}
		}
	}
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func joinIDs(ids []string) string { return strings.Join(ids, ",") }

// clonePlan copies a plan and its steps (not their slices, which are
// replaced, never modified), so plans already reported stay as they were.
func clonePlan(p *plan.Plan) *plan.Plan {
	c := *p
	c.Steps = make([]*plan.Step, len(p.Steps))
	for i, st := range p.Steps {
		cs := *st
		c.Steps[i] = &cs
	}
	return &c
}
