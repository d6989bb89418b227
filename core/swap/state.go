package swap

import (
	"sort"

	"github.com/convergence-io/ceg/core/graph"
)

//go:generate go tool easyjson -no_std_marshalers -disallow_unknown_fields state.go

// State is the registry's wire form, for session snapshots. Every list is
// sorted by id.
//
//easyjson:json
type State struct {
	Candidates []Registered `json:"candidates"`
	History    []Swap       `json:"history"`
	LastIn     []TickMark   `json:"lastIn"`
	Stability  []Stability  `json:"stability"`
	// Blocked counts swaps refused because nothing was acceptable (absent: 0).
	Blocked int `json:"blocked,omitempty"`
}

// Registered is the list of candidates registered for one resource, in
// registration order.
//
//easyjson:json
type Registered struct {
	Resource string        `json:"resource"`
	Nodes    []*graph.Node `json:"nodes"`
}

// TickMark is the tick a resource was last swapped in.
//
//easyjson:json
type TickMark struct {
	ID   string `json:"id"`
	Tick int64  `json:"tick"`
}

// Stability is a resource's health EMA.
//
//easyjson:json
type Stability struct {
	ID    string  `json:"id"`
	Value float64 `json:"value"`
}

// State returns a deep copy of the registry's state.
func (r *Registry) State() State {
	s := State{Candidates: []Registered{}, History: append([]Swap{}, r.history...), LastIn: []TickMark{}, Stability: []Stability{}, Blocked: r.blocked}
	for _, k := range sortedKeys(r.stored) {
		reg := Registered{Resource: k}
		for _, n := range r.stored[k] {
			reg.Nodes = append(reg.Nodes, n.Clone())
		}
		s.Candidates = append(s.Candidates, reg)
	}
	for _, k := range sortedKeys(r.lastIn) {
		s.LastIn = append(s.LastIn, TickMark{k, r.lastIn[k]})
	}
	for _, k := range sortedKeys(r.stability) {
		s.Stability = append(s.Stability, Stability{k, r.stability[k]})
	}
	return s
}

// FromState rebuilds a registry from its state.
func FromState(cfg Config, s State) *Registry {
	r := New(cfg)
	for _, reg := range s.Candidates {
		for _, n := range reg.Nodes {
			r.stored[reg.Resource] = append(r.stored[reg.Resource], n.Clone())
		}
	}
	r.history = append(r.history, s.History...)
	for _, m := range s.LastIn {
		r.lastIn[m.ID] = m.Tick
	}
	for _, v := range s.Stability {
		r.stability[v.ID] = v.Value
	}
	r.blocked = s.Blocked
	r.recount()
	return r
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Clone returns a copy of the registry that shares nothing with it (a
// failed call puts the copy back: Restore).
func (r *Registry) Clone() *Registry { return FromState(r.cfg, r.State()) }

// Restore makes r what c is (c from Clone; c must not be used afterwards).
func (r *Registry) Restore(c *Registry) { *r = *c }
