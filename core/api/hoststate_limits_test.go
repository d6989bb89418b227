package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/convergence-io/ceg/core/api"
)

// Issue 9's "no input kills or freezes the instance" for the host-state
// objects of issue 11: every id a dilation field, an oscillation guard or
// a swap registry takes is checked as a node id is (given, non-empty, no
// U+FFFD), provider names are canonical as on nodes, and what each object
// holds counts against the byte budgets (one object within MaxGraphBytes,
// everything live within MaxTotalBytes).

// hostStateSetup creates f1, o1, r1 and graph g1 (resources a and b).
func hostStateSetup(t *testing.T, e *api.Engine) {
	t.Helper()
	for _, m := range []string{"field.create", "guard.create", "registry.create"} {
		resultOf(t, call(t, e, m, ""))
	}
	resultOf(t, call(t, e, "graph.create", `"graph":{"nodes":[{"id":"a","kind":"resource","provider":"p"},{"id":"b","kind":"resource","provider":"q"}],"edges":[]}`))
}

func TestHostStateIDsCheckedAsNodeIDs(t *testing.T) {
	e := api.New(api.Limits{})
	hostStateSetup(t, e)
	const cand = `"candidate":{"id":"c","kind":"resource","provider":"x"}`
	// Each call has the placeholder ID where the id under test goes; path is
	// where the error must point.
	calls := []struct{ method, params, path string }{
		{"field.update", `"field":"f1","id":ID,"uncertainty":0.5,"costPressure":0,"confidence":0.5`, "id"},
		{"field.fromHealth", `"field":"f1","id":ID,"health":0.5,"latencyRatio":1`, "id"},
		{"field.get", `"field":"f1","id":ID`, "id"},
		{"guard.recordSwap", `"guard":"o1","old":ID,"new":"b","tick":1`, "old"},
		{"guard.recordSwap", `"guard":"o1","old":"a","new":ID,"tick":1`, "new"},
		{"guard.isOscillating", `"guard":"o1","old":ID,"new":"b","tick":1`, "old"},
		{"guard.reset", `"guard":"o1","old":"a","new":ID`, "new"},
		{"registry.register", `"registry":"r1","resource":ID,` + cand, "resource"},
		{"registry.candidates", `"registry":"r1","resource":ID`, "resource"},
		{"registry.check", `"registry":"r1","observation":{"resource":ID}`, "observation.resource"},
		{"registry.select", `"registry":"r1","trigger":"manual","from":{"id":ID}`, "from.id"},
		{"registry.select", `"registry":"r1","trigger":"manual","from":{"id":"a"},"candidates":[{"id":ID}]`, "candidates[0].id"},
		{"registry.select", `"registry":"r1","trigger":"manual","from":{"id":"a"},"inUse":[{"resource":ID,"provider":"p"}]`, "inUse[0].resource"},
		{"registry.observe", `"registry":"r1","id":ID,"health":0.5`, "id"},
		{"registry.capture", `"handle":"g1","from":ID,"to":"b"`, "from"},
		{"registry.capture", `"handle":"g1","from":"a","to":ID`, "to"},
	}
	for _, c := range calls {
		for _, id := range []string{`""`, `"\ud800"`, `"x\udc00y"`, `"\ufffd"`} {
			m := call(t, e, c.method, strings.Replace(c.params, "ID", id, 1))
			if errCode(m) != "INVALID_PARAMS" || errPath(m) != c.path {
				t.Errorf("%s with %s at %s got: %v", c.method, id, c.path, m)
			}
		}
		// A valid id with control characters and any length is a node id.
		if m := call(t, e, c.method, strings.Replace(c.params, "ID", `"\u0001 `+strings.Repeat("é", 300)+`"`, 1)); errCode(m) == "INVALID_PARAMS" {
			t.Errorf("%s with a valid id got: %v", c.method, m)
		}
	}
	// Nothing refused was kept.
	for _, l := range []struct{ method, field string }{{"field.list", "fields"}, {"guard.list", "guards"}} {
		r := resultOf(t, call(t, e, l.method, ""))
		h := r[l.field].([]any)[0].(map[string]any)
		if h["items"] != 1.0 {
			t.Errorf("%s got: %v (only the valid ids kept)", l.method, h)
		}
	}
}

