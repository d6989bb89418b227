package exec

import (
	"github.com/convergence-io/ceg/core/internal/wire"
	"github.com/convergence-io/ceg/core/trace"
)

// AppendEvent appends a host event to the session's trace, at the
// session's current tick and host clock, hash-chained with the executor's
// own records. A causal parent must already be in the trace
// (UNKNOWN_NODE); actor defaults to "host".
func (s *Session) AppendEvent(event, actor, causalParent string, data wire.Raw) (*trace.Record, error) {
	if actor == "" {
		actor = "host"
	}
	return s.log.Append(trace.Entry{Tick: s.tick, At: s.now, Event: event, Actor: actor, CausalParent: causalParent, Data: data})
}

// TraceLog returns the session's trace log (read it, do not append to it
// except through AppendEvent).
func (s *Session) TraceLog() *trace.Log { return s.log }
