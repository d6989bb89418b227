// Package benchdata builds the benchmark workloads as JSON-RPC requests, so
// that the native engine, the module under wazero and the module in Node
// run byte-identical inputs (docs/DESIGN.md#performance). It is benchmark support and never
// linked into the module.
package benchdata

import (
	"fmt"

	"github.com/convergence-io/ceg/core/plan"
	"github.com/mailru/easyjson/jwriter"
)

// Workload is one named request. Setup, when set, runs once on a fresh
// engine or instance before the request is timed (a graph.create whose
// handle, "g1" on a fresh engine, the request then names). Alternate, when
// set, is sent instead of Request on every other call (Turn): the two
// differ in the state's tick, so no call repeats the one before and the
// answer memo of plan.optimize by handle never answers — the workload
// times planning itself, as a turn with new inputs does.
type Workload struct {
	Name      string
	Setup     []byte
	Request   []byte
	Alternate []byte
}

// Turn returns the request of call i (from 0).
func (w Workload) Turn(i int) []byte {
	if w.Alternate != nil && i%2 == 1 {
		return w.Alternate
	}
	return w.Request
}

// Workloads returns every request-level workload, in report order.
func Workloads() []Workload {
	return []Workload{
		{"empty-roundtrip", nil, []byte(`{"jsonrpc":"2.0","id":1,"method":"version"}`), nil},
		{"decode-encode-2kb", nil, graph2KB(), nil},
		{"chat-turn", nil, optimizeRequest(plan.ChatWorkload()), nil},
		{"chat-turn-handle", createRequest(plan.ChatWorkload()), optimizeByHandle(plan.ChatWorkload()), nil},
		{"chat-turn-handle-new", createRequest(plan.ChatWorkload()), optimizeByHandle(plan.ChatWorkload()), optimizeByHandle(nextTick(plan.ChatWorkload()))},
		{"dag-100x10", nil, optimizeRequest(plan.DAGWorkload(100, 10, 1)), nil},
		{"dag-1000x20", nil, optimizeRequest(plan.DAGWorkload(1000, 20, 1)), nil},
		{"dag-1000x20-handle", createRequest(plan.DAGWorkload(1000, 20, 1)), optimizeByHandle(plan.DAGWorkload(1000, 20, 1)), nil},
		{"dag-1000x20-handle-new", createRequest(plan.DAGWorkload(1000, 20, 1)), optimizeByHandle(plan.DAGWorkload(1000, 20, 1)), optimizeByHandle(nextTick(plan.DAGWorkload(1000, 20, 1)))},
	}
}

// nextTick returns in with its state one tick later (a state is made when
// in has none): the next turn's inputs.
func nextTick(in plan.Input) plan.Input {
	s := *in.State
	s.Tick++
	in.State = &s
	return in
}

// Handle is the handle the Setup request of a fresh engine creates.
const Handle = "g1"

// createRequest encodes the graph.create call that loads in's graph.
func createRequest(in plan.Input) []byte {
	var w jwriter.Writer
	w.RawString(`{"jsonrpc":"2.0","id":0,"method":"graph.create","params":{"graph":`)
	in.Graph.Doc().MarshalEasyJSON(&w)
	w.RawString(`}}`)
	return build(&w)
}

// optimizeByHandle encodes a plan.optimize call for in that names its graph
// by Handle: the per-turn request of a chat server.
func optimizeByHandle(in plan.Input) []byte { return optimizeCall(in, true) }

func build(w *jwriter.Writer) []byte {
	b, err := w.BuildBytes()
	if err != nil {
		panic(fmt.Sprintf("benchdata: %v", err))
	}
	return b
}

// optimizeRequest encodes a plan.optimize call for in with its graph inline.
func optimizeRequest(in plan.Input) []byte { return optimizeCall(in, false) }

// optimizeCall encodes a plan.optimize call for in, naming the graph by
// Handle or sending it inline.
func optimizeCall(in plan.Input, byHandle bool) []byte {
	var w jwriter.Writer
	w.RawString(`{"jsonrpc":"2.0","id":1,"method":"plan.optimize","params":{`)
	if byHandle {
		w.RawString(`"handle":"` + Handle + `"`)
	} else {
		w.RawString(`"graph":`)
		in.Graph.Doc().MarshalEasyJSON(&w)
	}
	w.RawString(`,"contract":`)
	in.Contract.MarshalEasyJSON(&w)
	if in.State != nil {
		w.RawString(`,"state":`)
		in.State.MarshalEasyJSON(&w)
	}
	if in.Weights != nil {
		w.RawString(`,"weights":`)
		in.Weights.MarshalEasyJSON(&w)
	}
	w.RawString(`}}`)
	return build(&w)
}

// graph2KB is a graph.validate request of about 2 KB: decode, validate and
// encode a small chat graph (the docs/DESIGN.md#performance "2 KB decode + encode" baseline).
func graph2KB() []byte {
	req := `{"jsonrpc":"2.0","id":1,"method":"graph.validate","params":{"graph":{"nodes":[`
	req += `{"id":"ask","kind":"intent","text":"compare the latest prices of the two plans","capabilities":["chat"],"tokens":1200,"labels":["pii"]}`
	for i, p := range []string{"openai", "anthropic", "google", "mistral", "groq", "local"} {
		req += fmt.Sprintf(`,{"id":"r-%s","kind":"resource","provider":"%s","capabilities":["chat","tools"],"costPerToken":0.00000%d,"latencyTargetMs":%d,"health":0.9%d,"acceptsLabels":["pii","public"]}`, p, p, i+1, 1000+100*i, i)
	}
	req += `,{"id":"budget","kind":"constraint","predicate":"money <= contract.constraints.maxCost","severity":"hard"}`
	req += `,{"id":"nap","kind":"authority","policySet":[{"effect":"deny","provider":"local"},{"effect":"allow","capability":"chat"}]}`
	req += `],"edges":[`
	for i, p := range []string{"openai", "anthropic", "google", "mistral", "groq", "local"} {
		if i > 0 {
			req += ","
		}
		req += fmt.Sprintf(`{"from":"ask","to":"r-%s","kind":"executes_on","weight":1.%d}`, p, i)
	}
	req += `]}}}`
	return []byte(req)
}
