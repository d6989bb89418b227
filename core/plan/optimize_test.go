package plan

import (
	"errors"
	"fmt"
	"github.com/mailru/easyjson/jlexer"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/graph"
)

const twoProviders = `{"nodes":[
	{"id":"openai","kind":"resource","provider":"openai","costPerToken":0.00001,"latencyTargetMs":1500},
	{"id":"anthropic","kind":"resource","provider":"anthropic","costPerToken":0.000015,"latencyTargetMs":1800}],"edges":[]}`

// The reference behaviours every runtime's conformance vectors also check.
func TestReferenceBehaviours(t *testing.T) {
	t.Run("two healthy providers: feasible with one step", func(t *testing.T) {
		p := mustOptimize(t, input(t, twoProviders, `{"id":"c","intent":"hello"}`, ""))
		if !p.Feasible || !p.Optimal || len(p.Steps) != 1 || p.Steps[0].ID != "step-intent" || p.Steps[0].Intent != ImplicitIntentID {
			t.Fatalf("got: %s", planJSON(p))
		}
		st := p.Steps[0]
		if st.Resource != "openai" || len(st.Fallbacks) != 1 || st.Fallbacks[0].Resource != "anthropic" {
			t.Errorf("got: %s want: openai with anthropic as the failover", planJSON(p))
		}
	})
	t.Run("forbidding the only provider: infeasible", func(t *testing.T) {
		g := `{"nodes":[{"id":"openai","kind":"resource","provider":"openai"}],"edges":[]}`
		p := mustOptimize(t, input(t, g, `{"forbiddenProviders":["openai"]}`, ""))
		if p.Feasible || p.Infeasibility.Code != InfeasibleNoEligible || p.Infeasibility.Candidates[0].Rejected[0].Reason != ReasonForbiddenProvider {
			t.Errorf("got: %s want: NO_ELIGIBLE_RESOURCES with FORBIDDEN_PROVIDER", planJSON(p))
		}
	})
	t.Run("allowedProviders selects that provider", func(t *testing.T) {
		p := mustOptimize(t, input(t, twoProviders, `{"allowedProviders":["anthropic"]}`, ""))
		if !p.Feasible || p.Steps[0].Provider != "anthropic" || len(p.Steps[0].Fallbacks) != 0 {
			t.Errorf("got: %s want: anthropic only", planJSON(p))
		}
	})
	t.Run("no resource nodes: NO_ELIGIBLE_RESOURCES", func(t *testing.T) {
		p := mustOptimize(t, input(t, `{"nodes":[],"edges":[]}`, `{"intent":"hi"}`, ""))
		if p.Feasible || p.Infeasibility.Code != InfeasibleNoEligible || len(p.Infeasibility.Candidates) != 1 {
			t.Errorf("got: %s", planJSON(p))
		}
	})
	t.Run("violated hard constraint: HARD_CONSTRAINT_VIOLATED", func(t *testing.T) {
		g := strings.Replace(twoProviders, `],"edges"`, `,{"id":"k","kind":"constraint","severity":"hard","satisfied":false}],"edges"`, 1)
		p := mustOptimize(t, input(t, g, `{}`, ""))
		if p.Feasible || p.Infeasibility.Code != InfeasibleHard {
			t.Errorf("got: %s", planJSON(p))
		}
	})
	t.Run("budget below every cost: BUDGET_EXCEEDED", func(t *testing.T) {
		p := mustOptimize(t, input(t, twoProviders, `{"constraints":{"maxCost":0.001}}`, ""))
		if p.Feasible || p.Infeasibility.Code != InfeasibleBudget || len(p.Infeasibility.Candidates[0].Rejected) != 0 {
			t.Errorf("got: %s", planJSON(p))
		}
	})
	t.Run("equal but for price: the cheaper wins", func(t *testing.T) {
		g := `{"nodes":[{"id":"x","kind":"resource","provider":"px","costPerToken":0.00002},{"id":"y","kind":"resource","provider":"py","costPerToken":0.00001}],"edges":[]}`
		p := mustOptimize(t, input(t, g, `{}`, ""))
		if p.Steps[0].Resource != "y" {
			t.Errorf("got: %s want: y", planJSON(p))
		}
	})
}

