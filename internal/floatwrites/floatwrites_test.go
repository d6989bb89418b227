package floatwrites

import (
	"strings"
	"testing"
)

func TestRewrite(t *testing.T) {
	src := "import (\n\tjlexer \"github.com/mailru/easyjson/jlexer\"\n\tjwriter \"github.com/mailru/easyjson/jwriter\"\n)\n" +
		"\t\tout.Float64(float64(in.Cost))\n\t\tout.Float64(float64(*in.At))\n\t\tout.Int(int(in.N))\n"
	got, n := Rewrite([]byte(src))
	if n != 2 {
		t.Fatalf("rewrote %d calls, want 2", n)
	}
	for _, want := range []string{
		"jsonfloat.Write(out, float64(in.Cost))", "jsonfloat.Write(out, float64(*in.At))", "out.Int(int(in.N))",
		"\tjsonfloat \"github.com/convergence-io/ceg/core/internal/jsonfloat\"\n",
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(string(got), "out.Float64(") {
		t.Errorf("a call is left:\n%s", got)
	}
	if _, n := Rewrite([]byte("package x\n")); n != 0 {
		t.Errorf("rewrote %d calls in a file without any", n)
	}
}
