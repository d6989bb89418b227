package swap

import (
	"math"
	"sort"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/trace"
)

//go:generate go tool easyjson -no_std_marshalers -disallow_unknown_fields registry.go

// Triggers (docs/DESIGN.md#breakers-and-hot-swap).
const (
	TriggerCapabilityDegraded = "capability_degraded"
	TriggerLatencyViolation   = "latency_violation"
	TriggerCostSpike          = "cost_spike"
	TriggerAuthorityRevoked   = "authority_revoked"
	TriggerManual             = "manual"
)

// Why a candidate, or a whole swap, was refused.
const (
	RefusedIneligible  = "ineligible"               // the caller's eligibility check (plan rules) rejects it
	RefusedDown        = "down"                     // health <= 0 or its breaker admits no call
	RefusedDegraded    = "degraded"                 // below the health threshold: it would trigger at once
	RefusedOscillation = "oscillation"              // the pair swapped 3 times within 10 ticks
	RefusedUnstable    = "unstable"                 // health stability below the minimum
	RefusedImprovement = "insufficient_improvement" // not better enough on the triggering measure
	RefusedProvider    = "duplicate_provider"       // a better candidate of the same provider was kept
	RefusedCooldown    = "cooldown"                 // the resource was swapped in too recently
	RefusedNoCandidate = "no_candidates"            // nothing registered
	RefusedAll         = "all_refused"              // every candidate was refused
	RefusedCapability  = "capabilities"             // SameCapabilities: it lacks a capability of the resource it would replace
	RefusedIncumbent   = "unstable_incumbent"       // Hysteresis "incumbent": the resource's own stability is below the minimum
	RefusedCap         = "diversity_cap"            // the diversity cap passed over it for a candidate of another provider
	RefusedRank        = "outranked"                // acceptable, but the pick ranks higher (health, then money, then id)
)

// Hysteresis directions (Config.Hysteresis).
const (
	HysteresisCandidate = "candidate" // the module: the incoming candidate must be stable
	HysteresisIncumbent = "incumbent" // the original: a resource whose own stability is below the minimum is not swapped out
)

// Config holds the registry's thresholds; DefaultConfig gives the
// documented values.
type Config struct {
	HealthThreshold   float64 // capability_degraded below this health (0.4)
	LatencyTolerance  float64 // latency_violation above target·D·this (2.0)
	CostSpikeFactor   float64 // cost_spike above maxCost·this (1.5)
	OscillationLimit  int     // swaps of one pair allowed within the window (3)
	OscillationWindow int64   // ticks (10)
	DiversityCap      float64 // max share of the resources in use per provider (0.6)
	MinImprovement    float64 // hysteresis: required gain on the triggering measure (0.1)
	CooldownTicks     int64   // hysteresis: ticks before a swapped-in resource may be swapped out (3)
	StabilityAlpha    float64 // EMA weight of a new health observation (0.5)
	MinStability      float64 // hysteresis: candidates below this stability are unstable (0.6)
	Hysteresis        string  // whose stability gates an automatic swap: HysteresisCandidate ("" too) or HysteresisIncumbent
	SameCapabilities  bool    // a candidate must offer every capability of the resource it replaces (the original)
	AllowDegraded     bool    // when every candidate is refused, take the best degraded one rather than none
}

// DefaultConfig returns the thresholds of docs/DESIGN.md#breakers-and-hot-swap.
func DefaultConfig() Config {
	return Config{
		HealthThreshold:   0.4,
		LatencyTolerance:  2.0,
		CostSpikeFactor:   1.5,
		OscillationLimit:  3,
		OscillationWindow: 10,
		DiversityCap:      0.6,
		MinImprovement:    0.1,
		CooldownTicks:     3,
		StabilityAlpha:    0.5,
		MinStability:      0.6,
		Hysteresis:        HysteresisCandidate,
	}
}

// Observation is what the executor knows about a resource in use this tick.
type Observation struct {
	Resource         string
	Health           float64 // S over node health, breakers applied
	LatencyMs        float64 // observed latency; 0 when none was observed
	TargetMs         float64 // latencyTargetMs
	Dilation         float64 // the resource's D this tick
	Money            float64 // money of the most expensive step it serves
	MaxCost          float64 // the contract's maxCost
	AuthorityRevoked bool
	Manual           bool
}

