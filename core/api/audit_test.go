package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/api"
)

// Audit data that survives real storage (issue 9, item 5): a genuine trace
// and a genuine snapshot still verify after a store that keeps JSON values
// but not bytes, and tampering that keeps the JSON valid does not.

// rpc runs one request on e and returns its result or error object.
func rpc(t *testing.T, e *api.Engine, method string, params any) (result, errObj map[string]any) {
	t.Helper()
	p, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	out := e.Handle([]byte(fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":%q,"params":%s}`, method, p)))
	var r struct {
		Result map[string]any `json:"result"`
		Error  map[string]any `json:"error"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("%s: %v: %s", method, err, out)
	}
	return r.Result, r.Error
}

func ok(t *testing.T, e *api.Engine, method string, params any) map[string]any {
	t.Helper()
	r, e2 := rpc(t, e, method, params)
	if e2 != nil {
		t.Fatalf("%s: %v", method, e2)
	}
	return r
}

func wireCode(e map[string]any) string {
	if e == nil {
		return ""
	}
	d, _ := e["data"].(map[string]any)
	c, _ := d["code"].(string)
	return c
}

var auditGraph = map[string]any{
	"nodes": []any{
		map[string]any{"id": "ask", "kind": "intent", "capabilities": []any{"chat"}, "meta": map[string]any{"z": 1, "a": []any{0.00001, 1e21, "é<>"}}},
		map[string]any{"id": "gpt", "kind": "resource", "provider": "openai", "capabilities": []any{"chat"}, "costPerToken": 0.00001, "latencyTargetMs": 1500},
		map[string]any{"id": "claude", "kind": "resource", "provider": "anthropic", "capabilities": []any{"chat"}, "costPerToken": 0.000012},
	},
	"edges": []any{},
}

var auditContract = map[string]any{"id": "c", "forbiddenProviders": []any{"shady"}, "constraints": map[string]any{"maxCost": 0.05}}

// genuine returns a session's trace, its snapshot and an exec.run trace.
func genuine(t *testing.T, e *api.Engine) (sessionTrace []any, snapshot map[string]any, runTrace []any) {
	t.Helper()
	st, sn, rt := genuineRaw(t, e)
	var snap map[string]any
	if err := json.Unmarshal(sn, &snap); err != nil {
		t.Fatal(err)
	}
	return anys(t, st), snap, anys(t, rt)
}

func anys(t *testing.T, raws []json.RawMessage) []any {
	var out []any
	for _, r := range raws {
		var v any
		if err := json.Unmarshal(r, &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// genuineRaw is genuine with every document exactly as the engine wrote it.
func genuineRaw(t *testing.T, e *api.Engine) (sessionTrace []json.RawMessage, snapshot json.RawMessage, runTrace []json.RawMessage) {
	t.Helper()
	s := ok(t, e, "exec.start", map[string]any{"graph": auditGraph, "contract": auditContract})
	id := s["session"].(string)
	ok(t, e, "exec.report", map[string]any{"session": id, "now": 1200.5, "outcomes": []any{map[string]any{"step": "step-ask", "attempt": 1, "status": "error"}}})
	var snap struct {
		Result struct {
			Snapshot json.RawMessage `json:"snapshot"`
		} `json:"result"`
	}
	out := e.Handle([]byte(fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"exec.snapshot","params":{"session":%q}}`, id)))
	if err := json.Unmarshal(out, &snap); err != nil {
		t.Fatal(err)
	}
	var inner struct {
		Trace []json.RawMessage `json:"trace"`
	}
	if err := json.Unmarshal(snap.Result.Snapshot, &inner); err != nil {
		t.Fatal(err)
	}
	p, _ := json.Marshal(map[string]any{"graph": auditGraph, "contract": auditContract, "scenario": map[string]any{"seed": 3}})
	var run struct {
		Result struct {
			Trace []json.RawMessage `json:"trace"`
		} `json:"result"`
	}
	if err := json.Unmarshal(e.Handle([]byte(`{"jsonrpc":"2.0","id":2,"method":"exec.run","params":`+string(p)+`}`)), &run); err != nil {
		t.Fatal(err)
	}
	return inner.Trace, snap.Result.Snapshot, run.Result.Trace
}

