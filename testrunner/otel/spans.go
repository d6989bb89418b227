package otel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/trace"
)

// OTLP span kinds and status codes, as the OTLP wire numbers them.
const (
	KindInternal = 1
	KindClient   = 3

	StatusUnset = 0
	StatusOK    = 1
	StatusError = 2
)

// Span is one span in the OTLP/JSON shape.
type Span struct {
	TraceID           string     `json:"traceId"`
	SpanID            string     `json:"spanId"`
	ParentSpanID      string     `json:"parentSpanId"`
	Name              string     `json:"name"`
	Kind              int        `json:"kind"`
	StartTimeUnixNano string     `json:"startTimeUnixNano"`
	EndTimeUnixNano   string     `json:"endTimeUnixNano"`
	Attributes        []KeyValue `json:"attributes"`
	Events            []Event    `json:"events"`
	Links             []Link     `json:"links"`
	Status            Status     `json:"status"`
	// Resource is set when Options.Resource is (the SDK's spans carry
	// their resource the same way).
	Resource *Resource `json:"resource,omitempty"`
}

// KeyValue is an OTLP attribute.
type KeyValue struct {
	Key   string   `json:"key"`
	Value AnyValue `json:"value"`
}

// AnyValue is an OTLP attribute value: exactly one field is set. IntValue
// is a decimal string, as OTLP/JSON writes 64-bit integers.
type AnyValue struct {
	StringValue *string     `json:"stringValue,omitempty"`
	BoolValue   *bool       `json:"boolValue,omitempty"`
	IntValue    *string     `json:"intValue,omitempty"`
	DoubleValue *float64    `json:"doubleValue,omitempty"`
	ArrayValue  *ArrayValue `json:"arrayValue,omitempty"`
}

// ArrayValue is an OTLP array attribute value.
type ArrayValue struct {
	Values []AnyValue `json:"values"`
}

// Event is a span event.
type Event struct {
	TimeUnixNano string     `json:"timeUnixNano"`
	Name         string     `json:"name"`
	Attributes   []KeyValue `json:"attributes"`
}

// Link is a span link.
type Link struct {
	TraceID    string     `json:"traceId"`
	SpanID     string     `json:"spanId"`
	Attributes []KeyValue `json:"attributes"`
}

// Status is a span status.
type Status struct {
	Code    int    `json:"code"`
	Message string `json:"message,omitempty"`
}

// Resource is an OTel resource.
type Resource struct {
	Attributes []KeyValue `json:"attributes"`
}

// Measurement is one metric measurement the records give.
type Measurement struct {
	Name       string         `json:"name"`
	Kind       string         `json:"kind"` // counter or histogram
	Unit       string         `json:"unit"`
	Value      float64        `json:"value"`
	Attributes map[string]any `json:"attributes"`
}

// Options tune the mapping.
type Options struct {
	// Plans are the session's plans: steps and attempts gain the plan's
	// estimates, grounding and rejections.
	Plans []*plan.Plan `json:"plans,omitempty"`
	// Models maps a resource id to the model name reported as
	// gen_ai.request.model (default: the resource id).
	Models map[string]string `json:"models,omitempty"`
	// Operation is gen_ai.operation.name (default "chat").
	Operation string `json:"operation,omitempty"`
	// Resource, when set, is the attributes of the OTel resource every
	// span carries.
	Resource map[string]any `json:"resource,omitempty"`
	// TraceID (32 hex digits, not all zero) replaces the trace id derived
	// from the session_start record: the engine's records hold no
	// randomness, so two hosts whose sessions start alike (same session id,
	// same millisecond) derive the same trace id. Span ids stay derived.
	TraceID string `json:"traceId,omitempty"`
}

// Instrument describes one metric instrument.
type Instrument struct {
	Kind        string
	Unit        string
	Description string
	Buckets     []float64
}

