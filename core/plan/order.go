package plan

import (
	"slices"
	"strings"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/graph"
)

// Step order (docs/DESIGN.md#optimizer).
//
// Between intents in scope, "a requires b" makes b a predecessor of a (a
// needs b done first) and "a transforms_into b" makes a a predecessor of b
// (a's output is b's input). The wave of a step is 0 without predecessors,
// else one more than its latest predecessor's. Steps are ordered by wave;
// within a wave, enables edges are followed where they do not form a cycle
// (a soft preference), ties broken by intent id.

// order computes predecessors and waves and sorts p.ints into step order;
// preds then refer to earlier positions.
func (p *problem) order() error {
	n := len(p.ints)
	slices.SortFunc(p.ints, func(a, b *intent) int { return strings.Compare(a.id, b.id) })
	at := grab(&p.ws.at, len(p.x.doc.Nodes)) // node position -> 1 + index in p.ints
	for i, it := range p.ints {
		at[it.pos] = int32(i + 1)
	}
	links, enabled := p.ws.links[:0], p.ws.enabled[:0] // (before, after)
	defer func() { p.ws.links, p.ws.enabled = links[:0], enabled[:0] }()
	for i, it := range p.ints {
		targets := p.x.targets(it.pos) // it.out is the index's out list
		for k, e := range it.out {
			j := int(at[targets[k]]) - 1
			if j < 0 || j == i {
				continue
			}
			switch e.Kind {
			case graph.EdgeRequires:
				links = append(links, [2]int{j, i})
			case graph.EdgeTransformsInto:
				links = append(links, [2]int{i, j})
			case graph.EdgeEnables:
				enabled = append(enabled, [2]int{i, j})
			}
		}
	}
	slices.SortFunc(links, func(a, b [2]int) int {
		if a[1] != b[1] {
			return a[1] - b[1]
		}
		return a[0] - b[0]
	})
	links = slices.Compact(links)
	preds := p.ws.preds.group(n, links, 1, 0)
	succs := p.ws.succs.group(n, links, 0, 1)
	enables := p.ws.enables.group(n, enabled, 0, 1)
	// Kahn in id order: waves, and a cycle check (requires and
	// transforms_into point opposite ways, so the graph's own check, which
	// treats both as from->to, cannot see every cycle).
	indeg := make([]int, n)
	for i := range preds {
		indeg[i] = len(preds[i])
	}
	queue := make([]int, 0, n)
	for i := range indeg {
		if indeg[i] == 0 {
			queue = append(queue, i)
		}
	}
	wave := make([]int, n)
	for h := 0; h < len(queue); h++ {
		i := queue[h]
		for _, j := range succs[i] {
			wave[j] = max(wave[j], wave[i]+1)
			if indeg[j]--; indeg[j] == 0 {
				queue = append(queue, j)
			}
		}
	}
	if len(queue) < n {
		return p.cycleError(preds, indeg)
	}
	// Group by wave, then order each wave by enables, ties by id.
	maxWave := 0
	for _, w := range wave {
		maxWave = max(maxWave, w)
	}
	groups := make([][]int, maxWave+1)
	for i := range p.ints { // id order
		groups[wave[i]] = append(groups[wave[i]], i)
	}
	final := make([]int, 0, n)
	for _, grp := range groups {
		if len(enabled) > 0 {
			grp = enablesOrder(grp, enables)
		}
		final = append(final, grp...)
	}
	newPos := make([]int, n)
	for k, i := range final {
		newPos[i] = k
	}
	ordered := make([]*intent, n)
	for k, i := range final {
		it := p.ints[i]
		it.wave = wave[i]
		it.preds = preds[i] // rewritten in place: each list is its own
		for x, q := range it.preds {
			it.preds[x] = newPos[q]
		}
		slices.Sort(it.preds)
		ordered[k] = it
	}
	p.ints = ordered
	return nil
}

// enablesOrder orders one wave (given in id order): Kahn over the enables
// edges inside the wave, smallest id first; when only a cycle is left the
// smallest remaining id goes next.
func enablesOrder(grp []int, enables [][]int) []int {
	if len(grp) < 2 {
		return grp
	}
	in := make(map[int]bool, len(grp))
	for _, i := range grp {
		in[i] = true
	}
	indeg := make(map[int]int, len(grp))
	has := false
	for _, i := range grp {
		for _, j := range enables[i] {
			if in[j] && j != i {
				indeg[j]++
				has = true
			}
		}
	}
	if !has {
		return grp
	}
	done := make(map[int]bool, len(grp))
	out := make([]int, 0, len(grp))
	for len(out) < len(grp) {
		next := -1
		for _, i := range grp { // id order: the first ready one
			if !done[i] && indeg[i] == 0 {
				next = i
				break
			}
		}
		if next < 0 { // an enables cycle: take the smallest id left
			for _, i := range grp {
				if !done[i] {
					next = i
					break
				}
			}
		}
		done[next] = true
		out = append(out, next)
		for _, j := range enables[next] {
			if in[j] && !done[j] && j != next {
				indeg[j]--
			}
		}
	}
	return out
}

// cycleError names one ordering cycle among the intents left by Kahn's
// algorithm: walking predecessors inside the leftover set must repeat.
func (p *problem) cycleError(preds [][]int, indeg []int) error {
	start := -1
	for i := range indeg {
		if indeg[i] > 0 {
			start = i
			break
		}
	}
	seen := map[int]int{}
	var path []int
	cur := start
	for {
		if k, ok := seen[cur]; ok {
			path = path[k:]
			break
		}
		seen[cur] = len(path)
		path = append(path, cur)
		for _, q := range preds[cur] {
			if indeg[q] > 0 {
				cur = q
				break
			}
		}
	}
	ids := make([]string, len(path))
	for k := range path { // report in dependency order
		ids[len(path)-1-k] = p.ints[path[k]].id
	}
	return errs.New(errs.CodeCycle, "plan: requires/transforms_into edges between intents form a cycle: %v", ids).WithIDs(ids...)
}

// adjacency is the (pooled) memory of one grouping of pairs.
type adjacency struct {
	counts, fill, flat []int
	lists              [][]int
}

// group groups pairs by their element at index key into per-node lists of
// the element at index val, all carved from one array (reused by the next
// call: the lists live as long as the call that made them).
func (a *adjacency) group(n int, pairs [][2]int, key, val int) [][]int {
	counts := grab(&a.counts, n+1)
	for _, pr := range pairs {
		counts[pr[key]+1]++
	}
	for i := 1; i <= n; i++ {
		counts[i] += counts[i-1]
	}
	flat, fill := grab(&a.flat, len(pairs)), grab(&a.fill, n)
	for _, pr := range pairs {
		k := pr[key]
		flat[counts[k]+fill[k]] = pr[val]
		fill[k]++
	}
	out := grab(&a.lists, n)
	for i := range out {
		out[i] = flat[counts[i]:counts[i+1]:counts[i+1]]
	}
	return out
}

func containsInt(list []int, x int) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}
