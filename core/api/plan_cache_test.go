package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/api"
)

// The per-handle plan cache (graph index, graph part of the plan id, intent
// estimates) must never change an answer: after every kind of change to a
// handle's graph, planning by handle must give the bytes that planning the
// exported graph inline gives, and the plan id must change with the graph.

const cacheGraph = `{"nodes":[
 {"id":"gpt","kind":"resource","provider":"openai","costPerToken":0.00001,"capabilities":["chat"]},
 {"id":"claude","kind":"resource","provider":"anthropic","costPerToken":0.000015,"capabilities":["chat"]},
 {"id":"mini","kind":"resource","provider":"groq","costPerToken":0.000001,"capabilities":["chat"]}],
 "edges":[{"from":"gpt","to":"mini","kind":"swaps_to"}]}`

const cacheContract = `"contract":{"id":"turn","intent":"compare the latest prices?"},"state":{"tick":3,"now":1000,"resources":{"health":{"openai":0.9}}}`

// planBoth plans over the handle and over its exported graph inline and
// returns the two plans (as raw JSON) after checking they are equal.
func planBoth(t *testing.T, e *api.Engine, step string) string {
	t.Helper()
	byHandle := result(t, e, "plan.optimize", `"handle":"g1",`+cacheContract)
	exported := result(t, e, "graph.export", `"handle":"g1"`)
	var g struct {
		Graph json.RawMessage `json:"graph"`
	}
	if err := json.Unmarshal(exported, &g); err != nil {
		t.Fatal(err)
	}
	inline := result(t, api.New(api.Limits{}), "plan.optimize", `"graph":`+string(g.Graph)+`,`+cacheContract)
	if string(byHandle) != string(inline) {
		t.Fatalf("%s: by handle got: %s\ninline want: %s", step, byHandle, inline)
	}
	return planID(t, byHandle)
}

func result(t *testing.T, e *api.Engine, method, params string) json.RawMessage {
	t.Helper()
	resp := e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"` + method + `","params":{` + params + `}}`))
	var m struct {
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(resp, &m); err != nil || m.Error != nil {
		t.Fatalf("%s: %v %s", method, err, resp)
	}
	return m.Result
}

func planID(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var r struct {
		Plan struct {
			ID string `json:"id"`
		} `json:"plan"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	return r.Plan.ID
}

