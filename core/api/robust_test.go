package api_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/api"
	"github.com/convergence-io/ceg/internal/conformance"
)

// checkResponse asserts a response is empty or valid JSON-RPC JSON.
func checkResponse(t *testing.T, req, resp []byte) {
	t.Helper()
	if len(resp) == 0 {
		return
	}
	if !json.Valid(resp) {
		t.Fatalf("request %q gave invalid JSON: %q", req, resp)
	}
}

// TestMutatedRequestsNeverPanic flips, drops and duplicates bytes of every
// conformance request (seeded, so reproducible) and checks that the engine
// always answers with JSON and stays usable.
func TestMutatedRequestsNeverPanic(t *testing.T) {
	vectors, err := conformance.Load(corpus)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte(`{}[]":,0123456789.-eE truefalsnul\` + "\x00\xff")
	e := api.New(api.Limits{})
	for _, v := range vectors {
		for i := 0; i < 40; i++ {
			req := append([]byte(nil), v.Request...)
			for k := 0; k < 1+rng.IntN(4); k++ {
				if len(req) == 0 {
					break
				}
				p := rng.IntN(len(req))
				switch rng.IntN(3) {
				case 0:
					req[p] = alphabet[rng.IntN(len(alphabet))]
				case 1:
					req = append(req[:p], req[p+1:]...)
				case 2:
					req = append(req[:p], append([]byte{req[p]}, req[p:]...)...)
				}
			}
			checkResponse(t, req, e.Handle(req))
		}
	}
	if got := string(e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"version"}`))); got == "" {
		t.Fatal("engine unusable after mutations")
	}
}

// FuzzHandle: `go test -fuzz FuzzHandle ./core/api` explores further; the
// seeds (the whole corpus) run in every `go test`.
func FuzzHandle(f *testing.F) {
	vectors, err := conformance.Load(corpus)
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range vectors {
		f.Add(v.Request)
	}
	f.Fuzz(func(t *testing.T, req []byte) {
		e := api.New(api.Limits{})
		checkResponse(t, req, e.Handle(req))
	})
}

func TestDeepNestingIsAParseError(t *testing.T) {
	deep := make([]byte, 0, 200002)
	for i := 0; i < 100000; i++ {
		deep = append(deep, '[')
	}
	for i := 0; i < 100000; i++ {
		deep = append(deep, ']')
	}
	resp := api.New(api.Limits{}).Handle(deep)
	if !json.Valid(resp) {
		t.Fatalf("got: %q", resp)
	}
}

// Regression: a batch of 256 exports of a 45,000-node graph built a response
// of ~3.8 GB and the instance died out of memory. The response budget turns
// the entries past it into LIMIT_EXCEEDED errors.
func TestResponseBudget(t *testing.T) {
	e := api.New(api.Limits{MaxResponseBytes: 4000})
	var nodes []string
	for i := 0; i < 40; i++ {
		nodes = append(nodes, fmt.Sprintf(`{"id":"n%02d","kind":"memory","content":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}`, i))
	}
	create := `{"jsonrpc":"2.0","id":1,"method":"graph.create","params":{"graph":{"nodes":[` + strings.Join(nodes, ",") + `],"edges":[]}}}`
	if got := string(e.Handle([]byte(create))); !strings.Contains(got, `"handle":"g1"`) {
		t.Fatalf("create got: %s", got)
	}
	export := `{"jsonrpc":"2.0","id":%d,"method":"graph.export","params":{"handle":"g1"}}`
	one := e.Handle([]byte(fmt.Sprintf(export, 1)))
	if !strings.Contains(string(one), `"code":"LIMIT_EXCEEDED"`) {
		t.Fatalf("a single export over the budget got: %.200s", one)
	}
	small := api.New(api.Limits{MaxResponseBytes: 512 << 10})
	small.Handle([]byte(create))
	var batch []string
	for i := 0; i < 256; i++ {
		batch = append(batch, fmt.Sprintf(export, i))
	}
	resp := small.Handle([]byte("[" + strings.Join(batch, ",") + "]"))
	if len(resp) > 512<<10+256*300 {
		t.Errorf("batch response is %d bytes, over the 512 KiB budget", len(resp))
	}
	if !strings.Contains(string(resp), `"code":"LIMIT_EXCEEDED"`) || !strings.Contains(string(resp), `"result":{"graph"`) {
		t.Errorf("want results up to the budget, then LIMIT_EXCEEDED errors; got %.300s", resp)
	}
}
