package plan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/graph"
)

// wideGraph has intents x resources, every resource a candidate of every
// intent (no executes_on edges), each intent asking for caps capabilities
// that no resource has.
func wideGraph(t *testing.T, intents, resources, caps int) *graph.Graph {
	t.Helper()
	g := graph.New()
	var cs []string
	for k := 0; k < caps; k++ {
		cs = append(cs, fmt.Sprintf("c%d", k))
	}
	for j := 0; j < resources; j++ {
		addTo(t, g, &graph.Node{ID: fmt.Sprintf("r%d", j), Kind: graph.KindResource, Provider: fmt.Sprintf("p%d", j)})
	}
	for i := 0; i < intents; i++ {
		addTo(t, g, &graph.Node{ID: fmt.Sprintf("i%d", i), Kind: graph.KindIntent, Capabilities: cs})
	}
	return g
}

func limitCode(err error) string {
	if e, ok := err.(*errs.Error); ok {
		return e.Code
	}
	return fmt.Sprint(err)
}

// Regression (issue 9): 4,000 intents x 4,000 resources (a 1 MB request
// inside every node limit) ran 55 s in Node and grew the instance to
// 4.2 GB of its 4 GiB, every pair a fallback or a rejection of the plan; a
// little more trapped it. The pairs and their checks are bounded before the
// work: at the limit the plan is made, one past it is LIMIT_EXCEEDED.
func TestPlanWorkIsBoundedBeforeTheWork(t *testing.T) {
	big := &Contract{ID: "c"}
	for _, c := range []struct {
		name                     string
		intents, resources, caps int
		want                     string
	}{
		{"pairs at the limit", 1000, 1000, 0, ""},
		{"pairs one intent past", 1001, 1000, 0, errs.CodeLimitExceeded},
		{"checks at the limit", 1, 1000, MaxPlanWork/1000 - 1, ""},
		{"checks past", 1, 1000, MaxPlanWork / 1000, errs.CodeLimitExceeded},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Optimize(Input{Graph: wideGraph(t, c.intents, c.resources, c.caps), Contract: big}, Options{})
			if got := limitCode(err); (err == nil && c.want != "") || (err != nil && got != c.want) {
				t.Fatalf("got: %v want: %q", err, c.want)
			}
			if err != nil && !strings.Contains(err.Error(), "executes_on") {
				t.Errorf("the error does not say how to get within the limit: %v", err)
			}
		})
	}
	// executes_on edges bring a wide graph within: each intent names one
	// resource.
	g := wideGraph(t, 1001, 1000, 0)
	for i := 0; i < 1001; i++ {
		if _, err := g.AddEdge(&graph.Edge{From: fmt.Sprintf("i%d", i), To: fmt.Sprintf("r%d", i%1000), Kind: graph.EdgeExecutesOn}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Optimize(Input{Graph: g, Contract: big}, Options{}); err != nil {
		t.Fatalf("with executes_on edges got: %v", err)
	}
	// Constraints count against the same budget: per pair, and as the
	// constraint x resource and intent x constraint tables.
	g = wideGraph(t, 1, 1000, 0)
	for k := 0; k < MaxPlanWork/1000; k++ {
		addTo(t, g, &graph.Node{ID: fmt.Sprintf("k%d", k), Kind: graph.KindConstraint, Severity: "soft"})
	}
	if _, err := Optimize(Input{Graph: g, Contract: big}, Options{}); limitCode(err) != errs.CodeLimitExceeded {
		t.Fatalf("%d constraints x 1000 resources got: %v", MaxPlanWork/1000, err)
	}
}

// Capabilities and accepted labels of a resource with many are looked up
// in a set (a pair used to cost the product of both lists: 30,000
// capabilities on each side took 5 s): the verdicts are those of the list.
func TestCapabilitySetsGiveTheListsVerdicts(t *testing.T) {
	for _, n := range []int{setMin - 1, setMin, 3 * setMin} {
		var caps, accepts []string
		for k := 0; k < n; k++ {
			caps = append(caps, fmt.Sprintf("c%d", k))
			accepts = append(accepts, fmt.Sprintf("l%d", k))
		}
		g := graph.New()
		addTo(t, g, &graph.Node{ID: "has", Kind: graph.KindResource, Provider: "a", Capabilities: caps, AcceptsLabels: &accepts})
		addTo(t, g, &graph.Node{ID: "lacks", Kind: graph.KindResource, Provider: "b", Capabilities: caps[1:]})
		addTo(t, g, &graph.Node{ID: "refuses", Kind: graph.KindResource, Provider: "c", Capabilities: caps, AcceptsLabels: &[]string{"l0"}})
		addTo(t, g, &graph.Node{ID: "i", Kind: graph.KindIntent, Capabilities: []string{"c0", caps[n-1]}, Labels: []string{"l1", accepts[n-1]}})
		addTo(t, g, &graph.Node{ID: "k", Kind: graph.KindAuthority, PolicySet: []graph.Rule{{Effect: "deny", Capability: caps[n-1], Label: accepts[n-1], Provider: "d"}}})
		p := mustOptimize(t, Input{Graph: g, Contract: &Contract{ID: "c"}})
		got := rejections(p, "i")
		if len(got) != 2 || !strings.HasPrefix(got["lacks"], ReasonMissingCapability) || !strings.HasPrefix(got["refuses"], ReasonLabelDenied) || stepOf(p, "i").Resource != "has" {
			t.Errorf("n=%d: rejections got: %v, chosen %q", n, got, stepOf(p, "i").Resource)
		}
	}
}

// A rejection's detail lists at most maxListed names: every pair has one,
// and 1,000 pairs of an intent asking for 20,000 capabilities made 140 MB
// of details.
func TestRejectionDetailsAreBounded(t *testing.T) {
	g := wideGraph(t, 1, 2, 30)
	p := mustOptimize(t, Input{Graph: g, Contract: &Contract{ID: "c"}})
	want := "lacks capabilities: c0, c1, c2, c3, c4, c5, c6, c7 and 22 more"
	if p.Infeasibility == nil || len(p.Infeasibility.Candidates) != 1 || len(p.Infeasibility.Candidates[0].Rejected) != 2 {
		t.Fatalf("want both resources rejected, got: %+v", p.Infeasibility)
	}
	for _, ir := range p.Infeasibility.Candidates {
		for _, r := range ir.Rejected {
			if r.Reason != ReasonMissingCapability || r.Detail != want {
				t.Errorf("%s: got: %s %q want: %s %q", r.Resource, r.Reason, r.Detail, ReasonMissingCapability, want)
			}
		}
	}
}
