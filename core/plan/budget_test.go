package plan

import (
	"strings"
	"testing"
	"time"

	"github.com/convergence-io/ceg/core/graph"
)

func embedding(n int) []float64 {
	e := make([]float64, n)
	for i := range e {
		e[i] = float64(i%7) / 10
	}
	return e
}

// Regression (issue 9): one predicate nesting all() three deep over a
// 400-element embedding blocked plan.optimize for 38 s in Node (1,000
// elements: over 120 s). The work budget stops each evaluation and the
// plan answers at once, the candidates rejected with PREDICATE_BUDGET.
func TestPredicateBudgetStopsNestedLoops(t *testing.T) {
	const pred = `all(intent.embedding, {all(intent.embedding, {all(intent.embedding, {# >= 0})})})`
	for _, n := range []int{400, 1000} {
		g := graph.New()
		addTo(t, g, &graph.Node{ID: "i", Kind: graph.KindIntent, Embedding: embedding(n)})
		for _, id := range []string{"a", "b", "c"} {
			addTo(t, g, &graph.Node{ID: id, Kind: graph.KindResource, Provider: id})
		}
		addTo(t, g, &graph.Node{ID: "k", Kind: graph.KindConstraint, Predicate: pred})
		start := time.Now()
		p, err := Optimize(Input{Graph: g, Contract: &Contract{ID: "c"}}, Options{})
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		if p.Feasible || len(p.Infeasibility.Candidates) != 1 {
			t.Fatalf("n=%d: want infeasible, got %+v", n, p.Infeasibility)
		}
		for _, r := range p.Infeasibility.Candidates[0].Rejected {
			if r.Reason != ReasonPredicateBudget || r.Constraint != "k" {
				t.Errorf("n=%d: %s rejected with %s (%s), want PREDICATE_BUDGET", n, r.Resource, r.Reason, r.Detail)
			}
		}
		if took > 5*time.Second { // a generous bound for a loaded machine; ~0.1 s natively
			t.Errorf("n=%d: optimize took %v", n, took)
		}
	}
}

