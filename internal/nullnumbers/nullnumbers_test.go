package nullnumbers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRewrite(t *testing.T) {
	src := `		case "a":
			if in.IsNull() {
				in.Skip()
			} else {
				out.A = float64(in.Float64())
			}
		case "b":
			if in.IsNull() {
				in.Skip()
				out.B = nil
			} else {
				if out.B == nil {
					out.B = new(int64)
				}
				if in.IsNull() {
					in.Skip()
				} else {
					*out.B = int64(in.Int64())
				}
			}
		case "s":
			if in.IsNull() {
				in.Skip()
			} else {
				out.S = string(in.String())
			}
`
	got, n := Rewrite([]byte(src))
	if n != 3 { // a, b's inner value, b's pointer
		t.Errorf("rewrote %d decoders, want 3", n)
	}
	flat := strings.Join(strings.Fields(string(got)), " ") // gofmt fixes the indentation later
	for _, want := range []string{`case "a": out.A = float64(in.Float64()) case "b":`, `case "b": if out.B == nil { out.B = new(int64) } *out.B = int64(in.Int64()) case "s":`} {
		if !strings.Contains(flat, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if !strings.Contains(string(got), "out.S = string(in.String())") || strings.Count(string(got), "in.IsNull()") != 1 {
		t.Errorf("the string field must keep its null check:\n%s", got)
	}
}

// TestGeneratedCodeIsRewritten fails when a generated decoder still lets a
// number field take null as absent (a stale generate, or an easyjson
// upgrade that changed the shape the rewrite recognises).
func TestGeneratedCodeIsRewritten(t *testing.T) {
	files, _ := filepath.Glob("../../core/*/*_easyjson.go")
	if len(files) == 0 {
		t.Fatal("no generated files found")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, n := Rewrite(src); n != 0 {
			t.Errorf("%s: %d number decoders still skip null; run make generate", f, n)
		}
	}
}
