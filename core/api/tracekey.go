package api

import (
	"encoding/base64"
	"fmt"
)

// Trace key: the keyed mode of the audit trace. With a key set, trace
// hashes and snapshot digests are HMAC-SHA-256 under it instead of plain
// SHA-256, so whoever edits a stored trace or snapshot cannot make it
// verify again without the key. The key lives in the engine only: it is
// never written to a response, a trace or a snapshot.

// Key sizes accepted by trace.setKey, in bytes.
const (
	MinTraceKeyBytes = 16
	MaxTraceKeyBytes = 1024
)

//easyjson:json
type traceKeyParams struct {
	Key   *string `json:"key"`
	Clear *bool   `json:"clear"`
}

//easyjson:json
type traceKeyResult struct {
	Keyed bool `json:"keyed"`
}

// trace.setKey {key: base64} | {clear: true} -> {keyed}.
func traceSetKey(e *Engine, raw []byte) (marshaler, error) {
	var p traceKeyParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	var key []byte
	switch {
	case p.Key != nil && p.Clear != nil:
		return nil, badParam("clear", "give either key or clear, not both")
	case p.Clear != nil:
		if !*p.Clear {
			return nil, badParam("clear", "clear must be true (to set a key, give key)")
		}
	case p.Key != nil:
		k, err := base64.StdEncoding.Strict().DecodeString(*p.Key)
		if err != nil {
			return nil, badParam("key", "the key must be standard, padded base64: %v", err)
		}
		if len(k) < MinTraceKeyBytes || len(k) > MaxTraceKeyBytes {
			return nil, badParam("key", "the key must be %d to %d bytes; got %d", MinTraceKeyBytes, MaxTraceKeyBytes, len(k))
		}
		key = k
	default:
		return nil, missing("key")
	}
	if n := len(e.ext.exec.sessions); n > 0 {
		return nil, badParam("key", "%s: a session's trace is chained under the key it started with; close them first", plural(n, "live session"))
	}
	if n := len(e.ext.trace.logs); n > 0 {
		return nil, badParam("key", "%s: a log is chained under the key it was created with; drop them first", plural(n, "live trace log"))
	}
	e.traceKey = key
	return &traceKeyResult{Keyed: len(key) > 0}, nil
}

func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}
