package api_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/convergence-io/ceg/core/api"
	"github.com/convergence-io/ceg/internal/conformance"
)

const corpus = "../../testdata/conformance"

// TestConformance runs every shared vector against the native engine, each
// on a fresh engine. UPDATE_GOLDEN=1 rewrites the expected responses from
// the native engine; review the diff before committing it.
func TestConformance(t *testing.T) {
	vectors, err := conformance.Load(corpus)
	if err != nil {
		t.Fatal(err)
	}
	update := os.Getenv("UPDATE_GOLDEN") == "1"
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			got := api.New(api.Limits{}).Handle(v.Request)
			if update {
				if err := conformance.Write(v, got); err != nil {
					t.Fatal(err)
				}
				return
			}
			if !bytes.Equal(got, v.Response) {
				t.Errorf("%s: %s", v.File, conformance.Diff(got, v.Response))
			}
		})
	}
}
