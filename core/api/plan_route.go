package api

import (
	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/plan"
)

// The lean answer of plan.optimize: with `"select": "route"` the result is
// {route} instead of {plan}, carrying only what a caller that plans every
// turn reads — the plan id, feasibility (and the infeasibility code), and
// per step the chosen resource, the failover order and the grounding
// policy. The plan is the same as the full answer's (same id, same choices):
// only the encoding is shorter.

// Select values of plan.optimize.
const (
	selectPlan  = "plan"
	selectRoute = "route"
)

//easyjson:json
type routeResult struct {
	Route *route `json:"route"`
}

// route is the lean view of a plan.
//
//easyjson:json
type route struct {
	ID            string      `json:"id"`
	Feasible      bool        `json:"feasible"`
	Infeasibility string      `json:"infeasibility,omitempty"`
	Steps         []routeStep `json:"steps"`
}

// routeStep is one step: the chosen resource, then the failover chain.
//
//easyjson:json
type routeStep struct {
	Intent    string             `json:"intent"`
	Resource  string             `json:"resource"`
	Provider  string             `json:"provider"`
	Failover  []routeTarget      `json:"failover"`
	Grounding dilation.Grounding `json:"grounding"`
}

//easyjson:json
type routeTarget struct {
	Resource string `json:"resource"`
	Provider string `json:"provider"`
}

// routeOf builds the lean view of pl.
func routeOf(pl *plan.Plan) *routeResult {
	r := &route{ID: pl.ID, Feasible: pl.Feasible, Steps: make([]routeStep, len(pl.Steps))}
	if pl.Infeasibility != nil {
		r.Infeasibility = pl.Infeasibility.Code
	}
	n := 0
	for _, st := range pl.Steps {
		n += len(st.Fallbacks)
	}
	targets := make([]routeTarget, n)
	for i, st := range pl.Steps {
		fo := targets[:len(st.Fallbacks):len(st.Fallbacks)]
		targets = targets[len(st.Fallbacks):]
		for k, f := range st.Fallbacks {
			fo[k] = routeTarget{Resource: f.Resource, Provider: f.Provider}
		}
		r.Steps[i] = routeStep{Intent: st.Intent, Resource: st.Resource, Provider: st.Provider, Failover: fo, Grounding: st.Grounding}
	}
	return &routeResult{Route: r}
}
