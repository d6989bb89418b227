package wire

import (
	"reflect"
	"testing"
)

func TestSkip(t *testing.T) {
	tests := []struct{ data, want string }{
		{`{"a":"]}"}, 1`, `{"a":"]}"}`},
		{`  [1,[2,{"x":"\"]"}]] x`, `[1,[2,{"x":"\"]"}]]`},
		{`"q\"uote" ,`, `"q\"uote"`},
		{`-1.5e3,`, `-1.5e3`},
		{`true]`, `true`},
		{`null`, `null`},
	}
	for _, tt := range tests {
		start := skipSpace([]byte(tt.data), 0)
		if got := tt.data[start:Skip([]byte(tt.data), 0)]; got != tt.want {
			t.Errorf("Skip(%q) got: %q want: %q", tt.data, got, tt.want)
		}
	}
}

func TestMembersAndElements(t *testing.T) {
	var keys, vals []string
	ok := Members([]byte(` { "a" : 1 , "b\u0041":{"c":[1,2]}, "d":"}" } `), func(k string, v []byte) bool {
		keys, vals = append(keys, k), append(vals, string(v))
		return true
	})
	if !ok || !reflect.DeepEqual(keys, []string{"a", "bA", "d"}) || !reflect.DeepEqual(vals, []string{"1", `{"c":[1,2]}`, `"}"`}) {
		t.Errorf("Members got: %v %v %v", ok, keys, vals)
	}
	if Members([]byte(`[1]`), func(string, []byte) bool { return true }) {
		t.Error("Members accepted an array")
	}
	var els []string
	if !Elements([]byte(`[ {"a":[1]} , 2,"x" ]`), func(v []byte) { els = append(els, string(v)) }) ||
		!reflect.DeepEqual(els, []string{`{"a":[1]}`, "2", `"x"`}) {
		t.Errorf("Elements got: %v", els)
	}
	if Elements([]byte(`{}`), func([]byte) {}) {
		t.Error("Elements accepted an object")
	}
}

func TestDepth(t *testing.T) {
	for _, tt := range []struct {
		data string
		want int
	}{{`1`, 0}, {`[]`, 1}, {`{"a":[{"b":"[[[["}]}`, 3}, {`[[],[[]]]`, 3}} {
		if got := Depth([]byte(tt.data)); got != tt.want {
			t.Errorf("Depth(%s) got: %d want: %d", tt.data, got, tt.want)
		}
	}
}
