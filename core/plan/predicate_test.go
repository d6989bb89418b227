package plan

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/errs"
)

const predGraph = `{"nodes":[
	{"id":"i","kind":"intent","tokens":500,"labels":["pii"],"text":"hello","dilation":1.5},
	{"id":"r","kind":"resource","provider":"openai","costPerToken":0.00001,"costPerCall":0.001,"latencyTargetMs":1500,"meta":{"region":"eu","tier":2}},
	{"id":"k","kind":"constraint","severity":"%s","predicate":%q}],"edges":[]}`

const predState = `{"tick":5,"now":1000,"resources":{"health":{"openai":0.9},"latencyMs":{"openai":1200},
	"breakers":{"openai":{"state":"degraded","errors":1,"level":0}}},"memory":{"activeNodes":3,"entries":7},
	"policy":{"activeConstraints":["k"],"napProfile":"strict"}}`

const predContract = `{"id":"c1","constraints":{"maxCost":0.5}}`

func planPredicate(t *testing.T, severity, pred string) (*Plan, error) {
	t.Helper()
	return Optimize(input(t, fmt.Sprintf(predGraph, severity, pred), predContract, predState), Options{})
}

func TestPredicateVariables(t *testing.T) {
	preds := []string{
		`intent.id == "i" && intent.text == "hello" && intent.kind == "intent"`,
		`intent.tokens == 500`,
		`intent.dilation == 1.5`,
		`"pii" in intent.labels`,
		`resource.costPerToken == 0.00001 && resource.costPerCall == 0.001`,
		`resource.provider == "openai" && resource.id == "r" && resource.resourceKind == "llm"`,
		`resource.health == 0.9 && resource.latencyMs == 1200 && resource.latencyTargetMs == 1500`,
		`resource.instability > 0.33 && resource.instability < 0.34`,
		`resource.acceptsLabels == nil`,
		`resource.meta.region == "eu" && resource.meta.tier == 2`,
		`contract.id == "c1" && contract.constraints.maxCost == 0.5 && contract.constraints.maxLatencyMs == 10000`,
		`contract.constraints.memoryPolicy == "internal" && contract.identityScope == "operator"`,
		`contract.weights.compute == 0.4 && contract.weights.latency == 0.3`,
		`state.resources.health["openai"] == 0.9 && state.resources.latencyMs["openai"] == 1200`,
		`state.resources.breakers["openai"].errors == 1 && state.resources.breakers["openai"].state == "degraded"`,
		`state.tick == 5 && state.now == 1000`,
		`state.memory.entries == 7 && state.policy.activeConstraints[0] == "k" && state.policy.napProfile == "strict"`,
		`abs(money - 0.006) < 1e-12`,
		`dilatedLatency == 1200 * resource.dilation`,
		`resourceHealth["openai"] == 0.9 && resourceLatency["openai"] == 1200`,
		`resourceHealth["other"] == 0`,
		`memoryState.activeNodes == 3 && memoryState.entries == 7`,
		`memoryLoad == 0`, // no memory node in the graph, whatever S says
		`"k" in activeConstraints`,
	}
	for _, pred := range preds {
		t.Run(pred, func(t *testing.T) {
			p, err := planPredicate(t, "hard", pred)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Feasible {
				t.Errorf("got: %s want: feasible (the predicate holds)", planJSON(p))
			}
			q, err := planPredicate(t, "hard", "!("+pred+")")
			if err != nil {
				t.Fatal(err)
			}
			if q.Feasible || q.Infeasibility.Code != InfeasibleHard {
				t.Errorf("negated: got: %s want: HARD_CONSTRAINT_VIOLATED", planJSON(q))
			}
		})
	}
}

