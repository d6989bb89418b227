// Package ceg_test holds the tests of the repository's front page: the Go
// example README.md shows is Example in example_test.go, checked here, and
// run by `go test .` (make test-wasm, since it loads the built module).
package ceg_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestREADMEGoExample: the README's ```go block is a whole program whose
// imports are those of example_test.go and whose main body is Example's
// body (up to its Output comment), line for line. Example runs and checks
// its output, so the README's code compiles and prints what it says. Caught
// a README snippet with undefined req and ctx and no import paths.
func TestREADMEGoExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?ms)^```go\n(.*?)^```").FindAllSubmatch(readme, -1)
	if len(blocks) != 1 {
		t.Fatalf("README.md has %d ```go blocks, want: 1 (the program of Example in example_test.go)", len(blocks))
	}
	snippet := string(blocks[0][1])
	example, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}

	fset := token.NewFileSet()
	rf, err := parser.ParseFile(fset, "README.md", snippet, parser.ParseComments)
	if err != nil {
		t.Fatalf("README.md's Go example does not parse as a file: %v", err)
	}
	if rf.Name.Name != "main" {
		t.Errorf("README.md's Go example is package %s, want: main", rf.Name.Name)
	}
	ef, err := parser.ParseFile(fset, "example_test.go", example, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := imports(rf), imports(ef); !slices.Equal(got, want) {
		t.Errorf("README.md's Go example imports\n got: %q\nwant: %q (example_test.go)", got, want)
	}

	got := body(t, snippet, rf, fset, "main")
	want := body(t, string(example), ef, fset, "Example")
	if i := strings.Index(want, "// Output:"); i >= 0 {
		want = want[:i]
	}
	if g, w := lines(got), lines(want); !slices.Equal(g, w) {
		t.Errorf("README.md's func main differs from Example in example_test.go:\n got:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
}

// imports lists a file's import paths in order.
func imports(f *ast.File) []string {
	var out []string
	for _, s := range f.Imports {
		out = append(out, s.Path.Value)
	}
	return out
}

// body returns the source text between the braces of the named function.
func body(t *testing.T, src string, f *ast.File, fset *token.FileSet, name string) string {
	t.Helper()
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == name && fn.Body != nil {
			return src[fset.Position(fn.Body.Lbrace).Offset+1 : fset.Position(fn.Body.Rbrace).Offset]
		}
	}
	t.Fatalf("no func %s", name)
	return ""
}

// lines returns the non-blank lines of s, trimmed.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
