package graph

import (
	"cmp"
	"slices"

	"github.com/convergence-io/ceg/core/errs"
)

// Limits bound a graph's size; exceeding one is LIMIT_EXCEEDED. Zero means
// unlimited. MaxBytes bounds the graph's byte size (see Graph.Bytes).
type Limits struct {
	MaxNodes int
	MaxEdges int
	MaxBytes int
}

// Graph is a CEGraph. The zero value is not usable; call New.
type Graph struct {
	Limits Limits

	tick  int64
	bytes int // Σ NodeBytes + Σ EdgeBytes, kept as nodes and edges change
	// version counts changes: every primitive below (and every undo of
	// one) and every Touch bumps it, so a cache keyed by (graph, version)
	// is stale exactly when the graph may have changed.
	version uint64
	nodes   map[string]*Node
	edges   map[Key]*Edge
	out     map[string]map[Key]struct{}
	in      map[string]map[Key]struct{}

	sorted []*Node // Nodes() cache: every node sorted by id; nil when stale
	// EdgesFrom / EdgesTo caches: a node's edges sorted by key, dropped
	// whenever an edge at that node changes.
	outSorted, inSorted map[string][]*Edge

	undo []func() // non-nil while a transaction is open
	txn  bool

	checkCycles bool // false only while FromDoc bulk-loads edges

	rollbacks   map[string]*swapState // σ rollback state by incoming id (rollback.go)
	rollbackSeq uint64
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{
		nodes: map[string]*Node{},
		edges: map[Key]*Edge{},
		out:   map[string]map[Key]struct{}{},
		in:    map[string]map[Key]struct{}{},

		checkCycles: true,
	}
}

// Version returns the graph's change counter. It increases with every
// change made through the graph's methods (adding, removing or swapping a
// node or edge, setting or advancing the tick, rolling back a failed
// transaction) and with every Touch; it never repeats a value, so a value
// derived from the graph may be cached under (graph, Version()). A caller
// that modifies a *Node or *Edge it got from the graph in place must call
// Touch.
func (g *Graph) Version() uint64 { return g.version }

// Touch records that a node or edge was modified in place (the executor
// writes each resource's dilation, a step's activity and a projection's
// feature state onto the nodes of its own graph): it bumps Version.
func (g *Graph) Touch() { g.version++ }

// Tick is the graph's logical clock.
func (g *Graph) Tick() int64 { return g.tick }

// SetTick sets the logical clock (used when loading a graph document).
func (g *Graph) SetTick(t int64) {
	old := g.tick
	g.record(func() { g.tick = old; g.version++ })
	g.tick = t
	g.version++
}

// AdvanceTick increments the logical clock and returns the new tick.
func (g *Graph) AdvanceTick() int64 {
	g.SetTick(g.tick + 1)
	return g.tick
}

// NodeCount and EdgeCount return the sizes of V and E.
func (g *Graph) NodeCount() int { return len(g.nodes) }

// EdgeCount returns |E|.
func (g *Graph) EdgeCount() int { return len(g.edges) }

// Bytes is the graph's byte size: the sum of NodeBytes and EdgeBytes over
// its nodes and edges, an estimate of the memory it holds that byte
// budgets are checked against. It is kept up to date as the graph
// changes (O(1) to read).
func (g *Graph) Bytes() int { return g.bytes }

// --- primitives: the only code that touches the maps; each records its
// inverse while a transaction is open.

func (g *Graph) record(f func()) {
	if g.txn {
		g.undo = append(g.undo, f)
	}
}

func (g *Graph) putNode(n *Node) {
	prev, had := g.nodes[n.ID]
	g.nodes[n.ID] = n
	g.sorted = nil
	g.version++
	delta := NodeBytes(n)
	if had {
		delta -= NodeBytes(prev)
	}
	g.bytes += delta
	g.record(func() {
		g.bytes -= delta
		if had {
			g.nodes[n.ID] = prev
		} else {
			delete(g.nodes, n.ID)
		}
		g.sorted = nil
		g.version++
	})
}

func (g *Graph) deleteNode(id string) {
	prev, had := g.nodes[id]
	if !had {
		return
	}
	delete(g.nodes, id)
	g.sorted = nil
	g.version++
	delta := NodeBytes(prev)
	g.bytes -= delta
	g.record(func() { g.nodes[id] = prev; g.sorted = nil; g.version++; g.bytes += delta })
}

