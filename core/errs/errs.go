// Package errs defines the one error type every CEG package returns: a stable
// string code, a human message, the JSON path of the offending input (when
// there is one) and machine-readable evidence. The api package maps it onto a
// JSON-RPC error object; the JS binding onto CegError.
package errs

import "fmt"

// Stable error codes. They are part of the wire contract (docs/DESIGN.md#methods) and never
// change meaning.
const (
	CodeInvalidParams   = "INVALID_PARAMS"
	CodeDuplicateNode   = "DUPLICATE_NODE"
	CodeUnknownNode     = "UNKNOWN_NODE"
	CodeUnknownEdge     = "UNKNOWN_EDGE"
	CodeCycle           = "CYCLE"
	CodeInvalidPred     = "INVALID_PREDICATE"
	CodeLimitExceeded   = "LIMIT_EXCEEDED"
	CodeUnknownHandle   = "UNKNOWN_HANDLE"
	CodeUnknownSession  = "UNKNOWN_SESSION"
	CodeSessionClosed   = "SESSION_CLOSED"
	CodeInvalidSnapshot = "INVALID_SNAPSHOT"
	CodeSwapFailed      = "SWAP_FAILED"
)

// Error is a CEG error. Code is one of the constants above (or another code
// documented in docs/ABI.md); Path is a JSON path relative to the method's params
// such as "graph.nodes[3].kind"; IDs lists the node ids the error is about,
// sorted where order carries no meaning (a cycle lists them in cycle order).
type Error struct {
	Code    string
	Message string
	Path    string
	IDs     []string
}

// Error implements error; the message is prefixed with the package that
// raised it.
func (e *Error) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("%s: %s (at %s)", e.Code, e.Message, e.Path)
	}
	return e.Code + ": " + e.Message
}

// Is lets errors.Is match on the code alone: errors.Is(err, &Error{Code: X}).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// New returns an Error with a formatted message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// At returns a copy of e whose path is prefix joined with e.Path.
func (e *Error) At(prefix string) *Error {
	c := *e
	c.Path = Join(prefix, e.Path)
	return &c
}

// WithIDs returns e with the given ids attached as evidence.
func (e *Error) WithIDs(ids ...string) *Error {
	e.IDs = ids
	return e
}

// Join joins two JSON path fragments: Join("graph", "nodes[2]") is
// "graph.nodes[2]", and an index fragment attaches without a dot.
func Join(prefix, rest string) string {
	switch {
	case prefix == "":
		return rest
	case rest == "":
		return prefix
	case rest[0] == '[':
		return prefix + rest
	}
	return prefix + "." + rest
}

// Index returns the path fragment for element i of the array at path.
func Index(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i)
}