// Triggers returns the triggers that fire for o, in the fixed order
// capability_degraded, latency_violation, cost_spike, authority_revoked,
// manual.
func (c Config) Triggers(o Observation) []string {
	var out []string
	if o.Health < c.HealthThreshold {
		out = append(out, TriggerCapabilityDegraded)
	}
	if o.LatencyMs > 0 && o.LatencyMs > float64(float64(o.TargetMs*o.Dilation)*c.LatencyTolerance) {
		out = append(out, TriggerLatencyViolation)
	}
	if o.Money > float64(o.MaxCost*c.CostSpikeFactor) {
		out = append(out, TriggerCostSpike)
	}
	if o.AuthorityRevoked {
		out = append(out, TriggerAuthorityRevoked)
	}
	if o.Manual {
		out = append(out, TriggerManual)
	}
	return out
}

// Automatic reports whether a trigger is one the hysteresis applies to.
func Automatic(trigger string) bool {
	return trigger == TriggerCapabilityDegraded || trigger == TriggerLatencyViolation || trigger == TriggerCostSpike
}

// Candidate is a resource as the selection sees it.
type Candidate struct {
	ID         string
	Provider   string
	Health     float64 // effective health
	Money      float64 // money for the step(s) it would serve
	LatencyMs  float64 // expected latency (observed, else target)
	Callable   bool    // its breaker admits a call now
	Ineligible string  // non-empty: the plan's reason code why it may not serve
	// Capabilities are checked only with Config.SameCapabilities.
	Capabilities []string
}

// InUse is one resource in use (bound to a step that is not finished).
type InUse struct {
	Resource string
	Provider string
}

// Request asks for a replacement of From.
type Request struct {
	Tick       int64
	Trigger    string
	From       Candidate
	Candidates []Candidate
	InUse      []InUse
}

// Refusal is a candidate that was not taken, with the reason.
//
//easyjson:json
type Refusal struct {
	Resource string `json:"resource"`
	Provider string `json:"provider"`
	Reason   string `json:"reason"`
}

// Decision is the outcome of Select: To is empty when nothing was chosen,
// and Reason then says why (cooldown, no_candidates or all_refused).
type Decision struct {
	To       string
	Provider string
	Reason   string
	Refused  []Refusal // sorted by resource id
	Passed   []Refusal // acceptable candidates not taken: outranked, or diversity_cap; sorted by id
	Diverted bool      // the diversity cap passed over a better candidate
	Degraded bool      // AllowDegraded: the pick is below the health threshold
}

// Swap is one applied swap, kept in the registry's history.
//
//easyjson:json
type Swap struct {
	Tick         int64  `json:"tick"`
	From         string `json:"from"`
	To           string `json:"to"`
	FromProvider string `json:"fromProvider"`
	ToProvider   string `json:"toProvider"`
	Trigger      string `json:"trigger"`
	Trace        string `json:"trace,omitempty"`
}

// Registry is H. The zero value is not usable; call New.
type Registry struct {
	cfg       Config
	stored    map[string][]*graph.Node // resource -> registered candidates, in registration order
	history   []Swap
	lastIn    map[string]int64   // resource -> tick it was last swapped in
	stability map[string]float64 // resource -> EMA of observed health
	blocked   int                // swaps refused (nothing acceptable)
	bytes     int                // see Bytes
}

// keyOverhead is the byte size of a map entry apart from its key string.
const keyOverhead = 64

// Bytes is the byte size of what the registry holds, the estimate the
// engine's byte budgets count: its registered candidates (graph.NodeBytes
// each, plus the resource they are registered for), its swap history
// (SwapBytes each) and the ids of its swap ticks and health EMAs. An
// empty registry is 0.
func (r *Registry) Bytes() int { return r.bytes }

// recount computes Bytes from scratch.
func (r *Registry) recount() {
	b := 0
	for k, list := range r.stored {
		b += keyOverhead + len(k)
		for _, n := range list {
			b += graph.NodeBytes(n)
		}
	}
	for _, s := range r.history {
		b += SwapBytes(s)
	}
	for k := range r.lastIn {
		b += keyOverhead + len(k)
	}
	for k := range r.stability {
		b += keyOverhead + len(k)
	}
	r.bytes = b
}

