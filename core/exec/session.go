package exec

import (
	"fmt"
	"math"
	"sort"

	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/internal/norm"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/state"
	"github.com/convergence-io/ceg/core/swap"
	"github.com/convergence-io/ceg/core/trace"
)

// Input is what a session starts from. The session works on its own copies:
// the caller's graph, contract and state are never modified.
type Input struct {
	Graph    *graph.Graph
	Contract *plan.Contract
	State    *state.SystemState // nil: an empty S at tick 0, now 0
	TraceKey []byte             // HMAC-SHA-256 key of the trace hashes; empty: SHA-256
}

// Session is one host-driven execution (docs/DESIGN.md#executor). It is not safe for
// concurrent use; every method is deterministic in its inputs.
type Session struct {
	id       string
	status   string
	tick     int64
	ticks    int64 // ticks begun
	now      float64
	maxTicks int64

	g        *graph.Graph
	contract *plan.Contract
	base     *state.SystemState // S as given, plus scenario changes and memory state
	weights  *plan.CostWeights
	eff      *state.SystemState // this tick's S: base with the breakers applied

	plan       *plan.Plan
	fresh      rejIndex        // this tick's eligibility of every (intent, resource)
	freshPlan  *plan.Plan      // this tick's unbound plan, reused as the first plan
	blocked    map[string]bool // violations recorded from infeasible plans
	refused    map[string]bool // swap refusals recorded last tick
	refusedNow map[string]bool
	steps      []*StepState
	byID       map[string]*StepState
	breakers   state.BreakerMap

	lastRecorded *plan.Plan // the last plan put into history (exec.run)
	stepIdx      [2]stepIndex
	stepIdxNext  int
	field        dilation.Field
	fieldIDs     []string
	reg          *swap.Registry
	swapPolicy   *swap.Policy // as given (nil: the default), kept for snapshots
	log          *trace.Log
	active       map[string]string // active node -> its activate record
	violated     map[string]bool   // "constraint|step|resource" currently violated
	manual       []string          // resources whose swap was requested for the next tick
	root         string
	planRec      string // the last plan record
	nViol        int
	nSwaps       int
	rng          uint64
	scenario     *Scenario
	comp         *plan.Compiler

	// per call / per tick
	err       error
	actions   []Action
	cur       *ExecutorStep
	record    bool
	history   []ExecutorStep
	phaseLen  int            // log length at the start of the phase
	activeAt  map[string]int // step -> attempt, active at the start of the phase
	dispatchd []Action       // dispatches of the current phase
	endRec    *trace.Data    // session_end to write at the end of the tick
	endParent string
	ran       map[string]bool // ranKey(step, resource) of the attempts in flight at some point of the current tick
}

// ID returns the session id.
func (s *Session) ID() string { return s.id }

// Status returns the session status.
func (s *Session) Status() string { return s.status }

// Tick returns the current tick.
func (s *Session) Tick() int64 { return s.tick }

// Plan returns the current plan.
func (s *Session) Plan() *plan.Plan { return s.plan }

// Trace returns the session's trace records (do not modify them).
func (s *Session) Trace() []*trace.Record { return s.log.Records() }

// Graph returns the session's working graph (do not modify it).
func (s *Session) Graph() *graph.Graph { return s.g }

// Bytes is what the session holds for byte budgets: its graph's bytes, its
// trace's and its swap registry's (graph.Graph.Bytes, trace.Log.Bytes,
// swap.Registry.Bytes). The trace grows with every report and the registry
// with every swap and host registration; the api layer checks the budgets
// before each one.
func (s *Session) Bytes() int { return s.g.Bytes() + s.log.Bytes() + s.reg.Bytes() }

// Steps returns the executor's step records, in creation order.
func (s *Session) Steps() []*StepState { return s.steps }

// Breaker returns the breaker of a provider, or nil.
func (s *Session) Breaker(provider string) *state.Breaker { return s.breakers.Get(provider) }

// Dilation returns D of a node as the executor last set it.
func (s *Session) Dilation(id string) float64 { return s.field.Get(id) }

