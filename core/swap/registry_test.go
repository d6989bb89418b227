package swap

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/trace"
	"github.com/mailru/easyjson/jwriter"
)

func res(id, provider string) *graph.Node {
	return &graph.Node{ID: id, Kind: graph.KindResource, Provider: provider}
}

// fixture: intent i runs on a (provider pa); a declares b (pb) and c (pc)
// as replacements.
func fixture(t *testing.T) *graph.Graph {
	t.Helper()
	g := graph.New()
	for _, n := range []*graph.Node{{ID: "i", Kind: graph.KindIntent}, res("a", "pa"), res("b", "pb"), res("c", "pc"), {ID: "k", Kind: graph.KindConstraint}} {
		if err := g.AddNode(n); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range []*graph.Edge{
		{From: "i", To: "a", Kind: graph.EdgeExecutesOn},
		{From: "a", To: "b", Kind: graph.EdgeSwapsTo},
		{From: "a", To: "c", Kind: graph.EdgeSwapsTo},
		{From: "k", To: "a", Kind: graph.EdgeBlocks},
	} {
		if _, err := g.AddEdge(e); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

func cand(id, provider string, health float64) Candidate {
	return Candidate{ID: id, Provider: provider, Health: health, Callable: true, LatencyMs: 1000, Money: 0.01}
}

type sink struct {
	log *trace.Log
}

func (s *sink) emit(event, actor string, d *trace.Data) (string, error) {
	r, err := s.log.Append(trace.Entry{Event: event, Actor: actor, Data: d.Raw()})
	if err != nil {
		return "", err
	}
	return r.ID, nil
}

func TestTriggers(t *testing.T) {
	c := DefaultConfig()
	base := Observation{Resource: "a", Health: 1, LatencyMs: 1000, TargetMs: 2000, Dilation: 1, Money: 0.01, MaxCost: 0.05}
	tests := []struct {
		name string
		mod  func(o *Observation)
		want []string
	}{
		{"healthy", func(o *Observation) {}, nil},
		{"health at threshold", func(o *Observation) { o.Health = 0.4 }, nil},
		{"health below threshold", func(o *Observation) { o.Health = 0.39 }, []string{TriggerCapabilityDegraded}},
		{"latency at 2x target·D", func(o *Observation) { o.LatencyMs = 4000 }, nil},
		{"latency over 2x target·D", func(o *Observation) { o.LatencyMs = 4001 }, []string{TriggerLatencyViolation}},
		{"D widens the window", func(o *Observation) { o.LatencyMs = 5000; o.Dilation = 1.5 }, nil},
		{"no latency observed", func(o *Observation) { o.LatencyMs = 0 }, nil},
		{"cost spike", func(o *Observation) { o.Money = 0.0751 }, []string{TriggerCostSpike}},
		{"cost at 1.5x", func(o *Observation) { o.Money = 0.075 }, nil},
		{"revoked and manual", func(o *Observation) { o.AuthorityRevoked, o.Manual = true, true }, []string{TriggerAuthorityRevoked, TriggerManual}},
		{"all", func(o *Observation) {
			o.Health, o.LatencyMs, o.Money, o.AuthorityRevoked, o.Manual = 0.1, 9000, 1, true, true
		}, []string{TriggerCapabilityDegraded, TriggerLatencyViolation, TriggerCostSpike, TriggerAuthorityRevoked, TriggerManual}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := base
			tt.mod(&o)
			if got := c.Triggers(o); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Triggers got: %v want: %v", got, tt.want)
			}
		})
	}
}

func TestCandidatesFromEdgesAndRegistry(t *testing.T) {
	g := fixture(t)
	r := New(DefaultConfig())
	if !r.Register("a", res("z", "pz")) {
		t.Errorf("Register(z) got: false want: true")
	}
	if r.Register("a", res("z2", "pz")) {
		t.Errorf("Register of a second candidate of provider pz got: true want: false (deduplicated by provider)")
	}
	if r.Register("a", res("a", "pa")) {
		t.Errorf("Register of the resource itself got: true want: false")
	}
	var got []string
	for _, n := range r.Candidates(g, "a") {
		got = append(got, n.ID)
	}
	if want := []string{"b", "c", "z"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Candidates(a) got: %v want: %v", got, want)
	}
	if n := r.Candidates(g, "b"); len(n) != 0 {
		t.Errorf("Candidates(b) got: %d want: 0", len(n))
	}
}

func TestSwapDegradedResource(t *testing.T) {
	g := fixture(t)
	r := New(DefaultConfig())
	s := &sink{log: &trace.Log{}}
	req := Request{Tick: 5, Trigger: TriggerCapabilityDegraded, From: cand("a", "pa", 0.2),
		Candidates: []Candidate{cand("b", "pb", 0.9), cand("c", "pc", 0.8)},
		InUse:      []InUse{{"a", "pa"}}}
	res, err := r.Swap(g, req, nil, s.emit)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Swapped || res.To != "b" {
		t.Fatalf("Swap got: swapped=%v to=%q (%s) want: swapped to b", res.Swapped, res.To, res.Reason)
	}
	if g.Node("a") != nil {
		t.Errorf("old node a still in the graph")
	}
	if e := g.Edge(graph.Key{From: "i", To: "b", Kind: graph.EdgeExecutesOn}); e == nil {
		t.Errorf("executes_on i->b missing: b did not take a's edges")
	}
	if e := g.Edge(graph.Key{From: "k", To: "b", Kind: graph.EdgeBlocks}); e == nil {
		t.Errorf("blocks k->b missing")
	}
	if e := g.Edge(graph.Key{From: "b", To: "b", Kind: graph.EdgeSwapsTo}); e != nil {
		t.Errorf("the swaps_to declaration became a self-loop")
	}
	for _, e := range g.Edges() {
		if g.Node(e.From) == nil || g.Node(e.To) == nil {
			t.Errorf("dangling edge %v", e.Key())
		}
	}
	recs := s.log.Records()
	if len(recs) != 1 || recs[0].Event != trace.EventSwap || recs[0].ID != res.TraceID {
		t.Fatalf("trace got: %v want: one swap record", recs)
	}
	if want := `{"provider":"pb","from":"a","to":"b","trigger":"capability_degraded"}`; string(recs[0].Data) != want {
		t.Errorf("swap record data got: %s want: %s", recs[0].Data, want)
	}
	h := r.History()
	if len(h) != 1 || h[0] != (Swap{Tick: 5, From: "a", To: "b", FromProvider: "pa", ToProvider: "pb", Trigger: TriggerCapabilityDegraded, Trace: res.TraceID}) {
		t.Errorf("history got: %+v", h)
	}
	// b inherits a's candidates (c via the moved swaps_to edge) and a itself.
	var ids []string
	for _, n := range r.Candidates(g, "b") {
		ids = append(ids, n.ID)
	}
	if want := []string{"a", "c"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("Candidates(b) after the swap got: %v want: %v", ids, want)
	}
}

func TestNoSwap(t *testing.T) {
	g := fixture(t)
	cfg := DefaultConfig()
	if got := cfg.Triggers(Observation{Resource: "a", Health: 1, TargetMs: 2000, Dilation: 1, MaxCost: 0.05}); len(got) != 0 {
		t.Errorf("healthy resource triggers got: %v want: none", got)
	}
	r := New(cfg)
	s := &sink{log: &trace.Log{}}
	res, err := r.Swap(g, Request{Tick: 1, Trigger: TriggerCapabilityDegraded, From: cand("b", "pb", 0.1)}, nil, s.emit)
	if err != nil {
		t.Fatal(err)
	}
	if res.Swapped || res.Reason != RefusedNoCandidate {
		t.Errorf("swap without candidates got: swapped=%v reason=%q want: refused no_candidates", res.Swapped, res.Reason)
	}
	if g.Node("b") == nil || len(r.History()) != 0 {
		t.Errorf("a refused swap changed the graph or the history")
	}
	if recs := s.log.Records(); len(recs) != 1 || recs[0].Event != trace.EventSwapRefused {
		t.Errorf("trace got: %d records want: one swap_refused", len(recs))
	}
}

func TestSelectRules(t *testing.T) {
	from := cand("a", "pa", 0.2)
	tests := []struct {
		name     string
		cfg      func(*Config)
		prep     func(r *Registry)
		req      Request
		wantTo   string
		wantWhy  string
		refused  []Refusal
		diverted bool
	}{
		{
			name:   "highest health wins",
			req:    Request{Trigger: TriggerCapabilityDegraded, From: from, Candidates: []Candidate{cand("b", "pb", 0.8), cand("c", "pc", 0.9)}},
			wantTo: "c",
		},
		{
			name: "tie on health: lowest money, then id",
			req: Request{Trigger: TriggerCapabilityDegraded, From: from, Candidates: []Candidate{
				{ID: "d", Provider: "pd", Health: 0.9, Money: 0.02, Callable: true},
				{ID: "c", Provider: "pc", Health: 0.9, Money: 0.01, Callable: true},
				{ID: "b", Provider: "pb", Health: 0.9, Money: 0.01, Callable: true}}},
			wantTo: "b",
		},
		{
			name:   "deduplicated by provider",
			req:    Request{Trigger: TriggerCapabilityDegraded, From: from, Candidates: []Candidate{cand("b", "pb", 0.9), cand("b2", "pb", 0.7)}},
			wantTo: "b", refused: []Refusal{{"b2", "pb", RefusedProvider}},
		},
		{
			name: "ineligible, down, degraded candidates refused",
			req: Request{Trigger: TriggerManual, From: from, Candidates: []Candidate{
				{ID: "b", Provider: "pb", Health: 1, Callable: true, Ineligible: "FORBIDDEN_PROVIDER"},
				{ID: "c", Provider: "pc", Health: 1, Callable: false},
				cand("d", "pd", 0.3), cand("e", "pe", 0)}},
			wantWhy: RefusedAll,
			refused: []Refusal{{"b", "pb", RefusedIneligible}, {"c", "pc", RefusedDown}, {"d", "pd", RefusedDegraded}, {"e", "pe", RefusedDown}},
		},
		{
			name:    "hysteresis: small improvement refused",
			req:     Request{Trigger: TriggerCapabilityDegraded, From: cand("a", "pa", 0.35), Candidates: []Candidate{cand("b", "pb", 0.42)}},
			wantWhy: RefusedAll, refused: []Refusal{{"b", "pb", RefusedImprovement}},
		},
		{
			name:   "hysteresis: improvement of exactly 0.1 accepted",
			req:    Request{Trigger: TriggerCapabilityDegraded, From: cand("a", "pa", 0.3), Candidates: []Candidate{cand("b", "pb", 0.4)}},
			wantTo: "b",
		},
		{
			name: "hysteresis: latency must drop 10%",
			req: Request{Trigger: TriggerLatencyViolation, From: Candidate{ID: "a", Provider: "pa", Health: 1, LatencyMs: 5000}, Candidates: []Candidate{
				{ID: "b", Provider: "pb", Health: 1, Callable: true, LatencyMs: 4600},
				{ID: "c", Provider: "pc", Health: 0.9, Callable: true, LatencyMs: 4500}}},
			wantTo: "c", refused: []Refusal{{"b", "pb", RefusedImprovement}},
		},
		{
			name: "hysteresis: cost must drop 10%",
			req: Request{Trigger: TriggerCostSpike, From: Candidate{ID: "a", Provider: "pa", Health: 1, Money: 0.1}, Candidates: []Candidate{
				{ID: "b", Provider: "pb", Health: 1, Callable: true, Money: 0.095},
				{ID: "c", Provider: "pc", Health: 1, Callable: true, Money: 0.09}}},
			wantTo: "c", refused: []Refusal{{"b", "pb", RefusedImprovement}},
		},
		{
			name:   "hysteresis does not apply to manual swaps",
			req:    Request{Trigger: TriggerManual, From: cand("a", "pa", 1), Candidates: []Candidate{cand("b", "pb", 0.9)}},
			wantTo: "b",
		},
		{
			name:   "hysteresis: unstable candidate refused",
			prep:   func(r *Registry) { r.Observe("b", 1.0); r.Observe("b", 0.0); r.Observe("c", 0.9) },
			req:    Request{Trigger: TriggerCapabilityDegraded, From: from, Candidates: []Candidate{cand("b", "pb", 1), cand("c", "pc", 0.9)}},
			wantTo: "c", refused: []Refusal{{"b", "pb", RefusedUnstable}},
		},
		{
			name:    "hysteresis: cooldown refuses the whole swap",
			prep:    func(r *Registry) { r.lastIn["a"] = 8 },
			req:     Request{Tick: 10, Trigger: TriggerCapabilityDegraded, From: from, Candidates: []Candidate{cand("b", "pb", 1)}},
			wantWhy: RefusedCooldown,
		},
		{
			name:   "hysteresis: cooldown over",
			prep:   func(r *Registry) { r.lastIn["a"] = 7 },
			req:    Request{Tick: 10, Trigger: TriggerCapabilityDegraded, From: from, Candidates: []Candidate{cand("b", "pb", 1)}},
			wantTo: "b",
		},
		{
			name: "diversity cap diverts from a provider over 60%",
			req: Request{Trigger: TriggerCapabilityDegraded, From: from,
				Candidates: []Candidate{cand("x", "px", 1), cand("y", "py", 0.9)},
				InUse:      []InUse{{"a", "pa"}, {"x1", "px"}, {"x2", "px"}}},
			wantTo: "y", diverted: true,
		},
		{
			name: "diversity cap never blocks the only option",
			req: Request{Trigger: TriggerCapabilityDegraded, From: from,
				Candidates: []Candidate{cand("x", "px", 1)},
				InUse:      []InUse{{"a", "pa"}, {"x1", "px"}, {"x2", "px"}}},
			wantTo: "x",
		},
		{
			name: "diversity cap: exactly 60% is allowed",
			req: Request{Trigger: TriggerCapabilityDegraded, From: from,
				Candidates: []Candidate{cand("x", "px", 1), cand("y", "py", 0.9)},
				InUse:      []InUse{{"a", "pa"}, {"x1", "px"}, {"x2", "px"}, {"q", "pq"}, {"r", "pr"}}},
			wantTo: "x",
		},
		{
			name:   "single resource in use: cap is moot",
			req:    Request{Trigger: TriggerCapabilityDegraded, From: from, Candidates: []Candidate{cand("x", "px", 1)}, InUse: []InUse{{"a", "pa"}}},
			wantTo: "x",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			r := New(cfg)
			if tt.prep != nil {
				tt.prep(r)
			}
			d := r.Select(tt.req)
			if d.To != tt.wantTo || d.Reason != tt.wantWhy || d.Diverted != tt.diverted {
				t.Errorf("Select got: to=%q reason=%q diverted=%v want: to=%q reason=%q diverted=%v", d.To, d.Reason, d.Diverted, tt.wantTo, tt.wantWhy, tt.diverted)
			}
			if !reflect.DeepEqual(d.Refused, tt.refused) {
				t.Errorf("refused got: %v want: %v", d.Refused, tt.refused)
			}
		})
	}
}

