package plan

import (
	"fmt"
	"strings"
	"testing"
)

// Each case plans intent "i" against resources; want maps every rejected
// resource to its reason, and the eligible ones are absent.
func TestEligibilityReasons(t *testing.T) {
	const res = `{"id":"%s","kind":"resource","provider":"%s","costPerToken":0.000001%s}`
	r := func(id, provider, extra string) string { return fmt.Sprintf(res, id, provider, extra) }
	tests := []struct {
		name     string
		intent   string // default {"id":"i","kind":"intent"}
		nodes    []string
		edges    string
		contract string
		state    string
		want     map[string]string
	}{
		{"forbidden provider", "",
			[]string{r("a", "pa", ""), r("b", "pb", "")}, "", `{"forbiddenProviders":["pa"]}`, "",
			map[string]string{"a": ReasonForbiddenProvider}},
		{"not allowed provider", "",
			[]string{r("a", "pa", ""), r("b", "pb", "")}, "", `{"allowedProviders":["pb"]}`, "",
			map[string]string{"a": ReasonNotAllowedProvider}},
		{"forbidden beats not allowed and down", "",
			[]string{r("a", "pa", `,"health":0`), r("b", "pb", "")}, "", `{"allowedProviders":["pb"],"forbiddenProviders":["pa"]}`, "",
			map[string]string{"a": ReasonForbiddenProvider}},
		{"health zero is down", "",
			[]string{r("a", "pa", `,"health":0`), r("b", "pb", "")}, "", `{}`, "",
			map[string]string{"a": ReasonResourceDown}},
		{"state health zero is down", "",
			[]string{r("a", "pa", ""), r("b", "pb", "")}, "", `{}`, `{"resources":{"health":{"pa":0}}}`,
			map[string]string{"a": ReasonResourceDown}},
		{"circuit open before openUntil is down", "",
			[]string{r("a", "pa", ""), r("b", "pb", "")}, "", `{}`, `{"now":1000,"resources":{"breakers":{"pa":{"state":"circuit_open","errors":3,"level":0,"openUntil":2000}}}}`,
			map[string]string{"a": ReasonResourceDown}},
		{"circuit open with a probe due is eligible", "",
			[]string{r("a", "pa", ""), r("b", "pb", "")}, "", `{}`, `{"now":2000,"resources":{"breakers":{"pa":{"state":"circuit_open","errors":3,"level":0,"openUntil":2000}}}}`,
			map[string]string{}},
		{"quota backoff is down", "",
			[]string{r("a", "pa", ""), r("b", "pb", "")}, "", `{}`, `{"now":1000,"resources":{"breakers":{"pa":{"state":"quota_hit","errors":0,"level":0,"openUntil":61000}}}}`,
			map[string]string{"a": ReasonResourceDown}},
		{"missing capability", `{"id":"i","kind":"intent","capabilities":["code"]}`,
			[]string{r("a", "pa", `,"capabilities":["chat"]`), r("b", "pb", `,"capabilities":["chat","code"]`)}, "", `{}`, "",
			map[string]string{"a": ReasonMissingCapability}},
		{"determinism required", "",
			[]string{r("a", "pa", `,"capabilities":["chat","code"]`), r("b", "pb", `,"capabilities":["chat","code","deterministic"]`)}, "", `{"constraints":{"determinism":true}}`, "",
			map[string]string{"a": ReasonDeterminismRequired}},
		{"external io blocked", "",
			[]string{r("a", "pa", `,"capabilities":["chat","code"],"external":true`), r("b", "pb", `,"capabilities":["chat","code"]`)}, "", `{"constraints":{"externalIo":"block"}}`, "",
			map[string]string{"a": ReasonExternalIoBlocked}},
		{"external io audit allows", "",
			[]string{r("a", "pa", `,"capabilities":["chat","code"],"external":true`)}, "", `{"constraints":{"externalIo":"audit"}}`, "",
			map[string]string{}},
		{"authority denied", "",
			[]string{r("a", "pa", `,"capabilities":["chat","code"]`), r("b", "pb", `,"capabilities":["chat","code"]`),
				`{"id":"nap","kind":"authority","policySet":[{"effect":"deny","provider":"pa"}]}`}, "", `{}`, "",
			map[string]string{"a": ReasonAuthorityDenied}},
		{"label denied", `{"id":"i","kind":"intent","labels":["pii"]}`,
			[]string{r("a", "pa", `,"capabilities":["chat","code"],"acceptsLabels":["public"]`), r("b", "pb", `,"capabilities":["chat","code"]`)}, "", `{}`, "",
			map[string]string{"a": ReasonLabelDenied}},
		{"empty acceptsLabels refuses every label", `{"id":"i","kind":"intent","labels":["pii"]}`,
			[]string{r("a", "pa", `,"capabilities":["chat","code"],"acceptsLabels":[]`), r("b", "pb", `,"capabilities":["chat","code"],"acceptsLabels":["pii","public"]`)}, "", `{}`, "",
			map[string]string{"a": ReasonLabelDenied}},
		{"hard constraint scoped to a resource", "",
			[]string{r("a", "pa", `,"capabilities":["chat","code"]`), r("b", "pb", `,"capabilities":["chat","code"]`),
				`{"id":"k","kind":"constraint","severity":"hard","satisfied":false}`}, `{"from":"k","to":"a","kind":"blocks"}`, `{}`, "",
			map[string]string{"a": ReasonConstraintViolated}},
		{"critical constraint predicate", "",
			[]string{r("a", "pa", `,"capabilities":["chat","code"],"costPerToken":0.01`), r("b", "pb", `,"capabilities":["chat","code"]`),
				`{"id":"k","kind":"constraint","severity":"critical","predicate":"money < 1"}`}, "", `{}`, "",
			map[string]string{"a": ReasonConstraintViolated}},
		{"blocked by an active node", "",
			[]string{r("a", "pa", `,"capabilities":["chat","code"]`), r("b", "pb", `,"capabilities":["chat","code"]`),
				`{"id":"lock","kind":"intent","active":true}`}, `{"from":"lock","to":"a","kind":"blocks"}`, `{"intents":["i"]}`, "",
			map[string]string{"a": ReasonBlocked}},
		{"an inactive blocker does not block", "",
			[]string{r("a", "pa", `,"capabilities":["chat","code"]`), `{"id":"lock","kind":"intent"}`}, `{"from":"lock","to":"a","kind":"blocks"}`, `{"intents":["i"]}`, "",
			map[string]string{}},
		{"an active constraint is not a blocker", "",
			[]string{r("a", "pa", `,"capabilities":["chat","code"]`), `{"id":"k","kind":"constraint","active":true,"satisfied":true}`}, `{"from":"k","to":"a","kind":"blocks"}`, `{}`, "",
			map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := tt.intent
			if it == "" {
				it = `{"id":"i","kind":"intent"}`
			}
			nodes := append([]string{it}, tt.nodes...)
			g := `{"nodes":[` + strings.Join(nodes, ",") + `],"edges":[` + tt.edges + `]}`
			p := mustOptimize(t, input(t, g, tt.contract, tt.state))
			got := rejections(p, "i")
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got: %v want: %v (plan %s)", got, tt.want, planJSON(p))
			}
			for _, st := range p.Steps {
				for _, rj := range st.Rejected {
					if rj.Detail == "" || rj.Provider == "" {
						t.Errorf("rejection %+v has no detail or provider", rj)
					}
				}
			}
		})
	}
}