// Provider names and capabilities given to registry.select compare
// canonical, as on graph nodes: "OpenAI " is the provider "openai".
func TestRegistrySelectProvidersCanonical(t *testing.T) {
	e := api.New(api.Limits{})
	resultOf(t, call(t, e, "registry.create", ""))
	r := resultOf(t, call(t, e, "registry.select", `"registry":"r1","trigger":"manual","from":{"id":"a","provider":"Anthropic"},"candidates":[{"id":"b","provider":" OpenAI ","capabilities":["Chat"]}]`))
	if r["to"] != "b" || r["provider"] != "openai" {
		t.Errorf("select got: %v want to b, provider openai", r)
	}
	// One resource in use by openai, spelt another way: with b the
	// provider would serve two of the three in use, past the diversity cap
	// (0.6), so the selection passes over b for e.
	r = resultOf(t, call(t, e, "registry.select", `"registry":"r1","trigger":"manual","from":{"id":"a","provider":"x"},"candidates":[{"id":"b","provider":"OPENAI","money":0.001},{"id":"e","provider":"y","money":0.002}],"inUse":[{"resource":"a","provider":"x"},{"resource":"c","provider":"OpenAI"},{"resource":"f","provider":"z"}]`))
	if r["to"] != "e" || r["diverted"] != true {
		t.Errorf("select past the diversity cap got: %v want e, diverted", r)
	}
	// Capabilities are names as on nodes: U+FFFD is refused.
	if m := call(t, e, "registry.select", `"registry":"r1","trigger":"manual","from":{"id":"a","capabilities":["chat","\udc00"]}`); errCode(m) != "INVALID_PARAMS" || errPath(m) != "from.capabilities[1]" {
		t.Errorf("a garbled capability got: %v", m)
	}
	for _, p := range []string{`""`, `" "`, `"a\u0007"`, `"\ud800"`} {
		m := call(t, e, "registry.select", `"registry":"r1","trigger":"manual","from":{"id":"a"},"inUse":[{"resource":"c","provider":`+p+`}]`)
		if p == `""` { // absent: the resource is its own provider, as for candidates
			if errCode(m) != "" {
				t.Errorf("inUse without provider got: %v", m)
			}
			continue
		}
		if errCode(m) != "INVALID_PARAMS" || errPath(m) != "inUse[0].provider" {
			t.Errorf("inUse provider %s got: %v", p, m)
		}
	}
}

// listed returns the bytes of the first object a list method shows and
// the total bytes.
func listed(t *testing.T, e *api.Engine, method, field string) (one, total float64) {
	t.Helper()
	r := resultOf(t, call(t, e, method, ""))
	hs := r[field].([]any)
	if len(hs) > 0 {
		one, _ = hs[0].(map[string]any)["bytes"].(float64)
	}
	total, _ = r["totals"].(map[string]any)["bytes"].(float64)
	return one, total
}