func TestInfeasibilityCodes(t *testing.T) {
	tests := []struct {
		name, graph, contract, code string
	}{
		{"memory beats every other code", `{"nodes":[{"id":"i","kind":"intent"},{"id":"m","kind":"memory","accessPolicy":"internal"},
			{"id":"k","kind":"constraint","satisfied":false},{"id":"r","kind":"resource","provider":"p","costPerToken":1}],
			"edges":[{"from":"i","to":"m","kind":"requires"}]}`, `{"constraints":{"memoryPolicy":"public"}}`, InfeasibleMemory},
		{"hard constraint beats no eligible", `{"nodes":[{"id":"i","kind":"intent"},{"id":"j","kind":"intent"},
			{"id":"k","kind":"constraint","satisfied":false},{"id":"r","kind":"resource","provider":"p"},{"id":"s","kind":"resource","provider":"q","health":0}],
			"edges":[{"from":"k","to":"i","kind":"blocks"},{"from":"j","to":"s","kind":"executes_on"}]}`, `{}`, InfeasibleHard},
		{"hard needs every candidate gone", `{"nodes":[{"id":"i","kind":"intent"},
			{"id":"k","kind":"constraint","satisfied":false},{"id":"r","kind":"resource","provider":"p"},{"id":"s","kind":"resource","provider":"q","health":0}],
			"edges":[{"from":"k","to":"r","kind":"blocks"}]}`, `{}`, InfeasibleHard},
		{"no eligible", `{"nodes":[{"id":"i","kind":"intent","capabilities":["x"]},{"id":"r","kind":"resource","provider":"p"}],"edges":[]}`, `{}`, InfeasibleNoEligible},
		{"no candidate at all", `{"nodes":[{"id":"i","kind":"intent"},{"id":"m","kind":"memory"},{"id":"r","kind":"resource","provider":"p"}],
			"edges":[{"from":"i","to":"m","kind":"executes_on"}]}`, `{}`, InfeasibleNoEligible},
		{"budget", `{"nodes":[{"id":"i","kind":"intent"},{"id":"j","kind":"intent"},{"id":"r","kind":"resource","provider":"p","costPerCall":0.03}],"edges":[]}`,
			`{"constraints":{"maxCost":0.05}}`, InfeasibleBudget},
		{"latency", `{"nodes":[{"id":"i","kind":"intent"},{"id":"j","kind":"intent"},{"id":"r","kind":"resource","provider":"p","latencyTargetMs":600}],
			"edges":[{"from":"j","to":"i","kind":"requires"}]}`, `{"constraints":{"maxLatencyMs":1000}}`, InfeasibleLatency},
		{"budget and latency together", `{"nodes":[{"id":"i","kind":"intent"},
			{"id":"fast","kind":"resource","provider":"p","latencyTargetMs":100,"costPerCall":0.04},
			{"id":"cheap","kind":"resource","provider":"q","latencyTargetMs":5000,"costPerCall":0.001}],"edges":[]}`,
			`{"constraints":{"maxCost":0.01,"maxLatencyMs":1000}}`, InfeasibleLatency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustOptimize(t, input(t, tt.graph, tt.contract, ""))
			if p.Feasible || p.Infeasibility == nil || p.Infeasibility.Code != tt.code {
				t.Fatalf("got: %s want: %s", planJSON(p), tt.code)
			}
			if p.Infeasibility.Message == "" || len(p.Steps) != 0 {
				t.Errorf("an infeasible plan has a message and no steps: %s", planJSON(p))
			}
			intents := 0
			for _, n := range mustGraph(t, tt.graph).NodesByKind(graph.KindIntent) {
				_ = n
				intents++
			}
			if len(p.Infeasibility.Candidates) != intents {
				t.Errorf("candidates got: %d intents want: %d", len(p.Infeasibility.Candidates), intents)
			}
		})
	}
}

