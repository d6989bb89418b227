package api

import (
	"fmt"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/mailru/easyjson/jwriter"
)

// graph.validate {graph} -> {valid, nodes, edges}; an invalid graph is an error.
func graphValidate(e *Engine, raw []byte) (marshaler, error) {
	var p graphParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Handle != nil {
		return nil, badParam("handle", "graph.validate takes an inline graph, not a handle")
	}
	g, _, err := e.resolve(p.GraphRef)
	if err != nil {
		return nil, err
	}
	return &validateResult{Valid: true, Nodes: g.NodeCount(), Edges: g.EdgeCount()}, nil
}

// graph.create {graph} -> {handle, nodes, edges}.
func graphCreate(e *Engine, raw []byte) (marshaler, error) {
	var p createParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	maxIdle, err := checkMaxIdle(p.MaxIdleCalls, "maxIdleCalls")
	if err != nil {
		return nil, err
	}
	if p.Handle != nil {
		return nil, badParam("handle", "graph.create takes an inline graph, not a handle")
	}
	if len(e.graphs) >= e.limits.MaxHandles {
		return nil, errs.New(errs.CodeLimitExceeded, "%d live graph handles: the limit; drop one first", e.limits.MaxHandles)
	}
	g, _, err := e.resolve(p.GraphRef)
	if err != nil {
		return nil, err
	}
	if err := e.checkTotals(g.NodeCount(), g.EdgeCount(), g.Bytes()); err != nil {
		return nil, err
	}
	e.nextHandle++
	h := e.id("g", e.nextHandle)
	e.graphs[h] = g
	e.registered(h, kindGraph, maxIdle)
	return &createResult{Handle: h, Nodes: g.NodeCount(), Edges: g.EdgeCount()}, nil
}

// graph.apply {handle, ops} -> {results, snapshot}; all-or-nothing.
func graphApply(e *Engine, raw []byte) (marshaler, error) {
	var p applyParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Handle == nil {
		return nil, missing("handle")
	}
	if p.Ops == nil {
		return nil, missing("ops")
	}
	g, err := e.lookup(*p.Handle)
	if err != nil {
		return nil, err
	}
	results := make([]opResult, 0, len(p.Ops))
	undo, err := g.Transaction(func() error {
		for i := range p.Ops {
			r, err := applyOp(g, &p.Ops[i], errs.Index("ops", i))
			if err != nil {
				return err
			}
			results = append(results, r)
		}
		// The live graph already holds the ops' changes, so the totals
		// include them; on an error they are undone.
		return e.checkTotals(0, 0, 0)
	})
	if err != nil {
		return nil, err
	}
	e.onRollback(undo) // should the answer fail (over the response budget), the ops are undone too
	return &applyResult{Results: results, Snapshot: toSnapshotWire(g.Snapshot())}, nil
}

// opFields lists the payload fields each op takes.
var opFields = map[string][]string{
	"addNode":     {"node"},
	"removeNode":  {"id"},
	"addEdge":     {"edge"},
	"removeEdge":  {"from", "to", "kind"},
	"swapNode":    {"oldId", "node"},
	"advanceTick": {},
	"rollback":    {"id"},
}

