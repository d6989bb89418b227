package exec

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/state"
	"github.com/convergence-io/ceg/core/trace"
)

// chatGraph: one implicit intent (the contract's text) over two providers.
const chatGraph = `{"nodes":[
	{"id":"gpt","kind":"resource","provider":"openai","costPerToken":0.00001},
	{"id":"claude","kind":"resource","provider":"anthropic","costPerToken":0.00002}],"edges":[]}`

// swapGraph: intent i runs on r1 (openai), which declares r2 (anthropic) as
// its replacement; projection p watches i.
const swapGraph = `{"nodes":[
	{"id":"i","kind":"intent","text":"q"},
	{"id":"r1","kind":"resource","provider":"openai","costPerToken":0.00001},
	{"id":"r2","kind":"resource","provider":"anthropic","costPerToken":0.00002},
	{"id":"p","kind":"projection","sources":["i"]}],
	"edges":[{"from":"i","to":"r1","kind":"executes_on"},{"from":"r1","to":"r2","kind":"swaps_to"}]}`

func TestSingleHealthyProviderCompletes(t *testing.T) {
	g := mustGraph(t, `{"nodes":[{"id":"gpt","kind":"resource","provider":"openai","costPerToken":0.00001}],"edges":[]}`)
	res := mustRun(t, g, nil, Options{}, nil)
	if res.Summary.Status != StatusComplete || res.Summary.Ticks != 1 || !res.Summary.FinalPlanFeasible {
		t.Errorf("summary got: %s want: complete after 1 tick, feasible", enc(&res.Summary))
	}
	want := []string{"session_start:s1", "plan:s1", "dispatch:step-intent", "activate:gpt", "complete:step-intent", "session_end:s1"}
	if got := events(res.Trace); !reflect.DeepEqual(got, want) {
		t.Errorf("trace got: %v want: %v", got, want)
	}
	if !res.Steps[0].Complete {
		t.Errorf("last step complete got: false want: true")
	}
	// With no scenario the dispatch succeeds at its estimated latency and cost.
	d := data(t, find(res.Trace, trace.EventComplete, ""))
	if d["latencyMs"] != 2000.0 || d["cost"] != 0.01 || d["tokens"] != 1000.0 {
		t.Errorf("complete data got: %v want: latency 2000, cost 0.01, tokens 1000", d)
	}
}

func TestNoResourcesNeverCompletes(t *testing.T) {
	g := mustGraph(t, `{"nodes":[{"id":"i","kind":"intent","text":"q"}],"edges":[]}`)
	res := mustRun(t, g, nil, Options{MaxTicks: i64(5)}, nil)
	if res.Summary.Status != StatusMaxTicks || res.Summary.Ticks != 5 || res.Summary.FinalPlanFeasible {
		t.Errorf("summary got: %s want: max_ticks after 5 ticks, infeasible", enc(&res.Summary))
	}
	if n := count(res.Trace, trace.EventDispatch); n != 0 {
		t.Errorf("dispatches got: %d want: 0", n)
	}
	if len(res.Steps) != 5 || res.Steps[4].Complete {
		t.Errorf("steps got: %d want: 5, none complete", len(res.Steps))
	}
	if code := res.Steps[0].Plan.Infeasibility.Code; code != plan.InfeasibleNoEligible {
		t.Errorf("infeasibility got: %s want: %s", code, plan.InfeasibleNoEligible)
	}
}

func TestHardConstraintRecordedAndBlocks(t *testing.T) {
	g := mustGraph(t, `{"nodes":[
		{"id":"i","kind":"intent","text":"q"},
		{"id":"r","kind":"resource","provider":"openai"},
		{"id":"k","kind":"constraint","severity":"hard","satisfied":false}],
		"edges":[{"from":"k","to":"r","kind":"blocks"}]}`)
	res := mustRun(t, g, nil, Options{MaxTicks: i64(3)}, nil)
	if res.Summary.Status != StatusMaxTicks || res.Summary.Violations != 1 {
		t.Errorf("summary got: %s want: max_ticks with 1 violation", enc(&res.Summary))
	}
	if n := count(res.Trace, trace.EventDispatch); n != 0 {
		t.Errorf("dispatches got: %d want: 0 (the constraint blocks)", n)
	}
	v := res.Steps[0].Violations
	if len(v) != 1 || v[0].Constraint != "k" || v[0].Severity != "hard" || v[0].Resource != "r" || v[0].Step != "step-i" {
		t.Fatalf("violations got: %+v want: k on (step-i, r)", v)
	}
	if r := find(res.Trace, trace.EventViolation, "k"); r == nil || r.ID != v[0].Trace {
		t.Errorf("violation record got: %v want: id %s", r, v[0].Trace)
	}
	if len(res.Steps[1].Violations) != 0 {
		t.Errorf("a standing violation is recorded once, got %v at tick 1", res.Steps[1].Violations)
	}
}

