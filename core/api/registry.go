package api

import (
	"slices"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/swap"
	"github.com/convergence-io/ceg/core/trace"
)

// The registry of live handles and sessions: how long each has lived and
// been idle, counted in calls (no wall clock: the same sequence of calls
// gives the same ages and evictions on every runtime), opt-in idle
// eviction, and the undo list that lets a failed request take back the
// handle or session it created. Graph handles, sessions, stand-alone trace
// logs, dilation fields, oscillation guards and swap registries are all
// kept here, each kind in its own map.

// liveKind is the kind of a live object.
type liveKind uint8

const (
	kindGraph    liveKind = iota // graph.create: "g<n>"
	kindSession                  // exec.start, exec.restore: "s<n>"
	kindLog                      // trace.create: "l<n>"
	kindField                    // field.create: "f<n>"
	kindGuard                    // guard.create: "o<n>"
	kindRegistry                 // registry.create: "r<n>"
	numKinds
)

// liveInfo is the bookkeeping of one handle or session.
type liveInfo struct {
	created      uint64 // the call that created it
	used         uint64 // the last call that named it
	maxIdleCalls int64  // evict after this many calls that do not name it; 0: never
}

// registry is the engine's bookkeeping of live objects.
type registry struct {
	calls   uint64 // request objects handled so far (batch items count one each)
	live    [numKinds]map[string]*liveInfo
	created []liveRef // created by the request being handled
	undo    []func()  // takes back what the request being handled changed
	evicted uint64    // objects evicted for idleness, over the engine's life
	bounded int       // live objects with a maxIdleCalls: beginCall scans only when > 0
}

// liveRef names a live object of a kind.
type liveRef struct {
	id   string
	kind liveKind
}

func (r *registry) init() {
	for k := range r.live {
		r.live[k] = map[string]*liveInfo{}
	}
}

// MaxIdleCallsLimit bounds maxIdleCalls (a larger value is INVALID_PARAMS).
const MaxIdleCallsLimit = 1 << 40

// checkMaxIdle validates an optional maxIdleCalls parameter.
func checkMaxIdle(v *int64, path string) (int64, error) {
	if v == nil {
		return 0, nil
	}
	if *v < 1 || *v > MaxIdleCallsLimit {
		return 0, badParam(path, "%s must be an integer within [1, %d]", path, int64(MaxIdleCallsLimit))
	}
	return *v, nil
}

// beginCall counts a request and evicts what has been idle too long: an
// object with maxIdleCalls N is evicted at the start of the first call
// that finds more than N calls since it was last named. A call therefore
// can still use an object that exactly N calls before it left alone.
func (e *Engine) beginCall() {
	r := &e.reg
	r.calls++
	r.created = r.created[:0]
	clear(r.undo)
	r.undo = r.undo[:0]
	if r.bounded == 0 {
		return // nothing can be evicted: no map walk on the per-turn path
	}
	for k := range r.live {
		for _, id := range idle(r.live[k], r.calls) {
			e.remove(liveKind(k), id)
			r.evicted++
		}
	}
}

