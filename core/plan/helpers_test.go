package plan

import (
	"testing"

	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"

	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/state"
)

// mustGraph builds a graph from its JSON document.
func mustGraph(t testing.TB, js string) *graph.Graph {
	t.Helper()
	var d graph.Doc
	l := jlexer.Lexer{Data: []byte(js)}
	d.UnmarshalEasyJSON(&l)
	if err := l.Error(); err != nil {
		t.Fatalf("graph JSON: %v", err)
	}
	g, err := graph.FromDoc(&d, graph.Limits{}, "graph")
	if err != nil {
		t.Fatalf("graph: %v", err)
	}
	return g
}

func mustContract(t testing.TB, js string) *Contract {
	t.Helper()
	var c Contract
	l := jlexer.Lexer{Data: []byte(js)}
	c.UnmarshalEasyJSON(&l)
	if err := l.Error(); err != nil {
		t.Fatalf("contract JSON: %v", err)
	}
	return &c
}

func mustState(t testing.TB, js string) *state.SystemState {
	t.Helper()
	var s state.SystemState
	l := jlexer.Lexer{Data: []byte(js)}
	s.UnmarshalEasyJSON(&l)
	if err := l.Error(); err != nil {
		t.Fatalf("state JSON: %v", err)
	}
	return &s
}

func planJSON(p *Plan) string {
	w := &jwriter.Writer{}
	p.MarshalEasyJSON(w)
	b, _ := w.BuildBytes()
	return string(b)
}

func mustOptimize(t testing.TB, in Input) *Plan {
	t.Helper()
	p, err := Optimize(in, Options{})
	if err != nil {
		t.Fatalf("Optimize: %v", err)
	}
	return p
}

// rejections returns resource -> reason for one intent, from its step or
// from the infeasibility.
func rejections(p *Plan, intent string) map[string]string {
	out := map[string]string{}
	for _, st := range p.Steps {
		if st.Intent == intent {
			for _, r := range st.Rejected {
				out[r.Resource] = r.Reason
			}
		}
	}
	if p.Infeasibility != nil {
		for _, ir := range p.Infeasibility.Candidates {
			if ir.Intent == intent {
				for _, r := range ir.Rejected {
					out[r.Resource] = r.Reason
				}
			}
		}
	}
	return out
}

func stepOf(p *Plan, intent string) *Step {
	for _, st := range p.Steps {
		if st.Intent == intent {
			return st
		}
	}
	return nil
}

// input makes an Input from JSON fragments; state may be "".
func input(t testing.TB, g, contract, st string) Input {
	t.Helper()
	in := Input{Graph: mustGraph(t, g), Contract: mustContract(t, contract)}
	if st != "" {
		in.State = mustState(t, st)
	}
	return in
}
