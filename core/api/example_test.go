package api_test

import (
	"fmt"

	"github.com/convergence-io/ceg/core/api"
)

// An Engine answers JSON-RPC bytes with JSON-RPC bytes: the same bytes the
// wasm module returns for the same request.
func ExampleEngine_Handle() {
	e := api.New(api.Limits{})
	fmt.Println(string(e.Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"dilation.compute",
		"params":{"uncertainty":1,"costPressure":0,"confidence":0}}`))))
	fmt.Println(string(e.Handle([]byte(`{"jsonrpc":"2.0","id":2,"method":"graph.validate",
		"params":{"graph":{"nodes":[{"id":"a","kind":"widget"}],"edges":[]}}}`))))
	// Output:
	// {"jsonrpc":"2.0","id":1,"result":{"d":2}}
	// {"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"unknown node kind \"widget\" (want one of [authority constraint intent memory projection resource trace])","data":{"code":"INVALID_PARAMS","path":"graph.nodes[0].kind"}}}
}
