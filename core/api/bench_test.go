package api

import (
	"testing"

	"github.com/convergence-io/ceg/internal/benchdata"
)

// BenchmarkHandle runs the request-level workloads through Engine.HandleInto
// with the previous response's array handed back, as the module's ceg_call
// does with the response buffer its host freed (the same requests
// testrunner's BenchmarkNative and the wasm hosts send), without needing
// the built module: the quick loop for the request path.
func BenchmarkHandle(b *testing.B) {
	for _, w := range benchdata.Workloads() {
		b.Run(w.Name, func(b *testing.B) {
			e := New(Limits{})
			if w.Setup != nil {
				e.Handle(w.Setup)
			}
			want := [2]int{len(e.Handle(w.Turn(0))), len(e.Handle(w.Turn(1)))}
			b.ReportAllocs()
			b.ResetTimer()
			var resp []byte
			for i := 0; b.Loop(); i++ {
				if resp = e.HandleInto(w.Turn(i), resp); len(resp) != want[i%2] {
					b.Fatalf("response changed: %d vs %d bytes", len(resp), want[i%2])
				}
			}
		})
	}
}
