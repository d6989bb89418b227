package testrunner

import (
	"bytes"
	"testing"

	"github.com/convergence-io/ceg/internal/conformance"
)

// TestConformance runs every shared vector against the shipped module, each
// on a fresh instance, and requires byte-identical responses.
func TestConformance(t *testing.T) {
	vectors, err := conformance.Load("../testdata/conformance")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			m := fresh(t)
			got, err := m.Call(v.Request)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, v.Response) {
				t.Errorf("%s: %s", v.File, conformance.Diff(got, v.Response))
			}
		})
	}
}
