package api_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/convergence-io/ceg/core/api"
)

// TestObservePlanIsOptimize: state.observe with plan answers the route
// plan.optimize (select "route") answers for the state state.observe
// returns — same plan id, same choices — over outcome sequences that open,
// probe and close breakers, by inline graph and by handle, and with the
// breakers kept by the handle instead of sent by the host.
func TestObservePlanIsOptimize(t *testing.T) {
	graph := `{"nodes":[
		{"id":"a","kind":"resource","provider":"a","costPerToken":0.00001,"latencyTargetMs":1500,"capabilities":["chat"]},
		{"id":"b","kind":"resource","provider":"b","costPerToken":0.000004,"latencyTargetMs":1200,"capabilities":["chat"]},
		{"id":"c","kind":"resource","provider":"c","costPerCall":0.0001,"latencyTargetMs":2500,"capabilities":["chat"]}],"edges":[]}`
	contract := `{"id":"turn","intent":"chat"}`
	e := api.New(api.Limits{})
	call := func(method, params string) map[string]json.RawMessage {
		t.Helper()
		var res struct {
			Result map[string]json.RawMessage
			Error  json.RawMessage
		}
		out := e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"` + method + `","params":` + params + `}`))
		if err := json.Unmarshal(out, &res); err != nil || res.Error != nil {
			t.Fatalf("%s: %s", method, out)
		}
		return res.Result
	}
	h := call("graph.create", `{"graph":`+graph+`}`)["handle"]
	breakers := json.RawMessage(`{}`)
	statuses := []string{"error", "error", "timeout", "ok", "quota", "ok", "error", "ok"}
	for i, st := range statuses {
		now := 1000 + 20000*i
		outcome := fmt.Sprintf(`[{"provider":"%c","status":"%s","latencyMs":%d}]`, "abc"[i%3], st, 400+100*i)
		base := fmt.Sprintf(`"state":{"resources":{"breakers":%s}},"outcomes":%s,"now":%d`, breakers, outcome, now)
		full := call("state.observe", "{"+base+"}")
		for _, ref := range []string{`"graph":` + graph, `"handle":` + string(h)} {
			want := call("plan.optimize", `{`+ref+`,"contract":`+contract+`,"state":`+string(full["state"])+`,"select":"route"}`)["route"]
			got := call("state.observe", `{`+base+`,"select":"breakers","plan":{`+ref+`,"contract":`+contract+`}}`)
			if string(got["route"]) != string(want) {
				t.Fatalf("turn %d (%s): observe+plan route\n%s\nplan.optimize route\n%s", i, ref[:8], got["route"], want)
			}
			var st struct {
				Resources struct{ Breakers json.RawMessage }
			}
			if err := json.Unmarshal(full["state"], &st); err != nil {
				t.Fatal(err)
			}
			if string(got["breakers"]) != string(st.Resources.Breakers) {
				t.Fatalf("turn %d: select breakers %s, state's breakers %s", i, got["breakers"], st.Resources.Breakers)
			}
			breakers = got["breakers"]
		}
		// The same turn with the breakers kept by the handle: the same route,
		// and the observed breaker is the one the host-held breakers have.
		kept := call("state.observe", fmt.Sprintf(`{"handle":%s,"outcomes":%s,"now":%d,"select":"observed","plan":{"handle":%s,"contract":%s}}`, h, outcome, now, h, contract))
		want := call("plan.optimize", `{"handle":`+string(h)+`,"contract":`+contract+`,"state":`+string(full["state"])+`,"select":"route"}`)["route"]
		if string(kept["route"]) != string(want) {
			t.Fatalf("turn %d: route with kept breakers\n%s\nwant\n%s", i, kept["route"], want)
		}
		var all, seen map[string]json.RawMessage
		if json.Unmarshal(breakers, &all) != nil || json.Unmarshal(kept["breakers"], &seen) != nil || len(seen) != 1 {
			t.Fatalf("turn %d: observed breakers %s", i, kept["breakers"])
		}
		for p, b := range seen {
			if string(all[p]) != string(b) {
				t.Fatalf("turn %d: kept breaker %s = %s, host-held %s", i, p, b, all[p])
			}
		}
	}
}
