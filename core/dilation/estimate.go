package dilation

import (
	"strings"
	"unicode/utf8"
)

// Cue families of estimate (docs/DESIGN.md#estimate), matched case-insensitively on whole
// words: a word is a run of ASCII letters, digits and '_' (the regexp \b
// definition), and the words of a phrase may be separated by any non-word
// characters ("don't know", "trade-offs", "this week"). The tables are
// immutable.
var (
	freshWords   = wordSet("latest", "current", "today", "recent", "news", "price", "now")
	freshPhrases = [][]string{{"this", "week"}, {"this", "month"}}

	analyticWords   = wordSet("compare", "versus", "vs", "difference", "why", "evaluate", "analyse", "analyze")
	analyticPhrases = [][]string{{"how", "exactly"}, {"trade", "off"}, {"trade", "offs"}}

	unsureWords   = wordSet("unsure", "maybe", "unclear", "verify")
	unsurePhrases = [][]string{{"not", "sure"}, {"don", "t", "know"}, {"is", "it", "true"}}
)

func wordSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// Estimate is the chat-level uncertainty of a message and its D:
// u starts at 0.3; +0.3 when it asks for fresh facts (including a year
// 19xx/20xx), +0.2 when analytical, +0.2 when unsure (including confus…),
// +0.1 for two or more question marks, +0.1 when longer than 280
// characters (Unicode code points); D = Compute(min(u, 1), 0, confidence,
// collapse). The default confidence is 0.5 and collapse proximity 0.
func Estimate(text string, confidence, collapse float64) (d, u float64) {
	ws := words(text)
	u = 0.3
	if has(ws, freshWords, freshPhrases) || hasYear(ws) {
		u += 0.3
	}
	if has(ws, analyticWords, analyticPhrases) {
		u += 0.2
	}
	if has(ws, unsureWords, unsurePhrases) || hasPrefix(ws, "confus") {
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

// words returns the lower-cased words of text.
func words(text string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(text); i++ {
		if i < len(text) && isWordByte(text[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, strings.ToLower(text[start:i]))
			start = -1
		}
	}
	return out
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

func has(ws []string, single map[string]bool, phrases [][]string) bool {
	for i, w := range ws {
		if single[w] {
			return true
		}
		for _, p := range phrases {
			if i+len(p) <= len(ws) && equal(ws[i:i+len(p)], p) {
				return true
			}
		}
	}
	return false
}

func equal(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func hasPrefix(ws []string, prefix string) bool {
	for _, w := range ws {
		if strings.HasPrefix(w, prefix) {
			return true
		}
	}
	return false
}

// hasYear reports a word that is a year 1900-2099.
func hasYear(ws []string) bool {
	for _, w := range ws {
		if len(w) == 4 && (w[:2] == "19" || w[:2] == "20") && isDigits(w[2:]) {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
