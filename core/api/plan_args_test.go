package api

import (
	"bytes"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/internal/benchdata"
)

// chatTurnWorkload returns the chat-turn-handle workload (setup and request).
func chatTurnWorkload(t testing.TB) benchdata.Workload {
	for _, w := range benchdata.Workloads() {
		if w.Name == "chat-turn-handle" {
			return w
		}
	}
	t.Fatal("no chat-turn-handle workload")
	return benchdata.Workload{}
}

// TestPlanOptimizeReusedTargetsCarryNothingOver runs a sequence of
// plan.optimize calls whose params differ in every way the reused decode
// targets (the contract, the state and its maps and breakers, the plan
// buffer) could leak one call's values into the next, and checks each
// answer against the answer of a fresh engine.
func TestPlanOptimizeReusedTargetsCarryNothingOver(t *testing.T) {
	w := chatTurnWorkload(t)
	const contract = `"contract":{"id":"chat-turn","intent":"Compare the latest pricing of the two plans?","constraints":{"maxCost":0.05,"maxLatencyMs":10000}}`
	const breakers3 = `"breakers":{"groq":{"state":"degraded","errors":1,"level":0},"local":{"state":"quota_hit","errors":0,"level":0,"openUntil":1.70000006e+12},"mistral":{"state":"circuit_open","errors":3,"level":1,"openUntil":1.70000003e+12}}`
	state := func(breakers string) string {
		return `"state":{"tick":42,"now":1.7e+12,"resources":{"health":{"anthropic":1,"groq":0.8,"openai":0.97},"latencyMs":{"anthropic":1500,"groq":900,"openai":1700}` +
			breakers + `}}`
	}
	params := []string{
		string(w.Request[bytes.Index(w.Request, []byte(`"params":`))+len(`"params":`) : len(w.Request)-1]),
		`{"handle":"g1",` + contract + `,` + state(","+breakers3) + `}`,
		`{"handle":"g1",` + contract + `,` + state(`,"breakers":{"mistral":{"state":"circuit_open","errors":3,"level":2,"openUntil":1.70000009e+12}}`) + `}`,
		`{"handle":"g1",` + contract + `,` + state("") + `}`,
		`{"handle":"g1",` + contract + `,` + state(","+breakers3) + `}`,
		`{"handle":"g1",` + contract + `}`,
		`{"handle":"g1",` + contract + `,"state":null}`,
		`{"handle":"g1","contract":{"id":"c2","intent":"hello","constraints":{"maxLatencyMs":900}},` + state("") + `}`,
		`{"handle":"g1","contract":{"id":"c3","constraints":{"maxCost":0.001}},"state":{"resources":{"health":{"OpenAI":0.5,"Groq ":0.1}}}}`,
		`{"handle":"g1","contract":{"id":"a","intent":"latest news?","constraints":{"maxCost":0.2}},"contract":{"id":"b"},"state":{"tick":1},"state":{"now":5}}`,
		`{"handle":"g1","contract":{"id":"a"},"contract":null,"contract":{"id":"d"}}`,
		`{"handle":"g1","contract":null}`,
		`{"handle":"g1"}`,
		`{"handle":"g1",` + contract + `,"state":{"resources":{"health":{"openai":2}}}}`,
		`{"handle":"g1",` + contract + `,"weights":{"latency":1},"select":"route"}`,
		`{"handle":"g1",` + contract + `,` + state(","+breakers3) + `}`,
	}
	reused := New(Limits{})
	reused.Handle(w.Setup)
	for round := 0; round < 2; round++ {
		for i, p := range params {
			req := []byte(`{"jsonrpc":"2.0","id":1,"method":"plan.optimize","params":` + p + `}`)
			fresh := New(Limits{})
			fresh.Handle(w.Setup)
			want := fresh.Handle(req)
			if got := reused.Handle(req); !bytes.Equal(got, want) {
				t.Fatalf("round %d, call %d: a reused engine answers differently\n got: %s\nwant: %s", round, i, got, want)
			}
			if round == 0 && i == 9 && !strings.Contains(string(want), `"contractId":"b"`) {
				t.Fatalf("call %d: a repeated contract member should merge into the first: %s", i, want)
			}
		}
	}
}

// TestChatTurnAllocationBudget holds a warm chat turn by handle to its
// allocation budget (issue 10: at most 20 allocations natively). It counts
// allocations, never time.
func TestChatTurnAllocationBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts are measured in the full run")
	}
	w := chatTurnWorkload(t)
	e := New(Limits{})
	e.Handle(w.Setup)
	e.Handle(w.Request)
	const budget = 20
	if n := testing.AllocsPerRun(200, func() { e.Handle(w.Request) }); n > budget {
		t.Errorf("a warm chat turn by handle allocates %.0f times, over the budget of %d", n, budget)
	}
}
