package swap

import "testing"

// TestGuardOriginal restates the original's oscillation guard: more than 3
// swaps between a pair, in either direction, within 10 ticks.
func TestGuardOriginal(t *testing.T) {
	g := NewGuard(0, 0)
	for i, p := range [][2]string{{"a", "b"}, {"b", "a"}, {"a", "b"}} {
		g.RecordSwap(p[0], p[1], int64(i+1))
	}
	if g.IsOscillating("a", "b", 3) {
		t.Errorf("3 swaps: got: oscillating want: not (more than 3 are needed)")
	}
	g.RecordSwap("b", "a", 4)
	if !g.IsOscillating("b", "a", 4) || g.Count("a", "b", 4) != 4 {
		t.Errorf("4 swaps: got: %d want: oscillating", g.Count("a", "b", 4))
	}
	if got := g.Count("a", "b", 12); got != 2 {
		t.Errorf("window: got: %d want: 2 (ticks 3 and 4)", got)
	}
	g.Reset("a", "b")
	if g.Count("a", "b", 4) != 0 || g.Len() != 0 {
		t.Errorf("reset: got: %d want: 0", g.Count("a", "b", 4))
	}
}

// TestGuardBounded: past MaxGuardSwaps the oldest swap is forgotten.
func TestGuardBounded(t *testing.T) {
	g := NewGuard(3, 1<<40)
	for i := 0; i <= MaxGuardSwaps; i++ {
		g.RecordSwap("a", "b", int64(i))
	}
	if g.Len() != MaxGuardSwaps {
		t.Errorf("got: %d want: %d", g.Len(), MaxGuardSwaps)
	}
}

// TestRegistryAndGuardAgree: the registry's pair count is the guard's count
// over the same swaps (one function), and the registry refuses at count ==
// limit, the swap that would make the pair oscillate.
func TestRegistryAndGuardAgree(t *testing.T) {
	r := New(DefaultConfig())
	g := NewGuard(0, 0)
	for i, p := range [][2]string{{"a", "b"}, {"b", "a"}, {"a", "b"}} {
		r.history = append(r.history, Swap{Tick: int64(i), From: p[0], To: p[1]})
		g.RecordSwap(p[0], p[1], int64(i))
	}
	if r.PairCount("a", "b", 3) != g.Count("a", "b", 3) {
		t.Fatalf("got: %d want: %d", r.PairCount("a", "b", 3), g.Count("a", "b", 3))
	}
	req := Request{Tick: 3, Trigger: TriggerManual, From: Candidate{ID: "b", Health: 1, Callable: true},
		Candidates: []Candidate{{ID: "a", Provider: "pa", Health: 1, Callable: true}}}
	if d := r.Select(req); d.To != "" || len(d.Refused) != 1 || d.Refused[0].Reason != RefusedOscillation {
		t.Errorf("got: %+v want: a refused as oscillation", d)
	}
}
