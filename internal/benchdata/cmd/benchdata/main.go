// Command benchdata writes the benchmark workloads as JSON Lines
// ({"name", "setup", "request", "alternate"} with the requests as strings;
// setup and alternate are "" when the workload has none) for the Node
// benchmark, so every runtime measures byte-identical requests.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/convergence-io/ceg/internal/benchdata"
)

func main() {
	out := flag.String("out", "build/bench/workloads.jsonl", "output file")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchdata:", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(f)
	for _, wl := range benchdata.Workloads() {
		fmt.Fprintf(w, "{\"name\":%s,\"setup\":%s,\"request\":%s,\"alternate\":%s}\n", strconv.Quote(wl.Name),
			strconv.Quote(string(wl.Setup)), strconv.Quote(string(wl.Request)), strconv.Quote(string(wl.Alternate)))
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "benchdata:", err)
		os.Exit(1)
	}
	f.Close()
}
