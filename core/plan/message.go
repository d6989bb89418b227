package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Contract compiler: the original CEG's rule for turning a chat message
// into an ExecutionContract, kept exactly (a lower-cased substring test, so
// "breakfast" counts as "fast", as it does there).
const (
	// QuickMaxCost and QuickMaxLatencyMs apply when the message asks for
	// speed (quick, fast, brief).
	QuickMaxCost      = 0.05
	QuickMaxLatencyMs = 3000.0
	// MessageMaxCost and MessageMaxLatencyMs apply otherwise.
	MessageMaxCost      = 0.20
	MessageMaxLatencyMs = 10000.0
	// PreciseDeterminism is the determinismLevel of a message asking for
	// exactness (exact, precise, deterministic); DefaultDeterminism of any
	// other.
	PreciseDeterminism = 0.9
	DefaultDeterminism = 0.7
)

var (
	speedCues     = []string{"quick", "fast", "brief"}
	precisionCues = []string{"exact", "precise", "deterministic"}
)

// FromMessage compiles a message into a contract: maxCost 0.05 and
// maxLatencyMs 3,000 when the lower-cased message contains quick, fast or
// brief, else 0.20 and 10,000; determinismLevel 0.9 when it contains exact,
// precise or deterministic, else 0.7; intent is the message and id is
// "msg-" followed by 16 hex digits of its SHA-256 (equal messages, equal
// ids). The result is not normalized; the caller applies overrides and
// then Normalize.
func FromMessage(message string) *Contract {
	lower := strings.ToLower(message)
	c := &Contract{ID: MessageID(message), Intent: message}
	if containsAny(lower, speedCues) {
		c.Constraints.MaxCost, c.Constraints.MaxLatencyMs = ptr(QuickMaxCost), ptr(QuickMaxLatencyMs)
	} else {
		c.Constraints.MaxCost, c.Constraints.MaxLatencyMs = ptr(MessageMaxCost), ptr(MessageMaxLatencyMs)
	}
	if containsAny(lower, precisionCues) {
		c.Constraints.DeterminismLevel = ptr(PreciseDeterminism)
	} else {
		c.Constraints.DeterminismLevel = ptr(DefaultDeterminism)
	}
	return c
}

// MessageID is the contract id FromMessage gives a message.
func MessageID(message string) string {
	sum := sha256.Sum256([]byte(message))
	return "msg-" + hex.EncodeToString(sum[:8])
}

func containsAny(s string, cues []string) bool {
	for _, c := range cues {
		if strings.Contains(s, c) {
			return true
		}
	}
	return false
}
