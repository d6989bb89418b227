package trace

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/convergence-io/ceg/core/internal/wire"
	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

//go:generate go tool easyjson -no_std_marshalers -disallow_unknown_fields record.go

// Events the executor records (docs/DESIGN.md#trace). Hosts may write others; Verify
// accepts any event name.
const (
	EventSessionStart = "session_start" // a session began (the root of its tree)
	EventSessionEnd   = "session_end"   // a session reached a final status
	EventPlan         = "plan"          // a plan was computed or changed
	EventActivate     = "activate"      // a node became active
	EventDispatch     = "dispatch"      // a step attempt was handed to the host
	EventComplete     = "complete"      // a step attempt succeeded
	EventFail         = "fail"          // a step attempt failed, or a step exhausted its fallbacks
	EventRetry        = "retry"         // a failed step is re-dispatched on its next fallback
	EventCancel       = "cancel"        // a step was cancelled because a dependency failed
	EventSwap         = "swap"          // a resource was hot-swapped (σ)
	EventSwapRefused  = "swap_refused"  // a triggered swap found no acceptable candidate
	EventRollback     = "rollback"      // work was undone (an attempt under a swap, or an abort)
	EventAbort        = "abort"         // a critical constraint aborted the session
	EventViolation    = "violation"     // a constraint was found violated
	EventBreaker      = "breaker"       // a provider's circuit breaker changed state
	EventProjection   = "projection"    // a projection changed featureState
)

// Record is one trace record. Data is an arbitrary JSON value stored
// compacted; records the engine writes carry a Data object.
//
//easyjson:json
type Record struct {
	ID           string   `json:"id"`
	Tick         int64    `json:"tick"`
	At           float64  `json:"at"`
	Event        string   `json:"event"`
	Actor        string   `json:"actor"`
	CausalParent string   `json:"causalParent"`
	Data         wire.Raw `json:"data"`
	PrevHash     string   `json:"prevHash"`
	Hash         string   `json:"hash"`
}

// body is a Record without its hash: the bytes that are hashed.
//
//easyjson:json
type body struct {
	ID           string   `json:"id"`
	Tick         int64    `json:"tick"`
	At           float64  `json:"at"`
	Event        string   `json:"event"`
	Actor        string   `json:"actor"`
	CausalParent string   `json:"causalParent"`
	Data         wire.Raw `json:"data"`
	PrevHash     string   `json:"prevHash"`
}

// Data is the typed payload of the records the engine writes. Fields are
// omitted when empty, so each event carries only what it is about; the
// field order is fixed, which keeps the encoding canonical.
//
//easyjson:json
type Data struct {
	Session    string   `json:"session,omitempty"`
	Status     string   `json:"status,omitempty"`
	Plan       string   `json:"plan,omitempty"`
	Step       string   `json:"step,omitempty"`
	Intent     string   `json:"intent,omitempty"`
	Resource   string   `json:"resource,omitempty"`
	Provider   string   `json:"provider,omitempty"`
	From       string   `json:"from,omitempty"`
	To         string   `json:"to,omitempty"`
	Attempt    int      `json:"attempt,omitempty"`
	Outcome    string   `json:"outcome,omitempty"`
	Trigger    string   `json:"trigger,omitempty"`
	Constraint string   `json:"constraint,omitempty"`
	Severity   string   `json:"severity,omitempty"`
	State      string   `json:"state,omitempty"`
	Reason     string   `json:"reason,omitempty"`
	LatencyMs  *float64 `json:"latencyMs,omitempty"`
	Cost       *float64 `json:"cost,omitempty"`
	Tokens     *float64 `json:"tokens,omitempty"`
	// InputTokens and OutputTokens are the usage a host reported with an
	// ok outcome (absent when it reported none).
	InputTokens  *float64 `json:"inputTokens,omitempty"`
	OutputTokens *float64 `json:"outputTokens,omitempty"`
	DeadlineMs   *float64 `json:"deadlineMs,omitempty"`
	Dilation     *float64 `json:"dilation,omitempty"`
	Ids          []string `json:"ids,omitempty"`
}

// Raw returns the canonical JSON of d.
func (d *Data) Raw() wire.Raw {
	if d == nil {
		return wire.Raw("{}")
	}
	var w jwriter.Writer
	d.MarshalEasyJSON(&w)
	return wire.Raw(w.Buffer.BuildBytes())
}

// Canonical returns the bytes hashed for r: its canonical JSON without the
// hash field (see the package comment).
func Canonical(r *Record) []byte {
	b := body{
		ID: r.ID, Tick: r.Tick, At: r.At, Event: r.Event, Actor: r.Actor,
		CausalParent: r.CausalParent, Data: compact(r.Data), PrevHash: r.PrevHash,
	}
	var w jwriter.Writer
	b.MarshalEasyJSON(&w)
	return w.Buffer.BuildBytes()
}

// ComputeHash returns the hex SHA-256 of Canonical(r).
func ComputeHash(r *Record) string {
	sum := sha256.Sum256(Canonical(r))
	return hex.EncodeToString(sum[:])
}

// MaxDataDepth is the deepest `data` value that is canonicalised; deeper
// values (never written by the engine, whose data is flat) are hashed as
// they are, so canonicalisation — a recursive walk — stays far from a wasm
// host's call-stack limit.
const MaxDataDepth = 64

// compact returns the canonical form of a JSON value: no insignificant
// whitespace, object keys in the order written, strings re-escaped and
// numbers re-spelled the way easyjson writes them (a float64 in Go's
// shortest 'g' form), so the same value hashes the same whichever JSON
// library last wrote it (0.00001 and 1e-05 are one number). A value that
// is not valid JSON, or nested deeper than MaxDataDepth, is kept as it is
// (its hash then will not match a clean one).
func compact(r wire.Raw) wire.Raw {
	if len(r) == 0 {
		return r
	}
	if !wire.Valid(r) || wire.Depth(r) > MaxDataDepth {
		return r
	}
	l := jlexer.Lexer{Data: r}
	var w jwriter.Writer
	canonValue(&l, &w)
	l.Consumed()
	if l.Error() != nil || w.Error != nil {
		var buf bytes.Buffer
		if json.Compact(&buf, r) != nil {
			return r
		}
		return wire.Raw(buf.Bytes())
	}
	return wire.Raw(w.Buffer.BuildBytes())
}

func canonValue(l *jlexer.Lexer, w *jwriter.Writer) {
	switch {
	case l.IsDelim('{'):
		l.Delim('{')
		w.RawByte('{')
		for first := true; !l.IsDelim('}') && l.Ok(); first = false {
			if !first {
				w.RawByte(',')
			}
			w.String(l.String())
			l.WantColon()
			w.RawByte(':')
			canonValue(l, w)
			l.WantComma()
		}
		l.Delim('}')
		w.RawByte('}')
	case l.IsDelim('['):
		l.Delim('[')
		w.RawByte('[')
		for first := true; !l.IsDelim(']') && l.Ok(); first = false {
			if !first {
				w.RawByte(',')
			}
			canonValue(l, w)
			l.WantComma()
		}
		l.Delim(']')
		w.RawByte(']')
	default:
		switch l.CurrentToken() {
		case jlexer.TokenString:
			w.String(l.String())
		case jlexer.TokenNumber:
			w.Float64(l.Float64())
		case jlexer.TokenBool:
			w.Bool(l.Bool())
		default:
			l.Null()
			w.RawString("null")
		}
	}
}

// Clone returns a deep copy of r.
func (r *Record) Clone() *Record {
	c := *r
	c.Data = append(wire.Raw(nil), r.Data...)
	return &c
}
