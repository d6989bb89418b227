package wire

import (
	"bytes"
	"encoding/json"
	"fmt"

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

// MaxRawDepth is the deepest nesting of objects and arrays a Raw value
// (a node's or edge's meta, a trace record's data) may have. Code that
// walks such a value — a predicate reading meta, canonical hashing of
// data — recurses once per level, and a wasm host's call stack holds about
// 10,000 frames: a meta nested 8,561 deep overflowed it. Real metadata is
// a few levels deep.
const MaxRawDepth = 64

// LimitReason starts the reason of a decoder error that is a limit, not a
// malformed value; the api layer answers it with LIMIT_EXCEEDED.
const LimitReason = "limit exceeded: "

// UnmarshalEasyJSON captures the next JSON value, compacted. A value nested
// deeper than MaxRawDepth is a decoder error whose reason starts with
// LimitReason, raised before anything walks it.
func (r *Raw) UnmarshalEasyJSON(l *jlexer.Lexer) {
	data := l.Raw()
	if !l.Ok() {
		return
	}
	if d := Depth(data); d > MaxRawDepth {
		l.AddError(&jlexer.LexerError{Offset: l.GetPos() - len(data),
			Reason: fmt.Sprintf("%svalue nested %d deep; the limit is %d", LimitReason, d, MaxRawDepth)})
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
