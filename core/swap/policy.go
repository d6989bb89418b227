package swap

import (
	"math"

	"github.com/convergence-io/ceg/core/errs"
)

// Policy is the wire form of a registry's Config: every field optional on
// input (absent keeps the default), every field present on output.
//
//easyjson:json
type Policy struct {
	HealthThreshold    *float64 `json:"healthThreshold,omitempty"`
	LatencyTolerance   *float64 `json:"latencyTolerance,omitempty"`
	CostTolerance      *float64 `json:"costTolerance,omitempty"`
	SameCapabilities   *bool    `json:"sameCapabilities,omitempty"`
	AllowDegraded      *bool    `json:"allowDegraded,omitempty"`
	DiversityCap       *float64 `json:"diversityCap,omitempty"`
	OscillationLimit   *int     `json:"oscillationLimit,omitempty"`
	OscillationWindow  *int64   `json:"oscillationWindow,omitempty"`
	Hysteresis         *string  `json:"hysteresis,omitempty"`
	HysteresisEpsilon  *float64 `json:"hysteresisEpsilon,omitempty"`
	CooldownTicks      *int64   `json:"cooldownTicks,omitempty"`
	StabilityThreshold *float64 `json:"stabilityThreshold,omitempty"`
	EmaAlpha           *float64 `json:"emaAlpha,omitempty"`
}

// maxTicks bounds tick-valued knobs.
const maxTicks = 1_000_000

// Config returns DefaultConfig with the policy's fields applied. A value out
// of range is INVALID_PARAMS at path.<field>.
func (p *Policy) Config(path string) (Config, error) {
	c := DefaultConfig()
	if p == nil {
		return c, nil
	}
	bad := func(field, format string, args ...any) error {
		e := errs.New(errs.CodeInvalidParams, "swap: "+format, args...)
		e.Path = errs.Join(path, field)
		return e
	}
	unit := func(field string, v *float64, dst *float64, lo, hi float64) error {
		if v == nil {
			return nil
		}
		if !(*v >= lo && *v <= hi) || math.IsNaN(*v) {
			return bad(field, "%s must be within [%g, %g]", field, lo, hi)
		}
		*dst = *v
		return nil
	}
	for _, f := range []struct {
		name   string
		v      *float64
		dst    *float64
		lo, hi float64
	}{
		{"healthThreshold", p.HealthThreshold, &c.HealthThreshold, 0, 1},
		{"latencyTolerance", p.LatencyTolerance, &c.LatencyTolerance, 0, 1000},
		{"costTolerance", p.CostTolerance, &c.CostSpikeFactor, 0, 1000},
		{"diversityCap", p.DiversityCap, &c.DiversityCap, 0, 1},
		{"hysteresisEpsilon", p.HysteresisEpsilon, &c.MinImprovement, 0, 1},
		{"stabilityThreshold", p.StabilityThreshold, &c.MinStability, 0, 1},
		{"emaAlpha", p.EmaAlpha, &c.StabilityAlpha, 0, 1},
	} {
		if err := unit(f.name, f.v, f.dst, f.lo, f.hi); err != nil {
			return c, err
		}
	}
	if p.SameCapabilities != nil {
		c.SameCapabilities = *p.SameCapabilities
	}
	if p.AllowDegraded != nil {
		c.AllowDegraded = *p.AllowDegraded
	}
	if v := p.OscillationLimit; v != nil {
		if *v < 1 || *v > maxTicks {
			return c, bad("oscillationLimit", "oscillationLimit must be within [1, %d]", maxTicks)
		}
		c.OscillationLimit = *v
	}
	if v := p.OscillationWindow; v != nil {
		if *v < 1 || *v > maxTicks {
			return c, bad("oscillationWindow", "oscillationWindow must be within [1, %d]", maxTicks)
		}
		c.OscillationWindow = *v
	}
	if v := p.CooldownTicks; v != nil {
		if *v < 0 || *v > maxTicks {
			return c, bad("cooldownTicks", "cooldownTicks must be within [0, %d]", maxTicks)
		}
		c.CooldownTicks = *v
	}
	if v := p.Hysteresis; v != nil {
		if *v != HysteresisCandidate && *v != HysteresisIncumbent {
			return c, bad("hysteresis", "hysteresis must be %q or %q, got %q", HysteresisCandidate, HysteresisIncumbent, *v)
		}
		c.Hysteresis = *v
	}
	return c, nil
}

// PolicyOf returns the full wire form of a Config.
func PolicyOf(c Config) *Policy {
	h := c.Hysteresis
	if h == "" {
		h = HysteresisCandidate
	}
	return &Policy{
		HealthThreshold: &c.HealthThreshold, LatencyTolerance: &c.LatencyTolerance, CostTolerance: &c.CostSpikeFactor,
		SameCapabilities: &c.SameCapabilities, AllowDegraded: &c.AllowDegraded, DiversityCap: &c.DiversityCap,
		OscillationLimit: &c.OscillationLimit, OscillationWindow: &c.OscillationWindow, Hysteresis: &h,
		HysteresisEpsilon: &c.MinImprovement, CooldownTicks: &c.CooldownTicks, StabilityThreshold: &c.MinStability,
		EmaAlpha: &c.StabilityAlpha,
	}
}

// Blocked is the number of swaps refused because nothing was acceptable.
func (r *Registry) Blocked() int { return r.blocked }

// NoteBlocked counts a refused selection made outside Swap.
func (r *Registry) NoteBlocked() { r.blocked++ }

// UnnoteBlocked takes back one NoteBlocked (a failed answer does).
func (r *Registry) UnnoteBlocked() { r.blocked-- }

// Tracked returns the resources with registered candidates, sorted.
func (r *Registry) Tracked() []string { return sortedKeys(r.stored) }

// RegisteredIDs returns the ids registered for resource, in registration
// order.
func (r *Registry) RegisteredIDs(resource string) []string {
	out := []string{}
	for _, n := range r.stored[resource] {
		out = append(out, n.ID)
	}
	return out
}
