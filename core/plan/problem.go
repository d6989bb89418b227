package plan

import (
	"slices"
	"strings"

	"github.com/expr-lang/expr/vm"
	"github.com/mailru/easyjson/jlexer"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/state"
)

// problem is one call's view of its inputs: the intents in scope in step
// order, the resources, constraints and authorities, and every candidate of
// every intent with its costs and its verdict.
type problem struct {
	g     *graph.Graph
	x     *index
	c     *Contract          // normalized copy
	s     *state.SystemState // never nil
	nodeD bool               // Input.NodeDilation
	w     Weights
	comp  *Compiler
	cache *Cache  // nil: nothing is kept between calls
	buf   *Buffer // nil: the plan is allocated
	ev    evaluator
	ws    *scratch // returned to the pool by release
	views bool     // some constraint has a predicate: build expression views

	res    []*resource
	resIdx map[string]int
	ints   []*intent // in step order
	cons   []*constraint
	auths  []*authority

	allowed, forbidden map[string]bool
	scope              int    // rank of the contract scope capped by S
	slab               []cand // backing store for the candidate lists
	verdicts           []verdict
	orderSlab          []int
	capVerdict         map[string]int32 // MISSING_CAPABILITY verdicts by capability
	memoryRank         int
}

type resource struct {
	n        *graph.Node
	id       string
	provider string
	resourceFacts
	down   string  // RESOURCE_DOWN detail, "" when up
	latOut float64 // Round(lat): the estimatedLatencyMs of every step and fallback on it
	// Verdicts that depend on the resource and contract only: reasons 1-3
	// (pre) and 5-6 (mid) of docs/DESIGN.md#eligibility, as verdict references (0: none).
	pre, mid  int32
	blockedBy string // first active non-constraint node blocking it
	minScope  int
	view      *resourceView
	// Sets of a resource with many capabilities or accepted labels, so that
	// a pair costs the intent's list, not the product of both lists.
	capSet, accSet map[string]bool
}

// setMin is the list length from which a resource's capabilities and
// accepted labels are looked up in a set.
const setMin = 16

// hasCap reports whether r has capability c.
func (r *resource) hasCap(c string) bool {
	if r.capSet != nil {
		return r.capSet[c]
	}
	return r.n.HasCapability(c)
}

// accepts reports whether r's acceptsLabels (which must be set) holds l.
func (r *resource) accepts(l string) bool {
	if r.accSet != nil {
		return r.accSet[l]
	}
	return contains(*r.n.AcceptsLabels, l)
}

func setOf(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[s] = true
	}
	return m
}

type intent struct {
	id, stepID string
	n          *graph.Node // nil for the implicit intent
	pos        int32       // n's position in the index
	out, in    []*graph.Edge
	text       string
	tokens     float64
	d          float64 // D(i)
	caps       []string
	labels     []string // propagated, sorted
	memDenied  string   // MEMORY_ACCESS_DENIED detail
	blockedBy  string
	preds      []int // indices of in-scope predecessors (earlier in order)
	wave       int
	conHit     []bool       // per constraint: governs every pair of this intent
	auths      []*authority // governing authorities
	scope      int          // governing scope rank
	cands      []cand       // candidates in resource id order
	order      []int        // eligible cands by (soft misses, cost, id)
	view       *intentView
}

// cand is one candidate resource of an intent. It holds no pointers (the
// garbage collector never scans the thousands of them a large plan has):
// its verdict, when it has one, lives in problem.verdicts.
type cand struct {
	money, dl, cost float64
	w               float64 // executes_on weight (1 when implicit)
	r               int32   // resource index (-1: a bound resource that left the graph)
	nsoft           int32   // number of soft misses
	v               int32   // 1 + index into problem.verdicts; 0: eligible without soft misses
	rej             bool    // rejected: verdicts[v-1] has the reason
}

// verdict is a candidate's rejection (reason and detail) or, for an
// eligible one, its soft misses.
type verdict struct {
	reason, detail string
	soft           []string
	constraint     string // the violated constraint of a CONSTRAINT_VIOLATED verdict
}

func (p *problem) reasonOf(c *cand) string {
	if !c.rej {
		return ""
	}
	return p.verdicts[c.v-1].reason
}

func (p *problem) softOf(c *cand) []string {
	if c.v == 0 {
		return nil
	}
	return p.verdicts[c.v-1].soft
}