// ExportGraph returns a copy of the working graph with the session's trace
// records added as nodes of kind trace (docs/DESIGN.md#trace). A trace id already used
// by a node of the graph is DUPLICATE_NODE.
func (s *Session) ExportGraph() (*graph.Graph, error) {
	g := s.g.Clone()
	g.Limits = graph.Limits{}
	if err := trace.AddToGraph(g, s.log.Records()); err != nil {
		return nil, err
	}
	return g, nil
}

// RequestSwap asks for a manual hot-swap of a resource at the next tick.
func (s *Session) RequestSwap(resource string) error {
	if n := s.g.Node(resource); n == nil || n.Kind != graph.KindResource {
		return errs.New(errs.CodeUnknownNode, "exec: %q is not a resource of the session graph", resource).WithIDs(resource)
	}
	s.manual = append(s.manual, resource)
	return nil
}

// Start begins a session: it records session_start, runs tick 0 up to the
// dispatch of the ready steps, and returns the actions for the host.
func Start(id string, in Input, opts Options) (*Session, *TickResult, error) {
	s, err := newSession(id, in, opts, nil)
	if err != nil {
		return nil, nil, err
	}
	return s, s.begin(), s.takeErr()
}

func newSession(id string, in Input, opts Options, sc *Scenario) (*Session, error) {
	if in.Graph == nil {
		return nil, errs.New(errs.CodeInvalidParams, "exec: graph is required").At("graph")
	}
	if in.Contract == nil {
		return nil, errs.New(errs.CodeInvalidParams, "exec: contract is required").At("contract")
	}
	c := cloneContract(in.Contract)
	if err := c.Normalize("contract"); err != nil {
		return nil, err
	}
	if opts.Weights != nil {
		if err := opts.Weights.Validate("options.weights"); err != nil {
			return nil, err
		}
	}
	if err := in.State.Validate("state"); err != nil {
		return nil, err
	}
	swapCfg, err := opts.SwapPolicy.Config("options.swapPolicy")
	if err != nil {
		return nil, err
	}
	maxTicks := int64(DefaultMaxTicks)
	if opts.MaxTicks != nil {
		if *opts.MaxTicks <= 0 {
			return nil, errs.New(errs.CodeInvalidParams, "exec: maxTicks must be positive").At("options.maxTicks")
		}
		maxTicks = *opts.MaxTicks
	}
	base := cloneState(in.State)
	s := &Session{
		id: id, status: StatusRunning, tick: base.Tick, now: base.Now, maxTicks: maxTicks,
		g: in.Graph.Clone(), contract: c, base: base, weights: cloneWeights(opts.Weights),
		byID: map[string]*StepState{}, reg: swap.New(swapCfg), swapPolicy: opts.SwapPolicy, log: trace.NewLog(in.TraceKey),
		active: map[string]string{}, violated: map[string]bool{}, blocked: map[string]bool{}, refused: map[string]bool{}, scenario: sc, comp: plan.NewCompiler(0),
	}
	// Breakers given in S carry over (a host keeps them across sessions, e.g.
	// one session per chat turn): the session goes on counting from them.
	s.breakers = base.Resources.Breakers.Clone()
	if sc != nil {
		s.rng = sc.Seed
	}
	s.g.SetTick(s.tick)
	s.cur = &ExecutorStep{Tick: s.tick}
	s.root = s.emit(trace.EventSessionStart, s.id, "", &trace.Data{Session: s.id, Status: StatusRunning})
	// Nodes that arrive active were activated before the session: record
	// them so every active node has its activation in the trace.
	for _, n := range s.g.Nodes() {
		if n.Active {
			s.active[n.ID] = s.emit(trace.EventActivate, n.ID, s.root, &trace.Data{Reason: "active when the session started"})
		}
	}
	return s, s.takeErr()
}

