package plan

import "math"

// Exact search (PCSF, docs/DESIGN.md#optimizer).
//
// Variables are the steps in step order (a topological order), each with
// its eligible options sorted by (soft misses, cost, resource id). The
// search minimises (Σ soft misses, Σ cost) lexicographically subject to
// Σ money <= maxCost and, over the dependency DAG, the longest chain of
// dilated latencies <= maxLatencyMs.
//
//  1. Quick proofs: if the per-step minimum money already exceeds maxCost,
//     or the critical path of per-step minimum latencies exceeds
//     maxLatencyMs, the problem is infeasible.
//  2. The per-step lexicographic minimum is a lower bound on the objective;
//     when that assignment meets both limits it is optimal and the search
//     stops (the common case: slack limits).
//  3. Otherwise the heuristic (heuristic.go) supplies an incumbent and a
//     depth-first branch and bound proves or improves it. Its bounds are
//     admissible: suffix sums of per-step minimum soft misses, cost (and cost
//     among minimum-soft options when the soft count is tight), money, and
//     for latency the longest chain of minimum latencies after a step.
//  4. Each extension of a partial assignment counts as one explored node;
//     past the node budget the search stops with the incumbent, marked not
//     optimal, and reports the gap to a lower bound.

// option is one eligible candidate of a variable.
type option struct {
	soft             int
	cost, money, lat float64
}

// svar is one step: its options (sorted) and its predecessors (earlier
// variables).
type svar struct {
	opts  []option
	preds []int
}

// outcome is the search result.
type outcome struct {
	feasible bool
	optimal  bool  // the result (feasible or not) is proven
	choice   []int // option index per variable when feasible
	softs    int   // Σ soft misses
	cost     float64
	lower    float64 // lower bound on Σ cost over feasible assignments
	explored int64
	code     string // BUDGET_EXCEEDED or LATENCY_EXCEEDED when infeasible
}

type solver struct {
	vars            []svar
	maxCost, maxLat float64
	budget          int64
	n               int
	mem             *solverMem

	succs       [][]int
	minS        []int
	minC, minCS []float64 // min cost; min cost among min-soft options
	minM, minL  []float64
	sufS        []int
	sufC, sufCS []float64
	sufM        []float64
	headMin     []float64 // longest min-latency chain strictly before each var
	tailExtra   []float64 // longest min-latency chain strictly after each var
	dual        float64   // best Lagrangian lower bound on Σ cost

	fin      []float64
	cur      []int
	best     []int
	bestS    int
	bestC    float64
	have     bool
	explored int64
	stopped  bool
}

// solverMem is the memory solve reuses from call to call (the per-variable
// bounds, successor lists and the first assignment). The outcome's choice
// points into it.
type solverMem struct {
	floats []float64
	ints   []int
	succs  [][]int
	choice []int // the outcome's choice (read before the scratch goes back)
}

func solve(vars []svar, maxCost, maxLat float64, budget int64, mem *solverMem) outcome {
	s := &solver{vars: vars, maxCost: maxCost, maxLat: maxLat, budget: budget, n: len(vars), mem: mem}
	s.precompute(mem)
	if !within(s.sufM[0], maxCost) {
		return outcome{code: InfeasibleBudget, optimal: true}
	}
	cp := 0.0
	for j := range vars {
		cp = math.Max(cp, s.headMin[j]+s.minL[j])
	}
	if !within(cp, maxLat) {
		return outcome{code: InfeasibleLatency, optimal: true}
	}
	// s.cur, carved by precompute, is the per-step minimum.
	if s.feasible(s.cur) {
		o := s.result(s.cur)
		o.explored, o.optimal, o.lower = int64(s.n), true, o.cost
		return o
	}
	s.heuristic()
	clear(s.fin)
	s.dfs()
	if !s.have {
		// Infeasible: proven unless the node budget ran out first.
		return outcome{code: InfeasibleLatency, optimal: !s.stopped, explored: s.explored}
	}
	o := s.result(s.best)
	o.explored, o.optimal = s.explored, !s.stopped
	if o.optimal {
		o.lower = o.cost
	} else {
		o.lower = math.Min(o.cost, math.Max(s.sufC[0], s.dual))
	}
	return o
}

