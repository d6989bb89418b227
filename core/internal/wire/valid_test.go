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
		checkSplit(t, b)
	}
}

// checkSplit holds Split to Valid (same verdict) and, for valid data, to
// the two-pass split it replaces (Members or Elements over validated
// bytes): the same members, keys and values, in order.
func checkSplit(t *testing.T, b []byte) {
	t.Helper()
	var got []Member
	ok, container := Split(b, &got)
	if ok != Valid(b) {
		t.Fatalf("Split(%q) valid %v, Valid says %v", b, ok, !ok)
	}
	if !ok {
		if len(got) != 0 {
			t.Fatalf("Split(%q): invalid data recorded %d members", b, len(got))
		}
		return
	}
	var want []Member
	switch {
	case Members(b, func(k string, v []byte) bool {
		want = append(want, Member{Key: []byte(k), Value: v})
		return true
	}):
		if container != '{' {
			t.Fatalf("Split(%q): container %q, want '{'", b, container)
		}
		for i := range got {
			if len(got[i].Key) < 2 || got[i].Key[0] != '"' || got[i].Key[len(got[i].Key)-1] != '"' {
				t.Fatalf("Split(%q): key %q is not a quoted string", b, got[i].Key)
			}
			got[i].Key = []byte(decodeKey(got[i].Key))
		}
	case Elements(b, func(v []byte) { want = append(want, Member{Value: v}) }):
		if container != '[' {
			t.Fatalf("Split(%q): container %q, want '['", b, container)
		}
	default:
		if container != 0 || len(got) != 0 {
			t.Fatalf("Split(%q): a scalar gave container %q and %d members", b, container, len(got))
		}
	}
	if len(got) != len(want) {
		t.Fatalf("Split(%q): %d members, want %d", b, len(got), len(want))
	}
	for i := range got {
		if string(got[i].Key) != string(want[i].Key) || string(got[i].Value) != string(want[i].Value) {
			t.Fatalf("Split(%q) member %d: got %q: %q, want %q: %q", b, i, got[i].Key, got[i].Value, want[i].Key, want[i].Value)
		}
	}
}

func TestSplit(t *testing.T) {
	for _, c := range append(validCases, `{"a":{"x":1,"y":[2,{"z":3}]},"b" : "q" ,"c\u0041":[]}`, `[{"a":1}, 2 ,"s",[],{}]`,
		` {"jsonrpc":"2.0","id":null,"method":"m","params":{}} `, `{"k":{}}`, `[[]]`) {
		checkSplit(t, []byte(c))
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
		checkSplit(t, b)
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

// BenchmarkSplit compares the one-pass split of a request with the two
// passes it replaced (Valid, then Members over the validated bytes), on a
// chat turn by handle.
func BenchmarkSplit(b *testing.B) {
	req := []byte(`{"jsonrpc":"2.0","id":1,"method":"plan.optimize","params":{"handle":"g1","contract":{"id":"chat-turn","intent":"Compare the latest pricing of the two plans and tell me which is cheaper?","constraints":{"maxCost":0.05,"maxLatencyMs":10000}},"state":{"tick":42,"now":1.7e+12,"resources":{"health":{"anthropic":1,"groq":0.8,"openai":0.97},"latencyMs":{"anthropic":1500,"groq":900,"openai":1700},"breakers":{"groq":{"state":"degraded","errors":1,"level":0},"mistral":{"state":"circuit_open","errors":3,"level":1,"openUntil":1.70000003e+12}}},"memory":{"activeNodes":0,"entries":0},"policy":{"activeConstraints":null}}}}`)
	b.Run("Valid+Members", func(b *testing.B) {
		b.SetBytes(int64(len(req)))
		n := 0
		for b.Loop() {
			if Valid(req) {
				Members(req, func(string, []byte) bool { n++; return true })
			}
		}
	})
	b.Run("Split", func(b *testing.B) {
		b.SetBytes(int64(len(req)))
		var top []Member
		for b.Loop() {
			top = top[:0]
			Split(req, &top)
		}
	})
}
