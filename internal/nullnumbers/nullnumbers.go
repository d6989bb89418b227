// Package nullnumbers rewrites easyjson-generated decoders so that `null`
// is an error wherever a number is expected.
//
// easyjson skips a field whose value is null, so `"health": null` decoded
// as if the field were absent — and absent means "the default". A JSON
// encoder that writes NaN and ±Infinity as null (JavaScript's
// JSON.stringify does) then turned a dead provider's `health: NaN` into
// health 1 and `costPerToken: Infinity` into 0: bad input failed open.
// After the rewrite, a null number reaches the lexer's number reader,
// which rejects it with its usual error at the value's offset, so the api
// layer answers INVALID_PARAMS with the field's path. Fields of other
// types (strings, booleans such as a constraint's `satisfied`, objects)
// keep null as "absent".
//
// The rewrite is textual and exact: it recognises the two shapes easyjson
// v0.9 emits for a number field (a value and a pointer), and Rewrite
// reports how many it changed so the generator can fail when a new
// easyjson version emits something else.
package nullnumbers

import (
	"regexp"
)

const numTypes = `float64|float32|int|int8|int16|int32|int64|uint|uint8|uint16|uint32|uint64`

// value: `if in.IsNull() { in.Skip() } else { X = T(in.T()) }` -> `X = T(in.T())`.
var value = regexp.MustCompile(`(?m)if in\.IsNull\(\) \{\n\s*in\.Skip\(\)\n\s*\} else \{\n(\s*\*?[\w.\[\]]+ = (?:` + numTypes + `)\(in\.(?:Float64|Float32|Int|Int8|Int16|Int32|Int64|Uint|Uint8|Uint16|Uint32|Uint64)\(\)\))\n\s*\}`)

// pointer (after value has run on its inner part):
// `if in.IsNull() { in.Skip(); X = nil } else { if X == nil { X = new(T) }; *X = T(in.T()) }`
// -> the else branch.
var pointer = regexp.MustCompile(`(?m)if in\.IsNull\(\) \{\n\s*in\.Skip\(\)\n\s*([\w.\[\]]+) = nil\n\s*\} else \{\n(\s*if ([\w.\[\]]+) == nil \{\n\s*[\w.\[\]]+ = new\((?:` + numTypes + `)\)\n\s*\}\n\s*\*[\w.\[\]]+ = (?:` + numTypes + `)\(in\.\w+\(\)\))\n\s*\}`)

// Rewrite returns src with every null-skipping number decoder replaced by
// one that rejects null, and the number of decoders rewritten.
func Rewrite(src []byte) ([]byte, int) {
	n := 0
	out := value.ReplaceAllFunc(src, func(m []byte) []byte {
		n++
		return value.ReplaceAll(m, []byte("$1"))
	})
	out = pointer.ReplaceAllFunc(out, func(m []byte) []byte {
		sub := pointer.FindSubmatch(m)
		if string(sub[1]) != string(sub[3]) {
			return m // not the same field: leave it
		}
		n++
		return sub[2]
	})
	return out, n
}
