package plan

import (
	"math"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/state"
)

// Cost model of docs/DESIGN.md#cost-model. Every product is wrapped in an explicit
// float64(...) so no platform fuses it into a multiply-add.

// resourceFacts are the effective health, latency and dilation of a
// resource under S.
type resourceFacts struct {
	health      float64 // health(r): state health of the provider, else node health
	lat         float64 // lat(r): state latency of the provider, else latencyTargetMs
	target      float64 // latencyTargetMs
	d           float64 // D(r)
	instability float64
}

// factsOf computes health(r), lat(r) and D(r). D(r) is
// dilation.FromHealth(health(r), lat(r)/latencyTarget(r)) when S has a health
// or latency for r's provider (a target of 0 counts as ratio 1), else the
// node's dilation field (default 1). With nodeD the node's field is D(r)
// whatever S says (Input.NodeDilation).
func factsOf(n *graph.Node, s *state.SystemState, nodeD bool) resourceFacts {
	f := resourceFacts{target: n.LatencyTarget()}
	h, hasH := stateValue(s, n.Provider, true)
	l, hasL := stateValue(s, n.Provider, false)
	f.health, f.lat = n.HealthOr(), f.target
	if hasH {
		f.health = h
	}
	if hasL {
		f.lat = l
	}
	switch {
	case (hasH || hasL) && !nodeD:
		ratio := 1.0
		if f.target > 0 {
			ratio = f.lat / f.target
		}
		f.d = dilation.FromHealth(f.health, ratio)
	case n.Dilation > 0:
		f.d = n.Dilation
	default:
		f.d = 1
	}
	f.instability = instability(s.Breaker(n.Provider))
	return f
}

func stateValue(s *state.SystemState, provider string, health bool) (float64, bool) {
	if s == nil {
		return 0, false
	}
	if health {
		return s.Resources.Health.Get(provider)
	}
	return s.Resources.LatencyMs.Get(provider)
}

// instability is min(1, consecutiveErrors/FailureThreshold) of a breaker (0
// without one).
func instability(b *state.Breaker) float64 {
	if b == nil || b.Errors <= 0 {
		return 0
	}
	return math.Min(1, float64(b.Errors)/FailureThreshold)
}

// money is costPerToken(r)·tokens(i) + costPerCall(r).
func money(costPerToken, costPerCall, tokens float64) float64 {
	return float64(costPerToken*tokens) + costPerCall
}

// dilatedLatency is lat(r)·D(r).
func dilatedLatency(lat, d float64) float64 { return float64(lat * d) }

// stepCost is D(i)·w(i->r)·[wL·dilatedLatency/10000 + wC·money +
// wR·(1-health) + wI·instability].
func stepCost(di, w float64, wt Weights, dl, money, health, instab float64) float64 {
	inner := float64(wt.Latency*float64(dl/10000)) + float64(wt.Compute*money) +
		float64(wt.Risk*(1-health)) + float64(wt.Instability*instab)
	return float64(float64(di*w) * inner)
}

// tau is τ(i,r) = latencyTargetMs(r)·D(r); the deadline is τ·LatencyTolerance.
func tau(target, d float64) float64 { return float64(target * d) }

func deadline(target, d float64) float64 { return float64(tau(target, d) * LatencyTolerance) }

// within reports whether x meets a limit, with a tolerance of 1e-9 relative
// to the limit (absolute below 1) so sums taken in different orders agree.
func within(x, limit float64) bool {
	return x <= limit+float64(1e-9*math.Max(1, math.Abs(limit)))
}
