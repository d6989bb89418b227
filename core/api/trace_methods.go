package api

import (
	"fmt"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/internal/norm"
	"github.com/convergence-io/ceg/core/internal/wire"
	"github.com/convergence-io/ceg/core/trace"
	"github.com/mailru/easyjson/jwriter"
)

// The host trace API: stand-alone logs (handles "l1.<epoch>", … with the
// lifetime and limits of graph handles: idle eviction, trace.list, the
// handle count and the byte budget across handles) and a session's trace, both
// appended to by the host, replayed and walked along causal parents. Every
// record is hash-chained like the executor's and verifies with
// trace.verify.

//easyjson:json
type traceCreateParams struct {
	MaxIdleCalls *int64 `json:"maxIdleCalls"`
}

//easyjson:json
type traceCreateResult struct {
	Log string `json:"log"`
}

//easyjson:json
type traceTarget struct {
	Log     *string `json:"log"`
	Session *string `json:"session"`
}

//easyjson:json
type traceAppendParams struct {
	traceTarget
	Event        *string  `json:"event"`
	Data         wire.Raw `json:"data"`
	CausalParent *string  `json:"causalParent"`
	Actor        *string  `json:"actor"`
	Tick         *int64   `json:"tick"`
	At           *float64 `json:"at"`
}

//easyjson:json
type traceAppendResult struct {
	ID     string        `json:"id"`
	Record *trace.Record `json:"record"`
}

//easyjson:json
type traceReplayParams struct {
	traceTarget
	SinceID *string `json:"sinceId"`
}

//easyjson:json
type traceChainParams struct {
	traceTarget
	ID *string `json:"id"`
}

//easyjson:json
type traceRecordsResult struct {
	Records []*trace.Record `json:"records"`
}

//easyjson:json
type traceDropParams struct {
	Log *string `json:"log"`
}

// traceExt is the engine state of the trace family: stand-alone logs.
type traceExt struct {
	logs    map[string]*trace.Log
	next    uint64
	records int // across live logs
}

func (x *traceExt) init() { x.logs = map[string]*trace.Log{} }

// remove forgets a log (trace.drop, idle eviction, rollback).
func (x *traceExt) remove(id string) {
	if l, ok := x.logs[id]; ok {
		x.records -= l.Len()
		delete(x.logs, id)
	}
}

// traceLog resolves {log | session} to a log; session is true for a
// session's trace.
func (e *Engine) traceLog(t traceTarget) (l *trace.Log, session bool, err error) {
	switch {
	case t.Log != nil && t.Session != nil:
		return nil, false, badParam("session", "give either log or session, not both")
	case t.Session != nil:
		s, err := e.session(t.Session)
		if err != nil {
			return nil, false, err
		}
		return s.TraceLog(), true, nil
	case t.Log == nil:
		return nil, false, missing("log")
	}
	l, ok := e.ext.trace.logs[*t.Log]
	if !ok {
		return nil, false, &errs.Error{Code: errs.CodeUnknownHandle, Message: fmt.Sprintf("unknown trace log %q", *t.Log), Path: "log"}
	}
	e.touched(*t.Log, kindLog)
	return l, false, nil
}

// trace.create {maxIdleCalls?} -> {log}. The log's hashes are keyed with
// the trace key in force (trace.setKey), as a session's are.
func traceCreate(e *Engine, raw []byte) (marshaler, error) {
	var p traceCreateParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	maxIdle, err := checkMaxIdle(p.MaxIdleCalls, "maxIdleCalls")
	if err != nil {
		return nil, err
	}
	x := &e.ext.trace
	if len(x.logs) >= e.limits.MaxHandles {
		return nil, errs.New(errs.CodeLimitExceeded, "%d live trace logs: the limit; drop one first", e.limits.MaxHandles)
	}
	x.next++
	h := e.id("l", x.next)
	x.logs[h] = trace.NewLog(e.traceKey)
	e.registered(h, kindLog, maxIdle)
	return &traceCreateResult{Log: h}, nil
}

