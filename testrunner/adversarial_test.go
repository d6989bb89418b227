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
		{"trace data nested 9,000 deep",
			`{"jsonrpc":"2.0","id":1,"method":"trace.verify","params":{"records":[{"id":"t-000001","tick":0,"at":0,"event":"x","actor":"a","causalParent":"","data":` +
				strings.Repeat("[", 9000) + strings.Repeat("]", 9000) + `,"prevHash":"","hash":"00"}]}}`,
			`"valid":false`},
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
