package otel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	oteltrace "go.opentelemetry.io/otel/trace"

	"github.com/convergence-io/ceg/core/api"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/trace"
	"github.com/convergence-io/ceg/testrunner"
	"github.com/convergence-io/ceg/testrunner/otel"
)

const goldenFile = "../../testdata/otel/golden.json"

// golden is testdata/otel/golden.json: sessions (the requests that ran
// them), their records and plans, and the spans and measurements the
// mapping gives. The JS binding's test checks the same file.
type golden struct {
	Comment string       `json:"comment"`
	Cases   []goldenCase `json:"cases"`
}

type goldenCase struct {
	Name     string             `json:"name"`
	Requests []json.RawMessage  `json:"requests"`
	Options  otel.Options       `json:"options"`
	Records  records            `json:"records"`
	Spans    []otel.Span        `json:"spans"`
	Metrics  []otel.Measurement `json:"metrics"`
}

// sessions are the golden cases: a host-driven chat turn with two
// failovers and reported token usage, and sessions of the conformance
// corpus that swap, abort, cancel and open breakers.
var sessions = []struct {
	name, vector string
	requests     []string
	models       map[string]string
}{
	{name: "two-failovers", models: map[string]string{"aurora": "aurora-large-2"}, requests: []string{
		`{"jsonrpc":"2.0","id":1,"method":"exec.start","params":{"graph":{"nodes":[` +
			`{"id":"borealis-mini","kind":"resource","resourceKind":"llm","provider":"borealis","capabilities":["chat"],"costPerToken":4e-7,"latencyTargetMs":300},` +
			`{"id":"cirrus","kind":"resource","resourceKind":"llm","provider":"cirrus","capabilities":["chat"],"costPerToken":8e-7,"latencyTargetMs":250},` +
			`{"id":"aurora","kind":"resource","resourceKind":"llm","provider":"aurora","capabilities":["chat"],"costPerToken":0.000002,"latencyTargetMs":800}],"edges":[]},` +
			`"contract":{"id":"turn-1","intent":"what is the latest price of gold?"},"state":{"now":1000}}}`,
		`{"jsonrpc":"2.0","id":2,"method":"exec.report","params":{"session":"s1","now":1400,"outcomes":[{"step":"step-intent","attempt":1,"status":"error","latencyMs":400,"error":"502 bad gateway"}]}}`,
		`{"jsonrpc":"2.0","id":3,"method":"exec.report","params":{"session":"s1","now":2000,"outcomes":[{"step":"step-intent","attempt":2,"status":"timeout","latencyMs":600,"error":"no first token within 500 ms"}]}}`,
		`{"jsonrpc":"2.0","id":4,"method":"exec.report","params":{"session":"s1","now":3250.5,"outcomes":[{"step":"step-intent","attempt":3,"status":"ok","latencyMs":1250.5,"cost":0.00084,"inputTokens":120,"outputTokens":300}]}}`,
	}},
	{name: "manual-swap", vector: "exec-report-manual-swap"},
	{name: "swap-degraded", vector: "exec-run-swap-degraded"},
	{name: "critical-abort", vector: "exec-run-critical-abort"},
	{name: "dependents-cancelled", vector: "exec-run-dependents-cancelled"},
	{name: "outage-recovery", vector: "exec-run-outage-recovery"},
}

// records are trace records in JSON (their data is easyjson's wire.Raw,
// which encoding/json cannot decode by itself).
type records []*trace.Record

func (rs records) MarshalJSON() ([]byte, error) {
	lines := bytes.Split(bytes.TrimSpace(trace.ExportJSONL(rs)), []byte("\n"))
	if len(rs) == 0 {
		return []byte("[]"), nil
	}
	return append(append([]byte("["), bytes.Join(lines, []byte(","))...), ']'), nil
}

func (rs *records) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var buf bytes.Buffer
	for _, r := range raw {
		if err := json.Compact(&buf, r); err != nil {
			return err
		}
		buf.WriteByte('\n')
	}
	parsed, err := trace.ParseJSONL(buf.Bytes())
	*rs = parsed
	return err
}

