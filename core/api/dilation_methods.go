package api

import (
	"math"

	"github.com/convergence-io/ceg/core/dilation"
)

// Params and results of the dilation.* methods.

//easyjson:json
type computeParams struct {
	Uncertainty       *float64 `json:"uncertainty"`
	CostPressure      *float64 `json:"costPressure"`
	Confidence        *float64 `json:"confidence"`
	CollapseProximity *float64 `json:"collapseProximity"`
}

//easyjson:json
type fromHealthParams struct {
	Health       *float64 `json:"health"`
	LatencyRatio *float64 `json:"latencyRatio"`
}

//easyjson:json
type groundingParams struct {
	D              *float64 `json:"d"`
	BaseMaxResults *int     `json:"baseMaxResults"`
	BaseMinSources *int     `json:"baseMinSources"`
}

//easyjson:json
type estimateParams struct {
	Text              *string  `json:"text"`
	Confidence        *float64 `json:"confidence"`
	CollapseProximity *float64 `json:"collapseProximity"`
}

//easyjson:json
type dResult struct {
	D float64 `json:"d"`
}

//easyjson:json
type estimateResult struct {
	D           float64 `json:"d"`
	Uncertainty float64 `json:"uncertainty"`
}

// maxBase bounds grounding bases so that round(base·D) always fits an int.
const maxBase = 1_000_000

func required(name string, v *float64) (float64, error) {
	if v == nil {
		return 0, missing(name)
	}
	return *v, nil
}

func optional(v *float64, def float64) float64 {
	if v == nil {
		return def
	}
	return *v
}

// d returns D of the inputs (dilation.Compute); a missing one is
// INVALID_PARAMS.
func (p *computeParams) d() (float64, error) {
	u, err := required("uncertainty", p.Uncertainty)
	if err != nil {
		return 0, err
	}
	cp, err := required("costPressure", p.CostPressure)
	if err != nil {
		return 0, err
	}
	c, err := required("confidence", p.Confidence)
	if err != nil {
		return 0, err
	}
	return dilation.Compute(u, cp, c, optional(p.CollapseProximity, 0)), nil
}

// d returns D of the observation (dilation.FromHealth); a missing input is
// INVALID_PARAMS.
func (p *fromHealthParams) d() (float64, error) {
	h, err := required("health", p.Health)
	if err != nil {
		return 0, err
	}
	r, err := required("latencyRatio", p.LatencyRatio)
	if err != nil {
		return 0, err
	}
	return dilation.FromHealth(h, r), nil
}

// dilation.compute {uncertainty, costPressure, confidence, collapseProximity?} -> {d}.
func dilationCompute(_ *Engine, raw []byte) (marshaler, error) {
	var p computeParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	d, err := p.d()
	if err != nil {
		return nil, err
	}
	return &dResult{D: d}, nil
}

// dilation.fromHealth {health, latencyRatio} -> {d}.
func dilationFromHealth(_ *Engine, raw []byte) (marshaler, error) {
	var p fromHealthParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	d, err := p.d()
	if err != nil {
		return nil, err
	}
	return &dResult{D: d}, nil
}

// dilation.grounding {d, baseMaxResults?, baseMinSources?} -> policy.
func dilationGrounding(_ *Engine, raw []byte) (marshaler, error) {
	var p groundingParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	d, err := required("d", p.D)
	if err != nil {
		return nil, err
	}
	if d < 0 || d > dilation.Max || math.IsNaN(d) {
		return nil, badParam("d", "d must be within [0, %g]", dilation.Max)
	}
	base := func(name string, v *int, def int) (int, error) {
		if v == nil {
			return def, nil
		}
		if *v < 0 || *v > maxBase {
			return 0, badParam(name, "%s must be within [0, %d]", name, maxBase)
		}
		return *v, nil
	}
	mr, err := base("baseMaxResults", p.BaseMaxResults, dilation.BaseMaxResults)
	if err != nil {
		return nil, err
	}
	ms, err := base("baseMinSources", p.BaseMinSources, dilation.BaseMinSources)
	if err != nil {
		return nil, err
	}
	g := dilation.Policy(d, mr, ms)
	return &g, nil
}

// dilation.estimate {text, confidence?, collapseProximity?} -> {d, uncertainty}.
func dilationEstimate(_ *Engine, raw []byte) (marshaler, error) {
	var p estimateParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Text == nil {
		return nil, missing("text")
	}
	d, u := dilation.Estimate(*p.Text, optional(p.Confidence, 0.5), optional(p.CollapseProximity, 0))
	return &estimateResult{D: d, Uncertainty: u}, nil
}