// addVerdict stores a rejection and returns its reference.
func (p *problem) addVerdict(reason, detail string) int32 {
	p.verdicts = append(p.verdicts, verdict{reason: reason, detail: detail})
	return int32(len(p.verdicts))
}

// setVerdict records a rejection (reason != "") or soft misses for c.
func (p *problem) setVerdict(c *cand, reason, detail string, soft []string) {
	c.rej, c.nsoft = reason != "", int32(len(soft))
	if reason == "" && len(soft) == 0 {
		c.v = 0
		return
	}
	p.verdicts = append(p.verdicts, verdict{reason: reason, detail: detail, soft: soft})
	c.v = int32(len(p.verdicts))
}

type constraint struct {
	id        string
	only      []string // []string{id}: the soft misses of a pair that misses only this
	unsat     int32    // the shared verdict of a predicate-less constraint that is not satisfied (0: none yet)
	hard      bool
	critical  bool
	prog      *vm.Program
	satisfied *bool
	targets   map[string]bool // nil: applies to every candidate
	resHit    []bool          // per resource: a blocks target
}

type authority struct {
	id        string
	rules     []graph.Rule
	allowList bool
	governs   map[string]bool // nil: every intent
	scope     int
}

var scopeRank = map[string]int{"public": 0, "agent": 1, "user": 2, "operator": 3}
var scopeNames = []string{"public", "agent", "user", "operator"}
var memoryRank = map[string]int{"public": 0, "operator": 1, "internal": 2}

// rankOf returns a scope's rank; an unknown or empty scope is public (fail
// closed).
func rankOf(s string) int { return scopeRank[s] }

// newProblem validates and indexes the inputs. extra lists intent ids that
// are in scope whatever the contract says (reoptimize's bound steps). The
// caller must release the problem when it has built its results.
func newProblem(in Input, opts Options, extra []string) (*problem, error) {
	if in.Graph == nil {
		return nil, invalid("graph", "graph is required")
	}
	if in.Contract == nil {
		return nil, invalid("contract", "contract is required")
	}
	if err := in.Weights.validate("weights"); err != nil {
		return nil, err
	}
	// The problem, its contract copy and its working memory live in a
	// pooled scratch (release gives them back).
	ws := getScratch()
	c := &ws.contract
	in.Contract.cloneInto(c)
	if err := c.Normalize("contract"); err != nil {
		scratchPool.Put(ws)
		return nil, err
	}
	if in.State != nil && !in.NodeDilation {
		// The executor builds S from a state it validated at start; a
		// caller's S is checked here, on a shallow copy kept in the
		// scratch (validation canonicalises provider keys and must not
		// change the caller's).
		ws.state = *in.State
		if err := ws.state.Validate("state"); err != nil {
			ws.state = state.SystemState{}
			scratchPool.Put(ws)
			return nil, err
		}
		in.State = &ws.state
	}
	p := &ws.prob
	*p = problem{
		g: in.Graph, c: c, s: in.State, nodeD: in.NodeDilation, w: ResolveWeights(in.Weights, c), comp: opts.Compiler, cache: opts.Cache, buf: opts.Buffer,
		allowed: toSet(c.AllowedProviders), forbidden: toSet(c.ForbiddenProviders),
		memoryRank: memoryRank[c.Constraints.MemoryPolicy], ws: ws,
	}
	p.verdicts = p.ws.verdicts[:0]
	if err := p.load(extra); err != nil {
		p.release()
		return nil, err
	}
	return p, nil
}

