package api

import (
	"math"
	"strings"

	"github.com/convergence-io/ceg/core/errs"

	"github.com/convergence-io/ceg/core/plan"
)

// Params and results of contract.fromMessage.

//easyjson:json
type fromMessageParams struct {
	Message   *string            `json:"message"`
	Overrides *contractOverrides `json:"overrides"`
}

// contractOverrides replaces any field of the compiled contract; the
// constraint fields are given flat (overrides.maxCost, not
// overrides.constraints.maxCost), as the original takes them.
//
//easyjson:json
type contractOverrides struct {
	ID                 *string           `json:"id"`
	Intent             *string           `json:"intent"`
	Intents            []string          `json:"intents"`
	MaxCost            *float64          `json:"maxCost"`
	MaxLatencyMs       *float64          `json:"maxLatencyMs"`
	Determinism        *bool             `json:"determinism"`
	DeterminismLevel   *float64          `json:"determinismLevel"`
	MemoryPolicy       *string           `json:"memoryPolicy"`
	ExternalIo         *string           `json:"externalIo"`
	AllowedProviders   []string          `json:"allowedProviders"`
	ForbiddenProviders []string          `json:"forbiddenProviders"`
	IdentityScope      *string           `json:"identityScope"`
	Weights            *plan.CostWeights `json:"weights"`
}

//easyjson:json
type contractResult struct {
	Contract *plan.Contract `json:"contract"`
}

// contract.fromMessage {message, overrides?} -> {contract}: the original
// CEG's contract compiler (plan.FromMessage), then the overrides, then the
// contract defaults. A bad override is INVALID_PARAMS at overrides.<field>.
func contractFromMessage(_ *Engine, raw []byte) (marshaler, error) {
	var p fromMessageParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Message == nil {
		return nil, missing("message")
	}
	c := plan.FromMessage(*p.Message)
	if o := p.Overrides; o != nil {
		nonNeg := func(name string, v *float64) error {
			if v != nil && !(*v >= 0 && !math.IsInf(*v, 0)) {
				return badParam("overrides."+name, "overrides.%s must be a non-negative number", name)
			}
			return nil
		}
		if err := nonNeg("maxCost", o.MaxCost); err != nil {
			return nil, err
		}
		if err := nonNeg("maxLatencyMs", o.MaxLatencyMs); err != nil {
			return nil, err
		}
		if o.DeterminismLevel != nil && !(*o.DeterminismLevel >= 0 && *o.DeterminismLevel <= 1) {
			return nil, badParam("overrides.determinismLevel", "overrides.determinismLevel must be within [0, 1]")
		}
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&c.ID, o.ID)
		set(&c.Intent, o.Intent)
		set(&c.Constraints.MemoryPolicy, o.MemoryPolicy)
		set(&c.Constraints.ExternalIo, o.ExternalIo)
		set(&c.IdentityScope, o.IdentityScope)
		if o.MaxCost != nil {
			c.Constraints.MaxCost = o.MaxCost
		}
		if o.MaxLatencyMs != nil {
			c.Constraints.MaxLatencyMs = o.MaxLatencyMs
		}
		if o.Determinism != nil {
			c.Constraints.Determinism = *o.Determinism
		}
		if o.DeterminismLevel != nil {
			c.Constraints.DeterminismLevel = o.DeterminismLevel
		}
		if o.Intents != nil {
			c.Intents = o.Intents
		}
		if o.AllowedProviders != nil {
			c.AllowedProviders = o.AllowedProviders
		}
		if o.ForbiddenProviders != nil {
			c.ForbiddenProviders = o.ForbiddenProviders
		}
		if o.Weights != nil {
			c.Weights = o.Weights
		}
	}
	if err := c.Normalize("overrides"); err != nil {
		return nil, flatten(err)
	}
	return &contractResult{Contract: c}, nil
}

// flatten maps a Normalize error path onto the flat overrides
// (overrides.constraints.memoryPolicy -> overrides.memoryPolicy).
func flatten(err error) error {
	e, ok := err.(*errs.Error)
	if !ok {
		return err
	}
	c := *e
	c.Path = strings.Replace(c.Path, "overrides.constraints.", "overrides.", 1)
	return &c
}
