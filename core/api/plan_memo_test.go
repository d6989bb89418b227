package api

import (
	"strings"
	"testing"
)

// The answer memo (plan_memo.go): what it keeps, when it answers, what it
// forgets. That a kept answer is always the answer planning would give is
// checked from the outside by TestPlanCacheFollowsEveryChange, which plans
// the same params by handle after every kind of change to the graph.

const memoGraph = `{"nodes":[
 {"id":"gpt","kind":"resource","provider":"openai","costPerToken":0.00001,"capabilities":["chat"]},
 {"id":"mini","kind":"resource","provider":"groq","costPerToken":0.000001,"capabilities":["chat"]}]}`

func memoCall(t *testing.T, e *Engine, method, params string) string {
	t.Helper()
	resp := string(e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"` + method + `","params":{` + params + `}}`)))
	if !strings.Contains(resp, `"result":`) {
		t.Fatalf("%s: %s", method, resp)
	}
	return resp
}

func TestPlanMemo(t *testing.T) {
	e := New(Limits{})
	memoCall(t, e, "graph.create", `"graph":`+memoGraph)
	memoCall(t, e, "graph.create", `"graph":`+memoGraph)
	m := &e.ext.plan.memo
	turn := func(h, text string) string {
		return `"handle":"` + h + `","contract":{"id":"c","intent":"` + text + `"}`
	}
	first := memoCall(t, e, "plan.optimize", turn("g1", "hi"))
	en := m.byHandle["g1"]
	if en == nil || m.byKey[en.key] != en || en.key != `{`+turn("g1", "hi")+`}` {
		t.Fatalf("after a plan by handle the memo holds: %+v", en)
	}
	// A repeat is answered from the memo, allocating only the response.
	if again := memoCall(t, e, "plan.optimize", turn("g1", "hi")); again != first {
		t.Fatalf("repeat got: %s want: %s", again, first)
	}
	req := []byte(`{"jsonrpc":"2.0","id":1,"method":"plan.optimize","params":{` + turn("g1", "hi") + `}}`)
	if n := testing.AllocsPerRun(100, func() { e.Handle(req) }); n > 1 {
		t.Errorf("a repeated turn allocates %v times, want at most 1 (the response)", n)
	}
	// One entry per handle: a new turn replaces the handle's entry, another
	// handle gets its own.
	memoCall(t, e, "plan.optimize", turn("g1", "compare the latest prices?"))
	memoCall(t, e, "plan.optimize", turn("g2", "hi"))
	if len(m.byHandle) != 2 || len(m.byKey) != 2 {
		t.Fatalf("entries: %d by handle, %d by key, want 2 and 2", len(m.byHandle), len(m.byKey))
	}
	if got := m.bytes; got != m.byHandle["g1"].size()+m.byHandle["g2"].size() {
		t.Errorf("memo bytes %d, want the entries' sizes", got)
	}
	// A changed graph is a miss (and forgets the entry); an inline graph is
	// never kept; an error is never kept.
	g1 := m.byHandle["g1"]
	memoCall(t, e, "graph.apply", `"handle":"g1","ops":[{"op":"advanceTick"}]`)
	if e.memoAnswer([]byte(g1.key)) != nil || m.byHandle["g1"] != nil {
		t.Errorf("a kept answer survived a change of its graph")
	}
	memoCall(t, e, "plan.optimize", `"graph":`+memoGraph+`,"contract":{"id":"c","intent":"hi"}`)
	if resp := e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"plan.optimize","params":{` + turn("g1", "hi") + `,"select":"steps"}}`)); !strings.Contains(string(resp), `"error":`) {
		t.Fatalf("bad select got: %s", resp)
	}
	if len(m.byHandle) != 1 {
		t.Errorf("after an inline plan and an error the memo holds %d entries, want 1 (g2)", len(m.byHandle))
	}
	// Dropping a handle drops its entry.
	memoCall(t, e, "graph.drop", `"handle":"g2"`)
	if len(m.byHandle) != 0 || len(m.byKey) != 0 || m.bytes != 0 {
		t.Errorf("after the drop: %d, %d entries, %d bytes, want none", len(m.byHandle), len(m.byKey), m.bytes)
	}
}

// The memo's bytes stay under memoMaxBytes however many handles plan, and
// an answer over memoMaxEntry is not kept.
func TestPlanMemoBounds(t *testing.T) {
	e := New(Limits{})
	m := &e.ext.plan.memo
	memoCall(t, e, "graph.create", `"graph":`+memoGraph)
	long := strings.Repeat("x", 1<<20) // 1 MiB of params per entry
	for i := 0; i < 40; i++ {
		memoCall(t, e, "graph.create", `"graph":`+memoGraph)
	}
	kept := 0
	for h := range e.graphs {
		memoCall(t, e, "plan.optimize", `"handle":"`+h+`","contract":{"id":"c","intent":"`+long+`"}`)
		if m.bytes > memoMaxBytes {
			t.Fatalf("memo holds %d bytes, over %d", m.bytes, memoMaxBytes)
		}
		if m.byHandle[h] != nil {
			kept++
		}
	}
	if kept == 0 || kept == len(e.graphs) {
		t.Errorf("%d of %d answers of 1 MiB params kept, want some but not all (bound %d bytes)", kept, len(e.graphs), memoMaxBytes)
	}
	m.keep("g1", e.graphs["g1"], []byte("{}"), make([]byte, memoMaxEntry+1))
	if m.byHandle["g1"] != nil {
		t.Errorf("an answer over memoMaxEntry was kept")
	}
}
