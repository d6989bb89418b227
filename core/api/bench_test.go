package api

import (
	"bytes"
	"testing"

	"github.com/convergence-io/ceg/internal/benchdata"
)

// BenchmarkHandle runs the request-level workloads through Engine.Handle
// (the same requests testrunner's BenchmarkNative and the wasm hosts send),
// without needing the built module: the quick loop for the request path.
func BenchmarkHandle(b *testing.B) {
	for _, w := range benchdata.Workloads() {
		b.Run(w.Name, func(b *testing.B) {
			e := New(Limits{})
			if w.Setup != nil {
				e.Handle(w.Setup)
			}
			want := e.Handle(w.Request)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if got := e.Handle(w.Request); len(got) != len(want) {
					b.Fatalf("response changed: %d vs %d bytes", len(got), len(want))
				}
			}
		})
	}
}

// BenchmarkHandleMiss runs the by-handle workloads alternating the request
// with a twin whose state differs (another tick and one provider's health),
// so that every iteration plans and encodes an answer that differs from
// the previous one: the cost of a real turn, which no answer memo can
// save.
func BenchmarkHandleMiss(b *testing.B) {
	for _, w := range benchdata.Workloads() {
		if w.Setup == nil {
			continue
		}
		twin := stateTwin(b, w.Request)
		b.Run(w.Name, func(b *testing.B) {
			e := New(Limits{})
			e.Handle(w.Setup)
			reqs := [2][]byte{w.Request, twin}
			var want [2][]byte
			for i, r := range reqs {
				want[i] = e.Handle(r)
			}
			if bytes.Equal(want[0], want[1]) {
				b.Fatal("the twin request gets the same answer")
			}
			b.ReportAllocs()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				if got := e.Handle(reqs[i&1]); len(got) != len(want[i&1]) {
					b.Fatalf("response changed: %d vs %d bytes", len(got), len(want[i&1]))
				}
				i++
			}
		})
	}
}

// stateTwin returns req with its state's tick prefixed by 1 and the first
// health value lowered a little (a value of 1 becomes 0.99; a fraction
// loses one in its last digit, or becomes 0.5 if that digit is 0).
func stateTwin(b *testing.B, req []byte) []byte {
	twin := bytes.Clone(req)
	i := bytes.Index(twin, []byte(`"tick":`))
	h := bytes.Index(twin, []byte(`"health":{`))
	if i < 0 || h < 0 {
		b.Fatal("no tick or no health in the request")
	}
	twin = append(twin[:i:i], append([]byte(`"tick":1`), twin[i+len(`"tick":`):]...)...)
	h = bytes.Index(twin, []byte(`"health":{`))
	colon := h + len(`"health":{`) + bytes.IndexByte(twin[h+len(`"health":{`):], ':')
	end := colon + bytes.IndexAny(twin[colon:], ",}")
	val := string(twin[colon+1 : end])
	switch {
	case val == "1":
		val = "0.99"
	case val[len(val)-1] > '0' && bytes.IndexByte([]byte(val), '.') > 0:
		val = val[:len(val)-1] + string(val[len(val)-1]-1)
	default:
		val = "0.5"
	}
	return append(twin[:colon+1:colon+1], append([]byte(val), twin[end:]...)...)
}