// trace.append {log|session, event, data?, causalParent?, actor?, tick?, at?} -> {id, record}.
func traceAppend(e *Engine, raw []byte) (marshaler, error) {
	var p traceAppendParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Event == nil || *p.Event == "" {
		return nil, badParam("event", "event is required (a non-empty string)")
	}
	l, isSession, err := e.traceLog(p.traceTarget)
	if err != nil {
		return nil, err
	}
	str := func(v *string) string {
		if v == nil {
			return ""
		}
		return *v
	}
	if l.Len() >= e.limits.MaxNodes {
		return nil, errs.New(errs.CodeLimitExceeded, "the trace holds %d records: the limit", e.limits.MaxNodes)
	}
	switch {
	case p.Tick != nil && *p.Tick < 0:
		return nil, badParam("tick", "tick must be non-negative")
	case p.At != nil && !norm.InRange(*p.At, 0, norm.MaxQuantity):
		return nil, badParam("at", "at must be a host time within [0, %g] (ms)", norm.MaxQuantity)
	}
	// The record's size counts against the byte budgets before it is
	// written: one trace (a log, or a session with its graph) within the
	// per-graph budget, everything live within the total.
	size := trace.RecordBytes(&trace.Record{ID: trace.ID(l.Len() + 1), Event: *p.Event, Actor: str(p.Actor), CausalParent: str(p.CausalParent),
		Data: p.Data}) + len("host") + 2*sha256Hex
	var rec *trace.Record
	if isSession {
		switch {
		case p.Tick != nil:
			return nil, badParam("tick", "a session's records take the session's tick")
		case p.At != nil:
			return nil, badParam("at", "a session's records take the session's host clock")
		}
		s, _ := e.session(p.Session)
		n := l.Len()
		e.onRollback(func() { l.Truncate(n) }) // a failed answer takes the record back
		if b := s.Bytes() + size; b > e.limits.MaxGraphBytes {
			return nil, errs.New(errs.CodeLimitExceeded, "the session would hold %d bytes, over the budget of %d per graph", b, e.limits.MaxGraphBytes)
		}
		if err := e.checkTotals(0, 0, size); err != nil {
			return nil, err
		}
		rec, err = s.AppendEvent(*p.Event, str(p.Actor), str(p.CausalParent), p.Data)
	} else {
		x := &e.ext.trace
		if x.records >= e.limits.MaxTotalNodes {
			return nil, errs.New(errs.CodeLimitExceeded, "live trace logs hold %d records: the limit; drop a log first", e.limits.MaxTotalNodes)
		}
		if b := l.Bytes() + size; b > e.limits.MaxGraphBytes {
			return nil, errs.New(errs.CodeLimitExceeded, "the trace log would hold %d bytes, over the budget of %d per handle", b, e.limits.MaxGraphBytes)
		}
		if err := e.checkTotals(0, 0, size); err != nil {
			return nil, err
		}
		entry := trace.Entry{Event: *p.Event, Actor: str(p.Actor), CausalParent: str(p.CausalParent), Data: p.Data}
		if entry.Actor == "" {
			entry.Actor = "host"
		}
		if p.Tick != nil {
			entry.Tick = *p.Tick
		}
		if p.At != nil {
			entry.At = *p.At
		}
		n := l.Len()
		rec, err = l.Append(entry)
		if err == nil {
			x.records++
			e.onRollback(func() { x.records -= l.Len() - n; l.Truncate(n) })
		}
	}
	if err != nil {
		if ee, ok := err.(*errs.Error); ok && ee.Code == errs.CodeUnknownNode {
			return nil, ee.At("causalParent")
		}
		return nil, err
	}
	return &traceAppendResult{ID: rec.ID, Record: rec}, nil
}

// trace.replay {log|session, sinceId?} -> {records}: every record from
// sinceId inclusive; an unknown (or absent) sinceId gives every record.
func traceReplay(e *Engine, raw []byte) (marshaler, error) {
	var p traceReplayParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	l, _, err := e.traceLog(p.traceTarget)
	if err != nil {
		return nil, err
	}
	recs := l.Records()
	if p.SinceID != nil {
		for i, r := range recs {
			if r.ID == *p.SinceID {
				recs = recs[i:]
				break
			}
		}
	}
	return recordList(recs), nil
}

// trace.causalChain {log|session, id} -> {records}: root first, following
// causal parents; an unknown id gives no records (as the original does).
func traceCausalChain(e *Engine, raw []byte) (marshaler, error) {
	var p traceChainParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.ID == nil {
		return nil, missing("id")
	}
	l, _, err := e.traceLog(p.traceTarget)
	if err != nil {
		return nil, err
	}
	if l.Get(*p.ID) == nil {
		return recordList(nil), nil
	}
	chain, err := l.CausalChain(*p.ID)
	if err != nil {
		return nil, err
	}
	return recordList(chain), nil
}

// trace.drop {log} -> {dropped: true}.
func traceDrop(e *Engine, raw []byte) (marshaler, error) {
	var p traceDropParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	l, _, err := e.traceLog(traceTarget{Log: p.Log})
	if err != nil {
		return nil, err
	}
	_ = l
	e.remove(kindLog, *p.Log)
	return &dropResult{Dropped: true}, nil
}

func recordList(rs []*trace.Record) marshaler {
	return writerFunc(func(w *jwriter.Writer) {
		w.RawString(`{"records":`)
		list[*trace.Record]{rs, func(w *jwriter.Writer, r *trace.Record) { r.MarshalEasyJSON(w) }}.MarshalEasyJSON(w)
		w.RawByte('}')
	})
}

// sha256Hex is the length of a hex SHA-256 (a record's hash, prevHash).
const sha256Hex = 64
