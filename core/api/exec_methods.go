package api

import (
	"fmt"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/exec"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/state"
	"github.com/convergence-io/ceg/core/trace"
)

// Params and results of the exec.* and trace.* methods.

//easyjson:json
type execStartParams struct {
	GraphRef
	Contract *plan.Contract     `json:"contract"`
	State    *state.SystemState `json:"state"`
	Options  *exec.Options      `json:"options"`
	// MaxIdleCalls evicts the session after this many calls that do not
	// name it (absent: never).
	MaxIdleCalls *int64 `json:"maxIdleCalls"`
}

//easyjson:json
type execStartResult struct {
	Session string          `json:"session"`
	Tick    int64           `json:"tick"`
	Status  string          `json:"status"`
	Actions []exec.Action   `json:"actions"`
	Events  []*trace.Record `json:"events"`
	Plan    *plan.Plan      `json:"plan,omitempty"`
}

//easyjson:json
type execReportParams struct {
	Session  *string        `json:"session"`
	Now      *float64       `json:"now"`
	Outcomes []exec.Outcome `json:"outcomes"`
	// Swaps asks for a manual hot-swap of these resources this tick (the
	// `manual` trigger of docs/DESIGN.md#breakers-and-hot-swap).
	Swaps []string `json:"swaps"`
}

//easyjson:json
type execRunParams struct {
	GraphRef
	Contract *plan.Contract     `json:"contract"`
	State    *state.SystemState `json:"state"`
	Scenario *exec.Scenario     `json:"scenario"`
	MaxTicks *int64             `json:"maxTicks"`
}

//easyjson:json
type sessionParams struct {
	Session *string `json:"session"`
}

//easyjson:json
type snapshotResult struct {
	Snapshot *exec.Snapshot `json:"snapshot"`
}

//easyjson:json
type restoreParams struct {
	Snapshot     *exec.Snapshot `json:"snapshot"`
	MaxIdleCalls *int64         `json:"maxIdleCalls"`
}

//easyjson:json
type sessionResult struct {
	Session string `json:"session"`
}

//easyjson:json
type closedResult struct {
	Closed bool `json:"closed"`
}

//easyjson:json
type verifyParams struct {
	Records []*trace.Record `json:"records"`
	JSONL   *string         `json:"jsonl"`
	// ExpectHead and ExpectCount, kept by the host apart from the records,
	// catch records missing at the end.
	ExpectHead  *string `json:"expectHead"`
	ExpectCount *int    `json:"expectCount"`
}

//easyjson:json
type verifyResult struct {
	Valid        bool   `json:"valid"`
	Count        int    `json:"count"`
	FirstInvalid *int   `json:"firstInvalid,omitempty"`
	Reason       string `json:"reason,omitempty"`
}

// MaxSessionTicks bounds maxTicks of a session or a run, so a session's
// trace and a run's response stay bounded (LIMIT_EXCEEDED above it).
const MaxSessionTicks = 10_000

// runSessionID is the session id a simulation records in its trace.
const runSessionID = "run"

// execExt is the engine state of the exec family: live sessions by id.
type execExt struct {
	sessions map[string]*exec.Session
	next     uint64
}

func (x *execExt) init() { x.sessions = map[string]*exec.Session{} }

// session returns a live session, or UNKNOWN_SESSION.
func (e *Engine) session(p *string) (*exec.Session, error) {
	if p == nil {
		return nil, missing("session")
	}
	s, ok := e.ext.exec.sessions[*p]
	if !ok {
		return nil, &errs.Error{Code: errs.CodeUnknownSession, Message: fmt.Sprintf("unknown session %q", *p), Path: "session"}
	}
	e.touched(*p, kindSession)
	return s, nil
}

// admitSession checks the session limit and the engine-wide node, edge and
// byte totals (graph handles, sessions and the host-state objects
// together) before a new session holding g's nodes and edges and bytes in
// all (its graph's, and for a restored one its trace's and registry's) is
// added.
func (e *Engine) admitSession(g *graph.Graph, bytes int) error {
	if len(e.ext.exec.sessions) >= e.limits.MaxSessions {
		return errs.New(errs.CodeLimitExceeded, "%d live sessions: the limit; close one first", e.limits.MaxSessions)
	}
	return e.checkTotals(g.NodeCount(), g.EdgeCount(), bytes)
}

