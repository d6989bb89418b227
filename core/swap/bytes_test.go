package swap

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/convergence-io/ceg/core/graph"
)

// guardBytes recounts a guard's bytes from its swaps.
func guardBytes(g *Guard) int {
	b := 0
	for _, s := range g.swaps {
		b += SwapBytes(s)
	}
	return b
}

// A guard's bytes follow every change, at the swap cap too, and Record's
// undo puts back exactly what was there (the forgotten oldest swap too).
func TestGuardBytesAndUndo(t *testing.T) {
	g := NewGuard(3, 10)
	for i := 0; i < MaxGuardSwaps+3; i++ {
		g.RecordSwap(fmt.Sprint("old", i), "new", int64(i))
	}
	if g.Len() != MaxGuardSwaps || g.Bytes() != guardBytes(g) {
		t.Fatalf("at the cap: %d swaps, bytes %d want %d", g.Len(), g.Bytes(), guardBytes(g))
	}
	first, bytes := g.swaps[0], g.Bytes()
	if d := g.RecordBytes("x", "y"); bytes+d != bytes+SwapBytes(Swap{From: "x", To: "y"})-SwapBytes(first) {
		t.Errorf("RecordBytes at the cap got: %d", d)
	}
	undo := g.Record("x", "y", 1)
	if g.Bytes() != guardBytes(g) || g.swaps[0] == first {
		t.Errorf("record at the cap: bytes %d want %d", g.Bytes(), guardBytes(g))
	}
	undo()
	if g.Len() != MaxGuardSwaps || g.swaps[0] != first || g.Bytes() != bytes || g.swaps[len(g.swaps)-1].From != fmt.Sprint("old", MaxGuardSwaps+2) {
		t.Errorf("undo: len %d first %v bytes %d want %d", g.Len(), g.swaps[0], g.Bytes(), bytes)
	}
	g.Reset("old5000", "new")
	if g.Len() != MaxGuardSwaps-1 || g.Bytes() != guardBytes(g) {
		t.Errorf("reset: bytes %d want %d", g.Bytes(), guardBytes(g))
	}
	if c := g.Clone(); c.Bytes() != g.Bytes() {
		t.Errorf("clone: bytes %d want %d", c.Bytes(), g.Bytes())
	}
}

// A registry's bytes kept as it changes equal a recount, and survive a
// round trip through its state (snapshots, Clone).
func TestRegistryBytesKept(t *testing.T) {
	r := New(DefaultConfig())
	if r.Bytes() != 0 {
		t.Fatalf("empty registry: %d bytes", r.Bytes())
	}
	node := func(id, provider, label string) *graph.Node {
		return &graph.Node{ID: id, Kind: graph.KindResource, Provider: provider, Label: label}
	}
	steps := []func(){
		func() { r.Register("a", node("b", "p", "")) },
		func() { r.Register("a", node("b", "p", "a longer label")) }, // replaces b
		func() { r.Register("a", node("c", "p", "")) },               // same provider: ignored
		func() { r.Register("x", node("c", "q", "")) },
		func() { r.Observe("a", 0.5) },
		func() { r.Observe("a", 0.7) }, // known id: no new entry
	}
	for i, s := range steps {
		s()
		want := r.Bytes()
		r.recount()
		if r.Bytes() != want {
			t.Errorf("step %d: kept %d, recount %d", i, want, r.Bytes())
		}
	}
	if d, b := r.RegisterBytes("y", node("d", "q", "")), r.Bytes(); r.Register("y", node("d", "q", "")) && r.Bytes() != b+d {
		t.Errorf("RegisterBytes got: %d, grew by %d", d, r.Bytes()-b)
	}
	d, b := r.ObserveBytes("z"), r.Bytes()
	r.Observe("z", 1)
	if r.Bytes() != b+d || d == 0 {
		t.Errorf("ObserveBytes got: %d, grew by %d", d, r.Bytes()-b)
	}
	if c := r.Clone(); c.Bytes() != r.Bytes() {
		t.Errorf("clone: %d want %d", c.Bytes(), r.Bytes())
	}
}

// RegisterUndo and ObserveUndo put the registry back exactly (state and
// bytes), whether the call added, replaced or ignored.
func TestRegistryUndo(t *testing.T) {
	r := New(DefaultConfig())
	r.Register("a", &graph.Node{ID: "b", Kind: graph.KindResource, Provider: "p"})
	r.Observe("a", 0.5)
	before, bytes := r.State(), r.Bytes()
	for _, n := range []struct{ resource, id, provider string }{
		{"a", "b", "p"}, // replaces b
		{"a", "c", "q"}, // appends
		{"a", "d", "p"}, // ignored: provider p is registered
		{"x", "c", "q"}, // a new resource
	} {
		_, undo := r.RegisterUndo(n.resource, &graph.Node{ID: n.id, Kind: graph.KindResource, Provider: n.provider, Label: "new"})
		undo()
		if got := r.State(); js(got) != js(before) || r.Bytes() != bytes {
			t.Errorf("register %v undone: %v (%d bytes) want %v (%d)", n, got, r.Bytes(), before, bytes)
		}
	}
	for _, id := range []string{"a", "z"} {
		r.ObserveUndo(id, 0.9)()
		if got := r.State(); js(got) != js(before) || r.Bytes() != bytes {
			t.Errorf("observe %s undone: %v want %v", id, got, before)
		}
	}
}

func js(s State) string {
	b, _ := json.Marshal(s)
	return string(b)
}
