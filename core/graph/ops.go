package graph

import (
	"slices"

	"github.com/convergence-io/ceg/core/errs"
)

// AddNode validates n (filling defaults) and adds it. A duplicate id is
// DUPLICATE_NODE; a full graph is LIMIT_EXCEEDED.
func (g *Graph) AddNode(n *Node) error {
	if err := Normalize(n, ""); err != nil {
		return err
	}
	if _, ok := g.nodes[n.ID]; ok {
		e := errs.New(errs.CodeDuplicateNode, "graph: node %q already exists", n.ID).WithIDs(n.ID)
		e.Path = "id"
		return e
	}
	if g.Limits.MaxNodes > 0 && len(g.nodes) >= g.Limits.MaxNodes {
		return errs.New(errs.CodeLimitExceeded, "graph: node limit %d reached", g.Limits.MaxNodes)
	}
	if err := g.checkBytes(NodeBytes(n), 0); err != nil {
		return err
	}
	g.putNode(n)
	return nil
}

// checkBytes is LIMIT_EXCEEDED when adding add bytes and removing sub bytes
// would take the graph over its byte budget.
func (g *Graph) checkBytes(add, sub int) error {
	if g.Limits.MaxBytes > 0 && g.bytes+add-sub > g.Limits.MaxBytes {
		return errs.New(errs.CodeLimitExceeded, "graph: %d bytes would exceed the graph's byte budget of %d", g.bytes+add-sub, g.Limits.MaxBytes)
	}
	return nil
}

// RemoveNode removes the node and every edge touching it, returning it.
func (g *Graph) RemoveNode(id string) (*Node, error) {
	n := g.nodes[id]
	if n == nil {
		return nil, unknownNode(id)
	}
	for _, e := range g.EdgesFrom(id) {
		g.deleteEdge(e.Key())
	}
	for _, e := range g.EdgesTo(id) {
		g.deleteEdge(e.Key())
	}
	g.deleteNode(id)
	return n, nil
}

// AddEdge validates e and adds it. Both ends must exist (UNKNOWN_NODE); a
// requires/transforms_into edge that closes a cycle is CYCLE. Adding an
// existing (from, to, kind) keeps one edge and reports added=false.
func (g *Graph) AddEdge(e *Edge) (added bool, err error) {
	if err := NormalizeEdge(e, ""); err != nil {
		return false, err
	}
	for i, id := range []string{e.From, e.To} {
		if g.nodes[id] == nil {
			err := errs.New(errs.CodeUnknownNode, "graph: edge %s -[%s]-> %s names unknown node %q", e.From, e.Kind, e.To, id).WithIDs(id)
			err.Path = []string{"from", "to"}[i]
			return false, err
		}
	}
	if g.edges[e.Key()] != nil {
		return false, nil
	}
	if g.Limits.MaxEdges > 0 && len(g.edges) >= g.Limits.MaxEdges {
		return false, errs.New(errs.CodeLimitExceeded, "graph: edge limit %d reached", g.Limits.MaxEdges)
	}
	if err := g.checkBytes(EdgeBytes(e), 0); err != nil {
		return false, err
	}
	if IsOrdering(e.Kind) && g.checkCycles {
		first, then := precedence(e)
		if path := g.orderingPath(then, first); path != nil {
			return false, cycleError(append([]string{first}, path...))
		}
	}
	g.putEdge(e)
	return true, nil
}

// RemoveEdge removes the edge (from, to, kind); a missing one is UNKNOWN_EDGE.
func (g *Graph) RemoveEdge(from, to, kind string) (*Edge, error) {
	k := Key{from, to, kind}
	e := g.edges[k]
	if e == nil {
		return nil, errs.New(errs.CodeUnknownEdge, "graph: no edge %s -[%s]-> %s", from, kind, to).WithIDs(from, to)
	}
	g.deleteEdge(k)
	return e, nil
}

