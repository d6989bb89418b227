package state

import (
	"testing"

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
