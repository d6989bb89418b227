package state

import (
	"math"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/internal/wire"
)

// Breaker policy (docs/DESIGN.md#breakers-and-hot-swap). Every duration is in host milliseconds.
const (
	FailureThreshold = 3       // consecutive errors that open the circuit
	OpenBaseMs       = 30_000  // first open lasts 30 s; each re-open doubles it
	OpenCapMs        = 600_000 // an open never lasts longer than 600 s
	QuotaBackoffMs   = 60_000  // a quota hit backs the provider off for 60 s
	LatencyAlpha     = 0.2     // EMA weight of a new latency sample
	MaxLevel         = 16      // level saturates here (the duration is capped long before)

	// Health written into S for a provider whose breaker is not closed; see
	// (*Breaker).Health.
	HealthDown     = 0.0
	HealthProbe    = 0.25
	HealthDegraded = 0.5
)

// NewBreaker returns a closed breaker.
func NewBreaker() *Breaker { return &Breaker{State: Available} }

// OpenDuration is how long a circuit opened at level stays open:
// 30 s·2^level, capped at 600 s.
func OpenDuration(level int) float64 {
	if level < 0 {
		level = 0
	}
	return math.Min(OpenBaseMs*math.Pow(2, float64(min(level, MaxLevel))), OpenCapMs)
}

// Success records a call that returned after latencyMs at host time now:
// errors reset and the latency EMA moves (the first sample seeds it). The
// breaker closes (available, level 0) when it was closed already, when the
// success is the half-open probe, or when a quota back-off has expired. A
// late success — a call made before the circuit opened or before the quota
// hit, answering while the circuit is open with no probe out or while the
// back-off runs — leaves the state as it is: only the probe closes a
// circuit, and only time ends a back-off.
func (b *Breaker) Success(latencyMs, now float64) {
	b.Errors = 0
	if latencyMs >= 0 && !math.IsNaN(latencyMs) && !math.IsInf(latencyMs, 0) {
		if b.Samples == 0 {
			b.LatencyEmaMs = latencyMs
		} else {
			b.LatencyEmaMs = float64(LatencyAlpha*latencyMs) + float64((1-LatencyAlpha)*b.LatencyEmaMs)
		}
		b.LatencyEmaMs = round(b.LatencyEmaMs)
		b.Samples++
	}
	switch {
	case b.State == CircuitOpen && !b.Probing:
		return
	case b.State == QuotaHit && now < b.OpenUntil:
		return
	}
	b.Level, b.OpenUntil, b.Probing = 0, 0, false
	b.State = Available
}

// Error records a failed call (an error or a timeout) at host time now. The
// third consecutive error opens the circuit for OpenDuration(level), then
// level++. A failed half-open probe re-opens at once with the next level.
// An error reported while the circuit is open and no probe is out (a late
// report) only counts.
func (b *Breaker) Error(now float64) {
	b.Errors++
	switch {
	case b.Probing:
		b.open(now)
	case b.State == CircuitOpen:
		// late report: the circuit is already open
	case b.Errors >= FailureThreshold:
		b.open(now)
	default:
		b.State = Degraded
	}
}

func (b *Breaker) open(now float64) {
	b.State = CircuitOpen
	b.OpenUntil = now + OpenDuration(b.Level)
	b.Level = min(b.Level+1, MaxLevel)
	b.Probing = false
}

// Quota records a quota/rate-limit answer at host time now: the provider is
// backed off for 60 s. It is not an error: errors and level are unchanged.
func (b *Breaker) Quota(now float64) {
	b.State = QuotaHit
	b.OpenUntil = now + QuotaBackoffMs
	b.Probing = false
}

// Allow reports whether a call may go to the provider at host time now: the
// circuit is closed (available or degraded), a quota back-off has expired,
// or an open circuit's time is up and its single probe is not already out
// (half-open). Allow does not change the breaker; Acquire does.
func (b *Breaker) Allow(now float64) bool {
	if b == nil {
		return true
	}
	switch b.State {
	case CircuitOpen:
		return now >= b.OpenUntil && !b.Probing
	case QuotaHit:
		return now >= b.OpenUntil
	}
	return true
}

// Acquire is Allow for a call that is about to be made: when it admits the
// half-open probe it marks the breaker probing, so a second call is refused
// until the probe is resolved by Success, Error or Quota.
func (b *Breaker) Acquire(now float64) bool {
	if !b.Allow(now) {
		return false
	}
	if b.State == CircuitOpen {
		b.Probing = true
	}
	return true
}

