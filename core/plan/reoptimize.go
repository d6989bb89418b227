package plan

import (
	"sort"

	"github.com/mailru/easyjson/jwriter"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/errs"
)

// Change reasons of Reoptimize.
const (
	ChangeCheaper            = "cheaper"             // moved: better by more than Hysteresis
	ChangeSoftConstraints    = "soft_constraints"    // moved: fewer soft misses
	ChangeRebalanced         = "rebalanced"          // moved: needed to meet maxCost / maxLatencyMs
	ChangeResourceIneligible = "resource_ineligible" // moved: "resource_ineligible: <REASON>"
	ChangeResourceRemoved    = "resource_removed"    // moved: the resource left the graph
	ChangeNotCandidate       = "resource_not_candidate"
	ChangeHysteresis         = "hysteresis"     // kept: the better candidate improves by at most Hysteresis
	ChangeNewStep            = "new_step"       // an intent the previous plan did not have
	ChangeIntentRemoved      = "intent_removed" // a previous step whose intent left the scope
)

// Reoptimize recomputes a plan after S or G changed (docs/DESIGN.md#optimizer). done and
// active name steps of prev (by step id or intent id): those stay bound to
// their resource (continuity), priced under the new inputs when the
// resource still exists, with the previous numbers otherwise; their intents
// stay in scope whatever contract.intents says. A pending step whose
// previous resource is still eligible moves only to a candidate with fewer
// soft misses or a cost lower by more than Hysteresis (5%, relative); when
// those choices cannot meet maxCost and maxLatencyMs together, the plan is
// optimized again without hysteresis and the moves it needs are
// "rebalanced". The changes list every move, new step and removed step,
// and every step kept by hysteresis although a better candidate existed, in
// step order (removed steps last, by step id).
func Reoptimize(prev *Plan, in Input, done, active []string, opts Options) (*Plan, []Change, error) {
	if prev == nil {
		return nil, nil, invalid("previous", "previous plan is required")
	}
	byIntent := make(map[string]*Step, len(prev.Steps))
	byKey := make(map[string]*Step, 2*len(prev.Steps))
	for _, st := range prev.Steps {
		if st == nil {
			continue
		}
		byIntent[st.Intent] = st
		byKey[st.ID], byKey[st.Intent] = st, st
	}
	bound := map[string]bool{} // intent ids
	for _, list := range []struct {
		name string
		ids  []string
	}{{"done", done}, {"active", active}} {
		for i, id := range list.ids {
			st := byKey[id]
			if st == nil {
				return nil, nil, invalid(errs.Index(list.name, i), "%q is not a step of the previous plan", id)
			}
			bound[st.Intent] = true
		}
	}
	extra := sortedKeys(bound)
	opts.Buffer = nil // the plans it compares are its own
	p, err := newProblem(in, opts, extra)
	if err != nil {
		return nil, nil, err
	}
	defer p.release()
	pins := make([]*pin, len(p.ints))
	allow := make([][]int, len(p.ints))
	restricted := false
	for j, it := range p.ints {
		st := byIntent[it.id]
		if st == nil {
			continue
		}
		if bound[it.id] {
			pins[j] = p.pinTo(it, st)
			continue
		}
		k0 := candIndex(it, p.resIdx, st.Resource)
		if k0 < 0 || it.cands[k0].rej {
			continue // the previous resource is gone or ineligible: free choice
		}
		c0 := &it.cands[k0]
		var ks []int
		for _, k := range it.order {
			if k == k0 || improves(&it.cands[k], c0) {
				ks = append(ks, k)
			}
		}
		allow[j] = ks
		restricted = restricted || len(ks) < len(it.order)
	}
	budget := opts.budget()
	pl := p.plan(pins, allow, budget)
	rebalanced := false
	if !pl.Feasible && restricted {
		pl, rebalanced = p.plan(pins, nil, budget), true
	}
	for j, st := range pl.Steps {
		st.Bound = pins[j] != nil
	}
	pl.ID = p.id(func(w *jwriter.Writer) { writeReoptInputs(w, prev, bound) })
	changes := p.changes(pl, byIntent, pins, allow, rebalanced)
	return pl, changes, nil
}

// improves reports whether c beats c0 by enough to move a pending step:
// fewer soft misses, or as many and a cost lower by more than Hysteresis.
func improves(c, c0 *cand) bool {
	if c.nsoft != c0.nsoft {
		return c.nsoft < c0.nsoft
	}
	return c.cost < float64(c0.cost*(1-Hysteresis))
}

// candIndex is the index of resource id among an intent's candidates, or -1.
func candIndex(it *intent, resIdx map[string]int, id string) int {
	r, ok := resIdx[id]
	if !ok {
		return -1
	}
	for k := range it.cands {
		if int(it.cands[k].r) == r {
			return k
		}
	}
	return -1
}

