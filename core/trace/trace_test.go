package trace

import (
	"bytes"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/internal/wire"
)

// sample builds a small causal tree: start -> dispatch -> complete, and a
// second dispatch under start.
func sample(t *testing.T) *Log {
	t.Helper()
	l := &Log{}
	must := func(e Entry) *Record {
		r, err := l.Append(e)
		if err != nil {
			t.Fatalf("Append(%+v): %v", e, err)
		}
		return r
	}
	root := must(Entry{Tick: 0, At: 1000, Event: EventSessionStart, Actor: "s-1", Data: (&Data{Session: "s-1"}).Raw()})
	d := must(Entry{Tick: 1, At: 1010, Event: EventDispatch, Actor: "step-a", CausalParent: root.ID, Data: (&Data{Step: "step-a", Attempt: 1}).Raw()})
	must(Entry{Tick: 2, At: 1500.5, Event: EventComplete, Actor: "step-a", CausalParent: d.ID, Data: wire.Raw(`{ "k" : [1, 2] }`)})
	must(Entry{Tick: 2, At: 1500.5, Event: EventDispatch, Actor: "step-b", CausalParent: root.ID})
	return l
}

func TestAppendIDsAndChain(t *testing.T) {
	l := sample(t)
	rs := l.Records()
	wantIDs := []string{"t-000001", "t-000002", "t-000003", "t-000004"}
	for i, r := range rs {
		if r.ID != wantIDs[i] {
			t.Errorf("record %d id got: %q want: %q", i, r.ID, wantIDs[i])
		}
		prev := ""
		if i > 0 {
			prev = rs[i-1].Hash
		}
		if r.PrevHash != prev {
			t.Errorf("record %d prevHash got: %q want: %q", i, r.PrevHash, prev)
		}
		if len(r.Hash) != 64 {
			t.Errorf("record %d hash got: %q want: 64 hex digits", i, r.Hash)
		}
	}
	if got, want := string(rs[2].Data), `{"k":[1,2]}`; got != want {
		t.Errorf("data not compacted got: %s want: %s", got, want)
	}
	if got, want := string(rs[3].Data), `{}`; got != want {
		t.Errorf("absent data got: %s want: %s", got, want)
	}
}

func TestCanonical(t *testing.T) {
	r := &Record{ID: "t-000001", Tick: 3, At: 1.5, Event: "dispatch", Actor: "a", Data: wire.Raw(`{"x": 1, "b": [1e-5, 1E21, 0.1, "\u00e9"]}`), Hash: "ignored"}
	got := string(mustCanonical(t, r))
	// RFC 8785: keys sorted at every level, ECMAScript number spellings,
	// no escapes but the required ones.
	want := `{"actor":"a","at":1.5,"causalParent":"","data":{"b":[0.00001,1e+21,0.1,"é"],"x":1},"event":"dispatch","id":"t-000001","prevHash":"","tick":3}`
	if got != want {
		t.Errorf("Canonical got: %s want: %s", got, want)
	}
	// The hash is a pure function of the canonical bytes: whitespace in data
	// and the hash field itself do not change it.
	r2 := r.Clone()
	r2.Data, r2.Hash = wire.Raw(`{"b":[0.00001,1e21,0.1,"é"],"x":1}`), ""
	if ComputeHash(r) != ComputeHash(r2) {
		t.Errorf("hash depends on data whitespace, key order or the hash field")
	}
}

func mustCanonical(t *testing.T, r *Record) []byte {
	t.Helper()
	c, err := Canonical(r)
	if err != nil {
		t.Fatalf("Canonical: %v", err)
	}
	return c
}

func TestCanonicalRefuses(t *testing.T) {
	deep := strings.Repeat("[", MaxDataDepth+1) + strings.Repeat("]", MaxDataDepth+1)
	for name, data := range map[string]string{
		"invalid JSON":   `{"a":`,
		"duplicate key":  `{"a":1,"a":2}`,
		"lone surrogate": `{"a":"\ud800"}`,
		"too deep":       deep,
	} {
		r := &Record{ID: "t-000001", Data: wire.Raw(data)}
		if _, err := Canonical(r); err == nil {
			t.Errorf("%s: Canonical got: nil error want: an error", name)
		}
		r.Hash = strings.Repeat("0", 64)
		if ok, _, first, reason := Verify([]*Record{r}); ok || first != 0 {
			t.Errorf("%s: Verify got: valid=%v first=%d (%s) want: invalid at 0", name, ok, first, reason)
		}
	}
}

