package exec

import "testing"

// Rollback puts a session back exactly: at every tick of the rich
// scenario a step is taken, rolled back (the state is byte-identical to
// before it) and taken again (it gives the same result and state as the
// first time). It is what keeps a failed exec.report from leaving half a
// tick behind.
func TestRollbackRestoresEveryTick(t *testing.T) {
	s, err := NewScripted("s1", Input{Graph: mustGraph(t, richGraph), Contract: contract("c1")}, Options{MaxTicks: i64(30)}, mustScenario(t, richScenario))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartScripted(); err != nil {
		t.Fatal(err)
	}
	ticks := 0
	for s.Status() == StatusRunning {
		before := enc(sealed(t, s.Snapshot()))
		history := len(s.history)
		cp := s.Checkpoint()
		first, err := s.Step()
		if err != nil {
			t.Fatal(err)
		}
		want, after := enc(first), enc(sealed(t, s.Snapshot()))
		if err := s.Rollback(cp); err != nil {
			t.Fatalf("tick %d: rollback: %v", ticks, err)
		}
		if got := enc(sealed(t, s.Snapshot())); got != before {
			t.Fatalf("tick %d: state after rollback differs:\n got: %s\nwant: %s", ticks, got, before)
		}
		if len(s.history) != history {
			t.Fatalf("tick %d: history after rollback got: %d entries want: %d", ticks, len(s.history), history)
		}
		if err := s.Rollback(cp); err == nil {
			t.Fatal("a checkpoint was used twice")
		}
		again, err := s.Step()
		if err != nil {
			t.Fatal(err)
		}
		if got := enc(again); got != want {
			t.Fatalf("tick %d: the step after rollback differs:\n got: %s\nwant: %s", ticks, got, want)
		}
		if got := enc(sealed(t, s.Snapshot())); got != after {
			t.Fatalf("tick %d: the state after the repeated step differs", ticks)
		}
		ticks++
	}
	if ticks < 4 {
		t.Fatalf("the run is too short (%d ticks) to test anything", ticks)
	}
}