// newSessionID allocates the next session id: "s1", "s2", ... (with the
// engine's epoch, "s1.<epoch>", ...).
func (e *Engine) newSessionID() string {
	e.ext.exec.next++
	return e.id("s", e.ext.exec.next)
}

func checkMaxTicks(v *int64, path string) error {
	if v != nil && *v > MaxSessionTicks {
		return errs.New(errs.CodeLimitExceeded, "maxTicks %d exceeds the limit of %d", *v, MaxSessionTicks).At(path)
	}
	return nil
}

// exec.start {graph|handle, contract, state?, options?} -> {session, tick, status, actions, events}.
func execStart(e *Engine, raw []byte) (marshaler, error) {
	var p execStartParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Contract == nil {
		return nil, missing("contract")
	}
	var opts exec.Options
	if p.Options != nil {
		opts = *p.Options
	}
	if err := checkMaxTicks(opts.MaxTicks, "options.maxTicks"); err != nil {
		return nil, err
	}
	maxIdle, err := checkMaxIdle(p.MaxIdleCalls, "maxIdleCalls")
	if err != nil {
		return nil, err
	}
	g, _, err := e.resolve(p.GraphRef)
	if err != nil {
		return nil, err
	}
	if err := e.admitSession(g, g.Bytes()); err != nil {
		return nil, err
	}
	// The id is only taken when the session starts, so a failed start
	// does not use one up.
	id := e.id("s", e.ext.exec.next+1)
	s, r, err := exec.Start(id, exec.Input{Graph: g, Contract: p.Contract, State: p.State, TraceKey: e.traceKey}, opts)
	if err != nil {
		return nil, err
	}
	e.newSessionID()
	e.ext.exec.sessions[id] = s
	e.registered(id, kindSession, maxIdle)
	return &execStartResult{Session: id, Tick: r.Tick, Status: r.Status, Actions: r.Actions, Events: r.Events, Plan: r.Plan}, nil
}

// exec.report {session, now, outcomes} -> {tick, status, actions, events}.
func execReport(e *Engine, raw []byte) (marshaler, error) {
	var p execReportParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	s, err := e.session(p.Session)
	if err != nil {
		return nil, err
	}
	if p.Now == nil {
		return nil, missing("now")
	}
	// A session's trace grows with every report: the budgets are checked
	// before the work, so a session past them can still be snapshotted or
	// closed, but not driven further.
	if b := s.Bytes(); b > e.limits.MaxGraphBytes {
		return nil, errs.New(errs.CodeLimitExceeded, "session %s holds %d bytes (graph and trace), over the budget of %d for one session; snapshot and close it", *p.Session, b, e.limits.MaxGraphBytes).At("session")
	}
	if err := e.checkTotals(0, 0, 0); err != nil {
		return nil, err
	}
	for i, r := range p.Swaps {
		if n := s.Graph().Node(r); n == nil || n.Kind != graph.KindResource {
			return nil, &errs.Error{Code: errs.CodeUnknownNode, Message: fmt.Sprintf("%q is not a resource of the session graph", r),
				Path: errs.Index("swaps", i), IDs: []string{r}}
		}
	}
	// Everything that can be checked is checked before the session
	// changes; what fails after (an internal error, a panic, an answer over
	// the response budget) puts the session back as it was.
	if err := s.CheckReport(*p.Now, p.Outcomes); err != nil {
		return nil, err
	}
	cp := s.Checkpoint()
	id := *p.Session
	e.onRollback(func() {
		if err := s.Rollback(cp); err != nil {
			e.removeSession(id) // never expected: a session in an unknown state must not go on
		}
	})
	for _, r := range p.Swaps {
		_ = s.RequestSwap(r) // checked above
	}
	return s.Report(*p.Now, p.Outcomes)
}

