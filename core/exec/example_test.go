package exec_test

import (
	"fmt"

	"github.com/convergence-io/ceg/core/exec"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/trace"
)

// A host-driven chat turn: the engine dispatches the cheaper provider, the
// host reports an error, the engine fails over, the host reports success.
func Example() {
	g := graph.New()
	_ = g.AddNode(&graph.Node{ID: "gpt", Kind: graph.KindResource, Provider: "openai", CostPerToken: 0.00001})
	_ = g.AddNode(&graph.Node{ID: "claude", Kind: graph.KindResource, Provider: "anthropic", CostPerToken: 0.00002})
	s, r, err := exec.Start("turn-1", exec.Input{Graph: g, Contract: &plan.Contract{ID: "c", Intent: "hello"}}, exec.Options{})
	if err != nil {
		panic(err)
	}
	a := r.Actions[0]
	fmt.Println(a.Type, a.Step, a.Resource, a.Attempt)

	r, _ = s.Report(400, []exec.Outcome{{Step: a.Step, Status: exec.OutcomeError, Error: "502"}})
	a = r.Actions[0]
	fmt.Println(a.Type, a.Step, a.Resource, a.Attempt)

	latency := 900.0
	r, _ = s.Report(1300, []exec.Outcome{{Step: a.Step, Status: exec.OutcomeOK, LatencyMs: &latency}})
	fmt.Println(r.Status)

	valid, count, _, _ := trace.Verify(s.Trace())
	fmt.Println(valid, count)
	// Output:
	// dispatch step-intent gpt 1
	// dispatch step-intent claude 2
	// complete
	// true 11
}

// A simulation: the same machine, driven by a scenario instead of a host.
func ExampleRun() {
	g := graph.New()
	_ = g.AddNode(&graph.Node{ID: "gpt", Kind: graph.KindResource, Provider: "openai"})
	_ = g.AddNode(&graph.Node{ID: "claude", Kind: graph.KindResource, Provider: "anthropic", CostPerCall: 0.001})
	sc := &exec.Scenario{Outcomes: []exec.ScriptRule{{Provider: "openai", Status: exec.OutcomeTimeout}}}
	res, err := exec.Run("sim", exec.Input{Graph: g, Contract: &plan.Contract{ID: "c"}}, exec.Options{}, sc)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Summary.Status, res.Summary.Ticks)
	for _, rec := range res.Trace {
		if rec.Event == trace.EventDispatch || rec.Event == trace.EventFail || rec.Event == trace.EventComplete {
			fmt.Println(rec.Tick, rec.Event, string(rec.Data))
		}
	}
	// Output:
	// complete 2
	// 0 dispatch {"step":"step-intent","intent":"intent","resource":"gpt","provider":"openai","attempt":1,"deadlineMs":2000,"dilation":0.5}
	// 0 fail {"step":"step-intent","intent":"intent","resource":"gpt","provider":"openai","attempt":1,"outcome":"timeout","reason":"simulated timeout"}
	// 1 dispatch {"step":"step-intent","intent":"intent","resource":"claude","provider":"anthropic","attempt":2,"deadlineMs":2000,"dilation":0.5}
	// 1 complete {"step":"step-intent","intent":"intent","resource":"claude","provider":"anthropic","attempt":2,"outcome":"ok","latencyMs":2000,"cost":0.001,"tokens":1000}
}