// Instruments are the metric instruments the mapping records into.
var Instruments = map[string]Instrument{
	"ceg.turns":         {"counter", "{turn}", "Sessions (turns) that ended, by final status and the provider that answered", nil},
	"ceg.attempts":      {"counter", "{attempt}", "Dispatched attempts that ended, by provider, model and outcome", nil},
	"ceg.failovers":     {"counter", "{failover}", "Failed attempts re-dispatched on the next resource of the chain, by the provider that failed", nil},
	"ceg.swaps":         {"counter", "{swap}", "Hot-swaps of a resource, by trigger", nil},
	"ceg.breaker.opens": {"counter", "{open}", "Circuit breakers that opened, by provider", nil},
	"gen_ai.client.operation.duration": {"histogram", "s", "Duration of each attempt, dispatch to outcome, host clock",
		[]float64{0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92}},
	"ceg.cost": {"histogram", "USD", "Cost of each completed attempt (reported, else the engine estimate)", nil},
	"gen_ai.client.token.usage": {"histogram", "{token}", "Reported input and output tokens of each completed attempt",
		[]float64{1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864}},
}

// intKeys are written as OTLP intValue; every other number is a doubleValue.
var intKeys = map[string]bool{
	"ceg.attempt": true, "ceg.data.attempt": true, "ceg.step.attempts": true, "ceg.step.wave": true, "ceg.tick": true,
	"ceg.grounding.max_results": true, "ceg.grounding.min_sources": true,
	"gen_ai.usage.input_tokens": true, "gen_ai.usage.output_tokens": true,
}

// quiet records become no span event.
var quiet = map[string]bool{trace.EventActivate: true, trace.EventProjection: true}

var (
	hash64  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	traceID = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// Nanos converts a host time in ms to Unix nanoseconds exactly (whole
// milliseconds and the fraction apart), as the JS mapping does.
func Nanos(at float64) int64 {
	ms := math.Trunc(at)
	return int64(ms)*1_000_000 + int64(math.Round((at-ms)*1e6))
}

func anyValue(key string, v any) AnyValue {
	switch x := v.(type) {
	case string:
		return AnyValue{StringValue: &x}
	case bool:
		return AnyValue{BoolValue: &x}
	case float64:
		if intKeys[key] {
			s := strconv.FormatInt(int64(math.Round(x)), 10)
			return AnyValue{IntValue: &s}
		}
		return AnyValue{DoubleValue: &x}
	case int:
		return anyValue(key, float64(x))
	case []string:
		a := &ArrayValue{Values: make([]AnyValue, len(x))}
		for i, s := range x {
			a.Values[i] = anyValue("", s)
		}
		return AnyValue{ArrayValue: a}
	}
	panic(fmt.Sprintf("otel: attribute %s has an unsupported type %T", key, v))
}

// keyValues returns attrs as OTLP key-values sorted by key.
func keyValues(attrs map[string]any) []KeyValue {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]KeyValue, len(keys))
	for i, k := range keys {
		out[i] = KeyValue{Key: k, Value: anyValue(k, attrs[k])}
	}
	return out
}

