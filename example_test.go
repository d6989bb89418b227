package ceg_test

import (
	"context"
	"fmt"

	"github.com/convergence-io/ceg/core/api"
	"github.com/convergence-io/ceg/testrunner"
)

// One request answered natively, by the engine the module wraps, and by the
// shipped module under wazero: the same bytes. This is the README's Go
// example: readme_test.go fails when README.md shows other code.
func Example() {
	req := []byte(`{"jsonrpc":"2.0","id":1,"method":"dilation.compute","params":{"uncertainty":1,"costPressure":0,"confidence":0}}`)

	// Natively, against the engine the module wraps:
	e := api.New(api.Limits{})
	fmt.Println(string(e.Handle(req))) // {"jsonrpc":"2.0","id":1,"result":{"d":2}}

	// Or the shipped module (make build) under wazero:
	m, err := testrunner.Open(context.Background(), "bindings/js/ceg.wasm")
	if err != nil {
		panic(err)
	}
	defer m.CloseRuntime()
	resp, err := m.Call(req)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(resp)) // {"jsonrpc":"2.0","id":1,"result":{"d":2}}

	// Output:
	// {"jsonrpc":"2.0","id":1,"result":{"d":2}}
	// {"jsonrpc":"2.0","id":1,"result":{"d":2}}
}
