package api_test

import (
	"encoding/json"
	"math/rand/v2"
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
