package state

import (
	"github.com/convergence-io/ceg/core/internal/wire"
	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

// Breaker states (docs/DESIGN.md#breakers-and-hot-swap).
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
	State        string  `json:"state,intern"`
	Errors       int     `json:"errors"`
	Level        int     `json:"level"`
	OpenUntil    float64 `json:"openUntil,omitempty"`
	Probing      bool    `json:"probing,omitempty"`
	LatencyEmaMs float64 `json:"latencyEmaMs,omitempty"`
	Samples      int     `json:"samples,omitempty"`
}

// BreakerMap is provider -> Breaker, encoded with sorted keys.
type BreakerMap struct{ wire.Sorted[*Breaker] }

// Get returns the breaker of a provider, or nil.
func (m *BreakerMap) Get(p string) *Breaker {
	b, _ := m.Sorted.Get(p)
	return b
}

// MarshalEasyJSON encodes with sorted keys.
func (m BreakerMap) MarshalEasyJSON(w *jwriter.Writer) {
	m.Encode(w, func(w *jwriter.Writer, b *Breaker) { b.MarshalEasyJSON(w) })
}

// UnmarshalEasyJSON decodes an object of breakers. Into a map that was
// Reset it reuses the breakers the map held before (up to 8), so a decode
// target reused call after call does not allocate them again.
func (m *BreakerMap) UnmarshalEasyJSON(l *jlexer.Lexer) {
	var spare [8]*Breaker // breakers of a Reset map, free for reuse
	ns := 0
	if len(m.Values) == 0 {
		// Clearing the array as the breakers are taken keeps each of them
		// in one place: positions past the map's length never hold a
		// stale copy of a pointer that is in use.
		all := m.Values[:cap(m.Values)]
		ns = copy(spare[:], all)
		clear(all)
	}
	var slab []Breaker // new breakers of one object, allocated together
	m.Decode(l, func(l *jlexer.Lexer) *Breaker {
		var b *Breaker
		for b == nil && ns > 0 {
			ns--
			b, spare[ns] = spare[ns], nil
		}
		if b == nil {
			if len(slab) == cap(slab) {
				slab = make([]Breaker, 0, 8)
			}
			slab = append(slab, Breaker{})
			b = &slab[len(slab)-1]
		}
		*b = Breaker{}
		b.UnmarshalEasyJSON(l)
		return b
	})
}
