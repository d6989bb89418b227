package api

import (
	"fmt"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/internal/wire"
	"github.com/mailru/easyjson/jwriter"
)

// Handle runs one JSON-RPC request (an object or a batch array) and returns
// the response bytes. A notification, or a batch of only notifications, gets
// an empty response (nil).
func (e *Engine) Handle(req []byte) []byte { return e.HandleInto(req, nil) }

// HandleInto is Handle writing a single request's response into dst's
// array when it has room (a batch's or an error's response may still get a
// new array): a host that hands back the array of a response it has read
// answers a stream of calls without allocating their responses. The
// response never shares memory with the engine: dst must not be in use.
func (e *Engine) HandleInto(req, dst []byte) []byte {
	w := &e.hw
	*w = newWriter()
	if len(req) > e.limits.MaxRequestBytes {
		msg := fmt.Sprintf("request of %d bytes exceeds the limit of %d", len(req), e.limits.MaxRequestBytes)
		writeError(w, nullID, &rpcError{code: appCodes[errs.CodeLimitExceeded], message: msg,
			data: &errs.Error{Code: errs.CodeLimitExceeded, Message: msg}})
		return w.Buffer.BuildBytes()
	}
	// One pass validates the request and splits it into its members (or
	// a batch into its elements); only the params are read again, by
	// their decoder. The member list is the engine's, emptied on the way
	// out so it holds nothing of the request.
	top := e.top[:0]
	defer func() { clear(top); e.top = top[:0] }()
	valid, container := wire.Split(req, &top)
	if !valid {
		writeError(w, nullID, protocolError(CodeParseError, dataParseError, "parse error: the request is not valid JSON"))
		return w.Buffer.BuildBytes()
	}
	if container != '[' {
		w.Buffer.Buf = e.out[:0]
		e.handleOne(w, req, top, container == '{', e.limits.MaxResponseBytes)
		return e.finish(w, dst)
	}
	items := top
	switch {
	case len(items) == 0:
		writeError(w, nullID, protocolError(CodeInvalidRequest, dataInvalidRequest, "an empty batch is an invalid request"))
		return w.Buffer.BuildBytes()
	case len(items) > e.limits.MaxBatch:
		msg := fmt.Sprintf("batch of %d requests exceeds the limit of %d", len(items), e.limits.MaxBatch)
		writeError(w, nullID, &rpcError{code: appCodes[errs.CodeLimitExceeded], message: msg,
			data: &errs.Error{Code: errs.CodeLimitExceeded, Message: msg}})
		return w.Buffer.BuildBytes()
	}
	w.RawByte('[')
	n := 0
	var members []wire.Member
	for _, item := range items {
		// Each element's response is built in the result buffer, so that
		// it is in one piece when it fits (plan_keep.go needs it so).
		one := newWriter()
		one.Buffer.Buf = e.res[:0]
		members = members[:0]
		_, container := wire.Split(item.Value, &members) // valid: a part of a valid request
		e.handleOne(&one, item.Value, members, container == '{', e.limits.MaxResponseBytes-w.Size())
		size := one.Size()
		if size == 0 {
			continue
		}
		if n > 0 {
			w.RawByte(',')
		}
		fits := size == len(one.Buffer.Buf)
		b := one.Buffer.BuildBytes()
		w.Raw(b, nil)
		if fits {
			e.res = b[:0]
		} else {
			e.res = grown(e.res, size)
		}
		n++
	}
	if n == 0 {
		return nil
	}
	w.RawByte(']')
	return w.Buffer.BuildBytes()
}

// handleOne answers one request into w (nothing for a notification): raw
// is its bytes, already validated and split into members (isObject false:
// it is not an object). w must be empty: on an error, whatever was written
// to it is dropped.
// A result larger than budget bytes is replaced by a LIMIT_EXCEEDED error,
// so no request — a batch of 256 exports of a large graph, say — can build
// a response that exhausts the instance's memory.
//
// A result is encoded straight into w, after the response's opening
// (`{"jsonrpc":"2.0","id":…,"result":`): it is written once, and the only
// copy is finish's into the slice the caller owns.
func (e *Engine) handleOne(w *jwriter.Writer, raw []byte, members []wire.Member, isObject bool, budget int) {
	r := parseRequest(members, isObject)
	if r.invalid != nil {
		writeError(w, r.idForErr, r.invalid)
		return
	}
	if r.hasID && budget <= 0 {
		// The response budget is spent: answer without running the method
		// (which therefore changes nothing).
		msg := fmt.Sprintf("the response limit of %d bytes per call is spent; %s was not run", e.limits.MaxResponseBytes, r.method)
		writeError(w, r.id, &rpcError{code: appCodes[errs.CodeLimitExceeded], message: msg, data: &errs.Error{Code: errs.CodeLimitExceeded, Message: msg}})
		return
	}
	e.beginCall()
	if !r.hasID {
		// A notification's result is encoded (an encoding error is an
		// error: the call is taken back) into the result buffer, and
		// dropped.
		rw := &e.rw
		*rw = newWriter()
		rw.Buffer.Buf = e.res[:0]
		if e.invoke(r.method, r.params, rw) != nil {
			e.rollback() // no one hears of the error: change nothing
		}
		if n := rw.Buffer.Size(); n == len(rw.Buffer.Buf) {
			e.res = rw.Buffer.Buf[:0]
		} else {
			e.res = grown(e.res, n)
		}
		*rw = newWriter() // holds nothing of the result
		return
	}
	empty := w.Buffer.Buf[:0] // w's buffer, reused when the result is dropped
	w.RawString(`{"jsonrpc":"2.0","id":`)
	w.Raw(r.id, nil)
	w.RawString(`,"result":`)
	mark := w.Size()
	rerr := e.invoke(r.method, r.params, w)
	if n := w.Size() - mark; rerr == nil && n > budget {
		msg := fmt.Sprintf("the result of %s is %d bytes; the response limit leaves %d (of %d per call)",
			r.method, n, max(budget, 0), e.limits.MaxResponseBytes)
		rerr = &rpcError{code: appCodes[errs.CodeLimitExceeded], message: msg, data: &errs.Error{Code: errs.CodeLimitExceeded, Message: msg}}
	}
	if rerr != nil {
		// The caller gets an error, not the new id: whatever the request
		// created (a session, a handle) or changed is taken back.
		e.rollback()
		*w = newWriter()
		w.Buffer.Buf = empty
		writeError(w, r.id, rerr)
		return
	}
	w.RawByte('}')
}

