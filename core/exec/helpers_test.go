package exec

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/state"
	"github.com/convergence-io/ceg/core/trace"
	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

type easy interface {
	MarshalEasyJSON(*jwriter.Writer)
}

func enc(v easy) string {
	var w jwriter.Writer
	v.MarshalEasyJSON(&w)
	return string(w.Buffer.BuildBytes())
}

func decode(t *testing.T, js string, v interface{ UnmarshalEasyJSON(*jlexer.Lexer) }) {
	t.Helper()
	l := jlexer.Lexer{Data: []byte(js)}
	v.UnmarshalEasyJSON(&l)
	l.Consumed()
	if err := l.Error(); err != nil {
		t.Fatalf("decode %s: %v", js, err)
	}
}

// mustGraph builds a graph from its JSON document.
func mustGraph(t *testing.T, js string) *graph.Graph {
	t.Helper()
	var d graph.Doc
	decode(t, js, &d)
	g, err := graph.FromDoc(&d, graph.Limits{}, "graph")
	if err != nil {
		t.Fatalf("graph: %v", err)
	}
	return g
}

func mustState(t *testing.T, js string) *state.SystemState {
	t.Helper()
	s := &state.SystemState{}
	decode(t, js, s)
	return s
}

func mustScenario(t *testing.T, js string) *Scenario {
	t.Helper()
	s := &Scenario{}
	decode(t, js, s)
	return s
}

func contract(id string) *plan.Contract { return &plan.Contract{ID: id, Intent: "hello"} }

func mustRun(t *testing.T, g *graph.Graph, st *state.SystemState, opts Options, sc *Scenario) *RunResult {
	t.Helper()
	res, err := Run("s1", Input{Graph: g, Contract: contract("c1"), State: st}, opts, sc)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if ok, _, i, why := trace.Verify(res.Trace); !ok {
		t.Fatalf("the run's trace does not verify at %d: %s", i, why)
	}
	return res
}

// events lists "event:actor" for every record of a trace.
func events(rs []*trace.Record) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Event+":"+r.Actor)
	}
	return out
}

func count(rs []*trace.Record, event string) int {
	n := 0
	for _, r := range rs {
		if r.Event == event {
			n++
		}
	}
	return n
}

func find(rs []*trace.Record, event, actor string) *trace.Record {
	for _, r := range rs {
		if r.Event == event && (actor == "" || r.Actor == actor) {
			return r
		}
	}
	return nil
}

func data(t *testing.T, r *trace.Record) map[string]any {
	t.Helper()
	m := map[string]any{}
	if err := json.Unmarshal(r.Data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func dump(rs []*trace.Record) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.ID + " " + r.Event + " " + r.Actor + " <- " + r.CausalParent + " " + string(r.Data) + "\n")
	}
	return b.String()
}

func i64(v int64) *int64 { return &v }
