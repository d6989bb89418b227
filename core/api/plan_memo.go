package api

import (
	"github.com/convergence-io/ceg/core/graph"
)

// The answer memo of plan.optimize by handle. A chat server plans every
// turn over one handle, and between two outcomes it usually sends the very
// same params (the same contract, state and weights): the answer is then
// the same bytes, because an answer is a function of the params and the
// graph alone (no clock, no randomness, no map order). The engine keeps,
// per graph handle, the params bytes of its last successful plan.optimize
// and the encoded result; a call whose params are byte for byte those
// params, over the same graph at the same Version, is answered with the
// kept result without decoding or planning again.
//
// What makes this safe:
//   - the key is the exact params bytes: any difference (another contract
//     text, state, weights, select, member order, whitespace) is a miss and
//     plans as before;
//   - the graph must be the same object at the same Version: every change
//     through the graph's methods (graph.apply, its rollback op, field.apply,
//     a failed call's undo) bumps Version, which never repeats a value, so
//     a changed graph is a miss; a handle that is dropped (or evicted, or
//     taken back) takes its memo with it;
//   - only answers are kept, never errors, and a kept answer is the result
//     alone: the response around it (the request's id) is written anew.
//
// Memory: a result over memoMaxEntry bytes is not kept, and the kept
// params and results of all handles together stay under memoMaxBytes (a
// call whose answer would pass it is answered and not kept).
const (
	memoMaxEntry = 4 << 20
	memoMaxBytes = 16 << 20
)

// memoEntry is one handle's kept answer.
type memoEntry struct {
	handle  string
	key     string // the params bytes
	g       *graph.Graph
	version uint64
	result  rawJSON // the encoded result; its array is reused by the handle's next answer
}

func (m *memoEntry) size() int { return len(m.key) + cap(m.result) }

// planMemo holds the kept answers: at most one per handle.
type planMemo struct {
	byKey    map[string]*memoEntry
	byHandle map[string]*memoEntry
	bytes    int // size() of every entry together
}

func (m *planMemo) init() {
	m.byKey = map[string]*memoEntry{}
	m.byHandle = map[string]*memoEntry{}
}

// memoAnswer returns the kept result of a plan.optimize whose params are
// raw, or nil when there is none or its graph changed since. (A pointer, so
// that answering from the memo allocates nothing.)
func (e *Engine) memoAnswer(raw []byte) *rawJSON {
	m := &e.ext.plan.memo
	en := m.byKey[string(raw)]
	if en == nil {
		return nil
	}
	if g := e.graphs[en.handle]; g != en.g || g.Version() != en.version {
		m.drop(en.handle)
		return nil
	}
	e.touched(en.handle, kindGraph)
	return &en.result
}

// keep records result as the answer to params raw over handle's graph g.
// It reuses the handle's previous entry (and the array of its result), so
// a handle whose params change every turn allocates only the new key.
func (m *planMemo) keep(handle string, g *graph.Graph, raw []byte, result []byte) {
	en := m.byHandle[handle]
	if en != nil {
		delete(m.byKey, en.key)
		m.bytes -= en.size()
	}
	buf := []byte(nil)
	if en != nil && cap(en.result) >= len(result) && cap(en.result) <= 2*len(result)+4096 {
		buf = en.result[:0]
	}
	need := len(raw) + len(result)
	if buf != nil {
		need = len(raw) + cap(buf)
	}
	if len(result) > memoMaxEntry || m.bytes+need > memoMaxBytes {
		delete(m.byHandle, handle)
		return
	}
	if en == nil {
		en = &memoEntry{handle: handle}
		m.byHandle[handle] = en
	}
	if buf == nil {
		buf = make([]byte, 0, len(result))
	}
	en.result = buf
	en.key, en.g, en.version = string(raw), g, g.Version()
	en.result = append(en.result[:0], result...)
	m.byKey[en.key] = en
	m.bytes += en.size()
}

// drop forgets handle's kept answer (the handle is gone, or its graph
// changed).
func (m *planMemo) drop(handle string) {
	if en := m.byHandle[handle]; en != nil {
		delete(m.byKey, en.key)
		delete(m.byHandle, handle)
		m.bytes -= en.size()
	}
}