// Each object grows by what the host gives it; one object stays within
// MaxGraphBytes. Every case drives an object to its limit and one past it:
// the call past it is LIMIT_EXCEEDED, changes nothing, and the engine
// answers the next call.
func TestHostStateObjectByteBudget(t *testing.T) {
	long := func(c string) string { return strings.Repeat(c, 1000) }
	cases := []struct {
		name, create, list, field, grow string
	}{
		{"field", "field.create", "field.list", "fields", `"field":"f1","id":"ID","uncertainty":0.5,"costPressure":0,"confidence":0.5`},
		{"guard", "guard.create", "guard.list", "guards", `"guard":"o1","old":"ID","new":"b","tick":1`},
		{"registry register", "registry.create", "registry.list", "registries", `"registry":"r1","resource":"ID","candidate":{"id":"c","kind":"resource","provider":"x"}`},
		{"registry observe", "registry.create", "registry.list", "registries", `"registry":"r1","id":"ID","health":0.5`},
	}
	for _, c := range cases {
		e := api.New(api.Limits{MaxGraphBytes: 5000})
		resultOf(t, call(t, e, c.create, ""))
		var last float64
		n := 0
		for ; n < 20; n++ {
			m := call(t, e, strings.SplitN(c.list, ".", 2)[0]+"."+methodOf(c.grow), strings.Replace(c.grow, "ID", string(rune('a'+n))+long("x"), 1))
			if errCode(m) == "LIMIT_EXCEEDED" {
				if !strings.Contains(m["error"].(map[string]any)["message"].(string), "drop") && !strings.Contains(m["error"].(map[string]any)["message"].(string), "reset") {
					t.Errorf("%s: the error does not say what to drop: %v", c.name, m)
				}
				break
			}
			if errCode(m) != "" {
				t.Fatalf("%s: %v", c.name, m)
			}
			one, total := listed(t, e, c.list, c.field)
			if one <= last || one > 5000 || total != one {
				t.Fatalf("%s: bytes %v (total %v) after %d, before %v", c.name, one, total, n+1, last)
			}
			last = one
		}
		if n < 2 || n == 20 {
			t.Fatalf("%s: refused after %d of 1,000-byte ids", c.name, n)
		}
		if one, _ := listed(t, e, c.list, c.field); one != last {
			t.Errorf("%s: the refused call changed the bytes: %v -> %v", c.name, last, one)
		}
	}
}

// methodOf names the growing method of a case by its params.
func methodOf(params string) string {
	switch {
	case strings.Contains(params, `"uncertainty"`):
		return "update"
	case strings.Contains(params, `"old"`):
		return "recordSwap"
	case strings.Contains(params, `"candidate"`):
		return "register"
	}
	return "observe"
}

// A guard remembers at most 10,000 swaps: ids of any length cannot make it
// hold more than one object's budget, and at the cap its bytes stay exact.
func TestGuardBytesBoundedAtTheSwapCap(t *testing.T) {
	e := api.New(api.Limits{MaxGraphBytes: 1 << 20})
	resultOf(t, call(t, e, "guard.create", ""))
	id := strings.Repeat("y", 200)
	refused := false
	for i := 0; i < 10_002 && !refused; i++ {
		m := call(t, e, "guard.recordSwap", `"guard":"o1","old":"`+id+`","new":"b","tick":1`)
		refused = errCode(m) == "LIMIT_EXCEEDED"
	}
	if !refused {
		t.Fatalf("10,000 swaps of 200-byte ids (over 3 MB) fit a 1 MiB budget")
	}
	if one, _ := listed(t, e, "guard.list", "guards"); one > 1<<20 {
		t.Errorf("guard holds %v bytes, over its budget", one)
	}
	// Reset frees the pair's bytes; short ids fill up to the cap.
	resultOf(t, call(t, e, "guard.reset", `"guard":"o1","old":"`+id+`","new":"b"`))
	if one, _ := listed(t, e, "guard.list", "guards"); one != 0 {
		t.Errorf("after reset the guard holds %v bytes", one)
	}
	e = api.New(api.Limits{})
	resultOf(t, call(t, e, "guard.create", ""))
	for i := 0; i < 10_005; i++ {
		resultOf(t, call(t, e, "guard.recordSwap", `"guard":"o1","old":"a","new":"b","tick":1`))
	}
	r := resultOf(t, call(t, e, "guard.list", ""))
	h := r["guards"].([]any)[0].(map[string]any)
	if h["items"] != 10_000.0 || h["bytes"] != 10_000.0*130 {
		t.Errorf("guard at the cap got: %v want 10,000 swaps of 130 bytes", h)
	}
}