// load fills the problem in: constraints, authorities, resources, intents
// and every candidate's price and verdict.
func (p *problem) load(extra []string) error {
	c := p.c
	if p.s == nil {
		p.s = &state.SystemState{}
	}
	if p.cache != nil {
		p.x = p.cache.index(p.g)
	} else {
		p.x = &p.ws.x
		p.x.load(p.g)
	}
	if p.comp == nil {
		p.comp = NewCompiler(0)
	}
	p.scope = rankOf(c.IdentityScope)
	if a := p.s.Policy.AuthorityScope; a != "" {
		p.scope = min(p.scope, rankOf(a))
	}
	if err := p.loadConstraints(); err != nil {
		return err
	}
	p.loadAuthorities()
	p.loadResources()
	if err := checkWork("constraints x resources", int64(len(p.cons))*int64(len(p.res)), MaxPlanWork); err != nil {
		return err
	}
	for _, k := range p.cons {
		k.resHit = make([]bool, len(p.res))
		for i, r := range p.res {
			k.resHit[i] = k.targets[r.id]
		}
	}
	if err := p.loadIntents(extra); err != nil {
		return err
	}
	if p.views {
		p.buildViews()
	}
	total := 0
	work := int64(0)
	for _, it := range p.ints {
		total += len(it.cands)
		work += int64(len(it.cands)) * it.checks(len(p.cons))
	}
	if err := checkWork("checks of intent and resource pairs", work, MaxPlanWork); err != nil {
		return err
	}
	p.orderSlab = grab(&p.ws.order, total)
	hits := grab(&p.ws.hits, len(p.ints)*len(p.cons))
	for _, it := range p.ints {
		it.order = take(&p.orderSlab, len(it.cands))
		it.conHit, hits = hits[:len(p.cons):len(p.cons)], hits[len(p.cons):]
		for ki, k := range p.cons {
			it.conHit[ki] = k.targets == nil || (it.n != nil && k.targets[it.id])
		}
		p.evaluate(it)
	}
	return nil
}

// cloneInto makes *d a copy of c that shares no memory with it.
func (c *Contract) cloneInto(d *Contract) {
	*d = *c
	d.Intents = append([]string(nil), c.Intents...)
	d.AllowedProviders = c.AllowedProviders.clone()
	d.ForbiddenProviders = append([]string(nil), c.ForbiddenProviders...)
	if c.Weights != nil {
		w := *c.Weights
		d.Weights = &w
	}
}

// toSet returns the list as a set: nil for an absent list, an empty set for
// an empty one (allowedProviders: [] allows nothing).
func toSet(list []string) map[string]bool {
	if list == nil {
		return nil
	}
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[s] = true
	}
	return m
}

