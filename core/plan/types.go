package plan

import "github.com/convergence-io/ceg/core/dilation"

// Contract is the ExecutionContract (docs/DESIGN.md#data-model). Defaults are applied by
// (*Contract).Normalize.
//
//easyjson:json
type Contract struct {
	ID                 string       `json:"id"`
	Intent             string       `json:"intent,omitempty"`
	Intents            []string     `json:"intents,omitempty"`
	Constraints        Limits       `json:"constraints"`
	AllowedProviders   ProviderList `json:"allowedProviders,omitempty"` // absent: all; []: none
	ForbiddenProviders []string     `json:"forbiddenProviders,omitempty"`
	IdentityScope      string       `json:"identityScope,omitempty"`
	Weights            *CostWeights `json:"weights,omitempty"`
}

// Limits are the contract's hard limits and policies.
//
//easyjson:json
type Limits struct {
	MaxCost      *float64 `json:"maxCost,omitempty"`
	MaxLatencyMs *float64 `json:"maxLatencyMs,omitempty"`
	Determinism  bool     `json:"determinism,omitempty"`
	// DeterminismLevel is the original CEG's graded determinism (0..1):
	// carried with the contract for hosts (a sampling temperature, say),
	// never a filter. Determinism is the hard requirement.
	DeterminismLevel *float64 `json:"determinismLevel,omitempty"`
	MemoryPolicy     string   `json:"memoryPolicy,omitempty"`
	ExternalIo       string   `json:"externalIo,omitempty"`
}

// CostWeights weigh the four cost terms (defaults 0.3/0.4/0.2/0.1).
//
//easyjson:json
type CostWeights struct {
	Latency     *float64 `json:"latency,omitempty"`
	Compute     *float64 `json:"compute,omitempty"`
	Risk        *float64 `json:"risk,omitempty"`
	Instability *float64 `json:"instability,omitempty"`
}

// Plan is the ExecutionPlan (docs/DESIGN.md#data-model).
//
//easyjson:json
type Plan struct {
	ID             string         `json:"id"`
	ContractID     string         `json:"contractId"`
	Steps          []*Step        `json:"steps"`
	TotalCost      float64        `json:"totalCost"`
	TotalLatencyMs float64        `json:"totalLatencyMs"`
	Objective      float64        `json:"objective"`
	Feasible       bool           `json:"feasible"`
	Optimal        bool           `json:"optimal"`
	Explored       int64          `json:"explored"`
	Gap            float64        `json:"gap,omitempty"`
	Infeasibility  *Infeasibility `json:"infeasibility,omitempty"`
}

// Step is one ExecutionStep.
//
//easyjson:json
type Step struct {
	ID                 string             `json:"id"`
	Intent             string             `json:"intent"`
	Resource           string             `json:"resource"`
	Provider           string             `json:"provider"`
	Wave               int                `json:"wave"`
	DependsOn          []string           `json:"dependsOn"`
	EstimatedCost      float64            `json:"estimatedCost"`
	EstimatedLatencyMs float64            `json:"estimatedLatencyMs"`
	DilatedLatencyMs   float64            `json:"dilatedLatencyMs"`
	Dilation           float64            `json:"dilation"`
	DeadlineMs         float64            `json:"deadlineMs"`
	Cost               float64            `json:"cost"`
	Fallbacks          []Fallback         `json:"fallbacks"`
	Rejected           []Rejection        `json:"rejected"`
	SoftMisses         []string           `json:"softMisses"`
	Grounding          dilation.Grounding `json:"grounding"`
	// Bound is set by reoptimize on a done or active step: it keeps its
	// resource whatever the new costs (continuity).
	Bound bool `json:"bound,omitempty"`
}

// Fallback is one alternative resource of a step, in failover order.
//
//easyjson:json
type Fallback struct {
	Resource           string  `json:"resource"`
	Provider           string  `json:"provider"`
	Cost               float64 `json:"cost"`
	EstimatedCost      float64 `json:"estimatedCost"`
	EstimatedLatencyMs float64 `json:"estimatedLatencyMs"`
	SoftMisses         int     `json:"softMisses"`
}

// Rejection is a candidate that may not run an intent, with its reason code
// (docs/DESIGN.md#eligibility), a human detail and, for CONSTRAINT_VIOLATED, the id of the
// violated constraint (a critical one when any critical is violated).
//
//easyjson:json
type Rejection struct {
	Resource   string `json:"resource"`
	Provider   string `json:"provider"`
	Reason     string `json:"reason"`
	Detail     string `json:"detail,omitempty"`
	Constraint string `json:"constraint,omitempty"`
}

// Infeasibility explains why no plan satisfies the contract.
//
//easyjson:json
type Infeasibility struct {
	Code       string            `json:"code"`
	Message    string            `json:"message"`
	Candidates []IntentRejection `json:"candidates"`
}

// IntentRejection lists one intent's rejected candidates.
//
//easyjson:json
type IntentRejection struct {
	Intent   string      `json:"intent"`
	Rejected []Rejection `json:"rejected"`
}

// Change is one step whose resource reoptimize moved (or kept, with the
// reason it was kept when a cheaper candidate existed).
//
//easyjson:json
type Change struct {
	Step       string  `json:"step"`
	Intent     string  `json:"intent"`
	From       string  `json:"from"`
	To         string  `json:"to"`
	Reason     string  `json:"reason"`
	CostBefore float64 `json:"costBefore"`
	CostAfter  float64 `json:"costAfter"`
	// Candidate and CandidateCost name, for a step kept by hysteresis, the
	// better candidate it did not move to.
	Candidate     string  `json:"candidate,omitempty"`
	CandidateCost float64 `json:"candidateCost,omitempty"`
}
