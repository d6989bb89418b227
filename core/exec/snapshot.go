package exec

import (
	"strings"

	"github.com/gowebpki/jcs"
	"github.com/mailru/easyjson/jwriter"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/swap"
	"github.com/convergence-io/ceg/core/trace"
)

// SnapshotVersion is the version of the snapshot format (2: module and
// digest).
const SnapshotVersion = 2

// RestoreOptions are what Restore checks a snapshot against.
type RestoreOptions struct {
	// Module is the version string of the running module; a snapshot
	// written by another is refused (its breaker constants, limits or
	// semantics may differ).
	Module string
	// TraceKey is the HMAC key of digests and trace hashes (empty: SHA-256).
	TraceKey []byte
	// Limits bound the snapshot's graph as graph.create bounds a graph.
	Limits graph.Limits
}

// Seal sets the snapshot's module and its digest under key.
func (sn *Snapshot) Seal(module string, key []byte) error {
	sn.Module = module
	d, err := sn.ComputeDigest(key)
	if err != nil {
		return err
	}
	sn.Digest = d
	return nil
}

// ComputeDigest returns the hex SHA-256 (HMAC-SHA-256 under key, when key
// is not empty) of the RFC 8785 form of the snapshot without its digest:
// every field, the graph, the trace and all. JSON stores that keep values
// but not bytes (reordered keys, other number spellings) keep the digest.
func (sn *Snapshot) ComputeDigest(key []byte) (string, error) {
	c := *sn
	c.Digest = ""
	var w jwriter.Writer
	c.MarshalEasyJSON(&w)
	if w.Error != nil {
		return "", errs.New(errs.CodeInvalidSnapshot, "exec: snapshot: %v", w.Error)
	}
	b, err := jcs.Transform(w.Buffer.BuildBytes())
	if err != nil {
		return "", errs.New(errs.CodeInvalidSnapshot, "exec: snapshot cannot be canonicalised: %v", err)
	}
	return trace.Digest(key, b), nil
}

// Snapshot returns the whole session as a value that shares nothing with
// it: the working graph, contract, S, plan, steps, breakers, D field (with
// dwell counts), hot-swap registry, trace, counters and generator state.
// The per-tick history of exec.run is not part of it.
func (s *Session) Snapshot() *Snapshot {
	sn := s.snapshotState()
	sn.Graph = s.g.Clone().Doc()
	for _, r := range s.log.Records() {
		sn.Trace = append(sn.Trace, r.Clone())
	}
	return sn
}

// snapshotState is Snapshot without the graph and the trace.
func (s *Session) snapshotState() *Snapshot {
	sn := &Snapshot{
		Version: SnapshotVersion, Session: s.id, Status: s.status, Tick: s.tick, Ticks: s.ticks, Now: s.now, MaxTicks: s.maxTicks,
		Contract: cloneContract(s.contract), State: cloneState(s.base), Weights: cloneWeights(s.weights),
		Steps: []*StepState{}, Breakers: s.breakers.Clone(), Field: []FieldEntry{}, Registry: s.reg.State(), SwapPolicy: s.swapPolicy,
		Activations: []Mark{}, Violated: packKeys(sortedSet(s.violated)), Blocked: packKeys(sortedSet(s.blocked)), Refused: packKeys(sortedSet(s.refused)), Manual: append([]string{}, s.manual...),
		Root: s.root, PlanRecord: s.planRec, Violations: s.nViol, Swaps: s.nSwaps, RNG: s.rng, Trace: []*trace.Record{},
	}
	if s.plan != nil {
		sn.Plan = clonePlan(s.plan)
	}
	if s.eff != nil {
		sn.Effective = cloneState(s.eff)
	}
	sn.Ran = packKeys(sortedSet(s.ran))
	if s.scenario != nil {
		c := *s.scenario
		sn.Scenario = &c
	}
	for _, st := range s.steps {
		c := *st
		c.Chain = append([]string{}, st.Chain...)
		c.Tried = append([]string{}, st.Tried...)
		sn.Steps = append(sn.Steps, &c)
	}
	for _, id := range s.fieldIDs {
		sn.Field = append(sn.Field, FieldEntry{ID: id, D: s.field.Get(id), Dwell: s.field.Dwell(id)})
	}
	for _, n := range s.g.Nodes() {
		if id, ok := s.active[n.ID]; ok && n.Active {
			sn.Activations = append(sn.Activations, Mark{ID: n.ID, Trace: id})
		}
	}
	return sn
}

