package otel_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/convergence-io/ceg/core/api"
	"github.com/convergence-io/ceg/core/trace"
	"github.com/convergence-io/ceg/testrunner/otel"
)

// ExampleSpans maps the trace of a simulated chat turn whose first provider
// fails to spans: the session, its step, and one client span per attempt.
func ExampleSpans() {
	resp := api.New(api.Limits{}).Handle([]byte(`{"jsonrpc":"2.0","id":1,"method":"exec.run","params":{
	  "graph":{"nodes":[
	    {"id":"gpt","kind":"resource","provider":"openai","capabilities":["chat"],"costPerToken":0.00001},
	    {"id":"claude","kind":"resource","provider":"anthropic","capabilities":["chat"],"costPerToken":0.00002}],"edges":[]},
	  "contract":{"id":"turn-1","intent":"hello"},
	  "scenario":{"outcomes":[{"provider":"openai","status":"error"}]}}}`))
	var r struct {
		Result struct {
			Trace []json.RawMessage `json:"trace"`
		} `json:"result"`
	}
	if err := json.Unmarshal(resp, &r); err != nil {
		panic(err)
	}
	var jsonl strings.Builder
	for _, rec := range r.Result.Trace {
		jsonl.Write(rec)
		jsonl.WriteByte('\n')
	}
	records, err := trace.ParseJSONL([]byte(jsonl.String()))
	if err != nil {
		panic(err)
	}
	spans, err := otel.Spans(records, otel.Options{})
	if err != nil {
		panic(err)
	}
	for _, s := range spans {
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%-22s kind %d status %d %s", s.Name, s.Kind, s.Status.Code, s.Status.Message)))
	}
	// Output:
	// ceg.session            kind 1 status 1
	// ceg.step step-intent   kind 1 status 1
	// chat gpt               kind 3 status 2 simulated error
	// chat claude            kind 3 status 1
}
