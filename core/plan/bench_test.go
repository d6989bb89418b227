package plan

import "testing"

func benchOptimize(b *testing.B, in Input) {
	opts := Options{Compiler: NewCompiler(0)}
	p, err := Optimize(in, opts)
	if err != nil || !p.Feasible {
		b.Fatalf("workload: err %v, plan %+v", err, p)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Optimize(in, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChatTurn(b *testing.B)   { benchOptimize(b, ChatWorkload()) }
func BenchmarkDAG100x10(b *testing.B)  { benchOptimize(b, DAGWorkload(100, 10, 1)) }
func BenchmarkDAG1000x20(b *testing.B) { benchOptimize(b, DAGWorkload(1000, 20, 1)) }
