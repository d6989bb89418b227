package trace

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/internal/wire"
	"github.com/gowebpki/jcs"
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

// Canonical returns the bytes hashed for r: the RFC 8785 (JSON
// Canonicalization Scheme) form of r without its hash field — object keys
// sorted by their UTF-16 code units at every level, no whitespace, numbers
// in the ECMAScript shortest form, strings with only the escapes JSON
// requires. Any JSON store that keeps values (not bytes) gives back a
// record with the same canonical form. A record whose data is not valid
// JSON, holds a duplicate key or a lone surrogate, or is nested deeper
// than MaxDataDepth cannot be canonicalised (an error).
func Canonical(r *Record) ([]byte, error) {
	data := r.Data
	if len(data) == 0 {
		data = wire.Raw("null")
	} else if !wire.Valid(data) {
		return nil, errs.New(errs.CodeInvalidParams, "trace: record %q: data is not valid JSON", r.ID)
	} else if wire.Depth(data) > MaxDataDepth {
		return nil, errs.New(errs.CodeLimitExceeded, "trace: record %q: data is nested deeper than %d levels", r.ID, MaxDataDepth)
	}
	b := body{
		ID: r.ID, Tick: r.Tick, At: r.At, Event: r.Event, Actor: r.Actor,
		CausalParent: r.CausalParent, Data: data, PrevHash: r.PrevHash,
	}
	var w jwriter.Writer
	b.MarshalEasyJSON(&w)
	if w.Error != nil {
		return nil, errs.New(errs.CodeInvalidParams, "trace: record %q: %v", r.ID, w.Error)
	}
	c, err := jcs.Transform(w.Buffer.BuildBytes())
	if err != nil {
		return nil, errs.New(errs.CodeInvalidParams, "trace: record %q cannot be canonicalised: %v", r.ID, err)
	}
	return c, nil
}

// Hash returns the hex digest of Canonical(r): SHA-256, or HMAC-SHA-256
// with key when key is not empty (the keyed mode: without the key nobody
// can compute a hash that verifies, so a re-hashed chain fails).
func Hash(key []byte, r *Record) (string, error) {
	c, err := Canonical(r)
	if err != nil {
		return "", err
	}
	return Digest(key, c), nil
}

// Digest returns the hex SHA-256 of b, or its HMAC-SHA-256 under key when
// key is not empty.
func Digest(key, b []byte) string {
	if len(key) == 0 {
		sum := sha256.Sum256(b)
		return hex.EncodeToString(sum[:])
	}
	m := hmac.New(sha256.New, key)
	m.Write(b)
	return hex.EncodeToString(m.Sum(nil))
}

// ComputeHash returns the unkeyed hash of r, or "" when r cannot be
// canonicalised.
func ComputeHash(r *Record) string {
	h, _ := Hash(nil, r)
	return h
}

// MaxDataDepth is the deepest `data` value that is canonicalised; a
// deeper one (never written by the engine, whose data is flat) makes its
// record fail verification, so canonicalisation — a recursive walk — stays
// far from a wasm host's call-stack limit.
const MaxDataDepth = 64

// compact returns the stored form of a JSON value: no insignificant
// whitespace, object keys in the order written, strings re-escaped and
// numbers re-spelled the way easyjson writes them. It is what records
// carry on the wire; hashing does not depend on it (Canonical applies
// RFC 8785 to whatever form a record arrives in). A value that is not
// valid JSON, or nested deeper than MaxDataDepth, is kept as it is.
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
