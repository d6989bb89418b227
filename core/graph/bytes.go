package graph

// Byte sizes that budgets are checked against. They estimate what a node or
// edge holds in memory: every string and raw value by its length, every
// number 8 bytes, plus a fixed overhead for the struct, its map entries and
// its adjacency, so a graph of many small nodes is not free either. The
// estimate is deterministic (the same node always has the same size on
// every runtime), which is what a limit needs; it is not the exact heap
// footprint.
const (
	nodeOverhead   = 512 // the Node struct, its map entry and sorted-list slot
	edgeOverhead   = 256 // the Edge struct and its entries in three maps
	stringOverhead = 16  // a string header in a slice
)

// NodeBytes is the byte size of a node (see Graph.Bytes).
func NodeBytes(n *Node) int {
	b := nodeOverhead + len(n.ID) + len(n.Kind) + len(n.Label) + len(n.Meta) +
		len(n.Text) + 8*len(n.Embedding) + strings(n.Capabilities) + strings(n.Labels) +
		len(n.ResourceKind) + len(n.Provider) + len(n.MinScope) +
		len(n.Predicate) + len(n.Scope) + len(n.Severity) + len(n.IdentityScope) +
		len(n.Content) + len(n.Provenance) + len(n.AccessPolicy) +
		len(n.Event) + len(n.CausalParent) + len(n.Actor) + len(n.Hash) + len(n.PrevHash) +
		len(n.ViewType) + len(n.Filter) + len(n.RenderPolicy) + len(n.FeatureState) + strings(n.Sources)
	if n.AcceptsLabels != nil {
		b += strings(*n.AcceptsLabels)
	}
	for _, r := range n.PolicySet {
		b += 6*stringOverhead + len(r.Effect) + len(r.Provider) + len(r.ResourceKind) + len(r.Capability) + len(r.Label) + len(r.Action)
	}
	return b
}

// EdgeBytes is the byte size of an edge (see Graph.Bytes).
func EdgeBytes(e *Edge) int {
	return edgeOverhead + 2*(len(e.From)+len(e.To)+len(e.Kind)) + len(e.Meta)
}

func strings(ss []string) int {
	b := 0
	for _, s := range ss {
		b += stringOverhead + len(s)
	}
	return b
}