func TestStabilityEMA(t *testing.T) {
	r := New(DefaultConfig())
	if _, ok := r.Stability("x"); ok {
		t.Errorf("unobserved resource has a stability")
	}
	steps := []struct{ h, want float64 }{{1.0, 1.0}, {0.0, 0.5}, {0.0, 0.25}, {1.0, 0.625}}
	for i, s := range steps {
		r.Observe("x", s.h)
		if got, _ := r.Stability("x"); got != s.want {
			t.Errorf("after observation %d (%v) got: %v want: %v", i, s.h, got, s.want)
		}
	}
}

// TestOscillationGuard swaps a and b back and forth with the manual trigger:
// three swaps of the pair within 10 ticks pass, the fourth is refused, and
// it passes again once the first one has left the window.
func TestOscillationGuard(t *testing.T) {
	g := fixture(t)
	r := New(DefaultConfig())
	s := &sink{log: &trace.Log{}}
	cur, other := "a", "b"
	provider := map[string]string{"a": "pa", "b": "pb", "c": "pc"}
	for i, tick := range []int64{1, 2, 3, 4, 11} {
		req := Request{Tick: tick, Trigger: TriggerManual, From: cand(cur, provider[cur], 1), Candidates: []Candidate{cand(other, provider[other], 1)}}
		res, err := r.Swap(g, req, nil, s.emit)
		if err != nil {
			t.Fatal(err)
		}
		wantSwap := i != 3
		if res.Swapped != wantSwap {
			t.Fatalf("swap %d at tick %d got: swapped=%v (%s %v) want: %v", i+1, tick, res.Swapped, res.Reason, res.Refused, wantSwap)
		}
		if !wantSwap {
			if want := []Refusal{{other, provider[other], RefusedOscillation}}; !reflect.DeepEqual(res.Refused, want) {
				t.Errorf("refused got: %v want: %v", res.Refused, want)
			}
			continue
		}
		if g.Node(cur) != nil || g.Node(other) == nil {
			t.Fatalf("after swap %d: %s should be gone and %s present", i+1, cur, other)
		}
		cur, other = other, cur
	}
}

