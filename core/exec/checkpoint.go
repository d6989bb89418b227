package exec

import (
	"errors"
	"fmt"

	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/plan"
)

// Checkpoint is a session's state between two calls, kept so that a call
// that fails after it began to change the session (an answer over the
// response budget, an internal error, a recovered panic) can be taken
// back whole: Rollback. It is what a snapshot holds, with the graph as a
// private copy and the trace as its length (a trace only grows, so the
// records up to that length are the checkpoint's).
type Checkpoint struct {
	state        *Snapshot // without graph and trace
	g            *graph.Graph
	logLen       int
	history      int
	lastRecorded *plan.Plan
}

// Checkpoint returns the session's current state for Rollback. It costs a
// copy of the working graph and of the per-step state, not of the trace.
func (s *Session) Checkpoint() *Checkpoint {
	return &Checkpoint{state: s.snapshotState(), g: s.g.Clone(), logLen: s.log.Len(), history: len(s.history), lastRecorded: s.lastRecorded}
}

// Rollback puts the session back into the state of cp, taken from this
// session with no Rollback since: the trace loses what was appended after
// it, everything else is as it was. A checkpoint is used at most once.
func (s *Session) Rollback(cp *Checkpoint) error {
	if cp == nil || cp.g == nil {
		return errors.New("exec: rollback: the checkpoint was used already")
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("exec: rollback: "+format, args...)
	}
	s.log.Truncate(cp.logLen)
	r, err := rebuild(cp.state, cp.g, cp.state.Contract, s.log, bad)
	cp.g = nil
	if err != nil {
		return err
	}
	r.comp = s.comp // the compiled predicates stay valid
	r.record, r.history, r.lastRecorded = s.record, s.history[:cp.history], cp.lastRecorded
	*s = *r
	return nil
}

// CheckReport returns the error Report would give for these arguments
// before it changes anything (a session that has ended, a bad now, a bad
// outcome), or nil.
func (s *Session) CheckReport(now float64, outcomes []Outcome) error {
	return s.checkReport(now, outcomes)
}
