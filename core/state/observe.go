package state

// Call statuses an observation reports; the executor's outcome statuses.
const (
	StatusOK      = "ok"
	StatusError   = "error"
	StatusTimeout = "timeout"
	StatusQuota   = "quota"
)

// Observation is one call result a host made outside an executor session
// (for example a chat server's own dispatch loop), reported to
// state.observe.
//
//easyjson:json
type Observation struct {
	Provider  string   `json:"provider"`
	Status    string   `json:"status"`
	LatencyMs *float64 `json:"latencyMs"`
	// At is the host time of the result (ms); state.observe takes its now
	// when absent. A host that reports results later than they happened
	// gives it so breakers open and back off from the right time.
	At *float64 `json:"at"`
}

// Observe feeds one call result into b at host time now, with the rules the
// executor applies to its own steps (ok: Success; error and timeout: Error;
// quota: Quota). A result reported for an open circuit whose time is up is
// that circuit's half-open probe: a success closes it, an error re-opens it
// at the next level. A result reported while the circuit is still open is a
// late report and only counts, as in the executor.
func (b *Breaker) Observe(o Observation, now float64) {
	if b.State == CircuitOpen && now >= b.OpenUntil {
		b.Acquire(now)
	}
	switch o.Status {
	case StatusOK:
		lat := -1.0
		if o.LatencyMs != nil {
			lat = *o.LatencyMs
		}
		b.Success(lat, now)
	case StatusQuota:
		b.Quota(now)
	default:
		b.Error(now)
	}
}

// NextChange is the earliest host time after now at which a breaker's
// implied health changes by time alone (an open circuit's probe falls due, a
// quota back-off ends), or 0 when none will.
func (m BreakerMap) NextChange(now float64) float64 {
	next := 0.0
	for _, b := range m.Values {
		if b == nil || (b.State != CircuitOpen && b.State != QuotaHit) || b.OpenUntil <= now {
			continue
		}
		if next == 0 || b.OpenUntil < next {
			next = b.OpenUntil
		}
	}
	return next
}
