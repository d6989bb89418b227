package api

import (
	"fmt"
	"strings"
	"sync"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/internal/norm"
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
// sessions; stand-alone trace logs, dilation fields, oscillation guards and
// swap registries count their bytes.
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
	for _, f := range e.ext.field.fields {
		bytes += f.Bytes()
	}
	for _, g := range e.ext.field.guards {
		bytes += g.Bytes()
	}
	for _, r := range e.ext.registry.regs {
		bytes += r.Bytes()
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
		return errs.New(errs.CodeLimitExceeded, "live graphs, sessions, trace logs, dilation fields, oscillation guards and swap registries would hold %d bytes, over the budget of %d across them; drop a handle (graph.list, trace.list, field.list, guard.list and registry.list show what each holds) or close a session first",
			b+extraBytes, e.limits.MaxTotalBytes)
	}
	return nil
}

// objectBytes checks that one object (a stand-alone log, field, guard or
// registry, or a session) stays within the per-graph byte budget after
// growing by extra bytes, and that everything live stays within the
// budget across handles. what names the object and how to shrink it.
func (e *Engine) objectBytes(what string, have, extra int, shrink string) error {
	if extra <= 0 {
		return nil
	}
	if b := have + extra; b > e.limits.MaxGraphBytes {
		return errs.New(errs.CodeLimitExceeded, "%s would hold %d bytes, over the budget of %d for one object; %s", what, b, e.limits.MaxGraphBytes, shrink)
	}
	return e.checkTotals(0, 0, extra)
}

// checkID checks an id a host-state method takes (a dilation field's,
// an oscillation guard's or a swap registry's) as a node id is checked:
// given, non-empty, no U+FFFD.
func checkID(path string, id *string) error {
	if id == nil {
		return missing(path)
	}
	return graph.CheckID(*id, path)
}

// providerName canonicalises a provider name a host-state method takes as
// graph nodes' provider names are (norm.Name), and refuses one that is
// garbled or not a name.
func providerName(path, p string) (string, error) {
	c := norm.Name(p)
	if norm.Garbled(c) {
		return "", badParam(path, "provider name %s", norm.GarbledMessage)
	}
	if !norm.ValidName(c) {
		return "", badParam(path, "%s is not a provider name: %q (empty or control characters)", path, p)
	}
	return c, nil
}
