package api

import (
	"fmt"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/exec"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/internal/norm"
	"github.com/convergence-io/ceg/core/swap"
)

// The hot-swap registry, inspectable and configurable: stand-alone
// registries ("r1.<epoch>", …; handles with the lifetime and limits of
// graph handles: idle eviction, registry.list, the handle count) and a
// session's own ({session}).

//easyjson:json
type registryCreateParams struct {
	Policy       *swap.Policy `json:"policy"`
	MaxIdleCalls *int64       `json:"maxIdleCalls"`
}

//easyjson:json
type registryCreateResult struct {
	Registry string       `json:"registry"`
	Policy   *swap.Policy `json:"policy"`
}

//easyjson:json
type registryTarget struct {
	Registry *string `json:"registry"`
	Session  *string `json:"session"`
}

//easyjson:json
type registryRegisterParams struct {
	registryTarget
	Resource  *string     `json:"resource"`
	Candidate *graph.Node `json:"candidate"`
}

//easyjson:json
type registryRegisterResult struct {
	Registered bool     `json:"registered"`
	Candidates []string `json:"candidates"`
}

//easyjson:json
type registryCandidatesParams struct {
	registryTarget
	Resource *string `json:"resource"`
	Handle   *string `json:"handle"`
}

//easyjson:json
type registryCandidatesResult struct {
	Candidates []*graph.Node `json:"candidates"`
}

//easyjson:json
type observationWire struct {
	Resource         *string  `json:"resource"`
	Health           *float64 `json:"health"`
	LatencyMs        *float64 `json:"latencyMs"`
	TargetMs         *float64 `json:"targetMs"`
	Dilation         *float64 `json:"dilation"`
	Money            *float64 `json:"money"`
	MaxCost          *float64 `json:"maxCost"`
	AuthorityRevoked bool     `json:"authorityRevoked"`
	Manual           bool     `json:"manual"`
}

//easyjson:json
type registryCheckParams struct {
	registryTarget
	Observation *observationWire `json:"observation"`
}

//easyjson:json
type registryCheckResult struct {
	Trigger  *string  `json:"trigger"`
	Triggers []string `json:"triggers"`
}

//easyjson:json
type candidateWire struct {
	ID           *string  `json:"id"`
	Provider     string   `json:"provider"`
	Health       *float64 `json:"health"`
	Money        float64  `json:"money"`
	LatencyMs    float64  `json:"latencyMs"`
	Callable     *bool    `json:"callable"`
	Ineligible   string   `json:"ineligible"`
	Capabilities []string `json:"capabilities"`
}

//easyjson:json
type inUseWire struct {
	Resource string `json:"resource"`
	Provider string `json:"provider"`
}

//easyjson:json
type registrySelectParams struct {
	registryTarget
	Trigger    *string         `json:"trigger"`
	Tick       int64           `json:"tick"`
	From       *candidateWire  `json:"from"`
	Candidates []candidateWire `json:"candidates"`
	InUse      []inUseWire     `json:"inUse"`
}

//easyjson:json
type registrySelectResult struct {
	To       string         `json:"to,omitempty"`
	Provider string         `json:"provider,omitempty"`
	Reason   string         `json:"reason,omitempty"`
	Refused  []swap.Refusal `json:"refused"`
	Passed   []swap.Refusal `json:"passed"`
	Diverted bool           `json:"diverted"`
	Degraded bool           `json:"degraded"`
}

//easyjson:json
type registryObserveParams struct {
	Registry *string  `json:"registry"`
	ID       *string  `json:"id"`
	Health   *float64 `json:"health"`
}

//easyjson:json
type registryObserveResult struct {
	ID        string  `json:"id"`
	Stability float64 `json:"stability"`
}

//easyjson:json
type registryCaptureParams struct {
	Handle *string `json:"handle"`
	From   *string `json:"from"`
	To     *string `json:"to"`
}

//easyjson:json
type rollbackWire struct {
	Old      *graph.Node   `json:"old"`
	OldEdges []*graph.Edge `json:"oldEdges"`
	New      *graph.Node   `json:"new,omitempty"`
	NewEdges []*graph.Edge `json:"newEdges"`
}

//easyjson:json
type registrySummaryParams struct {
	registryTarget
}

//easyjson:json
type registrySummaryResult struct {
	Tracked []string     `json:"tracked"`
	Swaps   []swap.Swap  `json:"swaps"`
	Blocked int          `json:"blocked"`
	Policy  *swap.Policy `json:"policy"`
}

//easyjson:json
type registryDropParams struct {
	Registry *string `json:"registry"`
}

// registryExt is the engine state of the registry family.
type registryExt struct {
	regs map[string]*swap.Registry
	next uint64
}