func TestPlanCacheFollowsEveryChange(t *testing.T) {
	e := api.New(api.Limits{})
	result(t, e, "graph.create", `"graph":`+cacheGraph)
	seen := map[string]string{}
	check := func(step string, wantNew bool) {
		t.Helper()
		id := planBoth(t, e, step)
		if prev, ok := seen[id]; ok && wantNew {
			t.Fatalf("%s: plan id %s did not change (already seen after %s)", step, id, prev)
		}
		seen[id] = step
	}
	check("created", true)
	check("again, unchanged", false)
	steps := []struct {
		name, ops string
		wantNew   bool
	}{
		{"addNode", `{"op":"addNode","node":{"id":"local","kind":"resource","provider":"local","capabilities":["chat"]}}`, true},
		{"addEdge", `{"op":"addEdge","edge":{"from":"claude","to":"local","kind":"swaps_to"}}`, true},
		// Back to the graph after addNode: back to its plan id.
		{"removeEdge", `{"op":"removeEdge","from":"claude","to":"local","kind":"swaps_to"}`, false},
		{"swapNode to a new node", `{"op":"swapNode","oldId":"gpt","node":{"id":"gpt2","kind":"resource","provider":"openai","costPerToken":0.000002,"capabilities":["chat"]}}`, true},
		{"swapNode in place", `{"op":"swapNode","oldId":"claude","node":{"id":"claude","kind":"resource","provider":"anthropic","costPerToken":0.0000001,"capabilities":["chat"]}}`, true},
		// σ rollback of the swapped node: back to the plan before the swap.
		{"rollback", `{"op":"rollback","id":"claude"}`, false},
		{"advanceTick", `{"op":"advanceTick"}`, true},
		{"removeNode", `{"op":"removeNode","id":"mini"}`, true},
	}
	for _, s := range steps {
		result(t, e, "graph.apply", `"handle":"g1","ops":[`+s.ops+`]`)
		check(s.name, s.wantNew)
	}
	// A failing apply rolls back: the graph is as before, and so is the plan.
	before := planBoth(t, e, "before a failing apply")
	resp := e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"graph.apply","params":{"handle":"g1","ops":[` +
		`{"op":"removeNode","id":"local"},{"op":"removeNode","id":"nope"}]}}`))
	if got := errCode(decode(t, resp)); got != "UNKNOWN_NODE" {
		t.Fatalf("failing apply got: %s", resp)
	}
	if got := planBoth(t, e, "after a rolled-back apply"); got != before {
		t.Errorf("after a rolled-back apply got: %s want: %s", got, before)
	}
	// A dilation field applied to the handle changes its nodes in place
	// (through the graph's methods): the plan follows it.
	result(t, e, "field.create", ``)
	result(t, e, "field.fromHealth", `"field":"f1","id":"claude","health":0.2,"latencyRatio":3`)
	result(t, e, "field.apply", `"field":"f1","handle":"g1"`)
	check("field.apply", true)
	before = planBoth(t, e, "after field.apply")
	// A session over the handle works on its own copy of the graph: its
	// updates (dilation, activity, projections) do not reach the handle.
	result(t, e, "exec.run", `"handle":"g1",`+cacheContract)
	if got := planBoth(t, e, "after exec.run"); got != before {
		t.Errorf("after exec.run got: %s want: %s", got, before)
	}
}

// TestPlanCacheEstimates plans many distinct intent texts over one handle
// (more than the estimate cache holds) and checks every answer against a
// fresh engine.
func TestPlanCacheEstimates(t *testing.T) {
	e := api.New(api.Limits{})
	result(t, e, "graph.create", `"graph":`+cacheGraph)
	texts := []string{"hi", "compare the latest prices?", "why? maybe??", "what is the news today", "not sure, verify"}
	for i := 0; i < 200; i++ {
		text := texts[i%len(texts)]
		if i%3 == 0 {
			text += " " + string(rune('a'+i%26)) + string(rune('a'+i/26))
		}
		params := `"contract":{"id":"t","intent":"` + text + `"}`
		got := result(t, e, "plan.optimize", `"handle":"g1",`+params)
		want := result(t, api.New(api.Limits{}), "plan.optimize", `"graph":`+cacheGraph+`,`+params)
		if string(got) != string(want) {
			t.Fatalf("text %q got: %s want: %s", text, got, want)
		}
	}
}

func decode(t *testing.T, resp []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(resp, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRouteSelect checks the lean answer against the full plan it is a view
// of: same id, feasibility, choices and failover order.
func TestRouteSelect(t *testing.T) {
	e := api.New(api.Limits{})
	result(t, e, "graph.create", `"graph":`+cacheGraph)
	var full struct {
		Plan struct {
			ID       string `json:"id"`
			Feasible bool   `json:"feasible"`
			Steps    []struct {
				Intent, Resource, Provider string
				Fallbacks                  []struct{ Resource, Provider string }
				Grounding                  map[string]any
			} `json:"steps"`
		} `json:"plan"`
	}
	var lean struct {
		Route struct {
			ID       string `json:"id"`
			Feasible bool   `json:"feasible"`
			Steps    []struct {
				Intent, Resource, Provider string
				Failover                   []struct{ Resource, Provider string }
				Grounding                  map[string]any
			} `json:"steps"`
		} `json:"route"`
	}
	if err := json.Unmarshal(result(t, e, "plan.optimize", `"handle":"g1",`+cacheContract), &full); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(result(t, e, "plan.optimize", `"handle":"g1","select":"route",`+cacheContract), &lean); err != nil {
		t.Fatal(err)
	}
	p, r := full.Plan, lean.Route
	if p.ID != r.ID || p.Feasible != r.Feasible || len(p.Steps) != 1 || len(r.Steps) != 1 {
		t.Fatalf("route got: %+v want a view of: %+v", r, p)
	}
	fs, rs := p.Steps[0], r.Steps[0]
	if fs.Intent != rs.Intent || fs.Resource != rs.Resource || fs.Provider != rs.Provider || len(fs.Fallbacks) != len(rs.Failover) || len(rs.Failover) == 0 {
		t.Fatalf("route step got: %+v want a view of: %+v", rs, fs)
	}
	for i := range fs.Fallbacks {
		if fs.Fallbacks[i].Resource != rs.Failover[i].Resource || fs.Fallbacks[i].Provider != rs.Failover[i].Provider {
			t.Errorf("failover[%d] got: %+v want: %+v", i, rs.Failover[i], fs.Fallbacks[i])
		}
	}
	if len(rs.Grounding) != 4 {
		t.Errorf("grounding got: %v", rs.Grounding)
	}
	// An unknown select is an invalid param at "select".
	resp := e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"plan.optimize","params":{"handle":"g1","select":"steps",` + cacheContract + `}}`))
	m := decode(t, resp)
	if got := errCode(m); got != "INVALID_PARAMS" || m["error"].(map[string]any)["data"].(map[string]any)["path"] != "select" {
		t.Errorf("select \"steps\" got: %s want: INVALID_PARAMS at select", resp)
	}
	// An infeasible plan: the code, no steps.
	inf := `"contract":{"id":"c","forbiddenProviders":["openai","anthropic","groq"]}`
	resp = e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"plan.optimize","params":{"handle":"g1","select":"route",` + inf + `}}`))
	if want := `{"jsonrpc":"2.0","id":1,"result":{"route":{"id":"`; string(resp[:len(want)]) != want ||
		!strings.Contains(string(resp), `"feasible":false,"infeasibility":"NO_ELIGIBLE_RESOURCES","steps":[]}}}`) {
		t.Errorf("infeasible route got: %s", resp)
	}
}
