package trace

import (
	"encoding/json"
	"testing"

	"github.com/convergence-io/ceg/core/internal/wire"
)

// FuzzCanonicalStoreRoundTrip: whatever data a record holds, a store that
// keeps JSON values but not bytes — here Go's encoding/json through a map,
// which sorts keys and re-spells numbers — gives back a record with the
// same hash (or data that could not be canonicalised in the first place).
func FuzzCanonicalStoreRoundTrip(f *testing.F) {
	for _, s := range []string{`{"b":1,"a":[1e-5,"x"]}`, `{"z":{"y":[0.1,2e21,-0]},"a":"\u00e9<>"}`, `[]`, `"s"`, `1.5`, `{"a":{"b":{"c":null}}}`} {
		f.Add(s, []byte{})
		f.Add(s, []byte("0123456789abcdef"))
	}
	f.Fuzz(func(t *testing.T, data string, key []byte) {
		r := &Record{ID: "t-000001", Tick: 7, At: 12.5, Event: "x", Actor: "a", Data: wire.Raw(data)}
		h, err := Hash(key, r)
		if err != nil || data == "" {
			return // not canonicalisable, or absent data (hashed as null)
		}
		var v any
		if json.Unmarshal([]byte(data), &v) != nil {
			t.Fatalf("canonicalised data that encoding/json cannot read: %q", data)
		}
		back, err := json.Marshal(v)
		if err != nil {
			return // a value encoding/json cannot write back (none known)
		}
		r2 := r.Clone()
		r2.Data = wire.Raw(back)
		h2, err := Hash(key, r2)
		if err != nil {
			t.Fatalf("round-tripped data %s (from %q) cannot be canonicalised: %v", back, data, err)
		}
		if h != h2 {
			t.Fatalf("hash changed after a map round trip: %q -> %s", data, back)
		}
	})
}

// FuzzVerifyExpect: cutting any number of records from the end of a
// genuine log, or giving any expectation it does not meet, never verifies
// when the kept count and head are checked.
func FuzzVerifyExpect(f *testing.F) {
	f.Add(uint8(0), uint8(5), false)
	f.Add(uint8(2), uint8(5), true)
	f.Add(uint8(5), uint8(5), true)
	f.Fuzz(func(t *testing.T, cut, size uint8, keyed bool) {
		n := int(size%12) + 1
		var key []byte
		if keyed {
			key = []byte("fuzz key of 16 b")
		}
		l := NewLog(key)
		for i := 0; i < n; i++ {
			if _, err := l.Append(Entry{Tick: int64(i), Event: EventDispatch, Data: wire.Raw(`{"i":1}`)}); err != nil {
				t.Fatal(err)
			}
		}
		rs := l.Records()
		head, count := l.LastHash(), n
		kept := rs[:n-int(cut)%(n+1)]
		valid, _, first, reason := VerifyWith(kept, VerifyOptions{Key: key, ExpectHead: &head, ExpectCount: &count})
		if len(kept) == n {
			if !valid {
				t.Fatalf("intact log of %d: %s", n, reason)
			}
			return
		}
		if valid || first != len(kept) {
			t.Fatalf("log cut from %d to %d got: valid=%v first=%d (%s) want: invalid at %d", n, len(kept), valid, first, reason, len(kept))
		}
		// The head alone catches it too.
		if valid, _, _, _ := VerifyWith(kept, VerifyOptions{Key: key, ExpectHead: &head}); valid {
			t.Fatalf("log cut from %d to %d verified against the head", n, len(kept))
		}
	})
}