func (x *registryExt) init() { x.regs = map[string]*swap.Registry{} }

// registry resolves {registry | session}; s is the session when one was named.
func (e *Engine) registry(t registryTarget) (r *swap.Registry, s *exec.Session, err error) {
	switch {
	case t.Registry != nil && t.Session != nil:
		return nil, nil, badParam("session", "give either registry or session, not both")
	case t.Session != nil:
		s, err := e.session(t.Session)
		if err != nil {
			return nil, nil, err
		}
		return s.Registry(), s, nil
	case t.Registry == nil:
		return nil, nil, missing("registry")
	}
	r, ok := e.ext.registry.regs[*t.Registry]
	if !ok {
		return nil, nil, &errs.Error{Code: errs.CodeUnknownHandle, Message: fmt.Sprintf("unknown registry %q", *t.Registry), Path: "registry"}
	}
	e.touched(*t.Registry, kindRegistry)
	return r, nil, nil
}

// registry.create {policy?} -> {registry, policy}.
func registryCreate(e *Engine, raw []byte) (marshaler, error) {
	var p registryCreateParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	maxIdle, err := checkMaxIdle(p.MaxIdleCalls, "maxIdleCalls")
	if err != nil {
		return nil, err
	}
	cfg, err := p.Policy.Config("policy")
	if err != nil {
		return nil, err
	}
	x := &e.ext.registry
	if len(x.regs) >= e.limits.MaxHandles {
		return nil, errs.New(errs.CodeLimitExceeded, "%d live registries: the limit; drop one first", e.limits.MaxHandles)
	}
	x.next++
	h := e.id("r", x.next)
	x.regs[h] = swap.New(cfg)
	e.registered(h, kindRegistry, maxIdle)
	return &registryCreateResult{Registry: h, Policy: swap.PolicyOf(cfg)}, nil
}

// registry.register {registry|session, resource, candidate} -> {registered, candidates}.
func registryRegister(e *Engine, raw []byte) (marshaler, error) {
	var p registryRegisterParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if err := checkID("resource", p.Resource); err != nil {
		return nil, err
	}
	if p.Candidate == nil {
		return nil, missing("candidate")
	}
	if err := graph.Normalize(p.Candidate, "candidate"); err != nil {
		return nil, err
	}
	if p.Candidate.Kind != graph.KindResource {
		return nil, badParam("candidate.kind", "a candidate must be a resource node, got kind %q", p.Candidate.Kind)
	}
	r, s, err := e.registry(p.registryTarget)
	if err != nil {
		return nil, err
	}
	ids := r.RegisteredIDs(*p.Resource)
	if len(ids) >= e.limits.MaxNodes {
		return nil, errs.New(errs.CodeLimitExceeded, "%q has %d registered candidates: the limit", *p.Resource, len(ids))
	}
	// The candidate's bytes count against the registry (or the session
	// that owns it) and against the budget across handles.
	extra := r.RegisterBytes(*p.Resource, p.Candidate)
	if s != nil {
		err = e.objectBytes("session "+*p.Session, s.Bytes(), extra, "snapshot and close it, or register fewer candidates")
	} else {
		err = e.objectBytes("swap registry "+*p.Registry, r.Bytes(), extra, "drop it or another registry (registry.drop) first")
	}
	if err != nil {
		return nil, err
	}
	ok, undo := r.RegisterUndo(*p.Resource, p.Candidate)
	e.onRollback(undo)
	return &registryRegisterResult{Registered: ok, Candidates: r.RegisteredIDs(*p.Resource)}, nil
}

// registry.candidates {registry|session, resource, handle?} -> {candidates}:
// the registered candidates plus the swaps_to targets in the graph (the
// session's graph, or the handle's).
func registryCandidates(e *Engine, raw []byte) (marshaler, error) {
	var p registryCandidatesParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if err := checkID("resource", p.Resource); err != nil {
		return nil, err
	}
	r, s, err := e.registry(p.registryTarget)
	if err != nil {
		return nil, err
	}
	g := graph.New()
	switch {
	case s != nil && p.Handle != nil:
		return nil, badParam("handle", "a session's candidates come from its own graph")
	case s != nil:
		g = s.Graph()
	case p.Handle != nil:
		if g, err = e.lookup(*p.Handle); err != nil {
			return nil, err
		}
	}
	c := r.Candidates(g, *p.Resource)
	if c == nil {
		c = []*graph.Node{}
	}
	return &registryCandidatesResult{Candidates: c}, nil
}

