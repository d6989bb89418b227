package api_test

import (
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/api"
)

// The host-state handles of issue 11 (trace logs, dilation fields,
// oscillation guards, swap registries) follow the rules of graph handles:
// ids carry the engine's epoch, they are listed with their ages, idle
// eviction and the rollback of a failed response apply, and numbers are
// range-checked and never null.

// creators are the create calls of each kind with the id field of their
// result, the list method and the list field.
var creators = []struct{ create, idField, prefix, list, listField string }{
	{"trace.create", "log", "l", "trace.list", "logs"},
	{"field.create", "field", "f", "field.list", "fields"},
	{"guard.create", "guard", "o", "guard.list", "guards"},
	{"registry.create", "registry", "r", "registry.list", "registries"},
}

func TestHostStateHandlesCarryTheEpoch(t *testing.T) {
	e := api.New(api.Limits{})
	call(t, e, "engine.setEpoch", `"epoch":"ep0ch"`)
	for _, c := range creators {
		r := resultOf(t, call(t, e, c.create, ""))
		if got, want := r[c.idField], c.prefix+"1.ep0ch"; got != want {
			t.Errorf("%s got: %v want: %s", c.create, got, want)
		}
		// The bare counter names nothing: an id of another instance never aliases.
		if got := errCode(call(t, e, c.list[:strings.IndexByte(c.list, '.')]+".drop", `"`+c.idField+`":"`+c.prefix+`1"`)); got != "UNKNOWN_HANDLE" {
			t.Errorf("%s without the epoch got: %q want: UNKNOWN_HANDLE", c.prefix+"1", got)
		}
	}
	// Once any id is issued the epoch is fixed.
	e2 := api.New(api.Limits{})
	call(t, e2, "trace.create", "")
	if got := errCode(call(t, e2, "engine.setEpoch", `"epoch":"late"`)); got != "INVALID_PARAMS" {
		t.Errorf("setEpoch after trace.create got: %q want: INVALID_PARAMS", got)
	}
}

func TestHostStateHandlesAreListedAndEvicted(t *testing.T) {
	e := api.New(api.Limits{})
	for _, c := range creators {
		call(t, e, c.create, `"maxIdleCalls":6`)
	}
	// Calls: 1-4 creates; 5 appends to l1 (it stays in use).
	call(t, e, "trace.append", `"log":"l1","event":"e","data":{"n":1}`)
	for _, c := range creators {
		l := resultOf(t, call(t, e, c.list, ""))
		hs := l[c.listField].([]any)
		if len(hs) != 1 {
			t.Fatalf("%s got: %v", c.list, l)
		}
		h := hs[0].(map[string]any)
		if h["handle"] != c.prefix+"1" || h["maxIdleCalls"] != 6.0 {
			t.Errorf("%s entry got: %v", c.list, h)
		}
		if c.prefix == "l" && (h["items"] != 1.0 || h["bytes"].(float64) <= 0) {
			t.Errorf("trace.list counts records and bytes; got: %v", h)
		}
	}
	// Calls 6-9 were lists (they name nothing), 10-12 name nothing either;
	// at the start of call 13 l1 has been idle 7 calls > 6, the others
	// more: all evicted.
	for i := 0; i < 3; i++ {
		call(t, e, "version", "")
	}
	for _, c := range creators {
		l := resultOf(t, call(t, e, c.list, ""))
		if hs := l[c.listField].([]any); len(hs) != 0 {
			t.Errorf("%s after idling got: %v want: evicted", c.list, hs)
		}
		if tot := l["totals"].(map[string]any); tot["evicted"] != 4.0 {
			t.Errorf("%s totals got: %v want: 4 evicted", c.list, tot)
		}
	}
	if got := errCode(call(t, e, "trace.create", `"maxIdleCalls":0`)); got != "INVALID_PARAMS" {
		t.Errorf("maxIdleCalls 0 got: %q", got)
	}
}

// A response over the response budget is an error: the handle the request
// created is taken back, as a graph handle is.
func TestHostStateHandleRolledBackWithAFailedResponse(t *testing.T) {
	e := api.New(api.Limits{MaxResponseBytes: 120})
	m := call(t, e, "registry.create", "")
	if got := errCode(m); got != "LIMIT_EXCEEDED" {
		t.Fatalf("registry.create under a 120-byte response budget got: %v", m)
	}
	l := resultOf(t, call(t, e, "registry.list", ""))
	if hs := l["registries"].([]any); len(hs) != 0 {
		t.Errorf("registry.list got: %v want: none (rolled back)", hs)
	}
}

