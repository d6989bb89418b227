package exec

import (
	"github.com/convergence-io/ceg/core/dilation"
	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/plan"
	"github.com/convergence-io/ceg/core/state"
	"github.com/convergence-io/ceg/core/swap"
	"github.com/convergence-io/ceg/core/trace"
)

//go:generate go tool easyjson -no_std_marshalers -disallow_unknown_fields types.go

// Session statuses. A session is running until it reaches one of the four
// final statuses.
const (
	StatusRunning  = "running"
	StatusComplete = "complete"  // every step in scope is done
	StatusFailed   = "failed"    // some step exhausted its fallbacks and nothing is left to run
	StatusAborted  = "aborted"   // a critical constraint was violated while work was bound
	StatusMaxTicks = "max_ticks" // the tick budget ran out first
)

// Step statuses.
const (
	StepPending   = "pending"   // not dispatched yet, or waiting for its re-dispatch
	StepActive    = "active"    // dispatched; the host owes an outcome
	StepDone      = "done"      // an attempt succeeded
	StepFailed    = "failed"    // every allowed attempt failed
	StepCancelled = "cancelled" // a dependency failed, or the session was aborted
)

// Outcome statuses a host reports.
const (
	OutcomeOK      = "ok"
	OutcomeError   = "error"
	OutcomeTimeout = "timeout"
	OutcomeQuota   = "quota"
	// OutcomePending is a scenario-only status: the attempt is still in
	// flight this tick (no outcome is reported for it).
	OutcomePending = "pending"
)

// Action types the executor asks a host to perform.
const (
	ActionDispatch = "dispatch" // run the step on the resource
	ActionCancel   = "cancel"   // abandon an in-flight attempt (rolled back)
)

// Limits of the machine.
const (
	DefaultMaxTicks = 100  // ticks a session may run when options give none
	MaxAttempts     = 5    // attempts per step: min(5, candidates)
	DefaultTickMs   = 1000 // simulated host time per tick in exec.run
)

// Options tune a session.
//
//easyjson:json
type Options struct {
	MaxTicks *int64            `json:"maxTicks,omitempty"` // default 100
	Weights  *plan.CostWeights `json:"weights,omitempty"`  // explicit cost weights
	// SwapPolicy configures the session's hot-swap registry (default
	// swap.DefaultConfig).
	SwapPolicy *swap.Policy `json:"swapPolicy,omitempty"`
}

// Action is one instruction to the host.
//
//easyjson:json
type Action struct {
	Type       string              `json:"type"`
	Step       string              `json:"step"`
	Intent     string              `json:"intent"`
	Resource   string              `json:"resource"`
	Provider   string              `json:"provider"`
	Attempt    int                 `json:"attempt"`
	DeadlineMs float64             `json:"deadlineMs,omitempty"`
	Grounding  *dilation.Grounding `json:"grounding,omitempty"`
	Reason     string              `json:"reason,omitempty"`
	Trace      string              `json:"trace"`
}

// Outcome is what a host reports for one dispatched attempt. Attempt 0
// means the step's current attempt.
//
//easyjson:json
type Outcome struct {
	Step      string   `json:"step"`
	Attempt   int      `json:"attempt,omitempty"`
	Status    string   `json:"status"`
	LatencyMs *float64 `json:"latencyMs,omitempty"`
	Cost      *float64 `json:"cost,omitempty"`
	Tokens    *float64 `json:"tokens,omitempty"`
	// InputTokens and OutputTokens are the provider's reported usage (an
	// ok outcome); tokens defaults to their sum when absent.
	InputTokens  *float64 `json:"inputTokens,omitempty"`
	OutputTokens *float64 `json:"outputTokens,omitempty"`
	Error        string   `json:"error,omitempty"`
}

// TickResult is what Start and Report return: the tick that is now
// running, the session status, the actions for the host and the trace
// records written during the call.
//
//easyjson:json
type TickResult struct {
	Tick    int64           `json:"tick"`
	Status  string          `json:"status"`
	Actions []Action        `json:"actions"`
	Events  []*trace.Record `json:"events"`
	// Plan is the current plan when it changed during the call (a `plan`
	// record is among the events): always on exec.start, then only when the
	// assignment or feasibility moved. Hosts read failover chains here.
	Plan *plan.Plan `json:"plan,omitempty"`
}

