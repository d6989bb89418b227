package graph

import "slices"

// σ rollback (the original CEG's rollback state): every SwapNode keeps the
// node that left and its edges, keyed by the id of the node that came in,
// and Rollback puts them back. The state lives with the graph (so
// graph.apply's all-or-nothing covers it), is not part of its document and
// is not copied by Clone.

// swapState is what one swap replaced.
type swapState struct {
	seq       uint64
	old       *Node   // the node that left
	oldEdges  []*Edge // its edges before the swap
	prev      *Node   // the incoming id's node before the swap (a declared replacement), or nil
	prevEdges []*Edge
}

// maxRollbacks bounds the kept rollback states when the graph has no node
// limit; with one, the bound is the node limit. Past it the oldest state is
// dropped.
const maxRollbacks = 50_000

func (g *Graph) edgesOf(id string) []*Edge {
	var out []*Edge
	for _, e := range append(g.EdgesFrom(id), g.EdgesTo(id)...) {
		out = append(out, e.Clone())
	}
	return out
}

// captureSwap returns the rollback state of swapping oldID for newID, taken
// before the swap.
func (g *Graph) captureSwap(oldID, newID string) *swapState {
	st := &swapState{old: g.nodes[oldID].Clone(), oldEdges: g.edgesOf(oldID)}
	if newID != oldID {
		if n := g.nodes[newID]; n != nil {
			st.prev, st.prevEdges = n.Clone(), g.edgesOf(newID)
		}
	}
	return st
}

// setRollback stores (or, with nil, deletes) the rollback state of id,
// recording the inverse inside a transaction.
func (g *Graph) setRollback(id string, st *swapState) {
	if g.rollbacks == nil {
		g.rollbacks = map[string]*swapState{}
	}
	before, had := g.rollbacks[id]
	g.record(func() {
		if had {
			g.rollbacks[id] = before
		} else {
			delete(g.rollbacks, id)
		}
	})
	if st == nil {
		delete(g.rollbacks, id)
		return
	}
	g.rollbackSeq++
	st.seq = g.rollbackSeq
	g.rollbacks[id] = st
	limit := maxRollbacks
	if g.Limits.MaxNodes > 0 {
		limit = g.Limits.MaxNodes
	}
	if len(g.rollbacks) > limit {
		oldest := ""
		for k, s := range g.rollbacks {
			if oldest == "" || s.seq < g.rollbacks[oldest].seq {
				oldest = k
			}
		}
		g.setRollback(oldest, nil)
	}
}

// HasRollback reports whether id (the node a swap brought in) has rollback
// state.
func (g *Graph) HasRollback(id string) bool { return g.rollbacks[id] != nil }

// RollbackIDs returns the ids with rollback state, sorted.
func (g *Graph) RollbackIDs() []string {
	out := make([]string, 0, len(g.rollbacks))
	for id := range g.rollbacks {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// Rollback undoes the swap that brought id in: the node id is removed (or,
// when it was a declared replacement already in the graph, put back as it
// was), the node that left returns with its edges, and the rollback state is
// dropped. Edges whose other end is no longer in the graph are not
// restored. An id without rollback state is a no-op: rolledBack is false
// and err nil. It is atomic: on error nothing changes.
func (g *Graph) Rollback(id string) (restored *Node, rolledBack bool, err error) {
	st := g.rollbacks[id]
	if st == nil {
		return nil, false, nil
	}
	err = g.Atomically(func() error {
		if g.nodes[id] != nil {
			if _, err := g.RemoveNode(id); err != nil {
				return err
			}
		}
		if st.old.ID != id && g.nodes[st.old.ID] != nil {
			if _, err := g.RemoveNode(st.old.ID); err != nil {
				return err
			}
		}
		if st.prev != nil {
			if err := g.AddNode(st.prev.Clone()); err != nil {
				return err
			}
		}
		restored = st.old.Clone()
		if err := g.AddNode(restored); err != nil {
			return err
		}
		for _, e := range append(append([]*Edge(nil), st.prevEdges...), st.oldEdges...) {
			if g.nodes[e.From] == nil || g.nodes[e.To] == nil {
				continue
			}
			if _, err := g.AddEdge(e.Clone()); err != nil {
				return err
			}
		}
		g.setRollback(id, nil)
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return restored, true, nil
}

// SetDilation sets the dilation of node id (inside a transaction it is
// undone with the rest). An unknown id is UNKNOWN_NODE.
func (g *Graph) SetDilation(id string, d float64) error {
	n := g.nodes[id]
	if n == nil {
		return unknownNode(id)
	}
	c := n.Clone()
	c.Dilation = d
	g.putNode(c)
	return nil
}
