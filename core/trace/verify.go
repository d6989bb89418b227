package trace

import "fmt"

// Verify checks a sequence of records as one log. It returns valid=true and
// firstInvalid=-1 when every record verifies; otherwise firstInvalid is the
// 0-based index of the first record that does not, and reason says why.
// Checks, in order, for record i:
//  1. its id is non-empty and not used by an earlier record;
//  2. its prevHash is the hash of record i-1 ("" for the first record);
//  3. its hash is ComputeHash of its content;
//  4. its causalParent is "" or the id of an earlier record.
//
// count is always len(records).
func Verify(records []*Record) (valid bool, count int, firstInvalid int, reason string) {
	seen := make(map[string]bool, len(records))
	prev := ""
	for i, r := range records {
		if r == nil {
			return false, len(records), i, "record is null"
		}
		switch {
		case r.ID == "":
			return false, len(records), i, "record has no id"
		case seen[r.ID]:
			return false, len(records), i, fmt.Sprintf("duplicate id %q", r.ID)
		case r.PrevHash != prev:
			if i == 0 {
				return false, len(records), i, fmt.Sprintf("record %q: first record must have an empty prevHash, got %q", r.ID, r.PrevHash)
			}
			return false, len(records), i, fmt.Sprintf("record %q: prevHash %q does not match the hash of record %q", r.ID, r.PrevHash, records[i-1].ID)
		}
		if h := ComputeHash(r); h != r.Hash {
			return false, len(records), i, fmt.Sprintf("record %q: hash %q does not match its content (computed %q)", r.ID, r.Hash, h)
		}
		if r.CausalParent != "" && !seen[r.CausalParent] {
			return false, len(records), i, fmt.Sprintf("record %q: causal parent %q is not an earlier record", r.ID, r.CausalParent)
		}
		seen[r.ID] = true
		prev = r.Hash
	}
	return true, len(records), -1, ""
}
