package plan

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/state"
)

// Infeasibility codes (docs/DESIGN.md#optimizer), in the order they are tried: an
// infeasible plan carries the first that applies.
const (
	InfeasibleMemory     = "MEMORY_ACCESS_DENIED"
	InfeasibleHard       = "HARD_CONSTRAINT_VIOLATED"
	InfeasibleNoEligible = "NO_ELIGIBLE_RESOURCES"
	InfeasibleBudget     = "BUDGET_EXCEEDED"
	InfeasibleLatency    = "LATENCY_EXCEEDED"
)

// Optimize computes the execution plan of docs/DESIGN.md#optimizer: one eligible resource
// per intent in scope, minimising (soft misses, Σ stepCost)
// lexicographically subject to Σ money <= maxCost and the critical path of
// dilated latency <= maxLatencyMs. A request error (bad contract, unknown
// contract intent, predicate that does not compile, cycle between intents)
// is an *errs.Error; an unsatisfiable contract is a plan with feasible false
// and an infeasibility. The inputs are not modified.
func Optimize(in Input, opts Options) (*Plan, error) {
	p, err := newProblem(in, opts, nil)
	if err != nil {
		return nil, err
	}
	defer p.release()
	pl := p.plan(make([]*pin, len(p.ints)), nil, opts.budget())
	pl.ID = p.id(nil)
	p.buf.keep(pl)
	return pl, nil
}

// pin binds an intent to one resource (reoptimize's done and active steps).
type pin struct {
	c    cand      // the bound candidate, priced now when the resource exists
	k    int       // its index in the intent's cands, -1 when it is not one
	res  *resource // nil when the resource has left the graph
	prev *Step
}

// plan runs the search and assembles the plan. pins[i] binds intent i;
// allow[i], when non-nil, restricts intent i to those cand indices (which
// must be eligible); both may be nil slices.
func (p *problem) plan(pins []*pin, allow [][]int, budget int64) *Plan {
	pl := p.newPlan()
	if inf := p.structural(pins); inf != nil {
		pl.Optimal, pl.Infeasibility = true, inf
		return pl
	}
	vars := grab(&p.ws.vars, len(p.ints))
	back := grab(&p.ws.backs, len(p.ints)) // option index -> cand index (-1: pinned synthetic)
	total := 0
	for j, it := range p.ints {
		switch {
		case pins[j] != nil:
			total++
		case allow != nil && allow[j] != nil:
			total += len(allow[j])
		default:
			total += len(it.order)
		}
	}
	slab, pinned := grab(&p.ws.opts, total), grab(&p.ws.back, len(p.ints))
	for j, it := range p.ints {
		vars[j].preds = it.preds
		switch {
		case pins[j] != nil:
			c := &pins[j].c
			vars[j].opts = append(take(&slab, 1), option{soft: int(c.nsoft), cost: c.cost, money: c.money, lat: c.dl})
			pinned[j] = pins[j].k
			back[j] = pinned[j : j+1 : j+1]
		default:
			ks := it.order
			if allow != nil && allow[j] != nil {
				ks = allow[j]
			}
			vars[j].opts = take(&slab, len(ks))
			for _, k := range ks {
				c := &it.cands[k]
				vars[j].opts = append(vars[j].opts, option{soft: int(c.nsoft), cost: c.cost, money: c.money, lat: c.dl})
			}
			back[j] = ks
		}
	}
	out := solve(vars, *p.c.Constraints.MaxCost, *p.c.Constraints.MaxLatencyMs, budget, &p.ws.solver)
	pl.Explored, pl.Optimal = out.explored, out.optimal
	if !out.feasible {
		pl.Infeasibility = p.limitInfeasibility(out, vars, budget)
		return pl
	}
	pl.Feasible = true
	fin := grab(&p.ws.fin, len(p.ints))
	var totalCost, objective, cp float64
	a := p.newArena()
	for j, it := range p.ints {
		k := back[j][out.choice[j]]
		c := p.chosen(it, k, pins[j])
		pl.Steps = append(pl.Steps, p.step(it, k, pins[j], a))
		start := 0.0
		for _, q := range it.preds {
			start = math.Max(start, fin[q])
		}
		fin[j] = start + c.dl
		cp = math.Max(cp, fin[j])
		totalCost += c.money
		objective += c.cost
	}
	pl.TotalCost, pl.TotalLatencyMs, pl.Objective = dilation.Round(totalCost), dilation.Round(cp), dilation.Round(objective)
	if !out.optimal {
		pl.Gap = dilation.Round(math.Max(0, out.cost-out.lower))
	}
	return pl
}

func (p *problem) chosen(it *intent, k int, pn *pin) *cand {
	if pn != nil {
		return &pn.c
	}
	return &it.cands[k]
}

// arena holds the backing arrays of every step of a plan, so a plan of n
// steps costs a handful of allocations instead of several per step.
type arena struct {
	steps     []Step
	fallbacks []Fallback
	rejected  []Rejection
	strs      []string
}

