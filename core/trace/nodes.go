package trace

import (
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/internal/wire"
)

// Node returns the record as a graph node of kind trace: its id, event
// (also the label), actor, causalParent, tick, at, hash and prevHash, with
// the record's data as the node's meta.
func Node(r *Record) *graph.Node {
	tick, at := r.Tick, r.At
	return &graph.Node{
		ID:           r.ID,
		Kind:         graph.KindTrace,
		Label:        r.Event,
		Meta:         append(wire.Raw(nil), r.Data...),
		Dilation:     1,
		Event:        r.Event,
		CausalParent: r.CausalParent,
		Actor:        r.Actor,
		Tick:         &tick,
		At:           &at,
		Hash:         r.Hash,
		PrevHash:     r.PrevHash,
	}
}

// AddToGraph adds every record as a trace node, with a derives_from edge
// from each record to its causal parent (provenance; derives_from does not
// order execution). It is all-or-nothing: an id already in the graph is
// DUPLICATE_NODE and the graph is unchanged.
func AddToGraph(g *graph.Graph, records []*Record) error {
	return g.Atomically(func() error {
		for _, r := range records {
			if err := g.AddNode(Node(r)); err != nil {
				return err
			}
		}
		for _, r := range records {
			if r.CausalParent == "" {
				continue
			}
			if _, err := g.AddEdge(&graph.Edge{From: r.ID, To: r.CausalParent, Kind: graph.EdgeDerivesFrom}); err != nil {
				return err
			}
		}
		return nil
	})
}
