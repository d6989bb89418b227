// Command floatwrites rewrites easyjson-generated files in place so that
// floats are written by core/internal/jsonfloat (see package floatwrites).
// scripts/generate.sh runs it on every generated file.
package main

import (
	"fmt"
	"os"

	"github.com/convergence-io/ceg/internal/floatwrites"
)

func main() {
	total := 0
	for _, path := range os.Args[1:] {
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "floatwrites:", err)
			os.Exit(1)
		}
		out, n := floatwrites.Rewrite(src)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "floatwrites:", err)
			os.Exit(1)
		}
		total += n
	}
	fmt.Printf("floatwrites: %d float encoders use jsonfloat\n", total)
}
