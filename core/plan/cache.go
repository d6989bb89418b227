package plan

import (
	"crypto/sha256"
	"encoding"
	"hash"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/graph"
)

// Cache keeps, between calls that plan over the same graph, what does not
// change from one call to the next while the graph does not: the graph's
// index (its nodes sorted by id, its edges by (from, to, kind), the
// adjacency and the nodes by kind), the state of the plan id's hash after
// the graph part, and the estimates of intent texts already seen (a
// bounded LRU). An engine keeps one per graph handle, so a chat server
// that plans every turn over one handle pays for the graph once.
//
// Entries are keyed by the graph and its Version: any change made through
// the graph's methods, a rollback, or a Touch after an in-place change
// makes the next call rebuild them, so a Cache never changes a plan (the
// plan id included). A Cache serves one call at a time (it is not safe for
// concurrent use) and holds its graph reachable until the next call names
// another one.
type Cache struct {
	g       *graph.Graph
	version uint64
	x       index
	loaded  bool   // x is the index of (g, version)
	digest  []byte // the hash state after the graph part of the plan id; nil until computed
	h       hash.Hash
	est     estimates
	lastID  string // the last plan id made, given again while the inputs repeat
}

// idString returns id as a string, the last one's when it is the same
// (a turn planned again with unchanged inputs allocates no new id).
func (c *Cache) idString(id []byte) string {
	if string(id) != c.lastID {
		c.lastID = string(id)
	}
	return c.lastID
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{} }

// index returns the index of g, building it when g or its version differ
// from the cached one.
func (c *Cache) index(g *graph.Graph) *index {
	if !c.loaded || c.g != g || c.version != g.Version() {
		c.x.load(g)
		c.g, c.version, c.loaded, c.digest = g, g.Version(), true, nil
	}
	return &c.x
}

// hasher returns a hash whose state is the graph part of the plan id of
// the cached graph, or nil when it has not been computed yet.
func (c *Cache) hasher() hash.Hash {
	if c.digest == nil {
		return nil
	}
	if c.h == nil {
		c.h = sha256.New()
	}
	if err := c.h.(encoding.BinaryUnmarshaler).UnmarshalBinary(c.digest); err != nil {
		return nil // cannot happen: the state came from the same hash type
	}
	return c.h
}

// keep records h's state as the graph part of the cached graph's plan id.
func (c *Cache) keep(h hash.Hash) {
	if st, err := h.(encoding.BinaryMarshaler).MarshalBinary(); err == nil {
		c.digest = st
	}
}

// estimate is dilation.Estimate(text, 0.5, 0), remembered.
func (c *Cache) estimate(text string) float64 {
	if d, ok := c.est.get(text); ok {
		return d
	}
	d, _ := dilation.Estimate(text, 0.5, 0)
	c.est.put(text, d)
	return d
}

// estimateSlots bounds the estimates a Cache remembers.
const estimateSlots = 64

// estimates is a small least-recently-used map from a text to its D.
type estimates struct {
	at    map[string]int // text -> slot
	slots []estimateSlot
	clock uint64
}

type estimateSlot struct {
	text string
	d    float64
	used uint64
}

func (e *estimates) get(text string) (float64, bool) {
	i, ok := e.at[text]
	if !ok {
		return 0, false
	}
	e.clock++
	e.slots[i].used = e.clock
	return e.slots[i].d, true
}

func (e *estimates) put(text string, d float64) {
	if e.at == nil {
		e.at = make(map[string]int, estimateSlots)
	}
	e.clock++
	if len(e.slots) < estimateSlots {
		e.at[text] = len(e.slots)
		e.slots = append(e.slots, estimateSlot{text, d, e.clock})
		return
	}
	lru := 0
	for i := range e.slots {
		if e.slots[i].used < e.slots[lru].used {
			lru = i
		}
	}
	delete(e.at, e.slots[lru].text)
	e.slots[lru] = estimateSlot{text, d, e.clock}
	e.at[text] = lru
}
