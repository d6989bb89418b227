package wire

import (
	"bytes"
	"encoding/json"

	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

// Raw is an opaque JSON value (the `meta` of nodes and edges, the JSON-RPC
// id). It is stored compacted, so equal values with different whitespace
// encode to equal bytes. The zero Raw is absent and encodes as null.
type Raw []byte

// MarshalEasyJSON writes the value verbatim, or null when absent.
func (r Raw) MarshalEasyJSON(w *jwriter.Writer) {
	if len(r) == 0 {
		w.RawString("null")
		return
	}
	w.Raw(r, nil)
}

// UnmarshalEasyJSON captures the next JSON value, compacted.
func (r *Raw) UnmarshalEasyJSON(l *jlexer.Lexer) {
	data := l.Raw()
	if !l.Ok() {
		return
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		l.AddError(err)
		return
	}
	*r = Raw(buf.Bytes())
}

// IsDefined reports whether the value was present (for omitempty).
func (r Raw) IsDefined() bool { return len(r) > 0 }
