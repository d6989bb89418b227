package plan

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/state"
)

// instance is a random planning problem together with everything the
// brute-force oracle needs to solve it independently of the optimizer.
type instance struct {
	in      Input
	intents []string // ids, index order
	res     []string
	// oracle data per (intent, resource)
	elig   [][]bool
	reason [][]string // first reason of a rejected pair (oracle's own order)
	soft   [][]int
	cost   [][]float64
	money  [][]float64
	lat    [][]float64
	cands  [][]int // candidate resource indices per intent
	preds  [][]int // dependency predecessors per intent
	maxC   float64
	maxL   float64
}

type pconstraint struct {
	hard      bool
	satisfied *bool
	moneyMax  float64 // > 0: predicate "money <= moneyMax"
	latMax    float64 // > 0: predicate "dilatedLatency <= latMax"
	targets   []string
}

func randomInstance(rng *rand.Rand) *instance {
	nI, nR := 1+rng.IntN(6), 2+rng.IntN(4)
	g := graph.New()
	x := &instance{}
	s := &state.SystemState{Now: 1000}
	provs := []string{"p0", "p1", "p2", "p3"}
	caps := []string{"a", "b"}
	type rinfo struct {
		perTok, perCall, target, health, d float64
		prov                               string
		caps                               []string
	}
	rs := make([]rinfo, nR)
	for r := range rs {
		ri := rinfo{perTok: rng.Float64() * 2e-5, perCall: rng.Float64() * 0.01, target: 200 + rng.Float64()*3000,
			health: 0.3 + 0.7*rng.Float64(), d: 0.5 + 1.5*rng.Float64(), prov: provs[rng.IntN(len(provs))]}
		if rng.IntN(15) == 0 {
			ri.health = 0
		}
		for _, c := range caps {
			if rng.IntN(3) > 0 {
				ri.caps = append(ri.caps, c)
			}
		}
		rs[r] = ri
		id := fmt.Sprintf("r%d", r)
		x.res = append(x.res, id)
		mustAdd(g.AddNode(&graph.Node{ID: id, Kind: graph.KindResource, Provider: ri.prov, CostPerToken: ri.perTok, CostPerCall: ri.perCall,
			LatencyTargetMs: ptr(ri.target), Health: ptr(ri.health), Dilation: ri.d, Capabilities: ri.caps}))
	}
	// State overrides some providers and trips some breakers.
	for _, p := range provs {
		switch rng.IntN(4) {
		case 0:
			s.Resources.Health.Set(p, 0.5+0.5*rng.Float64())
			s.Resources.LatencyMs.Set(p, 100+rng.Float64()*4000)
		case 1:
			s.Resources.Breakers.Set(p, &state.Breaker{State: state.Degraded, Errors: rng.IntN(5)})
		}
	}
	type iinfo struct {
		tokens, d float64
		caps      []string
	}
	is := make([]iinfo, nI)
	for i := range is {
		ii := iinfo{tokens: float64(100 + rng.IntN(4000)), d: 0.5 + 1.5*rng.Float64()}
		if rng.IntN(4) == 0 {
			ii.caps = []string{caps[rng.IntN(2)]}
		}
		is[i] = ii
		id := fmt.Sprintf("i%d", i)
		x.intents = append(x.intents, id)
		mustAdd(g.AddNode(&graph.Node{ID: id, Kind: graph.KindIntent, Tokens: ptr(ii.tokens), Dilation: ii.d, Capabilities: ii.caps}))
	}
	x.preds = make([][]int, nI)
	for a := 1; a < nI; a++ {
		for b := 0; b < a; b++ {
			if rng.IntN(3) == 0 {
				mustEdge(g.AddEdge(&graph.Edge{From: x.intents[a], To: x.intents[b], Kind: graph.EdgeRequires}))
				x.preds[a] = append(x.preds[a], b)
			}
		}
	}
	weights := make([][]float64, nI)
	x.cands = make([][]int, nI)
	for i := range is {
		weights[i] = make([]float64, nR)
		if rng.IntN(3) == 0 {
			for r := range rs {
				if rng.IntN(2) == 0 {
					w := 0.5 + rng.Float64()
					mustEdge(g.AddEdge(&graph.Edge{From: x.intents[i], To: x.res[r], Kind: graph.EdgeExecutesOn, Weight: &w}))
					weights[i][r] = w
					x.cands[i] = append(x.cands[i], r)
				}
			}
			if len(x.cands[i]) > 0 {
				continue
			}
		}
		for r := range rs {
			weights[i][r] = 1
			x.cands[i] = append(x.cands[i], r)
		}
	}
	var cons []pconstraint
	for k := rng.IntN(4); k > 0; k-- {
		c := pconstraint{hard: rng.IntN(3) == 0}
		switch rng.IntN(3) {
		case 0:
			c.satisfied = ptr(false)
		case 1:
			c.moneyMax = rng.Float64() * 0.1
		case 2:
			c.latMax = 500 + rng.Float64()*5000
		}
		n := &graph.Node{ID: fmt.Sprintf("k%d", len(cons)), Kind: graph.KindConstraint, Severity: "soft", Satisfied: c.satisfied}
		if c.hard {
			n.Severity = "hard"
		}
		if c.moneyMax > 0 {
			n.Predicate = fmt.Sprintf("money <= %v", c.moneyMax)
		}
		if c.latMax > 0 {
			n.Predicate = fmt.Sprintf("dilatedLatency <= %v", c.latMax)
		}
		mustAdd(g.AddNode(n))
		if c.satisfied != nil || rng.IntN(2) == 0 {
			targets := append(append([]string{}, x.res...), x.intents...)
			for _, t := range targets {
				if rng.IntN(3) == 0 {
					mustEdge(g.AddEdge(&graph.Edge{From: n.ID, To: t, Kind: graph.EdgeBlocks}))
					c.targets = append(c.targets, t)
				}
			}
			if len(c.targets) == 0 {
				c.targets = []string{"none"}
				mustAdd(g.AddNode(&graph.Node{ID: "none" + n.ID, Kind: graph.KindMemory}))
				mustEdge(g.AddEdge(&graph.Edge{From: n.ID, To: "none" + n.ID, Kind: graph.EdgeBlocks}))
			}
		}
		cons = append(cons, c)
	}
	var forbidden []string
	if rng.IntN(5) == 0 {
		forbidden = []string{provs[rng.IntN(len(provs))]}
	}
	wts := Weights{rng.Float64(), rng.Float64(), rng.Float64(), rng.Float64()}

	// The oracle's own cost model (docs/DESIGN.md#cost-model) and eligibility (docs/DESIGN.md#eligibility).
	x.elig, x.reason = make([][]bool, nI), make([][]string, nI)
	x.soft, x.cost, x.money, x.lat = make([][]int, nI), make([][]float64, nI), make([][]float64, nI), make([][]float64, nI)
	minMoney, maxMoney, minLat, maxLat := 0.0, 0.0, 0.0, 0.0
	for i, ii := range is {
		x.elig[i], x.reason[i] = make([]bool, nR), make([]string, nR)
		x.soft[i], x.cost[i], x.money[i], x.lat[i] = make([]int, nR), make([]float64, nR), make([]float64, nR), make([]float64, nR)
		mn, mx, ln, lx := math.Inf(1), 0.0, math.Inf(1), 0.0
		for r, ri := range rs {
			health, lat, d := ri.health, ri.target, ri.d
			h, hasH := s.Resources.Health.Get(ri.prov)
			l, hasL := s.Resources.LatencyMs.Get(ri.prov)
			if hasH {
				health = h
			}
			if hasL {
				lat = l
			}
			if hasH || hasL {
				d = dilation.FromHealth(health, lat/ri.target)
			}
			inst := 0.0
			if b := s.Resources.Breakers.Get(ri.prov); b != nil {
				inst = math.Min(1, float64(b.Errors)/3)
			}
			m := ri.perTok*ii.tokens + ri.perCall
			dl := lat * d
			x.money[i][r], x.lat[i][r] = m, dl
			x.cost[i][r] = ii.d * weights[i][r] * (wts.Latency*dl/10000 + wts.Compute*m + wts.Risk*(1-health) + wts.Instability*inst)
			mn, mx, ln, lx = math.Min(mn, m), math.Max(mx, m), math.Min(ln, dl), math.Max(lx, dl)
			applies := func(c pconstraint) bool {
				if c.targets == nil {
					return true
				}
				for _, t := range c.targets {
					if t == x.res[r] || t == x.intents[i] {
						return true
					}
				}
				return false
			}
			holds := func(c pconstraint) bool {
				switch {
				case c.satisfied != nil:
					return *c.satisfied
				case c.moneyMax > 0:
					return m <= c.moneyMax
				default:
					return dl <= c.latMax
				}
			}
			switch {
			case len(forbidden) > 0 && forbidden[0] == ri.prov:
				x.reason[i][r] = ReasonForbiddenProvider
			case health <= 0:
				x.reason[i][r] = ReasonResourceDown
			case len(ii.caps) > 0 && !contains(ri.caps, ii.caps[0]):
				x.reason[i][r] = ReasonMissingCapability
			}
			for _, c := range cons {
				if x.reason[i][r] == "" && c.hard && applies(c) && !holds(c) {
					x.reason[i][r] = ReasonConstraintViolated
				}
			}
			x.elig[i][r] = x.reason[i][r] == ""
			for _, c := range cons {
				if !c.hard && applies(c) && !holds(c) {
					x.soft[i][r]++
				}
			}
		}
		minMoney, maxMoney, minLat, maxLat = minMoney+mn, maxMoney+mx, minLat+ln, maxLat+lx
	}
	// Limits anywhere from impossible to slack.
	x.maxC = minMoney*0.95 + rng.Float64()*(maxMoney-minMoney*0.95)*0.8
	x.maxL = minLat*0.5 + rng.Float64()*(maxLat-minLat*0.5)
	if rng.IntN(4) == 0 {
		x.maxL = 1e9
	}
	c := &Contract{ID: "prop", ForbiddenProviders: forbidden, Constraints: Limits{MaxCost: ptr(x.maxC), MaxLatencyMs: ptr(x.maxL)},
		Weights: &CostWeights{Latency: ptr(wts.Latency), Compute: ptr(wts.Compute), Risk: ptr(wts.Risk), Instability: ptr(wts.Instability)}}
	x.in = Input{Graph: g, Contract: c, State: s}
	return x
}

