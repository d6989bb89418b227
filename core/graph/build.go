package graph

import (
	"sort"

	"github.com/convergence-io/ceg/core/errs"
)

// FromDoc builds a graph from its wire document. path is the document's
// JSON path ("graph"), used in errors: a bad node is reported at
// path.nodes[i], a bad edge at path.edges[i]. Cycles are found with one
// topological pass over all ordering edges, so loading is O(V + E log E).
func FromDoc(d *Doc, limits Limits, path string) (*Graph, error) {
	g := New()
	g.Limits = limits
	if d == nil {
		return g, nil
	}
	if limits.MaxNodes > 0 && len(d.Nodes) > limits.MaxNodes {
		return nil, errs.New(errs.CodeLimitExceeded, "graph: %d nodes exceed the limit of %d", len(d.Nodes), limits.MaxNodes).At(errs.Join(path, "nodes"))
	}
	if limits.MaxEdges > 0 && len(d.Edges) > limits.MaxEdges {
		return nil, errs.New(errs.CodeLimitExceeded, "graph: %d edges exceed the limit of %d", len(d.Edges), limits.MaxEdges).At(errs.Join(path, "edges"))
	}
	g.tick = d.Tick
	for i, n := range d.Nodes {
		if err := g.AddNode(n); err != nil {
			return nil, asErr(err).At(errs.Index(errs.Join(path, "nodes"), i))
		}
	}
	g.checkCycles = false
	for i, e := range d.Edges {
		if _, err := g.AddEdge(e); err != nil {
			return nil, asErr(err).At(errs.Index(errs.Join(path, "edges"), i))
		}
	}
	g.checkCycles = true
	if cyc := g.findCycle(); cyc != nil {
		return nil, cycleError(cyc).At(errs.Join(path, "edges"))
	}
	return g, nil
}

func asErr(err error) *errs.Error {
	if e, ok := err.(*errs.Error); ok {
		return e
	}
	return errs.New(errs.CodeInvalidParams, "%v", err)
}

// TopoOrder returns the ids of every node in a topological order of the
// ordering edges (requires, transforms_into), ties broken by id, or the ids
// of a cycle when there is one.
func (g *Graph) TopoOrder() (order []string, cycle []string) {
	indeg := make(map[string]int, len(g.nodes))
	for k := range g.edges {
		if IsOrdering(k.Kind) {
			indeg[k.To]++
		}
	}
	var ready []string
	for id := range g.nodes {
		if indeg[id] == 0 {
			ready = append(ready, id)
		}
	}
	sort.Strings(ready)
	for len(ready) > 0 {
		id := ready[0]
		ready = ready[1:]
		order = append(order, id)
		var next []string
		for _, e := range g.EdgesFrom(id, EdgeRequires, EdgeTransformsInto) {
			indeg[e.To]--
			if indeg[e.To] == 0 {
				next = append(next, e.To)
			}
		}
		if len(next) > 0 {
			ready = append(ready, next...)
			sort.Strings(ready)
		}
	}
	if len(order) == len(g.nodes) {
		return order, nil
	}
	return nil, g.findCycle()
}

// findCycle returns the ids of one ordering cycle (smallest starting id
// first, neighbours in sorted order), or nil.
func (g *Graph) findCycle() []string {
	const (
		white = iota
		grey
		black
	)
	color := make(map[string]int, len(g.nodes))
	ids := make([]string, 0, len(g.nodes))
	for id := range g.nodes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	type frame struct {
		id    string
		edges []*Edge
		i     int
	}
	for _, root := range ids {
		if color[root] != white {
			continue
		}
		stack := []frame{{id: root, edges: g.EdgesFrom(root, EdgeRequires, EdgeTransformsInto)}}
		color[root] = grey
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.i == len(f.edges) {
				color[f.id] = black
				stack = stack[:len(stack)-1]
				continue
			}
			to := f.edges[f.i].To
			f.i++
			switch color[to] {
			case grey:
				var cyc []string
				start := 0
				for j := range stack {
					if stack[j].id == to {
						start = j
					}
				}
				for _, fr := range stack[start:] {
					cyc = append(cyc, fr.id)
				}
				return cyc
			case white:
				color[to] = grey
				stack = append(stack, frame{id: to, edges: g.EdgesFrom(to, EdgeRequires, EdgeTransformsInto)})
			}
		}
	}
	return nil
}