func TestStepsOrderAndFields(t *testing.T) {
	// c requires a and b; a transforms_into d; b enables a (same wave: b first).
	g := `{"nodes":[
		{"id":"a","kind":"intent","tokens":2000},{"id":"b","kind":"intent"},{"id":"c","kind":"intent","dilation":3.2},{"id":"d","kind":"intent"},
		{"id":"r1","kind":"resource","provider":"p1","costPerToken":0.00001,"latencyTargetMs":1000},
		{"id":"r2","kind":"resource","provider":"p2","costPerToken":0.00003,"latencyTargetMs":500},
		{"id":"r3","kind":"resource","provider":"p3","costPerToken":0.000001,"latencyTargetMs":400,"health":0}],
	"edges":[{"from":"c","to":"a","kind":"requires"},{"from":"c","to":"b","kind":"requires"},
		{"from":"a","to":"d","kind":"transforms_into"},{"from":"b","to":"a","kind":"enables"}]}`
	p := mustOptimize(t, input(t, g, `{"id":"k"}`, `{"resources":{"latencyMs":{"p1":1500}}}`))
	var ids []string
	for _, st := range p.Steps {
		ids = append(ids, fmt.Sprintf("%s/w%d/%v", st.ID, st.Wave, st.DependsOn))
	}
	if got, want := strings.Join(ids, " "), "step-b/w0/[] step-a/w0/[] step-c/w1/[step-a step-b] step-d/w1/[step-a]"; got != want {
		t.Errorf("order got: %s want: %s", got, want)
	}
	a := stepOf(p, "a")
	d := dilation.FromHealth(1, 1.5) // p1 has an observed latency
	if a.Resource != "r1" || a.EstimatedCost != 0.02 || a.EstimatedLatencyMs != 1500 || a.Dilation != d ||
		a.DilatedLatencyMs != dilation.Round(1500*d) || a.DeadlineMs != dilation.Round(1000*d*2) {
		t.Errorf("step a got: %+v", a)
	}
	if len(a.Fallbacks) != 1 || a.Fallbacks[0].Resource != "r2" || len(a.Rejected) != 1 || a.Rejected[0].Reason != ReasonResourceDown {
		t.Errorf("step a fallbacks/rejected got: %+v / %+v", a.Fallbacks, a.Rejected)
	}
	c := stepOf(p, "c")
	if c.Grounding != dilation.Policy(3.2, 5, 2) || !c.Grounding.DeepMode {
		t.Errorf("step c grounding got: %+v", c.Grounding)
	}
	var total, obj float64
	for _, st := range p.Steps {
		total += st.EstimatedCost
		obj += st.Cost
	}
	if dilation.Round(total) != p.TotalCost || dilation.Round(obj) != p.Objective {
		t.Errorf("totals got: %v %v want: %v %v", p.TotalCost, p.Objective, total, obj)
	}
	// critical path: max(b, a) then c; or a then d.
	cp := max(stepOf(p, "a").DilatedLatencyMs, stepOf(p, "b").DilatedLatencyMs) + c.DilatedLatencyMs
	cp = max(cp, stepOf(p, "a").DilatedLatencyMs+stepOf(p, "d").DilatedLatencyMs)
	if dilation.Round(cp) != p.TotalLatencyMs {
		t.Errorf("totalLatencyMs got: %v want: %v", p.TotalLatencyMs, cp)
	}
	if p.ContractID != "k" || !strings.HasPrefix(p.ID, "plan-") || len(p.ID) != 21 {
		t.Errorf("ids got: %q %q", p.ContractID, p.ID)
	}
}