// oracle solves an instance by enumerating every assignment.
type oracleResult struct {
	feasible bool
	code     string
	softs    int
	cost     float64
}

func (x *instance) solve() oracleResult {
	n := len(x.intents)
	hard, none := false, false
	for i := 0; i < n; i++ {
		any := false
		for _, r := range x.cands[i] {
			any = any || x.elig[i][r]
		}
		if !any {
			none = true
			for _, r := range x.cands[i] {
				hard = hard || x.reason[i][r] == ReasonConstraintViolated
			}
		}
	}
	if hard {
		return oracleResult{code: InfeasibleHard}
	}
	if none {
		return oracleResult{code: InfeasibleNoEligible}
	}
	minMoney := 0.0
	for i := 0; i < n; i++ {
		m := math.Inf(1)
		for _, r := range x.cands[i] {
			if x.elig[i][r] {
				m = math.Min(m, x.money[i][r])
			}
		}
		minMoney += m
	}
	best := oracleResult{softs: math.MaxInt}
	choice := make([]int, n)
	var rec func(i int)
	rec = func(i int) {
		if i == n {
			var S int
			var C, M, cp float64
			fin := make([]float64, n)
			for j := 0; j < n; j++ {
				r := choice[j]
				S += x.soft[j][r]
				C += x.cost[j][r]
				M += x.money[j][r]
				start := 0.0
				for _, q := range x.preds[j] {
					start = math.Max(start, fin[q])
				}
				fin[j] = start + x.lat[j][r]
				cp = math.Max(cp, fin[j])
			}
			if within(M, x.maxC) && within(cp, x.maxL) && (S < best.softs || (S == best.softs && C < best.cost)) {
				best = oracleResult{feasible: true, softs: S, cost: C}
			}
			return
		}
		for _, r := range x.cands[i] {
			if x.elig[i][r] {
				choice[i] = r
				rec(i + 1)
			}
		}
	}
	rec(0)
	if best.feasible {
		return best
	}
	if !within(minMoney, x.maxC) {
		return oracleResult{code: InfeasibleBudget}
	}
	return oracleResult{code: InfeasibleLatency}
}

