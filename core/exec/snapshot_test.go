package exec

import (
	"strings"
	"testing"

	"github.com/convergence-io/ceg/core/graph"
)

// richScenario exercises everything a snapshot must carry: an in-flight
// attempt, a swap, breakers that open and recover, the dwell guard's
// counts, a seeded model and a manual swap request.
const richGraph = `{"nodes":[
	{"id":"a","kind":"intent","text":"first"},{"id":"b","kind":"intent"},{"id":"c","kind":"intent"},
	{"id":"r1","kind":"resource","provider":"p1","costPerToken":0.00001},
	{"id":"r2","kind":"resource","provider":"p2","costPerToken":0.00002},
	{"id":"r3","kind":"resource","provider":"p3","costPerToken":0.000015},
	{"id":"v","kind":"projection","sources":["b","r3"]},
	{"id":"k","kind":"constraint","severity":"soft","predicate":"money < 0.025"}],
	"edges":[{"from":"b","to":"a","kind":"requires"},{"from":"c","to":"b","kind":"requires"},
	{"from":"r1","to":"r3","kind":"swaps_to"},{"from":"r2","to":"r3","kind":"swaps_to"}]}`

const richScenario = `{"seed":42,"tickMs":2000,
	"outcomes":[{"tick":0,"status":"pending"},{"provider":"p3","fromTick":2,"toTick":4,"status":"error"},{"step":"step-c","tick":5,"status":"quota"}],
	"events":[{"tick":1,"provider":"p1","health":0.3},{"tick":3,"provider":"p1","health":-1},{"tick":6,"swap":"r2"}],
	"model":{"errorRate":0.25,"jitter":0.1}}`

func TestSnapshotRestoreContinues(t *testing.T) {
	in := func() Input { return Input{Graph: mustGraph(t, richGraph), Contract: contract("c1")} }
	opts := Options{MaxTicks: i64(30)}
	// The uninterrupted run.
	ref, err := NewScripted("s1", in(), opts, mustScenario(t, richScenario))
	if err != nil {
		t.Fatal(err)
	}
	var refSnaps []string
	r, err := ref.StartScripted()
	if err != nil {
		t.Fatal(err)
	}
	results := []string{enc(r)}
	for {
		refSnaps = append(refSnaps, enc(sealed(t, ref.Snapshot())))
		if ref.Status() != StatusRunning {
			break
		}
		r, err := ref.Step()
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, enc(r))
	}
	if len(refSnaps) < 4 {
		t.Fatalf("the reference run is too short (%d ticks) to test anything", len(refSnaps))
	}
	final := refSnaps[len(refSnaps)-1]
	// Restore from every tick's snapshot (through its JSON) and continue.
	for k, js := range refSnaps {
		var sn Snapshot
		decode(t, js, &sn)
		s, err := Restore(&sn, RestoreOptions{Module: testModule})
		if err != nil {
			t.Fatalf("restore at %d: %v", k, err)
		}
		if got := enc(sealed(t, s.Snapshot())); got != js {
			t.Fatalf("snapshot %d does not round-trip:\n got: %s\nwant: %s", k, got, js)
		}
		for i := k + 1; s.Status() == StatusRunning; i++ {
			r, err := s.Step()
			if err != nil {
				t.Fatalf("restored at %d, step %d: %v", k, i, err)
			}
			if got := enc(r); got != results[i] {
				t.Fatalf("restored at %d, tick result %d differs:\n got: %s\nwant: %s", k, i, got, results[i])
			}
		}
		if got := enc(sealed(t, s.Snapshot())); got != final {
			t.Errorf("restored at %d: final state differs", k)
		}
	}
	if !strings.Contains(final, `"swaps":`) || ref.nSwaps == 0 {
		t.Errorf("the reference run made no swap; the scenario no longer covers swaps")
	}
}

// testModule is the module version the tests seal snapshots with.
const testModule = "ceg test"

// sealed seals sn as the api layer does (module and unkeyed digest).
func sealed(t *testing.T, sn *Snapshot) *Snapshot {
	t.Helper()
	if err := sn.Seal(testModule, nil); err != nil {
		t.Fatal(err)
	}
	return sn
}

func TestRestoreRejectsBadSnapshots(t *testing.T) {
	s, _, err := Start("s1", Input{Graph: mustGraph(t, chatGraph), Contract: contract("c1")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	good := enc(sealed(t, s.Snapshot()))
	tests := []struct {
		name string
		edit func(sn *Snapshot)
	}{
		{"version", func(sn *Snapshot) { sn.Version = 99 }},
		{"status", func(sn *Snapshot) { sn.Status = "zombie" }},
		{"no graph", func(sn *Snapshot) { sn.Graph = nil }},
		{"tampered trace", func(sn *Snapshot) { sn.Trace[1].Actor = "mallory" }},
		{"activation of a missing record", func(sn *Snapshot) { sn.Activations[0].Trace = "t-999999" }},
		{"active step without its resource", func(sn *Snapshot) { sn.Steps[0].Resource = "ghost" }},
		{"duplicate steps", func(sn *Snapshot) { sn.Steps = append(sn.Steps, sn.Steps[0]) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sn Snapshot
			decode(t, good, &sn)
			tt.edit(&sn)
			// Unsealed, the edit breaks the digest; re-sealed (a forger
			// without a trace key), the content checks still catch it.
			if _, err := Restore(&sn, RestoreOptions{Module: testModule}); err == nil || !strings.Contains(err.Error(), "INVALID_SNAPSHOT") {
				t.Errorf("Restore got: %v want: INVALID_SNAPSHOT", err)
			}
			if sn.Seal(testModule, nil) != nil {
				return // not even encodable
			}
			if _, err := Restore(&sn, RestoreOptions{Module: testModule}); err == nil || !strings.Contains(err.Error(), "INVALID_SNAPSHOT") {
				t.Errorf("re-sealed: Restore got: %v want: INVALID_SNAPSHOT", err)
			}
		})
	}
	for name, o := range map[string]RestoreOptions{
		"another module": {Module: "ceg 9.9.9"},
		"another key":    {Module: testModule, TraceKey: []byte("0123456789abcdef")},
	} {
		var sn Snapshot
		decode(t, good, &sn)
		if _, err := Restore(&sn, o); err == nil || !strings.Contains(err.Error(), "INVALID_SNAPSHOT") {
			t.Errorf("%s: Restore got: %v want: INVALID_SNAPSHOT", name, err)
		}
	}
	var sn Snapshot
	decode(t, good, &sn)
	if _, err := Restore(&sn, RestoreOptions{Module: testModule, Limits: graph.Limits{MaxNodes: 1}}); err == nil || !strings.Contains(err.Error(), "LIMIT_EXCEEDED") {
		t.Errorf("over the node limit: Restore got: %v want: LIMIT_EXCEEDED", err)
	}
}