func TestKeyedHashes(t *testing.T) {
	key := []byte("0123456789abcdef")
	l := NewLog(key)
	for i := 0; i < 3; i++ {
		if _, err := l.Append(Entry{Tick: int64(i), Event: EventDispatch, Data: wire.Raw(`{"i":1}`)}); err != nil {
			t.Fatal(err)
		}
	}
	rs := l.Records()
	if ok, _, _, reason := VerifyWith(rs, VerifyOptions{Key: key}); !ok {
		t.Fatalf("keyed log under its key: %s", reason)
	}
	if ok, _, first, _ := Verify(rs); ok || first != 0 {
		t.Errorf("keyed log without the key got: valid=%v first=%d want: invalid at 0", ok, first)
	}
	if ok, _, first, _ := VerifyWith(rs, VerifyOptions{Key: []byte("another key 16 b")}); ok || first != 0 {
		t.Errorf("keyed log under another key got: valid=%v first=%d want: invalid at 0", ok, first)
	}
	// An edit re-hashed without the key (the attacker's best move) fails.
	var forged []*Record
	for _, r := range rs {
		forged = append(forged, r.Clone())
	}
	forged[1].Event = "complete"
	rehash(forged, 1)
	if ok, _, first, reason := VerifyWith(forged, VerifyOptions{Key: key}); ok || first != 1 || !strings.Contains(reason, "under the trace key") {
		t.Errorf("re-hashed chain got: valid=%v first=%d (%s) want: invalid at 1", ok, first, reason)
	}
	if _, err := FromRecords(rs, nil); err == nil {
		t.Errorf("FromRecords of a keyed trace without the key got: nil error")
	}
	if back, err := FromRecords(rs, key); err != nil || !back.Keyed() {
		t.Errorf("FromRecords under the key got: %v", err)
	}
}

func TestVerifyExpect(t *testing.T) {
	rs := sample(t).Records()
	n := len(rs)
	head := rs[n-1].Hash
	ptr := func(i int) *int { return &i }
	str := func(s string) *string { return &s }
	tests := []struct {
		name      string
		records   []*Record
		o         VerifyOptions
		wantValid bool
		wantFirst int
		reason    string
	}{
		{"intact", rs, VerifyOptions{ExpectCount: ptr(n), ExpectHead: str(head)}, true, -1, ""},
		{"truncated, count", rs[:n-1], VerifyOptions{ExpectCount: ptr(n)}, false, n - 1, "truncated"},
		{"truncated, head", rs[:n-2], VerifyOptions{ExpectHead: str(head)}, false, n - 2, "missing at the end"},
		{"all dropped", nil, VerifyOptions{ExpectCount: ptr(n), ExpectHead: str(head)}, false, 0, "truncated"},
		{"extended, count", rs, VerifyOptions{ExpectCount: ptr(n - 2)}, false, n - 2, "added after"},
		{"extended, head", rs, VerifyOptions{ExpectHead: str(rs[1].Hash)}, false, 2, "follow it"},
		{"empty expected empty", nil, VerifyOptions{ExpectCount: ptr(0), ExpectHead: str("")}, true, -1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			valid, count, first, reason := VerifyWith(tt.records, tt.o)
			if valid != tt.wantValid || first != tt.wantFirst || count != len(tt.records) || !strings.Contains(reason, tt.reason) {
				t.Errorf("VerifyWith got: valid=%v count=%d first=%d (%s) want: valid=%v first=%d (%s)", valid, count, first, reason, tt.wantValid, tt.wantFirst, tt.reason)
			}
		})
	}
}

