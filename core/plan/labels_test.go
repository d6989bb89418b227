package plan

import (
	"fmt"
	"testing"
)

func TestLabelPropagation(t *testing.T) {
	g := `{"nodes":[
		{"id":"m1","kind":"memory","labels":["pii"]},
		{"id":"m2","kind":"memory","labels":["finance"]},
		{"id":"m3","kind":"memory","labels":["secret"]},
		{"id":"m4","kind":"memory","labels":["health"]},
		{"id":"a","kind":"intent","labels":["own"]},
		{"id":"b","kind":"intent"},
		{"id":"c","kind":"intent"},
		{"id":"d","kind":"intent"},
		{"id":"e","kind":"intent","labels":["z","own","own"]},
		{"id":"r","kind":"resource","provider":"p"}],
	"edges":[
		{"from":"a","to":"m1","kind":"requires"},
		{"from":"m1","to":"m2","kind":"derives_from"},
		{"from":"m2","to":"m3","kind":"derives_from"},
		{"from":"m3","to":"m1","kind":"derives_from"},
		{"from":"b","to":"m4","kind":"observes"},
		{"from":"a","to":"c","kind":"transforms_into"},
		{"from":"b","to":"c","kind":"transforms_into"},
		{"from":"c","to":"d","kind":"transforms_into"},
		{"from":"e","to":"m4","kind":"derives_from"}]}`
	p, err := newProblem(input(t, g, `{}`, ""), Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"a": "[finance own pii secret]",
		"b": "[health]",
		"c": "[finance health own pii secret]",
		"d": "[finance health own pii secret]",
		"e": "[health own z]",
	}
	for _, it := range p.ints {
		if got := fmt.Sprint(it.labels); got != want[it.id] {
			t.Errorf("labels of %s got: %s want: %s", it.id, got, want[it.id])
		}
	}
}

func TestMemoryAccess(t *testing.T) {
	tests := []struct {
		policy, access string
		denied         bool
	}{
		{"internal", "internal", false},
		{"internal", "public", false},
		{"operator", "internal", true},
		{"operator", "operator", false},
		{"public", "operator", true},
		{"public", "public", false},
	}
	for _, tt := range tests {
		t.Run(tt.policy+"/"+tt.access, func(t *testing.T) {
			g := fmt.Sprintf(`{"nodes":[{"id":"i","kind":"intent"},{"id":"m","kind":"memory","accessPolicy":%q},{"id":"r","kind":"resource","provider":"p"}],
				"edges":[{"from":"i","to":"m","kind":"requires"}]}`, tt.access)
			p := mustOptimize(t, input(t, g, fmt.Sprintf(`{"constraints":{"memoryPolicy":%q}}`, tt.policy), ""))
			denied := p.Infeasibility != nil && p.Infeasibility.Code == InfeasibleMemory
			if denied != tt.denied || p.Feasible == tt.denied {
				t.Errorf("got: %s want denied=%v", planJSON(p), tt.denied)
			}
		})
	}
	// Observed (not required) memories are not access-checked.
	g := `{"nodes":[{"id":"i","kind":"intent"},{"id":"m","kind":"memory"},{"id":"r","kind":"resource","provider":"p"}],
		"edges":[{"from":"i","to":"m","kind":"observes"}]}`
	if p := mustOptimize(t, input(t, g, `{"constraints":{"memoryPolicy":"public"}}`, "")); !p.Feasible {
		t.Errorf("observing an internal memory under a public policy: got: %s want: feasible", planJSON(p))
	}
}