// Stand-alone logs count against the byte budgets of graphs: per handle
// (MaxGraphBytes) and across handles, sessions and logs (MaxTotalBytes).
func TestTraceLogByteBudgets(t *testing.T) {
	data := `"data":{"s":"` + strings.Repeat("x", 1000) + `"}`
	e := api.New(api.Limits{MaxGraphBytes: 3000, MaxTotalBytes: 1 << 20})
	call(t, e, "trace.create", "")
	for i, want := range []string{"", "", "LIMIT_EXCEEDED"} {
		if got := errCode(call(t, e, "trace.append", `"log":"l1","event":"e",`+data)); got != want {
			t.Errorf("append %d got: %q want: %q (per-log budget)", i+1, got, want)
		}
	}
	e = api.New(api.Limits{MaxTotalBytes: 3000})
	call(t, e, "trace.create", "")
	call(t, e, "trace.create", "")
	call(t, e, "trace.append", `"log":"l1","event":"e",`+data)
	call(t, e, "trace.append", `"log":"l2","event":"e",`+data)
	if got := errCode(call(t, e, "trace.append", `"log":"l2","event":"e",`+data)); got != "LIMIT_EXCEEDED" {
		t.Errorf("append past the total byte budget got: %q", got)
	}
	// Graph handles share it.
	if got := errCode(call(t, e, "graph.create", `"graph":{"nodes":[{"id":"a","kind":"intent","text":"`+strings.Repeat("y", 1500)+`"}],"edges":[]}`)); got != "LIMIT_EXCEEDED" {
		t.Errorf("graph.create past the total byte budget with logs live got: %q", got)
	}
	call(t, e, "trace.drop", `"log":"l1"`)
	if got := errCode(call(t, e, "trace.append", `"log":"l2","event":"e",`+data)); got != "" {
		t.Errorf("append after dropping l1 got: %q", got)
	}
}

// A log is chained under the trace key in force when it was created; the
// key cannot change under a live log.
func TestTraceLogKeyed(t *testing.T) {
	key := `"key":"MDEyMzQ1Njc4OWFiY2RlZg=="`
	plain := api.New(api.Limits{})
	keyed := api.New(api.Limits{})
	call(t, keyed, "trace.setKey", key)
	var hashes []string
	for _, e := range []*api.Engine{plain, keyed} {
		call(t, e, "trace.create", "")
		r := resultOf(t, call(t, e, "trace.append", `"log":"l1","event":"e","data":{"b":1,"a":2}`))
		hashes = append(hashes, r["record"].(map[string]any)["hash"].(string))
		if got := errCode(call(t, e, "trace.setKey", `"clear":true`)); got != "INVALID_PARAMS" {
			t.Errorf("setKey with a live log got: %q want: INVALID_PARAMS", got)
		}
	}
	if hashes[0] == hashes[1] {
		t.Errorf("keyed and plain hashes are equal: %s", hashes[0])
	}
	recs := resultOf(t, call(t, keyed, "trace.replay", `"log":"l1"`))["records"].([]any)
	rec := recs[0].(map[string]any)
	// The record verifies under the key, with its data keys in another order.
	raw := `"records":[{"id":"t-000001","tick":0,"at":0,"event":"e","actor":"host","causalParent":"","data":{"a":2,"b":1},"prevHash":"","hash":"` + rec["hash"].(string) + `"}]`
	if v := resultOf(t, call(t, keyed, "trace.verify", raw)); v["valid"] != true {
		t.Errorf("keyed record under the key got: %v", v)
	}
	if v := resultOf(t, call(t, plain, "trace.verify", raw)); v["valid"] != false {
		t.Errorf("keyed record without the key got: %v", v)
	}
}

// Numbers of the new methods fail closed: null is never a number, and
// values are range-checked like state values.
func TestHostStateNumbersFailClosed(t *testing.T) {
	e := api.New(api.Limits{})
	for _, c := range creators {
		call(t, e, c.create, "")
	}
	for _, tc := range []struct{ method, params, path string }{
		{"field.update", `"field":"f1","id":"a","uncertainty":null,"costPressure":0,"confidence":0`, "uncertainty"},
		{"field.fromHealth", `"field":"f1","id":"a","health":null,"latencyRatio":1`, "health"},
		{"field.create", `"config":{"dwellThreshold":null}`, "config.dwellThreshold"},
		{"guard.recordSwap", `"guard":"o1","old":"a","new":"b","tick":null`, "tick"},
		{"guard.recordSwap", `"guard":"o1","old":"a","new":"b","tick":-1`, "tick"},
		{"guard.isOscillating", `"guard":"o1","old":"a","new":"b","tick":-5`, "tick"},
		{"guard.create", `"limit":null`, "limit"},
		{"trace.append", `"log":"l1","event":"e","tick":-1`, "tick"},
		{"trace.append", `"log":"l1","event":"e","at":null`, "at"},
		{"trace.append", `"log":"l1","event":"e","at":1e300`, "at"},
		{"registry.check", `"registry":"r1","observation":{"health":1.5}`, "observation.health"},
		{"registry.check", `"registry":"r1","observation":{"latencyMs":-100}`, "observation.latencyMs"},
		{"registry.check", `"registry":"r1","observation":{"money":null}`, "observation.money"},
		{"registry.select", `"registry":"r1","trigger":"manual","from":{"id":"a","health":-0.5}`, "from.health"},
		{"registry.select", `"registry":"r1","trigger":"manual","from":{"id":"a"},"candidates":[{"id":"b","money":null}]`, "candidates[0].money"},
		{"registry.select", `"registry":"r1","trigger":"manual","from":{"id":"a"},"tick":-1`, "tick"},
		{"registry.observe", `"registry":"r1","id":"a","health":null`, "health"},
		{"registry.create", `"policy":{"healthThreshold":null}`, "policy.healthThreshold"},
		{"contract.fromMessage", `"message":"hi","overrides":{"maxCost":null}`, "overrides.maxCost"},
	} {
		m := call(t, e, tc.method, tc.params)
		errObj, _ := m["error"].(map[string]any)
		if errObj == nil {
			t.Errorf("%s {%s} got: %v want: INVALID_PARAMS at %s", tc.method, tc.params, m["result"], tc.path)
			continue
		}
		d := errObj["data"].(map[string]any)
		if d["code"] != "INVALID_PARAMS" || d["path"] != tc.path {
			t.Errorf("%s {%s} got: %v at %v want: INVALID_PARAMS at %s", tc.method, tc.params, d["code"], d["path"], tc.path)
		}
	}
}

