package wire

import (
	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

// FloatMap is a JSON object of numbers (provider -> health, provider ->
// latency), encoded with sorted keys.
type FloatMap struct{ Sorted[float64] }

// MarshalEasyJSON encodes the map with sorted keys.
func (m FloatMap) MarshalEasyJSON(w *jwriter.Writer) { m.Encode(w, (*jwriter.Writer).Float64) }

// UnmarshalEasyJSON decodes an object of numbers; null leaves it empty.
func (m *FloatMap) UnmarshalEasyJSON(l *jlexer.Lexer) { m.Decode(l, (*jlexer.Lexer).Float64) }

// Clone returns a copy that shares nothing with m.
func (m *FloatMap) Clone() FloatMap { return m.CloneGrow(0) }

// CloneGrow is Clone with room for extra more keys, so that setting them
// does not grow the arrays again.
func (m *FloatMap) CloneGrow(extra int) FloatMap {
	c := FloatMap{Sorted[float64]{Keys: make([]string, len(m.Keys), len(m.Keys)+extra), Values: make([]float64, len(m.Values), len(m.Values)+extra)}}
	copy(c.Keys, m.Keys)
	copy(c.Values, m.Values)
	return c
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
