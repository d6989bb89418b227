package testrunner

import (
	"context"
	"testing"

	"github.com/tetratelabs/wazero"
)

// BenchmarkWazeroCallCost takes the fixed cost of one request apart: a bare
// export call, the ceg_alloc/ceg_free pair around every request, a ceg_call
// that answers without running anything (a buffer that is not live: the
// error response, the yield to the Go scheduler, the response kept and
// freed), the whole smallest request, and the same through CallWithStack
// (no result slice per call). docs/BENCHMARKS.md reads them.
func BenchmarkWazeroCallCost(b *testing.B) {
	m := fresh(b)
	ctx := context.Background()
	b.Run("export", func(b *testing.B) {
		for b.Loop() {
			m.ABIVersion()
		}
	})
	b.Run("alloc-free", func(b *testing.B) {
		for b.Loop() {
			p, _ := m.Alloc(64)
			_ = m.Free(p)
		}
	})
	b.Run("call-no-work", func(b *testing.B) {
		for b.Loop() {
			packed, err := m.CallRaw(1, 1) // never a live buffer: odd address
			if err != nil {
				b.Fatal(err)
			}
			_ = m.Free(uint32(packed >> 32))
		}
	})
	b.Run("version", func(b *testing.B) {
		req := []byte(`{"jsonrpc":"2.0","id":1,"method":"version"}`)
		for b.Loop() {
			if _, err := m.Call(req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("call-no-work-stack", func(b *testing.B) {
		call := m.inst.ExportedFunction("ceg_call")
		free := m.inst.ExportedFunction("ceg_free")
		stack := make([]uint64, 2)
		for b.Loop() {
			stack[0], stack[1] = 1, 1
			if err := call.CallWithStack(ctx, stack); err != nil {
				b.Fatal(err)
			}
			stack[0] = stack[0] >> 32
			if err := free.CallWithStack(ctx, stack[:1]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWazeroConfig compares runtime settings on a chat turn by handle:
// the optimizing compiler (the default engine) against the interpreter.
func BenchmarkWazeroConfig(b *testing.B) {
	wasm := mustRead(b, "../"+DefaultModulePath)
	for _, c := range []struct {
		name string
		cfg  wazero.RuntimeConfig
	}{
		{"compiler", wazero.NewRuntimeConfigCompiler()},
		{"interpreter", wazero.NewRuntimeConfigInterpreter()},
	} {
		b.Run(c.name, func(b *testing.B) {
			cache, err := wazero.NewCompilationCacheWithDir(CacheDir())
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			m, err := openWith(ctx, wasm, c.cfg.WithCompilationCache(cache))
			if err != nil {
				b.Fatal(err)
			}
			defer m.Close()
			req := []byte(`{"jsonrpc":"2.0","id":1,"method":"version"}`)
			for b.Loop() {
				if _, err := m.Call(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
