package plan

import (
	"sync"
	"testing"

	"github.com/convergence-io/ceg/core/graph"
)

// TestScratchReuse plans workloads of different shapes (large, small,
// infeasible, with predicates) one after another in two orders and from
// several goroutines at once: every call draws on the pooled scratch, so a
// buffer not cleared, or shared between two calls, would change some
// plan's bytes.
func TestScratchReuse(t *testing.T) {
	tight := DAGWorkload(60, 6, 9)
	c := *tight.Contract
	c.Constraints.MaxCost = ptr(0.01)
	tight.Contract = &c
	inputs := []Input{DAGWorkload(300, 20, 1), ChatWorkload(), DAGWorkload(40, 3, 2), tight, DAGWorkload(120, 60, 4)}
	want := make([]string, len(inputs))
	for i, in := range inputs {
		p := mustOptimize(t, in)
		if p.Feasible == (i == 3) {
			t.Fatalf("input %d: feasible %v; only the tight one should be infeasible", i, p.Feasible)
		}
		want[i] = planJSON(p)
	}
	for i := len(inputs) - 1; i >= 0; i-- {
		if got := planJSON(mustOptimize(t, inputs[i])); got != want[i] {
			t.Fatalf("input %d planned after the others gave different bytes", i)
		}
	}
	// Graphs are not safe for concurrent use (their sorted lists are cached
	// lazily), so each goroutine plans its own clones.
	var wg sync.WaitGroup
	errc := make(chan string, 4*len(inputs))
	for w := 0; w < 4; w++ {
		clones := make([]Input, len(inputs))
		for i, in := range inputs {
			clones[i] = in
			clones[i].Graph = in.Graph.Clone()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; round < 3; round++ {
				for i, in := range clones {
					p, err := Optimize(in, Options{})
					if err != nil || planJSON(p) != want[i] {
						errc <- "concurrent call: input " + in.Contract.ID + " differs"
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for msg := range errc {
		t.Fatal(msg)
	}
}

// TestPlanIDCoversTheGraph: any change to a node field, an edge or the
// graph's tick gives another plan id.
func TestPlanIDCoversTheGraph(t *testing.T) {
	base := mustOptimize(t, DAGWorkload(20, 4, 3)).ID
	edits := map[string]func(g *graph.Graph){
		"node health":   func(g *graph.Graph) { g.Node("r001").Health = ptr(0.5) },
		"node meta":     func(g *graph.Graph) { g.Node("i0003").Meta = []byte(`{"a":1}`) },
		"intent labels": func(g *graph.Graph) { g.Node("i0004").Labels = []string{"pii", "x"} },
		"edge weight": func(g *graph.Graph) {
			for _, e := range g.Edges() {
				if e.Kind == graph.EdgeExecutesOn {
					e.Weight = ptr(e.W() + 0.5)
					return
				}
			}
			t.Fatal("no executes_on edge")
		},
		"new edge": func(g *graph.Graph) {
			if _, err := g.AddEdge(&graph.Edge{From: "i0002", To: "r000", Kind: graph.EdgeObserves}); err != nil {
				t.Fatal(err)
			}
		},
		"tick": func(g *graph.Graph) { g.AdvanceTick() },
	}
	for name, edit := range edits {
		in := DAGWorkload(20, 4, 3)
		edit(in.Graph)
		if id := mustOptimize(t, in).ID; id == base {
			t.Errorf("%s: plan id unchanged (%s)", name, id)
		}
	}
}

// TestBufferReuse plans workloads of different shapes into one Buffer, in
// two orders: each plan must be byte-identical to the plan built without a
// buffer, so nothing of a larger plan (its steps, fallbacks, rejections)
// shows through in a smaller one.
func TestBufferReuse(t *testing.T) {
	tight := DAGWorkload(60, 6, 9)
	c := *tight.Contract
	c.Constraints.MaxCost = ptr(0.01)
	tight.Contract = &c
	inputs := []Input{DAGWorkload(300, 20, 1), ChatWorkload(), DAGWorkload(40, 3, 2), tight, DAGWorkload(120, 60, 4), ChatWorkload()}
	want := make([]string, len(inputs))
	for i, in := range inputs {
		want[i] = planJSON(mustOptimize(t, in))
	}
	var buf Buffer
	for _, order := range [][]int{{0, 1, 2, 3, 4, 5}, {5, 4, 3, 2, 1, 0}, {1, 0, 1, 3, 1}} {
		for _, i := range order {
			p, err := Optimize(inputs[i], Options{Buffer: &buf})
			if err != nil {
				t.Fatal(err)
			}
			if got := planJSON(p); got != want[i] {
				t.Fatalf("input %d planned into a used buffer:\n got: %s\nwant: %s", i, got, want[i])
			}
		}
	}
}
