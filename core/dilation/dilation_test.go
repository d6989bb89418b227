package dilation

import (
	"math"
	"testing"
)

func TestCompute(t *testing.T) {
	tests := []struct {
		name       string
		u, p, c, x float64
		want       float64
	}{
		{"neutral", 0, 0, 0, 0, 1},
		{"full uncertainty", 1, 0, 0, 0, 2},
		{"everything at one", 1, 1, 1, 0, 0.5},
		{"balanced", 0.8, 0.2, 0.5, 0, 1.0},
		{"collapse 1 from high", 1, 0, 0, 1, 0.1},
		{"collapse 1 from low", 0, 1, 1, 1, 0.1},
		{"collapse half", 1, 0, 0, 0.5, 1.05},
		{"inputs clamped", 7, -3, -1, 0, 2},
		{"NaN counts as zero", math.NaN(), 0, 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Compute(tt.u, tt.p, tt.c, tt.x); got != tt.want {
				t.Errorf("Compute(%v, %v, %v, %v) got: %v want: %v", tt.u, tt.p, tt.c, tt.x, got, tt.want)
			}
		})
	}
}

func TestComputeStaysInBounds(t *testing.T) {
	steps := []float64{-1, 0, 0.1, 0.5, 0.9, 1, 2}
	for _, u := range steps {
		for _, p := range steps {
			for _, c := range steps {
				for _, x := range steps {
					if d := Compute(u, p, c, x); d < Min || d > Max {
						t.Fatalf("Compute(%v,%v,%v,%v) = %v outside [%v, %v]", u, p, c, x, d, Min, Max)
					}
				}
			}
		}
	}
}

func TestFromHealth(t *testing.T) {
	healthy := FromHealth(1, 1)
	if healthy > 1 {
		t.Errorf("healthy on-target resource got: D=%v want: <= 1", healthy)
	}
	for _, tc := range []struct{ h, r float64 }{{0.2, 3}, {0.5, 1}, {1, 4}, {0, 1}} {
		if d := FromHealth(tc.h, tc.r); d <= healthy {
			t.Errorf("degraded (health %v, ratio %v) got: D=%v want: > %v", tc.h, tc.r, d, healthy)
		}
	}
	if got := FromHealth(0.2, 3); got != 1.08 {
		t.Errorf("FromHealth(0.2, 3) got: %v want: 1.08", got)
	}
}

func TestPolicy(t *testing.T) {
	tests := []struct {
		d    float64
		want Grounding
	}{
		{0.4, Grounding{false, 5, 2, false}},
		{0.6, Grounding{true, 5, 2, false}},
		{1, Grounding{true, 5, 2, false}},
		{2, Grounding{true, 10, 2, false}},
		{3, Grounding{true, 15, 3, true}},
		{5, Grounding{true, 25, 3, true}},
	}
	for _, tt := range tests {
		if got := Policy(tt.d, BaseMaxResults, BaseMinSources); got != tt.want {
			t.Errorf("Policy(%v) got: %+v want: %+v", tt.d, got, tt.want)
		}
	}
}

func TestPolicyMonotone(t *testing.T) {
	b2i := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	prev := Policy(0, 5, 2)
	for d := 0.0; d <= Max; d += 0.01 {
		g := Policy(d, 5, 2)
		if g.MaxResults < prev.MaxResults || g.MinSources < prev.MinSources ||
			b2i(g.FetchExternal) < b2i(prev.FetchExternal) || b2i(g.DeepMode) < b2i(prev.DeepMode) {
			t.Fatalf("Policy not monotone at D=%v: %+v after %+v", d, g, prev)
		}
		prev = g
	}
}

func TestEstimate(t *testing.T) {
	tests := []struct {
		text  string
		wantU float64
	}{
		{"hello there", 0.3},
		{"what is the latest news", 0.6},
		{"compare A versus B", 0.5},
		{"I'm not sure this is right", 0.5},
		{"why? really?", 0.6},
		{"price in 2025 vs 2024, I'm confused??", 1},
		{"NOWHERE is a word, not 'now'", 0.6}, // 'now' in quotes matches as a whole word
		{"nowhere known", 0.3},                // but not inside another word
		{string(make([]byte, 281)), 0.4},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			d, u := Estimate(tt.text, 0.5, 0)
			if u != tt.wantU {
				t.Errorf("Estimate(%q) uncertainty got: %v want: %v", tt.text, u, tt.wantU)
			}
			if want := Compute(tt.wantU, 0, 0.5, 0); d != want {
				t.Errorf("Estimate(%q) d got: %v want: %v", tt.text, d, want)
			}
		})
	}
}

