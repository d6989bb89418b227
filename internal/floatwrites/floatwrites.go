// Package floatwrites rewrites easyjson-generated encoders so that every
// float64 is written by core/internal/jsonfloat.Write instead of
// jwriter.Writer.Float64.
//
// jsonfloat.Write writes the same bytes (strconv's shortest %g) and the
// same error for NaN and ±Inf, but finds the digits of the values an
// answer is made of (at most 15 significant digits) with one
// multiplication and one division instead of strconv's general search:
// about half the cost per number, and numbers are most of a large plan's
// bytes (docs/BENCHMARKS.md).
//
// The rewrite is textual and exact: `out.Float64(float64(` becomes
// `jsonfloat.Write(out, float64(`, and the jsonfloat import is added after
// jwriter's in every file that has a rewritten call. Rewrite reports how
// many calls it changed.
package floatwrites

import (
	"bytes"
	"regexp"
)

var call = regexp.MustCompile(`\bout\.Float64\(float64\(`)

const (
	jwriterImport = "\tjwriter \"github.com/mailru/easyjson/jwriter\"\n"
	importLine    = "\tjsonfloat \"github.com/convergence-io/ceg/core/internal/jsonfloat\"\n"
)

// Rewrite returns src with every `out.Float64(float64(x))` replaced by
// `jsonfloat.Write(out, float64(x))` (and the import added), and the number
// of calls rewritten. A file without the jwriter import is returned as it
// is, with 0.
func Rewrite(src []byte) ([]byte, int) {
	n := len(call.FindAllIndex(src, -1))
	if n == 0 || !bytes.Contains(src, []byte(jwriterImport)) {
		return src, 0
	}
	out := call.ReplaceAll(src, []byte("jsonfloat.Write(out, float64("))
	out = bytes.Replace(out, []byte(jwriterImport), []byte(jwriterImport+importLine), 1)
	return out, n
}
