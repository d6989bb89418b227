package api

import (
	"bytes"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/plan"
	"github.com/mailru/easyjson/jwriter"
)

// dagRequests returns the graph.create and plan.optimize requests of a
// DAG workload of n intents, planned by handle g1.
func dagRequests(t *testing.T, n int) (create, optimize []byte) {
	t.Helper()
	in := plan.DAGWorkload(n, 20, 1)
	var w jwriter.Writer
	w.RawString(`{"jsonrpc":"2.0","id":0,"method":"graph.create","params":{"graph":`)
	in.Graph.Doc().MarshalEasyJSON(&w)
	w.RawString(`}}`)
	create, _ = w.BuildBytes()
	w = jwriter.Writer{}
	w.RawString(`{"jsonrpc":"2.0","id":7,"method":"plan.optimize","params":{"handle":"g1","contract":`)
	in.Contract.MarshalEasyJSON(&w)
	w.RawString(`,"state":`)
	in.State.MarshalEasyJSON(&w)
	w.RawString(`}}`)
	optimize, _ = w.BuildBytes()
	return create, optimize
}

// TestResponsesOwnedAndBuffersBounded: every response, whether it fits the
// engine's kept buffer, grows it, or spills past its bound, is the same
// bytes whatever came before, is the caller's (a later call does not
// change it), and the engine keeps at most maxKeptResponse + maxKeptBuffer
// bytes of buffers.
func TestResponsesOwnedAndBuffersBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("plans a 2,000-intent DAG")
	}
	type call struct{ create, optimize []byte }
	var calls []call
	for _, n := range []int{3, 100, 2000} { // fits, grows the buffer, spills past 4 MiB
		c, o := dagRequests(t, n)
		calls = append(calls, call{c, o})
	}
	// The answers of a fresh engine per request are the reference.
	want := make([][]byte, len(calls))
	for i, c := range calls {
		e := New(Limits{})
		e.Handle(c.create)
		want[i] = e.Handle(c.optimize)
		if !bytes.HasPrefix(want[i], []byte(`{"jsonrpc":"2.0","id":7,"result":{"plan":`)) {
			t.Fatalf("request %d: %.200s", i, want[i])
		}
	}
	if len(want[2]) <= maxKeptResponse {
		t.Fatalf("the largest answer is %d bytes: it must spill past %d", len(want[2]), maxKeptResponse)
	}
	// One engine, in every order: small, large, small, medium, ...
	e := New(Limits{})
	var got [][]byte
	var wantAll [][]byte
	for _, i := range []int{0, 2, 0, 1, 2, 1, 0, 1, 2, 2, 0} {
		e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"graph.drop","params":{"handle":"g1"}}`))
		c := calls[i]
		cr := e.Handle(c.create)
		if !bytes.Contains(cr, []byte(`"result"`)) {
			t.Fatalf("graph.create: %.200s", cr)
		}
		// The handle is named g1 only on a fresh engine: use the one made.
		h := string(cr[bytes.Index(cr, []byte(`"handle":"`))+len(`"handle":"`):])
		h = h[:strings.IndexByte(h, '"')]
		req := bytes.Replace(c.optimize, []byte(`"handle":"g1"`), []byte(`"handle":"`+h+`"`), 1)
		r := e.Handle(req)
		if !bytes.Equal(r, want[i]) {
			t.Fatalf("call %d (request %d): the answer differs from a fresh engine's (%d vs %d bytes)", len(got), i, len(r), len(want[i]))
		}
		got, wantAll = append(got, r), append(wantAll, bytes.Clone(r))
		if cap(e.out) > maxKeptResponse || cap(e.res) > maxKeptBuffer {
			t.Fatalf("kept buffers of %d and %d bytes, over the bounds %d and %d", cap(e.out), cap(e.res), maxKeptResponse, maxKeptBuffer)
		}
	}
	for i := range got {
		if !bytes.Equal(got[i], wantAll[i]) {
			t.Fatalf("response %d changed after later calls", i)
		}
	}
}

// TestMemoKeepsEncodedAnswer: the answer memo gets the bytes encoded into
// the response (plan_keep.go), for a single request once the response
// buffer holds the answer in one piece, and for a batch element; a kept
// answer is exactly the result the caller got.
func TestMemoKeepsEncodedAnswer(t *testing.T) {
	create, optimize := dagRequests(t, 100)
	e := New(Limits{})
	e.Handle(create)
	params := optimize[bytes.Index(optimize, []byte(`"params":`))+len(`"params":`) : len(optimize)-1]
	result := func(resp []byte) []byte {
		return resp[len(`{"jsonrpc":"2.0","id":7,"result":`) : len(resp)-1]
	}
	var first []byte
	for i := 0; i < 3; i++ {
		first = e.Handle(optimize)
		if en := e.ext.plan.memo.byHandle["g1"]; en != nil {
			if !bytes.Equal(en.result, result(first)) {
				t.Fatalf("the memo holds other bytes than the answer")
			}
			break
		}
		if i == 2 {
			t.Fatalf("a repeated large plan by handle is not kept")
		}
	}
	// A batch element is kept too, once the result buffer holds it (the
	// first batch grows it): drop the entry, plan in a batch twice.
	batch := append(append([]byte(`[`), optimize...), ']')
	var resp []byte
	for range 2 {
		e.ext.plan.memo.drop("g1")
		resp = e.Handle(batch)
	}
	en := e.ext.plan.memo.byHandle["g1"]
	if en == nil || en.key != string(params) {
		t.Fatalf("a plan by handle in a batch is not kept")
	}
	if !bytes.Equal(resp, append(append([]byte(`[`), first...), ']')) || !bytes.Equal(en.result, result(first)) {
		t.Fatalf("the batch answer or its kept result differs from the single answer")
	}
}
