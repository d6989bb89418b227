package state

import (
	"testing"

	"github.com/mailru/easyjson/jwriter"
)

func TestOpenDuration(t *testing.T) {
	tests := []struct {
		level int
		want  float64
	}{{-1, 30_000}, {0, 30_000}, {1, 60_000}, {2, 120_000}, {4, 480_000}, {5, 600_000}, {40, 600_000}}
	for _, tt := range tests {
		if got := OpenDuration(tt.level); got != tt.want {
			t.Errorf("OpenDuration(%d) got: %v want: %v", tt.level, got, tt.want)
		}
	}
}

// step is one call to the breaker in a scripted sequence.
type step struct {
	op        string // ok, err, quota, acquire
	now       float64
	latency   float64
	wantState string
	wantAllow bool // Allow(now) after the op
	wantLevel int
}

func TestBreakerSequences(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"three errors open for 30 s", []step{
			{op: "err", now: 0, wantState: Degraded, wantAllow: true},
			{op: "err", now: 1, wantState: Degraded, wantAllow: true},
			{op: "err", now: 2, wantState: CircuitOpen, wantAllow: false, wantLevel: 1},
			{op: "none", now: 30_001, wantState: CircuitOpen, wantAllow: false, wantLevel: 1},
			{op: "none", now: 30_002, wantState: CircuitOpen, wantAllow: true, wantLevel: 1},
		}},
		{"success resets errors", []step{
			{op: "err", now: 0, wantState: Degraded, wantAllow: true},
			{op: "err", now: 1, wantState: Degraded, wantAllow: true},
			{op: "ok", now: 2, latency: 100, wantState: Available, wantAllow: true},
			{op: "err", now: 3, wantState: Degraded, wantAllow: true},
			{op: "err", now: 4, wantState: Degraded, wantAllow: true},
		}},
		{"one half-open probe, success closes and resets level", []step{
			{op: "err", now: 0}, {op: "err", now: 0},
			{op: "err", now: 0, wantState: CircuitOpen, wantLevel: 1},
			{op: "acquire", now: 30_000, wantState: CircuitOpen, wantAllow: false, wantLevel: 1}, // probe out: no second call
			{op: "ok", now: 30_500, latency: 200, wantState: Available, wantAllow: true},
		}},
		{"failed probe re-opens with the next level", []step{
			{op: "err", now: 0}, {op: "err", now: 0},
			{op: "err", now: 0, wantState: CircuitOpen, wantLevel: 1},
			{op: "acquire", now: 30_000, wantState: CircuitOpen, wantLevel: 1},
			{op: "err", now: 30_000, wantState: CircuitOpen, wantAllow: false, wantLevel: 2}, // open until 90 000
			{op: "none", now: 89_999, wantState: CircuitOpen, wantAllow: false, wantLevel: 2},
			{op: "acquire", now: 90_000, wantState: CircuitOpen, wantLevel: 2},
			{op: "err", now: 90_000, wantState: CircuitOpen, wantAllow: false, wantLevel: 3}, // until 210 000
			{op: "none", now: 210_000, wantState: CircuitOpen, wantAllow: true, wantLevel: 3},
		}},
		{"late error while open only counts", []step{
			{op: "err", now: 0}, {op: "err", now: 0},
			{op: "err", now: 0, wantState: CircuitOpen, wantLevel: 1},
			{op: "err", now: 10, wantState: CircuitOpen, wantAllow: false, wantLevel: 1},
			{op: "none", now: 30_000, wantState: CircuitOpen, wantAllow: true, wantLevel: 1},
		}},
		{"late success while open does not close", []step{
			{op: "err", now: 0}, {op: "err", now: 0},
			{op: "err", now: 0, wantState: CircuitOpen, wantLevel: 1},
			{op: "ok", now: 5, latency: 100, wantState: CircuitOpen, wantAllow: false, wantLevel: 1},
			{op: "acquire", now: 30_000, wantState: CircuitOpen, wantLevel: 1},
			{op: "ok", now: 30_100, latency: 100, wantState: Available, wantAllow: true},
		}},
		{"late success during a quota back-off does not end it", []step{
			{op: "quota", now: 0, wantState: QuotaHit, wantAllow: false},
			{op: "ok", now: 10, latency: 100, wantState: QuotaHit, wantAllow: false},
		}},
		{"quota backs off 60 s", []step{
			{op: "quota", now: 1_000, wantState: QuotaHit, wantAllow: false},
			{op: "none", now: 60_999, wantState: QuotaHit, wantAllow: false},
			{op: "none", now: 61_000, wantState: QuotaHit, wantAllow: true},
			{op: "ok", now: 61_500, latency: 10, wantState: Available, wantAllow: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBreaker()
			for i, s := range tt.steps {
				switch s.op {
				case "ok":
					b.Success(s.latency, s.now)
				case "err":
					b.Error(s.now)
				case "quota":
					b.Quota(s.now)
				case "acquire":
					if !b.Acquire(s.now) {
						t.Fatalf("step %d: Acquire(%v) got: false want: true", i, s.now)
					}
				}
				if s.wantState == "" {
					continue
				}
				if b.State != s.wantState || b.Allow(s.now) != s.wantAllow || b.Level != s.wantLevel {
					t.Errorf("step %d (%s@%v) got: state=%s allow=%v level=%d want: state=%s allow=%v level=%d",
						i, s.op, s.now, b.State, b.Allow(s.now), b.Level, s.wantState, s.wantAllow, s.wantLevel)
				}
			}
		})
	}
}

