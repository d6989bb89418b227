package state

import (
	"sort"

	"github.com/convergence-io/ceg/core/internal/wire"
	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

// Breaker states (SPEC §5.7).
const (
	Available   = "available"
	Degraded    = "degraded"
	QuotaHit    = "quota_hit"
	CircuitOpen = "circuit_open"
)

// SystemState is S.
//
//easyjson:json
type SystemState struct {
	Tick      int64     `json:"tick"`
	Now       float64   `json:"now"`
	Resources Resources `json:"resources"`
	Memory    Memory    `json:"memory"`
	Policy    Policy    `json:"policy"`
}

// Resources holds per-provider observations.
//
//easyjson:json
type Resources struct {
	Health    wire.FloatMap `json:"health"`
	LatencyMs wire.FloatMap `json:"latencyMs"`
	Breakers  BreakerMap    `json:"breakers"`
}

// Memory is the memory load view.
//
//easyjson:json
type Memory struct {
	ActiveNodes int `json:"activeNodes"`
	Entries     int `json:"entries"`
}

// Policy is the policy view: constraint ids in force, the NAP profile name
// and the governing authority scope (when set it caps the contract's
// identityScope).
//
//easyjson:json
type Policy struct {
	ActiveConstraints []string `json:"activeConstraints"`
	NapProfile        string   `json:"napProfile,omitempty"`
	AuthorityScope    string   `json:"authorityScope,omitempty"`
}

// Breaker is one provider's circuit breaker as it travels in S.
//
//easyjson:json
type Breaker struct {
	State        string  `json:"state"`
	Errors       int     `json:"errors"`
	Level        int     `json:"level"`
	OpenUntil    float64 `json:"openUntil,omitempty"`
	Probing      bool    `json:"probing,omitempty"`
	LatencyEmaMs float64 `json:"latencyEmaMs,omitempty"`
	Samples      int     `json:"samples,omitempty"`
}

// BreakerMap is provider -> Breaker, encoded with sorted keys.
type BreakerMap struct {
	Keys   []string
	Values []*Breaker
}

// Get returns the breaker of a provider, or nil.
func (m *BreakerMap) Get(p string) *Breaker {
	i := sort.SearchStrings(m.Keys, p)
	if i < len(m.Keys) && m.Keys[i] == p {
		return m.Values[i]
	}
	return nil
}

// Set stores b for provider p, keeping keys sorted.
func (m *BreakerMap) Set(p string, b *Breaker) {
	i := sort.SearchStrings(m.Keys, p)
	if i < len(m.Keys) && m.Keys[i] == p {
		m.Values[i] = b
		return
	}
	m.Keys = append(m.Keys, "")
	m.Values = append(m.Values, nil)
	copy(m.Keys[i+1:], m.Keys[i:])
	copy(m.Values[i+1:], m.Values[i:])
	m.Keys[i], m.Values[i] = p, b
}

// IsDefined reports whether any breaker is present.
func (m BreakerMap) IsDefined() bool { return len(m.Keys) > 0 }

// MarshalEasyJSON encodes with sorted keys.
func (m BreakerMap) MarshalEasyJSON(w *jwriter.Writer) {
	w.RawByte('{')
	for i, k := range m.Keys {
		if i > 0 {
			w.RawByte(',')
		}
		w.String(k)
		w.RawByte(':')
		m.Values[i].MarshalEasyJSON(w)
	}
	w.RawByte('}')
}

// UnmarshalEasyJSON decodes an object of breakers.
func (m *BreakerMap) UnmarshalEasyJSON(l *jlexer.Lexer) {
	if l.IsNull() {
		l.Skip()
		return
	}
	l.Delim('{')
	for !l.IsDelim('}') {
		k := l.String()
		l.WantColon()
		b := &Breaker{}
		b.UnmarshalEasyJSON(l)
		l.WantComma()
		if !l.Ok() {
			return
		}
		m.Set(k, b)
	}
	l.Delim('}')
}