func applyOp(g *graph.Graph, o *op, path string) (opResult, error) {
	want, ok := opFields[o.Op]
	if !ok {
		return opResult{}, badParam(path+".op", "unknown op %q (want addNode, removeNode, addEdge, removeEdge, swapNode, advanceTick or rollback)", o.Op)
	}
	present := map[string]bool{"node": o.Node != nil, "edge": o.Edge != nil, "id": o.ID != nil,
		"oldId": o.OldID != nil, "from": o.From != nil, "to": o.To != nil, "kind": o.Kind != nil}
	for _, f := range []string{"node", "edge", "id", "oldId", "from", "to", "kind"} {
		if present[f] && !contains(want, f) {
			return opResult{}, badParam(path+"."+f, "op %s does not take %q", o.Op, f)
		}
	}
	for _, f := range want {
		if !present[f] {
			return opResult{}, missing(path + "." + f)
		}
	}
	at := func(err error, field string) error {
		e, ok := err.(*errs.Error)
		if !ok {
			return err
		}
		return e.At(errs.Join(path, field))
	}
	r := opResult{Op: o.Op}
	switch o.Op {
	case "addNode":
		if err := g.AddNode(o.Node); err != nil {
			return r, at(err, "node")
		}
		r.ID = o.Node.ID
	case "removeNode":
		n, err := g.RemoveNode(*o.ID)
		if err != nil {
			return r, at(err, "")
		}
		r.Node = n
	case "addEdge":
		added, err := g.AddEdge(o.Edge)
		if err != nil {
			return r, at(err, "edge")
		}
		r.Added = &added
	case "removeEdge":
		e, err := g.RemoveEdge(*o.From, *o.To, *o.Kind)
		if err != nil {
			return r, at(err, "")
		}
		r.Edge = e
	case "swapNode":
		old, err := g.SwapNode(*o.OldID, o.Node)
		if err != nil {
			return r, at(err, "")
		}
		r.Old = old
	case "advanceTick":
		t := g.AdvanceTick()
		r.Tick = &t
	case "rollback":
		n, ok, err := g.Rollback(*o.ID)
		if err != nil {
			return r, at(err, "id")
		}
		r.RolledBack, r.Node = &ok, n
	}
	return r, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// graph.query {graph|handle, query, id?, kind?} -> {result}.
func graphQuery(e *Engine, raw []byte) (marshaler, error) {
	var p queryParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Query == nil {
		return nil, missing("query")
	}
	g, _, err := e.resolve(p.GraphRef)
	if err != nil {
		return nil, err
	}
	needID := func() (string, error) {
		if p.ID == nil {
			return "", missing("id")
		}
		if g.Node(*p.ID) == nil {
			return "", &errs.Error{Code: errs.CodeUnknownNode, Message: fmt.Sprintf("unknown node %q", *p.ID), Path: "id", IDs: []string{*p.ID}}
		}
		return *p.ID, nil
	}
	var result marshaler
	switch *p.Query {
	case "getNode":
		id, err := needID()
		if err != nil {
			return nil, err
		}
		result = g.Node(id)
	case "nodesByKind":
		if p.Kind == nil {
			return nil, missing("kind")
		}
		if !contains(graph.NodeKinds, *p.Kind) {
			return nil, badParam("kind", "unknown node kind %q", *p.Kind)
		}
		result = nodeList(g.NodesByKind(*p.Kind))
	case "edgesFrom", "edgesTo":
		id, err := needID()
		if err != nil {
			return nil, err
		}
		if *p.Query == "edgesFrom" {
			result = edgeList(g.EdgesFrom(id))
		} else {
			result = edgeList(g.EdgesTo(id))
		}
	case "blockedBy", "requiredBy":
		id, err := needID()
		if err != nil {
			return nil, err
		}
		if *p.Query == "blockedBy" {
			result = stringList(g.BlockedBy(id))
		} else {
			result = stringList(g.RequiredBy(id))
		}
	case "snapshot":
		s := toSnapshotWire(g.Snapshot())
		result = &s
	default:
		return nil, badParam("query", "unknown query %q (want getNode, nodesByKind, edgesFrom, edgesTo, blockedBy, requiredBy or snapshot)", *p.Query)
	}
	return writerFunc(func(w *jwriter.Writer) {
		w.RawString(`{"result":`)
		result.MarshalEasyJSON(w)
		w.RawByte('}')
	}), nil
}

// graph.export {handle} | {session} -> {graph}. A session's graph is its
// working copy with the session's trace records as nodes of kind trace
// (docs/DESIGN.md#trace).
func graphExport(e *Engine, raw []byte) (marshaler, error) {
	var p exportParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	switch {
	case p.Handle != nil && p.Session != nil:
		return nil, badParam("session", "give either handle or session, not both")
	case p.Session != nil:
		s, err := e.session(p.Session)
		if err != nil {
			return nil, err
		}
		g, err := s.ExportGraph()
		if err != nil {
			return nil, err
		}
		return &exportResult{Graph: g.Doc()}, nil
	case p.Handle == nil:
		return nil, missing("handle")
	}
	g, err := e.lookup(*p.Handle)
	if err != nil {
		return nil, err
	}
	return &exportResult{Graph: g.Doc()}, nil
}

// graph.drop {handle} -> {dropped: true}.
func graphDrop(e *Engine, raw []byte) (marshaler, error) {
	var p handleParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Handle == nil {
		return nil, missing("handle")
	}
	if _, err := e.lookup(*p.Handle); err != nil {
		return nil, err
	}
	e.removeGraph(*p.Handle)
	return &dropResult{Dropped: true}, nil
}

// list encodes a slice as a JSON array, each element with enc.
type list[T any] struct {
	items []T
	enc   func(*jwriter.Writer, T)
}

func (l list[T]) MarshalEasyJSON(w *jwriter.Writer) {
	w.RawByte('[')
	for i, x := range l.items {
		if i > 0 {
			w.RawByte(',')
		}
		l.enc(w, x)
	}
	w.RawByte(']')
}

func nodeList(ns []*graph.Node) list[*graph.Node] {
	return list[*graph.Node]{ns, func(w *jwriter.Writer, n *graph.Node) { n.MarshalEasyJSON(w) }}
}

func edgeList(es []*graph.Edge) list[*graph.Edge] {
	return list[*graph.Edge]{es, func(w *jwriter.Writer, e *graph.Edge) { e.MarshalEasyJSON(w) }}
}

func stringList(ss []string) list[string] { return list[string]{ss, (*jwriter.Writer).String} }