func TestApplyFailureRestores(t *testing.T) {
	g := fixture(t)
	before := docString(g)
	r := New(DefaultConfig())
	s := &sink{log: &trace.Log{}}
	boom := errors.New("validation failed")
	req := Request{Tick: 1, Trigger: TriggerManual, From: cand("a", "pa", 1), Candidates: []Candidate{cand("b", "pb", 1)}}
	res, err := r.Swap(g, req, func() error {
		if g.Node("a") != nil {
			t.Errorf("validate runs after σ: a should be gone")
		}
		return boom
	}, s.emit)
	if err != nil {
		t.Fatal(err)
	}
	if res.Swapped || !strings.Contains(res.Failed, "validation failed") {
		t.Errorf("got: swapped=%v failed=%q want: a rolled back failure", res.Swapped, res.Failed)
	}
	if after := docString(g); after != before {
		t.Errorf("graph not restored:\n got: %s\nwant: %s", after, before)
	}
	if recs := s.log.Records(); len(recs) != 1 || recs[0].Event != trace.EventRollback {
		t.Errorf("trace got: %v want: one rollback record", recs)
	}
	if len(r.History()) != 0 {
		t.Errorf("a failed swap entered the history")
	}
	// Not a candidate at all.
	if _, err := r.Apply(g, 1, "a", "i", TriggerManual, nil); err == nil {
		t.Errorf("Apply to a non-candidate got: nil error want: SWAP_FAILED")
	}
	if _, err := r.Apply(g, 1, "nope", "b", TriggerManual, nil); err == nil {
		t.Errorf("Apply from an unknown node got: nil error want: UNKNOWN_NODE")
	}
}