// Fields, guards and registries share the budget across handles with
// graphs, sessions and logs; dropping one makes room again.
func TestHostStateTotalByteBudget(t *testing.T) {
	e := api.New(api.Limits{MaxTotalBytes: 20_000})
	hostStateSetup(t, e) // g1: two resources
	id := strings.Repeat("z", 3500)
	steps := []struct{ method, params string }{
		{"field.update", `"field":"f1","id":"ID","uncertainty":0.5,"costPressure":0,"confidence":0.5`},
		{"guard.recordSwap", `"guard":"o1","old":"ID","new":"b","tick":1`},
		{"registry.observe", `"registry":"r1","id":"ID","health":0.5`},
		{"registry.register", `"registry":"r1","resource":"ID","candidate":{"id":"c","kind":"resource","provider":"x"}`},
	}
	for _, s := range steps {
		if m := call(t, e, s.method, strings.Replace(s.params, "ID", "1"+id, 1)); errCode(m) != "" {
			t.Fatalf("%s got: %v", s.method, m)
		}
	}
	// About 16,000 bytes are live: a graph of 5,000 more does not fit.
	big := `"graph":{"nodes":[{"id":"n","kind":"intent","text":"` + strings.Repeat("t", 5000) + `"}],"edges":[]}`
	m := call(t, e, "graph.create", big)
	if errCode(m) != "LIMIT_EXCEEDED" {
		t.Fatalf("graph.create past the total budget got: %v", m)
	}
	if msg := m["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "registry.list") || !strings.Contains(msg, "swap registries") {
		t.Errorf("the error does not say what to drop: %s", msg)
	}
	for _, s := range steps {
		if m := call(t, e, s.method, strings.Replace(s.params, "ID", "2"+id, 1)); errCode(m) != "LIMIT_EXCEEDED" {
			t.Errorf("%s past the total budget got: %v", s.method, m)
		}
	}
	resultOf(t, call(t, e, "guard.drop", `"guard":"o1"`))
	resultOf(t, call(t, e, "field.drop", `"field":"f1"`))
	resultOf(t, call(t, e, "graph.create", big))
}

// A session's registry counts in the session's bytes (exec.list), and a
// host registration on it stays within one session's budget.
func TestSessionRegistryInSessionBytes(t *testing.T) {
	e := api.New(api.Limits{MaxGraphBytes: 10_000})
	resultOf(t, call(t, e, "exec.start", chatParams))
	bytes := func() float64 {
		r := resultOf(t, call(t, e, "exec.list", ""))
		return r["sessions"].([]any)[0].(map[string]any)["bytes"].(float64)
	}
	before := bytes()
	cand := func(i int) string {
		return `"session":"s1","resource":"gpt","candidate":{"id":"c` + string(rune('a'+i)) + `","kind":"resource","provider":"x` + string(rune('a'+i)) + `","label":"` + strings.Repeat("l", 1500) + `"}`
	}
	resultOf(t, call(t, e, "registry.register", cand(0)))
	if after := bytes(); after < before+1500 {
		t.Errorf("session bytes %v -> %v after registering a 1,500-byte candidate", before, after)
	}
	refused := false
	for i := 1; i < 10 && !refused; i++ {
		refused = errCode(call(t, e, "registry.register", cand(i))) == "LIMIT_EXCEEDED"
	}
	if !refused || bytes() > 10_000 {
		t.Errorf("session registrations past one session's budget: refused %v, bytes %v", refused, bytes())
	}
}

