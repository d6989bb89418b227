package plan

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/errs"
)

// Weights that make a step's cost its money (no latency, risk or
// instability term), so tests can set costs exactly.
const moneyOnly = `"weights":{"latency":0,"compute":1,"risk":0,"instability":0}`

func reopt(t *testing.T, prev *Plan, in Input, done, active []string) (*Plan, []Change) {
	t.Helper()
	p, ch, err := Reoptimize(prev, in, done, active, Options{})
	if err != nil {
		t.Fatalf("Reoptimize: %v", err)
	}
	return p, ch
}

func changesString(ch []Change) string {
	var s []string
	for _, c := range ch {
		x := fmt.Sprintf("%s:%s->%s:%s", c.Step, c.From, c.To, c.Reason)
		if c.Candidate != "" {
			x += "(" + c.Candidate + ")"
		}
		s = append(s, x)
	}
	return strings.Join(s, " ")
}

func TestReoptimizeSameInputs(t *testing.T) {
	in := DAGWorkload(30, 6, 4)
	prev := mustOptimize(t, in)
	p, ch := reopt(t, prev, in, nil, nil)
	if !p.Feasible || len(ch) != 0 {
		t.Fatalf("got: feasible %v changes %s", p.Feasible, changesString(ch))
	}
	for i, st := range p.Steps {
		if st.Resource != prev.Steps[i].Resource {
			t.Errorf("%s moved from %s to %s", st.ID, prev.Steps[i].Resource, st.Resource)
		}
	}
	if p.ID == prev.ID {
		t.Errorf("a reoptimized plan has the id of a plain optimization")
	}
}

func TestReoptimizeHysteresis(t *testing.T) {
	g := func(bPerToken string) string {
		return `{"nodes":[{"id":"i","kind":"intent"},
			{"id":"a","kind":"resource","provider":"pa","costPerToken":0.00001},
			{"id":"b","kind":"resource","provider":"pb","costPerToken":` + bPerToken + `}],"edges":[]}`
	}
	contract := `{"id":"c",` + moneyOnly + `}`
	prev := mustOptimize(t, input(t, g("0.00002"), contract, ""))
	if prev.Steps[0].Resource != "a" {
		t.Fatalf("setup: got: %s", planJSON(prev))
	}
	tests := []struct {
		name, b, resource, changes string
	}{
		{"no cheaper candidate", "0.000011", "a", ""},
		{"3% cheaper: kept", "0.0000097", "a", "step-i:a->a:hysteresis(b)"},
		{"exactly 5% cheaper: kept", "0.0000095", "a", "step-i:a->a:hysteresis(b)"},
		{"10% cheaper: moved", "0.000009", "b", "step-i:a->b:cheaper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ch := reopt(t, prev, input(t, g(tt.b), contract, ""), nil, nil)
			if !p.Feasible || p.Steps[0].Resource != tt.resource || changesString(ch) != tt.changes {
				t.Errorf("got: %s %q want: %s %q", p.Steps[0].Resource, changesString(ch), tt.resource, tt.changes)
			}
		})
	}
	// A plain optimization has no hysteresis.
	if p := mustOptimize(t, input(t, g("0.0000097"), contract, "")); p.Steps[0].Resource != "b" {
		t.Errorf("optimize got: %s want: b", p.Steps[0].Resource)
	}
}

func TestReoptimizeBound(t *testing.T) {
	g := `{"nodes":[{"id":"x","kind":"intent"},{"id":"y","kind":"intent"},{"id":"z","kind":"intent"},
		{"id":"a","kind":"resource","provider":"pa","costPerToken":0.00001},
		{"id":"b","kind":"resource","provider":"pb","costPerToken":0.00002}],"edges":[]}`
	in := input(t, g, `{`+moneyOnly+`}`, "")
	prev := mustOptimize(t, in)
	down := input(t, g, `{`+moneyOnly+`}`, `{"resources":{"health":{"pa":0}}}`)
	p, ch := reopt(t, prev, down, []string{"step-x"}, []string{"y"}) // a step id and an intent id
	want := map[string]string{"x": "a", "y": "a", "z": "b"}
	for _, st := range p.Steps {
		if st.Resource != want[st.Intent] || st.Bound != (st.Intent != "z") {
			t.Errorf("%s got: %s bound %v want: %s", st.ID, st.Resource, st.Bound, want[st.Intent])
		}
	}
	if got := changesString(ch); got != "step-z:a->b:resource_ineligible: RESOURCE_DOWN" {
		t.Errorf("changes got: %s", got)
	}
	// The bound step on a down resource still shows why it is ineligible.
	if st := stepOf(p, "y"); len(st.Rejected) != 1 || st.Rejected[0].Resource != "a" {
		t.Errorf("bound step rejected got: %+v", st.Rejected)
	}
}