// exec.run {graph|handle, contract, state?, scenario?, maxTicks?} -> {steps, summary, trace}.
func execRun(e *Engine, raw []byte) (marshaler, error) {
	var p execRunParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Contract == nil {
		return nil, missing("contract")
	}
	if err := checkMaxTicks(p.MaxTicks, "maxTicks"); err != nil {
		return nil, err
	}
	g, _, err := e.resolve(p.GraphRef)
	if err != nil {
		return nil, err
	}
	return exec.Run(runSessionID, exec.Input{Graph: g, Contract: p.Contract, State: p.State, TraceKey: e.traceKey}, exec.Options{MaxTicks: p.MaxTicks}, p.Scenario)
}

// exec.snapshot {session} -> {snapshot}.
func execSnapshot(e *Engine, raw []byte) (marshaler, error) {
	var p sessionParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	s, err := e.session(p.Session)
	if err != nil {
		return nil, err
	}
	sn := s.Snapshot()
	if err := sn.Seal(ModuleVersion, e.traceKey); err != nil {
		return nil, err
	}
	return &snapshotResult{Snapshot: sn}, nil
}

// exec.restore {snapshot} -> {session}: a new live session that continues
// exactly where the snapshotted one was. The snapshot must come from this
// module version, match its digest (under the trace key, when one is set)
// and fit the limits of graph.create.
func execRestore(e *Engine, raw []byte) (marshaler, error) {
	var p restoreParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Snapshot == nil {
		return nil, missing("snapshot")
	}
	if err := checkMaxTicks(&p.Snapshot.MaxTicks, "snapshot.maxTicks"); err != nil {
		return nil, err
	}
	maxIdle, err := checkMaxIdle(p.MaxIdleCalls, "maxIdleCalls")
	if err != nil {
		return nil, err
	}
	s, err := exec.Restore(p.Snapshot, exec.RestoreOptions{Module: ModuleVersion, TraceKey: e.traceKey, Limits: e.graphLimits()})
	if err != nil {
		return nil, err
	}
	// The snapshot's trace and swap registry count too, as in a running
	// session (exec.report checks the same budget).
	if b := s.Bytes(); b > e.limits.MaxGraphBytes {
		return nil, errs.New(errs.CodeLimitExceeded, "the snapshot's session would hold %d bytes (graph, trace and swap registry), over the budget of %d for one session", b, e.limits.MaxGraphBytes).At("snapshot")
	}
	if err := e.admitSession(s.Graph(), s.Bytes()); err != nil {
		return nil, err
	}
	id := e.newSessionID()
	e.ext.exec.sessions[id] = s
	e.registered(id, kindSession, maxIdle)
	return &sessionResult{Session: id}, nil
}

// exec.close {session} -> {closed: true}; the id is unknown afterwards.
func execClose(e *Engine, raw []byte) (marshaler, error) {
	var p sessionParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if _, err := e.session(p.Session); err != nil {
		return nil, err
	}
	e.removeSession(*p.Session)
	return &closedResult{Closed: true}, nil
}

// trace.verify {records} | {jsonl}, expectHead?, expectCount? -> {valid,
// count, firstInvalid?, reason?}. Hashes are checked under the trace key
// when one is set.
func traceVerify(e *Engine, raw []byte) (marshaler, error) {
	var p verifyParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	records := p.Records
	switch {
	case p.Records != nil && p.JSONL != nil:
		return nil, badParam("jsonl", "give either records or jsonl, not both")
	case p.JSONL != nil:
		rs, err := trace.ParseJSONL([]byte(*p.JSONL))
		if err != nil {
			if e, ok := err.(*errs.Error); ok {
				return nil, &errs.Error{Code: e.Code, Message: e.Message, Path: "jsonl"}
			}
			return nil, err
		}
		records = rs
	case p.Records == nil:
		return nil, missing("records")
	}
	if p.ExpectCount != nil && *p.ExpectCount < 0 {
		return nil, badParam("expectCount", "expectCount must not be negative")
	}
	valid, count, first, reason := trace.VerifyWith(records, trace.VerifyOptions{Key: e.traceKey, ExpectHead: p.ExpectHead, ExpectCount: p.ExpectCount})
	r := &verifyResult{Valid: valid, Count: count, Reason: reason}
	if !valid {
		r.FirstInvalid = &first
	}
	return r, nil
}