// RegisterBytes is how much Bytes would grow if Register(resource,
// candidate) ran now (at most: a candidate Register ignores adds nothing).
func (r *Registry) RegisterBytes(resource string, candidate *graph.Node) int {
	list, ok := r.stored[resource]
	for _, x := range list {
		if x.ID == candidate.ID {
			return graph.NodeBytes(candidate) - graph.NodeBytes(x)
		}
	}
	b := graph.NodeBytes(candidate)
	if !ok {
		b += keyOverhead + len(resource)
	}
	return b
}

// ObserveBytes is how much Bytes would grow if Observe(id, …) ran now.
func (r *Registry) ObserveBytes(id string) int {
	if _, ok := r.stability[id]; ok {
		return 0
	}
	return keyOverhead + len(id)
}

// New returns an empty registry with the given thresholds.
func New(cfg Config) *Registry {
	return &Registry{cfg: cfg, stored: map[string][]*graph.Node{}, lastIn: map[string]int64{}, stability: map[string]float64{}}
}

// Config returns the registry's thresholds.
func (r *Registry) Config() Config { return r.cfg }

// Register records candidate as a replacement for resource (a copy of the
// node is kept, inactive, so it can be swapped in even after it has left
// the graph).
// A candidate of a provider already registered for the resource, or the
// resource itself, is ignored and Register reports false.
func (r *Registry) Register(resource string, candidate *graph.Node) bool {
	if candidate == nil || candidate.ID == resource || candidate.Kind != graph.KindResource {
		return false
	}
	c := candidate.Clone()
	c.Active = false
	list, ok := r.stored[resource]
	for i, x := range list {
		if x.ID == c.ID {
			r.bytes += graph.NodeBytes(c) - graph.NodeBytes(x)
			list[i] = c
			return true
		}
		if x.Provider == c.Provider {
			return false
		}
	}
	if !ok {
		r.bytes += keyOverhead + len(resource)
	}
	r.bytes += graph.NodeBytes(c)
	r.stored[resource] = append(list, c)
	return true
}

// RegisterUndo is Register that also returns how to take it back (a failed
// answer does), without copying the registry.
func (r *Registry) RegisterUndo(resource string, candidate *graph.Node) (bool, func()) {
	list, had := r.stored[resource]
	old := append([]*graph.Node(nil), list...)
	bytes := r.bytes
	ok := r.Register(resource, candidate)
	return ok, func() {
		if had {
			r.stored[resource] = old
		} else {
			delete(r.stored, resource)
		}
		r.bytes = bytes
	}
}

// ObserveUndo is Observe that also returns how to take it back.
func (r *Registry) ObserveUndo(id string, health float64) func() {
	prev, had := r.stability[id]
	bytes := r.bytes
	r.Observe(id, health)
	return func() {
		if had {
			r.stability[id] = prev
		} else {
			delete(r.stability, id)
		}
		r.bytes = bytes
	}
}