func TestSoftConstraintsRankFirst(t *testing.T) {
	g := `{"nodes":[{"id":"i","kind":"intent"},
		{"id":"cheap","kind":"resource","provider":"p1","costPerToken":0.000001},
		{"id":"dear","kind":"resource","provider":"p2","costPerToken":0.0001},
		{"id":"mid","kind":"resource","provider":"p3","costPerToken":0.00001},
		{"id":"s1","kind":"constraint","severity":"soft","predicate":"resource.costPerToken > 0.000005"},
		{"id":"s2","kind":"constraint","severity":"soft","satisfied":false}],
	"edges":[{"from":"s2","to":"mid","kind":"blocks"}]}`
	p := mustOptimize(t, input(t, g, `{"constraints":{"maxCost":1}}`, ""))
	st := p.Steps[0]
	var fb []string
	for _, f := range st.Fallbacks {
		fb = append(fb, fmt.Sprintf("%s:%d", f.Resource, f.SoftMisses))
	}
	if st.Resource != "dear" || len(st.SoftMisses) != 0 || strings.Join(fb, " ") != "cheap:1 mid:1" {
		t.Errorf("got: %s (fallbacks %v) want: dear (no soft miss), then cheap, mid", planJSON(p), fb)
	}
	// With every candidate missing something, the fewest misses win.
	g2 := strings.Replace(g, `"predicate":"resource.costPerToken > 0.000005"`, `"satisfied":false`, 1)
	q := mustOptimize(t, input(t, g2, `{"constraints":{"maxCost":1}}`, ""))
	if q.Steps[0].Resource != "cheap" || fmt.Sprint(q.Steps[0].SoftMisses) != "[s1]" {
		t.Errorf("got: %s want: cheap missing s1", planJSON(q))
	}
	// Under the default budget (0.05) dear is out of reach: a soft miss is
	// the price of feasibility.
	r := mustOptimize(t, input(t, g, `{}`, ""))
	if r.Steps[0].Resource != "cheap" || !r.Optimal {
		t.Errorf("got: %s want: cheap (dear exceeds maxCost)", planJSON(r))
	}
}

func TestIntentScope(t *testing.T) {
	g := `{"nodes":[{"id":"a","kind":"intent"},{"id":"b","kind":"intent"},{"id":"r","kind":"resource","provider":"p"}],
		"edges":[{"from":"b","to":"a","kind":"requires"}]}`
	p := mustOptimize(t, input(t, g, `{"intents":["b","b"]}`, ""))
	if len(p.Steps) != 1 || p.Steps[0].ID != "step-b" || len(p.Steps[0].DependsOn) != 0 {
		t.Errorf("got: %s want: only step-b", planJSON(p))
	}
	for _, tt := range []struct{ contract, code, path string }{
		{`{"intents":["a","zz"]}`, errs.CodeUnknownNode, "contract.intents[1]"},
		{`{"intents":["r"]}`, errs.CodeInvalidParams, "contract.intents[0]"},
	} {
		_, err := Optimize(input(t, g, tt.contract, ""), Options{})
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != tt.code || e.Path != tt.path {
			t.Errorf("%s: got: %v want: %s at %s", tt.contract, err, tt.code, tt.path)
		}
	}
}

// requires and transforms_into point opposite ways: "a requires b" (b
// first) and "a transforms_into b" (a first) is a cycle, which the graph
// rejects before any plan is made.
func TestIntentCycle(t *testing.T) {
	var d graph.Doc
	g := `{"nodes":[{"id":"a","kind":"intent"},{"id":"b","kind":"intent"},{"id":"r","kind":"resource","provider":"p"}],
		"edges":[{"from":"a","to":"b","kind":"requires"},{"from":"a","to":"b","kind":"transforms_into"}]}`
	l := jlexer.Lexer{Data: []byte(g)}
	d.UnmarshalEasyJSON(&l)
	if err := l.Error(); err != nil {
		t.Fatal(err)
	}
	_, err := graph.FromDoc(&d, graph.Limits{}, "graph")
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.CodeCycle || len(e.IDs) != 2 {
		t.Errorf("got: %v want: CYCLE naming a and b", err)
	}
}

func TestImplicitIntent(t *testing.T) {
	// The implicit intent's D comes from estimate(text).
	text := "Compare the latest prices, maybe? Not sure??"
	p := mustOptimize(t, input(t, twoProviders, fmt.Sprintf(`{"intent":%q}`, text), ""))
	d, _ := dilation.Estimate(text, 0.5, 0)
	if p.Steps[0].Grounding != dilation.Policy(d, 5, 2) {
		t.Errorf("grounding got: %+v want: that of D=%v", p.Steps[0].Grounding, d)
	}
	// Constraints that name an intent node do not apply to the implicit intent.
	g := strings.Replace(twoProviders, `],"edges":[]`, `,{"id":"m","kind":"memory"},{"id":"k","kind":"constraint","satisfied":false}],"edges":[{"from":"k","to":"m","kind":"blocks"}]`, 1)
	if q := mustOptimize(t, input(t, g, `{}`, "")); !q.Feasible {
		t.Errorf("got: %s want: feasible", planJSON(q))
	}
}

