package state

import (
	"math"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/internal/norm"
	"github.com/convergence-io/ceg/core/internal/wire"
)

// BreakerStates lists the breaker states in sorted order.
var BreakerStates = []string{Available, CircuitOpen, Degraded, QuotaHit}

// Validate checks S the way node values are checked and canonicalises its
// provider keys (norm.Name), so a state value cannot do what a node value
// may not: health within [0, 1], latencies, times and counters
// non-negative and within norm.MaxQuantity, every breaker state one of
// BreakerStates (an unknown state such as "open" used to read as closed).
// Two keys that name the same provider once canonicalised are an error.
// path is the state's JSON path ("state"). A nil state is valid.
func (s *SystemState) Validate(path string) error {
	if s == nil {
		return nil
	}
	// Paths are joined only on the way out with an error: a valid state
	// (every turn's) costs no allocation here.
	bad := func(field, format string, args ...any) error {
		e := errs.New(errs.CodeInvalidParams, "state: "+format, args...)
		e.Path = errs.Join(path, field)
		return e
	}
	if s.Tick < 0 {
		return bad("tick", "tick must be non-negative")
	}
	if !norm.InRange(s.Now, 0, norm.MaxQuantity) {
		return bad("now", "now must be within [0, %g]", norm.MaxQuantity)
	}
	if err := floatMap(&s.Resources.Health, 1, path, "resources.health"); err != nil {
		return err
	}
	if err := floatMap(&s.Resources.LatencyMs, norm.MaxQuantity, path, "resources.latencyMs"); err != nil {
		return err
	}
	if err := canonKeys(&s.Resources.Breakers.Sorted, path, "resources.breakers"); err != nil {
		return err
	}
	for i, k := range s.Resources.Breakers.Keys {
		b := s.Resources.Breakers.Values[i]
		if b == nil {
			return bad("resources.breakers."+k, "breaker must be an object")
		}
		if b.Validate("") != nil { // the path is built only for an error
			return b.Validate(errs.Join(path, "resources.breakers."+k))
		}
	}
	if s.Memory.ActiveNodes < 0 || s.Memory.Entries < 0 {
		return bad("memory", "memory counts must be non-negative")
	}
	return nil
}

// Validate checks one breaker; path is its JSON path.
func (b *Breaker) Validate(path string) error {
	bad := func(field, format string, args ...any) error {
		e := errs.New(errs.CodeInvalidParams, "state: "+format, args...)
		e.Path = errs.Join(path, field)
		return e
	}
	switch b.State {
	case Available, Degraded, QuotaHit, CircuitOpen:
	default:
		return bad("state", "breaker state must be one of %v, got %q", BreakerStates, b.State)
	}
	if b.Errors < 0 {
		return bad("errors", "breaker errors must be non-negative")
	}
	if b.Samples < 0 {
		return bad("samples", "breaker samples must be non-negative")
	}
	if b.Level < 0 || b.Level > MaxLevel {
		return bad("level", "breaker level must be within [0, %d] (it saturates there)", MaxLevel)
	}
	if !norm.InRange(b.OpenUntil, 0, norm.MaxQuantity) {
		return bad("openUntil", "openUntil must be within [0, %g]", norm.MaxQuantity)
	}
	if !norm.InRange(b.LatencyEmaMs, 0, norm.MaxQuantity) {
		return bad("latencyEmaMs", "latencyEmaMs must be within [0, %g]", norm.MaxQuantity)
	}
	return nil
}

// floatMap canonicalises the keys of m and checks every value is within
// [0, hi]. The map's path is prefix joined with field (joined only for an
// error).
func floatMap(m *wire.FloatMap, hi float64, prefix, field string) error {
	if err := canonKeys(&m.Sorted, prefix, field); err != nil {
		return err
	}
	for i, k := range m.Keys {
		if v := m.Values[i]; !norm.InRange(v, 0, hi) || math.IsNaN(v) {
			e := errs.New(errs.CodeInvalidParams, "state: %s of %q must be within [0, %g], got %v", lastField(field), k, hi, v)
			e.Path = errs.Join(errs.Join(prefix, field), k)
			return e
		}
	}
	return nil
}

// canonKeys rewrites a map's keys to canonical provider names, keeping
// them sorted; two keys with one canonical name are an error. The map's
// path is prefix joined with field.
func canonKeys[V any](m *wire.Sorted[V], prefix, field string) error {
	changed := false
	for _, k := range m.Keys {
		c := norm.Name(k)
		if norm.Garbled(c) {
			e := errs.New(errs.CodeInvalidParams, "state: provider name %q %s", k, norm.GarbledMessage)
			e.Path = errs.Join(errs.Join(prefix, field), k)
			return e
		}
		if !norm.ValidName(c) {
			e := errs.New(errs.CodeInvalidParams, "state: provider name %q is empty or has control characters", k)
			e.Path = errs.Join(errs.Join(prefix, field), k)
			return e
		}
		if c != k {
			changed = true
		}
	}
	if !changed {
		return nil
	}
	var out wire.Sorted[V]
	for i, k := range m.Keys {
		c := norm.Name(k)
		if _, dup := out.Get(c); dup {
			e := errs.New(errs.CodeInvalidParams, "state: %q and another key both name provider %q (names compare case-insensitively, trimmed, in NFC)", k, c)
			e.Path = errs.Join(errs.Join(prefix, field), k)
			return e
		}
		out.Set(c, m.Values[i])
	}
	*m = out
	return nil
}

func lastField(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '.' {
			return path[i+1:]
		}
	}
	return path
}
