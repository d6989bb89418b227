package api

import (
	"fmt"
	"strings"
	"sync"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/internal/wire"
	"github.com/mailru/easyjson/jlexer"
)

// unmarshaler is anything easyjson can decode into.
type unmarshaler interface {
	UnmarshalEasyJSON(l *jlexer.Lexer)
}

// decodeParams decodes raw params into v. Unknown fields, wrong types and
// malformed values are INVALID_PARAMS errors whose path names the field,
// relative to params (for example "graph.nodes[2].kind").
func decodeParams(raw []byte, v unmarshaler) error {
	l := lexers.Get().(*jlexer.Lexer)
	*l = jlexer.Lexer{Data: raw}
	v.UnmarshalEasyJSON(l)
	l.Consumed()
	err := l.Error()
	*l = jlexer.Lexer{}
	lexers.Put(l)
	if err == nil {
		return nil
	}
	le, ok := err.(*jlexer.LexerError)
	if !ok {
		return &errs.Error{Code: errs.CodeInvalidParams, Message: "invalid params: " + err.Error()}
	}
	path := wire.PathAt(raw, le.Offset)
	msg := le.Reason
	if rest, ok := strings.CutPrefix(le.Reason, wire.LimitReason); ok {
		return &errs.Error{Code: errs.CodeLimitExceeded, Message: fmt.Sprintf("%s: %s", path, rest), Path: path}
	}
	switch {
	case le.Reason == "expected number" && isNullAt(raw, le.Offset):
		msg = fmt.Sprintf("%s: null where a number is required (an encoder writes NaN and ±Infinity as null)", path)
	case le.Reason == "unknown field":
		msg = fmt.Sprintf("unknown field %q", le.Data)
	case path != "":
		msg = fmt.Sprintf("%s: %s", path, le.Reason)
	}
	return &errs.Error{Code: errs.CodeInvalidParams, Message: msg, Path: path}
}

// isNullAt reports whether the JSON token at or just before off is null.
func isNullAt(raw []byte, off int) bool {
	for _, o := range []int{off, off - 4} {
		if o >= 0 && o+4 <= len(raw) && string(raw[o:o+4]) == "null" {
			return true
		}
	}
	return false
}

// lexers recycles the lexer decodeParams decodes with (through the
// unmarshaler interface it would escape: one allocation per call).
var lexers = sync.Pool{New: func() any { return new(jlexer.Lexer) }}

// missing is the error for a required field that is absent.
func missing(path string) error {
	return &errs.Error{Code: errs.CodeInvalidParams, Message: path + " is required", Path: path}
}

// badParam is an INVALID_PARAMS error at path.
func badParam(path, format string, args ...any) error {
	return &errs.Error{Code: errs.CodeInvalidParams, Message: fmt.Sprintf(format, args...), Path: path}
}

// GraphRef is the `graph | handle` pair every graph-taking method accepts.
//
//easyjson:json
type GraphRef struct {
	Graph  *graph.Doc `json:"graph"`
	Handle *string    `json:"handle"`
}

// resolve returns the graph a request names: an inline graph is built fresh
// (owned: the caller may mutate it); a handle returns the live graph.
func (e *Engine) resolve(r GraphRef) (g *graph.Graph, owned bool, err error) {
	switch {
	case r.Graph != nil && r.Handle != nil:
		return nil, false, badParam("handle", "give either graph or handle, not both")
	case r.Handle != nil:
		g, err := e.lookup(*r.Handle)
		return g, false, err
	case r.Graph != nil:
		g, err := graph.FromDoc(r.Graph, e.graphLimits(), "graph")
		return g, true, err
	}
	return nil, false, missing("graph")
}

// lookup returns the live graph of a handle, or UNKNOWN_HANDLE.
func (e *Engine) lookup(h string) (*graph.Graph, error) {
	g, ok := e.graphs[h]
	if !ok {
		return nil, &errs.Error{Code: errs.CodeUnknownHandle, Message: fmt.Sprintf("unknown graph handle %q", h), Path: "handle"}
	}
	e.touched(h, kindGraph)
	return g, nil
}

// totals returns the nodes, edges and bytes held by live handles and
// sessions (a stand-alone trace log counts its bytes).
func (e *Engine) totals() (nodes, edges, bytes int) {
	for _, g := range e.graphs {
		nodes += g.NodeCount()
		edges += g.EdgeCount()
		bytes += g.Bytes()
	}
	for _, s := range e.ext.exec.sessions {
		g := s.Graph()
		nodes += g.NodeCount()
		edges += g.EdgeCount()
		bytes += s.Bytes()
	}
	for _, l := range e.ext.trace.logs {
		bytes += l.Bytes()
	}
	return nodes, edges, bytes
}

// checkTotals enforces the cross-handle limits (handles and sessions
// together) after extra nodes, edges and bytes.
func (e *Engine) checkTotals(extraNodes, extraEdges, extraBytes int) error {
	n, m, b := e.totals()
	if n+extraNodes > e.limits.MaxTotalNodes || m+extraEdges > e.limits.MaxTotalEdges {
		return errs.New(errs.CodeLimitExceeded, "live graphs would hold %d nodes and %d edges, over the limits of %d and %d; drop a handle or close a session first",
			n+extraNodes, m+extraEdges, e.limits.MaxTotalNodes, e.limits.MaxTotalEdges)
	}
	if b+extraBytes > e.limits.MaxTotalBytes {
		return errs.New(errs.CodeLimitExceeded, "live graphs and trace logs would hold %d bytes, over the budget of %d across handles and sessions; drop a handle or close a session first",
			b+extraBytes, e.limits.MaxTotalBytes)
	}
	return nil
}