// registry.check {registry|session, observation} -> {trigger, triggers}.
func registryCheck(e *Engine, raw []byte) (marshaler, error) {
	var p registryCheckParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Observation == nil {
		return nil, missing("observation")
	}
	r, _, err := e.registry(p.registryTarget)
	if err != nil {
		return nil, err
	}
	w := p.Observation
	if err := w.check("observation"); err != nil {
		return nil, err
	}
	o := swap.Observation{Health: optional(w.Health, 1), LatencyMs: optional(w.LatencyMs, 0), TargetMs: optional(w.TargetMs, 2000),
		Dilation: optional(w.Dilation, 1), Money: optional(w.Money, 0), MaxCost: optional(w.MaxCost, 0.05),
		AuthorityRevoked: w.AuthorityRevoked, Manual: w.Manual}
	if w.Resource != nil {
		if err := checkID("observation.resource", w.Resource); err != nil {
			return nil, err
		}
		o.Resource = *w.Resource
	}
	t := r.Config().Triggers(o)
	res := &registryCheckResult{Triggers: t}
	if res.Triggers == nil {
		res.Triggers = []string{}
	}
	if len(t) > 0 {
		res.Trigger = &t[0]
	}
	return res, nil
}

// inRange checks an optional number against [lo, hi] at path.field.
func inRange(path, field string, v *float64, lo, hi float64) error {
	if v != nil && !norm.InRange(*v, lo, hi) {
		return badParam(errs.Join(path, field), "%s must be within [%g, %g]", field, lo, hi)
	}
	return nil
}

// check range-checks an observation as state values are checked.
func (w *observationWire) check(path string) error {
	for _, f := range []struct {
		name   string
		v      *float64
		lo, hi float64
	}{
		{"health", w.Health, 0, 1},
		{"latencyMs", w.LatencyMs, 0, norm.MaxQuantity},
		{"targetMs", w.TargetMs, 0, norm.MaxQuantity},
		{"dilation", w.Dilation, 0, dilation.Max},
		{"money", w.Money, 0, norm.MaxQuantity},
		{"maxCost", w.MaxCost, 0, norm.MaxQuantity},
	} {
		if err := inRange(path, f.name, f.v, f.lo, f.hi); err != nil {
			return err
		}
	}
	return nil
}

func (w *candidateWire) candidate(path string) (swap.Candidate, error) {
	if err := checkID(path+".id", w.ID); err != nil {
		return swap.Candidate{}, err
	}
	if err := inRange(path, "health", w.Health, 0, 1); err != nil {
		return swap.Candidate{}, err
	}
	if err := inRange(path, "money", &w.Money, 0, norm.MaxQuantity); err != nil {
		return swap.Candidate{}, err
	}
	if err := inRange(path, "latencyMs", &w.LatencyMs, 0, norm.MaxQuantity); err != nil {
		return swap.Candidate{}, err
	}
	c := swap.Candidate{ID: *w.ID, Provider: w.Provider, Health: optional(w.Health, 1), Money: w.Money, LatencyMs: w.LatencyMs,
		Callable: w.Callable == nil || *w.Callable, Ineligible: w.Ineligible}
	// A given provider compares canonical, as on graph nodes; without one
	// the candidate is its own provider (its id, as given).
	if c.Provider == "" {
		c.Provider = c.ID
	} else {
		p, err := providerName(path+".provider", c.Provider)
		if err != nil {
			return swap.Candidate{}, err
		}
		c.Provider = p
	}
	for i, cp := range w.Capabilities {
		cp = norm.Name(cp)
		if norm.Garbled(cp) {
			return swap.Candidate{}, badParam(errs.Index(path+".capabilities", i), "name %s", norm.GarbledMessage)
		}
		c.Capabilities = append(c.Capabilities, cp)
	}
	return c, nil
}

