package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/api"
	"github.com/convergence-io/ceg/core/internal/wire"
)

// errPath returns data.path of an error response ("" when none).
func errPath(m map[string]any) string {
	e, ok := m["error"].(map[string]any)
	if !ok {
		return ""
	}
	p, _ := e["data"].(map[string]any)["path"].(string)
	return p
}

func nested(depth int) string {
	return strings.Repeat(`{"a":`, depth-1) + `{"a":1}` + strings.Repeat(`}`, depth-1)
}

// Regression (issue 9): a 51 KB request whose meta was nested 8,561 deep,
// read by a predicate, overflowed a wasm host's call stack. Every raw value
// (node and edge meta, trace data) is limited to wire.MaxRawDepth levels,
// checked while decoding, before anything walks it.
func TestRawDepthLimit(t *testing.T) {
	e := api.New(api.Limits{})
	pred := `"k","kind":"constraint","predicate":"intent.meta.a != nil"`
	graphWith := func(meta string) string {
		return `"graph":{"nodes":[{"id":"i","kind":"intent","meta":` + meta + `},{"id":"r","kind":"resource","provider":"p"},{"id":` + pred + `}],"edges":[]},"contract":{"id":"c"}`
	}
	tests := []struct {
		name, method, params, code, path string
	}{
		{"node meta at the limit", "plan.optimize", graphWith(nested(wire.MaxRawDepth)), "", ""},
		{"node meta one past the limit", "plan.optimize", graphWith(nested(wire.MaxRawDepth + 1)), "LIMIT_EXCEEDED", "graph.nodes[0].meta"},
		{"node meta 8,561 deep read by a predicate", "plan.optimize", graphWith(nested(8561)), "LIMIT_EXCEEDED", "graph.nodes[0].meta"},
		{"edge meta one past the limit", "graph.validate",
			`"graph":{"nodes":[{"id":"a","kind":"intent"},{"id":"b","kind":"intent"}],"edges":[{"from":"a","to":"b","kind":"enables","meta":` + strings.Repeat("[", 65) + strings.Repeat("]", 65) + `}]}`,
			"LIMIT_EXCEEDED", "graph.edges[0].meta"},
		{"trace data one past the limit", "trace.verify",
			`"records":[{"id":"t-000001","tick":0,"at":0,"event":"x","actor":"a","causalParent":"","data":` + strings.Repeat("[", 65) + strings.Repeat("]", 65) + `,"prevHash":"","hash":"00"}]`,
			"LIMIT_EXCEEDED", "records[0].data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := call(t, e, tt.method, tt.params)
			if got := errCode(m); got != tt.code {
				t.Fatalf("got: %q want: %q (%v)", got, tt.code, m["error"])
			}
			if got := errPath(m); got != tt.path {
				t.Errorf("path got: %q want: %q", got, tt.path)
			}
		})
	}
	if got := errCode(call(t, e, "version", "")); got != "" {
		t.Fatalf("engine unusable afterwards: %s", got)
	}
}

// memoryNode is a memory node whose content is size bytes.
func memoryNode(id string, size int) string {
	return `{"id":"` + id + `","kind":"memory","content":"` + strings.Repeat("x", size) + `"}`
}