// storeFunc sends JSON documents through a store and returns what came back.
type storeFunc func(t *testing.T, docs [][]byte) [][]byte

func goMap(t *testing.T, docs [][]byte) [][]byte {
	var out [][]byte
	for _, d := range docs {
		var v any
		if err := json.Unmarshal(d, &v); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(v) // maps: keys sorted; numbers re-spelled
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func python(t *testing.T, docs [][]byte) [][]byte {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	cmd := exec.Command(py, "-c", "import json,sys\nfor l in sys.stdin:\n    print(json.dumps(json.loads(l), sort_keys=True))")
	cmd.Stdin = bytes.NewReader(append(bytes.Join(docs, []byte("\n")), '\n'))
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("python3 does not run here: %v", err)
	}
	return bytes.Split(bytes.TrimRight(out, "\n"), []byte("\n"))
}

// postgres stores the documents in a jsonb column of a throwaway cluster
// (initdb in a temporary directory, a Unix socket only, no TCP) and reads
// them back; it skips when PostgreSQL is not installed.
func postgres(t *testing.T, docs [][]byte) [][]byte {
	var bins []string
	for _, b := range []string{"initdb", "pg_ctl", "psql"} {
		p, err := exec.LookPath(b)
		if err != nil {
			t.Skipf("PostgreSQL is not installed (%s not found)", b)
		}
		bins = append(bins, p)
	}
	dir, err := os.MkdirTemp("", "ceg-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// Every command runs in the cluster's directory: run as postgres from
	// the test's own directory (a checkout under a private temporary
	// directory, say), psql would print that it cannot change into it.
	asUser := func(name string, args ...string) *exec.Cmd {
		c := exec.Command(name, args...)
		c.Dir = dir
		return c
	}
	if os.Geteuid() == 0 { // PostgreSQL refuses to run as root
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			t.Skip("running as root without runuser: cannot start PostgreSQL")
		}
		if out, err := exec.Command("chown", "postgres", dir).CombinedOutput(); err != nil {
			t.Skipf("no postgres user to run the cluster as: %v %s", err, out)
		}
		asUser = func(name string, args ...string) *exec.Cmd {
			c := exec.Command(runuser, append([]string{"-u", "postgres", "--", name}, args...)...)
			c.Dir = dir
			return c
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := asUser(bins[0], "-D", data, "-A", "trust", "-E", "UTF8", "--no-locale").CombinedOutput(); err != nil {
		t.Skipf("initdb failed: %v\n%s", err, out)
	}
	if out, err := asUser(bins[1], "-D", data, "-w", "-l", filepath.Join(dir, "log"), "-o", fmt.Sprintf("-k %s -c listen_addresses=''", dir), "start").CombinedOutput(); err != nil {
		t.Skipf("pg_ctl start failed: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = asUser(bins[1], "-D", data, "-w", "-m", "immediate", "stop").Run() })
	var sql strings.Builder
	sql.WriteString("CREATE TABLE audit (n int, doc jsonb);\n")
	for i, d := range docs {
		if bytes.Contains(d, []byte("$ceg$")) {
			t.Fatal("document holds the quote tag")
		}
		fmt.Fprintf(&sql, "INSERT INTO audit VALUES (%d, $ceg$%s$ceg$);\n", i, d)
	}
	sql.WriteString("SELECT doc::text FROM audit ORDER BY n;\n")
	cmd := asUser(bins[2], "-h", dir, "-d", "postgres", "-U", "postgres", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1")
	cmd.Stdin = strings.NewReader(sql.String())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr // the documents are on stdout alone
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("psql: %v\n%s%s", err, out, stderr.Bytes())
	}
	back := bytes.Split(bytes.TrimRight(out, "\n"), []byte("\n"))
	if len(back) != len(docs) {
		t.Fatalf("jsonb gave back %d documents, want %d:\n%s", len(back), len(docs), out)
	}
	return back
}

func TestAuditSurvivesStores(t *testing.T) {
	for _, st := range []struct {
		name  string
		store storeFunc
	}{{"go map", goMap}, {"python sort_keys", python}, {"postgresql jsonb", postgres}} {
		for _, keyed := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s keyed=%v", st.name, keyed), func(t *testing.T) {
				e := api.New(api.Limits{})
				if keyed {
					ok(t, e, "trace.setKey", map[string]any{"key": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="})
				}
				rawSession, rawSnap, rawRun := genuineRaw(t, e)
				sessionTrace, runTrace := anys(t, rawSession), anys(t, rawRun)
				var docs [][]byte
				for _, r := range append(append([]json.RawMessage{}, rawSession...), rawRun...) {
					docs = append(docs, r)
				}
				docs = append(docs, rawSnap)
				back := st.store(t, docs)
				if bytes.Equal(bytes.Join(back, nil), bytes.Join(docs, nil)) {
					t.Fatalf("the store gave back the same bytes: it proves nothing")
				}
				// The store reordered keys: the old byte-order hash would fail.
				if !bytes.Contains(back[0], []byte(`{"actor":`)) && !bytes.Contains(back[0], []byte(`{"at":`)) {
					t.Logf("first record after the store: %s", back[0])
				}
				var recs []any
				for _, b := range back[:len(back)-1] {
					var v any
					if err := json.Unmarshal(b, &v); err != nil {
						t.Fatal(err)
					}
					recs = append(recs, v)
				}
				n := len(sessionTrace)
				for _, part := range []struct {
					name string
					recs []any
					head string
				}{{"session", recs[:n], sessionTrace[n-1].(map[string]any)["hash"].(string)}, {"run", recs[n:], runTrace[len(runTrace)-1].(map[string]any)["hash"].(string)}} {
					v := ok(t, e, "trace.verify", map[string]any{"records": part.recs, "expectHead": part.head, "expectCount": len(part.recs)})
					if v["valid"] != true {
						t.Errorf("%s trace after the store: %v", part.name, v)
					}
					cut := ok(t, e, "trace.verify", map[string]any{"records": part.recs[:len(part.recs)-1], "expectHead": part.head, "expectCount": len(part.recs)})
					if cut["valid"] != false {
						t.Errorf("%s trace cut by one verified: %v", part.name, cut)
					}
				}
				var snapBack map[string]any
				if err := json.Unmarshal(back[len(back)-1], &snapBack); err != nil {
					t.Fatal(err)
				}
				if _, e2 := rpc(t, e, "exec.restore", map[string]any{"snapshot": snapBack}); e2 != nil {
					t.Errorf("snapshot after the store does not restore: %v", e2)
				}
			})
		}
	}
}

// TestSnapshotTamper: edits that keep a snapshot well-formed are refused
// by its digest; with a trace key, even a recomputed unkeyed digest is.
func TestSnapshotTamper(t *testing.T) {
	e := api.New(api.Limits{})
	_, snap, _ := genuine(t, e)
	raw, _ := json.Marshal(snap)
	fresh := func() map[string]any {
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		return m
	}
	if _, e2 := rpc(t, e, "exec.restore", map[string]any{"snapshot": fresh()}); e2 != nil {
		t.Fatalf("genuine snapshot: %v", e2)
	}
	tamper := map[string]func(m map[string]any){
		"forbiddenProviders deleted": func(m map[string]any) { delete(m["contract"].(map[string]any), "forbiddenProviders") },
		"cost edited": func(m map[string]any) {
			m["graph"].(map[string]any)["nodes"].([]any)[1].(map[string]any)["costPerToken"] = 0.0
		},
		"breakers edited": func(m map[string]any) { m["breakers"] = map[string]any{} },
		"attempt counter": func(m map[string]any) {
			m["steps"].([]any)[0].(map[string]any)["attempt"] = 1.0
		},
		"digest removed":   func(m map[string]any) { delete(m, "digest") },
		"last record gone": func(m map[string]any) { tr := m["trace"].([]any); m["trace"] = tr[:len(tr)-1] },
	}
	for name, f := range tamper {
		m := fresh()
		f(m)
		_, e2 := rpc(t, e, "exec.restore", map[string]any{"snapshot": m})
		if wireCode(e2) != "INVALID_SNAPSHOT" {
			t.Errorf("%s: restore got: %v want: INVALID_SNAPSHOT", name, e2)
		}
	}
	m := fresh()
	m["module"] = "ceg 0.0.9"
	_, e2 := rpc(t, e, "exec.restore", map[string]any{"snapshot": m})
	if wireCode(e2) != "INVALID_SNAPSHOT" || !strings.Contains(fmt.Sprint(e2["message"]), `written by module "ceg 0.0.9"`) {
		t.Errorf("another module: got: %v want: INVALID_SNAPSHOT naming the module", e2)
	}
	// Keyed: a snapshot sealed under the key restores; one sealed without
	// it (an attacker's recomputed digest) does not, and vice versa.
	k := api.New(api.Limits{})
	ok(t, k, "trace.setKey", map[string]any{"key": "a2V5LWtleS1rZXkta2V5LWtleQ=="})
	if _, e2 := rpc(t, k, "exec.restore", map[string]any{"snapshot": fresh()}); wireCode(e2) != "INVALID_SNAPSHOT" {
		t.Errorf("unkeyed snapshot into a keyed engine got: %v want: INVALID_SNAPSHOT", e2)
	}
	_, ksnap, _ := genuine(t, k)
	if _, e2 := rpc(t, k, "exec.restore", map[string]any{"snapshot": ksnap}); e2 != nil {
		t.Errorf("keyed snapshot into its engine: %v", e2)
	}
	if _, e2 := rpc(t, e, "exec.restore", map[string]any{"snapshot": ksnap}); wireCode(e2) != "INVALID_SNAPSHOT" {
		t.Errorf("keyed snapshot into an unkeyed engine got: %v want: INVALID_SNAPSHOT", e2)
	}
}

// TestRestoreLimits: a snapshot's graph is held to graph.create's limits,
// whatever its digest says.
func TestRestoreLimits(t *testing.T) {
	e := api.New(api.Limits{})
	_, snap, _ := genuine(t, e)
	nodes := snap["graph"].(map[string]any)["nodes"].([]any)
	for i := len(nodes); i < 60_000; i++ {
		nodes = append(nodes, map[string]any{"id": fmt.Sprintf("m%d", i), "kind": "memory"})
	}
	snap["graph"].(map[string]any)["nodes"] = nodes
	_, e2 := rpc(t, e, "exec.restore", map[string]any{"snapshot": snap})
	if wireCode(e2) != "LIMIT_EXCEEDED" {
		t.Errorf("60,000-node snapshot got: %v want: LIMIT_EXCEEDED", e2)
	}
	// The same graph is refused by graph.create.
	_, e3 := rpc(t, e, "graph.create", map[string]any{"graph": map[string]any{"nodes": nodes, "edges": []any{}}})
	if wireCode(e3) != "LIMIT_EXCEEDED" {
		t.Errorf("graph.create of 60,000 nodes got: %v", e3)
	}
}

func TestTraceSetKey(t *testing.T) {
	e := api.New(api.Limits{})
	for _, tc := range []struct {
		params any
		code   string
	}{
		{map[string]any{"key": "not base64!"}, "INVALID_PARAMS"},
		{map[string]any{"key": "c2hvcnQ="}, "INVALID_PARAMS"},
		{map[string]any{"clear": false}, "INVALID_PARAMS"},
		{map[string]any{}, "INVALID_PARAMS"},
		{map[string]any{"key": "MDEyMzQ1Njc4OWFiY2RlZg==", "clear": true}, "INVALID_PARAMS"},
	} {
		if _, e2 := rpc(t, e, "trace.setKey", tc.params); wireCode(e2) != tc.code {
			t.Errorf("trace.setKey %v got: %v want: %s", tc.params, e2, tc.code)
		}
	}
	if r := ok(t, e, "trace.setKey", map[string]any{"key": "MDEyMzQ1Njc4OWFiY2RlZg=="}); r["keyed"] != true {
		t.Errorf("setKey result got: %v", r)
	}
	ok(t, e, "exec.start", map[string]any{"graph": auditGraph, "contract": auditContract})
	if _, e2 := rpc(t, e, "trace.setKey", map[string]any{"clear": true}); wireCode(e2) != "INVALID_PARAMS" || !strings.Contains(fmt.Sprint(e2["message"]), "1 live session:") {
		t.Errorf("setKey with a live session got: %v want: INVALID_PARAMS", e2)
	}
}