func TestReoptimizeGraphChanges(t *testing.T) {
	g1 := `{"nodes":[{"id":"x","kind":"intent"},{"id":"y","kind":"intent"},
		{"id":"a","kind":"resource","provider":"pa","costPerToken":0.00001},
		{"id":"b","kind":"resource","provider":"pb","costPerToken":0.00002}],"edges":[]}`
	prev := mustOptimize(t, input(t, g1, `{`+moneyOnly+`}`, ""))
	// a leaves the graph, y leaves, w arrives; x is done on a.
	g2 := `{"nodes":[{"id":"x","kind":"intent"},{"id":"w","kind":"intent"},
		{"id":"b","kind":"resource","provider":"pb","costPerToken":0.00002}],"edges":[]}`
	p, ch := reopt(t, prev, input(t, g2, `{`+moneyOnly+`}`, ""), []string{"step-x"}, nil)
	x := stepOf(p, "x")
	if !p.Feasible || x.Resource != "a" || x.EstimatedCost != prev.Steps[0].EstimatedCost || !x.Bound {
		t.Errorf("done step on a removed resource got: %+v", x)
	}
	if got, want := changesString(ch), "step-w:->b:new_step step-y:a->:intent_removed"; got != want {
		t.Errorf("changes got: %s want: %s", got, want)
	}
	// Without x done, x must move.
	_, ch = reopt(t, prev, input(t, g2, `{`+moneyOnly+`}`, ""), nil, nil)
	if got := changesString(ch); !strings.HasPrefix(got, "step-w:->b:new_step step-x:a->b:resource_removed") {
		t.Errorf("changes got: %s", got)
	}
}

func TestReoptimizeRebalance(t *testing.T) {
	// a: money 0.03, fast; b: money 0.01, slower: b costs more per step.
	g := `{"nodes":[{"id":"x","kind":"intent"},{"id":"y","kind":"intent"},
		{"id":"a","kind":"resource","provider":"pa","costPerCall":0.03,"latencyTargetMs":1000},
		{"id":"b","kind":"resource","provider":"pb","costPerCall":0.01,"latencyTargetMs":1300}],"edges":[]}`
	w := `"weights":{"latency":1,"compute":1,"risk":0,"instability":0}`
	prev := mustOptimize(t, input(t, g, `{"constraints":{"maxCost":0.1},`+w+`}`, ""))
	if prev.Steps[0].Resource != "a" || prev.Steps[1].Resource != "a" {
		t.Fatalf("setup got: %s", planJSON(prev))
	}
	p, ch := reopt(t, prev, input(t, g, `{"constraints":{"maxCost":0.05},`+w+`}`, ""), nil, nil)
	if !p.Feasible || changesString(ch) != "step-y:a->b:rebalanced" {
		t.Errorf("got: feasible %v changes %s", p.Feasible, changesString(ch))
	}
}

func TestReoptimizeErrors(t *testing.T) {
	in := input(t, twoProviders, `{}`, "")
	prev := mustOptimize(t, in)
	var e *errs.Error
	if _, _, err := Reoptimize(prev, in, nil, []string{"step-intent", "nope"}, Options{}); !errors.As(err, &e) || e.Path != "active[1]" {
		t.Errorf("got: %v want: INVALID_PARAMS at active[1]", err)
	}
	if _, _, err := Reoptimize(nil, in, nil, nil, Options{}); !errors.As(err, &e) || e.Path != "previous" {
		t.Errorf("got: %v want: INVALID_PARAMS at previous", err)
	}
}

// Re-optimizing a feasible plan stays feasible, whatever is done.
func TestReoptimizeStaysFeasible(t *testing.T) {
	for seed := uint64(0); seed < 20; seed++ {
		in := DAGWorkload(25, 6, seed)
		prev := mustOptimize(t, in)
		if !prev.Feasible {
			continue
		}
		var done []string
		for i, st := range prev.Steps {
			if i%3 == 0 {
				done = append(done, st.ID)
			}
		}
		p, _ := reopt(t, prev, in, done, nil)
		if !p.Feasible {
			t.Errorf("seed %d: got infeasible %+v", seed, p.Infeasibility)
		}
	}
}
