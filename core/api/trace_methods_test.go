package api_test

import (
	"encoding/json"
	"testing"

	"github.com/convergence-io/ceg/core/api"
)

// TestTraceLogLimits: stand-alone logs have the limits of graph handles —
// live logs (MaxHandles), records per log (MaxNodes), records across logs
// (MaxTotalNodes) — and dropping a log frees its share.
func TestTraceLogLimits(t *testing.T) {
	e := api.New(api.Limits{MaxHandles: 2, MaxNodes: 2, MaxTotalNodes: 3})
	for i, want := range []string{"", "", "LIMIT_EXCEEDED"} {
		if got := errCode(call(t, e, "trace.create", ``)); got != want {
			t.Errorf("create %d got: %q want: %q", i+1, got, want)
		}
	}
	for i, want := range []string{"", "", "LIMIT_EXCEEDED"} {
		if got := errCode(call(t, e, "trace.append", `"log":"l1","event":"e"`)); got != want {
			t.Errorf("append %d to l1 got: %q want: %q", i+1, got, want)
		}
	}
	for i, want := range []string{"", "LIMIT_EXCEEDED"} {
		if got := errCode(call(t, e, "trace.append", `"log":"l2","event":"e"`)); got != want {
			t.Errorf("append %d to l2 got: %q want: %q (3 records across logs)", i+1, got, want)
		}
	}
	call(t, e, "trace.drop", `"log":"l1"`)
	if got := errCode(call(t, e, "trace.append", `"log":"l2","event":"e"`)); got != "" {
		t.Errorf("after drop got: %q want: room again", got)
	}
	if got := errCode(call(t, e, "trace.create", ``)); got != "" {
		t.Errorf("create after drop got: %q", got)
	}
}

// TestTraceHostEventsInSession: a host event in a session's trace chains
// with the executor's records, survives snapshot and restore, and the
// session runs on; the replayed records verify.
func TestTraceHostEventsInSession(t *testing.T) {
	e := api.New(api.Limits{})
	resultOf(t, call(t, e, "exec.start", chatParams))
	app := resultOf(t, call(t, e, "trace.append", `"session":"s1","event":"user_feedback","data":{"score":5},"causalParent":"t-000001"`))
	id := app["id"].(string)
	turn := resultOf(t, call(t, e, "exec.report", `"session":"s1","now":1000,"outcomes":[{"step":"step-intent","status":"ok","latencyMs":900}]`))
	if turn["status"] != "complete" {
		t.Fatalf("got: %v want: complete", turn["status"])
	}
	// The snapshot is passed on as bytes: a Go map would reorder the keys
	// inside trace data, and record hashes cover their order.
	var snap struct {
		Result struct {
			Snapshot json.RawMessage `json:"snapshot"`
		} `json:"result"`
	}
	raw := e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"exec.snapshot","params":{"session":"s1"}}`))
	if err := json.Unmarshal(raw, &snap); err != nil {
		t.Fatal(err)
	}
	restored := resultOf(t, call(t, e, "exec.restore", `"snapshot":`+string(snap.Result.Snapshot)))
	chain := resultOf(t, call(t, e, "trace.causalChain", `"session":"`+restored["session"].(string)+`","id":"`+id+`"`))
	recs := chain["records"].([]any)
	if len(recs) != 2 || recs[1].(map[string]any)["event"] != "user_feedback" {
		t.Errorf("got: %v want: session_start then user_feedback", recs)
	}
	var all struct {
		Result struct {
			Records json.RawMessage `json:"records"`
		} `json:"result"`
	}
	if err := json.Unmarshal(e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"trace.replay","params":{"session":"s1"}}`)), &all); err != nil {
		t.Fatal(err)
	}
	v := resultOf(t, call(t, e, "trace.verify", `"records":`+string(all.Result.Records)))
	if v["valid"] != true {
		t.Errorf("got: %v want: the session's trace with a host event verifies", v)
	}
}

// TestCapabilityHandleLimits: dilation fields, oscillation guards and swap
// registries are handles with the graph handle limit (MaxHandles each), and
// a field holds at most MaxNodes ids.
func TestCapabilityHandleLimits(t *testing.T) {
	e := api.New(api.Limits{MaxHandles: 1, MaxNodes: 1})
	for _, m := range []string{"field.create", "guard.create", "registry.create"} {
		if got := errCode(call(t, e, m, ``)); got != "" {
			t.Fatalf("%s: got: %s", m, got)
		}
		if got := errCode(call(t, e, m, ``)); got != "LIMIT_EXCEEDED" {
			t.Errorf("%s past the limit: got: %q want: LIMIT_EXCEEDED", m, got)
		}
	}
	up := `"field":"f1","uncertainty":0,"costPressure":0,"confidence":0,"id":`
	if got := errCode(call(t, e, "field.update", up+`"a"`)); got != "" {
		t.Fatalf("first id: got: %s", got)
	}
	if got := errCode(call(t, e, "field.update", up+`"a"`)); got != "" {
		t.Errorf("same id again: got: %s want: room (it is already held)", got)
	}
	if got := errCode(call(t, e, "field.update", up+`"b"`)); got != "LIMIT_EXCEEDED" {
		t.Errorf("second id: got: %q want: LIMIT_EXCEEDED", got)
	}
	call(t, e, "field.drop", `"field":"f1"`)
	if got := errCode(call(t, e, "field.create", ``)); got != "" {
		t.Errorf("after drop: got: %q", got)
	}
}
