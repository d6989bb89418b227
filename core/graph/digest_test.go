package graph

import (
	"reflect"
	"testing"
)

// variants returns one value per field of the struct type t (recursing into
// slices of structs and pointers), each differing from the zero struct in
// that field only. A field of a kind it does not know fails the test, so a
// new field type must be taught to AppendDigest and here.
func variants(t *testing.T, typ reflect.Type) []reflect.Value {
	t.Helper()
	var out []reflect.Value
	for i := 0; i < typ.NumField(); i++ {
		for _, fv := range fieldValues(t, typ.Field(i).Type, typ.Field(i).Name) {
			v := reflect.New(typ).Elem()
			v.Field(i).Set(fv)
			out = append(out, v)
		}
	}
	return out
}

// fieldValues returns non-zero values of type ft that must all encode
// differently from the zero value and from each other.
func fieldValues(t *testing.T, ft reflect.Type, name string) []reflect.Value {
	t.Helper()
	one := func(x any) []reflect.Value { return []reflect.Value{reflect.ValueOf(x).Convert(ft)} }
	switch ft.Kind() {
	case reflect.String:
		return one("x")
	case reflect.Bool:
		return one(true)
	case reflect.Float64:
		return one(1.5)
	case reflect.Int64:
		return one(int64(3))
	case reflect.Slice:
		switch ft.Elem().Kind() {
		case reflect.Uint8:
			return one([]byte(`{"a":1}`))
		case reflect.String:
			return one([]string{"x"})
		case reflect.Float64:
			return one([]float64{1.5})
		case reflect.Struct:
			var out []reflect.Value
			for _, ev := range variants(t, ft.Elem()) {
				s := reflect.MakeSlice(ft, 1, 1)
				s.Index(0).Set(ev)
				out = append(out, s)
			}
			return out
		}
	case reflect.Pointer:
		zero := reflect.New(ft.Elem()) // present but zero: differs from absent
		out := []reflect.Value{zero}
		for _, ev := range fieldValues(t, ft.Elem(), name) {
			p := reflect.New(ft.Elem())
			p.Elem().Set(ev)
			out = append(out, p)
		}
		return out
	}
	t.Fatalf("field %s: type %s is not covered by the digest test; teach AppendDigest and this test", name, ft)
	return nil
}

// TestDigestCoversEveryField sets each field of Node and Edge in turn and
// checks that every variant has its own digest.
func TestDigestCoversEveryField(t *testing.T) {
	seen := map[string]int{string((&Node{}).AppendDigest(nil)): -1}
	for i, v := range variants(t, reflect.TypeFor[Node]()) {
		n := v.Addr().Interface().(*Node)
		k := string(n.AppendDigest(nil))
		if j, dup := seen[k]; dup {
			t.Errorf("node variant %d (%+v) encodes like variant %d", i, n, j)
		}
		seen[k] = i
	}
	seen = map[string]int{string((&Edge{}).AppendDigest(nil)): -1}
	for i, v := range variants(t, reflect.TypeFor[Edge]()) {
		e := v.Addr().Interface().(*Edge)
		k := string(e.AppendDigest(nil))
		if j, dup := seen[k]; dup {
			t.Errorf("edge variant %d (%+v) encodes like variant %d", i, e, j)
		}
		seen[k] = i
	}
}

// TestDigestBoundaries checks that length prefixes keep adjacent fields
// apart.
func TestDigestBoundaries(t *testing.T) {
	a := (&Edge{From: "ab", To: "c", Kind: "requires"}).AppendDigest(nil)
	b := (&Edge{From: "a", To: "bc", Kind: "requires"}).AppendDigest(nil)
	if string(a) == string(b) {
		t.Fatal("(ab, c) and (a, bc) encode alike")
	}
	x := (&Node{ID: "n", Capabilities: []string{"a", "b"}}).AppendDigest(nil)
	y := (&Node{ID: "n", Capabilities: []string{"a"}, Labels: []string{"b"}}).AppendDigest(nil)
	if string(x) == string(y) {
		t.Fatal("capabilities [a b] and capabilities [a] labels [b] encode alike")
	}
}
