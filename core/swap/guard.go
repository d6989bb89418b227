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
	bytes  int // Σ SwapBytes over swaps
}

// swapOverhead is the byte size of a Swap apart from its strings: the
// struct (a tick and six string headers) and its slot in a slice.
const swapOverhead = 128

// SwapBytes is the byte size of a remembered swap, the estimate the
// engine's byte budgets count (as graph.NodeBytes is for a node).
func SwapBytes(s Swap) int {
	return swapOverhead + len(s.From) + len(s.To) + len(s.FromProvider) + len(s.ToProvider) + len(s.Trigger) + len(s.Trace)
}

// Bytes is the byte size of the swaps the guard remembers.
func (g *Guard) Bytes() int { return g.bytes }

// RecordBytes is how much Bytes would grow if RecordSwap(old, new, tick)
// ran now (less when the oldest swap would be forgotten).
func (g *Guard) RecordBytes(old, new string) int {
	d := SwapBytes(Swap{From: old, To: new})
	if len(g.swaps) >= MaxGuardSwaps {
		d -= SwapBytes(g.swaps[0])
	}
	return d
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
func (g *Guard) RecordSwap(old, new string, tick int64) { g.Record(old, new, tick) }

// Record is RecordSwap that also returns how to take the swap back (a
// failed answer does). Both are O(1): past MaxGuardSwaps the oldest swap
// leaves from the front of the slice, without copying the rest.
func (g *Guard) Record(old, new string, tick int64) (undo func()) {
	var dropped *Swap
	if len(g.swaps) >= MaxGuardSwaps {
		d := g.swaps[0]
		dropped = &d
		g.bytes -= SwapBytes(d)
		g.swaps[0] = Swap{} // its strings can be collected
		g.swaps = g.swaps[1:]
	}
	s := Swap{Tick: tick, From: old, To: new}
	g.swaps = append(g.swaps, s)
	g.bytes += SwapBytes(s)
	return func() {
		g.swaps = g.swaps[:len(g.swaps)-1]
		g.bytes -= SwapBytes(s)
		if dropped != nil {
			g.swaps = append([]Swap{*dropped}, g.swaps...)
			g.bytes += SwapBytes(*dropped)
		}
	}
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
		} else {
			g.bytes -= SwapBytes(s)
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
	return &Guard{Limit: g.Limit, Window: g.Window, swaps: append([]Swap(nil), g.swaps...), bytes: g.bytes}
}

// Restore makes g what c is (c from Clone; c must not be used afterwards).
func (g *Guard) Restore(c *Guard) { *g = *c }
