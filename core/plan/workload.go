package plan

import (
	"fmt"
	"math/rand/v2"

	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/state"
)

// Benchmark workloads, shared by the native benchmarks (bench_test.go) and
// the wasm benchmarks, which send the same inputs through the module. They
// are deterministic: the same arguments always build the same Input.

// ChatWorkload is one chat turn: no intent node (the contract's intent
// text is the implicit intent) over six LLM providers, with a state that
// reports health and latency for some of them, one provider with breaker
// errors and one whose circuit is open.
func ChatWorkload() Input {
	g := graph.New()
	type prov struct {
		name              string
		perToken, perCall float64
		target            float64
		caps              []string
	}
	provs := []prov{
		{"anthropic", 0.000015, 0, 1800, []string{"chat", "tools", "vision"}},
		{"google", 0.000007, 0, 1600, []string{"chat", "tools", "vision"}},
		{"groq", 0.0000008, 0, 600, []string{"chat"}},
		{"local", 0, 0.0001, 2500, []string{"chat", "deterministic"}},
		{"mistral", 0.000004, 0, 1400, []string{"chat", "tools"}},
		{"openai", 0.00001, 0, 1500, []string{"chat", "tools", "vision"}},
	}
	for _, p := range provs {
		mustAdd(g.AddNode(&graph.Node{ID: p.name, Kind: graph.KindResource, ResourceKind: "llm", Provider: p.name,
			CostPerToken: p.perToken, CostPerCall: p.perCall, LatencyTargetMs: ptr(p.target), Capabilities: p.caps,
			External: p.name != "local"}))
	}
	s := &state.SystemState{Tick: 42, Now: 1_700_000_000_000}
	s.Resources.Health.Set("openai", 0.97)
	s.Resources.Health.Set("anthropic", 1)
	s.Resources.Health.Set("groq", 0.8)
	s.Resources.LatencyMs.Set("openai", 1700)
	s.Resources.LatencyMs.Set("anthropic", 1500)
	s.Resources.LatencyMs.Set("groq", 900)
	s.Resources.Breakers.Set("groq", &state.Breaker{State: state.Degraded, Errors: 1})
	s.Resources.Breakers.Set("mistral", &state.Breaker{State: state.CircuitOpen, Errors: 3, Level: 1, OpenUntil: s.Now + 30000})
	c := &Contract{ID: "chat-turn", Intent: "Compare the latest pricing of the two plans and tell me which is cheaper?",
		Constraints: Limits{MaxCost: ptr(0.05), MaxLatencyMs: ptr(10000.0)}}
	return Input{Graph: g, Contract: c, State: s}
}

// DAGWorkload is a planning problem of the given size: intents "i0000"...
// in a dependency DAG (each requires up to two of the 50 intents before it),
// resources "r000"... spread over resources/2 providers with random
// prices, latency targets, health and capabilities (r000 offers all); about a third of the
// intents name five candidates (r000 among them) with executes_on edges, some carry a "pii"
// label that a few resources refuse, one hard constraint excludes the last
// resource and one soft predicate constraint scores three resources. The
// contract's limits are slack, so the per-intent minimum is optimal and the
// benchmark measures eligibility, pricing and plan assembly. seed fixes
// every random choice (math/rand/v2 PCG; products are wrapped in float64 so
// every platform builds the same numbers).
func DAGWorkload(intents, resources int, seed uint64) Input {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	g := graph.New()
	capsPool := []string{"code", "vision", "tools"}
	providers := max(1, resources/2)
	for r := 0; r < resources; r++ {
		caps := []string{"chat"}
		for _, c := range capsPool {
			if rng.Float64() < 0.6 || r == 0 {
				caps = append(caps, c)
			}
		}
		n := &graph.Node{
			ID: fmt.Sprintf("r%03d", r), Kind: graph.KindResource, ResourceKind: "llm",
			Provider:     fmt.Sprintf("p%02d", r%providers),
			Capabilities: caps, CostPerToken: 1e-7 + float64(rng.Float64()*2e-5), CostPerCall: float64(rng.Float64() * 0.0005),
			LatencyTargetMs: ptr(300 + float64(rng.Float64()*2700)), Health: ptr(0.7 + float64(rng.Float64()*0.3)),
			External: r%3 != 0,
		}
		if r%7 == 3 {
			n.AcceptsLabels = &[]string{"public"}
		}
		mustAdd(g.AddNode(n))
	}
	for i := 0; i < intents; i++ {
		n := &graph.Node{ID: fmt.Sprintf("i%04d", i), Kind: graph.KindIntent, Text: "step", Tokens: ptr(float64(200 + rng.IntN(3800)))}
		if rng.Float64() < 0.4 {
			n.Capabilities = []string{capsPool[rng.IntN(len(capsPool))]}
		}
		if rng.Float64() < 0.1 {
			n.Labels = []string{"pii"}
		}
		mustAdd(g.AddNode(n))
		for k := 0; k < 2 && i > 0; k++ {
			if rng.Float64() < 0.7 {
				j := i - 1 - rng.IntN(min(i, 50))
				mustEdge(g.AddEdge(&graph.Edge{From: n.ID, To: fmt.Sprintf("i%04d", j), Kind: graph.EdgeRequires}))
			}
		}
		if rng.Float64() < 0.33 && resources > 0 {
			picks := rng.Perm(resources)[:min(5, resources)]
			if !containsInt(picks, 0) {
				picks[0] = 0 // r000 offers every capability: the intent always has a candidate
			}
			for _, r := range picks {
				mustEdge(g.AddEdge(&graph.Edge{From: n.ID, To: fmt.Sprintf("r%03d", r), Kind: graph.EdgeExecutesOn, Weight: ptr(0.8 + float64(rng.Float64()*0.4))}))
			}
		}
	}
	if resources > 0 {
		mustAdd(g.AddNode(&graph.Node{ID: "c-hard", Kind: graph.KindConstraint, Severity: "hard", Satisfied: ptr(false)}))
		mustEdge(g.AddEdge(&graph.Edge{From: "c-hard", To: fmt.Sprintf("r%03d", resources-1), Kind: graph.EdgeBlocks}))
		mustAdd(g.AddNode(&graph.Node{ID: "c-soft", Kind: graph.KindConstraint, Severity: "soft", Predicate: "resource.latencyMs < 2000 && money < 0.05"}))
		for r := 0; r < min(3, resources); r++ {
			mustEdge(g.AddEdge(&graph.Edge{From: "c-soft", To: fmt.Sprintf("r%03d", r), Kind: graph.EdgeBlocks}))
		}
	}
	s := &state.SystemState{Tick: 7, Now: 1_700_000_000_000}
	for p := 0; p < providers; p += 3 {
		name := fmt.Sprintf("p%02d", p)
		s.Resources.Health.Set(name, 0.6+float64(rng.Float64()*0.4))
		s.Resources.LatencyMs.Set(name, 300+float64(rng.Float64()*3000))
	}
	if providers > 1 {
		s.Resources.Breakers.Set("p01", &state.Breaker{State: state.Degraded, Errors: 2})
	}
	c := &Contract{ID: fmt.Sprintf("dag-%dx%d", intents, resources),
		Constraints: Limits{MaxCost: ptr(float64(intents)), MaxLatencyMs: ptr(float64(float64(intents) * 1e5))}}
	return Input{Graph: g, Contract: c, State: s}
}

func mustAdd(err error) {
	if err != nil {
		panic("plan: workload: " + err.Error())
	}
}

func mustEdge(_ bool, err error) { mustAdd(err) }
