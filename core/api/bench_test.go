package api

import (
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
