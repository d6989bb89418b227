package swap

// Guard is the swap oscillation guard on its own (the original CEG's
// OscillationGuard): it records swaps between pairs of resources and says
// whether a pair oscillates. The registry keeps its own history and counts
// it with the same function (pairCount), so a session's guard answers the
// same questions over the swaps the session made.
type Guard struct {
	Limit  int   // a pair oscillates past this many swaps within the window (3)
	Window int64 // ticks (10): a swap at tick t counts at tick now when now-t < Window
	swaps  []Swap
}

// MaxGuardSwaps bounds the swaps a Guard remembers; past it the oldest is
// forgotten.
const MaxGuardSwaps = 10_000

// NewGuard returns an empty guard (limit 3, window 10 when given zero).
func NewGuard(limit int, window int64) *Guard {
	if limit <= 0 {
		limit = DefaultConfig().OscillationLimit
	}
	if window <= 0 {
		window = DefaultConfig().OscillationWindow
	}
	return &Guard{Limit: limit, Window: window}
}

// RecordSwap records a swap from old to new at tick.
func (g *Guard) RecordSwap(old, new string, tick int64) {
	if len(g.swaps) >= MaxGuardSwaps {
		g.swaps = append(g.swaps[:0], g.swaps[1:]...)
	}
	g.swaps = append(g.swaps, Swap{Tick: tick, From: old, To: new})
}

// Count is the number of swaps between old and new, in either direction,
// within the window ending at tick.
func (g *Guard) Count(old, new string, tick int64) int {
	return pairCount(g.swaps, old, new, tick, g.Window)
}

// IsOscillating reports whether the pair swapped more than Limit times
// within the window ending at tick (the original's rule). The registry
// refuses the swap that would make it so: one at Count >= Limit.
func (g *Guard) IsOscillating(old, new string, tick int64) bool {
	return g.Count(old, new, tick) > g.Limit
}

// Reset forgets every swap between old and new (either direction).
func (g *Guard) Reset(old, new string) {
	kept := g.swaps[:0]
	for _, s := range g.swaps {
		if !samePair(s, old, new) {
			kept = append(kept, s)
		}
	}
	g.swaps = kept
}

// Len is the number of swaps remembered.
func (g *Guard) Len() int { return len(g.swaps) }

func samePair(s Swap, a, b string) bool {
	return (s.From == a && s.To == b) || (s.From == b && s.To == a)
}

// pairCount counts the swaps between a and b (either direction) within
// window ticks ending at tick.
func pairCount(history []Swap, a, b string, tick, window int64) int {
	n := 0
	for _, s := range history {
		if tick-s.Tick < window && samePair(s, a, b) {
			n++
		}
	}
	return n
}

// PairCount is the guard's view of the registry: swaps between a and b
// within the oscillation window ending at tick.
func (r *Registry) PairCount(a, b string, tick int64) int {
	return pairCount(r.history, a, b, tick, r.cfg.OscillationWindow)
}

// Clone returns a copy of the guard that shares nothing with it.
func (g *Guard) Clone() *Guard {
	return &Guard{Limit: g.Limit, Window: g.Window, swaps: append([]Swap(nil), g.swaps...)}
}

// Restore makes g what c is (c from Clone; c must not be used afterwards).
func (g *Guard) Restore(c *Guard) { *g = *c }