// Regression (issue 9): 458 memory nodes of 7.5 MB content each, added one
// graph.apply at a time, are inside every count limit and ran the instance
// out of memory. Byte budgets per graph and across graphs stop it: each is
// driven to its limit (accepted) and one byte past it (LIMIT_EXCEEDED,
// nothing changed).
func TestGraphByteBudget(t *testing.T) {
	probe := api.New(api.Limits{})
	size := func(content int) int {
		r := call(t, probe, "graph.create", `"graph":{"nodes":[`+memoryNode("m", content)+`],"edges":[]}`)
		h := r["result"].(map[string]any)["handle"].(string)
		l := call(t, probe, "graph.list", "")
		for _, g := range l["result"].(map[string]any)["graphs"].([]any) {
			g := g.(map[string]any)
			if g["handle"] == h {
				return int(g["bytes"].(float64))
			}
		}
		t.Fatalf("graph.list has no %s: %v", h, l)
		return 0
	}
	one := size(1000)
	if two := size(2000); two-one != 1000 {
		t.Fatalf("content of 1000 more bytes grew the graph by %d bytes", two-one)
	}
	t.Run("per graph", func(t *testing.T) {
		e := api.New(api.Limits{MaxGraphBytes: 2 * one})
		call(t, e, "graph.create", `"graph":{"nodes":[],"edges":[]}`)
		add := func(id string, content int) map[string]any {
			return call(t, e, "graph.apply", `"handle":"g1","ops":[{"op":"addNode","node":`+memoryNode(id, content)+`}]`)
		}
		if got := errCode(add("a", 1000)); got != "" {
			t.Fatalf("first node: %s", got)
		}
		r := add("b", 1001)
		if errCode(r) != "LIMIT_EXCEEDED" || errPath(r) != "ops[0].node" {
			t.Fatalf("one byte past the budget got: %v", r["error"])
		}
		if got := errCode(add("b", 1000)); got != "" {
			t.Fatalf("exactly at the budget got: %s", got)
		}
		// An inline graph one byte over is refused too.
		r = call(t, e, "graph.validate", `"graph":{"nodes":[`+memoryNode("a", 1000)+`,`+memoryNode("b", 1001)+`],"edges":[]}`)
		if errCode(r) != "LIMIT_EXCEEDED" || errPath(r) != "graph.nodes[1]" {
			t.Fatalf("inline graph over the budget got: %v", r["error"])
		}
	})
	t.Run("across graphs and sessions", func(t *testing.T) {
		e := api.New(api.Limits{MaxTotalBytes: 3 * one})
		g := `"graph":{"nodes":[` + memoryNode("m", 1000) + `],"edges":[]}`
		for i := 0; i < 2; i++ {
			if got := errCode(call(t, e, "graph.create", g)); got != "" {
				t.Fatalf("create %d: %s", i, got)
			}
		}
		// A session copies the graph: the third copy fits exactly, a
		// fourth does not.
		if got := errCode(call(t, e, "exec.start", `"handle":"g1","contract":{"id":"c"}`)); got != "" {
			t.Fatalf("session at the budget: %s", got)
		}
		if got := errCode(call(t, e, "graph.create", g)); got != "LIMIT_EXCEEDED" {
			t.Fatalf("a graph past the budget got: %q", got)
		}
		if got := errCode(call(t, e, "graph.apply", `"handle":"g2","ops":[{"op":"addNode","node":{"id":"x","kind":"intent"}}]`)); got != "LIMIT_EXCEEDED" {
			t.Fatalf("growing a graph past the budget got: %q", got)
		}
		call(t, e, "exec.close", `"session":"s1"`)
		if got := errCode(call(t, e, "graph.create", g)); got != "" {
			t.Fatalf("after closing the session: %s", got)
		}
	})
	t.Run("issue 9: 7.5 MB memory nodes", func(t *testing.T) {
		e := api.New(api.Limits{})
		content := 7_500_000
		added, handles := 0, 0
		for handles < 10 && added < 458 {
			r := call(t, e, "graph.create", `"graph":{"nodes":[],"edges":[]}`)
			if errCode(r) != "" {
				break
			}
			handles++
			h := r["result"].(map[string]any)["handle"].(string)
			for {
				r := call(t, e, "graph.apply", `"handle":"`+h+`","ops":[{"op":"addNode","node":`+memoryNode(fmt.Sprintf("m%d", added), content)+`}]`)
				if errCode(r) == "LIMIT_EXCEEDED" {
					break
				}
				if c := errCode(r); c != "" {
					t.Fatalf("apply: %s", c)
				}
				added++
			}
		}
		want := api.DefaultLimits.MaxTotalBytes / (content + one - 1000)
		if added != want {
			t.Errorf("added %d nodes of 7.5 MB; want the budget to stop at %d", added, want)
		}
	})
}

// A session's trace grows with each report and counts against the byte
// budgets: past them a report is LIMIT_EXCEEDED before it runs, and the
// session can still be snapshotted and closed.
func TestSessionTraceCountsAgainstTheBudget(t *testing.T) {
	probe := api.New(api.Limits{})
	call(t, probe, "exec.start", chatParams)
	s := resultOf(t, call(t, probe, "exec.list", ""))["sessions"].([]any)[0].(map[string]any)
	sessionBytes := int(s["bytes"].(float64))
	call(t, probe, "graph.create", chatParams[:strings.Index(chatParams, `,"contract"`)])
	graphBytes := int(resultOf(t, call(t, probe, "graph.list", ""))["graphs"].([]any)[0].(map[string]any)["bytes"].(float64))
	if graphBytes >= sessionBytes {
		t.Fatalf("graph %d bytes, session %d: want the trace to add bytes", graphBytes, sessionBytes)
	}
	report := `"session":"s1","now":1,"outcomes":[{"step":"step-intent","attempt":1,"status":"ok"}]`
	// At the budget: the report runs.
	e := api.New(api.Limits{MaxGraphBytes: sessionBytes})
	call(t, e, "exec.start", chatParams)
	if got := errCode(call(t, e, "exec.report", report)); got != "" {
		t.Fatalf("report at the budget: %s", got)
	}
	// One byte under what the session holds: refused before it runs.
	e = api.New(api.Limits{MaxGraphBytes: sessionBytes - 1})
	call(t, e, "exec.start", chatParams)
	r := call(t, e, "exec.report", report)
	if errCode(r) != "LIMIT_EXCEEDED" || errPath(r) != "session" {
		t.Fatalf("report past the budget got: %v", r["error"])
	}
	if got := errCode(call(t, e, "exec.snapshot", `"session":"s1"`)); got != "" {
		t.Errorf("snapshot after the budget: %s", got)
	}
	if got := errCode(call(t, e, "exec.close", `"session":"s1"`)); got != "" {
		t.Errorf("close after the budget: %s", got)
	}
}

