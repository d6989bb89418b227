package plan

import (
	"slices"

	"github.com/convergence-io/ceg/core/graph"
)

// labeler computes propagated labels (docs/DESIGN.md#eligibility). The labels of an intent
// are its own, plus those of the memories it requires or observes, plus
// those of the intents that transform into it (with everything they carry),
// plus those of memories reached by derives_from edges from the intent or
// from any memory it carries. Results are memoized per node; derives_from
// cycles between memories are walked once.
type labeler struct {
	x               *index
	intents         map[string][]string
	mems            map[string][]string
	intentsN, memsN int
}

// reset readies a (pooled) labeler for a call over about n intents.
func (l *labeler) reset(x *index, n int) *labeler {
	l.x = x
	reuseMap(&l.intents, &l.intentsN, n)
	reuseMap(&l.mems, &l.memsN, len(x.nodes(graph.KindMemory)))
	return l
}

// intentLabels returns the sorted, deduplicated labels of an intent, given
// the edges out of and into it. Intents that transform into it are resolved
// first with an explicit stack (post-order), not recursion: a chain of
// thousands of transforms_into edges must not be limited by a wasm host's
// call stack.
func (l *labeler) intentLabels(id string, out, in []*graph.Edge) []string {
	if ls, ok := l.intents[id]; ok {
		return ls
	}
	if !transformed(in) { // nothing to resolve first
		ls := l.own(id, out, in)
		l.intents[id] = ls
		return ls
	}
	type frame struct {
		id       string
		out, in  []*graph.Edge
		expanded bool
	}
	stack := []frame{{id: id, out: out, in: in}}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if _, done := l.intents[f.id]; done && !f.expanded {
			stack = stack[:len(stack)-1] // reached twice (a diamond): already resolved
			continue
		}
		if !f.expanded {
			f.expanded = true
			l.intents[f.id] = nil // in progress; transforms_into is acyclic, this only guards bad input
			pending := false
			for _, e := range f.in {
				if e.Kind != graph.EdgeTransformsInto {
					continue
				}
				if src := l.x.node(e.From); src != nil && src.Kind == graph.KindIntent {
					if _, known := l.intents[src.ID]; !known {
						stack = append(stack, frame{id: src.ID, out: l.x.from(src.ID), in: l.x.to(src.ID)})
						pending = true
					}
				}
			}
			if pending {
				continue // f may have moved: resolve the sources, then come back
			}
		}
		f = &stack[len(stack)-1]
		l.intents[f.id] = l.own(f.id, f.out, f.in)
		stack = stack[:len(stack)-1]
	}
	return l.intents[id]
}

// transformed reports whether a transforms_into edge enters the node.
func transformed(in []*graph.Edge) bool {
	for _, e := range in {
		if e.Kind == graph.EdgeTransformsInto {
			return true
		}
	}
	return false
}

// own combines an intent's labels with those of its memories and of the
// (already resolved) intents that transform into it.
func (l *labeler) own(id string, out, in []*graph.Edge) []string {
	ls := l.x.node(id).Labels
	for _, e := range out {
		if e.Kind != graph.EdgeRequires && e.Kind != graph.EdgeObserves && e.Kind != graph.EdgeDerivesFrom {
			continue
		}
		if m := l.x.node(e.To); m != nil && m.Kind == graph.KindMemory {
			ls = append(ls[:len(ls):len(ls)], l.memoryLabels(m.ID)...)
		}
	}
	for _, e := range in {
		if e.Kind != graph.EdgeTransformsInto {
			continue
		}
		if src := l.x.node(e.From); src != nil && src.Kind == graph.KindIntent {
			ls = append(ls[:len(ls):len(ls)], l.intents[src.ID]...)
		}
	}
	return canonical(ls)
}

// memoryLabels returns a memory's labels plus those of every memory it
// reaches through derives_from edges.
func (l *labeler) memoryLabels(id string) []string {
	if ls, ok := l.mems[id]; ok {
		return ls
	}
	var ls []string
	seen := map[string]bool{id: true}
	stack := []string{id}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		ls = append(ls, l.x.node(cur).Labels...)
		for _, e := range l.x.from(cur) {
			if e.Kind != graph.EdgeDerivesFrom {
				continue
			}
			if m := l.x.node(e.To); m != nil && m.Kind == graph.KindMemory && !seen[m.ID] {
				seen[m.ID] = true
				stack = append(stack, m.ID)
			}
		}
	}
	ls = canonical(ls)
	l.mems[id] = ls
	return ls
}

// canonical returns the labels sorted and deduplicated, reusing the slice
// when it already is (it never modifies a node's own slice).
func canonical(ls []string) []string {
	if len(ls) == 0 {
		return nil
	}
	ok := true
	for i := 1; i < len(ls); i++ {
		if ls[i-1] >= ls[i] {
			ok = false
			break
		}
	}
	if ok {
		return ls
	}
	out := slices.Clone(ls)
	slices.Sort(out)
	return slices.Compact(out)
}
