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

// TestHysteresisDirection: the module gates an automatic swap on the
// incoming candidate's stability; the original ("incumbent") refuses to
// swap out a resource whose own stability is below the threshold.
func TestHysteresisDirection(t *testing.T) {
	req := Request{Tick: 10, Trigger: TriggerCapabilityDegraded, From: Candidate{ID: "gpt", Provider: "openai", Health: 0.2, Callable: true},
		Candidates: []Candidate{{ID: "claude", Provider: "anthropic", Health: 0.9, Callable: true}}}
	for _, tt := range []struct {
		hysteresis    string
		claudeHistory []float64
		want, reason  string
	}{
		{HysteresisCandidate, []float64{1}, "claude", ""},
		{HysteresisCandidate, []float64{1, 0}, "", RefusedAll}, // claude unstable (0.5)
		{HysteresisIncumbent, []float64{1, 0}, "", RefusedIncumbent},
		{HysteresisIncumbent, []float64{1}, "", RefusedIncumbent},
	} {
		cfg := DefaultConfig()
		cfg.Hysteresis = tt.hysteresis
		r := New(cfg)
		for _, h := range []float64{1, 0.2, 0.2} { // gpt's stability: 1, 0.6, 0.4
			r.Observe("gpt", h)
		}
		for _, h := range tt.claudeHistory {
			r.Observe("claude", h)
		}
		if d := r.Select(req); d.To != tt.want || d.Reason != tt.reason {
			t.Errorf("%s %v: got: %q %q want: %q %q", tt.hysteresis, tt.claudeHistory, d.To, d.Reason, tt.want, tt.reason)
		}
	}
	// The incumbent rule lets a resource swap out while its stability holds.
	cfg := DefaultConfig()
	cfg.Hysteresis = HysteresisIncumbent
	r := New(cfg)
	r.Observe("gpt", 1)
	r.Observe("gpt", 0.2) // 0.6: not below the threshold
	if d := r.Select(req); d.To != "claude" {
		t.Errorf("incumbent at 0.6: got: %+v want: claude", d)
	}
}

// TestPolicyOriginalSwitches: same-capabilities and the degraded fallback.
func TestPolicyOriginalSwitches(t *testing.T) {
	cfg := DefaultConfig()
	cfg.SameCapabilities, cfg.AllowDegraded = true, true
	r := New(cfg)
	req := Request{Trigger: TriggerManual, From: Candidate{ID: "gpt", Capabilities: []string{"chat", "vision"}},
		Candidates: []Candidate{{ID: "a", Provider: "a", Health: 1, Callable: true, Capabilities: []string{"chat"}},
			{ID: "b", Provider: "b", Health: 0.3, Callable: true, Capabilities: []string{"vision", "chat"}}}}
	d := r.Select(req)
	if d.To != "b" || !d.Degraded || len(d.Refused) != 1 || d.Refused[0].Reason != RefusedCapability {
		t.Errorf("got: %+v want: b as a degraded fallback, a refused for capabilities", d)
	}
	p := Policy{}
	if c, err := p.Config("policy"); err != nil || c != DefaultConfig() {
		t.Errorf("an empty policy: got: %+v %v want: the defaults", c, err)
	}
}

// Regression: the registry's refused-swap count was not part of its
// state, so a session's registry.summary said blocked 0 after exec.restore.
func TestStateKeepsBlockedSwaps(t *testing.T) {
	r := New(DefaultConfig())
	r.NoteBlocked()
	r.NoteBlocked()
	if got := FromState(DefaultConfig(), r.State()).Blocked(); got != 2 {
		t.Errorf("blocked after a state round trip got: %d want: 2", got)
	}
	if got := r.Clone().Blocked(); got != 2 {
		t.Errorf("blocked of a clone got: %d want: 2", got)
	}
}
