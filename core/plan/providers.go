package plan

import (
	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

// ProviderList is a contract's allowedProviders: absent (nil) allows every
// provider, and an empty list ([]) allows none. The two differ on the wire
// too — an empty list is written as [] and survives snapshots and plan
// ids, where a plain slice with omitempty would have turned "allow
// nothing" into "allow all".
type ProviderList []string

// IsDefined reports whether the list is present (empty included), for
// omitempty.
func (l ProviderList) IsDefined() bool { return l != nil }

// MarshalEasyJSON writes the list ([] when empty, null when absent).
func (l ProviderList) MarshalEasyJSON(w *jwriter.Writer) {
	if l == nil {
		w.RawString("null")
		return
	}
	w.RawByte('[')
	for i, s := range l {
		if i > 0 {
			w.RawByte(',')
		}
		w.String(s)
	}
	w.RawByte(']')
}

// UnmarshalEasyJSON reads an array of strings; null leaves the list
// absent and [] makes it present and empty.
func (l *ProviderList) UnmarshalEasyJSON(in *jlexer.Lexer) {
	if in.IsNull() {
		in.Skip()
		*l = nil
		return
	}
	out := ProviderList{}
	in.Delim('[')
	for !in.IsDelim(']') {
		out = append(out, in.String())
		in.WantComma()
	}
	in.Delim(']')
	*l = out
}

// clone copies the list, keeping absent and empty apart.
func (l ProviderList) clone() ProviderList {
	if l == nil {
		return nil
	}
	return append(ProviderList{}, l...)
}

// Clone returns a copy that keeps absent and empty apart.
func (l ProviderList) Clone() ProviderList { return l.clone() }
