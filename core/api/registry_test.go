package api_test

import (
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
