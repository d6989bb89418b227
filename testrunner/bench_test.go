package testrunner

import (
	"bytes"
	"context"
	"testing"

	"github.com/convergence-io/ceg/core/api"
	"github.com/convergence-io/ceg/internal/benchdata"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// The same requests run natively (the engine the module wraps) and under
// wazero (the shipped module); scripts/bench-report.mjs divides the two.

func BenchmarkNative(b *testing.B) {
	for _, w := range benchdata.Workloads() {
		b.Run(w.Name, func(b *testing.B) {
			e := api.New(api.Limits{})
			if w.Setup != nil {
				e.Handle(w.Setup)
			}
			want := [2]int{len(e.Handle(w.Turn(0))), len(e.Handle(w.Turn(1)))}
			b.SetBytes(int64(len(w.Request)))
			b.ReportAllocs()
			b.ResetTimer()
			var resp []byte // handed back, as ceg_call does with the buffer its host freed
			for i := 0; b.Loop(); i++ {
				if resp = e.HandleInto(w.Turn(i), resp); len(resp) != want[i%2] {
					b.Fatalf("response changed: %d vs %d bytes", len(resp), want[i%2])
				}
			}
		})
	}
}

func BenchmarkWazero(b *testing.B) {
	for _, w := range benchdata.Workloads() {
		b.Run(w.Name, func(b *testing.B) {
			m := fresh(b)
			native := api.New(api.Limits{})
			if w.Setup != nil {
				if _, err := m.Call(w.Setup); err != nil {
					b.Fatal(err)
				}
				native.Handle(w.Setup)
			}
			var want [2]int
			for i := range want {
				got, err := m.Call(w.Turn(i))
				if err != nil {
					b.Fatal(err)
				}
				if !bytes.Equal(got, native.Handle(w.Turn(i))) {
					b.Fatalf("wazero and native responses differ for %s", w.Name)
				}
				want[i] = len(got)
			}
			b.SetBytes(int64(len(w.Request)))
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if got, err := m.Call(w.Turn(i)); err != nil || len(got) != want[i%2] {
					b.Fatalf("call failed: %v", err)
				}
			}
		})
	}
}

// BenchmarkWazeroExportCall is the bare cost of one export call.
func BenchmarkWazeroExportCall(b *testing.B) {
	m := fresh(b)
	for b.Loop() {
		m.ABIVersion()
	}
}

// BenchmarkWazeroInstantiate is a warm start: instantiate + _initialize
// from an already compiled module.
func BenchmarkWazeroInstantiate(b *testing.B) {
	for b.Loop() {
		m, err := shared.Fresh()
		if err != nil {
			b.Fatal(err)
		}
		m.Close()
	}
}

// BenchmarkWazeroCompileCold compiles the module with no cache.
func BenchmarkWazeroCompileCold(b *testing.B) {
	wasm := mustRead(b, "../"+DefaultModulePath)
	ctx := context.Background()
	for b.Loop() {
		rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
		wasi_snapshot_preview1.MustInstantiate(ctx, rt)
		if _, err := rt.CompileModule(ctx, wasm); err != nil {
			b.Fatal(err)
		}
		rt.Close(ctx)
	}
}

// BenchmarkWazeroCompileCached compiles through a warm compilation cache.
func BenchmarkWazeroCompileCached(b *testing.B) {
	wasm := mustRead(b, "../"+DefaultModulePath)
	ctx := context.Background()
	cache, err := wazero.NewCompilationCacheWithDir(CacheDir())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler().WithCompilationCache(cache))
		wasi_snapshot_preview1.MustInstantiate(ctx, rt)
		if _, err := rt.CompileModule(ctx, wasm); err != nil {
			b.Fatal(err)
		}
		rt.Close(ctx)
	}
}

// BenchmarkWazeroMemoryRun makes 100,000 chat-turn-sized calls on one
// instance and reports linear memory at the end (bytes).
func BenchmarkWazeroMemoryRun(b *testing.B) {
	req := benchdata.Workloads()[1].Request
	for b.Loop() {
		m := fresh(b)
		for i := 0; i < 100_000; i++ {
			if _, err := m.Call(req); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(m.MemorySize()), "mem-bytes")
		m.Close()
	}
}
