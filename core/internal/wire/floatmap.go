package wire

import (
	"sort"

	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

// FloatMap is a JSON object of numbers (provider -> health, provider ->
// latency). It decodes into a sorted slice and encodes with keys in
// ascending byte order; a repeated key keeps its last value.
type FloatMap struct {
	Keys   []string
	Values []float64
}

// Get returns the value for key and whether it is present (binary search).
func (m *FloatMap) Get(key string) (float64, bool) {
	if m == nil {
		return 0, false
	}
	i := sort.SearchStrings(m.Keys, key)
	if i < len(m.Keys) && m.Keys[i] == key {
		return m.Values[i], true
	}
	return 0, false
}

// Set stores value under key, keeping keys sorted.
func (m *FloatMap) Set(key string, v float64) {
	i := sort.SearchStrings(m.Keys, key)
	if i < len(m.Keys) && m.Keys[i] == key {
		m.Values[i] = v
		return
	}
	m.Keys = append(m.Keys, "")
	m.Values = append(m.Values, 0)
	copy(m.Keys[i+1:], m.Keys[i:])
	copy(m.Values[i+1:], m.Values[i:])
	m.Keys[i], m.Values[i] = key, v
}

// Len is the number of keys.
func (m *FloatMap) Len() int {
	if m == nil {
		return 0
	}
	return len(m.Keys)
}

// IsDefined reports whether the map has any key (for omitempty).
func (m FloatMap) IsDefined() bool { return len(m.Keys) > 0 }

// MarshalEasyJSON encodes the map with sorted keys.
func (m FloatMap) MarshalEasyJSON(w *jwriter.Writer) {
	w.RawByte('{')
	for i, k := range m.Keys {
		if i > 0 {
			w.RawByte(',')
		}
		w.String(k)
		w.RawByte(':')
		w.Float64(m.Values[i])
	}
	w.RawByte('}')
}

// UnmarshalEasyJSON decodes an object of numbers; null leaves it empty.
func (m *FloatMap) UnmarshalEasyJSON(l *jlexer.Lexer) {
	if l.IsNull() {
		l.Skip()
		return
	}
	l.Delim('{')
	for !l.IsDelim('}') {
		k := l.String()
		l.WantColon()
		v := l.Float64()
		l.WantComma()
		if !l.Ok() {
			return
		}
		m.Set(k, v)
	}
	l.Delim('}')
}

// ToMap returns the contents as a Go map (for expression environments only;
// never iterate it to produce output).
func (m *FloatMap) ToMap() map[string]float64 {
	out := make(map[string]float64, m.Len())
	if m != nil {
		for i, k := range m.Keys {
			out[k] = m.Values[i]
		}
	}
	return out
}
