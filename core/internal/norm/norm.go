// Package norm is the one place where names are canonicalised and where
// the bound on numeric magnitudes is defined.
//
// Names a policy compares — providers (a resource's provider, a contract's
// allowedProviders and forbiddenProviders, an authority rule's provider,
// the provider keys of S) — are canonicalised by Name when they enter the
// engine, and every comparison afterwards is of canonical names. So a
// forbidden "openai" is not escaped by "OpenAI", "openai " or a
// decomposed spelling of an accented name.
//
// The confusables rule: canonical names are compared code point by code
// point after NFC, trimming and lower-casing; characters that merely look
// alike (Cyrillic "а" and Latin "a", the digit 0 and the letter O) stay
// different. A policy that must hold against look-alikes lists providers
// in allowedProviders (an allow list fails closed: a look-alike is simply
// not allowed) rather than relying on forbiddenProviders alone. Names that
// contain control characters or are empty after canonicalisation are
// invalid, and so are names and node ids that hold U+FFFD (Garbled).
package norm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxQuantity bounds the magnitude of every number that enters a cost, a
// latency, a time or a count (node fields, contract limits, weights, state
// values, reported outcomes). Products of a few such values stay far below
// float64's range, so no input can overflow a computation to ±Inf (a
// latencyTargetMs of 1.7e308 did, and its deadline failed to encode).
// 1e15 ms is 31,000 years; 1e15 USD is more than the world's GDP.
const MaxQuantity = 1e15

// Name returns the canonical form of a name: Unicode NFC, surrounding
// white space trimmed, lower case.
func Name(s string) string {
	if isCanonicalASCII(s) {
		return s // the common case allocates nothing
	}
	return strings.TrimSpace(norm.NFC.String(strings.ToLower(s)))
}

// ValidName reports whether a canonical name is usable: non-empty and free
// of control characters.
func ValidName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// GarbledMessage says why a Garbled name or id is refused.
const GarbledMessage = "holds U+FFFD, which is what a JSON decoder makes of a lone UTF-16 surrogate escape or of invalid UTF-8: two different inputs would become one name"

// Garbled reports whether s holds U+FFFD (or invalid UTF-8). A lone
// surrogate escape ("\ud800", "\udc00") decodes to U+FFFD, so two
// different ids or provider names sent that way would silently become one
// (an edge reaching another node, an allow list entry matching another
// provider); such strings are refused instead.
func Garbled(s string) bool { return strings.ContainsRune(s, utf8.RuneError) }

// isCanonicalASCII reports whether s is already canonical: ASCII without
// upper case letters and without surrounding space.
func isCanonicalASCII(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || ('A' <= c && c <= 'Z') || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
			return false
		}
	}
	return true
}

// InRange reports whether x is within [lo, hi] (false for NaN).
func InRange(x, lo, hi float64) bool { return x >= lo && x <= hi }
