package api

import "slices"

// The registry of live handles and sessions: how long each has lived and
// been idle, counted in calls (no wall clock: the same sequence of calls
// gives the same ages and evictions on every runtime), opt-in idle
// eviction, and the undo list that lets a failed request take back the
// handle or session it created.

// liveInfo is the bookkeeping of one handle or session.
type liveInfo struct {
	created      uint64 // the call that created it
	used         uint64 // the last call that named it
	maxIdleCalls int64  // evict after this many calls that do not name it; 0: never
}

// registry is the engine's bookkeeping of live objects.
type registry struct {
	calls    uint64 // request objects handled so far (batch items count one each)
	graphs   map[string]*liveInfo
	sessions map[string]*liveInfo
	created  []liveRef // created by the request being handled
	undo     []func()  // takes back what the request being handled changed
	evicted  uint64    // objects evicted for idleness, over the engine's life
}

// liveRef names a handle (session false) or a session.
type liveRef struct {
	id      string
	session bool
}

func (r *registry) init() {
	r.graphs = map[string]*liveInfo{}
	r.sessions = map[string]*liveInfo{}
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
	for _, id := range idle(r.graphs, r.calls) {
		e.removeGraph(id)
		r.evicted++
	}
	for _, id := range idle(r.sessions, r.calls) {
		e.removeSession(id)
		r.evicted++
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
		if c.session {
			e.removeSession(c.id)
		} else {
			e.removeGraph(c.id)
		}
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

// registered records a new handle or session.
func (e *Engine) registered(id string, session bool, maxIdle int64) {
	r := &e.reg
	in := &liveInfo{created: r.calls, used: r.calls, maxIdleCalls: maxIdle}
	if session {
		r.sessions[id] = in
	} else {
		r.graphs[id] = in
	}
	r.created = append(r.created, liveRef{id, session})
}

// removeGraph is the one way a handle goes (graph.drop, idle eviction,
// rollback): the graph, its plan cache, its kept breakers and its
// bookkeeping.
func (e *Engine) removeGraph(h string) {
	delete(e.graphs, h)
	delete(e.ext.plan.caches, h)
	delete(e.ext.state.kept, h)
	delete(e.reg.graphs, h)
}

// removeSession is the one way a session goes (exec.close, idle eviction,
// rollback).
func (e *Engine) removeSession(id string) {
	delete(e.ext.exec.sessions, id)
	delete(e.reg.sessions, id)
}

// touched marks a handle or session as used by the current call.
func (e *Engine) touched(id string, session bool) {
	m := e.reg.graphs
	if session {
		m = e.reg.sessions
	}
	if in := m[id]; in != nil {
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
		x := e.entry(e.reg.graphs[h])
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
		x := e.entry(e.reg.sessions[id])
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
