package plan

import (
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/state"
)

// Input is one optimize request: the graph G, the contract, the system
// state S and explicit cost weights. State and Weights may be nil.
// Optimize does not modify any of them.
type Input struct {
	Graph    *graph.Graph
	Contract *Contract
	State    *state.SystemState
	Weights  *CostWeights
	// NodeDilation makes D(r) each resource node's `dilation` field instead
	// of FromHealth over S. The executor sets it: it recomputes D every tick
	// from S itself, applies the dwell guard and writes D onto the nodes, so
	// the plan must use that D, not one recomputed without the guard.
	NodeDilation bool
}

// DefaultNodeBudget is the number of search nodes (partial assignments) the
// exact search may expand before it falls back to the heuristic.
const DefaultNodeBudget int64 = 200000

// Options tune one call. The zero value uses the defaults.
type Options struct {
	// NodeBudget bounds the exact search (DefaultNodeBudget when <= 0).
	NodeBudget int64
	// Compiler caches compiled predicates across calls; nil compiles into a
	// fresh cache that lives for the call only.
	Compiler *Compiler
	// Cache keeps the graph's index, the graph part of the plan id and
	// the estimates of intent texts between calls over the same graph; nil
	// computes them for the call only. See Cache.
	Cache *Cache
	// Buffer, when set, is memory Optimize builds its plan in (see
	// Buffer): the plan stays valid until the next call that uses the same
	// buffer. nil: the plan is the caller's to keep. Reoptimize ignores it.
	Buffer *Buffer
}

func (o Options) budget() int64 {
	if o.NodeBudget <= 0 {
		return DefaultNodeBudget
	}
	return o.NodeBudget
}

// Identifiers and constants of the plan (documented in doc.go).
const (
	// ImplicitIntentID is the id of the one intent made from the contract's
	// intent text when the graph has no intent node (the chat case).
	ImplicitIntentID = "intent"
	// StepPrefix prefixes an intent id to make its step id.
	StepPrefix = "step-"
	// PlanAction is the action authority rules are matched against.
	PlanAction = "execute"
	// LatencyTolerance multiplies τ into the step deadline.
	LatencyTolerance = 2.0
	// FailureThreshold is the breaker error count at which instability is 1.
	FailureThreshold = 3
	// Hysteresis is the relative improvement a pending step's cost must
	// exceed before reoptimize moves it.
	Hysteresis = 0.05
)

// StepID returns the step id of an intent.
func StepID(intentID string) string { return StepPrefix + intentID }
