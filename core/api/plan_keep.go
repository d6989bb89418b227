package api

import (
	"github.com/convergence-io/ceg/core/graph"
	"github.com/mailru/easyjson/jwriter"
)

// memoKeeper is the result of a plan.optimize by handle that planned: it
// encodes the answer straight into the response and gives the answer memo
// (plan_memo.go) those bytes, so that a large plan is encoded once and
// copied once into the memo (not encoded into a buffer of its own, copied
// into the memo, then into the response).
//
// The memo gets the answer only when it was encoded in one piece: the
// response's buffer (Engine.out, up to 4 MiB, or Engine.res, up to 1 MiB,
// for a batch element) held it all. An answer that spilled past it (the
// first large answer of an engine, before that buffer has grown; a batch
// element over 1 MiB; an answer over 4 MiB, which the memo would not keep
// anyway) is answered and not kept, as is an answer whose encoding failed:
// the next identical call plans again. A kept answer is therefore always
// the exact bytes of a response's result.
type memoKeeper struct {
	memo   *planMemo
	handle string
	g      *graph.Graph
	raw    []byte // the params
	res    marshaler
}

func (k *memoKeeper) MarshalEasyJSON(w *jwriter.Writer) {
	before, start, size := w.Buffer.Buf, len(w.Buffer.Buf), w.Buffer.Size()
	k.res.MarshalEasyJSON(w)
	after := w.Buffer.Buf
	if w.Error == nil && sameArray(before, after) && len(after)-start == w.Buffer.Size()-size {
		k.memo.keep(k.handle, k.g, k.raw, after[start:])
	}
	*k = memoKeeper{} // hold nothing of the call
}

// sameArray reports whether a and b are non-empty slices of one array from
// its start (the writer's buffer was neither replaced by a new chunk nor
// grown into a new array).
func sameArray(a, b []byte) bool {
	return cap(a) > 0 && cap(a) == cap(b) && &a[:1][0] == &b[:1][0]
}