// TestMemoryLoadIsANumber restates the original: memoryLoad is the number
// of active memory nodes (inactive memories and other active nodes do not
// count); the module's richer view is memoryState.
func TestMemoryLoadIsANumber(t *testing.T) {
	g := `{"nodes":[
	{"id":"i","kind":"intent"},{"id":"r","kind":"resource","provider":"p","active":true},
	{"id":"m1","kind":"memory","active":true},{"id":"m2","kind":"memory","active":true},{"id":"m3","kind":"memory"},
	{"id":"k","kind":"constraint","predicate":%q}],"edges":[]}`
	for _, tt := range []struct {
		pred     string
		feasible bool
	}{
		{`memoryLoad == 2`, true},
		{`memoryLoad > 2`, false},
		{`memoryLoad * 10 < 25 && memoryState.activeNodes == 9`, true},
	} {
		p, err := Optimize(input(t, fmt.Sprintf(g, tt.pred), predContract, `{"memory":{"activeNodes":9}}`), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Feasible != tt.feasible {
			t.Errorf("%s: got: feasible %v want: %v", tt.pred, p.Feasible, tt.feasible)
		}
	}
}

func TestInvalidPredicate(t *testing.T) {
	for _, pred := range []string{
		`resource.costPerTokn > 0`, // misspelt field
		`1 +`,                      // syntax
		`resource.costPerToken`,    // not a boolean
		`now() > 0`,                // no wall clock
		`unknownVar == 1`,
	} {
		t.Run(pred, func(t *testing.T) {
			_, err := planPredicate(t, "soft", pred)
			var e *errs.Error
			if !errors.As(err, &e) || e.Code != errs.CodeInvalidPred || fmt.Sprint(e.IDs) != "[k]" {
				t.Errorf("got: %v want: INVALID_PREDICATE naming [k]", err)
			}
			if e != nil && strings.Contains(e.Message, "\n") {
				t.Errorf("message spans lines: %q", e.Message)
			}
		})
	}
}

func TestPredicateFailsClosed(t *testing.T) {
	for _, pred := range []string{
		`int("abc") > 0`,
		`resource.meta.region.x == 1`,
		`resource.meta.missing > 1`,
	} {
		t.Run(pred, func(t *testing.T) {
			p, err := planPredicate(t, "hard", pred)
			if err != nil {
				t.Fatal(err)
			}
			if p.Feasible || p.Infeasibility.Code != InfeasibleHard {
				t.Fatalf("hard: got: %s want: HARD_CONSTRAINT_VIOLATED", planJSON(p))
			}
			if d := p.Infeasibility.Candidates[0].Rejected[0].Detail; !strings.Contains(d, "failed at run time") {
				t.Errorf("detail got: %q want: a run-time failure", d)
			}
			q, err := planPredicate(t, "soft", pred)
			if err != nil {
				t.Fatal(err)
			}
			if !q.Feasible || fmt.Sprint(q.Steps[0].SoftMisses) != "[k]" {
				t.Errorf("soft: got: %s want: feasible with soft miss k", planJSON(q))
			}
		})
	}
}

func TestCompilerCache(t *testing.T) {
	c := NewCompiler(2)
	a1, err := c.Compile("money > 0")
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := c.Compile("money > 0")
	if a1 != a2 {
		t.Errorf("the same text compiled twice")
	}
	c.Compile("money > 1")
	c.Compile("money > 2")
	if c.Len() != 2 {
		t.Errorf("size got: %d want: 2", c.Len())
	}
	if a3, _ := c.Compile("money > 0"); a3 == a1 {
		t.Errorf("the oldest program was not evicted")
	}
	// A shared compiler serves many calls.
	shared := NewCompiler(0)
	for i := 0; i < 3; i++ {
		if _, err := Optimize(input(t, fmt.Sprintf(predGraph, "soft", "money < 1"), predContract, ""), Options{Compiler: shared}); err != nil {
			t.Fatal(err)
		}
	}
	if shared.Len() != 1 {
		t.Errorf("shared compiler size got: %d want: 1", shared.Len())
	}
}

// Regression: a predicate nested 100,000 parentheses deep compiled natively
// but overflowed a wasm host's call stack and trapped the instance.
func TestPredicateShapeLimits(t *testing.T) {
	deep := strings.Repeat("(", MaxPredicateDepth+1) + "true" + strings.Repeat(")", MaxPredicateDepth+1)
	ok := strings.Repeat("(", MaxPredicateDepth) + "true" + strings.Repeat(")", MaxPredicateDepth)
	long := "true" + strings.Repeat(" && true", MaxPredicateBytes/8)
	quoted := `resource.provider == "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("`
	c := NewCompiler(0)
	for _, tt := range []struct {
		name, text string
		ok         bool
	}{{"too deep", deep, false}, {"at the depth limit", ok, true}, {"too long", long, false}, {"brackets inside a string", quoted, true}} {
		_, err := c.compileConstraint("k", tt.text)
		if (err == nil) != tt.ok {
			t.Errorf("%s: got: %v want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "INVALID_PREDICATE") {
			t.Errorf("%s: got: %v want INVALID_PREDICATE", tt.name, err)
		}
	}
}
