package plan

import (
	"fmt"
	"testing"

	"github.com/convergence-io/ceg/core/graph"
	"github.com/mailru/easyjson/jwriter"
)

// optimizeJSON plans and returns the plan's JSON.
func optimizeJSON(t *testing.T, in Input, opts Options) string {
	t.Helper()
	p, err := Optimize(in, opts)
	if err != nil {
		t.Fatal(err)
	}
	var w jwriter.Writer
	p.MarshalEasyJSON(&w)
	return string(w.Buffer.BuildBytes())
}

// TestCacheFollowsInPlaceChanges changes a node in place the way the
// executor does (dilation, activity), with Touch, and checks that a cached
// plan equals an uncached one after each change and that the id moves.
func TestCacheFollowsInPlaceChanges(t *testing.T) {
	in := DAGWorkload(12, 4, 7)
	cache := NewCache()
	opts := Options{Compiler: NewCompiler(0), Cache: cache}
	ids := map[string]bool{}
	changes := []func(g *graph.Graph){
		func(g *graph.Graph) {},
		func(g *graph.Graph) { g.Node("r001").Dilation = 2.5 },
		func(g *graph.Graph) { g.Node("i0003").Active = true },
		func(g *graph.Graph) { g.Node("r002").Dilation = 0.4 },
		func(g *graph.Graph) { g.AdvanceTick() },
	}
	for i, change := range changes {
		change(in.Graph)
		in.Graph.Touch()
		got := optimizeJSON(t, in, opts)
		want := optimizeJSON(t, in, Options{})
		if got != want {
			t.Fatalf("change %d: cached got: %s\nuncached want: %s", i, got, want)
		}
		p, _ := Optimize(in, opts)
		if ids[p.ID] {
			t.Fatalf("change %d: plan id %s repeated", i, p.ID)
		}
		ids[p.ID] = true
	}
	// One cache over two graphs: switching graphs rebuilds.
	other := DAGWorkload(12, 4, 8)
	if got, want := optimizeJSON(t, other, opts), optimizeJSON(t, other, Options{}); got != want {
		t.Fatalf("second graph: cached got: %s\nuncached want: %s", got, want)
	}
}

// TestCacheTouchIsNeeded documents the contract: an in-place change without
// Touch is invisible to the cache (which is why every in-place writer
// calls Touch).
func TestCacheTouchIsNeeded(t *testing.T) {
	in := ChatWorkload()
	opts := Options{Cache: NewCache()}
	before := optimizeJSON(t, in, opts)
	in.Graph.Node("openai").Dilation = 3
	if got := optimizeJSON(t, in, opts); got != before {
		t.Fatalf("without Touch the cache was expected to keep its index")
	}
	in.Graph.Touch()
	if got, want := optimizeJSON(t, in, opts), optimizeJSON(t, in, Options{}); got != want {
		t.Fatalf("after Touch got: %s\nwant: %s", got, want)
	}
}

func TestEstimatesEvictLeastRecentlyUsed(t *testing.T) {
	var e estimates
	for i := 0; i < estimateSlots; i++ {
		e.put(fmt.Sprint(i), float64(i))
	}
	e.get("0") // 0 is now the most recently used; 1 the least
	e.put("new", -1)
	if _, ok := e.get("1"); ok {
		t.Errorf("least recently used entry 1 was kept")
	}
	for _, k := range []string{"0", "2", "new"} {
		if _, ok := e.get(k); !ok {
			t.Errorf("entry %s was evicted", k)
		}
	}
	if len(e.at) != estimateSlots || len(e.slots) != estimateSlots {
		t.Errorf("size got: %d/%d want: %d", len(e.at), len(e.slots), estimateSlots)
	}
}