// Violation is a hard or critical constraint found false for a bound step.
//
//easyjson:json
type Violation struct {
	Constraint string `json:"constraint"`
	Severity   string `json:"severity"`
	Step       string `json:"step"`
	Intent     string `json:"intent"`
	Resource   string `json:"resource"`
	Detail     string `json:"detail,omitempty"`
	Trace      string `json:"trace"`
}

// ExecutorStep is one tick of a session as exec.run reports it.
//
//easyjson:json
type ExecutorStep struct {
	Tick int64 `json:"tick"`
	// Plan is the plan in force after the tick when its assignment or
	// feasibility changed (always on the first step); omitted otherwise —
	// the previous step's plan still holds.
	Plan        *plan.Plan  `json:"plan,omitempty"`
	Swaps       []swap.Swap `json:"swaps"`
	Violations  []Violation `json:"violations"`
	TraceIDs    []string    `json:"traceIds"`
	Projections StringMap   `json:"projections"`
	Complete    bool        `json:"complete"`
}

// Summary sums up a run.
//
//easyjson:json
type Summary struct {
	Ticks             int64  `json:"ticks"`
	Status            string `json:"status"`
	Violations        int    `json:"violations"`
	Swaps             int    `json:"swaps"`
	FinalPlanFeasible bool   `json:"finalPlanFeasible"`
}

// RunResult is the result of a simulation.
//
//easyjson:json
type RunResult struct {
	Steps   []ExecutorStep  `json:"steps"`
	Summary Summary         `json:"summary"`
	Trace   []*trace.Record `json:"trace"`
}

// Scenario scripts a simulation (exec.run). Each dispatch's outcome comes
// from the first rule in Outcomes that matches it; otherwise from Model
// when given (seeded); otherwise it succeeds at the step's estimated
// latency and cost. Events change S or the graph at the start of a tick.
//
//easyjson:json
type Scenario struct {
	Seed     uint64          `json:"seed,omitempty"`
	TickMs   float64         `json:"tickMs,omitempty"` // host time per tick (default 1000)
	Outcomes []ScriptRule    `json:"outcomes,omitempty"`
	Events   []ScenarioEvent `json:"events,omitempty"`
	Model    *OutcomeModel   `json:"model,omitempty"`
}

// ScriptRule matches attempts in flight by tick range, provider, resource,
// step and attempt (each optional) and gives their outcome for that tick:
// ok, error, timeout, quota, or pending (no outcome yet: the attempt stays
// in flight, until its deadline times it out).
//
//easyjson:json
type ScriptRule struct {
	Tick      *int64   `json:"tick,omitempty"`     // exactly this tick
	FromTick  *int64   `json:"fromTick,omitempty"` // from this tick on
	ToTick    *int64   `json:"toTick,omitempty"`   // up to this tick
	Provider  string   `json:"provider,omitempty"`
	Resource  string   `json:"resource,omitempty"`
	Step      string   `json:"step,omitempty"`
	Attempt   int      `json:"attempt,omitempty"`
	Status    string   `json:"status"`
	LatencyMs *float64 `json:"latencyMs,omitempty"`
	Cost      *float64 `json:"cost,omitempty"`
	Tokens    *float64 `json:"tokens,omitempty"`
	// InputTokens and OutputTokens are the usage an ok outcome reports.
	InputTokens  *float64 `json:"inputTokens,omitempty"`
	OutputTokens *float64 `json:"outputTokens,omitempty"`
}

// ScenarioEvent changes the world at the start of a tick: a provider's
// health or latency in S (a negative value removes it), a constraint's
// satisfied flag, the governing authority scope, or a manual swap request.
//
//easyjson:json
type ScenarioEvent struct {
	Tick           int64    `json:"tick"`
	Provider       string   `json:"provider,omitempty"`
	Health         *float64 `json:"health,omitempty"`
	LatencyMs      *float64 `json:"latencyMs,omitempty"`
	Constraint     string   `json:"constraint,omitempty"`
	Satisfied      *bool    `json:"satisfied,omitempty"`
	AuthorityScope *string  `json:"authorityScope,omitempty"`
	Swap           string   `json:"swap,omitempty"`
}