// Report records the host's outcomes for the current tick at host time now,
// finishes the tick, and runs the next one up to its dispatches. Outcomes
// for an attempt that is no longer current (rolled back, or already
// reported) are ignored. now may not go backwards.
func (s *Session) Report(now float64, outcomes []Outcome) (*TickResult, error) {
	if err := s.checkReport(now, outcomes); err != nil {
		return nil, err
	}
	mark := s.log.Len()
	s.actions = nil
	s.now = now
	s.finish(outcomes)
	if s.status == StatusRunning {
		s.tick++
		s.g.SetTick(s.tick)
		s.cur = &ExecutorStep{Tick: s.tick}
		s.beginTick()
	}
	return s.result(mark), s.takeErr()
}

func (s *Session) checkReport(now float64, outcomes []Outcome) error {
	if s.status != StatusRunning {
		return errs.New(errs.CodeSessionClosed, "exec: session %q has ended (%s)", s.id, s.status)
	}
	if math.IsNaN(now) || math.IsInf(now, 0) || now > norm.MaxQuantity {
		return errs.New(errs.CodeInvalidParams, "exec: now must be a finite number within %g", norm.MaxQuantity).At("now")
	}
	if now < s.now {
		return errs.New(errs.CodeInvalidParams, "exec: now is %s before the session's time; host time must not go backwards", state.Seconds(s.now-now)).At("now")
	}
	return s.checkOutcomes(outcomes)
}

func (s *Session) begin() *TickResult {
	s.actions = nil
	s.beginTick()
	return s.result(0)
}

func (s *Session) result(mark int) *TickResult {
	r := &TickResult{Tick: s.tick, Status: s.status, Actions: s.actions, Events: s.log.Records()[mark:]}
	if r.Actions == nil {
		r.Actions = []Action{}
	}
	for _, e := range r.Events {
		if e.Event == trace.EventPlan {
			r.Plan = s.plan // the plan changed during this call: hosts see its failover chains
			break
		}
	}
	return r
}

func (s *Session) takeErr() error {
	err := s.err
	s.err = nil
	return err
}

// fail keeps the first internal error of a call.
func (s *Session) fail(err error) {
	if s.err == nil && err != nil {
		s.err = err
	}
}

// emit appends a trace record for the current tick and returns its id.
func (s *Session) emit(event, actor, parent string, d *trace.Data) string {
	r, err := s.log.Append(trace.Entry{Tick: s.tick, At: s.now, Event: event, Actor: actor, CausalParent: parent, Data: d.Raw()})
	if err != nil {
		s.fail(fmt.Errorf("exec: trace: %w", err))
		return ""
	}
	if s.cur != nil {
		s.cur.TraceIDs = append(s.cur.TraceIDs, r.ID)
	}
	return r.ID
}

// beginTick runs the first half of a tick: observe S, update D, evaluate
// constraints, reoptimize, hot-swap, dispatch.
func (s *Session) beginTick() {
	s.ticks++
	s.ran = map[string]bool{}
	for _, st := range s.steps {
		if st.Status == StepActive {
			s.ran[ranKey(st.ID, st.Resource)] = true
		}
	}
	s.applyEvents()
	s.phase("observe", func() {
		s.observe()
		s.updateField()
	})
	s.phase("constraints", s.evaluateConstraints)
	if s.status != StatusRunning {
		s.phase("projections", func() {
			s.updateProjections()
			s.base.Memory.ActiveNodes = s.activeCount()
			s.closeSession()
		})
		s.endTick()
		return
	}
	s.phase("reoptimize", s.replan)
	s.phase("swap", s.hotSwap)
	s.phase("dispatch", s.dispatch)
}

// finish runs the second half: record outcomes, update projections and
// memory state, and settle the session status.
func (s *Session) finish(outcomes []Outcome) {
	s.phase("outcomes", func() { s.recordOutcomes(outcomes) })
	s.phase("projections", func() {
		s.settle()
		s.updateProjections()
		s.base.Memory.ActiveNodes = s.activeCount()
		s.closeSession()
	})
	s.endTick()
}