// registry.select {registry|session, trigger, tick?, from, candidates?, inUse?}
// -> the decision: to (or reason), refused and passed candidates with why.
// Without candidates, the registered ones are described from their nodes.
// It changes nothing (a stand-alone registry counts a refusal as blocked).
func registrySelect(e *Engine, raw []byte) (marshaler, error) {
	var p registrySelectParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Trigger == nil {
		return nil, missing("trigger")
	}
	switch *p.Trigger {
	case swap.TriggerCapabilityDegraded, swap.TriggerLatencyViolation, swap.TriggerCostSpike, swap.TriggerAuthorityRevoked, swap.TriggerManual:
	default:
		return nil, badParam("trigger", "unknown trigger %q", *p.Trigger)
	}
	if p.From == nil {
		return nil, missing("from")
	}
	if p.Tick < 0 {
		return nil, badParam("tick", "tick must be non-negative")
	}
	r, s, err := e.registry(p.registryTarget)
	if err != nil {
		return nil, err
	}
	from, err := p.From.candidate("from")
	if err != nil {
		return nil, err
	}
	req := swap.Request{Tick: p.Tick, Trigger: *p.Trigger, From: from}
	if p.Candidates != nil {
		for i := range p.Candidates {
			c, err := p.Candidates[i].candidate(errs.Index("candidates", i))
			if err != nil {
				return nil, err
			}
			req.Candidates = append(req.Candidates, c)
		}
	} else {
		g := graph.New()
		if s != nil {
			g = s.Graph()
		}
		for _, n := range r.Candidates(g, from.ID) {
			req.Candidates = append(req.Candidates, swap.Candidate{ID: n.ID, Provider: n.Provider, Health: n.HealthOr(),
				Money: float64(n.CostPerToken*1000) + n.CostPerCall, LatencyMs: n.LatencyTarget(), Callable: true, Capabilities: n.Capabilities})
		}
	}
	for i, u := range p.InUse {
		path := errs.Index("inUse", i)
		if err := checkID(path+".resource", &u.Resource); err != nil {
			return nil, err
		}
		if u.Provider == "" { // as a candidate's: its own provider
			u.Provider = u.Resource
		} else if u.Provider, err = providerName(path+".provider", u.Provider); err != nil {
			return nil, err
		}
		req.InUse = append(req.InUse, swap.InUse{Resource: u.Resource, Provider: u.Provider})
	}
	d := r.Select(req)
	if d.To == "" && s == nil {
		e.onRollback(func() { r.UnnoteBlocked() })
		r.NoteBlocked()
	}
	res := &registrySelectResult{To: d.To, Provider: d.Provider, Reason: d.Reason, Refused: d.Refused, Passed: d.Passed, Diverted: d.Diverted, Degraded: d.Degraded}
	if res.Refused == nil {
		res.Refused = []swap.Refusal{}
	}
	if res.Passed == nil {
		res.Passed = []swap.Refusal{}
	}
	return res, nil
}

// registry.observe {registry, id, health} -> {id, stability}: feeds the
// health EMA the hysteresis reads.
func registryObserve(e *Engine, raw []byte) (marshaler, error) {
	var p registryObserveParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	r, _, err := e.registry(registryTarget{Registry: p.Registry})
	if err != nil {
		return nil, err
	}
	if err := checkID("id", p.ID); err != nil {
		return nil, err
	}
	h, err := required("health", p.Health)
	if err != nil {
		return nil, err
	}
	if !finiteIn(h, 0, 1) {
		return nil, badParam("health", "health must be within [0, 1]")
	}
	if err := e.objectBytes("swap registry "+*p.Registry, r.Bytes(), r.ObserveBytes(*p.ID), "drop it or another registry (registry.drop) first"); err != nil {
		return nil, err
	}
	e.onRollback(r.ObserveUndo(*p.ID, h))
	st, _ := r.Stability(*p.ID)
	return &registryObserveResult{ID: *p.ID, Stability: st}, nil
}

// registry.capture {handle, from, to} -> the rollback state a swap from ->
// to on that graph would keep (nothing changes).
func registryCapture(e *Engine, raw []byte) (marshaler, error) {
	var p registryCaptureParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Handle == nil {
		return nil, missing("handle")
	}
	if err := checkID("from", p.From); err != nil {
		return nil, err
	}
	if err := checkID("to", p.To); err != nil {
		return nil, err
	}
	g, err := e.lookup(*p.Handle)
	if err != nil {
		return nil, err
	}
	rb, err := swap.Capture(g, *p.From, *p.To)
	if err != nil {
		return nil, err.(*errs.Error).At("from")
	}
	w := &rollbackWire{Old: rb.Old, OldEdges: rb.OldEdges, New: rb.New, NewEdges: rb.NewEdges}
	if w.OldEdges == nil {
		w.OldEdges = []*graph.Edge{}
	}
	if w.NewEdges == nil {
		w.NewEdges = []*graph.Edge{}
	}
	return w, nil
}

// registry.summary {registry|session} -> {tracked, swaps, blocked, policy}.
func registrySummary(e *Engine, raw []byte) (marshaler, error) {
	var p registrySummaryParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	r, _, err := e.registry(p.registryTarget)
	if err != nil {
		return nil, err
	}
	res := &registrySummaryResult{Tracked: r.Tracked(), Swaps: r.History(), Blocked: r.Blocked(), Policy: swap.PolicyOf(r.Config())}
	if res.Swaps == nil {
		res.Swaps = []swap.Swap{}
	}
	return res, nil
}

// registry.drop {registry} -> {dropped: true}.
func registryDrop(e *Engine, raw []byte) (marshaler, error) {
	var p registryDropParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if _, _, err := e.registry(registryTarget{Registry: p.Registry}); err != nil {
		return nil, err
	}
	e.remove(kindRegistry, *p.Registry)
	return &dropResult{Dropped: true}, nil
}