func (p *problem) newArena() *arena {
	var nf, nr, ns int
	for _, it := range p.ints {
		nf += len(it.order)
		nr += len(it.cands) - len(it.order)
		ns += len(it.preds)
	}
	if b := p.buf; b != nil {
		// The arena's slices shrink as steps take from them: the buffer
		// keeps their whole arrays.
		b.steps0, b.fallbacks = reuse(b.steps0, len(p.ints)), reuse(b.fallbacks, nf)
		b.rejected, b.strs = reuse(b.rejected, nr), reuse(b.strs, ns)
		b.arena = arena{steps: b.steps0[:0], fallbacks: b.fallbacks, rejected: b.rejected, strs: b.strs}
		return &b.arena
	}
	return &arena{steps: make([]Step, 0, len(p.ints)), fallbacks: make([]Fallback, nf),
		rejected: make([]Rejection, nr), strs: make([]string, ns)}
}

// newPlan returns the empty plan plan() fills in: in the caller's buffer
// when there is one.
func (p *problem) newPlan() *Plan {
	b := p.buf
	if b == nil {
		return &Plan{ContractID: p.c.ID, Steps: []*Step{}}
	}
	steps := b.steps[:0]
	if steps == nil {
		steps = []*Step{}
	}
	b.plan = Plan{ContractID: p.c.ID, Steps: steps}
	return &b.plan
}

// Buffer is memory a caller lends Optimize (Options.Buffer) to build its
// plan in: the plan, its step list and the arena of its steps. The plan
// Optimize returns then lives in the buffer and is valid until the next
// call that uses the same buffer, which overwrites it; a caller that
// encodes each plan before planning again (an engine answering
// plan.optimize) plans without allocating the plan. The zero value is
// ready to use. A Buffer serves one call at a time.
type Buffer struct {
	plan      Plan
	steps     []*Step
	arena     arena
	steps0    []Step
	fallbacks []Fallback
	rejected  []Rejection
	strs      []string
}

// keep records the step list a finished plan grew, for the next call.
func (b *Buffer) keep(pl *Plan) {
	if b != nil && pl == &b.plan {
		b.steps = pl.Steps[:0]
	}
}

// reuse returns buf resized to n elements when its capacity allows (the
// elements keep their old values: callers overwrite what they use), and a
// new slice of n elements otherwise. It is never nil: an empty list a
// step carves from it is written as [], not null.
func reuse[T any](buf []T, n int) []T {
	if buf != nil && cap(buf) >= n {
		return buf[:n]
	}
	return make([]T, n)
}

// take returns an empty slice of capacity n carved from the free space
// *buf (a slice whose length is what is left).
func take[T any](buf *[]T, n int) []T {
	b := *buf
	if len(b) < n {
		return make([]T, 0, n)
	}
	*buf = b[n:]
	return b[:0:n]
}

// step builds the ExecutionStep of intent it on cand k (or its pin).
func (p *problem) step(it *intent, k int, pn *pin, a *arena) *Step {
	c := p.chosen(it, k, pn)
	a.steps = append(a.steps, Step{
		ID: it.stepID, Intent: it.id, Wave: it.wave,
		DependsOn:  take(&a.strs, len(it.preds)),
		Fallbacks:  take(&a.fallbacks, len(it.order)),
		Rejected:   p.rejectedInto(it, take(&a.rejected, len(it.cands)-len(it.order))),
		SoftMisses: append([]string{}, p.softOf(c)...),
		Grounding:  dilation.Policy(it.d, dilation.BaseMaxResults, dilation.BaseMinSources),
	})
	st := &a.steps[len(a.steps)-1]
	for _, q := range it.preds {
		st.DependsOn = append(st.DependsOn, p.ints[q].stepID)
	}
	slices.Sort(st.DependsOn)
	var r *resource
	if pn != nil {
		r = pn.res
	} else {
		r = p.res[c.r]
	}
	if r == nil { // a bound resource that left the graph: keep its numbers
		prev := pn.prev
		st.Resource, st.Provider = prev.Resource, prev.Provider
		st.EstimatedCost, st.EstimatedLatencyMs, st.DilatedLatencyMs = prev.EstimatedCost, prev.EstimatedLatencyMs, prev.DilatedLatencyMs
		st.Dilation, st.DeadlineMs, st.Cost = prev.Dilation, prev.DeadlineMs, prev.Cost
	} else {
		st.Resource, st.Provider = r.id, r.provider
		st.EstimatedCost = dilation.Round(c.money)
		st.EstimatedLatencyMs = r.latOut
		st.DilatedLatencyMs = dilation.Round(c.dl)
		st.Dilation = dilation.Round(r.d)
		st.DeadlineMs = dilation.Round(deadline(r.target, r.d))
		st.Cost = dilation.Round(c.cost)
	}
	for _, o := range it.order {
		oc := &it.cands[o]
		fr := p.res[oc.r]
		if fr.id == st.Resource {
			continue
		}
		st.Fallbacks = append(st.Fallbacks, Fallback{
			Resource: fr.id, Provider: fr.provider, Cost: dilation.Round(oc.cost),
			EstimatedCost: dilation.Round(oc.money), EstimatedLatencyMs: fr.latOut, SoftMisses: int(oc.nsoft),
		})
	}
	return st
}

