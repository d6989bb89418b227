package exec

import (
	"github.com/convergence-io/ceg/core/internal/wire"
	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

// StringMap is a JSON object of strings (projection id -> featureState)
// that always encodes with sorted keys.
type StringMap struct{ wire.Sorted[string] }

// MarshalEasyJSON encodes the map with sorted keys.
func (m StringMap) MarshalEasyJSON(w *jwriter.Writer) { m.Encode(w, (*jwriter.Writer).String) }

// UnmarshalEasyJSON decodes an object of strings.
func (m *StringMap) UnmarshalEasyJSON(l *jlexer.Lexer) { m.Decode(l, (*jlexer.Lexer).String) }
