package state

// Health returns the state's health for provider p, or def when S has none.
func (s *SystemState) Health(p string, def float64) float64 {
	if s == nil {
		return def
	}
	if v, ok := s.Resources.Health.Get(p); ok {
		return v
	}
	return def
}

// Latency returns the state's observed latency for provider p, or def.
func (s *SystemState) Latency(p string, def float64) float64 {
	if s == nil {
		return def
	}
	if v, ok := s.Resources.LatencyMs.Get(p); ok {
		return v
	}
	return def
}

// Breaker returns provider p's breaker, or nil.
func (s *SystemState) Breaker(p string) *Breaker {
	if s == nil {
		return nil
	}
	return s.Resources.Breakers.Get(p)
}
