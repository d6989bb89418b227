package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/api"
)

func resultOf(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	r, ok := m["result"].(map[string]any)
	if !ok {
		t.Fatalf("want a result, got: %v", m["error"])
	}
	return r
}

func TestListsShowSizesAndAges(t *testing.T) {
	e := api.New(api.Limits{})
	call(t, e, "graph.create", `"graph":{"nodes":[{"id":"a","kind":"intent"}],"edges":[]}`)
	call(t, e, "graph.create", `"graph":{"nodes":[],"edges":[]},"maxIdleCalls":5`)
	call(t, e, "exec.start", chatParams)
	call(t, e, "graph.query", `"handle":"g1","query":"snapshot"`)
	gl := resultOf(t, call(t, e, "graph.list", ""))
	gs := gl["graphs"].([]any)
	if len(gs) != 2 {
		t.Fatalf("graphs got: %v", gs)
	}
	g1, g2 := gs[0].(map[string]any), gs[1].(map[string]any)
	// Calls: 1 create g1, 2 create g2, 3 exec.start, 4 query g1, 5 list.
	if g1["handle"] != "g1" || g1["nodes"] != 1.0 || g1["ageCalls"] != 3.0 || g1["idleCalls"] != 0.0 || g1["bytes"].(float64) <= 0 {
		t.Errorf("g1 got: %v", g1)
	}
	if g2["handle"] != "g2" || g2["nodes"] != 0.0 || g2["ageCalls"] != 2.0 || g2["idleCalls"] != 2.0 || g2["maxIdleCalls"] != 5.0 {
		t.Errorf("g2 got: %v", g2)
	}
	tot := gl["totals"].(map[string]any)
	if tot["count"] != 2.0 || tot["calls"] != 5.0 || tot["evicted"] != 0.0 {
		t.Errorf("totals got: %v", tot)
	}
	el := resultOf(t, call(t, e, "exec.list", ""))
	ss := el["sessions"].([]any)
	if len(ss) != 1 || ss[0].(map[string]any)["session"] != "s1" || ss[0].(map[string]any)["status"] != "running" || ss[0].(map[string]any)["nodes"] != 2.0 {
		t.Errorf("sessions got: %v", ss)
	}
	if got := errCode(call(t, e, "graph.list", `"x":1`)); got != "INVALID_PARAMS" {
		t.Errorf("unknown param got: %q", got)
	}
}

// Idle eviction counts calls, never time: a handle created with
// maxIdleCalls N lives through N calls that do not name it and is gone at
// the next; any call naming it starts the count again.
func TestIdleEviction(t *testing.T) {
	e := api.New(api.Limits{})
	// Comments count, at the start of each call, the calls since each
	// object was last named.
	call(t, e, "graph.create", `"graph":{"nodes":[],"edges":[]},"maxIdleCalls":2`) // call 1
	call(t, e, "exec.start", chatParams+`,"maxIdleCalls":1`)                       // 2: g1 0
	call(t, e, "version", "")                                                      // 3: g1 1, s1 0
	call(t, e, "graph.query", `"handle":"g1","query":"snapshot"`)                  // 4: g1 2, s1 1
	if got := errCode(call(t, e, "exec.report", `"session":"s1","now":0,"outcomes":[]`)); got != "UNKNOWN_SESSION" {
		t.Errorf("session idle 2 calls with maxIdleCalls 1 got: %q", got) // 5: g1 0, s1 2 > 1: evicted
	}
	call(t, e, "version", "") // 6: g1 1
	if got := errCode(call(t, e, "graph.query", `"handle":"g1","query":"snapshot"`)); got != "" {
		t.Errorf("handle idle 2 calls with maxIdleCalls 2 got: %q", got) // 7: g1 2 = N: alive
	}
	call(t, e, "version", "") // 8: g1 0
	call(t, e, "version", "") // 9: g1 1
	call(t, e, "version", "") // 10: g1 2
	if got := errCode(call(t, e, "graph.query", `"handle":"g1","query":"snapshot"`)); got != "UNKNOWN_HANDLE" {
		t.Errorf("handle idle 3 calls with maxIdleCalls 2 got: %q", got) // 11: g1 3 > 2: evicted
	}
	tot := resultOf(t, call(t, e, "graph.list", ""))["totals"].(map[string]any)
	if tot["evicted"] != 2.0 || tot["count"] != 0.0 {
		t.Errorf("totals got: %v", tot)
	}
	for _, bad := range []string{"0", "-1", "1.5", "null", `"3"`, "1099511627777"} {
		if got := errCode(call(t, e, "graph.create", `"graph":{"nodes":[],"edges":[]},"maxIdleCalls":`+bad)); got != "INVALID_PARAMS" {
			t.Errorf("maxIdleCalls %s got: %q", bad, got)
		}
	}
}

