package trace

import (
	"fmt"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/internal/wire"
)

// Entry is what a caller supplies to append a record; the log fills in the
// id and both hashes.
type Entry struct {
	Tick         int64
	At           float64 // host time, ms
	Event        string
	Actor        string // the node, step, provider or session the event is about
	CausalParent string // id of the record that caused this one; "" for a root
	Data         wire.Raw
}

// Log is an append-only trace. The zero Log is empty, unkeyed and ready
// to use.
type Log struct {
	records []*Record
	index   map[string]int
	bytes   int    // Σ RecordBytes (Bytes)
	key     []byte // HMAC-SHA-256 key of the hashes; empty: SHA-256
}

// NewLog returns an empty log whose hashes are HMAC-SHA-256 under key
// (plain SHA-256 when key is empty).
func NewLog(key []byte) *Log {
	return &Log{key: append([]byte(nil), key...)}
}

// Keyed reports whether the log's hashes are keyed.
func (l *Log) Keyed() bool { return len(l.key) > 0 }

// ID returns the id of the n-th record (1-based): "t-000001".
func ID(n int) string { return fmt.Sprintf("t-%06d", n) }

// Append adds a record for e, assigning the next id and chaining its hash.
// A causal parent that is not already in the log is UNKNOWN_NODE, and the
// log is unchanged.
func (l *Log) Append(e Entry) (*Record, error) {
	if e.CausalParent != "" {
		if _, ok := l.index[e.CausalParent]; !ok {
			return nil, errs.New(errs.CodeUnknownNode, "trace: causal parent %q of a %s record is not in the log", e.CausalParent, e.Event).WithIDs(e.CausalParent)
		}
	}
	data := compact(e.Data)
	if len(data) == 0 {
		data = wire.Raw("{}")
	}
	r := &Record{
		ID:           ID(len(l.records) + 1),
		Tick:         e.Tick,
		At:           e.At,
		Event:        e.Event,
		Actor:        e.Actor,
		CausalParent: e.CausalParent,
		Data:         data,
		PrevHash:     l.LastHash(),
	}
	h, err := Hash(l.key, r)
	if err != nil {
		return nil, err
	}
	r.Hash = h
	l.add(r)
	return r, nil
}

func (l *Log) add(r *Record) {
	if l.index == nil {
		l.index = map[string]int{}
	}
	l.index[r.ID] = len(l.records)
	l.records = append(l.records, r)
	l.bytes += RecordBytes(r)
}

// FromRecords rebuilds a log from exported records (a session restore). The
// records must verify under key; the log continues their id sequence with
// the same key.
func FromRecords(records []*Record, key []byte) (*Log, error) {
	if ok, _, i, reason := VerifyWith(records, VerifyOptions{Key: key}); !ok {
		return nil, errs.New(errs.CodeInvalidSnapshot, "trace: record %d does not verify: %s", i, reason)
	}
	l := NewLog(key)
	for i, r := range records {
		if r.ID != ID(i+1) {
			return nil, errs.New(errs.CodeInvalidSnapshot, "trace: record %d has id %q, want %q", i, r.ID, ID(i+1))
		}
		l.add(r.Clone())
	}
	return l, nil
}

// Truncate drops every record after the first n (a failed call taking back
// what it appended: exec.Session.Rollback); n at or past Len is a no-op.
func (l *Log) Truncate(n int) {
	if n < 0 {
		n = 0
	}
	for i := len(l.records) - 1; i >= n; i-- {
		r := l.records[i]
		delete(l.index, r.ID)
		l.bytes -= RecordBytes(r)
		l.records[i] = nil
	}
	if n < len(l.records) {
		l.records = l.records[:n]
	}
}

// Len is the number of records.
func (l *Log) Len() int { return len(l.records) }

// Records returns the records in append order (the log's own slice: do not
// modify it).
func (l *Log) Records() []*Record { return l.records }

// Get returns the record with the id, or nil.
func (l *Log) Get(id string) *Record {
	if i, ok := l.index[id]; ok {
		return l.records[i]
	}
	return nil
}

// LastHash is the hash of the last record ("" for an empty log): the
// prevHash of the next one.
func (l *Log) LastHash() string {
	if len(l.records) == 0 {
		return ""
	}
	return l.records[len(l.records)-1].Hash
}

// CausalChain returns the records from the root of id's causal tree down to
// id itself. An unknown id is UNKNOWN_NODE.
func (l *Log) CausalChain(id string) ([]*Record, error) {
	return CausalChain(l.records, id)
}

// CausalChain returns the chain of records from the root of id's causal
// tree down to id, root first. An unknown id, or a parent that is missing or
// not earlier than its child, is an error naming the id.
func CausalChain(records []*Record, id string) ([]*Record, error) {
	pos := make(map[string]int, len(records))
	for i, r := range records {
		if _, dup := pos[r.ID]; !dup {
			pos[r.ID] = i
		}
	}
	i, ok := pos[id]
	if !ok {
		return nil, errs.New(errs.CodeUnknownNode, "trace: no record %q", id).WithIDs(id)
	}
	var rev []*Record
	for {
		r := records[i]
		rev = append(rev, r)
		if r.CausalParent == "" {
			break
		}
		j, ok := pos[r.CausalParent]
		if !ok || j >= i {
			return nil, errs.New(errs.CodeUnknownNode, "trace: record %q names causal parent %q, which is not an earlier record", r.ID, r.CausalParent).WithIDs(r.ID, r.CausalParent)
		}
		i = j
	}
	for a, b := 0, len(rev)-1; a < b; a, b = a+1, b-1 {
		rev[a], rev[b] = rev[b], rev[a]
	}
	return rev, nil
}

// recordOverhead is the fixed part of a record's byte size: the struct,
// its index entry and its slot.
const recordOverhead = 256

// RecordBytes is the byte size of a record that byte budgets count: its
// strings and data by length plus a fixed overhead.
func RecordBytes(r *Record) int {
	return recordOverhead + len(r.ID) + len(r.Event) + len(r.Actor) + len(r.CausalParent) + len(r.Data) + len(r.PrevHash) + len(r.Hash)
}

// Bytes is the log's byte size (Σ RecordBytes), kept as records are added.
func (l *Log) Bytes() int { return l.bytes }