func TestExecutesOnCandidates(t *testing.T) {
	g := `{"nodes":[{"id":"i","kind":"intent"},
		{"id":"a","kind":"resource","provider":"pa","costPerToken":0.00001},
		{"id":"b","kind":"resource","provider":"pb","costPerToken":0.00002},
		{"id":"c","kind":"resource","provider":"pc","costPerToken":0.000001}],
		"edges":[{"from":"i","to":"a","kind":"executes_on","weight":0.5},{"from":"i","to":"b","kind":"executes_on"}]}`
	p := mustOptimize(t, input(t, g, `{}`, ""))
	st := stepOf(p, "i")
	if st == nil || st.Resource != "a" || len(st.Fallbacks) != 1 || st.Fallbacks[0].Resource != "b" {
		t.Fatalf("got: %s want: a with fallback b only (c is not a candidate)", planJSON(p))
	}
	// The executes_on weight scales the cost: a's cost is half what it would be.
	q := mustOptimize(t, input(t, strings.Replace(g, `"weight":0.5`, `"weight":1`, 1), `{}`, ""))
	if got, want := st.Cost, stepOf(q, "i").Cost/2; got != want {
		t.Errorf("weighted cost got: %v want: %v", got, want)
	}
}

// TestEligibleOrder checks both ways evaluate orders candidates (insertion
// for short lists, a stable sort past insertionMax) against the definition:
// (soft misses, cost, resource id).
func TestEligibleOrder(t *testing.T) {
	for _, resources := range []int{insertionMax - 3, insertionMax + 1, 3 * insertionMax} {
		p, err := newProblem(DAGWorkload(40, resources, 5), Options{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		long := false
		for _, it := range p.ints {
			long = long || len(it.cands) > insertionMax
			for i := 1; i < len(it.order); i++ {
				a, b := &it.cands[it.order[i-1]], &it.cands[it.order[i]]
				if !ranksBefore(a, b) && (ranksBefore(b, a) || it.order[i-1] > it.order[i]) {
					t.Fatalf("%d resources: intent %s: candidates %d and %d out of order", resources, it.id, it.order[i-1], it.order[i])
				}
			}
		}
		if long != (resources > insertionMax) {
			t.Fatalf("%d resources: no intent had a long candidate list", resources)
		}
		p.release()
	}
}
