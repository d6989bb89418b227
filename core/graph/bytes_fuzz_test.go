package graph

import "testing"

// FuzzBytes: whatever sequence of adds, removes and swaps runs (failed
// ones included, which roll back), the graph's kept byte size equals the
// sum over its nodes and edges, and the byte budget is never passed.
func FuzzBytes(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{0, 0, 0, 3, 3, 7, 7, 1, 2})
	f.Fuzz(func(t *testing.T, ops []byte) {
		g := New()
		g.Limits.MaxBytes = 4000
		ids := []string{"a", "b", "c", "d"}
		for i, op := range ops {
			id := ids[int(op)%len(ids)]
			other := ids[(int(op)/4)%len(ids)]
			text := string(make([]byte, int(op)*7))
			switch (i + int(op)) % 5 {
			case 0, 1:
				_ = g.AddNode(&Node{ID: id, Kind: KindMemory, Content: text})
			case 2:
				_, _ = g.AddEdge(&Edge{From: id, To: other, Kind: EdgeObserves})
			case 3:
				_, _ = g.RemoveNode(id)
			case 4:
				if g.Node(id) != nil {
					_, _ = g.SwapNode(id, &Node{ID: other, Kind: KindIntent, Text: text})
				}
			}
			sum := 0
			for _, n := range g.Nodes() {
				sum += NodeBytes(n)
			}
			for _, e := range g.Edges() {
				sum += EdgeBytes(e)
			}
			if sum != g.Bytes() {
				t.Fatalf("after op %d: kept %d bytes, sum is %d", i, g.Bytes(), sum)
			}
			if g.Bytes() > g.Limits.MaxBytes {
				t.Fatalf("after op %d: %d bytes passed the budget of %d", i, g.Bytes(), g.Limits.MaxBytes)
			}
		}
	})
}
