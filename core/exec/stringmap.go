package exec

import (
	"sort"

	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

// StringMap is a JSON object of strings (projection id -> featureState)
// that always encodes with sorted keys.
type StringMap struct {
	Keys   []string
	Values []string
}

// Set stores v under k, keeping keys sorted.
func (m *StringMap) Set(k, v string) {
	i := sort.SearchStrings(m.Keys, k)
	if i < len(m.Keys) && m.Keys[i] == k {
		m.Values[i] = v
		return
	}
	m.Keys = append(m.Keys, "")
	m.Values = append(m.Values, "")
	copy(m.Keys[i+1:], m.Keys[i:])
	copy(m.Values[i+1:], m.Values[i:])
	m.Keys[i], m.Values[i] = k, v
}

// Get returns the value under k.
func (m *StringMap) Get(k string) (string, bool) {
	i := sort.SearchStrings(m.Keys, k)
	if i < len(m.Keys) && m.Keys[i] == k {
		return m.Values[i], true
	}
	return "", false
}

// MarshalEasyJSON encodes the map with sorted keys.
func (m StringMap) MarshalEasyJSON(w *jwriter.Writer) {
	w.RawByte('{')
	for i, k := range m.Keys {
		if i > 0 {
			w.RawByte(',')
		}
		w.String(k)
		w.RawByte(':')
		w.String(m.Values[i])
	}
	w.RawByte('}')
}

// UnmarshalEasyJSON decodes an object of strings.
func (m *StringMap) UnmarshalEasyJSON(l *jlexer.Lexer) {
	if l.IsNull() {
		l.Skip()
		return
	}
	l.Delim('{')
	for !l.IsDelim('}') {
		k := l.String()
		l.WantColon()
		v := l.String()
		l.WantComma()
		if !l.Ok() {
			return
		}
		m.Set(k, v)
	}
	l.Delim('}')
}