func snake(k string) string {
	var b strings.Builder
	for _, c := range k {
		if c >= 'A' && c <= 'Z' {
			b.WriteByte('_')
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

// dataAttrs maps every field of a record's data to ceg.data.<snake_case>.
func dataAttrs(raw []byte) map[string]any {
	out := map[string]any{}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return out
	}
	for k, v := range m {
		key := "ceg.data." + snake(k)
		var val any
		switch v[0] {
		case 'n':
			continue
		case '"':
			var s string
			_ = json.Unmarshal(v, &s)
			val = s
		case 't', 'f':
			val = v[0] == 't'
		case '[':
			var ss []string
			if json.Unmarshal(v, &ss) == nil {
				val = ss
			} else {
				val = compact(v)
			}
		case '{':
			val = compact(v)
		default:
			var f float64
			_ = json.Unmarshal(v, &f)
			val = f
		}
		out[key] = val
	}
	return out
}

func compact(b []byte) string {
	var buf bytes.Buffer
	_ = json.Compact(&buf, b)
	return buf.String()
}

// op is one operation of the mapper: a span start, event or end, or a
// metric measurement.
type op struct {
	kind   string // start, event, end, measure
	key    string
	name   string
	span   int
	at     float64
	parent string
	attrs  map[string]any
	idFrom string
	idAt   int
	links  []string
	status Status
	value  float64
}

type spanState struct {
	parent      string
	ended       bool
	start       float64
	attempts    int
	isAttempt   bool
	provider    string
	resource    string
	lastAttempt string
}

// mapper turns records, in order, into operations; the ends a batch causes
// come after its starts and events (see the JS Mapper, which this mirrors
// line by line).
type mapper struct {
	operation string
	models    map[string]string
	plans     map[string]*plan.Plan
	owner     map[string]string
	spans     map[string]*spanState
	order     []string
	steps     map[string]string
	attempts  map[string]string
	stepOrder []string // open steps / attempts in opening order
	session   string
	plan      string
	answered  string
	last      *trace.Record
	ops, ends []op
}

func newMapper(o Options) *mapper {
	m := &mapper{operation: o.Operation, models: o.Models, plans: map[string]*plan.Plan{}, owner: map[string]string{},
		spans: map[string]*spanState{}, steps: map[string]string{}, attempts: map[string]string{}}
	if m.operation == "" {
		m.operation = "chat"
	}
	if m.models == nil {
		m.models = map[string]string{}
	}
	for _, p := range o.Plans {
		m.addPlan(p)
	}
	return m
}

func (m *mapper) addPlan(p *plan.Plan) {
	if p != nil && p.ID != "" {
		m.plans[p.ID] = p
	}
}

func (m *mapper) push(records []*trace.Record) []op {
	for _, r := range records {
		m.record(r)
	}
	ops := append(m.ops, m.ends...)
	m.ops, m.ends = nil, nil
	return ops
}

func (m *mapper) finish() []op {
	if m.last == nil {
		return nil
	}
	for i := len(m.order) - 1; i >= 0; i-- {
		k := m.order[i]
		if !m.spans[k].ended {
			a := map[string]any{}
			if k == m.session {
				a["ceg.session.status"] = "running"
			}
			m.end(k, m.last, StatusUnset, "", a)
		}
	}
	return m.push(nil)
}

func (m *mapper) start(key string, kind int, name string, r *trace.Record, parent string, attrs map[string]any, idAt int, links []string) {
	m.spans[key] = &spanState{parent: parent, start: r.At}
	m.order = append(m.order, key)
	m.ops = append(m.ops, op{kind: "start", key: key, name: name, span: kind, at: r.At, parent: parent, attrs: attrs, idFrom: r.Hash, idAt: idAt, links: links})
}

func (m *mapper) end(key string, r *trace.Record, code int, message string, attrs map[string]any) {
	s := m.spans[key]
	if s == nil || s.ended {
		return
	}
	s.ended = true
	m.ends = append(m.ends, op{kind: "end", key: key, at: r.At, status: Status{Code: code, Message: message}, attrs: attrs})
}

func (m *mapper) measure(name string, v float64, attrs map[string]any) {
	m.ops = append(m.ops, op{kind: "measure", name: name, value: v, attrs: attrs})
}

func (m *mapper) planStep(step string) *plan.Step {
	p := m.plans[m.plan]
	if p == nil {
		return nil
	}
	for i := range p.Steps {
		if p.Steps[i].ID == step {
			return p.Steps[i]
		}
	}
	return nil
}

func (m *mapper) model(resource string) string {
	if v := m.models[resource]; v != "" {
		return v
	}
	return resource
}

func (m *mapper) genAI(provider, resource string) map[string]any {
	a := map[string]any{"gen_ai.operation.name": m.operation}
	if provider != "" {
		a["gen_ai.provider.name"] = provider
		a["gen_ai.system"] = provider
	}
	if resource != "" {
		a["gen_ai.request.model"] = m.model(resource)
	}
	return a
}

func merge(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func (m *mapper) record(r *trace.Record) {
	var d trace.Data
	_ = json.Unmarshal(r.Data, &d) // the typed fields; host records may carry others
	parentOwner, ok := m.owner[r.CausalParent]
	if !ok {
		parentOwner = m.session
	}
	m.last = r
	owner := parentOwner
	ids := map[string]any{"ceg.record.id": r.ID, "ceg.record.hash": r.Hash}
	switch r.Event {
	case trace.EventSessionStart:
		if m.session == "" {
			m.session = "session"
			m.start("session", KindInternal, "ceg.session", r, "", merge(map[string]any{"ceg.session.id": firstNonEmpty(d.Session, r.Actor), "ceg.tick": float64(r.Tick)}, ids), 32, nil)
			m.owner[r.ID] = m.session
			return
		}
	case trace.EventPlan:
		if d.Plan != "" {
			m.plan = d.Plan
		}
	case trace.EventDispatch:
		if d.Step != "" {
			m.owner[r.ID] = m.dispatch(r, &d, parentOwner, ids)
			return
		}
	case trace.EventComplete, trace.EventFail:
		if _, open := m.attempts[d.Step]; d.Step != "" && d.Outcome != "" && open {
			owner = m.attemptEnd(r, &d)
			if r.Event == trace.EventComplete {
				m.stepEnd(d.Step, r, StatusOK, "", "done")
			}
			m.owner[r.ID] = owner
			return
		}
		if _, open := m.steps[d.Step]; r.Event == trace.EventFail && d.Step != "" && open {
			m.owner[r.ID] = m.stepEnd(d.Step, r, StatusError, firstNonEmpty(d.Reason, "failed"), "failed")
			return
		}
	case trace.EventRollback:
		if _, open := m.attempts[d.Step]; d.Step != "" && open {
			m.owner[r.ID] = m.attemptEnd(r, &d)
			return
		}
	case trace.EventCancel:
		if _, open := m.steps[d.Step]; d.Step != "" && open {
			m.owner[r.ID] = m.stepEnd(d.Step, r, StatusError, "cancelled: "+d.Reason, "cancelled")
			return
		}
	case trace.EventRetry:
		from := m.spans[m.owner[r.CausalParent]]
		var prov, res string
		if from != nil {
			prov, res = from.provider, from.resource
		}
		m.measure("ceg.failovers", 1, merge(m.genAI(prov, res), map[string]any{"ceg.failover.to": d.Provider}))
	case trace.EventSwap:
		m.measure("ceg.swaps", 1, map[string]any{"ceg.swap.trigger": d.Trigger})
	case trace.EventBreaker:
		if d.To == "circuit_open" {
			m.measure("ceg.breaker.opens", 1, map[string]any{"gen_ai.provider.name": firstNonEmpty(d.Provider, r.Actor)})
		}
	case trace.EventSessionEnd:
		if m.session != "" {
			m.owner[r.ID] = m.sessionEnd(r, &d)
			return
		}
	}
	m.owner[r.ID] = owner
	if !quiet[r.Event] && owner != "" {
		m.ops = append(m.ops, op{kind: "event", key: owner, name: "ceg." + r.Event, at: r.At,
			attrs: merge(dataAttrs(r.Data), map[string]any{"ceg.actor": r.Actor, "ceg.record.id": r.ID})})
	}
}

func (m *mapper) dispatch(r *trace.Record, d *trace.Data, parentOwner string, ids map[string]any) string {
	step, ok := m.steps[d.Step]
	ps := m.planStep(d.Step)
	if !ok {
		step = "step:" + r.ID
		a := merge(map[string]any{"gen_ai.operation.name": m.operation, "ceg.step.id": d.Step, "ceg.tick": float64(r.Tick)}, ids)
		if d.Intent != "" {
			a["ceg.intent.id"] = d.Intent
		}
		if ps != nil {
			stepPlanAttrs(a, ps, m.plan)
		}
		parent := parentOwner
		if p := m.spans[parentOwner]; p != nil && p.isAttempt {
			parent = p.parent
		}
		m.start(step, KindInternal, "ceg.step "+d.Step, r, parent, a, 16, nil)
		m.steps[d.Step] = step
	}
	st := m.spans[step]
	st.attempts++
	key := "attempt:" + r.ID
	attempt := float64(d.Attempt)
	if attempt == 0 {
		attempt = float64(st.attempts)
	}
	a := merge(m.genAI(d.Provider, d.Resource), map[string]any{
		"ceg.step.id": d.Step, "ceg.resource.id": d.Resource, "ceg.attempt": attempt, "ceg.tick": float64(r.Tick),
	}, ids)
	if d.Intent != "" {
		a["ceg.intent.id"] = d.Intent
	}
	if d.DeadlineMs != nil {
		a["ceg.deadline_ms"] = *d.DeadlineMs
	}
	if d.Dilation != nil {
		a["ceg.dilation"] = *d.Dilation
	}
	if ps != nil {
		attemptPlanAttrs(a, ps, d.Resource, m.plan)
	}
	var links []string
	if st.lastAttempt != "" {
		links = []string{st.lastAttempt}
	}
	m.start(key, KindClient, m.operation+" "+m.model(d.Resource), r, step, a, 0, links)
	s := m.spans[key]
	s.isAttempt, s.provider, s.resource = true, d.Provider, d.Resource
	st.lastAttempt, st.resource = key, d.Resource
	m.attempts[d.Step] = key
	m.stepOrder = append(m.stepOrder, d.Step)
	return key
}

func (m *mapper) attemptEnd(r *trace.Record, d *trace.Data) string {
	key := m.attempts[d.Step]
	delete(m.attempts, d.Step)
	s := m.spans[key]
	outcome := d.Outcome
	if r.Event == trace.EventRollback {
		outcome = "rolled_back"
	}
	a := map[string]any{"ceg.outcome": outcome}
	g := m.genAI(s.provider, s.resource)
	if d.LatencyMs != nil {
		a["ceg.latency.reported_ms"] = *d.LatencyMs
	}
	if d.Trigger != "" {
		a["ceg.swap.trigger"] = d.Trigger
	}
	code, message := StatusOK, ""
	if outcome == "ok" {
		if d.Cost != nil {
			a["ceg.cost.reported_usd"] = *d.Cost
		}
		if d.Tokens != nil {
			a["ceg.usage.tokens"] = *d.Tokens
		}
		if d.InputTokens != nil {
			a["gen_ai.usage.input_tokens"] = *d.InputTokens
		}
		if d.OutputTokens != nil {
			a["gen_ai.usage.output_tokens"] = *d.OutputTokens
		}
		m.answered = s.provider
		if d.Cost != nil {
			m.measure("ceg.cost", *d.Cost, g)
		}
		for _, t := range []struct {
			name string
			v    *float64
		}{{"input", d.InputTokens}, {"output", d.OutputTokens}} {
			if t.v != nil {
				m.measure("gen_ai.client.token.usage", *t.v, merge(g, map[string]any{"gen_ai.token.type": t.name}))
			}
		}
	} else {
		code = StatusError
		a["error.type"] = outcome
		message = firstNonEmpty(d.Reason, outcome)
		if outcome == "rolled_back" {
			message = "rolled back: " + d.Reason
		}
	}
	m.end(key, r, code, message, a)
	m.measure("ceg.attempts", 1, merge(g, map[string]any{"ceg.outcome": outcome}))
	dur := merge(g)
	if code == StatusError {
		dur["error.type"] = outcome
	}
	m.measure("gen_ai.client.operation.duration", (r.At-s.start)/1000, dur)
	return key
}

func (m *mapper) stepEnd(step string, r *trace.Record, code int, message, status string) string {
	key := m.steps[step]
	delete(m.steps, step)
	s := m.spans[key]
	m.end(key, r, code, message, map[string]any{"ceg.step.status": status, "ceg.step.attempts": float64(s.attempts), "ceg.resource.id": s.resource})
	return key
}

func (m *mapper) sessionEnd(r *trace.Record, d *trace.Data) string {
	status := firstNonEmpty(d.Status, "complete")
	failed := status != "complete"
	code, msg := StatusUnset, ""
	if failed {
		code, msg = StatusError, "session "+status
	}
	// Attempts, then steps, still open, in the order they opened (the JS
	// Map iteration order).
	for _, step := range m.stepOrder {
		if key, open := m.attempts[step]; open {
			m.end(key, r, code, msg, map[string]any{"ceg.outcome": "cancelled"})
			delete(m.attempts, step)
		}
	}
	for _, k := range m.order {
		s := m.spans[k]
		if strings.HasPrefix(k, "step:") && !s.ended {
			m.end(k, r, code, msg, map[string]any{"ceg.step.status": "cancelled", "ceg.step.attempts": float64(s.attempts)})
		}
	}
	m.steps = map[string]string{}
	a := map[string]any{"ceg.session.status": status}
	if m.plan != "" {
		a["ceg.plan.id"] = m.plan
	}
	if d.Reason != "" {
		a["ceg.session.reason"] = d.Reason
	}
	sessionCode := StatusOK
	if failed {
		sessionCode = StatusError
	}
	m.end(m.session, r, sessionCode, msg, a)
	mm := map[string]any{"ceg.session.status": status}
	if m.answered != "" {
		mm["gen_ai.provider.name"] = m.answered
	}
	m.measure("ceg.turns", 1, mm)
	return m.session
}

func stepPlanAttrs(a map[string]any, ps *plan.Step, planID string) {
	a["ceg.plan.id"] = planID
	a["ceg.step.wave"] = float64(ps.Wave)
	chain := []string{ps.Resource}
	for _, f := range ps.Fallbacks {
		chain = append(chain, f.Resource)
	}
	a["ceg.step.chain"] = chain
	a["ceg.cost.estimated_usd"] = ps.EstimatedCost
	a["ceg.latency.estimated_ms"] = ps.EstimatedLatencyMs
	a["ceg.latency.dilated_ms"] = ps.DilatedLatencyMs
	a["ceg.deadline_ms"] = ps.DeadlineMs
	a["ceg.dilation"] = ps.Dilation
	g := ps.Grounding
	a["ceg.grounding.fetch_external"] = g.FetchExternal
	a["ceg.grounding.max_results"] = float64(g.MaxResults)
	a["ceg.grounding.min_sources"] = float64(g.MinSources)
	a["ceg.grounding.deep_mode"] = g.DeepMode
	if len(ps.Rejected) > 0 {
		var rej, codes []string
		for _, x := range ps.Rejected {
			rej = append(rej, x.Resource+":"+x.Reason)
			if !slices.Contains(codes, x.Reason) {
				codes = append(codes, x.Reason)
			}
		}
		sort.Strings(codes)
		a["ceg.rejections"] = rej
		a["ceg.rejection.codes"] = codes
	}
}

func attemptPlanAttrs(a map[string]any, ps *plan.Step, resource, planID string) {
	a["ceg.plan.id"] = planID
	if ps.Resource == resource {
		a["ceg.cost.estimated_usd"] = ps.EstimatedCost
		a["ceg.latency.estimated_ms"] = ps.EstimatedLatencyMs
		a["ceg.latency.dilated_ms"] = ps.DilatedLatencyMs
		return
	}
	for _, f := range ps.Fallbacks {
		if f.Resource == resource {
			a["ceg.cost.estimated_usd"] = f.EstimatedCost
			a["ceg.latency.estimated_ms"] = f.EstimatedLatencyMs
			return
		}
	}
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// check rejects records the mapping cannot use.
func check(records []*trace.Record) error {
	for i, r := range records {
		if r == nil || r.ID == "" || r.Event == "" || !hash64.MatchString(r.Hash) {
			return fmt.Errorf("otel: records[%d] is not a trace record (id, event and a 64-hex hash are required)", i)
		}
	}
	return nil
}

// Spans maps one session's trace records to spans in the OTLP/JSON shape,
// in the order they open. The same records and options give the same
// spans, here and in the JS binding.
func Spans(records []*trace.Record, o Options) ([]Span, error) {
	if err := check(records); err != nil {
		return nil, err
	}
	if o.TraceID != "" && (!traceID.MatchString(o.TraceID) || o.TraceID == strings.Repeat("0", 32)) {
		return nil, fmt.Errorf("otel: TraceID must be 32 lower-case hex digits, not all zero, got %q", o.TraceID)
	}
	if len(records) == 0 {
		return []Span{}, nil
	}
	root := records[0]
	for _, r := range records {
		if r.Event == trace.EventSessionStart && r.CausalParent == "" {
			root = r
			break
		}
	}
	traceID := firstNonEmpty(o.TraceID, root.Hash[:32])
	m := newMapper(o)
	ops := append(m.push(records), m.finish()...)
	type building struct {
		span  *Span
		attrs map[string]any
	}
	byKey := map[string]*building{}
	var out []*building
	for _, op := range ops {
		switch op.kind {
		case "start":
			s := &Span{TraceID: traceID, SpanID: op.idFrom[op.idAt : op.idAt+16], Name: op.name, Kind: op.span,
				StartTimeUnixNano: strconv.FormatInt(Nanos(op.at), 10), Events: []Event{}, Links: []Link{}}
			if op.parent != "" {
				s.ParentSpanID = byKey[op.parent].span.SpanID
			}
			for _, k := range op.links {
				s.Links = append(s.Links, Link{TraceID: traceID, SpanID: byKey[k].span.SpanID, Attributes: keyValues(map[string]any{"ceg.link.type": "previous_attempt"})})
			}
			b := &building{span: s, attrs: merge(op.attrs)}
			byKey[op.key] = b
			out = append(out, b)
		case "event":
			b := byKey[op.key]
			b.span.Events = append(b.span.Events, Event{TimeUnixNano: strconv.FormatInt(Nanos(op.at), 10), Name: op.name, Attributes: keyValues(op.attrs)})
		case "end":
			b := byKey[op.key]
			b.span.EndTimeUnixNano = strconv.FormatInt(Nanos(op.at), 10)
			for k, v := range op.attrs {
				b.attrs[k] = v
			}
			b.span.Status = op.status
		}
	}
	var res *Resource
	if o.Resource != nil {
		res = &Resource{Attributes: keyValues(o.Resource)}
	}
	spans := make([]Span, len(out))
	for i, b := range out {
		b.span.Attributes = keyValues(b.attrs)
		b.span.Resource = res
		spans[i] = *b.span
	}
	return spans, nil
}

// Measurements returns the metric measurements the records give, in record
// order.
func Measurements(records []*trace.Record, o Options) ([]Measurement, error) {
	if err := check(records); err != nil {
		return nil, err
	}
	out := []Measurement{}
	for _, op := range newMapper(o).push(records) {
		if op.kind == "measure" {
			in := Instruments[op.name]
			out = append(out, Measurement{Name: op.name, Kind: in.Kind, Unit: in.Unit, Value: op.value, Attributes: op.attrs})
		}
	}
	return out, nil
}