func (g *Graph) putEdge(e *Edge) {
	k := e.Key()
	prev, had := g.edges[k]
	g.edges[k] = e
	link(g.out, e.From, k)
	link(g.in, e.To, k)
	g.touch(k)
	delta := EdgeBytes(e)
	if had {
		delta -= EdgeBytes(prev)
	}
	g.bytes += delta
	g.record(func() {
		g.bytes -= delta
		if had {
			g.edges[k] = prev
			g.touch(k)
		} else {
			g.dropEdge(k)
		}
	})
}

func (g *Graph) deleteEdge(k Key) {
	prev, had := g.edges[k]
	if !had {
		return
	}
	g.dropEdge(k)
	delta := EdgeBytes(prev)
	g.bytes -= delta
	g.record(func() { g.edges[k] = prev; link(g.out, k.From, k); link(g.in, k.To, k); g.touch(k); g.bytes += delta })
}

func (g *Graph) dropEdge(k Key) {
	delete(g.edges, k)
	unlink(g.out, k.From, k)
	unlink(g.in, k.To, k)
	g.touch(k)
}

// touch drops the cached edge lists at both ends of k and bumps the
// version (every edge change and undo of one comes through here).
func (g *Graph) touch(k Key) {
	g.version++
	delete(g.outSorted, k.From)
	delete(g.inSorted, k.To)
}

func link(m map[string]map[Key]struct{}, id string, k Key) {
	s := m[id]
	if s == nil {
		s = map[Key]struct{}{}
		m[id] = s
	}
	s[k] = struct{}{}
}

func unlink(m map[string]map[Key]struct{}, id string, k Key) {
	if s := m[id]; s != nil {
		delete(s, k)
		if len(s) == 0 {
			delete(m, id)
		}
	}
}

// --- transactions

// Atomically runs f; when f returns an error (or panics) every change it
// made is undone and the graph is exactly as before. Transactions do not
// nest.
func (g *Graph) Atomically(f func() error) error {
	_, err := g.transaction(f, false)
	return err
}

// Transaction is Atomically that also returns, when f succeeds, a func
// that undoes f's changes: a caller whose later step fails (an answer over
// the response budget) takes the whole change back. The undo is valid
// until the graph changes again. Inside another transaction it returns a
// no-op undo (the outer one owns the changes).
func (g *Graph) Transaction(f func() error) (undo func(), err error) {
	return g.transaction(f, true)
}

func (g *Graph) transaction(f func() error, keep bool) (undo func(), err error) {
	if g.txn {
		return func() {}, f()
	}
	g.txn, g.undo = true, g.undo[:0]
	done := false
	defer func() {
		if !done { // f failed or panicked: undo, then let the panic go on
			for i := len(g.undo) - 1; i >= 0; i-- {
				g.undo[i]()
			}
			g.txn, g.undo = false, nil
		}
	}()
	if err := f(); err != nil {
		return nil, err
	}
	done = true
	steps := g.undo
	g.txn, g.undo = false, nil
	if !keep {
		return nil, nil
	}
	return func() {
		for i := len(steps) - 1; i >= 0; i-- {
			steps[i]()
		}
	}, nil
}

// --- read access

// Node returns the node with the id, or nil.
func (g *Graph) Node(id string) *Node { return g.nodes[id] }

// Edge returns the edge with the key, or nil.
func (g *Graph) Edge(k Key) *Edge { return g.edges[k] }

// Nodes returns a new slice of every node sorted by id. The sorted order is
// cached until the node set changes (executors ask for it every tick).
func (g *Graph) Nodes() []*Node { return slices.Clone(g.sortedNodes()) }

// sortedNodes returns the cached sorted node list (callers must not modify it).
func (g *Graph) sortedNodes() []*Node {
	if g.sorted == nil {
		g.sorted = make([]*Node, 0, len(g.nodes))
		for _, n := range g.nodes {
			g.sorted = append(g.sorted, n)
		}
		slices.SortFunc(g.sorted, func(a, b *Node) int { return cmp.Compare(a.ID, b.ID) })
	}
	return g.sorted
}

