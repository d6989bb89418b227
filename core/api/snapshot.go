package api

import (
	"github.com/convergence-io/ceg/core/graph"
	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

// kindCount encodes a snapshot's node counts as {kind: count}, kinds sorted.
type kindCount []graph.KindCount

func (k kindCount) MarshalEasyJSON(w *jwriter.Writer) {
	w.RawByte('{')
	for i, c := range k {
		if i > 0 {
			w.RawByte(',')
		}
		w.String(c.Kind)
		w.RawByte(':')
		w.Int(c.Count)
	}
	w.RawByte('}')
}

// UnmarshalEasyJSON exists for symmetry; snapshots are output only.
func (k *kindCount) UnmarshalEasyJSON(l *jlexer.Lexer) { l.SkipRecursive() }

func toSnapshotWire(s graph.Snapshot) snapshotWire {
	return snapshotWire{Tick: s.Tick, Nodes: s.Nodes, Edges: s.Edges, ByKind: kindCount(s.ByKind)}
}
