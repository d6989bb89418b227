package wire

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mailru/easyjson/jlexer"
)

var validCases = []string{
	``, ` `, `0`, `-0`, `01`, `-`, `1.`, `.5`, `1.5e3`, `1E+2`, `1e`, `1e-`, `-1.0e-10`, `2.`,
	`"a"`, `"\u00e9"`, `"\u00g9"`, `"\x"`, `"a` + "\x01" + `"`, `"\/"`, `"unterminated`, `"\`,
	`true`, `tru`, `false`, `null`, `nul`, `nulls`, `[]`, `[ ]`, `[1,]`, `[,1]`, `[1 2]`, `[1,2]`,
	`{}`, `{ }`, `{"a":1}`, `{"a":1,}`, `{"a" 1}`, `{a:1}`, `{"a":1 "b":2}`, `{"a":[{"b":null}]}`,
	`{"a":1}}`, `[[[]]]`, `[[[]]`, `]`, `}`, `{"a":}`, `{"a":1,"b":}`, `1 2`, `"a" "b"`, `{"":0}`,
	" \t\n\r[1]\n", "[1]\x00", `{"a":"b"]`, `["a":1]`, `[true,false,null]`, `-01`, `1.5.5`, `+1`,
}

func TestValidMatchesEncodingJSON(t *testing.T) {
	for _, c := range validCases {
		if got, want := Valid([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("Valid(%q) got: %v want: %v", c, got, want)
		}
	}
	deep := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	if got, want := Valid([]byte(deep)), json.Valid([]byte(deep)); got != want {
		t.Errorf("depth %d got: %v want: %v", MaxDepth, got, want)
	}
	deeper := "[" + deep + "]"
	if got, want := Valid([]byte(deeper)), json.Valid([]byte(deeper)); got != want {
		t.Errorf("depth %d got: %v want: %v", MaxDepth+1, got, want)
	}
}

// Seeded mutations of valid documents, compared with encoding/json.
func TestValidMutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	seeds := []string{`{"jsonrpc":"2.0","id":1,"method":"graph.create","params":{"graph":{"nodes":[{"id":"a","kind":"intent","tokens":1.5e3,"meta":{"x":[true,false,null,"\u00e9\n"]}}],"edges":[]}}}`,
		`[{"a":-0.5e-3},{"b":[[],{}]}]`}
	alphabet := []byte(`{}[]":,0123456789.-+eE truefalsnul\/u` + "\x00\x1f\xff")
	for n := 0; n < 200000; n++ {
		b := []byte(seeds[n%len(seeds)])
		for k := 0; k < 1+rng.IntN(3); k++ {
			p := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b[p] = alphabet[rng.IntN(len(alphabet))]
			case 1:
				b = append(b[:p], b[p+1:]...)
			default:
				b = append(b[:p], append([]byte{alphabet[rng.IntN(len(alphabet))]}, b[p:]...)...)
			}
			if len(b) == 0 {
				break
			}
		}
		if got, want := Valid(b), json.Valid(b); got != want {
			t.Fatalf("Valid(%q) got: %v want: %v", b, got, want)
		}
	}
}

func FuzzValid(f *testing.F) {
	for _, c := range validCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := Valid(b), json.Valid(b); got != want {
			t.Fatalf("Valid(%q) got: %v want: %v", b, got, want)
		}
	})
}

func BenchmarkValid(b *testing.B) {
	doc := []byte(`{"jsonrpc":"2.0","id":1,"method":"graph.create","params":{"graph":{"nodes":[` +
		strings.Repeat(`{"id":"node-1234","kind":"resource","provider":"openai","costPerToken":1.5e-05,"capabilities":["chat","tools"]},`, 200) +
		`{"id":"z","kind":"intent"}],"edges":[]}}}`)
	b.Run("wire", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			Valid(doc)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			json.Valid(doc)
		}
	})
}

// FuzzRawDepth: a Raw value decodes when it is valid JSON nested at most
// MaxRawDepth deep, and is refused with a limit error when it is deeper;
// decoding never panics.
func FuzzRawDepth(f *testing.F) {
	for _, s := range []string{`{}`, `[[[]]]`, `{"a":{"b":[1,"x"]}}`, strings.Repeat("[", 65) + strings.Repeat("]", 65), `"[[["`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !Valid(data) {
			return
		}
		var r Raw
		l := jlexer.Lexer{Data: data}
		r.UnmarshalEasyJSON(&l)
		err := l.Error()
		deep := Depth(data) > MaxRawDepth
		if deep {
			le, ok := err.(*jlexer.LexerError)
			if !ok || !strings.HasPrefix(le.Reason, LimitReason) {
				t.Fatalf("%d deep: got %v, want a limit error", Depth(data), err)
			}
		} else if err != nil {
			t.Fatalf("depth %d: %v", Depth(data), err)
		}
	})
}