func TestBreakerCap(t *testing.T) {
	b := NewBreaker()
	now := 0.0
	for i := 0; i < 3; i++ {
		b.Error(now)
	}
	for i := 0; i < 8; i++ { // failed probes: 60, 120, 240, 480, 600, 600 ...
		now = b.OpenUntil
		b.Acquire(now)
		b.Error(now)
	}
	if got := b.OpenUntil - now; got != OpenCapMs {
		t.Errorf("open duration after many failed probes got: %v want: %v", got, OpenCapMs)
	}
}

func TestLatencyEMA(t *testing.T) {
	b := NewBreaker()
	b.Success(1000, 0)
	if b.LatencyEmaMs != 1000 || b.Samples != 1 {
		t.Fatalf("first sample got: ema=%v samples=%d want: ema=1000 samples=1 (seeded)", b.LatencyEmaMs, b.Samples)
	}
	b.Success(2000, 1)
	if b.LatencyEmaMs != 1200 {
		t.Errorf("second sample got: %v want: 1200 (0.2·2000 + 0.8·1000)", b.LatencyEmaMs)
	}
	b.Success(200, 2)
	if b.LatencyEmaMs != 1000 {
		t.Errorf("third sample got: %v want: 1000", b.LatencyEmaMs)
	}
}

func TestCheckLatencyAndInstability(t *testing.T) {
	b := NewBreaker()
	b.Success(3000, 0)
	b.CheckLatency(2000)
	if b.State != Degraded {
		t.Errorf("EMA over target got: %s want: degraded", b.State)
	}
	b.Success(0, 1)
	b.Success(0, 2)
	b.Success(0, 3) // ema 1536
	b.CheckLatency(2000)
	if b.State != Available {
		t.Errorf("EMA back under target got: %s (ema %v) want: available", b.State, b.LatencyEmaMs)
	}
	tests := []struct {
		errors int
		want   float64
	}{{0, 0}, {1, 1.0 / 3}, {3, 1}, {7, 1}}
	for _, tt := range tests {
		b := &Breaker{Errors: tt.errors}
		if got := b.Instability(); got != tt.want {
			t.Errorf("Instability(errors=%d) got: %v want: %v", tt.errors, got, tt.want)
		}
	}
	var nilB *Breaker
	if nilB.Instability() != 0 || !nilB.Allow(0) {
		t.Errorf("a nil breaker must be closed and stable")
	}
}

func TestHealthAndApply(t *testing.T) {
	open := &Breaker{State: CircuitOpen, Errors: 3, Level: 1, OpenUntil: 30_000}
	tests := []struct {
		name   string
		b      *Breaker
		now    float64
		given  *float64
		want   float64
		wantOK bool
	}{
		{"open overrides given", open, 10, ptr(0.9), 0, true},
		{"half-open without given", open, 30_000, nil, HealthProbe, true},
		{"half-open keeps given", open, 30_000, ptr(0.8), 0.8, true},
		{"degraded without given", &Breaker{State: Degraded, Errors: 1}, 0, nil, HealthDegraded, true},
		{"degraded keeps given", &Breaker{State: Degraded, Errors: 1}, 0, ptr(0.7), 0.7, true},
		{"quota running", &Breaker{State: QuotaHit, OpenUntil: 60_000}, 0, ptr(1), 0, true},
		{"quota expired", &Breaker{State: QuotaHit, OpenUntil: 60_000}, 60_000, nil, HealthDegraded, true},
		{"available leaves health alone", &Breaker{State: Available}, 0, nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &SystemState{}
			if tt.given != nil {
				s.Resources.Health.Set("p", *tt.given)
			}
			var m BreakerMap
			m.Set("p", tt.b)
			s.ApplyBreakers(m, tt.now)
			got, ok := s.Resources.Health.Get("p")
			if ok != tt.wantOK || got != tt.want {
				t.Errorf("health got: %v (present %v) want: %v (present %v)", got, ok, tt.want, tt.wantOK)
			}
			if s.Breaker("p") == tt.b || s.Breaker("p").State != tt.b.State {
				t.Errorf("S must hold a copy of the breaker")
			}
		})
	}
	// Latency EMA feeds S once sampled.
	b := NewBreaker()
	b.Success(420, 0)
	s := &SystemState{}
	s.Resources.LatencyMs.Set("p", 9999)
	var m BreakerMap
	m.Set("p", b)
	s.ApplyBreakers(m, 0)
	if got, _ := s.Resources.LatencyMs.Get("p"); got != 420 {
		t.Errorf("latency got: %v want: 420 (EMA overrides the given value)", got)
	}
	var w jwriter.Writer
	s.Resources.MarshalEasyJSON(&w)
	want := `{"health":{},"latencyMs":{"p":420},"breakers":{"p":{"state":"available","errors":0,"level":0,"latencyEmaMs":420,"samples":1}}}`
	if got := string(w.Buffer.BuildBytes()); got != want {
		t.Errorf("resources JSON got: %s want: %s", got, want)
	}
}

func ptr(v float64) *float64 { return &v }
