package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/api"
)

const chatParams = `"graph":{"nodes":[{"id":"gpt","kind":"resource","provider":"openai"},{"id":"claude","kind":"resource","provider":"anthropic","costPerCall":0.001}],"edges":[]},"contract":{"id":"c"}`

func call(t *testing.T, e *api.Engine, method, params string) map[string]any {
	t.Helper()
	resp := e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"` + method + `","params":{` + params + `}}`))
	var m map[string]any
	if err := json.Unmarshal(resp, &m); err != nil {
		t.Fatalf("%s: %v: %s", method, err, resp)
	}
	return m
}

func errCode(m map[string]any) string {
	e, ok := m["error"].(map[string]any)
	if !ok {
		return ""
	}
	return e["data"].(map[string]any)["code"].(string)
}

func TestSessionLimit(t *testing.T) {
	e := api.New(api.Limits{MaxSessions: 2})
	for i, want := range []string{"", "", "LIMIT_EXCEEDED"} {
		if got := errCode(call(t, e, "exec.start", chatParams)); got != want {
			t.Errorf("start %d got: %q want: %q", i+1, got, want)
		}
	}
	if got := errCode(call(t, e, "exec.close", `"session":"s1"`)); got != "" {
		t.Fatalf("close got: %s", got)
	}
	m := call(t, e, "exec.start", chatParams)
	if got := m["result"].(map[string]any)["session"]; got != "s3" {
		t.Errorf("session after a close got: %v want: s3 (ids are never reused)", got)
	}
	// A snapshot restores into a new session, within the same limit.
	snap := e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"exec.snapshot","params":{"session":"s2"}}`))
	var sm map[string]json.RawMessage
	if err := json.Unmarshal(snap, &sm); err != nil {
		t.Fatal(err)
	}
	restore := `{"jsonrpc":"2.0","id":1,"method":"exec.restore","params":` + string(sm["result"]) + `}`
	if got := string(e.Handle([]byte(restore))); !strings.Contains(got, "LIMIT_EXCEEDED") {
		t.Errorf("restore over the limit got: %s want: LIMIT_EXCEEDED", got)
	}
	call(t, e, "exec.close", `"session":"s2"`)
	if got := string(e.Handle([]byte(restore))); !strings.Contains(got, `"session":"s4"`) {
		t.Errorf("restore got: %s want: session s4", got)
	}
}

func TestSessionNodeTotals(t *testing.T) {
	e := api.New(api.Limits{MaxTotalNodes: 3})
	if got := errCode(call(t, e, "exec.start", chatParams)); got != "" {
		t.Fatalf("first start got: %s", got)
	}
	if got := errCode(call(t, e, "exec.start", chatParams)); got != "LIMIT_EXCEEDED" {
		t.Errorf("second start got: %q want: LIMIT_EXCEEDED (sessions count towards the node total)", got)
	}
}

// TestRestoredSessionAnswersIdentically drives a session and a restored
// copy of it with the same report and compares the answers byte for byte.
func TestRestoredSessionAnswersIdentically(t *testing.T) {
	e := api.New(api.Limits{})
	call(t, e, "exec.start", chatParams)
	call(t, e, "exec.report", `"session":"s1","now":100,"outcomes":[{"step":"step-intent","status":"error"}]`)
	snap := e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"exec.snapshot","params":{"session":"s1"}}`))
	var sm map[string]json.RawMessage
	if err := json.Unmarshal(snap, &sm); err != nil {
		t.Fatal(err)
	}
	if got := e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"exec.restore","params":` + string(sm["result"]) + `}`)); !strings.Contains(string(got), `"s2"`) {
		t.Fatalf("restore got: %s", got)
	}
	report := func(s string) string {
		return string(e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"exec.report","params":{"session":"` + s + `","now":900,"outcomes":[{"step":"step-intent","status":"ok","latencyMs":700}]}}`)))
	}
	a, b := report("s1"), report("s2")
	if a != b || !strings.Contains(a, `"status":"complete"`) {
		t.Errorf("original and restored sessions differ:\n%s\n%s", a, b)
	}
}