// invoke runs a method and encodes its result into w, turning a panic
// into -32603. On an error, w holds part of a result or none.
func (e *Engine) invoke(method string, params []byte, w *jwriter.Writer) (rerr *rpcError) {
	m, ok := methods[method]
	if !ok {
		return protocolError(CodeMethodNotFound, dataMethodNotFound, "unknown method %q", method)
	}
	defer func() {
		if p := recover(); p != nil {
			rerr = protocolError(CodeInternal, dataInternal, "internal error in %s: %v", method, p)
		}
	}()
	if params == nil {
		params = []byte("{}")
	}
	res, err := m(e, params)
	if err != nil {
		return toRPC(err)
	}
	// Encode inside the recover scope so a panic while encoding is caught
	// (a kept answer, *rawJSON, is copied as it is).
	res.MarshalEasyJSON(w)
	if w.Error != nil {
		return toRPC(w.Error)
	}
	return nil
}

// Engine-owned encoding buffers start at startBuffer bytes and grow to fit
// the largest answer, up to a bound; past it an answer spills into
// easyjson's chunks, which finish (or, for a batch, BuildBytes) copies out
// once. Engine.out holds a single request's whole response and is bounded
// by maxKeptResponse: 4 MiB, so that a large plan (a 1,000 × 20 DAG
// answers 2.3 MB) is encoded in one piece and copied once, into the slice
// the caller owns. Engine.res holds a batch element's response, or the
// dropped result of a notification, and is bounded by maxKeptBuffer
// (1 MiB). Together the engine keeps at most 5 MiB of buffers, and only
// after it has answered that much. Their capacities are always odd:
// easyjson's pool takes back only chunks whose capacity is a power of two,
// so BuildBytes never hands one of these buffers to the pool (and so to
// another writer) when an answer spills out of it.
const (
	startBuffer     = 4<<10 + 1
	maxKeptBuffer   = 1<<20 + 1
	maxKeptResponse = 4<<20 + 1
)

// grown returns buf, or a larger empty buffer when an answer of n bytes
// did not fit and buf is under maxKeptBuffer.
func grown(buf []byte, n int) []byte { return grownTo(buf, n, maxKeptBuffer) }

// grownTo returns buf, or a larger empty buffer when an answer of n bytes
// did not fit and buf is under limit (odd).
func grownTo(buf []byte, n, limit int) []byte {
	if cap(buf) >= limit {
		return buf[:0]
	}
	return make([]byte, 0, min(2*n|1, limit))
}

// finish returns the response in w as a slice the caller owns (nil when
// empty): in dst's array when it fits, otherwise a new one. It keeps w's
// buffer for the next call when it is the engine's.
func (e *Engine) finish(w *jwriter.Writer, dst []byte) []byte {
	n := w.Buffer.Size()
	if n == 0 {
		return nil
	}
	if n == len(w.Buffer.Buf) {
		// append, not make and copy: the new slice is not cleared first.
		out := append(dst[:0], w.Buffer.Buf...)
		e.out = w.Buffer.Buf[:0]
		return out
	}
	out := w.Buffer.BuildBytes(dst)
	e.out = grownTo(e.out, n, maxKeptResponse)
	return out
}

// rawJSON is an already-encoded result.
type rawJSON []byte

func (r rawJSON) MarshalEasyJSON(w *jwriter.Writer) { w.Raw(r, nil) }

// BadBuffer is the response to a call whose (ptr, len) does not name a live
// request buffer: an invalid request, answered without touching memory.
func (e *Engine) BadBuffer(ptr, size uint32) []byte {
	w := newWriter()
	writeError(&w, nullID, protocolError(CodeInvalidRequest, dataInvalidRequest,
		"ceg_call: (ptr %d, len %d) is not a live buffer from ceg_alloc", ptr, size))
	return w.Buffer.BuildBytes()
}

// newWriter returns the writer every response is encoded with: HTML
// characters (<, >, &) are written as they are, not as \u003c escapes.
func newWriter() jwriter.Writer { return jwriter.Writer{NoEscapeHTML: true} }