// HalfOpen reports whether the circuit is open but its probe is due or out.
func (b *Breaker) HalfOpen(now float64) bool {
	return b != nil && b.State == CircuitOpen && (now >= b.OpenUntil || b.Probing)
}

// Instability is min(1, errors/3), the instability term of the cost model.
func (b *Breaker) Instability() float64 {
	if b == nil {
		return 0
	}
	return math.Min(1, float64(b.Errors)/FailureThreshold)
}

// CheckLatency marks a closed breaker degraded while its latency EMA is
// over targetMs, and available again once it is back under the target with
// no errors outstanding. Other states are left alone.
//
// Degraded therefore means: the circuit is closed but the provider either
// failed recently (errors > 0, fewer than 3) or is slower than its target.
func (b *Breaker) CheckLatency(targetMs float64) {
	if b.State != Available && b.State != Degraded {
		return
	}
	if b.Errors > 0 || (b.Samples > 0 && targetMs > 0 && b.LatencyEmaMs > targetMs) {
		b.State = Degraded
	} else {
		b.State = Available
	}
}

// Health is the health the breaker implies at host time now, and whether
// it implies one at all:
//   - an open circuit whose probe is not due, or a quota back-off still
//     running: 0 (the provider is down: the optimizer rejects it);
//   - a half-open circuit (probe due or out): 0.25;
//   - degraded, or a quota back-off that has expired: 0.5;
//   - available: none (the state's or the node's own health stands).
func (b *Breaker) Health(now float64) (float64, bool) {
	if b == nil {
		return 0, false
	}
	switch b.State {
	case CircuitOpen:
		if b.HalfOpen(now) {
			return HealthProbe, true
		}
		return HealthDown, true
	case QuotaHit:
		if now < b.OpenUntil {
			return HealthDown, true
		}
		return HealthDegraded, true
	case Degraded:
		return HealthDegraded, true
	}
	return 0, false
}

// Clone returns a copy of b.
func (b *Breaker) Clone() *Breaker {
	c := *b
	return &c
}

// Clone returns a deep copy of the map.
func (m BreakerMap) Clone() BreakerMap {
	c := BreakerMap{wire.Sorted[*Breaker]{Keys: append([]string(nil), m.Keys...), Values: make([]*Breaker, len(m.Values))}}
	for i, b := range m.Values {
		c.Values[i] = b.Clone()
	}
	return c
}

// ApplyBreakers feeds breakers into s at host time now (docs/DESIGN.md#breakers-and-hot-swap: breakers
// feed S.resources). For each provider:
//   - resources.breakers gets a copy of the breaker;
//   - resources.health: a breaker that implies 0 (open, or backing off a
//     quota) overrides whatever S says; a breaker that implies 0.25 or 0.5
//     (half-open, degraded) sets that value only when S gives none for the
//     provider, so a host-given health stands; an available breaker leaves
//     health alone;
//   - resources.latencyMs: the latency EMA, once there is a sample (an
//     observation made in this session is newer than any given value).
func (s *SystemState) ApplyBreakers(breakers BreakerMap, now float64) {
	s.applyBreakers(breakers, now, true)
}

// ApplyBreakersShared is ApplyBreakers for a caller that never changes
// breakers afterwards: s holds the breakers themselves, not copies (and,
// when s has no breakers of its own, breakers' own arrays).
func (s *SystemState) ApplyBreakersShared(breakers BreakerMap, now float64) {
	s.applyBreakers(breakers, now, false)
}

func (s *SystemState) applyBreakers(breakers BreakerMap, now float64, clone bool) {
	adopt := !clone && len(s.Resources.Breakers.Keys) == 0
	if adopt {
		s.Resources.Breakers = breakers
	}
	for i, p := range breakers.Keys {
		b := breakers.Values[i]
		switch {
		case clone:
			s.Resources.Breakers.Set(p, b.Clone())
		case !adopt:
			s.Resources.Breakers.Set(p, b)
		}
		if h, ok := b.Health(now); ok {
			if _, given := s.Resources.Health.Get(p); h == HealthDown || !given {
				s.Resources.Health.Set(p, h)
			}
		}
		if b.Samples > 0 {
			s.Resources.LatencyMs.Set(p, b.LatencyEmaMs)
		}
	}
}

// round is the engine's canonical rounding, so EMAs encode identically
// everywhere.
func round(x float64) float64 { return dilation.Round(x) }