func (p *problem) loadConstraints() error {
	for _, n := range p.x.nodes(graph.KindConstraint) {
		k := &constraint{id: n.ID, only: []string{n.ID}, hard: n.Severity != "soft", critical: n.Severity == "critical", satisfied: n.Satisfied}
		if n.Predicate != "" {
			prog, err := p.comp.compileConstraint(n.ID, n.Predicate)
			if err != nil {
				return err
			}
			k.prog, p.views = prog, true
		}
		for _, e := range p.x.from(n.ID) {
			if e.Kind == graph.EdgeBlocks {
				if k.targets == nil {
					k.targets = map[string]bool{}
				}
				k.targets[e.To] = true
			}
		}
		p.cons = append(p.cons, k)
	}
	// Critical constraints are checked first, so a pair that violates a
	// critical and a hard constraint is reported against the critical one
	// (the executor aborts on it); ties stay in id order.
	slices.SortStableFunc(p.cons, func(a, b *constraint) int { return b2i(b.critical) - b2i(a.critical) })
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (p *problem) loadAuthorities() {
	for _, n := range p.x.nodes(graph.KindAuthority) {
		a := &authority{id: n.ID, rules: n.PolicySet, scope: rankOf(n.IdentityScope)}
		if n.IdentityScope == "" {
			a.scope = rankOf(DefaultIdentityScope)
		}
		for _, r := range n.PolicySet {
			if r.Effect == "allow" {
				a.allowList = true
			}
		}
		for _, e := range p.x.from(n.ID) {
			if e.Kind != graph.EdgeEnables {
				continue
			}
			if a.governs == nil {
				a.governs = map[string]bool{}
			}
			if t := p.x.node(e.To); t != nil && t.Kind == graph.KindIntent {
				a.governs[e.To] = true
			}
		}
		p.auths = append(p.auths, a)
	}
}

func (p *problem) loadResources() {
	nodes := p.x.nodes(graph.KindResource)
	slab := grab(&p.ws.res, len(nodes))
	p.res = grab(&p.ws.resPtrs, len(nodes))
	reuseMap(&p.ws.resIdx, &p.ws.resIdxN, len(nodes))
	p.resIdx = p.ws.resIdx
	for i, n := range nodes {
		r := &slab[i]
		*r = resource{n: n, id: n.ID, provider: n.Provider, resourceFacts: factsOf(n, p.s, p.nodeD), minScope: rankOf(n.MinScope)}
		r.down, r.latOut = p.downDetail(r), dilation.Round(r.lat)
		r.pre, r.mid = p.staticVerdicts(r)
		r.blockedBy = p.blocker(n.ID)
		if len(n.Capabilities) >= setMin {
			r.capSet = setOf(n.Capabilities)
		}
		if n.AcceptsLabels != nil && len(*n.AcceptsLabels) >= setMin {
			r.accSet = setOf(*n.AcceptsLabels)
		}
		p.res[i], p.resIdx[n.ID] = r, i
	}
}

// downDetail says why a resource is down (health <= 0, or a breaker that is
// open or backing off from a quota hit with no probe due yet), or "".
func (p *problem) downDetail(r *resource) string {
	// The breaker is named first: it is why an executor's S says health 0.
	if b := p.s.Breaker(r.provider); b != nil && p.s.Now < b.OpenUntil {
		switch b.State {
		case state.CircuitOpen:
			return "circuit open for another " + state.Seconds(b.OpenUntil-p.s.Now)
		case state.QuotaHit:
			return "quota backoff for another " + state.Seconds(b.OpenUntil-p.s.Now)
		}
	}
	if r.health <= 0 {
		return "health is 0"
	}
	return ""
}

// blocker returns the first (by id) active node that is not a constraint
// and has a blocks edge into id, or "".
func (p *problem) blocker(id string) string { return p.blockerOf(p.x.to(id)) }

// blockerOf is blocker over the edges into a node.
func (p *problem) blockerOf(in []*graph.Edge) string {
	for _, e := range in {
		if e.Kind != graph.EdgeBlocks {
			continue
		}
		if n := p.x.node(e.From); n != nil && n.Active && n.Kind != graph.KindConstraint {
			return n.ID
		}
	}
	return ""
}

// loadIntents determines the intents in scope, their labels, memory access,
// candidates and step order.
func (p *problem) loadIntents(extra []string) error {
	nodes := p.x.nodes(graph.KindIntent)
	if len(nodes) == 0 {
		var d float64
		if p.cache != nil {
			d = p.cache.estimate(p.c.Intent)
		} else {
			d, _ = dilation.Estimate(p.c.Intent, 0.5, 0)
		}
		it := &grab(&p.ws.ints, 1)[0]
		*it = intent{id: ImplicitIntentID, stepID: implicitStepID, text: p.c.Intent, tokens: 1000, d: d}
		p.ints = append(grab(&p.ws.intPtrs, 1)[:0], it)
		p.governing(it)
		it.cands = grab(&p.ws.cands, len(p.res))
		for i := range p.res {
			it.cands[i] = cand{r: int32(i), w: 1}
		}
		return nil
	}
	var scoped []*graph.Node
	if len(p.c.Intents) == 0 {
		scoped = nodes
	} else {
		seen := map[string]bool{}
		for i, id := range p.c.Intents {
			n := p.x.node(id)
			if n == nil {
				return errs.New(errs.CodeUnknownNode, "plan: contract intent %q is not in the graph", id).WithIDs(id).At(errs.Index("contract.intents", i))
			}
			if n.Kind != graph.KindIntent {
				return invalid(errs.Index("contract.intents", i), "contract intent %q is a %s node, not an intent", id, n.Kind)
			}
			if !seen[id] {
				seen[id] = true
				scoped = append(scoped, n)
			}
		}
		for _, id := range extra {
			if n := p.x.node(id); n != nil && n.Kind == graph.KindIntent && !seen[id] {
				seen[id] = true
				scoped = append(scoped, n)
			}
		}
	}
	lb := p.ws.labels.reset(p.x, len(scoped))
	need := 0
	outs := make([][]*graph.Edge, len(scoped))
	for k, n := range scoped {
		outs[k] = p.x.from(n.ID)
		if explicit := countExplicit(outs[k]); explicit > 0 {
			need += explicit
		} else {
			need += len(p.res)
		}
	}
	if err := checkWork("intent and candidate resource pairs", int64(need), MaxPlanPairs); err != nil {
		return err
	}
	if err := checkWork("intents x constraints", int64(len(scoped))*int64(len(p.cons)), MaxPlanWork); err != nil {
		return err
	}
	p.slab = grab(&p.ws.cands, need)
	slab := grab(&p.ws.ints, len(scoped))
	p.ints = grab(&p.ws.intPtrs, len(scoped))[:0]
	stepIDs := stepIDs(scoped)
	for k, n := range scoped {
		d := n.Dilation
		if d <= 0 {
			d = 1
		}
		it := &slab[k]
		*it = intent{id: n.ID, stepID: stepIDs[k], n: n, pos: p.x.pos[n.ID], text: n.Text, tokens: n.TokensOr(), d: d, caps: n.Capabilities,
			out: outs[k], in: p.x.to(n.ID)}
		it.labels = lb.intentLabels(n.ID, it.out, it.in)
		it.memDenied = p.memoryDenied(it.out)
		it.blockedBy = p.blockerOf(it.in)
		p.governing(it)
		it.cands = p.candidates(it.out)
		p.ints = append(p.ints, it)
	}
	return p.order()
}

// implicitStepID is the step id of the implicit chat intent.
var implicitStepID = StepID(ImplicitIntentID)

// stepIDs returns StepID of every node, carved from one string.
func stepIDs(nodes []*graph.Node) []string {
	size := 0
	for _, n := range nodes {
		size += len(StepPrefix) + len(n.ID)
	}
	var b strings.Builder
	b.Grow(size)
	for _, n := range nodes {
		b.WriteString(StepPrefix)
		b.WriteString(n.ID)
	}
	all, ids, off := b.String(), make([]string, len(nodes)), 0
	for i, n := range nodes {
		end := off + len(StepPrefix) + len(n.ID)
		ids[i], off = all[off:end], end
	}
	return ids
}

// candidates returns an intent's candidates: the resource targets of its
// executes_on edges with their weights, else every resource with weight 1.
func (p *problem) candidates(out []*graph.Edge) []cand {
	if explicit := countExplicit(out); explicit > 0 {
		cs := take(&p.slab, explicit)
		for _, e := range out {
			if e.Kind != graph.EdgeExecutesOn {
				continue
			}
			if i, ok := p.resIdx[e.To]; ok {
				cs = append(cs, cand{r: int32(i), w: e.W()})
			}
		}
		return cs
	}
	cs := take(&p.slab, len(p.res))[:len(p.res)]
	for i := range p.res {
		cs[i] = cand{r: int32(i), w: 1}
	}
	return cs
}

// countExplicit counts the executes_on edges among out.
func countExplicit(out []*graph.Edge) int {
	n := 0
	for _, e := range out {
		if e.Kind == graph.EdgeExecutesOn {
			n++
		}
	}
	return n
}

// memoryDenied returns a detail when a memory the intent requires is not
// readable under the contract's memoryPolicy (public < operator < internal).
func (p *problem) memoryDenied(out []*graph.Edge) string {
	for _, e := range out {
		if e.Kind != graph.EdgeRequires {
			continue
		}
		m := p.x.node(e.To)
		if m == nil || m.Kind != graph.KindMemory {
			continue
		}
		pol := m.AccessPolicy
		if pol == "" {
			pol = "internal"
		}
		if memoryRank[pol] > p.memoryRank {
			return "memory " + quote(m.ID) + " is " + pol + " but the contract's memoryPolicy is " + p.c.Constraints.MemoryPolicy
		}
	}
	return ""
}

// buildViews makes the expression views once per call.
func (p *problem) buildViews() {
	meta := false
	for _, k := range p.cons {
		if k.prog != nil && strings.Contains(k.prog.Source().String(), "meta") {
			meta = true
		}
	}
	for _, r := range p.res {
		n := r.n
		r.view = &resourceView{
			ID: n.ID, Kind: n.Kind, Label: n.Label, Active: n.Active, ResourceKind: n.ResourceKind,
			Provider: n.Provider, Capabilities: n.Capabilities, CostPerToken: n.CostPerToken,
			CostPerCall: n.CostPerCall, LatencyTargetMs: r.target, Health: r.health, LatencyMs: r.lat,
			Dilation: r.d, External: n.External, MinScope: n.MinScope, Instability: r.instability,
		}
		if n.AcceptsLabels != nil {
			r.view.AcceptsLabels = *n.AcceptsLabels
		}
		if meta {
			r.view.Meta = decodeMeta(n.Meta)
		}
	}
	views := grab(&p.ws.views, len(p.ints))
	for k, it := range p.ints {
		it.view = &views[k]
		*it.view = intentView{ID: it.id, Kind: graph.KindIntent, Text: it.text, Tokens: it.tokens,
			Capabilities: it.caps, Labels: it.labels, Dilation: it.d}
		if n := it.n; n != nil {
			it.view.Label, it.view.Active, it.view.LatencyMs, it.view.Embedding = n.Label, n.Active, n.LatencyMs, n.Embedding
			if meta {
				it.view.Meta = decodeMeta(n.Meta)
			}
		}
	}
	c := p.c
	p.ev.env.Contract = &contractView{
		ID: c.ID, Intent: c.Intent, Intents: c.Intents, AllowedProviders: c.AllowedProviders,
		ForbiddenProviders: c.ForbiddenProviders, IdentityScope: c.IdentityScope,
		Constraints: limitsView{MaxCost: *c.Constraints.MaxCost, MaxLatencyMs: *c.Constraints.MaxLatencyMs,
			Determinism: c.Constraints.Determinism, MemoryPolicy: c.Constraints.MemoryPolicy, ExternalIo: c.Constraints.ExternalIo},
		Weights: weightsView{p.w.Latency, p.w.Compute, p.w.Risk, p.w.Instability},
	}
	s := p.s
	sv := &stateView{
		Tick: s.Tick, Now: s.Now,
		Resources: resourcesView{Health: s.Resources.Health.ToMap(), LatencyMs: s.Resources.LatencyMs.ToMap(),
			Breakers: make(map[string]breakerView, len(s.Resources.Breakers.Keys))},
		Memory: memoryView{ActiveNodes: s.Memory.ActiveNodes, Entries: s.Memory.Entries},
		Policy: policyView{ActiveConstraints: s.Policy.ActiveConstraints, NapProfile: s.Policy.NapProfile, AuthorityScope: s.Policy.AuthorityScope},
	}
	for i, k := range s.Resources.Breakers.Keys {
		if b := s.Resources.Breakers.Values[i]; b != nil {
			sv.Resources.Breakers[k] = breakerView{b.State, b.Errors, b.Level, b.OpenUntil, b.Probing, b.LatencyEmaMs, b.Samples}
		}
	}
	if sv.Policy.ActiveConstraints == nil {
		sv.Policy.ActiveConstraints = []string{}
	}
	p.ev.env.State = sv
	p.ev.env.ResourceHealth = sv.Resources.Health
	p.ev.env.ResourceLatency = sv.Resources.LatencyMs
	p.ev.env.MemoryState = &sv.Memory
	p.ev.env.MemoryLoad = 0
	for _, n := range p.g.NodesByKind(graph.KindMemory) {
		if n.Active {
			p.ev.env.MemoryLoad++
		}
	}
	p.ev.env.ActiveConstraints = sv.Policy.ActiveConstraints
}

// decodeMeta decodes a node's meta object for predicates (nil when absent
// or not an object).
func decodeMeta(raw []byte) map[string]any {
	if len(raw) == 0 {
		return nil
	}
	l := jlexer.Lexer{Data: raw}
	m, _ := l.Interface().(map[string]any)
	return m
}

// The work of one plan computation is bounded before it starts, so that no
// graph inside the node and edge limits can make a call run for minutes or
// exhaust the instance's memory: every (intent, candidate) pair appears in
// the plan (a fallback or a rejection) and is checked against the intent's
// capabilities and labels, the governing authorities' rules and every
// constraint. A graph past either bound is LIMIT_EXCEEDED; naming each
// intent's candidates with executes_on edges (or splitting the graph)
// brings it within.
const (
	// MaxPlanPairs bounds the (intent, candidate resource) pairs: 50,000
	// intents with 20 candidates each, or 1,000 x 1,000.
	MaxPlanPairs = 1_000_000
	// MaxPlanWork bounds the checks of those pairs (one per pair, plus one
	// per intent capability, intent label, governing authority rule and
	// constraint), and the constraint x resource and intent x constraint
	// tables.
	MaxPlanWork = 20_000_000
)

// checks is the per-candidate check count of an intent (see MaxPlanWork).
func (it *intent) checks(constraints int) int64 {
	n := int64(1 + len(it.caps) + len(it.labels) + constraints)
	for _, a := range it.auths {
		n += int64(len(a.rules))
	}
	return n
}

// checkWork returns LIMIT_EXCEEDED when n (of what) is over limit.
func checkWork(what string, n, limit int64) error {
	if n <= limit {
		return nil
	}
	return errs.New(errs.CodeLimitExceeded, "plan: %d %s, over the limit of %d for one plan; give intents executes_on edges to the resources that may run them, or split the graph", n, what, limit)
}