// endTick closes the current ExecutorStep.
func (s *Session) endTick() {
	if s.cur == nil {
		return
	}
	if s.cur.Plan == nil {
		s.cur.Plan = s.plan
	}
	s.cur.Complete = s.status == StatusComplete
	s.cur.Projections = s.projectionMap()
	if s.cur.Swaps == nil {
		s.cur.Swaps = []swap.Swap{}
	}
	if s.cur.Violations == nil {
		s.cur.Violations = []Violation{}
	}
	if s.cur.TraceIDs == nil {
		s.cur.TraceIDs = []string{}
	}
	if s.record {
		// A recorded step carries the plan only when its assignment or
		// feasibility changed (as the `plan` trace record): a long run
		// would otherwise repeat the whole plan every tick (a 600-intent
		// chain made a response of hundreds of MB).
		if s.lastRecorded != nil && s.cur.Plan != nil && !changed(s.lastRecorded, s.cur.Plan) {
			s.cur.Plan = nil
		} else if s.cur.Plan != nil {
			s.lastRecorded = s.cur.Plan
		}
		s.history = append(s.history, *s.cur)
	}
	s.cur = nil
}

// settle ends the session when every step is finished or the tick budget
// is spent.
func (s *Session) settle() {
	if s.status != StatusRunning {
		return
	}
	if len(s.steps) > 0 {
		done, finished := true, true
		for _, st := range s.steps {
			switch st.Status {
			case StepDone:
			case StepFailed, StepCancelled:
				done = false
			default:
				finished, done = false, false
			}
		}
		if finished && s.plan != nil && s.coversPlan() {
			if done {
				s.end(StatusComplete, s.root, "")
			} else {
				s.end(StatusFailed, s.root, "a step exhausted its fallbacks")
			}
			return
		}
	}
	if s.ticks >= s.maxTicks {
		s.end(StatusMaxTicks, s.root, fmt.Sprintf("%d ticks run without finishing", s.ticks))
	}
}

// coversPlan reports whether every step of the current plan is known.
func (s *Session) coversPlan() bool {
	if !s.plan.Feasible && len(s.plan.Steps) == 0 {
		// An infeasible plan lists no steps: only a failure can finish.
		for _, st := range s.steps {
			if st.Status == StepFailed || st.Status == StepCancelled {
				return true
			}
		}
		return false
	}
	for _, ps := range s.plan.Steps {
		if s.byID[ps.ID] == nil {
			return false
		}
	}
	return true
}

// end gives the session its final status: in-flight attempts are rolled
// back (and the host told to cancel them), unfinished steps cancelled, and
// session_end recorded.
func (s *Session) end(status, parent, reason string) {
	for _, st := range s.steps {
		switch st.Status {
		case StepActive:
			rb := s.emit(trace.EventRollback, st.ID, firstNonEmpty(parent, st.Trace), &trace.Data{Step: st.ID, Resource: st.Resource, Provider: st.Provider, Attempt: st.Attempt, Reason: "session " + status})
			s.actions = append(s.actions, Action{Type: ActionCancel, Step: st.ID, Intent: st.Intent, Resource: st.Resource, Provider: st.Provider, Attempt: st.Attempt, Reason: "session " + status, Trace: rb})
			s.deactivate(st)
			st.Status, st.Reason, st.Trace = StepCancelled, "session "+status, rb
		case StepPending:
			id := s.emit(trace.EventCancel, st.ID, firstNonEmpty(parent, st.Trace), &trace.Data{Step: st.ID, Reason: "session " + status})
			st.Status, st.Reason, st.Trace = StepCancelled, "session "+status, id
		}
	}
	s.status = status
	s.endRec = &trace.Data{Session: s.id, Status: status, Reason: reason}
	s.endParent = parent
}