// SwapNode is σ: the node oldID leaves, n takes its edges, and the old node
// is returned. When n.ID is already in the graph (a replacement declared with
// a swaps_to edge) the edges move onto that node, which takes n's fields;
// an edge that would duplicate one already there merges into it (the
// existing edge is kept) and an edge that would become a self-loop (the
// swaps_to declaration itself) is dropped. The swap is atomic: on any error
// nothing changes. The node that left and its edges are kept as rollback
// state under n.ID (see Rollback).
func (g *Graph) SwapNode(oldID string, n *Node) (*Node, error) {
	old := g.nodes[oldID]
	if old == nil {
		return nil, unknownNode(oldID)
	}
	if err := Normalize(n, "node"); err != nil {
		return nil, err
	}
	var prev *Node
	err := g.Atomically(func() error {
		prev = old
		g.setRollback(n.ID, g.captureSwap(oldID, n.ID))
		if n.ID == oldID {
			if err := g.checkBytes(NodeBytes(n), NodeBytes(old)); err != nil {
				return err
			}
			g.putNode(n)
			return nil
		}
		moved := append(g.EdgesFrom(oldID), g.EdgesTo(oldID)...)
		if _, err := g.RemoveNode(oldID); err != nil {
			return err
		}
		if g.nodes[n.ID] == nil && g.Limits.MaxNodes > 0 && len(g.nodes) >= g.Limits.MaxNodes {
			return errs.New(errs.CodeLimitExceeded, "graph: node limit %d reached", g.Limits.MaxNodes)
		}
		sub := 0
		if had := g.nodes[n.ID]; had != nil {
			sub = NodeBytes(had)
		}
		if err := g.checkBytes(NodeBytes(n), sub); err != nil {
			return err
		}
		g.putNode(n)
		for _, e := range moved {
			c := e.Clone()
			if c.From == oldID {
				c.From = n.ID
			}
			if c.To == oldID {
				c.To = n.ID
			}
			if c.From == c.To && (c.Kind == EdgeSwapsTo || e.From != e.To) {
				continue
			}
			if _, err := g.AddEdge(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return prev, nil
}

// IsOrdering reports whether edges of the kind order execution and so must
// stay acyclic (requires, transforms_into).
func IsOrdering(kind string) bool { return kind == EdgeRequires || kind == EdgeTransformsInto }

// precedence returns the execution order an ordering edge imposes, as
// (first, then): `a requires b` runs b first; `a transforms_into b` runs a
// first (a's output is b's input).
func precedence(e *Edge) (first, then string) {
	if e.Kind == EdgeRequires {
		return e.To, e.From
	}
	return e.From, e.To
}

// Successors returns the sorted ids of the nodes that must run after id
// because of an ordering edge: the requirers of id and the targets id
// transforms into.
func (g *Graph) Successors(id string) []string {
	var out []string
	for k := range g.in[id] {
		if k.Kind == EdgeRequires {
			out = append(out, k.From)
		}
	}
	for k := range g.out[id] {
		if k.Kind == EdgeTransformsInto {
			out = append(out, k.To)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// orderingPath returns a path along Successors from a to b (inclusive of a,
// exclusive of b), or nil when there is none. Neighbours are walked in
// sorted order so the reported cycle is deterministic.
func (g *Graph) orderingPath(a, b string) []string {
	if a == b {
		return []string{}
	}
	parent := map[string]string{a: ""}
	stack := []string{a}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, next := range g.Successors(cur) {
			if _, seen := parent[next]; seen {
				continue
			}
			parent[next] = cur
			if next == b {
				var rev []string
				for x := cur; x != ""; x = parent[x] {
					rev = append(rev, x)
				}
				slices.Reverse(rev)
				return rev
			}
			stack = append(stack, next)
		}
	}
	return nil
}

// cycleError reports a cycle given as its ids in execution-order terms,
// first id repeated implicitly: [a b c] means a must run before b, b before
// c and c before a.
func cycleError(ids []string) *errs.Error {
	msg := ""
	for _, id := range ids {
		msg += id + " -> "
	}
	if len(ids) > 0 {
		msg += ids[0]
	}
	return errs.New(errs.CodeCycle, "graph: ordering cycle (requires/transforms_into; each must run before the next): %s", msg).WithIDs(ids...)
}
