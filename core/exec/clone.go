package exec

import (
	"github.com/convergence-io/ceg/core/internal/wire"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/state"
)

// cloneState returns a deep copy of s (an empty state for nil).
func cloneState(s *state.SystemState) *state.SystemState {
	if s == nil {
		return &state.SystemState{Policy: state.Policy{ActiveConstraints: []string{}}}
	}
	c := *s
	c.Resources.Health = s.Resources.Health.Clone()
	c.Resources.LatencyMs = s.Resources.LatencyMs.Clone()
	c.Resources.Breakers = s.Resources.Breakers.Clone()
	c.Policy.ActiveConstraints = append([]string{}, s.Policy.ActiveConstraints...)
	return &c
}

// deleteKey removes k from m.
func deleteKey(m *wire.FloatMap, k string) {
	for i, x := range m.Keys {
		if x == k {
			m.Keys = append(m.Keys[:i], m.Keys[i+1:]...)
			m.Values = append(m.Values[:i], m.Values[i+1:]...)
			return
		}
	}
}

func cloneContract(c *plan.Contract) *plan.Contract {
	d := *c
	d.Intents = append([]string(nil), c.Intents...)
	d.AllowedProviders = c.AllowedProviders.Clone()
	d.ForbiddenProviders = append([]string(nil), c.ForbiddenProviders...)
	d.Constraints.MaxCost = clonePtr(c.Constraints.MaxCost)
	d.Constraints.MaxLatencyMs = clonePtr(c.Constraints.MaxLatencyMs)
	d.Weights = cloneWeights(c.Weights)
	return &d
}

func cloneWeights(w *plan.CostWeights) *plan.CostWeights {
	if w == nil {
		return nil
	}
	return &plan.CostWeights{Latency: clonePtr(w.Latency), Compute: clonePtr(w.Compute), Risk: clonePtr(w.Risk), Instability: clonePtr(w.Instability)}
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func ptr[T any](v T) *T { return &v }
