package trace

import (
	"bytes"
	"fmt"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

// ExportJSONL writes one record per line, each line the record's JSON and a
// "\n" (an empty trace is empty).
func ExportJSONL(records []*Record) []byte {
	var w jwriter.Writer
	for _, r := range records {
		r.MarshalEasyJSON(&w)
		w.RawByte('\n')
	}
	return w.Buffer.BuildBytes()
}

// ParseJSONL reads JSON Lines records. Blank lines (and "\r" line endings)
// are skipped; a malformed line is INVALID_PARAMS naming its 1-based line
// number.
func ParseJSONL(data []byte) ([]*Record, error) {
	var out []*Record
	for n, line := range bytes.Split(data, []byte{'\n'}) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		r := &Record{}
		l := jlexer.Lexer{Data: line}
		r.UnmarshalEasyJSON(&l)
		l.Consumed()
		if err := l.Error(); err != nil {
			return nil, errs.New(errs.CodeInvalidParams, "trace: line %d: %v", n+1, err).At(fmt.Sprintf("jsonl:%d", n+1))
		}
		out = append(out, r)
	}
	return out, nil
}