// Candidates returns the replacement candidates of resource, sorted by id:
// the targets of its swaps_to edges in g (as they are in g) and the
// candidates registered for it (a node that is in g is taken from g).
// Only resource nodes count, never resource itself.
func (r *Registry) Candidates(g *graph.Graph, resource string) []*graph.Node {
	seen := map[string]bool{resource: true}
	var out []*graph.Node
	add := func(n *graph.Node) {
		if n == nil || seen[n.ID] || n.Kind != graph.KindResource {
			return
		}
		seen[n.ID] = true
		if live := g.Node(n.ID); live != nil {
			n = live
		}
		out = append(out, n)
	}
	for _, e := range g.EdgesFrom(resource, graph.EdgeSwapsTo) {
		add(g.Node(e.To))
	}
	for _, n := range r.stored[resource] {
		add(n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Observe feeds one observation of a resource's health into its stability
// EMA (alpha 0.5; the first observation seeds it).
func (r *Registry) Observe(id string, health float64) {
	if s, ok := r.stability[id]; ok {
		r.stability[id] = round(float64(r.cfg.StabilityAlpha*health) + float64((1-r.cfg.StabilityAlpha)*s))
		return
	}
	r.stability[id] = health
	r.bytes += keyOverhead + len(id)
}

// Stability returns the health EMA of id, and whether it was ever observed.
func (r *Registry) Stability(id string) (float64, bool) {
	s, ok := r.stability[id]
	return s, ok
}

// History returns the applied swaps, oldest first.
func (r *Registry) History() []Swap { return r.history }

// recentSwaps counts the swaps between a and b (either direction) within
// the oscillation window ending at tick.
func (r *Registry) recentSwaps(a, b string, tick int64) int { return r.PairCount(a, b, tick) }

// Select chooses the replacement for req.From under req.Trigger (see the
// package comment for the rules and their order). It changes nothing.
func (r *Registry) Select(req Request) Decision {
	var d Decision
	auto := Automatic(req.Trigger)
	if auto {
		if t, ok := r.lastIn[req.From.ID]; ok && req.Tick-t < r.cfg.CooldownTicks {
			d.Reason = RefusedCooldown
			return d
		}
		if r.cfg.Hysteresis == HysteresisIncumbent {
			if st, ok := r.stability[req.From.ID]; ok && st < r.cfg.MinStability {
				d.Reason = RefusedIncumbent
				return d
			}
		}
	}
	if len(req.Candidates) == 0 {
		d.Reason = RefusedNoCandidate
		return d
	}
	cands := append([]Candidate(nil), req.Candidates...)
	sort.Slice(cands, func(i, j int) bool { return better(cands[i], cands[j]) })
	var ok []Candidate
	for _, c := range cands {
		if reason := r.refuse(req, c, auto); reason != "" {
			d.Refused = append(d.Refused, Refusal{c.ID, c.Provider, reason})
			continue
		}
		ok = append(ok, c)
	}
	// Deduplicate by provider: the best-ranked candidate of each stays.
	var uniq []Candidate
	providers := map[string]bool{}
	for _, c := range ok {
		if providers[c.Provider] {
			d.Refused = append(d.Refused, Refusal{c.ID, c.Provider, RefusedProvider})
			continue
		}
		providers[c.Provider] = true
		uniq = append(uniq, c)
	}
	if len(uniq) == 0 && r.cfg.AllowDegraded {
		// Degraded fallback: the best candidate refused only for being
		// below the health threshold.
		for _, c := range cands {
			for i, f := range d.Refused {
				if f.Resource == c.ID && f.Reason == RefusedDegraded {
					d.Refused = append(d.Refused[:i], d.Refused[i+1:]...)
					uniq, d.Degraded = []Candidate{c}, true
					break
				}
			}
			if len(uniq) > 0 {
				break
			}
		}
	}
	if len(uniq) == 0 {
		sort.Slice(d.Refused, func(i, j int) bool { return d.Refused[i].Resource < d.Refused[j].Resource })
		d.Reason = RefusedAll
		return d
	}
	pick := uniq[0]
	for i, c := range uniq {
		if r.withinCap(req, c) {
			pick, d.Diverted = c, i > 0
			for _, over := range uniq[:i] {
				d.Passed = append(d.Passed, Refusal{over.ID, over.Provider, RefusedCap})
			}
			for _, under := range uniq[i+1:] {
				d.Passed = append(d.Passed, Refusal{under.ID, under.Provider, RefusedRank})
			}
			break
		}
	}
	if !d.Diverted && len(d.Passed) == 0 {
		for _, under := range uniq[1:] {
			d.Passed = append(d.Passed, Refusal{under.ID, under.Provider, RefusedRank})
		}
	}
	sort.Slice(d.Refused, func(i, j int) bool { return d.Refused[i].Resource < d.Refused[j].Resource })
	sort.Slice(d.Passed, func(i, j int) bool { return d.Passed[i].Resource < d.Passed[j].Resource })
	d.To, d.Provider = pick.ID, pick.Provider
	return d
}

// better ranks by highest health, then lowest money, then id.
func better(a, b Candidate) bool {
	if a.Health != b.Health {
		return a.Health > b.Health
	}
	if a.Money != b.Money {
		return a.Money < b.Money
	}
	return a.ID < b.ID
}

// refuse returns why c may not replace req.From, or "".
func (r *Registry) refuse(req Request, c Candidate, auto bool) string {
	switch {
	case c.Ineligible != "":
		return RefusedIneligible
	case c.Health <= 0 || !c.Callable:
		return RefusedDown
	case c.Health < r.cfg.HealthThreshold:
		return RefusedDegraded
	case req.Trigger != TriggerAuthorityRevoked && r.recentSwaps(req.From.ID, c.ID, req.Tick) >= r.cfg.OscillationLimit:
		return RefusedOscillation
	}
	if r.cfg.SameCapabilities && !covers(c.Capabilities, req.From.Capabilities) {
		return RefusedCapability
	}
	if !auto {
		return ""
	}
	if r.cfg.Hysteresis != HysteresisIncumbent {
		if s, ok := r.stability[c.ID]; ok && s < r.cfg.MinStability {
			return RefusedUnstable
		}
	}
	gain := r.cfg.MinImprovement
	switch req.Trigger {
	case TriggerCapabilityDegraded:
		if c.Health < req.From.Health+gain-1e-12 {
			return RefusedImprovement
		}
	case TriggerLatencyViolation:
		if c.LatencyMs > float64(req.From.LatencyMs*(1-gain))+1e-9 {
			return RefusedImprovement
		}
	case TriggerCostSpike:
		if c.Money > float64(req.From.Money*(1-gain))+1e-15 {
			return RefusedImprovement
		}
	}
	return ""
}

// covers reports whether have includes every element of want.
func covers(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// withinCap reports whether, after replacing req.From by c, c's provider
// serves at most DiversityCap of the distinct resources in use.
func (r *Registry) withinCap(req Request, c Candidate) bool {
	set := map[string]string{}
	for _, u := range req.InUse {
		set[u.Resource] = u.Provider
	}
	delete(set, req.From.ID)
	set[c.ID] = c.Provider
	n := 0
	for _, p := range set {
		if p == c.Provider {
			n++
		}
	}
	return float64(n) <= float64(r.cfg.DiversityCap*float64(len(set)))+1e-12
}

// Rollback is the state a swap captured before it ran: the old node and its
// edges, and the replacement as it was (nil when it was not in the graph).
type Rollback struct {
	Old      *graph.Node
	OldEdges []*graph.Edge
	New      *graph.Node
	NewEdges []*graph.Edge
	NewID    string
}

// Capture returns the rollback state a swap from -> to would need, without
// swapping: the old node and its edges, and the replacement as it is (nil
// when it is not in the graph). An unknown from is UNKNOWN_NODE.
func Capture(g *graph.Graph, from, to string) (*Rollback, error) {
	if g.Node(from) == nil {
		return nil, errs.New(errs.CodeUnknownNode, "swap: resource %q is not in the graph", from).WithIDs(from)
	}
	return capture(g, from, to), nil
}

func capture(g *graph.Graph, from, to string) *Rollback {
	rb := &Rollback{Old: g.Node(from).Clone(), OldEdges: cloneEdges(g, from), NewID: to}
	if n := g.Node(to); n != nil {
		rb.New, rb.NewEdges = n.Clone(), cloneEdges(g, to)
	}
	return rb
}

func cloneEdges(g *graph.Graph, id string) []*graph.Edge {
	var out []*graph.Edge
	for _, e := range append(g.EdgesFrom(id), g.EdgesTo(id)...) {
		out = append(out, e.Clone())
	}
	return out
}

// Restore puts the graph back as it was before the swap: the replacement is
// removed (or reset to its previous fields and edges) and the old node
// returns with its edges. It is all-or-nothing.
func (rb *Rollback) Restore(g *graph.Graph) error {
	return g.Atomically(func() error {
		if g.Node(rb.NewID) != nil {
			if _, err := g.RemoveNode(rb.NewID); err != nil {
				return err
			}
		}
		if g.Node(rb.Old.ID) != nil {
			if _, err := g.RemoveNode(rb.Old.ID); err != nil {
				return err
			}
		}
		if rb.New != nil {
			if err := g.AddNode(rb.New.Clone()); err != nil {
				return err
			}
		}
		if err := g.AddNode(rb.Old.Clone()); err != nil {
			return err
		}
		for _, e := range append(append([]*graph.Edge(nil), rb.NewEdges...), rb.OldEdges...) {
			if _, err := g.AddEdge(e.Clone()); err != nil {
				return err
			}
		}
		return nil
	})
}

// Emit appends a trace record and returns its id.
type Emit func(event, actor string, d *trace.Data) (string, error)

// Apply performs σ: the node from leaves the graph and to takes its edges
// (to is taken from the graph when present, else from the registered
// candidates of from). validate, when given, runs after σ inside the same
// transaction; if σ or validate fails, the graph is restored exactly and
// the error is returned (SWAP_FAILED wrapping the cause). On success the
// swap enters the history, to inherits from's registered candidates and
// from itself becomes a candidate of to (so the swap can be reversed), and
// the rollback state is returned.
func (r *Registry) Apply(g *graph.Graph, tick int64, from, to, trigger string, validate func() error) (*Rollback, error) {
	old := g.Node(from)
	if old == nil {
		return nil, errs.New(errs.CodeUnknownNode, "swap: resource %q is not in the graph", from).WithIDs(from)
	}
	var n *graph.Node
	for _, c := range r.Candidates(g, from) {
		if c.ID == to {
			n = c.Clone()
		}
	}
	if n == nil {
		return nil, errs.New(errs.CodeSwapFailed, "swap: %q is not a registered candidate of %q", to, from).WithIDs(from, to)
	}
	rb := capture(g, from, to)
	err := g.Atomically(func() error {
		if _, err := g.SwapNode(from, n); err != nil {
			return err
		}
		if validate != nil {
			return validate()
		}
		return nil
	})
	if err != nil {
		e := errs.New(errs.CodeSwapFailed, "swap: %s -> %s failed and was rolled back: %v", from, to, err).WithIDs(from, to)
		return rb, e
	}
	r.history = append(r.history, Swap{Tick: tick, From: from, To: to, FromProvider: old.Provider, ToProvider: n.Provider, Trigger: trigger})
	r.lastIn[to] = tick
	inherited := r.stored[from]
	delete(r.stored, from)
	for _, c := range inherited {
		r.Register(to, c)
	}
	r.Register(to, rb.Old)
	r.recount()
	return rb, nil
}

// Result is what Swap did.
type Result struct {
	Decision
	Trigger  string
	Swapped  bool
	Failed   string // non-empty: σ or validation failed and was rolled back
	Rollback *Rollback
	TraceID  string // the swap, swap_refused or rollback record
}

// Swap runs one triggered swap end to end: Select, then Apply, recording
// the outcome in the trace through emit under the causal parent the caller
// chose: a swap record (data from, to, trigger, provider) when it succeeds,
// a swap_refused record (reason and the refused candidates) when no
// candidate is acceptable, a rollback record when σ or validate failed. An
// error is returned only when the trace cannot be written.
func (r *Registry) Swap(g *graph.Graph, req Request, validate func() error, emit Emit) (*Result, error) {
	res := &Result{Decision: r.Select(req), Trigger: req.Trigger}
	if res.To == "" {
		r.blocked++
		d := &trace.Data{From: req.From.ID, Provider: req.From.Provider, Trigger: req.Trigger, Reason: res.Reason}
		for _, f := range res.Refused {
			d.Ids = append(d.Ids, f.Resource+":"+f.Reason)
		}
		id, err := emit(trace.EventSwapRefused, req.From.ID, d)
		res.TraceID = id
		return res, err
	}
	rb, err := r.Apply(g, req.Tick, req.From.ID, res.To, req.Trigger, validate)
	res.Rollback = rb
	if err != nil {
		res.Failed = err.Error()
		id, terr := emit(trace.EventRollback, req.From.ID, &trace.Data{From: req.From.ID, To: res.To, Trigger: req.Trigger, Reason: res.Failed})
		res.TraceID = id
		return res, terr
	}
	res.Swapped = true
	id, err := emit(trace.EventSwap, req.From.ID, &trace.Data{From: req.From.ID, To: res.To, Provider: res.Provider, Trigger: req.Trigger})
	res.TraceID = id
	r.history[len(r.history)-1].Trace = id
	r.bytes += len(id)
	return res, err
}

func round(x float64) float64 { return math.Round(float64(x*1e12)) / 1e12 }
