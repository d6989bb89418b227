package graph

import (
	"errors"
	"reflect"
	"testing"

	"github.com/convergence-io/ceg/core/errs"
)

func node(id, kind string) *Node { return &Node{ID: id, Kind: kind} }

func edge(from, to, kind string) *Edge { return &Edge{From: from, To: to, Kind: kind} }

// sample: intent a requires intent b; a executes on r1; r1 swaps to r2;
// constraint c blocks r1.
func sample(t *testing.T) *Graph {
	t.Helper()
	g := New()
	for _, n := range []*Node{node("a", KindIntent), node("b", KindIntent), node("r1", KindResource), node("r2", KindResource), node("c", KindConstraint)} {
		if err := g.AddNode(n); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range []*Edge{edge("a", "b", EdgeRequires), edge("a", "r1", EdgeExecutesOn), edge("r1", "r2", EdgeSwapsTo), edge("c", "r1", EdgeBlocks)} {
		if _, err := g.AddEdge(e); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

func code(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestAddNode(t *testing.T) {
	tests := []struct {
		name string
		n    *Node
		code string
	}{
		{"new intent", node("x", KindIntent), ""},
		{"duplicate", node("a", KindMemory), errs.CodeDuplicateNode},
		{"empty id", node("", KindIntent), errs.CodeInvalidParams},
		{"bad kind", node("y", "widget"), errs.CodeInvalidParams},
		{"bad enum", &Node{ID: "z", Kind: KindConstraint, Severity: "mild"}, errs.CodeInvalidParams},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := sample(t)
			before := g.NodeCount()
			err := g.AddNode(tt.n)
			if got := code(err); got != tt.code {
				t.Fatalf("AddNode code got: %q want: %q (%v)", got, tt.code, err)
			}
			if tt.code != "" && g.NodeCount() != before {
				t.Errorf("failed AddNode changed the graph")
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	g := New()
	r := node("r", KindResource)
	i := node("i", KindIntent)
	if err := g.AddNode(r); err != nil {
		t.Fatal(err)
	}
	if err := g.AddNode(i); err != nil {
		t.Fatal(err)
	}
	if r.Dilation != 1 || r.HealthOr() != 1 || r.LatencyTarget() != 2000 || r.ResourceKind != "llm" {
		t.Errorf("resource defaults got: %+v", r)
	}
	if i.TokensOr() != 1000 {
		t.Errorf("intent tokens got: %v want: 1000", i.TokensOr())
	}
}

func TestAddEdge(t *testing.T) {
	tests := []struct {
		name  string
		e     *Edge
		code  string
		added bool
		ids   []string
	}{
		{"new", edge("b", "r1", EdgeExecutesOn), "", true, nil},
		{"duplicate keeps one", edge("a", "b", EdgeRequires), "", false, nil},
		{"same pair other kind", edge("a", "b", EdgeEnables), "", true, nil},
		{"unknown to", edge("a", "ghost", EdgeRequires), errs.CodeUnknownNode, false, []string{"ghost"}},
		{"unknown from", edge("ghost", "a", EdgeRequires), errs.CodeUnknownNode, false, []string{"ghost"}},
		{"bad kind", edge("a", "b", "likes"), errs.CodeInvalidParams, false, nil},
		{"requires cycle", edge("b", "a", EdgeRequires), errs.CodeCycle, false, []string{"a", "b"}},
		{"mixed cycle", edge("a", "b", EdgeTransformsInto), errs.CodeCycle, false, []string{"a", "b"}},
		{"consistent mixed pair is no cycle", edge("b", "a", EdgeTransformsInto), "", true, nil},
		{"self loop", edge("a", "a", EdgeRequires), errs.CodeCycle, false, []string{"a"}},
		{"enables back edge is no cycle", edge("b", "a", EdgeEnables), "", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := sample(t)
			before := g.EdgeCount()
			added, err := g.AddEdge(tt.e)
			if got := code(err); got != tt.code {
				t.Fatalf("code got: %q want: %q (%v)", got, tt.code, err)
			}
			if added != tt.added {
				t.Errorf("added got: %v want: %v", added, tt.added)
			}
			if tt.ids != nil {
				var e *errs.Error
				errors.As(err, &e)
				if !reflect.DeepEqual(e.IDs, tt.ids) {
					t.Errorf("ids got: %v want: %v", e.IDs, tt.ids)
				}
			}
			if !added && g.EdgeCount() != before {
				t.Errorf("edge count changed from %d to %d", before, g.EdgeCount())
			}
		})
	}
}

func TestRemoveNodeDropsEdges(t *testing.T) {
	g := sample(t)
	n, err := g.RemoveNode("r1")
	if err != nil || n.ID != "r1" {
		t.Fatalf("RemoveNode got: %v, %v", n, err)
	}
	if g.EdgeCount() != 1 {
		t.Errorf("edges after removing r1 got: %d want: 1 (a requires b)", g.EdgeCount())
	}
	if len(g.EdgesTo("r2")) != 0 || len(g.EdgesFrom("a", EdgeExecutesOn)) != 0 {
		t.Error("dangling edges remain")
	}
	if _, err := g.RemoveNode("r1"); code(err) != errs.CodeUnknownNode {
		t.Errorf("second remove got: %v want: UNKNOWN_NODE", err)
	}
}

func TestRemoveEdge(t *testing.T) {
	g := sample(t)
	if _, err := g.RemoveEdge("a", "b", EdgeRequires); err != nil {
		t.Fatal(err)
	}
	if _, err := g.RemoveEdge("a", "b", EdgeRequires); code(err) != errs.CodeUnknownEdge {
		t.Errorf("got: %v want: UNKNOWN_EDGE", err)
	}
}

func TestSwapNode(t *testing.T) {
	t.Run("new node takes the edges", func(t *testing.T) {
		g := sample(t)
		old, err := g.SwapNode("r1", node("r3", KindResource))
		if err != nil || old.ID != "r1" {
			t.Fatalf("got: %v, %v", old, err)
		}
		if g.Node("r1") != nil {
			t.Error("old node still present")
		}
		want := []Key{{"a", "r3", EdgeExecutesOn}, {"c", "r3", EdgeBlocks}}
		if got := keys(g.EdgesTo("r3")); !reflect.DeepEqual(got, want) {
			t.Errorf("edges into r3 got: %v want: %v", got, want)
		}
		if got := keys(g.EdgesFrom("r3")); !reflect.DeepEqual(got, []Key{{"r3", "r2", EdgeSwapsTo}}) {
			t.Errorf("edges from r3 got: %v", got)
		}
	})
	t.Run("declared replacement: edges move and merge", func(t *testing.T) {
		g := sample(t)
		g.AddEdge(edge("a", "r2", EdgeExecutesOn))
		if _, err := g.SwapNode("r1", node("r2", KindResource)); err != nil {
			t.Fatal(err)
		}
		want := []Key{{"a", "r2", EdgeExecutesOn}, {"c", "r2", EdgeBlocks}}
		if got := keys(g.EdgesTo("r2")); !reflect.DeepEqual(got, want) {
			t.Errorf("edges into r2 got: %v want: %v", got, want)
		}
		if len(g.EdgesFrom("r2")) != 0 {
			t.Errorf("the swaps_to declaration became a self-loop: %v", keys(g.EdgesFrom("r2")))
		}
	})
	t.Run("same id replaces in place", func(t *testing.T) {
		g := sample(t)
		n := node("r1", KindResource)
		n.Provider = "new"
		if _, err := g.SwapNode("r1", n); err != nil {
			t.Fatal(err)
		}
		if g.Node("r1").Provider != "new" || g.EdgeCount() != 4 {
			t.Errorf("in-place swap got: %+v, %d edges", g.Node("r1"), g.EdgeCount())
		}
	})
	t.Run("unknown old id is an error", func(t *testing.T) {
		g := sample(t)
		if _, err := g.SwapNode("ghost", node("x", KindResource)); code(err) != errs.CodeUnknownNode {
			t.Errorf("got: %v want: UNKNOWN_NODE", err)
		}
	})
	t.Run("a failing swap changes nothing", func(t *testing.T) {
		g := sample(t)
		g.AddNode(node("z", KindIntent))
		g.AddEdge(edge("z", "a", EdgeRequires))
		// Swapping b for z moves a -> b onto a -> z, closing a -> z -> a.
		before := docString(g)
		if _, err := g.SwapNode("b", node("z", KindIntent)); code(err) != errs.CodeCycle {
			t.Fatalf("got: %v want: CYCLE", err)
		}
		if after := docString(g); after != before {
			t.Errorf("graph changed:\n got: %s\nwant: %s", after, before)
		}
	})
}

func TestAtomicallyRollsBack(t *testing.T) {
	g := sample(t)
	before := docString(g)
	err := g.Atomically(func() error {
		g.AddNode(node("n", KindIntent))
		g.AddEdge(edge("n", "a", EdgeEnables))
		g.RemoveNode("r1")
		g.AdvanceTick()
		return errs.New(errs.CodeInvalidParams, "stop")
	})
	if err == nil {
		t.Fatal("want the error back")
	}
	if after := docString(g); after != before {
		t.Errorf("rollback incomplete:\n got: %s\nwant: %s", after, before)
	}
}

// A panic inside a transaction (recovered by the caller as an INTERNAL
// error) used to leave the changes made before it in the graph.
func TestAtomicallyRollsBackOnPanic(t *testing.T) {
	g := sample(t)
	before := docString(g)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("want the panic to go on")
			}
		}()
		_ = g.Atomically(func() error {
			g.AddNode(node("n", KindIntent))
			g.RemoveNode("r1")
			panic("boom")
		})
	}()
	if after := docString(g); after != before {
		t.Errorf("rollback after a panic incomplete:\n got: %s\nwant: %s", after, before)
	}
	if err := g.AddNode(node("m", KindIntent)); err != nil {
		t.Fatalf("graph unusable after the panic: %v", err)
	}
}

// Transaction's undo takes back a committed change (a response over its
// budget), and leaves the graph usable.
func TestTransactionUndo(t *testing.T) {
	g := sample(t)
	before := docString(g)
	undo, err := g.Transaction(func() error {
		g.AddNode(node("n", KindIntent))
		g.AddEdge(edge("n", "a", EdgeEnables))
		g.SwapNode("r1", node("r3", KindResource))
		g.AdvanceTick()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if docString(g) == before {
		t.Fatal("the transaction changed nothing")
	}
	undo()
	if after := docString(g); after != before {
		t.Errorf("undo incomplete:\n got: %s\nwant: %s", after, before)
	}
	if _, err := g.Transaction(func() error { return g.AddNode(node("n", KindIntent)) }); err != nil {
		t.Errorf("a node taken back by undo cannot be added again: %v", err)
	}
}

func TestQueries(t *testing.T) {
	g := sample(t)
	if got := g.BlockedBy("r1"); !reflect.DeepEqual(got, []string{"c"}) {
		t.Errorf("BlockedBy got: %v", got)
	}
	if got := g.RequiredBy("a"); !reflect.DeepEqual(got, []string{"b"}) {
		t.Errorf("RequiredBy got: %v", got)
	}
	if got := ids(g.NodesByKind(KindResource)); !reflect.DeepEqual(got, []string{"r1", "r2"}) {
		t.Errorf("NodesByKind got: %v", got)
	}
	s := g.Snapshot()
	want := Snapshot{Tick: 0, Nodes: 5, Edges: 4, ByKind: []KindCount{{KindConstraint, 1}, {KindIntent, 2}, {KindResource, 2}}}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Snapshot got: %+v want: %+v", s, want)
	}
	if g.AdvanceTick() != 1 || g.Snapshot().Tick != 1 {
		t.Error("AdvanceTick did not advance")
	}
}

func TestFromDocCycleAndOrder(t *testing.T) {
	d := &Doc{Nodes: []*Node{node("c", KindIntent), node("a", KindIntent), node("b", KindIntent)},
		Edges: []*Edge{edge("a", "b", EdgeRequires), edge("b", "c", EdgeRequires), edge("a", "c", EdgeTransformsInto)}}
	// b before a, c before b, a before c: a cycle, reported in run order.
	_, err := FromDoc(d, Limits{}, "graph")
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.CodeCycle || !reflect.DeepEqual(e.IDs, []string{"a", "c", "b"}) {
		t.Fatalf("got: %v want: CYCLE a c b", err)
	}
	d.Edges = d.Edges[:2]
	g, err := FromDoc(d, Limits{}, "graph")
	if err != nil {
		t.Fatal(err)
	}
	order, cyc := g.TopoOrder()
	if cyc != nil || !reflect.DeepEqual(order, []string{"c", "b", "a"}) {
		t.Errorf("TopoOrder got: %v, %v", order, cyc)
	}
}

func TestLimits(t *testing.T) {
	g := New()
	g.Limits = Limits{MaxNodes: 2, MaxEdges: 1}
	g.AddNode(node("a", KindIntent))
	g.AddNode(node("b", KindIntent))
	if err := g.AddNode(node("c", KindIntent)); code(err) != errs.CodeLimitExceeded {
		t.Errorf("node limit got: %v", err)
	}
	g.AddEdge(edge("a", "b", EdgeEnables))
	if _, err := g.AddEdge(edge("b", "a", EdgeEnables)); code(err) != errs.CodeLimitExceeded {
		t.Errorf("edge limit got: %v", err)
	}
}

func keys(es []*Edge) []Key {
	var out []Key
	for _, e := range es {
		out = append(out, e.Key())
	}
	return out
}

func ids(ns []*Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

func docString(g *Graph) string {
	b, err := marshalDoc(g.Doc())
	if err != nil {
		panic(err)
	}
	return string(b)
}
