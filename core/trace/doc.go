// Package trace is CEG's audit trace (AAPF, docs/DESIGN.md#trace): an append-only log
// of records that form both a causal tree (each record names the record
// that caused it) and a hash chain (each record carries the hash of the
// previous one).
//
// Canonical form. A record's hash is the lower-case hex SHA-256 of its
// canonical JSON without the hash field: the RFC 8785 (JSON
// Canonicalization Scheme) form of {id, tick, at, event, actor,
// causalParent, data, prevHash} — keys sorted by UTF-16 code units at every
// level (inside data too), no whitespace, numbers in the ECMAScript
// shortest form (0.00001 written by JavaScript and 1e-05 written by Go are
// one number; integers beyond 2^53 compare as their nearest double),
// strings with only the escapes JSON requires. So a trace verifies after
// any store that keeps JSON values but not bytes: Python's
// json.dumps(sort_keys=True), a Go map, a PostgreSQL jsonb column. The
// canonicaliser is github.com/gowebpki/jcs. The first record's prevHash is
// "".
//
// Keyed mode. A Log made with NewLog(key) hashes with HMAC-SHA-256 under
// key instead, and VerifyWith checks with the same key: whoever edits a
// record and re-hashes the chain without the key produces hashes that do
// not verify.
//
// Truncation. A chain alone cannot show that records were cut from its
// end; VerifyWith's ExpectCount and ExpectHead, kept apart from the
// records, can.
//
// Guarantees:
//   - Ids are assigned in append order: "t-000001", "t-000002", ...
//   - A record's causal parent is always an earlier record of the same log.
//   - Verify names the first record whose hash, prevHash link, causal
//     parent or id does not verify, so any edit to a stored record is
//     found, and VerifyWith also the first missing one.
//   - Export and parse are exact inverses: ParseJSONL(ExportJSONL(r)) gives
//     records that encode to the same bytes.
//
// A Log is not safe for concurrent use.
package trace