// NodesByKind returns the nodes of a kind sorted by id.
func (g *Graph) NodesByKind(kind string) []*Node {
	var out []*Node
	for _, n := range g.sortedNodes() {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

// Edges returns every edge sorted by (from, to, kind).
func (g *Graph) Edges() []*Edge {
	out := make([]*Edge, 0, len(g.edges))
	for _, e := range g.edges {
		out = append(out, e)
	}
	sortEdges(out)
	return out
}

// EdgesFrom returns a new slice of the edges leaving id, sorted; kinds
// filters when given.
func (g *Graph) EdgesFrom(id string, kinds ...string) []*Edge {
	return filterKinds(g.cachedList(&g.outSorted, g.out, id), kinds)
}

// AppendEdgesFrom appends the edges leaving id, sorted, to dst: EdgesFrom
// without a slice per node for callers that gather many nodes' edges.
func (g *Graph) AppendEdgesFrom(dst []*Edge, id string) []*Edge {
	return append(dst, g.cachedList(&g.outSorted, g.out, id)...)
}

// EdgesTo returns a new slice of the edges entering id, sorted; kinds
// filters when given.
func (g *Graph) EdgesTo(id string, kinds ...string) []*Edge {
	return filterKinds(g.cachedList(&g.inSorted, g.in, id), kinds)
}

// cachedList returns id's edges of adjacency adj, sorted, from the cache
// (building it when absent). Callers must not modify the result.
func (g *Graph) cachedList(cache *map[string][]*Edge, adj map[string]map[Key]struct{}, id string) []*Edge {
	if l, ok := (*cache)[id]; ok {
		return l
	}
	keys := adj[id]
	l := make([]*Edge, 0, len(keys))
	for k := range keys {
		l = append(l, g.edges[k])
	}
	sortEdges(l)
	if *cache == nil {
		*cache = map[string][]*Edge{}
	}
	(*cache)[id] = l
	return l
}

// filterKinds copies the edges of the given kinds (all when none given).
func filterKinds(l []*Edge, kinds []string) []*Edge {
	if len(kinds) == 0 {
		return slices.Clone(l)
	}
	var out []*Edge
	for _, e := range l {
		if contains(kinds, e.Kind) {
			out = append(out, e)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortEdges(es []*Edge) {
	slices.SortFunc(es, func(a, b *Edge) int {
		if c := cmp.Compare(a.From, b.From); c != 0 {
			return c
		}
		if c := cmp.Compare(a.To, b.To); c != 0 {
			return c
		}
		return cmp.Compare(a.Kind, b.Kind)
	})
}

// BlockedBy returns the sorted ids of the sources of blocks edges into id.
func (g *Graph) BlockedBy(id string) []string {
	var out []string
	for _, e := range g.EdgesTo(id, EdgeBlocks) {
		out = append(out, e.From)
	}
	return out
}

// RequiredBy returns the sorted ids of the targets of requires edges out of id.
func (g *Graph) RequiredBy(id string) []string {
	var out []string
	for _, e := range g.EdgesFrom(id, EdgeRequires) {
		out = append(out, e.To)
	}
	return out
}

// Snapshot summarises the graph.
type Snapshot struct {
	Tick   int64
	Nodes  int
	Edges  int
	ByKind []KindCount // sorted by kind; kinds with no node are omitted
}

// KindCount is the number of nodes of one kind.
type KindCount struct {
	Kind  string
	Count int
}

// Snapshot returns the tick, sizes and node counts by kind.
func (g *Graph) Snapshot() Snapshot {
	counts := map[string]int{}
	for _, n := range g.nodes {
		counts[n.Kind]++
	}
	s := Snapshot{Tick: g.tick, Nodes: len(g.nodes), Edges: len(g.edges)}
	for _, k := range NodeKinds {
		if counts[k] > 0 {
			s.ByKind = append(s.ByKind, KindCount{k, counts[k]})
		}
	}
	return s
}

// Doc returns the graph as its wire document (sorted nodes and edges).
func (g *Graph) Doc() *Doc {
	return &Doc{Nodes: g.Nodes(), Edges: g.Edges(), Tick: g.tick}
}

// Clone returns a deep copy (limits included).
func (g *Graph) Clone() *Graph {
	c := New()
	c.Limits, c.tick, c.bytes = g.Limits, g.tick, g.bytes
	for id, n := range g.nodes {
		c.nodes[id] = n.Clone()
	}
	for k, e := range g.edges {
		c.edges[k] = e.Clone()
		link(c.out, k.From, k)
		link(c.in, k.To, k)
	}
	return c
}

func unknownNode(id string) *errs.Error {
	return errs.New(errs.CodeUnknownNode, "graph: unknown node %q", id).WithIDs(id)
}
