package graph

import (
	"slices"

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

// TopoOrder returns the ids of every node in execution order of the
// ordering edges (`a requires b`: b first; `a transforms_into b`: a first),
// ties broken by id, or the ids of a cycle when there is one.
func (g *Graph) TopoOrder() (order []string, cycle []string) {
	indeg := make(map[string]int, len(g.nodes))
	for _, e := range g.edges {
		if IsOrdering(e.Kind) {
			_, then := precedence(e)
			indeg[then]++
		}
	}
	var ready []string
	for id := range g.nodes {
		if indeg[id] == 0 {
			ready = append(ready, id)
		}
	}
	slices.Sort(ready)
	for len(ready) > 0 {
		id := ready[0]
		ready = ready[1:]
		order = append(order, id)
		var next []string
		for _, e := range g.orderingEdges(id) {
			first, then := precedence(e)
			if first != id {
				continue
			}
			indeg[then]--
			if indeg[then] == 0 {
				next = append(next, then)
			}
		}
		if len(next) > 0 {
			ready = append(ready, next...)
			slices.Sort(ready)
		}
	}
	if len(order) == len(g.nodes) {
		return order, nil
	}
	return nil, g.findCycle()
}

// orderingEdges returns the ordering edges touching id.
func (g *Graph) orderingEdges(id string) []*Edge {
	var out []*Edge
	for k := range g.in[id] {
		if IsOrdering(k.Kind) {
			out = append(out, g.edges[k])
		}
	}
	for k := range g.out[id] {
		if IsOrdering(k.Kind) && k.To != id {
			out = append(out, g.edges[k])
		}
	}
	return out
}

// findCycle returns the ids of one ordering cycle in execution-order terms
// (smallest starting id first, successors in sorted order), or nil.
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
	slices.Sort(ids)
	type frame struct {
		id   string
		next []string
		i    int
	}
	for _, root := range ids {
		if color[root] != white {
			continue
		}
		stack := []frame{{id: root, next: g.Successors(root)}}
		color[root] = grey
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.i == len(f.next) {
				color[f.id] = black
				stack = stack[:len(stack)-1]
				continue
			}
			to := f.next[f.i]
			f.i++
			switch color[to] {
			case grey:
				start := 0
				for j := range stack {
					if stack[j].id == to {
						start = j
					}
				}
				var cyc []string
				for _, fr := range stack[start:] {
					cyc = append(cyc, fr.id)
				}
				return cyc
			case white:
				color[to] = grey
				stack = append(stack, frame{id: to, next: g.Successors(to)})
			}
		}
	}
	return nil
}