// Regression (issue 9): a lone UTF-16 surrogate escape decodes to U+FFFD,
// so two different ids or provider names sent that way became one (two
// nodes "a\ud800" and "a\udc00" collided; an allow-list entry matched
// another provider). Ids and provider names holding U+FFFD — or invalid
// UTF-8, which decodes the same way — are refused with their path.
func TestGarbledIDsAndNamesAreRefused(t *testing.T) {
	e := api.New(api.Limits{})
	res := `{"id":"r","kind":"resource","provider":"p"}`
	for _, c := range []struct{ method, params, path string }{
		{"graph.validate", `"graph":{"nodes":[{"id":"a\ud800","kind":"intent"},{"id":"a\udc00","kind":"intent"}],"edges":[]}`, "graph.nodes[0].id"},
		{"graph.validate", `"graph":{"nodes":[{"id":"r","kind":"resource","provider":"x\udfff"}],"edges":[]}`, "graph.nodes[0].provider"},
		{"graph.validate", "\"graph\":{\"nodes\":[{\"id\":\"r\",\"kind\":\"resource\",\"provider\":\"x\xff\"}],\"edges\":[]}", "graph.nodes[0].provider"},
		{"graph.validate", `"graph":{"nodes":[{"id":"k","kind":"authority","policySet":[{"effect":"deny","provider":"\ud83d"}]}],"edges":[]}`, "graph.nodes[0].policySet[0].provider"},
		{"plan.optimize", `"graph":{"nodes":[` + res + `],"edges":[]},"contract":{"id":"c","allowedProviders":["p\ud800"]}`, "contract.allowedProviders[0]"},
		{"plan.optimize", `"graph":{"nodes":[` + res + `],"edges":[]},"contract":{"id":"c","forbiddenProviders":["\udc00"]}`, "contract.forbiddenProviders[0]"},
		{"plan.optimize", `"graph":{"nodes":[` + res + `],"edges":[]},"contract":{"id":"c"},"state":{"resources":{"health":{"p\ud800":0.5}}}`, "state.resources.health.p\ufffd"},
		{"graph.validate", `"graph":{"nodes":[{"id":"i","kind":"intent","labels":["pii","\udc00"]}],"edges":[]}`, "graph.nodes[0].labels[1]"},
		{"graph.validate", `"graph":{"nodes":[{"id":"r","kind":"resource","provider":"p","capabilities":["\ud800x"]}],"edges":[]}`, "graph.nodes[0].capabilities[0]"},
		{"graph.validate", `"graph":{"nodes":[{"id":"r","kind":"resource","provider":"p","acceptsLabels":["\udfff"]}],"edges":[]}`, "graph.nodes[0].acceptsLabels[0]"},
		{"graph.validate", `"graph":{"nodes":[{"id":"k","kind":"authority","policySet":[{"effect":"allow","label":"x\udbff"}]}],"edges":[]}`, "graph.nodes[0].policySet[0].label"},
	} {
		m := call(t, e, c.method, c.params)
		er, _ := m["error"].(map[string]any)
		if er == nil {
			t.Errorf("%s %s got a result: %v", c.method, c.params, m["result"])
			continue
		}
		d := er["data"].(map[string]any)
		if d["code"] != "INVALID_PARAMS" || d["path"] != c.path || !strings.Contains(er["message"].(string), "U+FFFD") {
			t.Errorf("%s %s got: %v want: INVALID_PARAMS at %s", c.method, c.params, er, c.path)
		}
	}
	// A real U+FFFD-free non-ASCII id and a surrogate pair (an emoji) are fine.
	if got := errCode(call(t, e, "graph.validate", `"graph":{"nodes":[{"id":"\ud83d\ude00","kind":"intent"},{"id":"é","kind":"resource","provider":"p\u00e9"}],"edges":[]}`)); got != "" {
		t.Errorf("valid non-ASCII ids got: %s", got)
	}
}