// check verifies a plan against the oracle: no hard rule broken, limits
// met, and (when exact is set) the same feasibility, code, soft misses and
// objective.
func (x *instance) check(t *testing.T, p *Plan, want oracleResult, exact bool) {
	t.Helper()
	idx := map[string]int{}
	for i, id := range x.intents {
		idx[id] = i
	}
	ridx := map[string]int{}
	for r, id := range x.res {
		ridx[id] = r
	}
	if p.Feasible {
		if len(p.Steps) != len(x.intents) {
			t.Fatalf("steps got: %d want: %d", len(p.Steps), len(x.intents))
		}
		var S int
		var C, M float64
		fin := map[string]float64{}
		cp := 0.0
		for _, st := range p.Steps {
			i, r := idx[st.Intent], ridx[st.Resource]
			if !x.elig[i][r] || !containsInt(x.cands[i], r) {
				t.Fatalf("step %s runs on %s, which the oracle rejects (%s)", st.ID, st.Resource, x.reason[i][r])
			}
			if len(st.SoftMisses) != x.soft[i][r] {
				t.Errorf("step %s soft misses got: %v want: %d", st.ID, st.SoftMisses, x.soft[i][r])
			}
			S += x.soft[i][r]
			C += x.cost[i][r]
			M += x.money[i][r]
			start := 0.0
			for _, q := range x.preds[i] {
				start = math.Max(start, fin[x.intents[q]])
			}
			fin[st.Intent] = start + x.lat[i][r]
			cp = math.Max(cp, fin[st.Intent])
		}
		if !within(M, x.maxC) || !within(cp, x.maxL) {
			t.Fatalf("limits broken: money %v > %v or latency %v > %v", M, x.maxC, cp, x.maxL)
		}
		if math.Abs(C-p.Objective) > 1e-9 {
			t.Errorf("objective got: %v recomputed: %v", p.Objective, C)
		}
		if !want.feasible {
			t.Fatalf("the plan is feasible, the oracle says %s", want.code)
		}
		if S < want.softs || (S == want.softs && C < want.cost-1e-9) {
			t.Fatalf("the plan beats the oracle: (%d, %v) vs (%d, %v)", S, C, want.softs, want.cost)
		}
		if exact && (S != want.softs || math.Abs(C-want.cost) > 1e-9) {
			t.Fatalf("got: (%d soft, %.15g) want: (%d soft, %.15g)", S, C, want.softs, want.cost)
		}
		return
	}
	if exact && want.feasible {
		t.Fatalf("got: infeasible %s want: feasible (%d soft, %v)", p.Infeasibility.Code, want.softs, want.cost)
	}
	if !want.feasible && p.Infeasibility.Code != want.code {
		t.Fatalf("code got: %s want: %s", p.Infeasibility.Code, want.code)
	}
}

func TestOptimizeMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(20260101, 7))
	feasible, searched, codes := 0, 0, map[string]int{}
	n := 3000
	if testing.Short() {
		n = 300
	}
	for k := 0; k < n; k++ {
		x := randomInstance(rng)
		want := x.solve()
		p, err := Optimize(x.in, Options{})
		if err != nil {
			t.Fatalf("instance %d: %v", k, err)
		}
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			if !p.Optimal {
				t.Errorf("small instance not proven optimal (explored %d)", p.Explored)
			}
			x.check(t, p, want, true)
		})
		if want.feasible {
			feasible++
		} else {
			codes[want.code]++
		}
		if p.Explored > int64(len(x.intents)) {
			searched++
		}
	}
	t.Logf("%d instances: %d feasible (%d needed the branch and bound), infeasible by code %v", n, feasible, searched, codes)
	if feasible < n/4 || searched < n/10 || codes[InfeasibleBudget] == 0 || codes[InfeasibleLatency] == 0 || codes[InfeasibleHard] == 0 || codes[InfeasibleNoEligible] == 0 {
		t.Errorf("the generator does not cover every outcome: %d feasible, %v", feasible, codes)
	}
}

// Past the node budget the heuristic answers: never a broken rule, never
// better than the optimum, optimal only when proven, and a gap >= 0.
func TestHeuristicPastBudget(t *testing.T) {
	rng := rand.New(rand.NewPCG(77, 1))
	fallbacks := 0
	for k := 0; k < 1500; k++ {
		x := randomInstance(rng)
		want := x.solve()
		p, err := Optimize(x.in, Options{NodeBudget: 2})
		if err != nil {
			t.Fatal(err)
		}
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			x.check(t, p, want, p.Optimal)
			if !p.Optimal {
				fallbacks++
				if p.Feasible && (p.Gap < 0 || p.Objective-p.Gap > want.cost+1e-9 && want.softs == 0) {
					t.Errorf("gap %v: the lower bound %v exceeds the optimum %v", p.Gap, p.Objective-p.Gap, want.cost)
				}
				if p.Explored > 2 {
					t.Errorf("explored %d nodes past a budget of 2", p.Explored)
				}
			}
		})
	}
	t.Logf("%d of 1500 instances answered by the heuristic", fallbacks)
	if fallbacks == 0 {
		t.Errorf("no instance needed the heuristic")
	}
}
