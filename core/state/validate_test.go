package state

import (
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/internal/norm"
	"github.com/mailru/easyjson/jlexer"
)

// FuzzValidate: any state that decodes and validates has every value in
// range, every breaker state known and every provider key canonical, and
// validating it again changes nothing.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{
		`{"resources":{"health":{"openai":0.5,"OpenAI ":1}}}`,
		`{"resources":{"health":{"a":1.5},"latencyMs":{"a":-1}}}`,
		`{"now":1e300,"resources":{"breakers":{"a":{"state":"open","errors":3}}}}`,
		`{"tick":3,"resources":{"breakers":{"A":{"state":"circuit_open","errors":3,"level":2,"openUntil":60000}}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s SystemState
		l := jlexer.Lexer{Data: data}
		s.UnmarshalEasyJSON(&l)
		if l.Error() != nil || s.Validate("state") != nil {
			return
		}
		for i, k := range s.Resources.Health.Keys {
			if v := s.Resources.Health.Values[i]; !(v >= 0 && v <= 1) || norm.Name(k) != k {
				t.Fatalf("health %q = %v passed", k, v)
			}
		}
		for i, k := range s.Resources.LatencyMs.Keys {
			if v := s.Resources.LatencyMs.Values[i]; !(v >= 0 && v <= norm.MaxQuantity) || norm.Name(k) != k {
				t.Fatalf("latency %q = %v passed", k, v)
			}
		}
		for i, k := range s.Resources.Breakers.Keys {
			b := s.Resources.Breakers.Values[i]
			if norm.Name(k) != k || b.Validate("b") != nil {
				t.Fatalf("breaker %q %+v passed", k, b)
			}
		}
		if err := s.Validate("state"); err != nil {
			t.Fatalf("a valid state failed a second validation: %v", err)
		}
	})
}

// TestBreakerValidate: each field a breaker rule reads is checked, and the
// error names that field.
func TestBreakerValidate(t *testing.T) {
	for _, tt := range []struct {
		b    Breaker
		want string
	}{
		{Breaker{State: Available}, ""},
		{Breaker{State: "open"}, "state"},
		{Breaker{State: ""}, "state"},
		{Breaker{State: Degraded, Errors: -1}, "errors"},
		{Breaker{State: CircuitOpen, Level: MaxLevel + 1}, "level"},
		{Breaker{State: CircuitOpen, OpenUntil: -1}, "openUntil"},
		{Breaker{State: Available, LatencyEmaMs: -3}, "latencyEmaMs"},
		{Breaker{State: Available, Samples: -1}, "samples"},
	} {
		var got string
		if err := tt.b.Validate("b"); err != nil {
			got = strings.TrimPrefix(err.(*errs.Error).Path, "b.")
		}
		if got != tt.want {
			t.Errorf("Validate(%+v) got: %q want: %q", tt.b, got, tt.want)
		}
	}
}