func TestDwellGuard(t *testing.T) {
	var f Field
	if got := f.Get("unknown"); got != 1 {
		t.Errorf("unknown node D got: %v want: 1", got)
	}
	for tick := 1; tick <= DwellTicks; tick++ {
		if got := f.Update("slow", 2); got != 2 {
			t.Fatalf("tick %d got: %v want: 2 (guard fired early)", tick, got)
		}
	}
	if got := f.Update("slow", 2); got != Min {
		t.Errorf("tick %d got: %v want: %v (guard)", DwellTicks+1, got, Min)
	}
	if f.Dwell("slow") != 0 {
		t.Errorf("dwell after guard got: %d want: 0", f.Dwell("slow"))
	}
	if got := f.Update("slow", 2); got != 2 {
		t.Errorf("after reset got: %v want: 2", got)
	}
	f.Update("slow", 1.2)
	if f.Dwell("slow") != 0 {
		t.Errorf("a tick below 1.5 must reset dwell, got: %d", f.Dwell("slow"))
	}
}

func TestRound(t *testing.T) {
	tests := []struct{ in, want float64 }{
		{1.0000000000000002, 1},
		{0.8666666666666667, 0.866666666667},
		{2315.7894736840006, 2315.78947368},
		{-2315.7894736840006, -2315.78947368},
		{1.2e-05, 1.2e-05},
		{0.1 + 0.2, 0.3},
		{123456789012345.6, 123456789012000},
		{5e-11, 5e-11},
		{0, 0},
	}
	for _, tt := range tests {
		if got := Round(tt.in); got != tt.want {
			t.Errorf("Round(%v) got: %v want: %v", tt.in, got, tt.want)
		}
	}
}

func TestEstimateCues(t *testing.T) {
	tests := []struct {
		text  string
		wantU float64
	}{
		{"What's new THIS   WEEK", 0.6},
		{"how exactly does it work", 0.5},
		{"weigh the trade-offs", 0.5},
		{"a trade-offset", 0.3},
		{"I don't know", 0.5},
		{"I don’t know", 0.5},
		{"is it true that", 0.5},
		{"I'm confused", 0.5},
		{"nonconfusing", 0.3},
		{"in 1999", 0.6},
		{"in 21999", 0.3},
		{"room 2024b", 0.3},
		{"pricey", 0.3},
		{"snow", 0.3},
		{"vs.", 0.5},
		{"Évaluate", 0.3}, // É is not an ASCII word character: "valuate" is the word
	}
	for _, tt := range tests {
		if _, u := Estimate(tt.text, 0.5, 0); u != tt.wantU {
			t.Errorf("Estimate(%q) uncertainty got: %v want: %v", tt.text, u, tt.wantU)
		}
	}
}

// TestFieldConfigs: the module's dwell guard (D >= 1.5, forced to 0.1) and
// the original's (D > 1.5, pulled back to D_DEFAULT).
func TestFieldConfigs(t *testing.T) {
	for _, tt := range []struct {
		name     string
		f        *Field
		atEdge   int     // dwell after one update exactly at 1.5
		pullBack float64 // the 9th dwelling update
	}{
		{"module", &Field{}, 1, Min},
		{"original", NewField(OriginalFieldConfig()), 0, Default},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.f.Update("edge", 1.5)
			if got := tt.f.Dwell("edge"); got != tt.atEdge {
				t.Errorf("dwell at 1.5: got: %d want: %d", got, tt.atEdge)
			}
			var d float64
			for i := 0; i < 9; i++ {
				d = tt.f.Update("n", 2)
			}
			if d != tt.pullBack || tt.f.Dwell("n") != 0 {
				t.Errorf("9th update: got: %v (dwell %d) want: %v (dwell 0)", d, tt.f.Dwell("n"), tt.pullBack)
			}
			if tt.f.Get("unknown") != Default || !tt.f.Has("n") || tt.f.Has("unknown") {
				t.Errorf("unknown id: got: %v", tt.f.Get("unknown"))
			}
		})
	}
}