// OutcomeModel draws outcomes from a seeded generator: per provider, the
// probabilities of error, timeout and quota (the rest succeed) and a
// latency jitter (a fraction of the estimate, uniform in ±jitter).
//
//easyjson:json
type OutcomeModel struct {
	ErrorRate   float64         `json:"errorRate,omitempty"`
	TimeoutRate float64         `json:"timeoutRate,omitempty"`
	QuotaRate   float64         `json:"quotaRate,omitempty"`
	Jitter      float64         `json:"jitter,omitempty"`
	Providers   []ProviderModel `json:"providers,omitempty"`
}

// ProviderModel overrides the model's rates for one provider.
//
//easyjson:json
type ProviderModel struct {
	Provider    string  `json:"provider"`
	ErrorRate   float64 `json:"errorRate,omitempty"`
	TimeoutRate float64 `json:"timeoutRate,omitempty"`
	QuotaRate   float64 `json:"quotaRate,omitempty"`
}

// StepState is the executor's record of one step.
//
//easyjson:json
type StepState struct {
	ID           string   `json:"id"`
	Intent       string   `json:"intent"`
	Status       string   `json:"status"`
	Resource     string   `json:"resource"`
	Provider     string   `json:"provider"`
	Chain        []string `json:"chain"` // failover order fixed at the first dispatch
	Tried        []string `json:"tried"`
	Attempt      int      `json:"attempt"`  // number of the last attempt dispatched
	Failures     int      `json:"failures"` // failed attempts
	DispatchedAt float64  `json:"dispatchedAt"`
	DeadlineMs   float64  `json:"deadlineMs"`
	Trace        string   `json:"trace"` // the record the step's next event descends from
	LatencyMs    *float64 `json:"latencyMs,omitempty"`
	Cost         *float64 `json:"cost,omitempty"`
	Tokens       *float64 `json:"tokens,omitempty"`
	InputTokens  *float64 `json:"inputTokens,omitempty"`
	OutputTokens *float64 `json:"outputTokens,omitempty"`
	Reason       string   `json:"reason,omitempty"`
}

// FieldEntry is one node's D and dwell count.
//
//easyjson:json
type FieldEntry struct {
	ID    string  `json:"id"`
	D     float64 `json:"d"`
	Dwell int     `json:"dwell"`
}

// Mark pairs a node with a trace record (its last activation).
//
//easyjson:json
type Mark struct {
	ID    string `json:"id"`
	Trace string `json:"trace"`
}

// Snapshot is a whole session: restoring it gives a session that continues
// byte-identically.
//
//easyjson:json
type Snapshot struct {
	Version     int                `json:"version"`
	Module      string             `json:"module"`
	Session     string             `json:"session"`
	Status      string             `json:"status"`
	Tick        int64              `json:"tick"`
	Ticks       int64              `json:"ticks"`
	Now         float64            `json:"now"`
	MaxTicks    int64              `json:"maxTicks"`
	Graph       *graph.Doc         `json:"graph"`
	Contract    *plan.Contract     `json:"contract"`
	State       *state.SystemState `json:"state"`
	Effective   *state.SystemState `json:"effective,omitempty"`
	Weights     *plan.CostWeights  `json:"weights,omitempty"`
	Plan        *plan.Plan         `json:"plan"`
	Steps       []*StepState       `json:"steps"`
	Breakers    state.BreakerMap   `json:"breakers"`
	Field       []FieldEntry       `json:"field"`
	Registry    swap.State         `json:"registry"`
	SwapPolicy  *swap.Policy       `json:"swapPolicy,omitempty"` // absent: the default policy
	Activations []Mark             `json:"activations"`
	Violated    []string           `json:"violated"`
	Blocked     []string           `json:"blocked"`
	Refused     []string           `json:"refused"`
	Manual      []string           `json:"manual"`
	Ran         []string           `json:"ran"`
	Root        string             `json:"root"`
	PlanRecord  string             `json:"planRecord"`
	Violations  int                `json:"violations"`
	Swaps       int                `json:"swaps"`
	RNG         uint64             `json:"rng"`
	Scenario    *Scenario          `json:"scenario,omitempty"`
	Trace       []*trace.Record    `json:"trace"`
	// Digest is the hex SHA-256 (HMAC-SHA-256 under the trace key, when one
	// is set) of the RFC 8785 form of the snapshot without this field.
	Digest string `json:"digest,omitempty"`
}
