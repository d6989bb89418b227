package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/api"
	"github.com/gowebpki/jcs"
)

// FuzzSetEpoch: an epoch is accepted only in its documented form, and then
// every id the engine issues carries it; anything else is INVALID_PARAMS
// and leaves ids plain.
func FuzzSetEpoch(f *testing.F) {
	for _, s := range []string{"k7Qx-2", "", "a.b", "0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdefX", "é", "a b", "_-_"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, epoch string) {
		e := api.New(api.Limits{})
		p, _ := json.Marshal(map[string]string{"epoch": epoch})
		out := e.Handle([]byte(fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"engine.setEpoch","params":%s}`, p)))
		valid := len(epoch) >= 1 && len(epoch) <= 32 && strings.Trim(epoch, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-") == ""
		accepted := bytes.Contains(out, []byte(`"result"`))
		if accepted != valid {
			t.Fatalf("epoch %q: accepted=%v want %v: %s", epoch, accepted, valid, out)
		}
		g := e.Handle([]byte(`{"jsonrpc":"2.0","id":2,"method":"graph.create","params":{"graph":{"nodes":[],"edges":[]}}}`))
		want := `"handle":"g1"`
		if valid {
			want = `"handle":"g1.` + epoch + `"`
		}
		if !bytes.Contains(g, []byte(want)) {
			t.Fatalf("epoch %q: graph.create got %s want %s", epoch, g, want)
		}
	})
}

// FuzzRestoreTamper: any edit to a genuine snapshot either is refused or
// leaves its canonical content unchanged (a re-spelling or a key move: the
// same values).
func FuzzRestoreTamper(f *testing.F) {
	e := api.New(api.Limits{})
	s := e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"exec.start","params":{"graph":{"nodes":[{"id":"r","kind":"resource","provider":"p","capabilities":["chat"],"costPerToken":0.00001}],"edges":[]},"contract":{"id":"c","intent":"hi","forbiddenProviders":["x"]}}}`))
	if !bytes.Contains(s, []byte(`"session":"s1"`)) {
		f.Fatalf("exec.start: %s", s)
	}
	out := e.Handle([]byte(`{"jsonrpc":"2.0","id":2,"method":"exec.snapshot","params":{"session":"s1"}}`))
	var r struct {
		Result struct {
			Snapshot json.RawMessage `json:"snapshot"`
		} `json:"result"`
	}
	if err := json.Unmarshal(out, &r); err != nil || len(r.Result.Snapshot) == 0 {
		f.Fatalf("exec.snapshot: %v %s", err, out)
	}
	genuine := []byte(r.Result.Snapshot)
	canon, err := jcs.Transform(genuine)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(0, byte('x'))
	f.Add(len(genuine)/2, byte('1'))
	f.Add(len(genuine)-3, byte(' '))
	f.Fuzz(func(t *testing.T, at int, b byte) {
		if at < 0 {
			at = -at
		}
		at %= len(genuine)
		m := append([]byte(nil), genuine...)
		m[at] = b
		e := api.New(api.Limits{})
		resp := e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"exec.restore","params":{"snapshot":` + string(m) + `}}`))
		if !bytes.Contains(resp, []byte(`"result"`)) {
			return // refused
		}
		c, err := jcs.Transform(m)
		if err != nil || !bytes.Equal(c, canon) {
			// Accepted though its values differ: the digest missed an edit
			// unless the edit only touched bytes the decoder ignores (a
			// field it does not keep) — decode and compare what it keeps.
			var a, g any
			if json.Unmarshal(m, &a) != nil || json.Unmarshal(genuine, &g) != nil {
				t.Fatalf("restore accepted malformed JSON at %d (%q)", at, b)
			}
			t.Fatalf("restore accepted a snapshot edited at byte %d to %q: %s", at, b, resp)
		}
	})
}

// FuzzFailedReport: an exec.report whose answer is an error — bad
// arguments, or a good report whose answer does not fit what a batch left
// of the response budget — leaves the session exactly as it was (its
// snapshot is byte-identical), and the session still takes a good report
// afterwards.
func FuzzFailedReport(f *testing.F) {
	f.Add(uint16(3000), "error", 1000.0, uint8(1))
	f.Add(uint16(18500), "ok", 5.0, uint8(1))
	f.Add(uint16(18000), "error", 5.0, uint8(1))
	f.Add(uint16(900), "quota", 1e16, uint8(2))
	f.Add(uint16(400), "timeout", -1.0, uint8(0))
	f.Add(uint16(6000), "bogus", 2000.0, uint8(1))
	graph := `{"nodes":[{"id":"a","kind":"resource","provider":"pa","costPerToken":0.00001},{"id":"b","kind":"resource","provider":"pb","costPerToken":0.00002},{"id":"c","kind":"resource","provider":"pc","costPerToken":0.00003}],"edges":[{"from":"a","to":"b","kind":"swaps_to"}]}`
	f.Fuzz(func(t *testing.T, pad uint16, status string, now float64, attempt uint8) {
		e := api.New(api.Limits{MaxResponseBytes: 20000})
		start := e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"exec.start","params":{"graph":` + graph + `,"contract":{"id":"c","intent":"hi"}}}`))
		if !bytes.Contains(start, []byte(`"session":"s1"`)) {
			t.Fatalf("exec.start: %s", start)
		}
		// A graph whose export takes pad bytes of the batch's budget.
		e.Handle([]byte(fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"graph.create","params":{"graph":{"nodes":[{"id":"m","kind":"memory","content":"%s"}],"edges":[]}}}`, strings.Repeat("x", int(pad)%20000))))
		snap := []byte(`{"jsonrpc":"2.0","id":2,"method":"exec.snapshot","params":{"session":"s1"}}`)
		before := e.Handle(snap)
		if !bytes.Contains(before, []byte(`"result"`)) {
			t.Fatalf("exec.snapshot: %s", before)
		}
		st, _ := json.Marshal(status)
		nw, err := json.Marshal(now)
		if err != nil {
			return // NaN or ±Inf cannot be sent
		}
		report := fmt.Sprintf(`{"jsonrpc":"2.0","id":3,"method":"exec.report","params":{"session":"s1","now":%s,"outcomes":[{"step":"step-intent","attempt":%d,"status":%s,"latencyMs":10}],"swaps":["b"]}}`, nw, attempt, st)
		out := e.Handle([]byte(`[{"jsonrpc":"2.0","id":9,"method":"graph.export","params":{"handle":"g1"}},` + report + `]`))
		if !bytes.Contains(out, []byte(`"id":3,"error"`)) {
			return
		}
		if after := e.Handle(snap); !bytes.Equal(after, before) {
			t.Fatalf("a failed report (%s) changed the session:\n got: %s\nwant: %s", out, after, before)
		}
		ok := e.Handle([]byte(`{"jsonrpc":"2.0","id":4,"method":"exec.report","params":{"session":"s1","now":1e9,"outcomes":[]}}`))
		if bytes.Contains(ok, []byte(`"INTERNAL"`)) || bytes.Contains(ok, []byte(`UNKNOWN_SESSION`)) {
			t.Fatalf("the session is unusable after a failed report: %s", ok)
		}
	})
}
