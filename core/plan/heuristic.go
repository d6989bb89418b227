package plan

import "math"

// Heuristic (used when the per-step minimum breaks a limit).
//
// Lagrangian greedy: for multipliers λ (money) and μ (latency), each step
// independently takes the option minimising
//
//	key = cost + λ·money + μ·latency
//
// In a first phase the step compares (soft misses, key) lexicographically,
// which keeps the soft-miss count at its minimum; only when that phase
// finds nothing does a second phase minimise P·softMisses + key, where P
// exceeds the spread of every step's costs (a multiplier may then trade a
// soft miss for feasibility). In each phase μ runs over 0 and unit·4^k for
// k = -4..6 (the unit converts the total latency spread into cost units);
// for each μ, λ is bisected (40 rounds, after doubling from its unit) for
// the smallest value whose assignment meets maxCost. Every assignment met
// on the way that meets both limits is a candidate; the sweep stops at the
// first μ that yields one. The lexicographically best candidate is then
// improved by 1-swap local search (first improvement, in step order, at
// most 50 sweeps): a step moves to a lexicographically better option when
// the budget and the critical path still hold. The λ values tried with
// μ = 0 also give the Lagrangian bound Σ min(cost + λ·money) - λ·maxCost
// used for the gap.
//
// The result seeds the branch and bound, which either proves it optimal or
// improves it; past the node budget it is the answer, with optimal false.

const (
	gridLow, gridHigh = -4, 6
	bisections        = 40
	maxSweeps         = 50
	// improveWork bounds local improvement: every accepted move recomputes
	// the chains (O(variables + edges)), so a DAG of 20,000 intents could
	// otherwise spend O(n²) ≈ 10⁸–10⁹ steps here (seconds natively, tens of
	// seconds in wasm). Past the bound the assignment found so far stands.
	improveWork = 20_000_000
)

func (s *solver) heuristic() {
	var cr, mr, lr float64
	for _, v := range s.vars {
		lo, hi := spread(v.opts, func(o *option) float64 { return o.cost })
		cr += hi - lo
		lo, hi = spread(v.opts, func(o *option) float64 { return o.money })
		mr += hi - lo
		lo, hi = spread(v.opts, func(o *option) float64 { return o.lat })
		lr += hi - lo
	}
	P := float64(2*cr) + 1
	choice := make([]int, s.n)
	var best []int
	bestS, bestC := 0, 0.0
	softFirst := true
	// try assigns with (lam, mu), keeps a feasible result, and reports
	// whether the assignment meets maxCost.
	try := func(lam, mu float64) bool {
		if mu == 0 && softFirst {
			s.dualBound(lam)
		}
		m := 0.0
		for j, v := range s.vars {
			k, ks, kv := 0, 0, math.Inf(1)
			for i := range v.opts {
				o := &v.opts[i]
				key := o.cost + float64(lam*o.money) + float64(mu*o.lat)
				if softFirst {
					if i == 0 || o.soft < ks || (o.soft == ks && key < kv) {
						k, ks, kv = i, o.soft, key
					}
				} else if key += float64(P * float64(o.soft)); key < kv {
					k, kv = i, key
				}
			}
			choice[j] = k
			m += v.opts[k].money
		}
		if !within(m, s.maxCost) {
			return false
		}
		if within(s.criticalPath(choice, nil), s.maxLat) {
			S, C := s.objective(choice)
			if best == nil || better(S, C, bestS, bestC) {
				best = append(best[:0], choice...)
				bestS, bestC = S, C
			}
		}
		return true
	}
	unit := 0.0
	if mr > 0 {
		unit = math.Max(cr, 1e-12) / mr
	}
	for _, phase := range []bool{true, false} {
		softFirst = phase
		for _, mu := range grid(cr, lr) {
			if !try(0, mu) && unit > 0 {
				lo, hi := 0.0, unit
				for k := 0; k < 2*gridHigh && !try(hi, mu); k++ {
					lo, hi = hi, float64(hi*4)
				}
				for k := 0; k < bisections; k++ {
					mid := (lo + hi) / 2
					if try(mid, mu) {
						hi = mid
					} else {
						lo = mid
					}
				}
			}
			if best != nil {
				break
			}
		}
		if best != nil {
			break
		}
	}
	if best == nil {
		return
	}
	s.improve(best)
	s.best = best
	s.bestS, s.bestC = s.objective(best)
	s.have = true
}

// dualBound raises s.dual with the Lagrangian bound for multiplier lam.
func (s *solver) dualBound(lam float64) {
	sum := 0.0
	for _, v := range s.vars {
		m := math.Inf(1)
		for i := range v.opts {
			m = math.Min(m, v.opts[i].cost+float64(lam*v.opts[i].money))
		}
		sum += m
	}
	s.dual = math.Max(s.dual, sum-float64(lam*(s.maxCost+float64(1e-9*math.Max(1, s.maxCost)))))
}

// improve applies first-improvement 1-swaps that keep both limits.
func (s *solver) improve(choice []int) {
	fin := make([]float64, s.n)
	tail := make([]float64, s.n)
	m := 0.0
	for j, i := range choice {
		m += s.vars[j].opts[i].money
	}
	s.chains(choice, fin, tail)
	work := 0
	for sweep := 0; sweep < maxSweeps && work < improveWork; sweep++ {
		moved := false
		for j := range s.vars {
			v := &s.vars[j]
			cur := &v.opts[choice[j]]
			head := 0.0
			for _, q := range v.preds {
				head = math.Max(head, fin[q])
			}
			for i := 0; i < choice[j]; i++ { // options before the current one are lexicographically no worse
				o := &v.opts[i]
				if !better(o.soft, o.cost, cur.soft, cur.cost) {
					continue
				}
				if !within(m-cur.money+o.money, s.maxCost) {
					continue
				}
				if o.lat > cur.lat && !within(head+o.lat+tail[j], s.maxLat) {
					continue
				}
				m += o.money - cur.money
				choice[j] = i
				s.chains(choice, fin, tail)
				if work += 2 * s.n; work >= improveWork {
					return
				}
				moved = true
				break
			}
		}
		if !moved {
			return
		}
	}
}

// chains fills each variable's finish time and the longest chain after it.
func (s *solver) chains(choice []int, fin, tail []float64) {
	s.criticalPath(choice, fin)
	for j := s.n - 1; j >= 0; j-- {
		tail[j] = 0
		for _, k := range s.succs[j] {
			tail[j] = math.Max(tail[j], s.vars[k].opts[choice[k]].lat+tail[k])
		}
	}
}

func (s *solver) objective(choice []int) (int, float64) {
	S, C := 0, 0.0
	for j, i := range choice {
		S += s.vars[j].opts[i].soft
		C += s.vars[j].opts[i].cost
	}
	return S, C
}

func spread(opts []option, f func(*option) float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for i := range opts {
		x := f(&opts[i])
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}

// grid returns 0 and unit·4^k for k in [gridLow, gridHigh], unit = num/den
// (only 0 when den is 0).
func grid(num, den float64) []float64 {
	out := []float64{0}
	if den <= 0 {
		return out
	}
	unit := math.Max(num, 1e-12) / den
	for k := gridLow; k <= gridHigh; k++ {
		out = append(out, float64(unit*math.Pow(4, float64(k))))
	}
	return out
}