// rejected lists an intent's ineligible candidates in resource id order.
func (p *problem) rejected(it *intent) []Rejection { return p.rejectedInto(it, []Rejection{}) }

func (p *problem) rejectedInto(it *intent, out []Rejection) []Rejection {
	for k := range it.cands {
		c := &it.cands[k]
		if c.rej {
			r, v := p.res[c.r], &p.verdicts[c.v-1]
			out = append(out, Rejection{Resource: r.id, Provider: r.provider, Reason: v.reason, Detail: v.detail, Constraint: v.constraint})
		}
	}
	return out
}

// allRejections lists every intent's rejections for an infeasibility.
func (p *problem) allRejections() []IntentRejection {
	out := make([]IntentRejection, len(p.ints))
	for j, it := range p.ints {
		out[j] = IntentRejection{Intent: it.id, Rejected: p.rejected(it)}
	}
	return out
}

// structural finds the infeasibilities that need no search, in the order of
// docs/DESIGN.md#optimizer: an unreadable required memory, an intent whose candidates all fell and
// one of them to a hard constraint, an intent with no candidate left.
// Bound intents are exempt.
func (p *problem) structural(pins []*pin) *Infeasibility {
	var memory, hard, none []*intent
	for j, it := range p.ints {
		if pins[j] != nil {
			continue
		}
		if it.memDenied != "" {
			memory = append(memory, it)
		}
		if len(it.order) == 0 {
			none = append(none, it)
			for k := range it.cands {
				if p.reasonOf(&it.cands[k]) == ReasonConstraintViolated {
					hard = append(hard, it)
					break
				}
			}
		}
	}
	var code, msg string
	switch {
	case len(memory) > 0:
		code, msg = InfeasibleMemory, "intent "+quote(memory[0].id)+": "+memory[0].memDenied+more(len(memory))
	case len(hard) > 0:
		code, msg = InfeasibleHard, "intent "+quote(hard[0].id)+" has no eligible resource and "+
			strconv.Itoa(p.count(hard[0], ReasonConstraintViolated))+" of its "+strconv.Itoa(len(hard[0].cands))+
			" candidates violate a hard constraint"+more(len(hard))
	case len(none) > 0:
		it := none[0]
		if len(it.cands) == 0 {
			msg = "intent " + quote(it.id) + " has no candidate resource" + more(len(none))
		} else {
			msg = "intent " + quote(it.id) + " has no eligible resource: " + p.reasonSummary(it) + more(len(none))
		}
		code = InfeasibleNoEligible
	default:
		return nil
	}
	return &Infeasibility{Code: code, Message: msg, Candidates: p.allRejections()}
}

// limitInfeasibility explains a search that found no assignment within
// maxCost and maxLatencyMs.
func (p *problem) limitInfeasibility(out outcome, vars []svar, budget int64) *Infeasibility {
	maxCost, maxLat := *p.c.Constraints.MaxCost, *p.c.Constraints.MaxLatencyMs
	minMoney := 0.0
	for _, v := range vars {
		m := math.Inf(1)
		for _, o := range v.opts {
			m = math.Min(m, o.money)
		}
		minMoney += m
	}
	inf := &Infeasibility{Code: out.code, Candidates: p.allRejections()}
	switch {
	case out.code == InfeasibleBudget:
		inf.Message = "the cheapest assignment costs " + usd(dilation.Round(minMoney)) + ", above maxCost " + usd(maxCost)
	case !out.optimal:
		inf.Message = "no assignment within maxCost " + usd(maxCost) + " and maxLatencyMs (" + state.Seconds(maxLat) + ")" +
			" was found within the node budget of " + strconv.FormatInt(budget, 10) + " search nodes"
	default:
		inf.Message = "no assignment within maxCost " + usd(maxCost) + " keeps the critical path within maxLatencyMs (" + state.Seconds(maxLat) + ")"
	}
	return inf
}

func (p *problem) count(it *intent, reason string) int {
	n := 0
	for k := range it.cands {
		if p.reasonOf(&it.cands[k]) == reason {
			n++
		}
	}
	return n
}

// reasonSummary is "2 RESOURCE_DOWN, 1 FORBIDDEN_PROVIDER" in reason order.
func (p *problem) reasonSummary(it *intent) string {
	var parts []string
	for _, r := range []string{ReasonForbiddenProvider, ReasonNotAllowedProvider, ReasonResourceDown, ReasonMissingCapability,
		ReasonDeterminismRequired, ReasonExternalIoBlocked, ReasonAuthorityDenied, ReasonLabelDenied, ReasonConstraintViolated, ReasonPredicateBudget, ReasonBlocked} {
		if n := p.count(it, r); n > 0 {
			parts = append(parts, strconv.Itoa(n)+" "+r)
		}
	}
	return strings.Join(parts, ", ")
}

func more(n int) string {
	if n <= 1 {
		return ""
	}
	return " (and " + strconv.Itoa(n-1) + " more)"
}