// precompute carves the solver's arrays from mem and fills the per-variable
// minima, successor lists, suffix sums and latency chains.
func (s *solver) precompute(mem *solverMem) {
	n := s.n
	edges := 0
	for _, v := range s.vars {
		edges += len(v.preds)
	}
	fs, is := grab(&mem.floats, 7*n+3*(n+1)), grab(&mem.ints, 4*n+1+edges)
	s.minC, s.minCS, s.minM, s.minL = carve(&fs, n), carve(&fs, n), carve(&fs, n), carve(&fs, n)
	s.headMin, s.tailExtra, s.fin = carve(&fs, n), carve(&fs, n), carve(&fs, n)
	s.sufC, s.sufCS, s.sufM = carve(&fs, n+1), carve(&fs, n+1), carve(&fs, n+1)
	s.minS, s.sufS, s.cur = carve(&is, n), carve(&is, n+1), carve(&is, n)
	// Successor lists: counted, then carved from the rest of is.
	count := carve(&is, n)
	for _, v := range s.vars {
		for _, q := range v.preds {
			count[q]++
		}
	}
	s.succs = grab(&mem.succs, n)
	for q := range s.succs {
		s.succs[q] = carve(&is, count[q])[:0]
	}
	for j, v := range s.vars {
		s.minS[j], s.minCS[j] = v.opts[0].soft, v.opts[0].cost
		s.minC[j], s.minM[j], s.minL[j] = math.Inf(1), math.Inf(1), math.Inf(1)
		for _, o := range v.opts {
			s.minC[j] = math.Min(s.minC[j], o.cost)
			s.minM[j] = math.Min(s.minM[j], o.money)
			s.minL[j] = math.Min(s.minL[j], o.lat)
		}
		for _, q := range v.preds {
			s.succs[q] = append(s.succs[q], j)
			s.headMin[j] = math.Max(s.headMin[j], s.headMin[q]+s.minL[q])
		}
	}
	for j := n - 1; j >= 0; j-- {
		s.sufS[j] = s.sufS[j+1] + s.minS[j]
		s.sufC[j] = s.sufC[j+1] + s.minC[j]
		s.sufCS[j] = s.sufCS[j+1] + s.minCS[j]
		s.sufM[j] = s.sufM[j+1] + s.minM[j]
		for _, k := range s.succs[j] {
			s.tailExtra[j] = math.Max(s.tailExtra[j], s.minL[k]+s.tailExtra[k])
		}
	}
	s.dual = math.Inf(-1)
}

// carve is take with the n elements in the result's length.
func carve[T any](buf *[]T, n int) []T { return take(buf, n)[:n] }

// dfs extends the partial assignment of variables [0, k) with partial sums
// S (soft), C (cost) and M (money).
// dfs is the branch and bound over the variables in order, with an explicit
// stack instead of recursion: a plan may have tens of thousands of
// intents, and a wasm host's call stack (about 10,000 frames in V8) must
// never be the limit.
func (s *solver) dfs() {
	type frame struct {
		S     int
		C, M  float64
		start float64 // finish time of the variable's predecessors
		next  int     // next option to try
	}
	frames := make([]frame, 0, s.n)
	// enter opens variable k (or records a complete assignment at k == n)
	// and reports whether a frame was pushed.
	enter := func(k, S int, C, M float64) bool {
		if k == s.n {
			if !s.have || S < s.bestS || (S == s.bestS && C < s.bestC) {
				s.have, s.bestS, s.bestC = true, S, C
				s.best = append(s.best[:0], s.cur...)
			}
			return false
		}
		start := 0.0
		for _, q := range s.vars[k].preds {
			start = math.Max(start, s.fin[q])
		}
		frames = append(frames, frame{S: S, C: C, M: M, start: start})
		return true
	}
	enter(0, 0, 0, 0)
	for len(frames) > 0 {
		k := len(frames) - 1
		f := &frames[k]
		v := &s.vars[k]
		descended := false
		for !descended && f.next < len(v.opts) {
			if s.stopped {
				return
			}
			i := f.next
			f.next++
			o := &v.opts[i]
			S2 := f.S + o.soft
			if s.have {
				lS := S2 + s.sufS[k+1]
				if lS > s.bestS {
					f.next = len(v.opts) // options are sorted by soft misses: no later one does better
					break
				}
				if lS == s.bestS && f.C+o.cost+s.sufCS[k+1] >= s.bestC {
					continue
				}
			}
			if s.explored >= s.budget {
				s.stopped = true
				return
			}
			s.explored++
			M2 := f.M + o.money
			if !within(M2+s.sufM[k+1], s.maxCost) {
				continue
			}
			fin := f.start + o.lat
			if !within(fin+s.tailExtra[k], s.maxLat) {
				continue
			}
			s.fin[k], s.cur[k] = fin, i
			descended = enter(k+1, S2, f.C+o.cost, M2) // frames has capacity n: f stays valid
		}
		if !descended {
			frames = frames[:k]
		}
	}
}

// feasible reports whether an assignment meets both limits.
func (s *solver) feasible(choice []int) bool {
	m := 0.0
	for j, i := range choice {
		m += s.vars[j].opts[i].money
	}
	return within(m, s.maxCost) && within(s.criticalPath(choice, nil), s.maxLat)
}

// criticalPath returns the longest chain of latencies of an assignment;
// when fin is non-nil it receives each variable's finish time.
func (s *solver) criticalPath(choice []int, fin []float64) float64 {
	if fin == nil {
		fin = s.fin // free until dfs, which clears it
	}
	cp := 0.0
	for j, i := range choice {
		start := 0.0
		for _, q := range s.vars[j].preds {
			start = math.Max(start, fin[q])
		}
		fin[j] = start + s.vars[j].opts[i].lat
		cp = math.Max(cp, fin[j])
	}
	return cp
}

func (s *solver) result(choice []int) outcome {
	s.mem.choice = append(s.mem.choice[:0], choice...)
	o := outcome{feasible: true, choice: s.mem.choice}
	for j, i := range choice {
		o.softs += s.vars[j].opts[i].soft
		o.cost += s.vars[j].opts[i].cost
	}
	return o
}

// better reports whether (S1, C1) is lexicographically below (S2, C2).
func better(S1 int, C1 float64, S2 int, C2 float64) bool {
	return S1 < S2 || (S1 == S2 && C1 < C2)
}
