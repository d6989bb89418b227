package graph

import (
	"reflect"
	"testing"
)

// TestNodeBytesCoversEveryField fails when a node field that holds
// variable-length data (a string, a slice, raw meta) is added without
// being counted by NodeBytes: such a field would escape the byte budgets.
func TestNodeBytesCoversEveryField(t *testing.T) {
	base := NodeBytes(&Node{})
	typ := reflect.TypeOf(Node{})
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		n := &Node{}
		v := reflect.ValueOf(n).Elem().Field(i)
		switch f.Type.Kind() {
		case reflect.String:
			v.SetString("0123456789")
		case reflect.Slice:
			switch f.Type.Elem().Kind() {
			case reflect.String:
				v.Set(reflect.ValueOf([]string{"0123456789"}))
			case reflect.Float64:
				v.Set(reflect.ValueOf([]float64{1, 2}))
			case reflect.Uint8:
				v.SetBytes([]byte(`{"a":"0123456789"}`))
			case reflect.Struct:
				v.Set(reflect.ValueOf([]Rule{{Effect: "allow"}}))
			default:
				t.Fatalf("field %s: unhandled slice type %s", f.Name, f.Type)
			}
		case reflect.Pointer:
			if f.Type.Elem().Kind() != reflect.Slice {
				continue // a pointer to a number or bool: fixed size
			}
			v.Set(reflect.ValueOf(&[]string{"0123456789"}))
		default:
			continue // numbers and bools: fixed size
		}
		if got := NodeBytes(n); got <= base {
			t.Errorf("field %s is not counted by NodeBytes", f.Name)
		}
	}
}

func TestBytesTrackChangesAndUndo(t *testing.T) {
	g := New()
	if err := g.AddNode(&Node{ID: "a", Kind: KindMemory, Content: "xxxx"}); err != nil {
		t.Fatal(err)
	}
	if err := g.AddNode(&Node{ID: "b", Kind: KindIntent}); err != nil {
		t.Fatal(err)
	}
	if _, err := g.AddEdge(&Edge{From: "b", To: "a", Kind: EdgeObserves}); err != nil {
		t.Fatal(err)
	}
	want := func() int {
		s := 0
		for _, n := range g.Nodes() {
			s += NodeBytes(n)
		}
		for _, e := range g.Edges() {
			s += EdgeBytes(e)
		}
		return s
	}
	if g.Bytes() != want() {
		t.Fatalf("bytes got: %d want: %d", g.Bytes(), want())
	}
	before := g.Bytes()
	err := g.Atomically(func() error {
		if _, err := g.RemoveNode("a"); err != nil {
			return err
		}
		if _, err := g.SwapNode("b", &Node{ID: "c", Kind: KindIntent, Text: "long text"}); err != nil {
			return err
		}
		if g.Bytes() != want() {
			t.Errorf("bytes inside the transaction got: %d want: %d", g.Bytes(), want())
		}
		return errFake
	})
	if err == nil || g.Bytes() != before || g.Bytes() != want() {
		t.Errorf("after undo bytes got: %d want: %d", g.Bytes(), before)
	}
	if c := g.Clone(); c.Bytes() != g.Bytes() {
		t.Errorf("clone bytes got: %d want: %d", c.Bytes(), g.Bytes())
	}
}

var errFake = &fakeErr{}

type fakeErr struct{}

func (*fakeErr) Error() string { return "fake" }