func TestDeterminism(t *testing.T) {
	in := DAGWorkload(40, 8, 3)
	doc := in.Graph.Doc()
	want := planJSON(mustOptimize(t, in))
	rng := rand.New(rand.NewPCG(9, 9))
	for trial := 0; trial < 5; trial++ {
		d := &graph.Doc{Tick: doc.Tick}
		for _, n := range doc.Nodes {
			d.Nodes = append(d.Nodes, n.Clone())
		}
		for _, e := range doc.Edges {
			d.Edges = append(d.Edges, e.Clone())
		}
		rng.Shuffle(len(d.Nodes), func(i, j int) { d.Nodes[i], d.Nodes[j] = d.Nodes[j], d.Nodes[i] })
		rng.Shuffle(len(d.Edges), func(i, j int) { d.Edges[i], d.Edges[j] = d.Edges[j], d.Edges[i] })
		g, err := graph.FromDoc(d, graph.Limits{}, "graph")
		if err != nil {
			t.Fatal(err)
		}
		c := *in.Contract
		if got := planJSON(mustOptimize(t, Input{Graph: g, Contract: &c, State: in.State})); got != want {
			t.Fatalf("trial %d: shuffled input gave different plan bytes", trial)
		}
	}
}

func TestPlanID(t *testing.T) {
	base := mustOptimize(t, input(t, twoProviders, `{"id":"c"}`, "")).ID
	same := mustOptimize(t, input(t, twoProviders, `{"id":"c","constraints":{"maxCost":0.05},"weights":{"risk":0.2}}`, "")).ID
	if same != base {
		t.Errorf("explicit defaults changed the id: %s vs %s", same, base)
	}
	nilState := mustOptimize(t, input(t, twoProviders, `{"id":"c"}`, `{}`)).ID
	if nilState != base {
		t.Errorf("an empty state changed the id")
	}
	for _, c := range []string{`{"id":"d"}`, `{"id":"c","constraints":{"maxCost":0.5}}`, `{"id":"c","weights":{"risk":0.3}}`} {
		if id := mustOptimize(t, input(t, twoProviders, c, "")).ID; id == base {
			t.Errorf("%s: same id as a different request", c)
		}
	}
	w := 0.9
	in := input(t, twoProviders, `{"id":"c","weights":{"latency":0.9}}`, "")
	viaParam := input(t, twoProviders, `{"id":"c"}`, "")
	viaParam.Weights = &CostWeights{Latency: &w}
	if mustOptimize(t, in).ID != mustOptimize(t, viaParam).ID {
		t.Errorf("the same resolved weights gave different ids")
	}
}

func TestInputsNotModified(t *testing.T) {
	in := input(t, twoProviders, `{"id":"c"}`, "")
	mustOptimize(t, in)
	if in.Contract.Constraints.MaxCost != nil || in.Contract.IdentityScope != "" {
		t.Errorf("Optimize normalized the caller's contract: %+v", in.Contract)
	}
}

// A pair that violates a hard and a critical constraint is reported against
// the critical one, whatever the ids, so the executor aborts on it.
func TestCriticalReportedFirst(t *testing.T) {
	g := strings.Replace(twoProviders, `],"edges":[]`,
		`,{"id":"a-hard","kind":"constraint","severity":"hard","satisfied":false},{"id":"z-crit","kind":"constraint","severity":"critical","satisfied":false}],"edges":[]`, 1)
	p := mustOptimize(t, input(t, g, `{}`, ""))
	if p.Feasible || p.Infeasibility == nil {
		t.Fatalf("got: %s want: infeasible", planJSON(p))
	}
	for _, c := range p.Infeasibility.Candidates {
		for _, r := range c.Rejected {
			if r.Reason != ReasonConstraintViolated || r.Constraint != "z-crit" {
				t.Errorf("%s on %s got: %s %q want: CONSTRAINT_VIOLATED by z-crit", c.Intent, r.Resource, r.Reason, r.Constraint)
			}
		}
	}
}