// Restore rebuilds a session from a snapshot; it continues exactly as the
// snapshotted session would have. A snapshot that does not hold together
// (an unknown version, another module, a digest that does not match its
// content under o.TraceKey, a graph that does not load, a trace that does
// not verify, a step or activation naming what is not there) is
// INVALID_SNAPSHOT; a graph over o.Limits is LIMIT_EXCEEDED, as in
// graph.create.
func Restore(sn *Snapshot, o RestoreOptions) (*Session, error) {
	bad := func(format string, args ...any) error {
		for i, a := range args {
			if e, ok := a.(*errs.Error); ok {
				args[i] = e.Message // the code is INVALID_SNAPSHOT's, not the cause's
			}
		}
		return errs.New(errs.CodeInvalidSnapshot, "exec: snapshot: "+format, args...).At("snapshot")
	}
	if sn == nil {
		return nil, bad("missing")
	}
	if sn.Version != SnapshotVersion {
		return nil, bad("version %d is not %d", sn.Version, SnapshotVersion)
	}
	if sn.Module != o.Module {
		return nil, errs.New(errs.CodeInvalidSnapshot, "exec: snapshot: written by module %q, this is %q; a snapshot restores only into the module version that wrote it", sn.Module, o.Module).At("snapshot.module")
	}
	if sn.Graph != nil && (o.Limits.MaxNodes > 0 && len(sn.Graph.Nodes) > o.Limits.MaxNodes || o.Limits.MaxEdges > 0 && len(sn.Graph.Edges) > o.Limits.MaxEdges) {
		return nil, errs.New(errs.CodeLimitExceeded, "exec: snapshot: its graph of %d nodes and %d edges is over the limits of %d and %d (those of graph.create)",
			len(sn.Graph.Nodes), len(sn.Graph.Edges), o.Limits.MaxNodes, o.Limits.MaxEdges).At("snapshot.graph")
	}
	if sn.Digest == "" {
		return nil, errs.New(errs.CodeInvalidSnapshot, "exec: snapshot: it carries no digest").At("snapshot.digest")
	}
	switch d, err := sn.ComputeDigest(o.TraceKey); {
	case err != nil:
		return nil, bad("%v", err)
	case d != sn.Digest:
		why := "its content was changed after it was taken"
		if len(o.TraceKey) > 0 {
			why += ", or it was sealed without this trace key"
		} else {
			why += ", or it was sealed under a trace key"
		}
		return nil, errs.New(errs.CodeInvalidSnapshot, "exec: snapshot: the digest does not match: %s", why).At("snapshot.digest")
	}
	switch sn.Status {
	case StatusRunning, StatusComplete, StatusFailed, StatusAborted, StatusMaxTicks:
	default:
		return nil, bad("unknown status %q", sn.Status)
	}
	if sn.Graph == nil || sn.Contract == nil || sn.State == nil {
		return nil, bad("graph, contract and state are required")
	}
	g, err := graph.FromDoc(cloneDoc(sn.Graph), o.Limits, "snapshot.graph")
	if err != nil {
		return nil, bad("graph: %v", err)
	}
	c := cloneContract(sn.Contract)
	if err := c.Normalize("snapshot.contract"); err != nil {
		return nil, bad("contract: %v", err)
	}
	// State values and breakers are checked as in exec.start: every
	// breaker state strict, every value in range.
	if err := sn.State.Validate("snapshot.state"); err != nil {
		return nil, bad("state: %v", err)
	}
	if err := sn.Effective.Validate("snapshot.effective"); err != nil {
		return nil, bad("effective state: %v", err)
	}
	for i, k := range sn.Breakers.Keys {
		if b := sn.Breakers.Values[i]; b == nil {
			return nil, bad("breaker %q is null", k)
		} else if err := b.Validate("snapshot.breakers." + k); err != nil {
			return nil, bad("breakers: %v", err)
		}
	}
	log, err := trace.FromRecords(sn.Trace, o.TraceKey)
	if err != nil {
		return nil, bad("%v", err)
	}
	if sn.MaxTicks <= 0 {
		return nil, bad("maxTicks must be positive")
	}
	if sn.Registry.Blocked < 0 {
		return nil, bad("registry.blocked must not be negative")
	}
	return rebuild(sn, g, c, log, bad)
}

