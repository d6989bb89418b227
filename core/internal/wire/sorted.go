package wire

import (
	"sort"

	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

// Sorted is a string-keyed map kept as two parallel slices sorted by key:
// lookups are binary searches and iteration (and so encoding) is always in
// ascending key order, never Go's map order. The zero value is empty and
// ready to use. The wire types FloatMap, state.BreakerMap and
// exec.StringMap are Sorted maps with their element codecs.
type Sorted[V any] struct {
	Keys   []string
	Values []V
}

// Get returns the value under key and whether it is present.
func (m *Sorted[V]) Get(key string) (V, bool) {
	var zero V
	if m == nil {
		return zero, false
	}
	i := sort.SearchStrings(m.Keys, key)
	if i < len(m.Keys) && m.Keys[i] == key {
		return m.Values[i], true
	}
	return zero, false
}

// Set stores v under key, keeping keys sorted.
func (m *Sorted[V]) Set(key string, v V) {
	i := sort.SearchStrings(m.Keys, key)
	if i < len(m.Keys) && m.Keys[i] == key {
		m.Values[i] = v
		return
	}
	var zero V
	m.Keys = append(m.Keys, "")
	m.Values = append(m.Values, zero)
	copy(m.Keys[i+1:], m.Keys[i:])
	copy(m.Values[i+1:], m.Values[i:])
	m.Keys[i], m.Values[i] = key, v
}

// decodeRoom is the capacity Decode gives an empty map.
const decodeRoom = 8

// Len is the number of keys.
func (m *Sorted[V]) Len() int {
	if m == nil {
		return 0
	}
	return len(m.Keys)
}

// IsDefined reports whether the map has any key (for omitempty).
func (m Sorted[V]) IsDefined() bool { return len(m.Keys) > 0 }

// Encode writes the map as a JSON object in key order, each value with enc.
func (m Sorted[V]) Encode(w *jwriter.Writer, enc func(*jwriter.Writer, V)) {
	w.RawByte('{')
	for i, k := range m.Keys {
		if i > 0 {
			w.RawByte(',')
		}
		w.String(k)
		w.RawByte(':')
		enc(w, m.Values[i])
	}
	w.RawByte('}')
}

// Reset empties the map and keeps its arrays for the next Decode: the
// caller gives up the old contents (a decode target reused call after
// call).
func (m *Sorted[V]) Reset() {
	m.Keys, m.Values = m.Keys[:0], m.Values[:0]
}

// Decode reads a JSON object (null leaves the map empty), each value with
// dec; a repeated key keeps its last value. Keys are interned (they are
// provider names, the same on every call) and an empty map starts with
// room for decodeRoom entries, so a small map costs two allocations, and
// a map Reset before decoding again none.
func (m *Sorted[V]) Decode(l *jlexer.Lexer, dec func(*jlexer.Lexer) V) {
	if l.IsNull() {
		l.Skip()
		return
	}
	l.Delim('{')
	if cap(m.Keys) == 0 && l.Ok() && !l.IsDelim('}') {
		m.Keys, m.Values = make([]string, 0, decodeRoom), make([]V, 0, decodeRoom)
	}
	for !l.IsDelim('}') {
		k := l.StringIntern()
		l.WantColon()
		v := dec(l)
		l.WantComma()
		if !l.Ok() {
			return
		}
		m.Set(k, v)
	}
	l.Delim('}')
}
