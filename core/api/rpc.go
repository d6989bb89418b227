package api

import (
	"bytes"
	"fmt"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/internal/wire"
	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
)

// JSON-RPC 2.0 error codes (docs/DESIGN.md#methods).
const (
	CodeParseError     = -32700
	CodeInvalidRequest = -32600
	CodeMethodNotFound = -32601
	CodeInvalidParams  = -32602
	CodeInternal       = -32603
)

// appCodes maps each application error code to its JSON-RPC number in
// -32000..-32099. Codes not listed use -32000.
var appCodes = map[string]int{
	errs.CodeDuplicateNode:   -32001,
	errs.CodeUnknownNode:     -32002,
	errs.CodeUnknownEdge:     -32003,
	errs.CodeCycle:           -32004,
	errs.CodeInvalidPred:     -32005,
	errs.CodeLimitExceeded:   -32006,
	errs.CodeUnknownHandle:   -32007,
	errs.CodeUnknownSession:  -32008,
	errs.CodeSessionClosed:   -32009,
	errs.CodeInvalidSnapshot: -32010,
	errs.CodeSwapFailed:      -32011,
}

// String codes of the protocol-level errors, carried in data.code.
const (
	dataParseError     = "PARSE_ERROR"
	dataInvalidRequest = "INVALID_REQUEST"
	dataMethodNotFound = "METHOD_NOT_FOUND"
	dataInternal       = "INTERNAL"
)

// rpcError is a JSON-RPC error object.
type rpcError struct {
	code    int
	message string
	data    *errs.Error
}

func protocolError(code int, dataCode, format string, args ...any) *rpcError {
	msg := fmt.Sprintf(format, args...)
	return &rpcError{code: code, message: msg, data: &errs.Error{Code: dataCode, Message: msg}}
}

// toRPC maps a Go error onto a JSON-RPC error.
func toRPC(err error) *rpcError {
	e, ok := err.(*errs.Error)
	if !ok {
		e = &errs.Error{Code: dataInternal, Message: err.Error()}
		return &rpcError{code: CodeInternal, message: e.Message, data: e}
	}
	if e.Code == errs.CodeInvalidParams {
		return &rpcError{code: CodeInvalidParams, message: e.Message, data: e}
	}
	code, ok := appCodes[e.Code]
	if !ok {
		code = -32000
	}
	return &rpcError{code: code, message: e.Message, data: e}
}

// request is one parsed JSON-RPC request object.
type request struct {
	id       []byte // raw id; nil when absent (a notification)
	method   string
	params   []byte // raw params; nil when absent
	hasID    bool
	invalid  *rpcError
	idForErr []byte // id to answer an invalid request with ("null" if unknown)
}

var nullID = []byte("null")

// parseRequest reads one request object from its members (split from
// bytes already known to be valid JSON; isObject false when the request is
// not an object). It never fails: an invalid request is returned with
// invalid set. Member names are compared in place, without allocating.
func parseRequest(members []wire.Member, isObject bool) request {
	r := request{idForErr: nullID}
	if !isObject {
		r.invalid = protocolError(CodeInvalidRequest, dataInvalidRequest, "a request must be a JSON object")
		return r
	}
	var version, method []byte
	var hasMethod bool
	for _, m := range members {
		key := m.Key[1 : len(m.Key)-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			key = []byte(jsonString(m.Key)) // an escaped name: rare, decoded
		}
		switch string(key) {
		case "jsonrpc":
			version = m.Value
		case "id":
			r.id, r.hasID = m.Value, true
		case "method":
			method, hasMethod = m.Value, true
		case "params":
			r.params = m.Value
		default:
			if r.invalid == nil {
				r.invalid = protocolError(CodeInvalidRequest, dataInvalidRequest, "unknown request member %q", key)
			}
		}
	}
	if r.hasID {
		switch r.id[0] {
		case '"', 'n', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			r.idForErr = r.id
		default:
			r.invalid = protocolError(CodeInvalidRequest, dataInvalidRequest, "id must be a string, a number or null")
			return r
		}
	}
	if hasMethod {
		if method[0] != '"' {
			if r.invalid == nil {
				r.invalid = protocolError(CodeInvalidRequest, dataInvalidRequest, "method must be a string")
			}
		} else if m, ok := methodNames[string(method[1:len(method)-1])]; ok {
			r.method = m // a known method without escapes: no new string
		} else {
			r.method = jsonString(method)
		}
	}
	switch {
	case r.invalid != nil:
	case version == nil || string(version) != `"2.0"`:
		r.invalid = protocolError(CodeInvalidRequest, dataInvalidRequest, `jsonrpc must be "2.0"`)
	case !hasMethod:
		r.invalid = protocolError(CodeInvalidRequest, dataInvalidRequest, "method is required")
	case r.params != nil && r.params[0] != '{' && !bytes.Equal(r.params, nullID):
		r.invalid = &rpcError{code: CodeInvalidParams, message: "params must be an object",
			data: &errs.Error{Code: errs.CodeInvalidParams, Message: "params must be an object"}}
	}
	return r
}

// jsonString decodes a JSON string literal.
func jsonString(q []byte) string {
	l := jlexer.Lexer{Data: q}
	return l.String()
}

// writeResult appends a success response whose result is already
// encoded (a method's answer: no interface conversion, no allocation).
func writeResult(w *jwriter.Writer, id []byte, result []byte) {
	w.RawString(`{"jsonrpc":"2.0","id":`)
	w.Raw(id, nil)
	w.RawString(`,"result":`)
	w.Raw(result, nil)
	w.RawByte('}')
}

// writeError appends an error response.
func writeError(w *jwriter.Writer, id []byte, e *rpcError) {
	w.RawString(`{"jsonrpc":"2.0","id":`)
	w.Raw(id, nil)
	w.RawString(`,"error":{"code":`)
	w.Int(e.code)
	w.RawString(`,"message":`)
	w.String(e.message)
	if e.data != nil {
		w.RawString(`,"data":{"code":`)
		w.String(e.data.Code)
		if e.data.Path != "" {
			w.RawString(`,"path":`)
			w.String(e.data.Path)
		}
		if len(e.data.IDs) > 0 {
			w.RawString(`,"ids":[`)
			for i, id := range e.data.IDs {
				if i > 0 {
					w.RawByte(',')
				}
				w.String(id)
			}
			w.RawByte(']')
		}
		w.RawByte('}')
	}
	w.RawString("}}")
}

// marshaler is anything that encodes itself with easyjson.
type marshaler interface {
	MarshalEasyJSON(w *jwriter.Writer)
}

// writerFunc adapts a function to marshaler.
type writerFunc func(w *jwriter.Writer)

func (f writerFunc) MarshalEasyJSON(w *jwriter.Writer) { f(w) }