// Regression (issue 9): a response over the budget answered LIMIT_EXCEEDED
// yet left the session it created alive, unreachable by the caller. A
// request whose answer is an error now takes back what it created.
func TestFailedResponseRollsBack(t *testing.T) {
	var nodes []string
	for i := 0; i < 40; i++ {
		nodes = append(nodes, fmt.Sprintf(`{"id":"r%02d","kind":"resource","provider":"p%02d"}`, i, i))
	}
	params := `"graph":{"nodes":[` + strings.Join(nodes, ",") + `],"edges":[]},"contract":{"id":"c","intent":"x"}`
	big := api.New(api.Limits{})
	resp := big.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"exec.start","params":{` + params + `}}`))
	// The budget applies to the result: the response less its envelope.
	size := len(resp) - strings.Index(string(resp), `"result":`) - len(`"result":`) - 1
	e := api.New(api.Limits{MaxResponseBytes: size - 1})
	if got := errCode(call(t, e, "exec.start", params)); got != "LIMIT_EXCEEDED" {
		t.Fatalf("start over the response budget got: %q", got)
	}
	if n := resultOf(t, call(t, e, "exec.list", ""))["totals"].(map[string]any)["count"]; n != 0.0 {
		t.Errorf("a session survived its failed start: %v", n)
	}
	e2 := api.New(api.Limits{MaxResponseBytes: size})
	if got := errCode(call(t, e2, "exec.start", params)); got != "" {
		t.Fatalf("start exactly at the response budget got: %q", got)
	}
	if n := resultOf(t, call(t, e2, "exec.list", ""))["totals"].(map[string]any)["count"]; n != 1.0 {
		t.Errorf("sessions got: %v", n)
	}
}

// sendRaw sends one request text and returns the response text.
func sendRaw(e *api.Engine, req string) string { return string(e.Handle([]byte(req))) }

// req is the request text of one call.
func req(id int, method, params string) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":{%s}}`, id, method, params)
}

// resultLen is the length of a response's result (what the budget counts).
func resultLen(resp string) int {
	return len(resp) - strings.Index(resp, `"result":`) - len(`"result":`) - 1
}

// Regression (issue 9): an exec.report whose answer failed (here: over the
// response budget left in a batch) had already moved the session on a
// tick, dispatched attempts the host never saw and recorded them in the
// trace. A failed report now leaves the session exactly as it was.
func TestFailedReportRollsBack(t *testing.T) {
	twin := api.New(api.Limits{})
	start := sendRaw(twin, req(1, "exec.start", chatParams))
	var st struct {
		Result struct {
			Actions []struct{ Step, Type string }
		}
	}
	if err := json.Unmarshal([]byte(start), &st); err != nil || len(st.Result.Actions) == 0 {
		t.Fatalf("start: %v %s", err, start)
	}
	a := st.Result.Actions[0]
	// An error outcome: the breaker counts it, the step moves to its fallback.
	report := req(3, "exec.report", `"session":"s1","now":1000,"outcomes":[{"step":"`+a.Step+`","attempt":1,"status":"error"}],"swaps":["claude"]`)
	snap := req(2, "exec.snapshot", `"session":"s1"`)
	before := sendRaw(twin, snap)
	want := sendRaw(twin, report)
	// The batch's budget holds the snapshot and one byte less than the report.
	limit := 1 + len(before) + resultLen(want) - 1
	e := api.New(api.Limits{MaxResponseBytes: limit})
	if got := sendRaw(e, req(1, "exec.start", chatParams)); got != start {
		t.Fatalf("start differs:\n got: %s\nwant: %s", got, start)
	}
	batch := sendRaw(e, "["+snap+","+report+"]")
	if !strings.Contains(batch, `"LIMIT_EXCEEDED"`) || !strings.HasPrefix(batch, "["+before+",") {
		t.Fatalf("batch got: %s", batch)
	}
	if got := sendRaw(e, snap); got != before {
		t.Fatalf("the failed report changed the session:\n got: %s\nwant: %s", got, before)
	}
	// The same report again, on its own, answers what it answers on a
	// session that never saw the failed one.
	if got := sendRaw(e, report); got != want {
		t.Fatalf("report after the rollback:\n got: %s\nwant: %s", got, want)
	}
}

