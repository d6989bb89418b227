package state

import "testing"

func lat(v float64) *float64 { return &v }

// TestObserveSequence drives one breaker through a chat server's reports:
// three failures open it, a report while open is late, the first report
// after the open time is the probe.
func TestObserveSequence(t *testing.T) {
	b := NewBreaker()
	steps := []struct {
		o         Observation
		now       float64
		wantState string
		wantLevel int
		wantUntil float64
	}{
		{Observation{Status: StatusError}, 0, Degraded, 0, 0},
		{Observation{Status: StatusTimeout}, 10, Degraded, 0, 0},
		{Observation{Status: StatusError}, 20, CircuitOpen, 1, 30_020},
		{Observation{Status: StatusOK, LatencyMs: lat(100)}, 25, CircuitOpen, 1, 30_020}, // late
		{Observation{Status: StatusError}, 30_020, CircuitOpen, 2, 90_020},               // failed probe
		{Observation{Status: StatusOK, LatencyMs: lat(300)}, 90_020, Available, 0, 0},    // probe closes
		{Observation{Status: StatusQuota}, 90_030, QuotaHit, 0, 150_030},
	}
	for i, s := range steps {
		b.Observe(s.o, s.now)
		if b.State != s.wantState || b.Level != s.wantLevel || b.OpenUntil != s.wantUntil {
			t.Fatalf("step %d: got %s level %d until %v, want %s level %d until %v", i, b.State, b.Level, b.OpenUntil, s.wantState, s.wantLevel, s.wantUntil)
		}
	}
	if b.LatencyEmaMs != 140 || b.Samples != 2 {
		t.Errorf("latency EMA: got %v over %d samples, want 140 over 2", b.LatencyEmaMs, b.Samples)
	}
}

func TestNextChange(t *testing.T) {
	var m BreakerMap
	m.Set("a", &Breaker{State: CircuitOpen, OpenUntil: 500})
	m.Set("b", &Breaker{State: QuotaHit, OpenUntil: 300})
	m.Set("c", &Breaker{State: Degraded, Errors: 1})
	for _, tt := range []struct{ now, want float64 }{{0, 300}, {300, 500}, {499, 500}, {500, 0}} {
		if got := m.NextChange(tt.now); got != tt.want {
			t.Errorf("NextChange(%v) got: %v want: %v", tt.now, got, tt.want)
		}
	}
}
