package testrunner

import (
	"fmt"
	"strings"
	"testing"
)

// Inputs that once trapped a wasm instance (call-stack overflow) or ran for
// tens of seconds. Each must be answered, with the instance intact. Node
// runs the same shapes in bindings/js/test/adversarial.test.js (V8's stack
// is the smaller one).
func TestAdversarialInputsDoNotTrap(t *testing.T) {
	const n = 12000 // above V8's ~10,000-frame call stack
	chain := func(kind string, reverse bool) string {
		var b strings.Builder
		b.WriteString(`{"nodes":[`)
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, `{"id":"i%05d","kind":"intent","labels":["l%d"]},`, i, i%3)
		}
		b.WriteString(`{"id":"cheap","kind":"resource","provider":"a","costPerToken":0.000001,"latencyTargetMs":100},`)
		b.WriteString(`{"id":"dear","kind":"resource","provider":"b","costPerToken":0.000002,"latencyTargetMs":50}],"edges":[`)
		for i := 0; i+1 < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			from, to := i, i+1
			if reverse {
				from, to = to, from
			}
			fmt.Fprintf(&b, `{"from":"i%05d","to":"i%05d","kind":"%s"}`, from, to, kind)
		}
		b.WriteString(`]}`)
		return b.String()
	}
	tests := []struct {
		name, req, want string
	}{
		{"predicate nested 100,000 deep",
			`{"jsonrpc":"2.0","id":1,"method":"plan.optimize","params":{"graph":{"nodes":[{"id":"r","kind":"resource","provider":"p"},{"id":"k","kind":"constraint","predicate":"` +
				strings.Repeat("(", 100000) + "true" + strings.Repeat(")", 100000) + `"}],"edges":[]},"contract":{"id":"c","intent":"hi"}}}`,
			`"code":"INVALID_PREDICATE"`},
		{"branch and bound over a 12,000-intent chain",
			`{"jsonrpc":"2.0","id":1,"method":"plan.optimize","params":{"graph":` + chain("requires", true) +
				`,"contract":{"id":"c","constraints":{"maxLatencyMs":` + fmt.Sprint(n*90) + `,"maxCost":1000000000}},"weights":{"latency":0,"compute":1,"risk":0,"instability":0}}}`,
			`"feasible":true`},
		{"labels along a 12,000-intent transforms_into chain",
			`{"jsonrpc":"2.0","id":1,"method":"plan.optimize","params":{"graph":` + chain("transforms_into", false) +
				`,"contract":{"id":"c","constraints":{"maxLatencyMs":1e12,"maxCost":1000000000}}}}`,
			`"feasible":true`},
		{"trace data nested 9,000 deep (refused by the depth limit)",
			`{"jsonrpc":"2.0","id":1,"method":"trace.verify","params":{"records":[{"id":"t-000001","tick":0,"at":0,"event":"x","actor":"a","causalParent":"","data":` +
				strings.Repeat("[", 9000) + strings.Repeat("]", 9000) + `,"prevHash":"","hash":"00"}]}}`,
			`"code":"LIMIT_EXCEEDED"`},
		{"node meta nested 8,561 deep, read by a predicate",
			`{"jsonrpc":"2.0","id":1,"method":"plan.optimize","params":{"graph":{"nodes":[{"id":"i","kind":"intent","meta":` +
				strings.Repeat(`{"a":`, 8560) + `1` + strings.Repeat("}", 8560) +
				`},{"id":"r","kind":"resource","provider":"p"},{"id":"k","kind":"constraint","predicate":"intent.meta.a != nil"}],"edges":[]},"contract":{"id":"c"}}}`,
			`"code":"LIMIT_EXCEEDED"`},
	}
	m := fresh(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := m.Call([]byte(tt.req))
			if err != nil {
				t.Fatalf("the instance trapped: %v", err)
			}
			if !strings.Contains(string(resp), tt.want) {
				t.Errorf("got: %.300s want it to contain %s", resp, tt.want)
			}
		})
	}
	if m.Recreated != 0 {
		t.Errorf("the instance was recreated %d times", m.Recreated)
	}
}

// Regression (issue 9): 458 memory nodes of 7.5 MB content, added one
// graph.apply at a time, ran the instance out of memory. The byte budget
// of one graph (64 MiB) answers LIMIT_EXCEEDED at the ninth node, and the
// instance keeps working. (The 256 MiB budget across graphs, which stops
// the same loop spread over handles at 35 nodes, is driven natively in
// core/api: under wazero it would move 300 MB through the instance.)
func TestByteBudgetStopsLargeContent(t *testing.T) {
	m := fresh(t)
	content := strings.Repeat("x", 7_500_000)
	call(t, m, `{"jsonrpc":"2.0","id":1,"method":"graph.create","params":{"graph":{"nodes":[],"edges":[]}}}`)
	added := 0
	for ; added < 20; added++ {
		resp := call(t, m, fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"graph.apply","params":{"handle":"g1","ops":[{"op":"addNode","node":{"id":"m%d","kind":"memory","content":"%s"}}]}}`, added, content))
		if strings.Contains(resp, `"LIMIT_EXCEEDED"`) {
			break
		}
		if strings.Contains(resp, `"error"`) {
			t.Fatalf("apply: %.300s", resp)
		}
	}
	if added != 8 {
		t.Errorf("added %d nodes of 7.5 MB; want the 64 MiB budget to stop at 8", added)
	}
	if resp := call(t, m, `{"jsonrpc":"2.0","id":1,"method":"graph.list"}`); !strings.Contains(resp, `"nodes":8`) {
		t.Errorf("list after the budget: %.300s", resp)
	}
	if m.Recreated != 0 {
		t.Errorf("the instance was recreated %d times: %s", m.Recreated, m.Stderr())
	}
}
