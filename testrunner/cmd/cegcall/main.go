// Command cegcall sends one JSON-RPC request (or batch) to the CEG module
// through its four exports and prints the response.
//
//	cegcall [-module bindings/js/ceg.wasm] [request.json]   # or stdin
//	echo '{"jsonrpc":"2.0","id":1,"method":"version"}' | cegcall
//
// It exits 1 when the module cannot be loaded or traps, and 0 otherwise
// (a JSON-RPC error is a response like any other).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/convergence-io/ceg/testrunner"
)

func main() {
	module := flag.String("module", testrunner.DefaultModulePath, "path to ceg.wasm")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: cegcall [-module path] [request.json]\nreads the request from the file or, without one, from stdin\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	var req []byte
	var err error
	switch flag.NArg() {
	case 0:
		req, err = io.ReadAll(os.Stdin)
	case 1:
		req, err = os.ReadFile(flag.Arg(0))
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cegcall:", err)
		os.Exit(1)
	}
	ctx := context.Background()
	m, err := testrunner.Open(ctx, *module)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cegcall:", err)
		os.Exit(1)
	}
	defer m.CloseRuntime()
	resp, err := m.Call(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cegcall:", err)
		os.Exit(1)
	}
	if len(resp) > 0 {
		os.Stdout.Write(resp)
		fmt.Println()
	}
}