// A predicate is charged its collection lengths: one at the per-evaluation
// limit runs; one unit past it is PREDICATE_BUDGET.
func TestPredicateBudgetAtTheLimit(t *testing.T) {
	// all(e, ...) costs 1 + len(e) units.
	for _, tt := range []struct {
		n      int
		reason string
	}{{MaxPredicateWork - 1, ""}, {MaxPredicateWork, ReasonPredicateBudget}} {
		g := graph.New()
		addTo(t, g, &graph.Node{ID: "i", Kind: graph.KindIntent, Embedding: embedding(tt.n)})
		addTo(t, g, &graph.Node{ID: "a", Kind: graph.KindResource, Provider: "a"})
		addTo(t, g, &graph.Node{ID: "k", Kind: graph.KindConstraint, Predicate: `all(intent.embedding, {# >= 0})`})
		p, err := Optimize(Input{Graph: g, Contract: &Contract{ID: "c"}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if !p.Feasible {
			got = p.Infeasibility.Candidates[0].Rejected[0].Reason
		}
		if got != tt.reason {
			t.Errorf("embedding of %d: got %q want %q", tt.n, got, tt.reason)
		}
	}
}

// The budget across one plan's evaluations: once spent, the remaining
// pairs are rejected without running their predicate.
func TestPlanPredicateBudget(t *testing.T) {
	g := graph.New()
	addTo(t, g, &graph.Node{ID: "i", Kind: graph.KindIntent, Embedding: embedding(MaxPredicateWork / 2)})
	n := MaxPlanPredicateWork/(MaxPredicateWork/2) + 5
	for i := 0; i < n; i++ {
		id := string(rune('a'+i/26)) + string(rune('a'+i%26))
		addTo(t, g, &graph.Node{ID: id, Kind: graph.KindResource, Provider: id})
	}
	addTo(t, g, &graph.Node{ID: "k", Kind: graph.KindConstraint, Predicate: `all(intent.embedding, {# < 0})`})
	p, err := Optimize(Input{Graph: g, Contract: &Contract{ID: "c"}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	violated, budget, notRun := 0, 0, 0
	for _, r := range p.Infeasibility.Candidates[0].Rejected {
		switch r.Reason {
		case ReasonConstraintViolated:
			violated++
		case ReasonPredicateBudget:
			budget++
			if strings.Contains(r.Detail, "was not run") {
				notRun++
			}
		}
	}
	// The pair that meets the end of the plan's budget is stopped; every
	// later one is not run at all.
	if notRun != budget-1 {
		t.Errorf("%d of %d budget rejections were not run; want all but one", notRun, budget)
	}
	// all(..., # < 0) stops at the first element: 1 + len units each.
	if violated != MaxPlanPredicateWork/(MaxPredicateWork/2+1) || budget != n-violated {
		t.Errorf("violated %d, over budget %d of %d", violated, budget, n)
	}
}

// Wrapping values in charges keeps the checker's types: a misspelt field
// or a type error is still a compile error, and typed predicates run.
func TestChargesKeepTypes(t *testing.T) {
	c := NewCompiler(0)
	for _, ok := range []string{
		`all(intent.embedding, {# + 1 > 0})`,
		`"chat" in resource.capabilities && resource.provider startsWith "op"`,
		`sum(map(intent.embedding, {# * 2})) >= 0`,
		`len(filter(intent.labels, {# == "pii"})) == 0`,
		`repeat("ab", 3) == "ababab"`,
		`join(intent.capabilities, ",") != "x" + resource.provider`,
	} {
		if _, err := c.Compile(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{
		`all(intent.embedding, {#.foo > 0})`,
		`all(intent.capabilities, {# > 1})`,
		`resource.costPerTokn > 0`,
	} {
		if _, err := c.Compile(bad); err == nil {
			t.Errorf("%s: want a compile error", bad)
		}
	}
	// A predicate can spell the budget's name with backquotes, but can
	// neither read nor refill it.
	for _, bad := range []string{"`ceg budget`.left > 0", "`ceg budget`.Left > 0"} {
		if _, err := c.Compile(bad); err == nil {
			t.Errorf("%s: want a compile error", bad)
		}
	}
}

func addTo(t *testing.T, g *graph.Graph, n *graph.Node) {
	t.Helper()
	if err := g.AddNode(n); err != nil {
		t.Fatal(err)
	}
}

// FuzzPredicateBudget: whatever predicate compiles, evaluating it over an
// intent with a 300-element embedding ends within its work budget (or is
// stopped by it) and never panics.
func FuzzPredicateBudget(f *testing.F) {
	for _, s := range []string{
		`all(intent.embedding, {all(intent.embedding, {all(intent.embedding, {# >= 0})})})`,
		`sum(map(intent.embedding, {len(filter(intent.embedding, {# > 0.2}))})) > 0`,
		`len(repeat("ab", int(resource.latencyTargetMs))) > 0`,
		`any(1..1000, {any(1..1000, {# == 999})})`,
		`"x" in intent.labels || resource.provider startsWith "a"`,
	} {
		f.Add(s)
	}
	g := graph.New()
	_ = g.AddNode(&graph.Node{ID: "i", Kind: graph.KindIntent, Embedding: embedding(300), Labels: []string{"x"}})
	_ = g.AddNode(&graph.Node{ID: "a", Kind: graph.KindResource, Provider: "a"})
	f.Fuzz(func(t *testing.T, pred string) {
		if len(pred) > 200 {
			return
		}
		c := NewCompiler(0)
		if _, err := c.Compile(pred); err != nil {
			return
		}
		h := g.Clone()
		if err := h.AddNode(&graph.Node{ID: "k", Kind: graph.KindConstraint, Predicate: pred}); err != nil {
			return
		}
		start := time.Now()
		if _, err := Optimize(Input{Graph: h, Contract: &Contract{ID: "c"}}, Options{Compiler: c}); err != nil {
			return
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("%s took %v", pred, d)
		}
	})
}
