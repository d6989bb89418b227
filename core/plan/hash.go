package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"

	"github.com/mailru/easyjson/jwriter"
)

// id is the plan id: "plan-" and the first 16 hex digits of the SHA-256 of
// a canonical encoding of the normalized inputs: the graph document (nodes
// sorted by id, edges by from, to, kind, defaults filled in), the contract
// after Normalize (its id lists sorted and deduplicated, its weights
// replaced by the resolved weights), the state (an empty state when absent)
// and the resolved weights. extra appends reoptimize's own inputs. Equal
// inputs give equal ids whatever order their nodes and edges came in.
func (p *problem) id(extra func(w *jwriter.Writer)) string {
	w := &jwriter.Writer{}
	w.RawString(`{"graph":`)
	p.x.doc.MarshalEasyJSON(w)
	c := *p.c
	c.Weights = nil
	c.Intents = sortedSet(c.Intents)
	c.AllowedProviders = sortedSet(c.AllowedProviders)
	c.ForbiddenProviders = sortedSet(c.ForbiddenProviders)
	w.RawString(`,"contract":`)
	c.MarshalEasyJSON(w)
	w.RawString(`,"state":`)
	p.s.MarshalEasyJSON(w)
	w.RawString(`,"weights":`)
	p.w.wire().MarshalEasyJSON(w)
	if extra != nil {
		extra(w)
	}
	w.RawByte('}')
	h := sha256.New()
	_, _ = w.DumpTo(h) // writing to a hash never fails
	return "plan-" + hex.EncodeToString(h.Sum(nil))[:16]
}

func sortedSet(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	out := append([]string(nil), list...)
	sort.Strings(out)
	k := 0
	for i, s := range out {
		if i == 0 || s != out[k-1] {
			out[k] = s
			k++
		}
	}
	return out[:k]
}
