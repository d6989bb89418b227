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
func (m *FloatMap) Clone() FloatMap {
	return FloatMap{Sorted[float64]{Keys: append([]string(nil), m.Keys...), Values: append([]float64(nil), m.Values...)}}
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
