// Command postgen rewrites easyjson-generated files in place, after
// easyjson has written them: number decoders reject null (package
// nullnumbers), then float encoders write through core/internal/jsonfloat
// (package floatwrites). scripts/generate.sh runs it on every generated
// file; running it again changes nothing.
package main

import (
	"fmt"
	"os"

	"github.com/convergence-io/ceg/internal/floatwrites"
	"github.com/convergence-io/ceg/internal/nullnumbers"
)

func main() {
	var nulls, floats int
	for _, path := range os.Args[1:] {
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "postgen:", err)
			os.Exit(1)
		}
		src, n := nullnumbers.Rewrite(src)
		nulls += n
		src, n = floatwrites.Rewrite(src)
		floats += n
		if err := os.WriteFile(path, src, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "postgen:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("postgen: %d number decoders reject null, %d float encoders use jsonfloat\n", nulls, floats)
}
