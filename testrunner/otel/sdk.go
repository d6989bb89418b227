package otel

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	oteltrace "go.opentelemetry.io/otel/trace"

	"github.com/convergence-io/ceg/core/trace"
)

// Scope is the instrumentation scope of the spans and metrics.
const Scope = "@convergence-io/ceg"

// Stubs turns spans into the SDK's span stubs, keeping their ids; their
// Snapshots are read-only spans any sdktrace.SpanExporter takes.
func Stubs(spans []Span) (tracetest.SpanStubs, error) {
	out := make(tracetest.SpanStubs, 0, len(spans))
	for _, s := range spans {
		sc, err := spanContext(s.TraceID, s.SpanID)
		if err != nil {
			return nil, err
		}
		st := tracetest.SpanStub{
			Name:                 s.Name,
			SpanContext:          sc,
			SpanKind:             oteltrace.SpanKind(s.Kind), // the SDK numbers kinds as OTLP does
			StartTime:            unixNano(s.StartTimeUnixNano),
			EndTime:              unixNano(s.EndTimeUnixNano),
			Attributes:           attrs(s.Attributes),
			Status:               sdktrace.Status{Code: statusCode(s.Status.Code), Description: s.Status.Message},
			InstrumentationScope: instrumentation.Scope{Name: Scope},
			Resource:             resource.Empty(),
		}
		if s.ParentSpanID != "" {
			if st.Parent, err = spanContext(s.TraceID, s.ParentSpanID); err != nil {
				return nil, err
			}
		}
		if s.Resource != nil {
			st.Resource = resource.NewSchemaless(attrs(s.Resource.Attributes)...)
		}
		for _, e := range s.Events {
			st.Events = append(st.Events, sdktrace.Event{Name: e.Name, Time: unixNano(e.TimeUnixNano), Attributes: attrs(e.Attributes)})
		}
		for _, l := range s.Links {
			lc, err := spanContext(l.TraceID, l.SpanID)
			if err != nil {
				return nil, err
			}
			st.Links = append(st.Links, sdktrace.Link{SpanContext: lc, Attributes: attrs(l.Attributes)})
		}
		out = append(out, st)
	}
	return out, nil
}

// Export maps records to spans and hands them to an exporter in one
// batch, with the ids the records determine.
func Export(ctx context.Context, exp sdktrace.SpanExporter, records []*trace.Record, o Options) error {
	spans, err := Spans(records, o)
	if err != nil {
		return err
	}
	stubs, err := Stubs(spans)
	if err != nil {
		return err
	}
	return exp.ExportSpans(ctx, stubs.Snapshots())
}

// Metrics records the mapping's measurements into a meter's instruments
// (see Instruments).
type Metrics struct {
	counters   map[string]metric.Float64Counter
	histograms map[string]metric.Float64Histogram
}

// NewMetrics creates the instruments on meter.
func NewMetrics(meter metric.Meter) (*Metrics, error) {
	m := &Metrics{counters: map[string]metric.Float64Counter{}, histograms: map[string]metric.Float64Histogram{}}
	for name, in := range Instruments {
		var err error
		if in.Kind == "counter" {
			m.counters[name], err = meter.Float64Counter(name, metric.WithUnit(in.Unit), metric.WithDescription(in.Description))
		} else {
			opts := []metric.Float64HistogramOption{metric.WithUnit(in.Unit), metric.WithDescription(in.Description)}
			if in.Buckets != nil {
				opts = append(opts, metric.WithExplicitBucketBoundaries(in.Buckets...))
			}
			m.histograms[name], err = meter.Float64Histogram(name, opts...)
		}
		if err != nil {
			return nil, fmt.Errorf("otel: instrument %s: %w", name, err)
		}
	}
	return m, nil
}

// Record records the measurements one session's records give.
func (m *Metrics) Record(ctx context.Context, records []*trace.Record, o Options) error {
	ms, err := Measurements(records, o)
	if err != nil {
		return err
	}
	for _, x := range ms {
		set := metric.WithAttributeSet(attribute.NewSet(attrs(keyValues(x.Attributes))...))
		if c, ok := m.counters[x.Name]; ok {
			c.Add(ctx, x.Value, set)
		} else {
			m.histograms[x.Name].Record(ctx, x.Value, set)
		}
	}
	return nil
}

func spanContext(traceID, spanID string) (oteltrace.SpanContext, error) {
	var cfg oteltrace.SpanContextConfig
	if _, err := hex.Decode(cfg.TraceID[:], []byte(traceID)); err != nil || len(traceID) != 32 {
		return oteltrace.SpanContext{}, fmt.Errorf("otel: bad trace id %q", traceID)
	}
	if _, err := hex.Decode(cfg.SpanID[:], []byte(spanID)); err != nil || len(spanID) != 16 {
		return oteltrace.SpanContext{}, fmt.Errorf("otel: bad span id %q", spanID)
	}
	cfg.TraceFlags = oteltrace.FlagsSampled
	return oteltrace.NewSpanContext(cfg), nil
}

func unixNano(s string) time.Time {
	n, _ := strconv.ParseInt(s, 10, 64)
	return time.Unix(0, n).UTC()
}

// statusCode maps an OTLP status code to the SDK's (which numbers them
// Unset, Error, Ok).
func statusCode(c int) codes.Code {
	switch c {
	case StatusOK:
		return codes.Ok
	case StatusError:
		return codes.Error
	}
	return codes.Unset
}

func attrs(kvs []KeyValue) []attribute.KeyValue {
	out := make([]attribute.KeyValue, 0, len(kvs))
	for _, kv := range kvs {
		v := kv.Value
		switch {
		case v.StringValue != nil:
			out = append(out, attribute.String(kv.Key, *v.StringValue))
		case v.BoolValue != nil:
			out = append(out, attribute.Bool(kv.Key, *v.BoolValue))
		case v.IntValue != nil:
			n, _ := strconv.ParseInt(*v.IntValue, 10, 64)
			out = append(out, attribute.Int64(kv.Key, n))
		case v.DoubleValue != nil:
			out = append(out, attribute.Float64(kv.Key, *v.DoubleValue))
		case v.ArrayValue != nil:
			ss := make([]string, len(v.ArrayValue.Values))
			for i, x := range v.ArrayValue.Values {
				if x.StringValue != nil {
					ss[i] = *x.StringValue
				}
			}
			out = append(out, attribute.StringSlice(kv.Key, ss))
		}
	}
	return out
}
