package graph

import (
	"bytes"
	"testing"

	"github.com/mailru/easyjson/jwriter"
)

func docBytes(g *Graph) []byte {
	var w jwriter.Writer
	g.Doc().MarshalEasyJSON(&w)
	return w.Buffer.BuildBytes()
}

// TestRollbackRestoresTheOriginal restates the original CEG: swap_node keeps
// the old node and its edges under the new node's id; rollback restores
// them and removes the new node; rolling back an id without state is a
// no-op, not an error.
func TestRollbackRestoresTheOriginal(t *testing.T) {
	g := sample(t)
	before := docBytes(g)
	if _, err := g.SwapNode("r1", node("r3", KindResource)); err != nil {
		t.Fatal(err)
	}
	if !g.HasRollback("r3") || g.Node("r1") != nil {
		t.Fatalf("got: rollback %v, r1 %v want: state for r3, r1 gone", g.HasRollback("r3"), g.Node("r1"))
	}
	old, ok, err := g.Rollback("r3")
	if err != nil || !ok || old.ID != "r1" {
		t.Fatalf("got: %v %v %v want: r1 restored", old, ok, err)
	}
	if got := docBytes(g); !bytes.Equal(got, before) {
		t.Errorf("got: %s\nwant: %s", got, before)
	}
	if _, ok, err := g.Rollback("r3"); ok || err != nil {
		t.Errorf("second rollback: got: %v %v want: a no-op", ok, err)
	}
	if _, ok, err := g.Rollback("a"); ok || err != nil {
		t.Errorf("rollback without state: got: %v %v want: a no-op", ok, err)
	}
}

// TestRollbackDeclaredReplacement: the module's richer case — a swap onto a
// replacement already in the graph (swaps_to) puts that node back as it
// was, with its own edges.
func TestRollbackDeclaredReplacement(t *testing.T) {
	g := sample(t)
	before := docBytes(g)
	r2 := node("r2", KindResource)
	h := 0.5
	r2.Health = &h
	if _, err := g.SwapNode("r1", r2); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := g.Rollback("r2"); !ok || err != nil {
		t.Fatalf("got: %v %v", ok, err)
	}
	if got := docBytes(g); !bytes.Equal(got, before) {
		t.Errorf("got: %s\nwant: %s", got, before)
	}
}

// TestRollbackIsTransactional: a transaction that fails undoes both the
// swap and the rollback state it created, and a failed transaction that
// consumed rollback state gives it back.
func TestRollbackIsTransactional(t *testing.T) {
	g := sample(t)
	_ = g.Atomically(func() error {
		if _, err := g.SwapNode("r1", node("r3", KindResource)); err != nil {
			t.Fatal(err)
		}
		_, err := g.RemoveNode("missing")
		return err
	})
	if g.HasRollback("r3") || g.Node("r1") == nil {
		t.Fatalf("a failed transaction kept rollback state or lost r1")
	}
	if _, err := g.SwapNode("r1", node("r3", KindResource)); err != nil {
		t.Fatal(err)
	}
	_ = g.Atomically(func() error {
		if _, ok, err := g.Rollback("r3"); !ok || err != nil {
			t.Fatal(ok, err)
		}
		_, err := g.RemoveNode("missing")
		return err
	})
	if !g.HasRollback("r3") || g.Node("r3") == nil || g.Node("r1") != nil {
		t.Errorf("a failed transaction did not restore the rollback state")
	}
}

// TestRollbackBounded: rollback state is bounded by the node limit; the
// oldest state goes first.
func TestRollbackBounded(t *testing.T) {
	g := New()
	g.Limits.MaxNodes = 2
	if err := g.AddNode(node("n0", KindResource)); err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"n1", "n2", "n3"} {
		if _, err := g.SwapNode([]string{"n0", "n1", "n2"}[i], node(id, KindResource)); err != nil {
			t.Fatal(err)
		}
	}
	if got := g.RollbackIDs(); len(got) != 2 || got[0] != "n2" || got[1] != "n3" {
		t.Errorf("got: %v want: [n2 n3]", got)
	}
}