// caller runs one JSON-RPC request.
type caller func(req []byte) ([]byte, error)

// run sends the requests one by one and collects the session's records and
// plans: each turn's events and plan, or an exec.run's trace and per-tick
// plans.
func run(t *testing.T, call caller, requests []json.RawMessage) ([]*trace.Record, []*plan.Plan) {
	t.Helper()
	var recs []*trace.Record
	var plans []*plan.Plan
	seen := map[string]bool{}
	addPlan := func(p *plan.Plan) {
		if p != nil && !seen[p.ID] {
			seen[p.ID] = true
			plans = append(plans, p)
		}
	}
	for _, req := range requests {
		resp, err := call(req)
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Result *struct {
				Events records    `json:"events"`
				Plan   *plan.Plan `json:"plan"`
				Trace  records    `json:"trace"`
				Steps  []struct {
					Plan *plan.Plan `json:"plan"`
				} `json:"steps"`
			} `json:"result"`
			Error json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal(resp, &r); err != nil || r.Result == nil {
			t.Fatalf("%s: %s (%v)", req, resp, err)
		}
		recs = append(recs, r.Result.Events...)
		recs = append(recs, r.Result.Trace...)
		addPlan(r.Result.Plan)
		for _, s := range r.Result.Steps {
			addPlan(s.Plan)
		}
	}
	return recs, plans
}

