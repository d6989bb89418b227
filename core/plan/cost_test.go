package plan

import (
	"math"
	"testing"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/state"
)

func TestFacts(t *testing.T) {
	h := 0.5
	n := &graph.Node{ID: "r", Kind: graph.KindResource, Provider: "p", LatencyTargetMs: ptr(1000.0), Health: &h, Dilation: 1.7}
	withHealth := &state.SystemState{}
	withHealth.Resources.Health.Set("p", 0.9)
	withLatency := &state.SystemState{}
	withLatency.Resources.LatencyMs.Set("p", 3000)
	withBreaker := &state.SystemState{}
	withBreaker.Resources.Breakers.Set("p", &state.Breaker{State: state.Degraded, Errors: 2})
	tests := []struct {
		name                string
		s                   *state.SystemState
		health, lat, d, ins float64
	}{
		{"node values without state", nil, 0.5, 1000, 1.7, 0},
		{"state health", withHealth, 0.9, 1000, dilation.FromHealth(0.9, 1), 0},
		{"state latency", withLatency, 0.5, 3000, dilation.FromHealth(0.5, 3), 0},
		{"breaker errors", withBreaker, 0.5, 1000, 1.7, 2.0 / 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := factsOf(n, tt.s, false)
			if f.health != tt.health || f.lat != tt.lat || f.d != tt.d || math.Abs(f.instability-tt.ins) > 1e-15 {
				t.Errorf("got: %+v want: health %v lat %v d %v instability %v", f, tt.health, tt.lat, tt.d, tt.ins)
			}
		})
	}
}

func TestCostFormulas(t *testing.T) {
	w := Weights{0.3, 0.4, 0.2, 0.1}
	m := money(0.00001, 0.002, 1500)
	if want := 0.017; math.Abs(m-want) > 1e-15 {
		t.Errorf("money got: %v want: %v", m, want)
	}
	dl := dilatedLatency(1200, 1.5)
	if dl != 1800 {
		t.Errorf("dilatedLatency got: %v want: 1800", dl)
	}
	got := stepCost(1.2, 0.5, w, dl, m, 0.9, 1.0/3)
	want := 1.2 * 0.5 * (0.3*1800/10000 + 0.4*m + 0.2*0.1 + 0.1/3)
	if math.Abs(got-want) > 1e-12 {
		t.Errorf("stepCost got: %v want: %v", got, want)
	}
	if got := deadline(2000, 1.25); got != 5000 {
		t.Errorf("deadline got: %v want: 5000 (τ = 2000·1.25, ×2.0)", got)
	}
	if instability(&state.Breaker{Errors: 7}) != 1 {
		t.Errorf("instability must cap at 1")
	}
}

func TestWithin(t *testing.T) {
	if !within(0.05+1e-12, 0.05) || within(0.0500001, 0.05) || !within(10000.000001, 10000) || within(10000.1, 10000) {
		t.Errorf("within tolerance is not 1e-9 relative")
	}
}
