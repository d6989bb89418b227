package plan

import "github.com/convergence-io/ceg/core/graph"

// index is the graph's adjacency for one call, built once from the sorted
// document (which the plan id hashes anyway) so nothing below walks a map
// or sorts edges again. Edges out of and into each node keep the
// document's (from, to, kind) order.
type index struct {
	doc    *graph.Doc
	pos    map[string]int32
	out    [][]*graph.Edge
	in     [][]*graph.Edge
	byKind map[string][]*graph.Node
}

func newIndex(g *graph.Graph) *index {
	nodes := g.Nodes()
	d := &graph.Doc{Nodes: nodes, Edges: make([]*graph.Edge, 0, g.EdgeCount()), Tick: g.Tick()}
	x := &index{doc: d, pos: make(map[string]int32, len(nodes)), byKind: map[string][]*graph.Node{},
		out: make([][]*graph.Edge, len(nodes))}
	for i, n := range nodes {
		x.pos[n.ID] = int32(i)
		x.byKind[n.Kind] = append(x.byKind[n.Kind], n)
	}
	// Each node's out-edges come sorted by (to, kind); concatenated in node
	// order they are all edges sorted by (from, to, kind), as g.Doc() has
	// them, without sorting them all at once.
	for i, n := range nodes {
		start := len(d.Edges)
		d.Edges = g.AppendEdgesFrom(d.Edges, n.ID)
		x.out[i] = d.Edges[start:len(d.Edges):len(d.Edges)]
	}
	inN := make([]int32, len(nodes))
	to := make([]int32, len(d.Edges))
	for k, e := range d.Edges {
		to[k] = x.pos[e.To]
		inN[to[k]]++
	}
	x.in = split(inN, len(d.Edges))
	for k, e := range d.Edges {
		x.in[to[k]] = append(x.in[to[k]], e)
	}
	return x
}

// split carves one backing array into empty slices with the given
// capacities.
func split(counts []int32, total int) [][]*graph.Edge {
	backing := make([]*graph.Edge, total)
	out := make([][]*graph.Edge, len(counts))
	off := 0
	for i, c := range counts {
		out[i] = backing[off : off : off+int(c)]
		off += int(c)
	}
	return out
}

// node returns the node with the id, or nil.
func (x *index) node(id string) *graph.Node {
	if i, ok := x.pos[id]; ok {
		return x.doc.Nodes[i]
	}
	return nil
}

// from returns the edges leaving id; to the edges entering it.
func (x *index) from(id string) []*graph.Edge {
	if i, ok := x.pos[id]; ok {
		return x.out[i]
	}
	return nil
}

func (x *index) to(id string) []*graph.Edge {
	if i, ok := x.pos[id]; ok {
		return x.in[i]
	}
	return nil
}

// nodes returns the nodes of a kind, sorted by id.
func (x *index) nodes(kind string) []*graph.Node { return x.byKind[kind] }