// A call whose answer fails (here: over the response budget) changes
// nothing, as graph.apply and exec.report: the record, the D, the swap and
// the registration it made are taken back.
func TestHostStateFailedAnswerChangesNothing(t *testing.T) {
	long := strings.Repeat("x", 800)
	e := api.New(api.Limits{MaxResponseBytes: 700})
	for _, c := range creators {
		call(t, e, c.create, "")
	}
	for _, tc := range []struct{ method, params string }{
		{"trace.append", `"log":"l1","event":"` + long + `"`},
		{"field.update", `"field":"f1","id":"` + long + `","uncertainty":1,"costPressure":0,"confidence":0`},
		{"field.fromHealth", `"field":"f1","id":"` + long + `","health":0.5,"latencyRatio":2`},
		{"registry.observe", `"registry":"r1","id":"` + long + `","health":0.5`},
	} {
		if got := errCode(call(t, e, tc.method, tc.params)); got != "LIMIT_EXCEEDED" {
			t.Errorf("%s got: %q want: LIMIT_EXCEEDED", tc.method, got)
		}
	}
	if r := resultOf(t, call(t, e, "trace.replay", `"log":"l1"`)); len(r["records"].([]any)) != 0 {
		t.Errorf("trace.replay after a failed append got: %v", r)
	}
	if r := resultOf(t, call(t, e, "field.snapshot", `"field":"f1"`)); len(r["nodes"].([]any)) != 0 {
		t.Errorf("field.snapshot after failed updates got: %v", r)
	}
	if l := resultOf(t, call(t, e, "field.list", "")); l["totals"].(map[string]any)["items"] != 0.0 {
		t.Errorf("field.list after failed updates got: %v", l)
	}
	// An existing id keeps its D and dwell.
	e2 := api.New(api.Limits{MaxResponseBytes: 700})
	call(t, e2, "field.create", "")
	call(t, e2, "field.update", `"field":"f1","id":"`+long[:100]+`","uncertainty":1,"costPressure":0,"confidence":0`)
	// The first answer of each batch leaves too little of the budget for the next.
	batch := `[{"jsonrpc":"2.0","id":1,"method":"field.get","params":{"field":"f1","id":"` + long[:600] + `"}},` +
		`{"jsonrpc":"2.0","id":2,"method":"field.update","params":{"field":"f1","id":"` + long[:100] + `","uncertainty":0,"costPressure":1,"confidence":1}}]`
	if resp := string(e2.Handle([]byte(batch))); !strings.Contains(resp, "LIMIT_EXCEEDED") {
		t.Fatalf("batch got: %s", resp)
	}
	if r := resultOf(t, call(t, e2, "field.get", `"field":"f1","id":"`+long[:100]+`"`)); r["d"] != 2.0 || r["dwell"] != 1.0 {
		t.Errorf("field.get after a failed update got: %v want: d 2, dwell 1", r)
	}
	// A guard's swap and a registration, failed in a batch past the budget.
	call(t, e2, "guard.create", "")
	call(t, e2, "registry.create", "")
	batch = `[{"jsonrpc":"2.0","id":1,"method":"field.get","params":{"field":"f1","id":"` + long[:600] + `"}},` +
		`{"jsonrpc":"2.0","id":2,"method":"guard.recordSwap","params":{"guard":"o1","old":"a","new":"b","tick":1}},` +
		`{"jsonrpc":"2.0","id":3,"method":"registry.register","params":{"registry":"r1","resource":"a","candidate":{"id":"b","kind":"resource","provider":"p"}}}]`
	if resp := string(e2.Handle([]byte(batch))); strings.Count(resp, "LIMIT_EXCEEDED") != 2 {
		t.Fatalf("batch got: %s", resp)
	}
	if r := resultOf(t, call(t, e2, "guard.isOscillating", `"guard":"o1","old":"a","new":"b","tick":1`)); r["count"] != 0.0 {
		t.Errorf("guard after a failed recordSwap got: %v", r)
	}
	if r := resultOf(t, call(t, e2, "registry.summary", `"registry":"r1"`)); len(r["tracked"].([]any)) != 0 {
		t.Errorf("registry after a failed register got: %v", r)
	}
}