// rebuild makes a session from a snapshot's state and the graph, contract
// and trace log already made from it (each is taken over, not copied).
func rebuild(sn *Snapshot, g *graph.Graph, c *plan.Contract, log *trace.Log, bad func(string, ...any) error) (*Session, error) {
	swapCfg, err := sn.SwapPolicy.Config("snapshot.swapPolicy")
	if err != nil {
		return nil, err
	}
	s := &Session{
		id: sn.Session, status: sn.Status, tick: sn.Tick, ticks: sn.Ticks, now: sn.Now, maxTicks: sn.MaxTicks,
		g: g, contract: c, base: cloneState(sn.State), weights: cloneWeights(sn.Weights),
		byID: map[string]*StepState{}, breakers: sn.Breakers.Clone(), reg: swap.FromState(swapCfg, sn.Registry), swapPolicy: sn.SwapPolicy,
		log: log, active: map[string]string{}, violated: toSet(unpackKeys(sn.Violated)), blocked: toSet(unpackKeys(sn.Blocked)), refused: toSet(unpackKeys(sn.Refused)),
		manual: append([]string(nil), sn.Manual...), root: sn.Root, planRec: sn.PlanRecord,
		nViol: sn.Violations, nSwaps: sn.Swaps, rng: sn.RNG, comp: plan.NewCompiler(0),
	}
	if sn.Plan != nil {
		s.plan = clonePlan(sn.Plan)
	}
	s.eff = cloneState(sn.Effective)
	if sn.Effective == nil {
		s.observe()
	}
	s.ran = toSet(unpackKeys(sn.Ran))
	s.cur = &ExecutorStep{Tick: s.tick}
	if sn.Scenario != nil {
		sc := *sn.Scenario
		if err := validateScenario(&sc, g); err != nil {
			return nil, bad("scenario: %v", err)
		}
		s.scenario = &sc
	}
	for i, b := range s.breakers.Values {
		if b == nil {
			return nil, bad("breaker %q is null", s.breakers.Keys[i])
		}
	}
	for _, st := range sn.Steps {
		if st == nil || st.ID == "" || s.byID[st.ID] != nil {
			return nil, bad("steps must have distinct ids")
		}
		c := *st
		c.Chain = append([]string{}, st.Chain...)
		c.Tried = append([]string{}, st.Tried...)
		s.steps = append(s.steps, &c)
		s.byID[c.ID] = &c
	}
	for _, f := range sn.Field {
		s.field.SetDwell(f.ID, f.D, f.Dwell)
		s.fieldIDs = insertSorted(s.fieldIDs, f.ID)
	}
	for _, m := range sn.Activations {
		if g.Node(m.ID) == nil || log.Get(m.Trace) == nil {
			return nil, bad("activation of %q names a missing node or record", m.ID)
		}
		s.active[m.ID] = m.Trace
	}
	if s.root != "" && log.Get(s.root) == nil {
		return nil, bad("root record %q is not in the trace", s.root)
	}
	if err := s.checkInvariants("restore"); err != nil {
		return nil, bad("%v", err)
	}
	return s, nil
}

func cloneDoc(d *graph.Doc) *graph.Doc {
	c := &graph.Doc{Tick: d.Tick}
	for _, n := range d.Nodes {
		if n != nil {
			c.Nodes = append(c.Nodes, n.Clone())
		} else {
			c.Nodes = append(c.Nodes, nil)
		}
	}
	for _, e := range d.Edges {
		if e != nil {
			c.Edges = append(c.Edges, e.Clone())
		} else {
			c.Edges = append(c.Edges, nil)
		}
	}
	return c
}

func sortedSet(m map[string]bool) []string {
	out := []string{}
	for k, v := range m {
		if v {
			out = insertSorted(out, k)
		}
	}
	return out
}

func toSet(list []string) map[string]bool {
	m := map[string]bool{}
	for _, k := range list {
		m[k] = true
	}
	return m
}

// packKeys makes composite set keys (parts joined by NUL) storable in any
// JSON store — PostgreSQL's jsonb, for one, refuses \u0000 — by writing
// "\" as `\\` and NUL as `\0`; unpackKeys reverses it.
func packKeys(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = strings.ReplaceAll(strings.ReplaceAll(k, `\`, `\\`), "\x00", `\0`)
	}
	return out
}

func unpackKeys(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		var b strings.Builder
		for j := 0; j < len(k); j++ {
			if k[j] == '\\' && j+1 < len(k) {
				j++
				if k[j] == '0' {
					b.WriteByte(0)
				} else {
					b.WriteByte(k[j])
				}
				continue
			}
			b.WriteByte(k[j])
		}
		out[i] = b.String()
	}
	return out
}