func sessionRequests(t *testing.T, vector string, inline []string) []json.RawMessage {
	t.Helper()
	if vector == "" {
		out := make([]json.RawMessage, len(inline))
		for i, s := range inline {
			out[i] = json.RawMessage(s)
		}
		return out
	}
	b, err := os.ReadFile("../../testdata/conformance/" + vector + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Request json.RawMessage `json:"request"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var batch []json.RawMessage
	if json.Unmarshal(v.Request, &batch) == nil {
		return batch
	}
	return []json.RawMessage{v.Request}
}

func native() caller {
	e := api.New(api.Limits{})
	return func(req []byte) ([]byte, error) { return e.Handle(req), nil }
}

func loadGolden(t *testing.T) golden {
	t.Helper()
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		writeGolden(t)
	}
	b, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Cases) != len(sessions) {
		t.Fatalf("%s has %d cases, want %d: run UPDATE_GOLDEN=1 go test ./testrunner/otel", goldenFile, len(g.Cases), len(sessions))
	}
	return g
}

// writeGolden regenerates the golden file from the native engine
// (UPDATE_GOLDEN=1); review the diff before committing it.
func writeGolden(t *testing.T) {
	g := golden{Comment: "CEG trace records -> OpenTelemetry spans and metrics; checked by testrunner/otel and bindings/js/test/otel.test.js; regenerate with UPDATE_GOLDEN=1 go test ./testrunner/otel"}
	for _, s := range sessions {
		reqs := sessionRequests(t, s.vector, s.requests)
		records, plans := run(t, native(), reqs)
		o := otel.Options{Plans: plans, Models: s.models}
		spans, err := otel.Spans(records, o)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := otel.Measurements(records, o)
		if err != nil {
			t.Fatal(err)
		}
		g.Cases = append(g.Cases, goldenCase{Name: s.name, Requests: reqs, Options: o, Records: records, Spans: spans, Metrics: ms})
	}
	b, err := json.MarshalIndent(g, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(goldenFile, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sameJSON compares two values by their JSON.
func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	var gv, wv any
	_ = json.Unmarshal(g, &gv)
	_ = json.Unmarshal(w, &wv)
	if !reflect.DeepEqual(gv, wv) {
		t.Errorf("%s differ:\ngot:  %.2000s\nwant: %.2000s", what, g, w)
	}
}

// TestGolden maps the golden records and requires the golden spans and
// measurements; the records must also be what the engine writes today.
func TestGolden(t *testing.T) {
	g := loadGolden(t)
	for _, c := range g.Cases {
		t.Run(c.Name, func(t *testing.T) {
			spans, err := otel.Spans(c.Records, c.Options)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, "spans", spans, c.Spans)
			ms, err := otel.Measurements(c.Records, c.Options)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, "measurements", ms, c.Metrics)
			records, _ := run(t, native(), c.Requests)
			if !bytes.Equal(trace.ExportJSONL(records), trace.ExportJSONL(c.Records)) {
				t.Errorf("the engine writes other records for %s now: run UPDATE_GOLDEN=1 go test ./testrunner/otel and review the diff", c.Name)
			}
		})
	}
}

// TestWazeroSameSpans replays each session on the shipped module under
// wazero: a wazero host gets the very records, so the very spans.
func TestWazeroSameSpans(t *testing.T) {
	g := loadGolden(t)
	mod, err := testrunner.Open(context.Background(), "../../"+testrunner.DefaultModulePath)
	if err != nil {
		t.Fatal(err)
	}
	defer mod.CloseRuntime()
	for _, c := range g.Cases {
		t.Run(c.Name, func(t *testing.T) {
			m, err := mod.Fresh()
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			records, plans := run(t, m.Call, c.Requests)
			spans, err := otel.Spans(records, otel.Options{Plans: plans, Models: c.Options.Models})
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, "spans under wazero", spans, c.Spans)
		})
	}
}

// TestStableIDs: the same records give the same ids; a session that
// started otherwise gives another trace; Options.TraceID overrides it and
// keeps the span ids.
func TestStableIDs(t *testing.T) {
	g := loadGolden(t)
	a, _ := otel.Spans(g.Cases[0].Records, otel.Options{})
	b, _ := otel.Spans(g.Cases[0].Records, otel.Options{})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two mappings of the same records differ")
	}
	if a[0].TraceID != g.Cases[0].Records[0].Hash[:32] {
		t.Fatalf("trace id %s is not the session_start hash's prefix", a[0].TraceID)
	}
	c, _ := otel.Spans(g.Cases[2].Records, otel.Options{})
	if g.Cases[2].Records[0].Hash != g.Cases[0].Records[0].Hash && a[0].TraceID == c[0].TraceID {
		t.Fatalf("two sessions share trace id %s", a[0].TraceID)
	}
	const own = "0af7651916cd43dd8448eb211c80319c"
	d, err := otel.Spans(g.Cases[0].Records, otel.Options{TraceID: own})
	if err != nil {
		t.Fatal(err)
	}
	for i := range d {
		if d[i].TraceID != own || d[i].SpanID != a[i].SpanID || d[i].ParentSpanID != a[i].ParentSpanID {
			t.Fatalf("span %d with Options.TraceID: %s/%s, want %s/%s", i, d[i].TraceID, d[i].SpanID, own, a[i].SpanID)
		}
	}
	if _, err := otel.Spans(g.Cases[0].Records, otel.Options{TraceID: "xyz"}); err == nil {
		t.Fatal("a malformed TraceID was accepted")
	}
	ids := map[string]bool{}
	for _, s := range a {
		if ids[s.SpanID] {
			t.Fatalf("span id %s used twice", s.SpanID)
		}
		ids[s.SpanID] = true
	}
}

// TestInMemoryExporter exports the two-failover turn to the SDK's
// in-memory exporter and checks the span tree it received.
func TestInMemoryExporter(t *testing.T) {
	g := loadGolden(t)
	c := g.Cases[0]
	exp := tracetest.NewInMemoryExporter()
	if err := otel.Export(context.Background(), exp, c.Records, c.Options); err != nil {
		t.Fatal(err)
	}
	got := exp.GetSpans()
	if len(got) != 5 {
		t.Fatalf("got %d spans, want 5 (session, step, three attempts)", len(got))
	}
	session, step := got[0], got[1]
	if session.Name != "ceg.session" || session.Parent.IsValid() || session.Status.Code != codes.Ok {
		t.Errorf("session span: %s parent %v status %v", session.Name, session.Parent, session.Status)
	}
	if step.Parent.SpanID() != session.SpanContext.SpanID() || step.Status.Code != codes.Ok {
		t.Errorf("step span: parent %v status %v", step.Parent.SpanID(), step.Status)
	}
	want := []struct {
		name, provider string
		code           codes.Code
		outcome        string
		events         []string
	}{
		{"chat cirrus", "cirrus", codes.Error, "error", []string{"ceg.breaker", "ceg.retry"}},
		{"chat borealis-mini", "borealis", codes.Error, "timeout", []string{"ceg.breaker", "ceg.retry"}},
		{"chat aurora-large-2", "aurora", codes.Ok, "ok", []string{"ceg.breaker"}},
	}
	for i, w := range want {
		s := got[2+i]
		a := attribute.NewSet(s.Attributes...)
		prov, _ := a.Value("gen_ai.provider.name")
		out := s.Status
		outcome := ""
		for _, kv := range s.Attributes {
			if kv.Key == "ceg.outcome" {
				outcome = kv.Value.AsString()
			}
		}
		var events []string
		for _, e := range s.Events {
			events = append(events, e.Name)
		}
		if s.Name != w.name || prov.AsString() != w.provider || out.Code != w.code || outcome != w.outcome ||
			s.Parent.SpanID() != step.SpanContext.SpanID() || s.SpanKind != oteltrace.SpanKindClient || !reflect.DeepEqual(events, w.events) {
			t.Errorf("attempt %d: %s provider %s status %v outcome %s parent %v kind %v events %v; want %+v",
				i+1, s.Name, prov.AsString(), out, outcome, s.Parent.SpanID(), s.SpanKind, events, w)
		}
		if i > 0 && (len(s.Links) != 1 || s.Links[0].SpanContext.SpanID() != got[1+i].SpanContext.SpanID()) {
			t.Errorf("attempt %d does not link to attempt %d", i+1, i)
		}
	}
	last := attribute.NewSet(got[4].Attributes...)
	for k, v := range map[string]int64{"gen_ai.usage.input_tokens": 120, "gen_ai.usage.output_tokens": 300} {
		if x, ok := last.Value(attribute.Key(k)); !ok || x.AsInt64() != v {
			t.Errorf("%s = %v, want %d", k, x.Emit(), v)
		}
	}
	if x, _ := last.Value("ceg.cost.reported_usd"); x.AsFloat64() != 0.00084 {
		t.Errorf("ceg.cost.reported_usd = %v", x.Emit())
	}
	// The SDK's spans are the golden spans, field for field.
	back := fromStubs(got)
	sameJSON(t, "exported spans", back, stripResource(c.Spans))
}

func stripResource(spans []otel.Span) []otel.Span {
	out := append([]otel.Span(nil), spans...)
	for i := range out {
		out[i].Resource = nil
	}
	return out
}

// fromStubs turns exported spans back into the OTLP/JSON shape.
func fromStubs(stubs tracetest.SpanStubs) []otel.Span {
	var out []otel.Span
	for _, s := range stubs {
		sp := otel.Span{
			TraceID: s.SpanContext.TraceID().String(), SpanID: s.SpanContext.SpanID().String(),
			Name: s.Name, Kind: int(s.SpanKind),
			StartTimeUnixNano: itoa(s.StartTime.UnixNano()), EndTimeUnixNano: itoa(s.EndTime.UnixNano()),
			Attributes: kvs(s.Attributes), Events: []otel.Event{}, Links: []otel.Link{},
		}
		if s.Parent.IsValid() {
			sp.ParentSpanID = s.Parent.SpanID().String()
		}
		switch s.Status.Code {
		case codes.Ok:
			sp.Status.Code = otel.StatusOK
		case codes.Error:
			sp.Status.Code = otel.StatusError
		}
		sp.Status.Message = s.Status.Description
		for _, e := range s.Events {
			sp.Events = append(sp.Events, otel.Event{TimeUnixNano: itoa(e.Time.UnixNano()), Name: e.Name, Attributes: kvs(e.Attributes)})
		}
		for _, l := range s.Links {
			sp.Links = append(sp.Links, otel.Link{TraceID: l.SpanContext.TraceID().String(), SpanID: l.SpanContext.SpanID().String(), Attributes: kvs(l.Attributes)})
		}
		out = append(out, sp)
	}
	return out
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func kvs(in []attribute.KeyValue) []otel.KeyValue {
	out := []otel.KeyValue{}
	for _, kv := range in {
		var v otel.AnyValue
		switch kv.Value.Type() {
		case attribute.STRING:
			s := kv.Value.AsString()
			v.StringValue = &s
		case attribute.BOOL:
			b := kv.Value.AsBool()
			v.BoolValue = &b
		case attribute.INT64:
			s := itoa(kv.Value.AsInt64())
			v.IntValue = &s
		case attribute.FLOAT64:
			f := kv.Value.AsFloat64()
			v.DoubleValue = &f
		case attribute.STRINGSLICE:
			a := &otel.ArrayValue{}
			for _, s := range kv.Value.AsStringSlice() {
				a.Values = append(a.Values, otel.AnyValue{StringValue: &s})
			}
			v.ArrayValue = a
		}
		out = append(out, otel.KeyValue{Key: string(kv.Key), Value: v})
	}
	return out
}

// TestMetrics records the golden sessions into the SDK's meter and reads
// the per-provider counters and histograms back.
func TestMetrics(t *testing.T) {
	g := loadGolden(t)
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	m, err := otel.NewMetrics(mp.Meter(otel.Scope))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range g.Cases {
		if err := m.Record(context.Background(), c.Records, c.Options); err != nil {
			t.Fatal(err)
		}
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	sums := map[string]float64{}  // name{provider} -> sum
	counts := map[string]uint64{} // histogram name -> count
	for _, sm := range rm.ScopeMetrics {
		for _, md := range sm.Metrics {
			switch d := md.Data.(type) {
			case metricdata.Sum[float64]:
				for _, p := range d.DataPoints {
					prov, _ := p.Attributes.Value("gen_ai.provider.name")
					sums[md.Name+"{"+prov.AsString()+"}"] += p.Value
					sums[md.Name] += p.Value
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					counts[md.Name] += p.Count
				}
			}
		}
	}
	// Every golden measurement is counted once.
	wantSums := map[string]float64{}
	wantCounts := map[string]uint64{}
	for _, c := range g.Cases {
		for _, x := range c.Metrics {
			if x.Kind == "counter" {
				wantSums[x.Name] += x.Value
				if p, ok := x.Attributes["gen_ai.provider.name"].(string); ok {
					wantSums[x.Name+"{"+p+"}"] += x.Value
				} else {
					wantSums[x.Name+"{}"] += x.Value
				}
			} else {
				wantCounts[x.Name]++
			}
		}
	}
	if !reflect.DeepEqual(sums, wantSums) || !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("collected sums %v counts %v; want %v %v", sums, counts, wantSums, wantCounts)
	}
	// The two-failover turn: two failovers (from cirrus, then borealis),
	// and the outage session opened a breaker.
	for k, v := range map[string]float64{"ceg.failovers{cirrus}": 1, "ceg.failovers{borealis}": 1, "ceg.turns{aurora}": 1} {
		if sums[k] < v {
			t.Errorf("%s = %v, want at least %v", k, sums[k], v)
		}
	}
	if sums["ceg.breaker.opens"] < 1 {
		t.Errorf("no breaker opened in the golden sessions: %v", sums)
	}
}

// TestRejectsNonRecords: a record without a hash is an error, not a panic.
func TestRejectsNonRecords(t *testing.T) {
	_, err := otel.Spans([]*trace.Record{{ID: "t-000001", Event: "session_start"}}, otel.Options{})
	if err == nil || !strings.Contains(err.Error(), "records[0]") {
		t.Fatalf("err = %v", err)
	}
}