func TestProjectionStates(t *testing.T) {
	// The original's meaning. i2 requires i1: while step-i1 runs, p2
	// (watching step-i2) is scheduled; p1 is active while step-i1 is in
	// flight and stays active once it is done (completed in the plan); then
	// p2 turns active, and a session that completes leaves both active.
	g := mustGraph(t, `{"nodes":[
		{"id":"i1","kind":"intent"},{"id":"i2","kind":"intent"},
		{"id":"r","kind":"resource","provider":"openai"},
		{"id":"p1","kind":"projection","sources":["i1"]},
		{"id":"p2","kind":"projection","sources":["step-i2"]},
		{"id":"p3","kind":"projection","sources":["nothing"]}],
		"edges":[{"from":"i2","to":"i1","kind":"requires"}]}`)
	sc := mustScenario(t, `{"outcomes":[{"tick":0,"status":"pending"},{"step":"step-i2","tick":2,"status":"pending"}]}`)
	res := mustRun(t, g, nil, Options{}, sc)
	var got []string
	for _, st := range res.Steps {
		got = append(got, enc(&st.Projections))
	}
	want := []string{
		`{"p1":"active","p2":"scheduled","p3":"inactive"}`, // tick 0: i1 in flight
		`{"p1":"active","p2":"scheduled","p3":"inactive"}`, // tick 1: i1 finishes
		`{"p1":"active","p2":"active","p3":"inactive"}`,    // tick 2: i2 runs, i1 completed
		`{"p1":"active","p2":"active","p3":"inactive"}`,    // tick 3: complete: sources stay active
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("projections got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if find(res.Trace, trace.EventActivate, "p1") == nil || find(res.Trace, trace.EventProjection, "p1") != nil {
		t.Errorf("p1 is activated once and never suspended:\n%s", dump(res.Trace))
	}
}

// TestProjectionSuspendedBySwap: a projection watching a resource that a
// swap takes out is suspended (state kept); one watching the intent stays
// active on the replacement.
func TestProjectionSuspendedBySwap(t *testing.T) {
	g := mustGraph(t, `{"nodes":[
	{"id":"i","kind":"intent","text":"q"},
	{"id":"r1","kind":"resource","provider":"openai","costPerToken":0.00001},
	{"id":"r2","kind":"resource","provider":"anthropic","costPerToken":0.00002},
	{"id":"pi","kind":"projection","sources":["i"]},
	{"id":"pr","kind":"projection","sources":["r1"]}],
	"edges":[{"from":"i","to":"r1","kind":"executes_on"},{"from":"r1","to":"r2","kind":"swaps_to"}]}`)
	sc := mustScenario(t, `{"outcomes":[{"tick":0,"status":"pending"}],"events":[{"tick":1,"provider":"openai","health":0.2}]}`)
	res := mustRun(t, g, nil, Options{}, sc)
	if res.Summary.Swaps != 1 {
		t.Fatalf("swaps got: %d want: 1", res.Summary.Swaps)
	}
	last := enc(&res.Steps[len(res.Steps)-1].Projections)
	if last != `{"pi":"active","pr":"suspended"}` {
		t.Errorf("got: %s want: pi active, pr suspended", last)
	}
	if r := find(res.Trace, trace.EventProjection, "pr"); r == nil || !strings.Contains(string(r.Data), `"reason":"swap"`) {
		t.Errorf("pr's suspension is not in the trace with reason swap:\n%s", dump(res.Trace))
	}
}

// TestProjectionSuspendedByAbort: an abort suspends what was active or
// scheduled.
func TestProjectionSuspendedByAbort(t *testing.T) {
	g := mustGraph(t, `{"nodes":[
		{"id":"i1","kind":"intent"},{"id":"i2","kind":"intent"},
		{"id":"r","kind":"resource","provider":"openai"},
		{"id":"p1","kind":"projection","sources":["i1"]},
		{"id":"p2","kind":"projection","sources":["i2"]},
		{"id":"k","kind":"constraint","severity":"critical","satisfied":true}],
		"edges":[{"from":"k","to":"r","kind":"blocks"},{"from":"i2","to":"i1","kind":"requires"}]}`)
	sc := mustScenario(t, `{"outcomes":[{"status":"pending"}],"events":[{"tick":2,"constraint":"k","satisfied":false}]}`)
	res := mustRun(t, g, nil, Options{}, sc)
	if res.Summary.Status != StatusAborted {
		t.Fatalf("status got: %s want: aborted", res.Summary.Status)
	}
	if last := enc(&res.Steps[len(res.Steps)-1].Projections); last != `{"p1":"suspended","p2":"suspended"}` {
		t.Errorf("got: %s want: both suspended", last)
	}
}

// TestContinuitySwapUnderActiveStep is invariant 1: r1 degrades while
// step-i is in flight on it; the step is rolled back and re-dispatched on
// r2, with the swap, rollback and new dispatch in the trace, and r1 leaves
// the graph.
func TestContinuitySwapUnderActiveStep(t *testing.T) {
	g := mustGraph(t, swapGraph)
	sc := mustScenario(t, `{"outcomes":[{"tick":0,"status":"pending"}],"events":[{"tick":1,"provider":"openai","health":0.2}]}`)
	s, err := NewScripted("s1", Input{Graph: g, Contract: contract("c1")}, Options{}, sc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartScripted(); err != nil {
		t.Fatal(err)
	}
	r, err := s.Step()
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, a := range r.Actions {
		kinds = append(kinds, a.Type+":"+a.Resource)
	}
	if want := []string{"cancel:r1", "dispatch:r2"}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("tick 1 actions got: %v want: %v", kinds, want)
	}
	if s.Graph().Node("r1") != nil || s.Graph().Node("r2") == nil {
		t.Errorf("after the swap r1 must be gone and r2 present")
	}
	if e := s.Graph().Edge(graph.Key{From: "i", To: "r2", Kind: graph.EdgeExecutesOn}); e == nil {
		t.Errorf("r2 did not take r1's executes_on edge")
	}
	got := events(r.Events)
	// activate:p closes tick 0 (the projection watches i, in flight).
	want := []string{"activate:p", "swap:r1", "rollback:step-i", "dispatch:step-i", "activate:i", "activate:r2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tick 1 events got: %v want: %v", got, want)
	}
	sw, rb, dp := r.Events[1], r.Events[2], r.Events[3]
	if rb.CausalParent != sw.ID || dp.CausalParent != rb.ID {
		t.Errorf("causality got: rollback<-%s dispatch<-%s want: rollback<-%s dispatch<-%s", rb.CausalParent, dp.CausalParent, sw.ID, rb.ID)
	}
	if st := s.byID["step-i"]; st.Status != StepActive || st.Attempt != 2 || st.Resource != "r2" || st.Failures != 0 {
		t.Errorf("step after the swap got: %+v", st)
	}
	// An outcome for the rolled-back attempt is stale and ignored.
	r, err = s.Report(s.now+1000, []Outcome{{Step: "step-i", Attempt: 1, Status: OutcomeError}, {Step: "step-i", Attempt: 2, Status: OutcomeOK}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusComplete || count(r.Events, trace.EventFail) != 0 {
		t.Errorf("after the stale error and the ok got: %s with %v want: complete, no fail", r.Status, events(r.Events))
	}
}

func TestNoSwap(t *testing.T) {
	tests := []struct {
		name  string
		graph string
		sc    string
	}{
		{"healthy", swapGraph, `{"outcomes":[{"tick":0,"status":"pending"}]}`},
		{"without candidates", `{"nodes":[{"id":"i","kind":"intent"},{"id":"r1","kind":"resource","provider":"openai"}],"edges":[]}`,
			`{"outcomes":[{"tick":0,"status":"pending"}],"events":[{"tick":1,"provider":"openai","health":0.2}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustRun(t, mustGraph(t, tt.graph), nil, Options{}, mustScenario(t, tt.sc))
			if res.Summary.Swaps != 0 || count(res.Trace, trace.EventSwap) != 0 {
				t.Errorf("swaps got: %d want: 0\n%s", res.Summary.Swaps, dump(res.Trace))
			}
			if res.Summary.Status != StatusComplete {
				t.Errorf("status got: %s want: complete", res.Summary.Status)
			}
		})
	}
	// Without candidates the trigger is recorded as refused.
	res := mustRun(t, mustGraph(t, tests[1].graph), nil, Options{}, mustScenario(t, tests[1].sc))
	if r := find(res.Trace, trace.EventSwapRefused, "r1"); r == nil || data(t, r)["reason"] != "no_candidates" {
		t.Errorf("swap_refused record got: %v want: reason no_candidates", r)
	}
}

func TestFourthSwapOfPairRefused(t *testing.T) {
	// The step stays in flight while manual swaps bounce it r1 -> r2 -> r1
	// -> r2; the fourth, at tick 4, is refused by the oscillation guard.
	sc := mustScenario(t, `{"outcomes":[{"toTick":4,"status":"pending"}],
		"events":[{"tick":1,"swap":"r1"},{"tick":2,"swap":"r2"},{"tick":3,"swap":"r1"},{"tick":4,"swap":"r2"}]}`)
	res := mustRun(t, mustGraph(t, swapGraph), nil, Options{}, sc)
	if res.Summary.Swaps != 3 {
		t.Errorf("swaps got: %d want: 3\n%s", res.Summary.Swaps, dump(res.Trace))
	}
	r := find(res.Trace, trace.EventSwapRefused, "r2")
	if r == nil || r.Tick != 4 || !strings.Contains(string(r.Data), "r1:oscillation") {
		t.Errorf("refusal got: %v want: tick 4, r1 refused for oscillation", r)
	}
	if res.Summary.Status != StatusComplete {
		t.Errorf("status got: %s want: complete", res.Summary.Status)
	}
}

func TestDwellGuard(t *testing.T) {
	// r is forbidden, so nothing runs and the session idles while r's
	// health of 0.1 keeps its D at 1.727 >= 1.5: the ninth tick is forced
	// to 0.1 and the count starts again.
	g := mustGraph(t, `{"nodes":[{"id":"i","kind":"intent"},{"id":"r","kind":"resource","provider":"slow"}],"edges":[]}`)
	st := mustState(t, `{"resources":{"health":{"slow":0.1}}}`)
	c := contract("c1")
	c.ForbiddenProviders = []string{"slow"}
	s, err := NewScripted("s1", Input{Graph: g, Contract: c, State: st}, Options{MaxTicks: i64(12)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartScripted(); err != nil {
		t.Fatal(err)
	}
	got := []float64{s.Graph().Node("r").Dilation}
	for s.Status() == StatusRunning {
		if _, err := s.Step(); err != nil {
			t.Fatal(err)
		}
		if s.Status() == StatusRunning {
			got = append(got, s.Graph().Node("r").Dilation)
		}
	}
	hi := 1.72727272727
	want := []float64{hi, hi, hi, hi, hi, hi, hi, hi, 0.1, hi, hi, hi} // ticks 0..11
	if !reflect.DeepEqual(got, want) {
		t.Errorf("D of r per tick got: %v want: %v", got, want)
	}
}

func TestBreakerOpensAndProbes(t *testing.T) {
	// Three parallel intents all prefer gpt (cheaper); openai fails all
	// three at tick 0: the circuit opens for 30 s, they fail over to claude,
	// and the plan rejects gpt as RESOURCE_DOWN until the probe is due.
	g := mustGraph(t, `{"nodes":[
		{"id":"a","kind":"intent"},{"id":"b","kind":"intent"},{"id":"c","kind":"intent"},
		{"id":"gpt","kind":"resource","provider":"openai","costPerToken":0.00001},
		{"id":"claude","kind":"resource","provider":"anthropic","costPerToken":0.00002}],"edges":[]}`)
	s, r, err := Start("s1", Input{Graph: g, Contract: contract("c1"), State: mustState(t, `{"now":1000}`)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Actions) != 3 || r.Actions[0].Resource != "gpt" || r.Actions[0].DeadlineMs != 2000 || r.Actions[0].Grounding == nil {
		t.Fatalf("tick 0 actions got: %+v want: three dispatches on gpt with deadline 2000 and grounding", r.Actions)
	}
	var outs []Outcome
	for _, a := range r.Actions {
		outs = append(outs, Outcome{Step: a.Step, Status: OutcomeError})
	}
	r, err = s.Report(2000, outs)
	if err != nil {
		t.Fatal(err)
	}
	b := s.Breaker("openai")
	if b.State != state.CircuitOpen || b.OpenUntil != 32000 || b.Level != 1 {
		t.Errorf("breaker got: %+v want: circuit_open until 32000, level 1", b)
	}
	for _, a := range r.Actions {
		if a.Resource != "claude" || a.Attempt != 2 {
			t.Errorf("tick 1 action got: %+v want: retry on claude, attempt 2", a)
		}
	}
	if rej := s.fresh["a"]["gpt"]; rej.Reason != plan.ReasonResourceDown {
		t.Errorf("gpt at tick 1 got: %+v want: RESOURCE_DOWN", rej)
	}
	if find(r.Events, trace.EventBreaker, "openai") == nil {
		t.Errorf("no breaker record in %v", events(r.Events))
	}
}

func TestMaxAttemptsAndDependentsCancelled(t *testing.T) {
	// step-a has two candidates (two attempts); both fail, so step-a fails
	// and step-b, which requires a, is cancelled; the session fails.
	g := mustGraph(t, `{"nodes":[
		{"id":"a","kind":"intent"},{"id":"b","kind":"intent"},
		{"id":"r1","kind":"resource","provider":"p1"},{"id":"r2","kind":"resource","provider":"p2"}],
		"edges":[{"from":"b","to":"a","kind":"requires"}]}`)
	sc := mustScenario(t, `{"outcomes":[{"step":"step-a","status":"error"}]}`)
	res := mustRun(t, g, nil, Options{}, sc)
	if res.Summary.Status != StatusFailed {
		t.Errorf("status got: %s want: failed", res.Summary.Status)
	}
	got := events(res.Trace)
	// plan:s1 at tick 1: the waiting step-b moves off r1, now degraded.
	want := []string{"session_start:s1", "plan:s1", "dispatch:step-a", "activate:a", "activate:r1", "fail:step-a", "breaker:p1", "retry:step-a",
		"plan:s1", "dispatch:step-a", "activate:a", "activate:r2", "fail:step-a", "breaker:p2", "fail:step-a", "cancel:step-b", "session_end:s1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("trace got:\n%v\nwant:\n%v", got, want)
	}
	last := find(res.Trace[13:], trace.EventFail, "step-a")
	if d := data(t, last); d["status"] != StepFailed || !strings.Contains(d["reason"].(string), "exhausted after 2") {
		t.Errorf("final fail data got: %v", d)
	}
}

func TestMaxAttemptsCappedAtFive(t *testing.T) {
	doc := `{"nodes":[{"id":"i","kind":"intent"}`
	for _, p := range []string{"p1", "p2", "p3", "p4", "p5", "p6", "p7"} {
		doc += `,{"id":"r-` + p + `","kind":"resource","provider":"` + p + `"}`
	}
	doc += `],"edges":[]}`
	res := mustRun(t, mustGraph(t, doc), nil, Options{}, mustScenario(t, `{"outcomes":[{"status":"timeout"}]}`))
	if n := count(res.Trace, trace.EventDispatch); n != 5 || res.Summary.Status != StatusFailed {
		t.Errorf("dispatches got: %d (%s) want: 5, failed", n, res.Summary.Status)
	}
}

func TestHostProtocolErrors(t *testing.T) {
	g := mustGraph(t, chatGraph)
	s, r, err := Start("s1", Input{Graph: g, Contract: contract("c1"), State: mustState(t, `{"now":5000}`)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Tick != 0 || r.Status != StatusRunning || len(r.Actions) != 1 {
		t.Fatalf("start got: %s", enc(r))
	}
	tests := []struct {
		name string
		now  float64
		outs []Outcome
		code string
		path string
	}{
		{"unknown step", 6000, []Outcome{{Step: "nope", Status: OutcomeOK}}, errs.CodeInvalidParams, "outcomes[0].step"},
		{"bad status", 6000, []Outcome{{Step: "step-intent", Status: "done"}}, errs.CodeInvalidParams, "outcomes[0].status"},
		{"future attempt", 6000, []Outcome{{Step: "step-intent", Attempt: 2, Status: OutcomeOK}}, errs.CodeInvalidParams, "outcomes[0].attempt"},
		{"negative latency", 6000, []Outcome{{Step: "step-intent", Status: OutcomeOK, LatencyMs: ptr(-1.0)}}, errs.CodeInvalidParams, "outcomes[0].latencyMs"},
		{"time goes backwards", 4000, nil, errs.CodeInvalidParams, "now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Report(tt.now, tt.outs)
			var e *errs.Error
			if !errors.As(err, &e) || e.Code != tt.code || e.Path != tt.path {
				t.Errorf("Report got: %v want: %s at %s", err, tt.code, tt.path)
			}
		})
	}
	if s.Tick() != 0 || len(s.Trace()) != len(r.Events) {
		t.Errorf("a rejected report changed the session")
	}
	r, err = s.Report(6000, []Outcome{{Step: "step-intent", Status: OutcomeOK, LatencyMs: ptr(800.0), Cost: ptr(0.002), Tokens: ptr(150.0)}})
	if err != nil || r.Status != StatusComplete {
		t.Fatalf("report got: %v, %v want: complete", r, err)
	}
	if d := data(t, find(r.Events, trace.EventComplete, "")); d["latencyMs"] != 800.0 || d["cost"] != 0.002 || d["tokens"] != 150.0 {
		t.Errorf("complete data got: %v want: the reported numbers", d)
	}
	if b := s.Breaker("openai"); b.LatencyEmaMs != 800 || b.Samples != 1 {
		t.Errorf("breaker got: %+v want: EMA seeded with 800", b)
	}
	if _, err := s.Report(7000, nil); !errors.Is(err, &errs.Error{Code: errs.CodeSessionClosed}) {
		t.Errorf("report after the end got: %v want: SESSION_CLOSED", err)
	}
}

func TestDeadlineTimesOut(t *testing.T) {
	s, r, err := Start("s1", Input{Graph: mustGraph(t, chatGraph), Contract: contract("c1")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	deadline := r.Actions[0].DeadlineMs
	r, err = s.Report(deadline, nil) // exactly at the deadline: still in flight
	if err != nil || len(r.Actions) != 0 {
		t.Fatalf("report at the deadline got: %v, %v want: no action", r, err)
	}
	r, err = s.Report(deadline+1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f := find(r.Events, trace.EventFail, "step-intent"); f == nil || data(t, f)["outcome"] != OutcomeTimeout {
		t.Errorf("got: %v want: a timeout fail record", events(r.Events))
	}
	if len(r.Actions) != 1 || r.Actions[0].Resource != "claude" || r.Actions[0].Attempt != 2 {
		t.Errorf("actions got: %+v want: retry on claude", r.Actions)
	}
}

// TestCriticalViolationAborts is invariant 3 (constraint dominance): a
// critical constraint turns false while a step is in flight: the session
// aborts, the attempt is rolled back (the host is told to cancel it), and
// nothing else is dispatched.
func TestCriticalViolationAborts(t *testing.T) {
	g := mustGraph(t, `{"nodes":[
		{"id":"i1","kind":"intent"},{"id":"i2","kind":"intent"},
		{"id":"r","kind":"resource","provider":"openai"},
		{"id":"k","kind":"constraint","severity":"critical","satisfied":true}],
		"edges":[{"from":"k","to":"r","kind":"blocks"},{"from":"i2","to":"i1","kind":"requires"}]}`)
	sc := mustScenario(t, `{"outcomes":[{"status":"pending"}],"events":[{"tick":2,"constraint":"k","satisfied":false}]}`)
	s, err := NewScripted("s1", Input{Graph: g, Contract: contract("c1")}, Options{}, sc)
	if err != nil {
		t.Fatal(err)
	}
	s.record = true
	if _, err := s.StartScripted(); err != nil {
		t.Fatal(err)
	}
	var last *TickResult
	for s.Status() == StatusRunning {
		if last, err = s.Step(); err != nil {
			t.Fatal(err)
		}
	}
	if s.Status() != StatusAborted || s.Tick() != 2 {
		t.Fatalf("status got: %s at tick %d want: aborted at tick 2", s.Status(), s.Tick())
	}
	got := events(last.Events)
	// Both steps are bound to r: each pair is a violation.
	want := []string{"violation:k", "violation:k", "abort:s1", "rollback:step-i1", "cancel:step-i2", "session_end:s1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tick 2 events got: %v want: %v", got, want)
	}
	if len(last.Actions) != 1 || last.Actions[0].Type != ActionCancel || last.Actions[0].Step != "step-i1" {
		t.Errorf("actions got: %+v want: cancel step-i1", last.Actions)
	}
	ab := find(last.Events, trace.EventAbort, "")
	if ab.CausalParent != last.Events[0].ID || last.Events[3].CausalParent != ab.ID {
		t.Errorf("abort must descend from the violation and the rollback from the abort")
	}
	if s.Graph().Node("i1").Active || s.Graph().Node("r").Active {
		t.Errorf("aborted work left nodes active")
	}
	res := s.RunResult()
	if res.Summary.Violations != 2 || res.Steps[2].Violations[0].Severity != "critical" {
		t.Errorf("summary got: %s violations %+v", enc(&res.Summary), res.Steps[2].Violations)
	}
}

func TestHardViolationMidRunRebinds(t *testing.T) {
	// A hard constraint on r1 turns false after planning: the pending step
	// is recorded as violating it and re-planned onto r2; nothing aborts.
	g := mustGraph(t, `{"nodes":[
		{"id":"i1","kind":"intent"},{"id":"i2","kind":"intent"},
		{"id":"r1","kind":"resource","provider":"p1"},
		{"id":"r2","kind":"resource","provider":"p2","costPerCall":0.001},
		{"id":"k","kind":"constraint","severity":"hard"}],
		"edges":[{"from":"k","to":"r1","kind":"blocks"},{"from":"i2","to":"i1","kind":"requires"}]}`)
	sc := mustScenario(t, `{"events":[{"tick":1,"constraint":"k","satisfied":false}]}`)
	res := mustRun(t, g, nil, Options{}, sc)
	if res.Summary.Status != StatusComplete || res.Summary.Violations != 1 {
		t.Fatalf("summary got: %s want: complete with 1 violation\n%s", enc(&res.Summary), dump(res.Trace))
	}
	v := res.Steps[1].Violations
	if len(v) != 1 || v[0].Step != "step-i2" || v[0].Resource != "r1" || v[0].Severity != "hard" {
		t.Errorf("violations got: %+v", v)
	}
	for _, r := range res.Trace {
		if r.Event == trace.EventDispatch && strings.Contains(string(r.Data), `"step":"step-i2"`) && !strings.Contains(string(r.Data), `"resource":"r2"`) {
			t.Errorf("step-i2 dispatched off r2: %s", r.Data)
		}
	}
}

// TestTraceComplete is invariant 2: across runs with swaps, failures and
// projections, every node that was ever active has an activate record,
// every active node at any boundary has one (checked by the machine), and
// every trace verifies.
func TestTraceComplete(t *testing.T) {
	res := mustRun(t, mustGraph(t, swapGraph), nil, Options{}, mustScenario(t, `{"outcomes":[{"tick":0,"status":"pending"}],"events":[{"tick":1,"provider":"openai","health":0.2}]}`))
	activated := map[string]bool{}
	for _, r := range res.Trace {
		if r.Event == trace.EventActivate {
			activated[r.Actor] = true
		}
	}
	for _, id := range []string{"i", "r1", "r2", "p"} {
		if !activated[id] {
			t.Errorf("node %s was active without an activate record", id)
		}
	}
	// Nodes that arrive active get their record at session start.
	g := mustGraph(t, `{"nodes":[{"id":"m","kind":"memory","active":true},{"id":"r","kind":"resource","provider":"p"}],"edges":[]}`)
	res = mustRun(t, g, nil, Options{}, nil)
	if r := find(res.Trace, trace.EventActivate, "m"); r == nil || r.CausalParent != res.Trace[0].ID {
		t.Errorf("pre-active node m got: %v want: an activate record under session_start", r)
	}
}

func TestInvariantCheckerCatchesViolations(t *testing.T) {
	newSession := func(t *testing.T) *Session {
		s, _, err := Start("s1", Input{Graph: mustGraph(t, chatGraph), Contract: contract("c1")}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tests := []struct {
		name   string
		break_ func(s *Session)
		want   string
	}{
		{"active step silently dropped", func(s *Session) { s.byID["step-intent"].Status = StepPending }, "continuity"},
		{"active step on a missing resource", func(s *Session) { s.byID["step-intent"].Resource = "ghost" }, "continuity"},
		{"activation without record", func(s *Session) { s.g.Node("claude").Active = true }, "trace-complete"},
		{"dispatch under a violation", func(s *Session) {
			s.violated[violationKey("k", "step-intent", "gpt")] = true
			s.dispatchd = append(s.dispatchd, Action{Step: "step-intent", Resource: "gpt"})
		}, "constraint-dominance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSession(t)
			if err := s.checkInvariants("test"); err != nil {
				t.Fatalf("a healthy session fails its invariants: %v", err)
			}
			s.phaseLen = s.log.Len()
			s.activeAt = map[string]int{"step-intent": 1}
			tt.break_(s)
			err := s.checkInvariants("test")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("checkInvariants got: %v want: a %s violation", err, tt.want)
			}
		})
	}
}

// TestBoundedDeterminism is invariant 4: the same scripted run, including a
// seeded outcome model, gives byte-identical results; another seed differs.
func TestBoundedDeterminism(t *testing.T) {
	g := `{"nodes":[
		{"id":"a","kind":"intent"},{"id":"b","kind":"intent"},{"id":"c","kind":"intent"},
		{"id":"r1","kind":"resource","provider":"p1","costPerToken":0.00001},
		{"id":"r2","kind":"resource","provider":"p2","costPerToken":0.00002},
		{"id":"r3","kind":"resource","provider":"p3","costPerToken":0.00003},
		{"id":"v","kind":"projection","sources":["b"]}],
		"edges":[{"from":"b","to":"a","kind":"requires"},{"from":"r1","to":"r3","kind":"swaps_to"}]}`
	sc := func(seed string) string {
		return `{"seed":` + seed + `,"tickMs":5000,"model":{"errorRate":0.3,"timeoutRate":0.1,"quotaRate":0.1,"jitter":0.2},
			"events":[{"tick":2,"provider":"p1","health":0.3}]}`
	}
	runOnce := func(seed string) string {
		res := mustRun(t, mustGraph(t, g), nil, Options{MaxTicks: i64(40)}, mustScenario(t, sc(seed)))
		return enc(res)
	}
	a, b := runOnce("7"), runOnce("7")
	if a != b {
		t.Fatalf("two runs with seed 7 differ")
	}
	if c := runOnce("8"); c == a {
		t.Errorf("seeds 7 and 8 gave the same run")
	}
}

func TestExportGraphIncludesTraceNodes(t *testing.T) {
	s, _, err := Start("s1", Input{Graph: mustGraph(t, chatGraph), Contract: contract("c1")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := s.ExportGraph()
	if err != nil {
		t.Fatal(err)
	}
	nodes := g.NodesByKind(graph.KindTrace)
	if len(nodes) != len(s.Trace()) || nodes[0].Event != trace.EventSessionStart {
		t.Errorf("trace nodes got: %d want: %d", len(nodes), len(s.Trace()))
	}
	if s.Graph().NodeCount() != 2 {
		t.Errorf("export changed the working graph")
	}
}

func TestInputsNotModified(t *testing.T) {
	g := mustGraph(t, swapGraph)
	before := enc(g.Doc())
	st := mustState(t, `{"resources":{"health":{"openai":1}}}`)
	stBefore := enc(st)
	c := contract("c1")
	mustRun(t, g, st, Options{}, mustScenario(t, `{"outcomes":[{"tick":0,"status":"pending"}],"events":[{"tick":1,"provider":"openai","health":0.2}]}`))
	if enc(g.Doc()) != before || enc(st) != stBefore || c.Constraints.MaxCost != nil {
		t.Errorf("Run modified its inputs")
	}
}
