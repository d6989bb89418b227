package api

import "fmt"

// Ids that never alias. Handles and session ids count up from 1 for the
// lifetime of an engine and are never reused within it. A host that
// replaces an engine (after a trap, or a worker it terminated) would see
// the fresh engine count from 1 again, so an id kept from the old engine
// would name whatever the new one created under the same number. The
// epoch closes that: a host sets a value unique to each instance once,
// before any handle or session exists, and every id carries it:
// "g7.<epoch>", "s3.<epoch>". An id from another instance then never
// names anything here (UNKNOWN_HANDLE / UNKNOWN_SESSION). The core stays
// deterministic: the epoch comes from the host, as every time-like and
// random input does.

// MaxEpochLen bounds the epoch's length.
const MaxEpochLen = 32

//easyjson:json
type epochParams struct {
	Epoch *string `json:"epoch"`
}

//easyjson:json
type epochResult struct {
	Epoch string `json:"epoch"`
}

// engine.setEpoch {epoch} -> {epoch}.
func engineSetEpoch(e *Engine, raw []byte) (marshaler, error) {
	var p epochParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Epoch == nil {
		return nil, missing("epoch")
	}
	if err := checkEpoch(*p.Epoch); err != nil {
		return nil, err
	}
	switch {
	case e.epoch != "":
		return nil, badParam("epoch", "the epoch is already set (%q); it is set once per instance", e.epoch)
	case e.issued():
		return nil, badParam("epoch", "set the epoch before the first handle or session is created")
	}
	e.epoch = *p.Epoch
	return &epochResult{Epoch: e.epoch}, nil
}

// checkEpoch accepts 1..MaxEpochLen characters from [0-9A-Za-z_-].
func checkEpoch(s string) error {
	if s == "" || len(s) > MaxEpochLen {
		return badParam("epoch", "the epoch must be 1 to %d characters long", MaxEpochLen)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-') {
			return badParam("epoch", "the epoch may hold only letters, digits, '_' and '-'; got %q at byte %d", c, i)
		}
	}
	return nil
}

// issued reports whether the engine has issued any id (a handle of any
// kind or a session).
func (e *Engine) issued() bool {
	x := &e.ext
	return e.nextHandle > 0 || x.exec.next > 0 || x.trace.next > 0 || x.field.nextField > 0 || x.field.nextGuard > 0 || x.registry.next > 0
}

// id formats the n-th id with a prefix ("g", "s", "l", "f", "o", "r") and the engine's epoch.
func (e *Engine) id(prefix string, n uint64) string {
	if e.epoch == "" {
		return fmt.Sprintf("%s%d", prefix, n)
	}
	return fmt.Sprintf("%s%d.%s", prefix, n, e.epoch)
}