func TestAppendUnknownParent(t *testing.T) {
	l := &Log{}
	if _, err := l.Append(Entry{Event: EventDispatch, CausalParent: "t-000009"}); err == nil {
		t.Fatalf("Append with unknown parent got: nil error want: UNKNOWN_NODE")
	}
	if l.Len() != 0 {
		t.Errorf("log length after failed append got: %d want: 0", l.Len())
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name      string
		tamper    func(rs []*Record) []*Record
		wantValid bool
		wantFirst int
		reason    string
	}{
		{"intact", func(rs []*Record) []*Record { return rs }, true, -1, ""},
		{"empty", func(rs []*Record) []*Record { return nil }, true, -1, ""},
		{"data edited", func(rs []*Record) []*Record { rs[2].Data = wire.Raw(`{"k":[1,3]}`); return rs }, false, 2, "does not match its content"},
		{"event edited", func(rs []*Record) []*Record { rs[1].Event = "fail"; return rs }, false, 1, "does not match its content"},
		{"rehashed edit breaks next link", func(rs []*Record) []*Record {
			rs[1].Actor = "step-z"
			rs[1].Hash = ComputeHash(rs[1])
			return rs
		}, false, 2, "prevHash"},
		{"record removed", func(rs []*Record) []*Record { return append(rs[:1], rs[2:]...) }, false, 1, "prevHash"},
		{"records swapped", func(rs []*Record) []*Record { rs[1], rs[2] = rs[2], rs[1]; return rs }, false, 1, "prevHash"},
		{"first prevHash set", func(rs []*Record) []*Record {
			rs[0].PrevHash = "00"
			rs[0].Hash = ComputeHash(rs[0])
			return rs[:1]
		}, false, 0, "empty prevHash"},
		{"duplicate id", func(rs []*Record) []*Record { rs[1].ID = rs[0].ID; return rs }, false, 1, "duplicate id"},
		{"missing id", func(rs []*Record) []*Record { rs[3].ID = ""; return rs }, false, 3, "no id"},
		{"forward causal parent", func(rs []*Record) []*Record {
			rs[1].CausalParent = "t-000004"
			rehash(rs, 1)
			return rs
		}, false, 1, "causal parent"},
		{"null record", func(rs []*Record) []*Record { rs[2] = nil; return rs }, false, 2, "null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rs []*Record
			for _, r := range sample(t).Records() {
				rs = append(rs, r.Clone())
			}
			rs = tt.tamper(rs)
			valid, count, first, reason := Verify(rs)
			if valid != tt.wantValid || first != tt.wantFirst || count != len(rs) {
				t.Errorf("Verify got: valid=%v count=%d first=%d (%s) want: valid=%v count=%d first=%d", valid, count, first, reason, tt.wantValid, len(rs), tt.wantFirst)
			}
			if !strings.Contains(reason, tt.reason) {
				t.Errorf("reason got: %q want it to contain %q", reason, tt.reason)
			}
		})
	}
}

// rehash recomputes the hashes from record i on, so only a non-hash check
// can fail.
func rehash(rs []*Record, i int) {
	for ; i < len(rs); i++ {
		if i > 0 {
			rs[i].PrevHash = rs[i-1].Hash
		}
		rs[i].Hash = ComputeHash(rs[i])
	}
}

func TestCausalChain(t *testing.T) {
	l := sample(t)
	tests := []struct {
		id   string
		want []string
	}{
		{"t-000001", []string{"t-000001"}},
		{"t-000003", []string{"t-000001", "t-000002", "t-000003"}},
		{"t-000004", []string{"t-000001", "t-000004"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			chain, err := l.CausalChain(tt.id)
			if err != nil {
				t.Fatalf("CausalChain(%s): %v", tt.id, err)
			}
			var got []string
			for _, r := range chain {
				got = append(got, r.ID)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("CausalChain(%s) got: %v want: %v", tt.id, got, tt.want)
			}
		})
	}
	if _, err := l.CausalChain("t-000099"); err == nil {
		t.Errorf("CausalChain(unknown) got: nil error want: UNKNOWN_NODE")
	}
}

func TestJSONLRoundTrip(t *testing.T) {
	l := sample(t)
	data := ExportJSONL(l.Records())
	if n := bytes.Count(data, []byte{'\n'}); n != 4 {
		t.Fatalf("lines got: %d want: 4", n)
	}
	// CRLF and blank lines are tolerated.
	crlf := bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n\n"))
	rs, err := ParseJSONL(crlf)
	if err != nil {
		t.Fatalf("ParseJSONL: %v", err)
	}
	if got := ExportJSONL(rs); !bytes.Equal(got, data) {
		t.Errorf("round trip got:\n%s want:\n%s", got, data)
	}
	if ok, _, first, reason := Verify(rs); !ok {
		t.Errorf("parsed records do not verify: %d %s", first, reason)
	}
	log2, err := FromRecords(rs, nil)
	if err != nil {
		t.Fatalf("FromRecords: %v", err)
	}
	r, err := log2.Append(Entry{Event: EventSessionEnd, CausalParent: "t-000001"})
	if err != nil || r.ID != "t-000005" || r.PrevHash != rs[3].Hash {
		t.Errorf("append after restore got: %+v, %v want: id t-000005 chained to t-000004", r, err)
	}
}

func TestParseJSONLErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not json", "{\"id\":\"t-1\"}\nnope\n", "line 2"},
		{"unknown field", `{"id":"t-1","bogus":1}`, "line 1"},
		{"trailing garbage", `{"id":"t-1"} x`, "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseJSONL([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseJSONL got: %v want: an error mentioning %q", err, tt.want)
			}
		})
	}
}

func TestFromRecordsRejectsTampered(t *testing.T) {
	rs := sample(t).Records()
	bad := rs[1].Clone()
	bad.Actor = "x"
	if _, err := FromRecords([]*Record{rs[0], bad}, nil); err == nil {
		t.Errorf("FromRecords(tampered) got: nil error want: INVALID_SNAPSHOT")
	}
}

func TestAddToGraph(t *testing.T) {
	l := sample(t)
	g := graph.New()
	if err := AddToGraph(g, l.Records()); err != nil {
		t.Fatalf("AddToGraph: %v", err)
	}
	nodes := g.NodesByKind(graph.KindTrace)
	if len(nodes) != 4 {
		t.Fatalf("trace nodes got: %d want: 4", len(nodes))
	}
	n := g.Node("t-000003")
	if n.Event != EventComplete || n.CausalParent != "t-000002" || n.Actor != "step-a" || *n.Tick != 2 || *n.At != 1500.5 || n.Hash != l.Records()[2].Hash || n.PrevHash != l.Records()[1].Hash {
		t.Errorf("trace node got: %+v", n)
	}
	if e := g.EdgesFrom("t-000003", graph.EdgeDerivesFrom); len(e) != 1 || e[0].To != "t-000002" {
		t.Errorf("derives_from edges of t-000003 got: %v want: one to t-000002", e)
	}
	// A second add collides and changes nothing.
	before := g.NodeCount()
	if err := AddToGraph(g, l.Records()); err == nil || g.NodeCount() != before {
		t.Errorf("duplicate AddToGraph got: err=%v nodes=%d want: error and %d nodes", err, g.NodeCount(), before)
	}
}

func TestCanonicalDataSpellings(t *testing.T) {
	// The same value spelled by different JSON libraries, with its keys in
	// any order, hashes alike.
	base := &Record{ID: "t-000001", Event: "complete", Data: wire.Raw(`{"cost":1e-05,"note":"<a>","ok":true,"n":[1,2.5,null]}`)}
	for _, spelling := range []string{
		`{"cost":0.00001,"note":"<a>","ok":true,"n":[1,2.50,null]}`,
		`{ "cost" : 1.0e-5, "note" : "\u003ca\u003e", "ok" : true, "n" : [ 1.0, 25e-1, null ] }`,
		`{"n":[1,2.5,null],"ok":true,"note":"<a>","cost":1e-05}`,
	} {
		r := base.Clone()
		r.Data = wire.Raw(spelling)
		if got, want := string(mustCanonical(t, r)), string(mustCanonical(t, base)); got != want {
			t.Errorf("Canonical(%s) got: %s want: %s", spelling, got, want)
		}
	}
	// A different value does not.
	r := base.Clone()
	r.Data = wire.Raw(`{"cost":1e-04,"note":"<a>","ok":true,"n":[1,2.5,null]}`)
	if ComputeHash(r) == ComputeHash(base) {
		t.Errorf("different data hash alike")
	}
}

// Truncate takes records back as if they were never appended: ids, bytes
// and the chain continue from the kept prefix.
func TestTruncate(t *testing.T) {
	l := sample(t)
	kept := l.Records()[1].Hash
	want := (&Log{})
	for _, r := range l.Records()[:2] {
		want.add(r)
	}
	l.Truncate(2)
	if l.Len() != 2 || l.Get("t-000003") != nil || l.LastHash() != kept || l.Bytes() != want.Bytes() {
		t.Fatalf("after Truncate(2) got: len %d, t-000003 %v, head %q, bytes %d want: len 2, nil, %q, %d",
			l.Len(), l.Get("t-000003"), l.LastHash(), l.Bytes(), kept, want.Bytes())
	}
	r, err := l.Append(Entry{Tick: 3, Event: EventDispatch, Actor: "step-c", CausalParent: "t-000001"})
	if err != nil || r.ID != "t-000003" || r.PrevHash != kept {
		t.Fatalf("append after Truncate got: %+v, %v", r, err)
	}
	l.Truncate(9)
	if l.Len() != 3 {
		t.Errorf("Truncate past the end got: len %d want: 3", l.Len())
	}
}
