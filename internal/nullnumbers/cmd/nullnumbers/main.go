// Command nullnumbers rewrites easyjson-generated files in place so that
// null is an error wherever a number is expected (see package
// nullnumbers). scripts/generate.sh runs it on every generated file.
package main

import (
	"fmt"
	"os"

	"github.com/convergence-io/ceg/internal/nullnumbers"
)

func main() {
	total := 0
	for _, path := range os.Args[1:] {
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "nullnumbers:", err)
			os.Exit(1)
		}
		out, n := nullnumbers.Rewrite(src)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "nullnumbers:", err)
			os.Exit(1)
		}
		total += n
	}
	fmt.Printf("nullnumbers: %d number decoders reject null\n", total)
}