// pinTo binds an intent to the resource of its previous step.
func (p *problem) pinTo(it *intent, st *Step) *pin {
	if k := candIndex(it, p.resIdx, st.Resource); k >= 0 {
		pn := &pin{c: it.cands[k], k: k, res: p.res[it.cands[k].r], prev: st}
		if pn.c.rej { // keep the rejection, add the soft misses the step carries
			v := p.verdicts[pn.c.v-1]
			p.setVerdict(&pn.c, v.reason, v.detail, p.softMisses(it, pn.res, &pn.c))
		}
		return pn
	}
	if r, ok := p.resIdx[st.Resource]; ok { // in the graph, no longer a candidate
		res := p.res[r]
		c := cand{r: int32(r), w: 1}
		c.money = money(res.n.CostPerToken, res.n.CostPerCall, it.tokens)
		c.dl = dilatedLatency(res.lat, res.d)
		c.cost = stepCost(it.d, c.w, p.w, c.dl, c.money, res.health, res.instability)
		p.setVerdict(&c, "", "", p.softMisses(it, res, &c))
		return &pin{c: c, k: -1, res: res, prev: st}
	}
	c := cand{r: -1, money: st.EstimatedCost, dl: st.DilatedLatencyMs, cost: st.Cost}
	p.setVerdict(&c, "", "", st.SoftMisses)
	return &pin{c: c, k: -1, prev: st}
}

// changes compares the new plan with the previous one.
func (p *problem) changes(pl *Plan, byIntent map[string]*Step, pins []*pin, allow [][]int, rebalanced bool) []Change {
	out := []Change{}
	if !pl.Feasible {
		return out
	}
	seen := make(map[string]bool, len(pl.Steps))
	for j, st := range pl.Steps {
		it := p.ints[j]
		seen[it.id] = true
		prev := byIntent[it.id]
		if prev == nil {
			out = append(out, Change{Step: st.ID, Intent: it.id, To: st.Resource, Reason: ChangeNewStep, CostAfter: st.Cost})
			continue
		}
		if pins[j] != nil {
			continue
		}
		ch := Change{Step: st.ID, Intent: it.id, From: prev.Resource, To: st.Resource, CostBefore: prev.Cost, CostAfter: st.Cost}
		k0 := candIndex(it, p.resIdx, prev.Resource)
		if k0 >= 0 {
			ch.CostBefore = dilation.Round(it.cands[k0].cost)
		}
		if st.Resource != prev.Resource {
			switch _, inGraph := p.resIdx[prev.Resource]; {
			case !inGraph:
				ch.Reason = ChangeResourceRemoved
			case k0 < 0:
				ch.Reason = ChangeNotCandidate
			case it.cands[k0].rej:
				ch.Reason = ChangeResourceIneligible + ": " + p.reasonOf(&it.cands[k0])
			case rebalanced && !improves(chosenCand(it, p.resIdx, st.Resource), &it.cands[k0]):
				ch.Reason = ChangeRebalanced
			case chosenCand(it, p.resIdx, st.Resource).nsoft < it.cands[k0].nsoft:
				ch.Reason = ChangeSoftConstraints
			default:
				ch.Reason = ChangeCheaper
			}
			out = append(out, ch)
			continue
		}
		// Kept: report the best candidate that hysteresis held back.
		if allow[j] == nil || k0 < 0 {
			continue
		}
		c0 := &it.cands[k0]
		for _, k := range it.order {
			c := &it.cands[k]
			if k == k0 {
				break // the rest rank after the kept resource
			}
			if better(int(c.nsoft), c.cost, int(c0.nsoft), c0.cost) && !improves(c, c0) {
				ch.Reason, ch.Candidate, ch.CandidateCost = ChangeHysteresis, p.res[c.r].id, dilation.Round(c.cost)
				out = append(out, ch)
				break
			}
		}
	}
	var removed []string
	for id := range byIntent {
		if !seen[id] {
			removed = append(removed, id)
		}
	}
	sort.Slice(removed, func(a, b int) bool { return byIntent[removed[a]].ID < byIntent[removed[b]].ID })
	for _, id := range removed {
		prev := byIntent[id]
		out = append(out, Change{Step: prev.ID, Intent: id, From: prev.Resource, Reason: ChangeIntentRemoved, CostBefore: prev.Cost})
	}
	return out
}

func chosenCand(it *intent, resIdx map[string]int, id string) *cand {
	return &it.cands[candIndex(it, resIdx, id)]
}

// writeReoptInputs appends what reoptimize depends on beyond optimize's
// inputs: the previous bindings and numbers, and the bound intents.
func writeReoptInputs(w *jwriter.Writer, prev *Plan, bound map[string]bool) {
	steps := make([]*Step, 0, len(prev.Steps))
	for _, st := range prev.Steps {
		if st != nil {
			steps = append(steps, st)
		}
	}
	sort.Slice(steps, func(a, b int) bool { return steps[a].ID < steps[b].ID })
	w.RawString(`,"previous":[`)
	for i, st := range steps {
		if i > 0 {
			w.RawByte(',')
		}
		w.RawByte('[')
		for k, s := range []string{st.ID, st.Intent, st.Resource, st.Provider} {
			if k > 0 {
				w.RawByte(',')
			}
			w.String(s)
		}
		for _, x := range []float64{st.EstimatedCost, st.EstimatedLatencyMs, st.DilatedLatencyMs, st.Dilation, st.DeadlineMs, st.Cost} {
			w.RawByte(',')
			w.Float64(x)
		}
		for _, s := range st.SoftMisses {
			w.RawByte(',')
			w.String(s)
		}
		w.RawByte(']')
	}
	w.RawString(`],"bound":[`)
	for i, id := range sortedKeys(bound) {
		if i > 0 {
			w.RawByte(',')
		}
		w.String(id)
	}
	w.RawByte(']')
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
