// Package trace is CEG's audit trace (AAPF, docs/DESIGN.md#trace): an append-only log
// of records that form both a causal tree (each record names the record
// that caused it) and a hash chain (each record carries the hash of the
// previous one).
//
// Canonical form. A record's hash is the lower-case hex SHA-256 of its
// canonical JSON without the hash field: the easyjson encoding of
// {id, tick, at, event, actor, causalParent, data, prevHash} in exactly that
// order, no whitespace, every field present (an empty string is "", absent
// data is null), numbers in Go's shortest 'g' form (strconv.AppendFloat with
// precision -1, as easyjson writes them). data is canonicalised the same
// way before hashing: insignificant whitespace removed, strings re-escaped
// as easyjson escapes them, numbers re-spelled from their float64 value (so
// 0.00001 written by JavaScript and 1e-05 written by Go hash alike), and
// object keys kept in the order they were written (for records the engine
// writes, the fixed field order of Data). The first record's prevHash is
// "".
//
// Guarantees:
//   - Ids are assigned in append order: "t-000001", "t-000002", ...
//   - A record's causal parent is always an earlier record of the same log.
//   - Verify names the first record whose hash, prevHash link, causal
//     parent or id does not verify, so any edit to a stored record is found.
//   - Export and parse are exact inverses: ParseJSONL(ExportJSONL(r)) gives
//     records that encode to the same bytes.
//
// A Log is not safe for concurrent use.
package trace