// idle returns the ids, sorted, whose idle-call budget is spent at call n.
func idle(m map[string]*liveInfo, n uint64) []string {
	var out []string
	for id, in := range m {
		// Calls since it was last named, call n excluded.
		if in.maxIdleCalls > 0 && n-in.used-1 > uint64(in.maxIdleCalls) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// rollback takes back what the current request did: its answer is an
// error (a result over the response budget, an internal error, a panic
// while running or encoding), so the caller must find every handle and
// session as before the request. Changes to existing objects (graph.apply,
// exec.report) are undone, newest first; what the request created is
// removed (the caller never learnt its id and could never free it).
func (e *Engine) rollback() {
	r := &e.reg
	for i := len(r.undo) - 1; i >= 0; i-- {
		r.undo[i]()
	}
	clear(r.undo)
	r.undo = r.undo[:0]
	for _, c := range r.created {
		e.remove(c.kind, c.id)
	}
	r.created = r.created[:0]
}

// onRollback registers how to take back a change the current request made
// to an existing handle or session, should its answer be an error.
func (e *Engine) onRollback(undo func()) {
	if undo != nil {
		e.reg.undo = append(e.reg.undo, undo)
	}
}

// registered records a new live object.
func (e *Engine) registered(id string, kind liveKind, maxIdle int64) {
	r := &e.reg
	r.forget(kind, id)
	r.live[kind][id] = &liveInfo{created: r.calls, used: r.calls, maxIdleCalls: maxIdle}
	if maxIdle > 0 {
		r.bounded++
	}
	r.created = append(r.created, liveRef{id, kind})
}

// remove is the one way a live object goes (drop, close, idle eviction,
// rollback): the object, whatever is cached for it and its bookkeeping.
func (e *Engine) remove(kind liveKind, id string) {
	switch kind {
	case kindGraph:
		delete(e.graphs, id)
		delete(e.ext.plan.caches, id)
		e.ext.plan.memo.drop(id)
		delete(e.ext.state.kept, id) // breakers kept by the handle
	case kindSession:
		delete(e.ext.exec.sessions, id)
	case kindLog:
		e.ext.trace.remove(id)
	case kindField:
		e.ext.field.removeField(id)
	case kindGuard:
		delete(e.ext.field.guards, id)
	case kindRegistry:
		delete(e.ext.registry.regs, id)
	}
	e.reg.forget(kind, id)
}

// forget drops the bookkeeping of a live object, keeping the count of
// objects with an idle budget.
func (r *registry) forget(kind liveKind, id string) {
	if in := r.live[kind][id]; in != nil {
		if in.maxIdleCalls > 0 {
			r.bounded--
		}
		delete(r.live[kind], id)
	}
}

// removeGraph drops a graph handle.
func (e *Engine) removeGraph(h string) { e.remove(kindGraph, h) }

// removeSession drops a session.
func (e *Engine) removeSession(id string) { e.remove(kindSession, id) }

// touched marks a live object as used by the current call.
func (e *Engine) touched(id string, kind liveKind) {
	if in := e.reg.live[kind][id]; in != nil {
		in.used = e.reg.calls
	}
}

// Params and results of graph.list and exec.list.

//easyjson:json
type listParams struct{}

//easyjson:json
type liveEntry struct {
	Handle       string `json:"handle,omitempty"`
	Session      string `json:"session,omitempty"`
	Status       string `json:"status,omitempty"`
	Nodes        int    `json:"nodes"`
	Edges        int    `json:"edges"`
	Bytes        int    `json:"bytes"`
	AgeCalls     uint64 `json:"ageCalls"`
	IdleCalls    uint64 `json:"idleCalls"`
	MaxIdleCalls int64  `json:"maxIdleCalls,omitempty"`
}

//easyjson:json
type liveTotals struct {
	Count   int    `json:"count"`
	Nodes   int    `json:"nodes"`
	Edges   int    `json:"edges"`
	Bytes   int    `json:"bytes"`
	Calls   uint64 `json:"calls"`
	Evicted uint64 `json:"evicted"`
}

//easyjson:json
type graphListResult struct {
	Graphs []liveEntry `json:"graphs"`
	Totals liveTotals  `json:"totals"`
}

//easyjson:json
type execListResult struct {
	Sessions []liveEntry `json:"sessions"`
	Totals   liveTotals  `json:"totals"`
}

// entry fills the ages of a live object: calls since it was created and
// since it was last named, the listing call excluded (a listing does not
// count as a use).
func (e *Engine) entry(in *liveInfo) liveEntry {
	now := e.reg.calls
	var x liveEntry
	if in != nil {
		x.AgeCalls, x.IdleCalls, x.MaxIdleCalls = now-in.created-1, now-in.used-1, in.maxIdleCalls
	}
	return x
}

// sortedKeys returns a map's keys in id order: by length, then bytes, so
// g2 comes before g10.
func sortedKeys[V any](m map[string]V) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		if a < b {
			return -1
		}
		if a > b {
			return 1
		}
		return 0
	})
	return ids
}

// graph.list {} -> {graphs: [{handle, nodes, edges, bytes, ageCalls, idleCalls, maxIdleCalls?}], totals}.
func graphList(e *Engine, raw []byte) (marshaler, error) {
	var p listParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	res := &graphListResult{Graphs: []liveEntry{}}
	for _, h := range sortedKeys(e.graphs) {
		g := e.graphs[h]
		x := e.entry(e.reg.live[kindGraph][h])
		x.Handle, x.Nodes, x.Edges, x.Bytes = h, g.NodeCount(), g.EdgeCount(), g.Bytes()
		res.Graphs = append(res.Graphs, x)
		res.Totals.add(x)
	}
	res.Totals.Calls, res.Totals.Evicted = e.reg.calls, e.reg.evicted
	return res, nil
}

// exec.list {} -> {sessions: [{session, status, nodes, edges, bytes, ageCalls, idleCalls, maxIdleCalls?}], totals}.
func execList(e *Engine, raw []byte) (marshaler, error) {
	var p listParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	res := &execListResult{Sessions: []liveEntry{}}
	for _, id := range sortedKeys(e.ext.exec.sessions) {
		s := e.ext.exec.sessions[id]
		g := s.Graph()
		x := e.entry(e.reg.live[kindSession][id])
		x.Session, x.Status, x.Nodes, x.Edges, x.Bytes = id, s.Status(), g.NodeCount(), g.EdgeCount(), s.Bytes()
		res.Sessions = append(res.Sessions, x)
		res.Totals.add(x)
	}
	res.Totals.Calls, res.Totals.Evicted = e.reg.calls, e.reg.evicted
	return res, nil
}