func TestRollbackRestore(t *testing.T) {
	g := fixture(t)
	before := docString(g)
	r := New(DefaultConfig())
	rb, err := r.Apply(g, 1, "a", "b", TriggerManual, nil)
	if err != nil {
		t.Fatal(err)
	}
	if docString(g) == before {
		t.Fatalf("Apply changed nothing")
	}
	if err := rb.Restore(g); err != nil {
		t.Fatal(err)
	}
	if after := docString(g); after != before {
		t.Errorf("Restore got:\n%s\nwant:\n%s", after, before)
	}
	// A registered candidate that is not in the graph is swapped in from
	// the registry's copy, and Restore removes it again.
	r.Register("a", res("z", "pz"))
	rb, err = r.Apply(g, 2, "a", "z", TriggerManual, nil)
	if err != nil || g.Node("z") == nil || g.Node("a") != nil {
		t.Fatalf("Apply(a->z) got: err=%v z=%v a=%v", err, g.Node("z") != nil, g.Node("a") != nil)
	}
	if err := rb.Restore(g); err != nil {
		t.Fatal(err)
	}
	if after := docString(g); after != before {
		t.Errorf("Restore after a swap-in got:\n%s\nwant:\n%s", after, before)
	}
}

func TestStateRoundTrip(t *testing.T) {
	g := fixture(t)
	r := New(DefaultConfig())
	r.Observe("b", 0.9)
	r.Register("a", res("z", "pz"))
	if _, err := r.Apply(g, 3, "a", "b", TriggerManual, nil); err != nil {
		t.Fatal(err)
	}
	st := r.State()
	r2 := FromState(DefaultConfig(), st)
	a, bb := enc(st), enc(r2.State())
	if a != bb {
		t.Errorf("state round trip got: %s want: %s", bb, a)
	}
	want := `{"candidates":[{"resource":"b","nodes":[`
	if !strings.HasPrefix(a, want) {
		t.Errorf("state JSON got: %s want prefix %s", a, want)
	}
}

func docString(g *graph.Graph) string { return enc(g.Doc()) }

func enc(v interface{ MarshalEasyJSON(*jwriter.Writer) }) string {
	var w jwriter.Writer
	v.MarshalEasyJSON(&w)
	return string(w.Buffer.BuildBytes())
}
