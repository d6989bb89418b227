package api

import (
	"strings"
	"testing"
)

// TestEnvelopeInOnePass: the envelope is validated and split in one pass
// (wire.Split) and its member names compared in place. Names written with
// escapes still name their member, the first unknown member is the one
// reported, and a batch's elements are split the same way.
func TestEnvelopeInOnePass(t *testing.T) {
	e := New(Limits{})
	for _, c := range []struct{ req, want string }{
		{`{"jsonr\u0070c":"2.0","\u0069d":7,"method":"version"}`, `"id":7,"result":`},
		{`{"jsonrpc":"2.0","id":1,"method":"version","p\u00e9":1,"zz":2}`, `"code":-32600,"message":"unknown request member \"pé\""`},
		{`{"jsonrpc":"2.0","id":1,"method":"version","params":{"a":01}}`, `"code":-32700`},
		{`{"jsonrpc":"2.0","id":1,"method":"version","params":[1]}`, `"code":-32602`},
		{`[{"jsonrpc":"2.0","id":1,"method":"version"}, 5, {"jsonrpc":"2.0","id":2,"m\u0065thod":"version"}]`, `"code":-32600,"message":"a request must be a JSON object"`},
		{`[{"jsonrpc":"2.0","id":1,"method":"version"}, {"jsonrpc":"2.0","id":2,"m\u0065thod":"version"}]`, `{"jsonrpc":"2.0","id":2,"result":`},
		{`[]`, `"code":-32600`},
		{`"x"`, `"code":-32600,"message":"a request must be a JSON object"`},
	} {
		if got := string(e.Handle([]byte(c.req))); !strings.Contains(got, c.want) {
			t.Errorf("%s\n got: %s\nwant it to contain: %s", c.req, got, c.want)
		}
	}
}
