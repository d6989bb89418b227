package plan

import (
	"sync"

	"github.com/convergence-io/ceg/core/state"
	"github.com/mailru/easyjson/jwriter"
)

// scratch is the working memory of one Optimize or Reoptimize call that no
// result points into: the graph index, the candidate, intent, order and
// option slabs, the verdicts, the label memo, the step-order lists, the
// search's arrays, the expression views and the hash buffer. On a
// 1,000 × 20 graph that is about 3 MB a call; a caller that plans repeatedly (an
// engine answering plan.optimize, an executor re-planning every tick) would
// otherwise allocate and collect it every time. Calls take a scratch from a
// pool and give it back when they return, so one scratch serves one call at
// a time, and every buffer is cleared when it is taken: no call sees
// another's data. A pooled scratch may keep the last graph it saw reachable
// until the garbage collector empties the pool (at most two cycles).
type scratch struct {
	cands    []cand
	ints     []intent
	intPtrs  []*intent
	res      []resource
	resPtrs  []*resource
	resIdx   map[string]int
	resIdxN  int // entries resIdx was last filled with
	hits     []bool
	order    []int
	opts     []option
	back     []int
	verdicts []verdict
	views    []intentView
	hash     []byte
	sum      [32]byte          // the plan id's SHA-256
	w        jwriter.Writer    // the plan id's JSON part
	contract Contract          // the call's normalized contract
	state    state.SystemState // the call's validated copy of the caller's S
	prob     problem
	vars     []svar
	backs    [][]int
	fin      []float64
	at       []int32 // order: node position -> 1 + intent index
	links    [][2]int
	enabled  [][2]int
	preds    adjacency
	succs    adjacency
	enables  adjacency
	solver   solverMem
	x        index
	labels   labeler
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// release gives the scratch back to the pool, keeping the verdict list the
// call grew.
func (p *problem) release() {
	ws := p.ws
	ws.verdicts = p.verdicts[:0]
	ws.state = state.SystemState{} // hold nothing of the caller's
	p.ws = nil
	scratchPool.Put(ws) // p lives in ws: nothing may touch it from here on
}

// reuseMap empties *m for about n entries. Clearing a map costs its
// capacity, so one last filled with far more entries (a much larger graph)
// is made anew instead; *last records the size it is filled for.
func reuseMap[K comparable, V any](m *map[K]V, last *int, n int) {
	if *m == nil || *last > 4*n+64 {
		*m = make(map[K]V, n)
	} else {
		clear(*m)
	}
	*last = n
}

// grab returns *buf resized to n zeroed elements, reusing its array when it
// is large enough and growing it otherwise.
func grab[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
		return *buf
	}
	s := (*buf)[:n]
	clear(s)
	*buf = s
	return s
}
