package plan

import "github.com/convergence-io/ceg/core/graph"

// index is the graph's adjacency for one call, built once from the sorted
// document (which the plan id hashes anyway) so nothing below walks a map
// or sorts edges again. Edges out of and into each node keep the
// document's (from, to, kind) order. An index lives in a pooled scratch
// and is rebuilt in place by load.
type index struct {
	doc    graph.Doc
	pos    map[string]int32
	posLen int             // entries pos was last filled with
	out    [][]*graph.Edge // per node: its slice of doc.Edges
	outAt  []int32         // per node: where out starts in doc.Edges
	target []int32         // per edge of doc.Edges: its target's position
	in     [][]*graph.Edge // per node: the edges entering it
	inBack []*graph.Edge   // backing array of in
	inN    []int32         // scratch: in-degree per node
	byKind map[string][]*graph.Node
}

// load indexes g, reusing the index's memory.
func (x *index) load(g *graph.Graph) {
	nodes := g.Nodes()
	n := len(nodes)
	x.doc = graph.Doc{Nodes: nodes, Edges: x.doc.Edges[:0], Tick: g.Tick()}
	reuseMap(&x.pos, &x.posLen, n)
	if x.byKind == nil {
		x.byKind = map[string][]*graph.Node{}
	}
	for k, list := range x.byKind {
		x.byKind[k] = list[:0]
	}
	for i, nd := range nodes {
		x.pos[nd.ID] = int32(i)
		x.byKind[nd.Kind] = append(x.byKind[nd.Kind], nd)
	}
	// Each node's out-edges come sorted by (to, kind); concatenated in node
	// order they are all edges sorted by (from, to, kind), as g.Doc() has
	// them, without sorting them all at once.
	x.out, x.outAt = grab(&x.out, n), grab(&x.outAt, n)
	for i, nd := range nodes {
		start := len(x.doc.Edges)
		x.doc.Edges = g.AppendEdgesFrom(x.doc.Edges, nd.ID)
		x.out[i], x.outAt[i] = x.doc.Edges[start:len(x.doc.Edges):len(x.doc.Edges)], int32(start)
	}
	edges := x.doc.Edges
	x.inN, x.target = grab(&x.inN, n), grab(&x.target, len(edges))
	for k, e := range edges {
		x.target[k] = x.pos[e.To]
		x.inN[x.target[k]]++
	}
	back := grab(&x.inBack, len(edges))
	x.in = grab(&x.in, n)
	off := int32(0)
	for i, c := range x.inN {
		x.in[i] = back[off : off : off+c]
		off += c
	}
	for k, e := range edges {
		x.in[x.target[k]] = append(x.in[x.target[k]], e)
	}
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

// targets returns the positions of the targets of the edges leaving the
// node at position i, aligned with out[i].
func (x *index) targets(i int32) []int32 {
	return x.target[x.outAt[i] : x.outAt[i]+int32(len(x.out[i]))]
}

// nodes returns the nodes of a kind, sorted by id.
func (x *index) nodes(kind string) []*graph.Node { return x.byKind[kind] }