// Regression (issue 9): a graph.apply whose answer failed left its ops
// applied. The ops are now undone with the answer.
func TestFailedApplyRollsBack(t *testing.T) {
	create := req(1, "graph.create", `"graph":{"nodes":[{"id":"a","kind":"intent"}],"edges":[]}`)
	export := req(2, "graph.export", `"handle":"g1"`)
	apply := req(3, "graph.apply", `"handle":"g1","ops":[{"op":"addNode","node":{"id":"b","kind":"intent"}},{"op":"addEdge","edge":{"from":"b","to":"a","kind":"requires"}},{"op":"removeNode","id":"a"},{"op":"advanceTick"}]`)
	twin := api.New(api.Limits{})
	sendRaw(twin, create)
	before := sendRaw(twin, export)
	want := sendRaw(twin, apply)
	e := api.New(api.Limits{MaxResponseBytes: 1 + len(before) + resultLen(want) - 1})
	sendRaw(e, create)
	if batch := sendRaw(e, "["+export+","+apply+"]"); !strings.Contains(batch, `"LIMIT_EXCEEDED"`) {
		t.Fatalf("batch got: %s", batch)
	}
	if got := sendRaw(e, export); got != before {
		t.Fatalf("the failed apply changed the graph:\n got: %s\nwant: %s", got, before)
	}
	if got := sendRaw(e, apply); got != want {
		t.Fatalf("apply after the rollback:\n got: %s\nwant: %s", got, want)
	}
}

// The engine counts the live objects that have an idle budget and walks
// its maps for evictions only while there is one. Dropping objects with
// and without a budget, twice, must keep that count exact: an object with
// a budget is still evicted on time.
func TestIdleEvictionAfterDrops(t *testing.T) {
	e := api.New(api.Limits{})
	call(t, e, "graph.create", `"graph":{"nodes":[],"edges":[]}`)                  // g1: no budget
	call(t, e, "graph.create", `"graph":{"nodes":[],"edges":[]}`)                  // g2: no budget
	call(t, e, "graph.create", `"graph":{"nodes":[],"edges":[]},"maxIdleCalls":9`) // g3
	call(t, e, "graph.create", `"graph":{"nodes":[],"edges":[]},"maxIdleCalls":1`) // g4
	call(t, e, "graph.drop", `"handle":"g1"`)                                      // g4 idle 0
	call(t, e, "graph.drop", `"handle":"g2"`)                                      // g4 idle 1
	if got := errCode(call(t, e, "graph.query", `"handle":"g4","query":"snapshot"`)); got != "UNKNOWN_HANDLE" {
		t.Errorf("g4 idle 2 calls with maxIdleCalls 1 got: %q", got)
	}
	call(t, e, "graph.drop", `"handle":"g3"`)
	call(t, e, "graph.drop", `"handle":"g3"`)
	call(t, e, "graph.create", `"graph":{"nodes":[],"edges":[]},"maxIdleCalls":1`) // g5
	call(t, e, "version", "")
	call(t, e, "version", "")
	if got := errCode(call(t, e, "graph.query", `"handle":"g5","query":"snapshot"`)); got != "UNKNOWN_HANDLE" {
		t.Errorf("g5 idle 2 calls with maxIdleCalls 1 got: %q", got)
	}
}
