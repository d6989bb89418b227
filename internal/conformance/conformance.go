// Package conformance reads and writes the shared JSON-RPC vectors of
// testdata/conformance (docs/DESIGN.md#conformance). Every runtime (native core, wazero, Node,
// Chromium) sends the same request bytes and must get the same response
// bytes.
//
// A vector file is {"name", "request" | "requestText", "response"}:
//   - the request bytes are the `request` value with insignificant
//     whitespace removed (string contents and number spellings untouched),
//     or the contents of the `requestText` string when it is present (for
//     malformed input);
//   - the expected response bytes are the `response` value compacted the
//     same way; null means an empty response (a notification).
package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/mailru/easyjson/jlexer"
)

// Vector is one request/response pair.
type Vector struct {
	Name     string
	File     string
	Request  []byte
	Response []byte // nil: no response expected
	textual  bool   // the request came from requestText
}

// Load reads every *.json vector in dir, sorted by file name. An empty
// corpus is an error: a runner must never pass by running nothing.
func Load(dir string) ([]Vector, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []Vector
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		v, err := parse(data)
		if err != nil {
			return nil, fmt.Errorf("conformance: %s: %w", f, err)
		}
		v.File = f
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("conformance: no vectors in %s", dir)
	}
	return out, nil
}

func parse(data []byte) (Vector, error) {
	var v Vector
	l := jlexer.Lexer{Data: data}
	var hasReq bool
	l.Delim('{')
	for !l.IsDelim('}') && l.Ok() {
		key := l.UnsafeString()
		l.WantColon()
		switch key {
		case "name":
			v.Name = l.String()
		case "request":
			if !hasReq {
				v.Request = compact(l.Raw())
			} else {
				l.SkipRecursive()
			}
		case "requestText":
			v.Request, hasReq, v.textual = []byte(l.String()), true, true
		case "response":
			if l.IsNull() {
				l.Skip()
			} else {
				v.Response = compact(l.Raw())
			}
		default:
			return v, fmt.Errorf("unknown key %q", key)
		}
		l.WantComma()
	}
	l.Delim('}')
	if err := l.Error(); err != nil {
		return v, err
	}
	if v.Name == "" || v.Request == nil {
		return v, fmt.Errorf("a vector needs name and request")
	}
	return v, nil
}

func compact(b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return append([]byte(nil), b...)
	}
	return buf.Bytes()
}

// Write rewrites a vector file with a new response (UPDATE_GOLDEN=1): name,
// request and response, indented, literals kept as they are.
func Write(v Vector, response []byte) error {
	var b bytes.Buffer
	name, _ := json.Marshal(v.Name)
	b.WriteString(`{"name":`)
	b.Write(name)
	if v.textual {
		text, _ := json.Marshal(string(v.Request))
		b.WriteString(`,"requestText":`)
		b.Write(text)
	} else {
		b.WriteString(`,"request":`)
		b.Write(v.Request)
	}
	b.WriteString(`,"response":`)
	if len(response) == 0 {
		b.WriteString("null")
	} else {
		b.Write(response)
	}
	b.WriteString("}")
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return fmt.Errorf("conformance: %s: %w", v.File, err)
	}
	out.WriteByte('\n')
	return os.WriteFile(v.File, out.Bytes(), 0o644)
}

// Diff describes the first difference between got and want.
func Diff(got, want []byte) string {
	n := 0
	for n < len(got) && n < len(want) && got[n] == want[n] {
		n++
	}
	ctx := func(b []byte) string {
		lo, hi := max(0, n-60), min(len(b), n+60)
		return string(b[lo:hi])
	}
	return fmt.Sprintf("first difference at byte %d\n got: …%s…\nwant: …%s…", n, ctx(got), ctx(want))
}
