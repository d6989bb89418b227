package trace

import "fmt"

// VerifyOptions are the optional checks of VerifyWith.
type VerifyOptions struct {
	// Key, when not empty, is the HMAC-SHA-256 key the hashes were made
	// with (the keyed mode); empty means plain SHA-256.
	Key []byte
	// ExpectCount, when not nil, is how many records the log must hold:
	// fewer means records were dropped from the end, more that records
	// were added after the count was taken.
	ExpectCount *int
	// ExpectHead, when not nil, is the hash the last record must have
	// ("" for an empty log). Kept apart from the records, it catches a
	// log cut short at a record boundary, which the chain alone cannot.
	ExpectHead *string
}

// Verify checks a sequence of records as one log with plain SHA-256
// hashes and no expectations; see VerifyWith.
func Verify(records []*Record) (valid bool, count int, firstInvalid int, reason string) {
	return VerifyWith(records, VerifyOptions{})
}

// VerifyWith checks a sequence of records as one log. It returns
// valid=true and firstInvalid=-1 when every check passes; otherwise
// firstInvalid is the 0-based index of the first record that does not
// verify (len(records) when records are missing at the end), and reason
// says why. Checks, in order, for record i:
//  1. its id is non-empty and not used by an earlier record;
//  2. its prevHash is the hash of record i-1 ("" for the first record);
//  3. its hash is Hash(o.Key, record);
//  4. its causalParent is "" or the id of an earlier record.
//
// Then, for the whole log: the count is o.ExpectCount and the last hash is
// o.ExpectHead, when given. count is always len(records).
func VerifyWith(records []*Record, o VerifyOptions) (valid bool, count int, firstInvalid int, reason string) {
	n := len(records)
	seen := make(map[string]bool, n)
	prev := ""
	for i, r := range records {
		if r == nil {
			return false, n, i, "record is null"
		}
		switch {
		case r.ID == "":
			return false, n, i, "record has no id"
		case seen[r.ID]:
			return false, n, i, fmt.Sprintf("duplicate id %q", r.ID)
		case r.PrevHash != prev:
			if i == 0 {
				return false, n, i, fmt.Sprintf("record %q: first record must have an empty prevHash, got %q", r.ID, r.PrevHash)
			}
			return false, n, i, fmt.Sprintf("record %q: prevHash %q does not match the hash of record %q", r.ID, r.PrevHash, records[i-1].ID)
		}
		h, err := Hash(o.Key, r)
		if err != nil {
			return false, n, i, err.Error()
		}
		if h != r.Hash {
			mode := ""
			if len(o.Key) > 0 {
				mode = " under the trace key"
			}
			return false, n, i, fmt.Sprintf("record %q: hash %q does not match its content%s (computed %q)", r.ID, r.Hash, mode, h)
		}
		if r.CausalParent != "" && !seen[r.CausalParent] {
			return false, n, i, fmt.Sprintf("record %q: causal parent %q is not an earlier record", r.ID, r.CausalParent)
		}
		seen[r.ID] = true
		prev = r.Hash
	}
	if o.ExpectCount != nil {
		switch want := *o.ExpectCount; {
		case n < want:
			return false, n, n, fmt.Sprintf("truncated: %d records, expected %d (records are missing at the end)", n, want)
		case n > want:
			return false, n, want, fmt.Sprintf("%d records, expected %d (records were added after the expected end)", n, want)
		}
	}
	if o.ExpectHead != nil && prev != *o.ExpectHead {
		for i := n - 2; i >= 0; i-- {
			if records[i].Hash == *o.ExpectHead {
				return false, n, i + 1, fmt.Sprintf("the expected head is record %q; %d records follow it", records[i].ID, n-1-i)
			}
		}
		return false, n, n, fmt.Sprintf("the last hash %q is not the expected head %q: records are missing at the end, or the log was replaced", prev, *o.ExpectHead)
	}
	return true, n, -1, ""
}
