package plan

import (
	"math"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/internal/norm"
)

// Contract defaults (docs/DESIGN.md#data-model).
const (
	DefaultMaxCost       = 0.05
	DefaultMaxLatencyMs  = 10000.0
	DefaultMemoryPolicy  = "internal"
	DefaultExternalIo    = "allow"
	DefaultIdentityScope = "operator"
)

// Default cost weights (docs/DESIGN.md#data-model).
const (
	DefaultWeightLatency     = 0.3
	DefaultWeightCompute     = 0.4
	DefaultWeightRisk        = 0.2
	DefaultWeightInstability = 0.1
)

var (
	memoryPolicies = []string{"internal", "operator", "public"}
	externalIos    = []string{"allow", "block", "audit"}
	scopes         = []string{"operator", "user", "agent", "public"}
)

// Normalize checks the contract and fills in the documented defaults: maxCost
// 0.05, maxLatencyMs 10000, memoryPolicy internal, externalIo allow,
// identityScope operator. path is the contract's JSON path ("contract"),
// used in errors: a bad enum is INVALID_PARAMS at
// path.constraints.memoryPolicy and so on. It never changes a value that was
// given, and normalizing twice changes nothing.
func (c *Contract) Normalize(path string) error {
	if c == nil {
		return invalid(path, "contract must be an object")
	}
	l := &c.Constraints
	lp := func() string { return errs.Join(path, "constraints") } // built only for an error
	if l.MaxCost == nil {
		l.MaxCost = ptr(DefaultMaxCost)
	} else if !nonNegative(*l.MaxCost) {
		return invalid(errs.Join(lp(), "maxCost"), "maxCost must be a number within [0, %g]", norm.MaxQuantity)
	}
	if l.MaxLatencyMs == nil {
		l.MaxLatencyMs = ptr(DefaultMaxLatencyMs)
	} else if !nonNegative(*l.MaxLatencyMs) {
		return invalid(errs.Join(lp(), "maxLatencyMs"), "maxLatencyMs must be a number within [0, %g]", norm.MaxQuantity)
	}
	if l.DeterminismLevel != nil && !(*l.DeterminismLevel >= 0 && *l.DeterminismLevel <= 1) {
		return invalid(errs.Join(lp(), "determinismLevel"), "determinismLevel must be within [0, 1]")
	}
	if l.MemoryPolicy == "" {
		l.MemoryPolicy = DefaultMemoryPolicy
	} else if !oneOf(memoryPolicies, l.MemoryPolicy) {
		return invalid(errs.Join(lp(), "memoryPolicy"), "memoryPolicy must be one of %v, got %q", memoryPolicies, l.MemoryPolicy)
	}
	if l.ExternalIo == "" {
		l.ExternalIo = DefaultExternalIo
	} else if !oneOf(externalIos, l.ExternalIo) {
		return invalid(errs.Join(lp(), "externalIo"), "externalIo must be one of %v, got %q", externalIos, l.ExternalIo)
	}
	if c.IdentityScope == "" {
		c.IdentityScope = DefaultIdentityScope
	} else if !oneOf(scopes, c.IdentityScope) {
		return invalid(errs.Join(path, "identityScope"), "identityScope must be one of %v, got %q", scopes, c.IdentityScope)
	}
	for _, l := range []struct {
		name string
		list []string
	}{{"allowedProviders", c.AllowedProviders}, {"forbiddenProviders", c.ForbiddenProviders}} {
		for i, s := range l.list {
			// One canonical form for every provider name (norm.Name): a
			// forbidden "openai" is not escaped by "OpenAI" or "openai ".
			l.list[i] = norm.Name(s)
			if norm.Garbled(l.list[i]) {
				return invalid(errs.Index(errs.Join(path, l.name), i), "provider name %s", norm.GarbledMessage)
			}
			if !norm.ValidName(l.list[i]) {
				return invalid(errs.Index(errs.Join(path, l.name), i), "provider names must be non-empty, without control characters")
			}
		}
	}
	for i, id := range c.Intents {
		if id == "" {
			return invalid(errs.Index(errs.Join(path, "intents"), i), "intent ids must be non-empty strings")
		}
	}
	if c.Weights == nil {
		return nil
	}
	return c.Weights.validate(errs.Join(path, "weights"))
}

// validate checks that every given weight is a finite non-negative number.
func (w *CostWeights) validate(path string) error {
	if w == nil {
		return nil
	}
	fields := []struct {
		name string
		v    *float64
	}{{"latency", w.Latency}, {"compute", w.Compute}, {"risk", w.Risk}, {"instability", w.Instability}}
	for _, f := range fields {
		if f.v != nil && !nonNegative(*f.v) {
			return invalid(errs.Join(path, f.name), "weight %s must be a number within [0, %g]", f.name, norm.MaxQuantity)
		}
	}
	return nil
}

// Validate checks an explicit weights parameter; path is its JSON path.
func (w *CostWeights) Validate(path string) error { return w.validate(path) }

// Weights are resolved cost weights: every field has a value.
type Weights struct {
	Latency, Compute, Risk, Instability float64
}

// ResolveWeights resolves each weight separately: the explicit weights
// parameter when it sets the field, else the contract's weights when they
// set it, else the documented default (0.3 latency, 0.4 compute, 0.2 risk, 0.1
// instability). Either argument may be nil.
func ResolveWeights(explicit *CostWeights, c *Contract) Weights {
	var fromContract *CostWeights
	if c != nil {
		fromContract = c.Weights
	}
	pick := func(get func(*CostWeights) *float64, def float64) float64 {
		for _, w := range []*CostWeights{explicit, fromContract} {
			if w != nil {
				if v := get(w); v != nil {
					return *v
				}
			}
		}
		return def
	}
	return Weights{
		Latency:     pick(func(w *CostWeights) *float64 { return w.Latency }, DefaultWeightLatency),
		Compute:     pick(func(w *CostWeights) *float64 { return w.Compute }, DefaultWeightCompute),
		Risk:        pick(func(w *CostWeights) *float64 { return w.Risk }, DefaultWeightRisk),
		Instability: pick(func(w *CostWeights) *float64 { return w.Instability }, DefaultWeightInstability),
	}
}

// wire returns the resolved weights as a wire value (all fields set).
func (w Weights) wire() *CostWeights {
	return &CostWeights{Latency: ptr(w.Latency), Compute: ptr(w.Compute), Risk: ptr(w.Risk), Instability: ptr(w.Instability)}
}

func invalid(path, format string, args ...any) *errs.Error {
	e := errs.New(errs.CodeInvalidParams, "plan: "+format, args...)
	e.Path = path
	return e
}

// nonNegative reports whether x is within [0, norm.MaxQuantity]: finite,
// and small enough that no product of the cost model overflows.
func nonNegative(x float64) bool { return x >= 0 && x <= norm.MaxQuantity && !math.IsInf(x, 0) }

func oneOf(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func ptr[T any](v T) *T { return &v }
