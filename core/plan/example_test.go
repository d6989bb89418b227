package plan_test

import (
	"fmt"

	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/state"
)

// A chat turn: no intent node, so the contract's text is the one implicit
// intent; the state reports that openai is slow today, so the plan picks
// anthropic and keeps openai as the failover.
func ExampleOptimize() {
	g := graph.New()
	target := 1500.0
	for _, n := range []*graph.Node{
		{ID: "openai", Kind: graph.KindResource, Provider: "openai", CostPerToken: 0.00001, LatencyTargetMs: &target},
		{ID: "anthropic", Kind: graph.KindResource, Provider: "anthropic", CostPerToken: 0.000012, LatencyTargetMs: &target},
		{ID: "local", Kind: graph.KindResource, Provider: "local", CostPerCall: 0.0001, Health: new(float64)},
	} {
		if err := g.AddNode(n); err != nil {
			panic(err)
		}
	}
	s := &state.SystemState{}
	s.Resources.LatencyMs.Set("openai", 4500)
	p, err := plan.Optimize(plan.Input{
		Graph:    g,
		Contract: &plan.Contract{ID: "turn-1", Intent: "What changed in the latest release?"},
		State:    s,
	}, plan.Options{})
	if err != nil {
		panic(err)
	}
	st := p.Steps[0]
	fmt.Println(p.Feasible, p.Optimal, st.ID, st.Resource)
	for _, f := range st.Fallbacks {
		fmt.Println("fallback", f.Resource, f.Cost)
	}
	for _, r := range st.Rejected {
		fmt.Println("rejected", r.Resource, r.Reason)
	}
	// Output:
	// true true step-intent anthropic
	// fallback openai 0.090666666667
	// rejected local RESOURCE_DOWN
}