// FuzzHostStateIDs: any string as the id of a dilation field, a guard or a
// registry is accepted exactly when it is a valid node id, and whatever is
// accepted stays within the byte budgets (LIMIT_EXCEEDED past them).
func FuzzHostStateIDs(f *testing.F) {
	for _, s := range []string{"a", "", "\xff", "\ufffd", "é", "\x00\x01", strings.Repeat("long", 500), " OpenAI "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		const perObject, total = 4096, 6000
		e := api.New(api.Limits{MaxGraphBytes: perObject, MaxTotalBytes: total})
		hostStateSetup(t, e)
		q, _ := json.Marshal(id) // invalid UTF-8 becomes U+FFFD, as from any JSON host
		valid := id != "" && utf8.ValidString(id) && !strings.ContainsRune(id, utf8.RuneError)
		calls := []struct{ method, params string }{
			{"field.update", `"field":"f1","id":ID,"uncertainty":0.5,"costPressure":0,"confidence":0.5`},
			{"field.get", `"field":"f1","id":ID`},
			{"guard.recordSwap", `"guard":"o1","old":ID,"new":"b","tick":1`},
			{"guard.recordSwap", `"guard":"o1","old":"a","new":ID,"tick":2`},
			{"guard.isOscillating", `"guard":"o1","old":ID,"new":"b","tick":2`},
			{"registry.register", `"registry":"r1","resource":ID,"candidate":{"id":"c","kind":"resource","provider":"x"}`},
			{"registry.observe", `"registry":"r1","id":ID,"health":0.5`},
			{"registry.candidates", `"registry":"r1","resource":ID`},
			{"registry.select", `"registry":"r1","trigger":"manual","from":{"id":ID},"inUse":[{"resource":ID}]`},
			{"registry.capture", `"handle":"g1","from":"a","to":ID`},
		}
		for _, c := range calls {
			m := call(t, e, c.method, strings.ReplaceAll(c.params, "ID", string(q)))
			switch code := errCode(m); {
			case !valid && code != "INVALID_PARAMS":
				t.Fatalf("%s with %q got: %v want INVALID_PARAMS", c.method, id, m)
			case valid && code == "INVALID_PARAMS" && c.method != "registry.capture":
				t.Fatalf("%s with %q got: %v", c.method, id, m)
			case code != "" && code != "INVALID_PARAMS" && code != "LIMIT_EXCEEDED" && code != "UNKNOWN_NODE" && code != "SWAP_FAILED":
				t.Fatalf("%s with %q got: %v", c.method, id, m)
			}
		}
		sum := 0.0
		for _, l := range []struct{ method, field string }{{"field.list", "fields"}, {"guard.list", "guards"}, {"registry.list", "registries"}} {
			one, all := listed(t, e, l.method, l.field)
			if one > perObject {
				t.Fatalf("%s: one object holds %v bytes", l.method, one)
			}
			sum += all
		}
		if sum > total {
			t.Fatalf("host-state objects hold %v bytes, over the total budget", sum)
		}
	})
}

// exec.restore counts what the snapshot's session holds (graph, trace and
// swap registry) against the budgets, as a running session is counted.
func TestRestoreCountsTheSessionRegistry(t *testing.T) {
	e := api.New(api.Limits{})
	resultOf(t, call(t, e, "exec.start", chatParams))
	small := resultOf(t, call(t, e, "exec.list", ""))["sessions"].([]any)[0].(map[string]any)["bytes"].(float64)
	resultOf(t, call(t, e, "registry.register", `"session":"s1","resource":"gpt","candidate":{"id":"c","kind":"resource","provider":"x","label":"`+strings.Repeat("l", 5000)+`"}`))
	snap := resultOf(t, call(t, e, "exec.snapshot", `"session":"s1"`))["snapshot"]
	raw, _ := json.Marshal(snap)
	for _, l := range []api.Limits{{MaxGraphBytes: int(small) + 2000}, {MaxTotalBytes: int(small) + 2000}} {
		m := call(t, api.New(l), "exec.restore", `"snapshot":`+string(raw))
		if errCode(m) != "LIMIT_EXCEEDED" {
			t.Errorf("restore of a %v-byte session plus a 5,000-byte candidate under %+v got: %v", small, l, m)
		}
	}
	if m := call(t, api.New(api.Limits{}), "exec.restore", `"snapshot":`+string(raw)); errCode(m) != "" {
		t.Errorf("restore got: %v", m)
	}
}