// closeSession writes session_end, the last record of a session, once the
// tick that ended it has settled its projections.
func (s *Session) closeSession() {
	if s.endRec == nil {
		return
	}
	s.emit(trace.EventSessionEnd, s.id, s.endParent, s.endRec)
	s.endRec, s.endParent = nil, ""
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// observe builds this tick's S: the base state with the breakers applied
// at the current host time, and the memory view.
func (s *Session) observe() {
	eff := cloneState(s.base)
	eff.Tick, eff.Now = s.tick, s.now
	eff.ApplyBreakers(s.breakers, s.now)
	eff.Memory.ActiveNodes = s.activeCount()
	s.eff = eff
}

// updateField recomputes D for every resource from its health and its
// observed/target latency ratio (ratio 1 when nothing was observed), passes
// it through the dwell guard and writes it onto the node. It also feeds the
// hot-swap registry's stability EMA.
func (s *Session) updateField() {
	for _, n := range s.g.NodesByKind(graph.KindResource) {
		n.Dilation = s.field.Update(n.ID, s.dilationOf(n))
		s.g.Touch()
		s.fieldIDs = insertSorted(s.fieldIDs, n.ID)
		s.reg.Observe(n.ID, s.health(n))
	}
}

// dilationOf is FromHealth(health, observed/target latency) of a resource
// under this tick's S, before the dwell guard.
func (s *Session) dilationOf(n *graph.Node) float64 {
	ratio := 1.0
	if lat, ok := s.eff.Resources.LatencyMs.Get(n.Provider); ok && n.LatencyTarget() > 0 {
		ratio = lat / n.LatencyTarget()
	}
	return dilation.FromHealth(s.health(n), ratio)
}

// health is a resource's effective health: S (breakers applied) over the
// node's own health.
func (s *Session) health(n *graph.Node) float64 { return s.eff.Health(n.Provider, n.HealthOr()) }

func (s *Session) activeCount() int {
	c := 0
	for _, n := range s.g.Nodes() {
		if n.Active {
			c++
		}
	}
	return c
}

// planStep returns the step of p with the id (the first, as a linear
// search would), or nil. Lookups go through an index of the two plans last
// asked about (the current and the previous one): a linear search here made
// each tick quadratic in the number of steps (a 600-intent run spent 37% of
// its time in it).
func (s *Session) planStep(p *plan.Plan, id string) *plan.Step {
	if p == nil {
		return nil
	}
	for i := range s.stepIdx {
		if x := &s.stepIdx[i]; x.p == p && x.n == len(p.Steps) {
			return x.m[id]
		}
	}
	x := &s.stepIdx[s.stepIdxNext]
	s.stepIdxNext ^= 1
	x.p, x.n, x.m = p, len(p.Steps), make(map[string]*plan.Step, len(p.Steps))
	for _, st := range p.Steps {
		if _, dup := x.m[st.ID]; !dup {
			x.m[st.ID] = st
		}
	}
	return x.m[id]
}

// stepIndex maps a plan's step ids to its steps; a plan is identified by
// its pointer and step count (steps are only ever appended in place).
type stepIndex struct {
	p *plan.Plan
	n int
	m map[string]*plan.Step
}

// ordered returns the steps in the current plan's order, then any others
// in creation order.
// Every tick asks several times, so the common case (every step is in the
// plan) builds no set.
func (s *Session) ordered() []*StepState {
	out := make([]*StepState, 0, len(s.steps))
	if s.plan != nil {
		for _, ps := range s.plan.Steps {
			if st := s.byID[ps.ID]; st != nil {
				out = append(out, st)
			}
		}
	}
	if len(out) == len(s.steps) { // plan step ids are distinct
		return out
	}
	seen := make(map[string]bool, len(out))
	for _, st := range out {
		seen[st.ID] = true
	}
	for _, st := range s.steps {
		if !seen[st.ID] {
			out = append(out, st)
		}
	}
	return out
}

func insertSorted(list []string, id string) []string {
	i := sort.SearchStrings(list, id)
	if i < len(list) && list[i] == id {
		return list
	}
	list = append(list, "")
	copy(list[i+1:], list[i:])
	list[i] = id
	return list
}

func removeSorted(list []string, id string) []string {
	i := sort.SearchStrings(list, id)
	if i < len(list) && list[i] == id {
		return append(list[:i], list[i+1:]...)
	}
	return list
}

func ranKey(step, resource string) string { return step + "\x00" + resource }

func hasSorted(list []string, id string) bool {
	i := sort.SearchStrings(list, id)
	return i < len(list) && list[i] == id
}