func (t *liveTotals) add(x liveEntry) {
	t.Count++
	t.Nodes += x.Nodes
	t.Edges += x.Edges
	t.Bytes += x.Bytes
}

// Params and results of trace.list, field.list, guard.list and
// registry.list: the stand-alone handles of the host-state families, with
// their size in items (a log's records, a field's ids, a guard's
// remembered swaps, a registry's tracked resources) and ages.

//easyjson:json
type handleEntry struct {
	Handle       string `json:"handle"`
	Items        int    `json:"items"`
	Bytes        int    `json:"bytes,omitempty"`
	AgeCalls     uint64 `json:"ageCalls"`
	IdleCalls    uint64 `json:"idleCalls"`
	MaxIdleCalls int64  `json:"maxIdleCalls,omitempty"`
}

//easyjson:json
type handleTotals struct {
	Count   int    `json:"count"`
	Items   int    `json:"items"`
	Bytes   int    `json:"bytes,omitempty"`
	Calls   uint64 `json:"calls"`
	Evicted uint64 `json:"evicted"`
}

//easyjson:json
type traceListResult struct {
	Logs   []handleEntry `json:"logs"`
	Totals handleTotals  `json:"totals"`
}

//easyjson:json
type fieldListResult struct {
	Fields []handleEntry `json:"fields"`
	Totals handleTotals  `json:"totals"`
}

//easyjson:json
type guardListResult struct {
	Guards []handleEntry `json:"guards"`
	Totals handleTotals  `json:"totals"`
}

//easyjson:json
type registryListResult struct {
	Registries []handleEntry `json:"registries"`
	Totals     handleTotals  `json:"totals"`
}

// handles lists the live objects of a kind in id order; size gives the
// items and bytes of one.
func handles[V any](e *Engine, kind liveKind, m map[string]V, size func(V) (int, int)) ([]handleEntry, handleTotals) {
	out := []handleEntry{}
	var t handleTotals
	for _, h := range sortedKeys(m) {
		x := e.entry(e.reg.live[kind][h])
		items, bytes := size(m[h])
		out = append(out, handleEntry{Handle: h, Items: items, Bytes: bytes, AgeCalls: x.AgeCalls, IdleCalls: x.IdleCalls, MaxIdleCalls: x.MaxIdleCalls})
		t.Count++
		t.Items += items
		t.Bytes += bytes
	}
	t.Calls, t.Evicted = e.reg.calls, e.reg.evicted
	return out, t
}

// trace.list {} -> {logs: [{handle, items (records), bytes, ageCalls, idleCalls, maxIdleCalls?}], totals}.
func traceList(e *Engine, raw []byte) (marshaler, error) {
	var p listParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	r := &traceListResult{}
	r.Logs, r.Totals = handles(e, kindLog, e.ext.trace.logs, func(l *trace.Log) (int, int) { return l.Len(), l.Bytes() })
	return r, nil
}

// field.list {} -> {fields: [{handle, items (ids), bytes, ageCalls, idleCalls, maxIdleCalls?}], totals}.
func fieldList(e *Engine, raw []byte) (marshaler, error) {
	var p listParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	r := &fieldListResult{}
	r.Fields, r.Totals = handles(e, kindField, e.ext.field.fields, func(f *dilation.Field) (int, int) { return f.Len(), f.Bytes() })
	return r, nil
}

// guard.list {} -> {guards: [{handle, items (swaps remembered), bytes, ageCalls, idleCalls, maxIdleCalls?}], totals}.
func guardList(e *Engine, raw []byte) (marshaler, error) {
	var p listParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	r := &guardListResult{}
	r.Guards, r.Totals = handles(e, kindGuard, e.ext.field.guards, func(g *swap.Guard) (int, int) { return g.Len(), g.Bytes() })
	return r, nil
}

// registry.list {} -> {registries: [{handle, items (tracked resources), bytes, ageCalls, idleCalls, maxIdleCalls?}], totals}.
func registryList(e *Engine, raw []byte) (marshaler, error) {
	var p listParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	r := &registryListResult{}
	r.Registries, r.Totals = handles(e, kindRegistry, e.ext.registry.regs, func(g *swap.Registry) (int, int) { return len(g.Tracked()), g.Bytes() })
	return r, nil
}
