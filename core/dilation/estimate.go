package dilation

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Cue families of estimate (SPEC §5.2), matched case-insensitively on whole
// words. The compiled expressions are immutable after init.
var (
	freshCue    = regexp.MustCompile(`(?i)\b(latest|current|today|recent|news|price|now|(19|20)\d\d|this (week|month))\b`)
	analyticCue = regexp.MustCompile(`(?i)\b(compare|versus|vs|difference|why|how exactly|trade-offs?|evaluate|analy[sz]e)\b`)
	unsureCue   = regexp.MustCompile(`(?i)\b(not sure|unsure|maybe|confus\w*|unclear|don't know|don’t know|is it true|verify)\b`)
)

// Estimate is the chat-level uncertainty of a message and its D:
// u starts at 0.3; +0.3 when it asks for fresh facts, +0.2 when analytical,
// +0.2 when unsure, +0.1 for two or more question marks, +0.1 when longer
// than 280 characters; D = Compute(min(u, 1), 0, confidence, collapse).
// The SPEC's default confidence is 0.5 and collapse proximity 0.
func Estimate(text string, confidence, collapse float64) (d, u float64) {
	u = 0.3
	if freshCue.MatchString(text) {
		u += 0.3
	}
	if analyticCue.MatchString(text) {
		u += 0.2
	}
	if unsureCue.MatchString(text) {
		u += 0.2
	}
	if strings.Count(text, "?") >= 2 {
		u += 0.1
	}
	if utf8.RuneCountInString(text) > 280 {
		u += 0.1
	}
	u = Round(min(u, 1))
	return Compute(u, 0, confidence, collapse), u
}
