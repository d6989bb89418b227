package graph

import "github.com/convergence-io/ceg/core/internal/wire"

//go:generate go tool easyjson -no_std_marshalers -disallow_unknown_fields types.go

// Node kinds (docs/DESIGN.md#data-model).
const (
	KindIntent     = "intent"
	KindResource   = "resource"
	KindConstraint = "constraint"
	KindAuthority  = "authority"
	KindMemory     = "memory"
	KindTrace      = "trace"
	KindProjection = "projection"
)

// Edge kinds (docs/DESIGN.md#data-model).
const (
	EdgeRequires       = "requires"
	EdgeEnables        = "enables"
	EdgeBlocks         = "blocks"
	EdgeExecutesOn     = "executes_on"
	EdgeTransformsInto = "transforms_into"
	EdgeObserves       = "observes"
	EdgeDerivesFrom    = "derives_from"
	EdgeProjectsTo     = "projects_to"
	EdgeSwapsTo        = "swaps_to"
)

// NodeKinds lists every node kind in sorted order.
var NodeKinds = []string{KindAuthority, KindConstraint, KindIntent, KindMemory, KindProjection, KindResource, KindTrace}

// EdgeKinds lists every edge kind in sorted order.
var EdgeKinds = []string{EdgeBlocks, EdgeDerivesFrom, EdgeEnables, EdgeExecutesOn, EdgeObserves, EdgeProjectsTo, EdgeRequires, EdgeSwapsTo, EdgeTransformsInto}

// Node is one vertex of the graph. Common fields come first; the others
// belong to the kinds named in their comments and are omitted when unset.
// Defaults (dilation 1, tokens 1000, latencyTargetMs 2000, health 1, ...)
// are filled in by Normalize, so an exported graph states them explicitly.
//
//easyjson:json
type Node struct {
	ID        string   `json:"id"`
	Kind      string   `json:"kind"`
	Label     string   `json:"label,omitempty"`
	Meta      wire.Raw `json:"meta,omitempty"`
	Active    bool     `json:"active"`
	Dilation  float64  `json:"dilation"`
	LatencyMs float64  `json:"latencyMs"`

	// intent
	Text      string    `json:"text,omitempty"`
	Embedding []float64 `json:"embedding,omitempty"`
	// intent (required), resource (offered)
	Capabilities []string `json:"capabilities,omitempty"`
	Tokens       *float64 `json:"tokens,omitempty"`
	// intent, memory (data classes)
	Labels []string `json:"labels,omitempty"`

	// resource
	ResourceKind    string    `json:"resourceKind,omitempty"`
	Provider        string    `json:"provider,omitempty"`
	CostPerToken    float64   `json:"costPerToken,omitempty"`
	CostPerCall     float64   `json:"costPerCall,omitempty"`
	LatencyTargetMs *float64  `json:"latencyTargetMs,omitempty"`
	Health          *float64  `json:"health,omitempty"`
	External        bool      `json:"external,omitempty"`
	AcceptsLabels   *[]string `json:"acceptsLabels,omitempty"`
	MinScope        string    `json:"minScope,omitempty"`

	// constraint
	Predicate string `json:"predicate,omitempty"`
	Scope     string `json:"scope,omitempty"`
	Severity  string `json:"severity,omitempty"`
	Satisfied *bool  `json:"satisfied,omitempty"`

	// authority (identityScope), resource (minScope above)
	PolicySet     []Rule `json:"policySet,omitempty"`
	IdentityScope string `json:"identityScope,omitempty"`

	// memory
	Content      string `json:"content,omitempty"`
	Provenance   string `json:"provenance,omitempty"`
	AccessPolicy string `json:"accessPolicy,omitempty"`

	// trace
	Event        string   `json:"event,omitempty"`
	CausalParent string   `json:"causalParent,omitempty"`
	Actor        string   `json:"actor,omitempty"`
	Tick         *int64   `json:"tick,omitempty"`
	At           *float64 `json:"at,omitempty"`
	Hash         string   `json:"hash,omitempty"`
	PrevHash     string   `json:"prevHash,omitempty"`

	// projection
	ViewType     string   `json:"viewType,omitempty"`
	Filter       string   `json:"filter,omitempty"`
	RenderPolicy string   `json:"renderPolicy,omitempty"`
	FeatureState string   `json:"featureState,omitempty"`
	Sources      []string `json:"sources,omitempty"`
}

// Rule is one NAP authority rule (docs/DESIGN.md#authority): it matches a candidate when
// every field that is set matches.
//
//easyjson:json
type Rule struct {
	Effect       string `json:"effect"`
	Provider     string `json:"provider,omitempty"`
	ResourceKind string `json:"resourceKind,omitempty"`
	Capability   string `json:"capability,omitempty"`
	Label        string `json:"label,omitempty"`
	Action       string `json:"action,omitempty"`
}

// Edge is a typed directed edge, identified by (From, To, Kind).
//
//easyjson:json
type Edge struct {
	From   string   `json:"from"`
	To     string   `json:"to"`
	Kind   string   `json:"kind"`
	Weight *float64 `json:"weight,omitempty"`
	Meta   wire.Raw `json:"meta,omitempty"`
}

// Doc is the wire form of a whole graph: {nodes, edges, tick?}.
//
//easyjson:json
type Doc struct {
	Nodes []*Node `json:"nodes"`
	Edges []*Edge `json:"edges"`
	Tick  int64   `json:"tick"`
}

// Key identifies an edge.
type Key struct{ From, To, Kind string }

// Key returns the edge's identity.
func (e *Edge) Key() Key { return Key{e.From, e.To, e.Kind} }

// W returns the edge weight (default 1).
func (e *Edge) W() float64 {
	if e.Weight == nil {
		return 1
	}
	return *e.Weight
}

// Clone returns a deep copy of the node.
func (n *Node) Clone() *Node {
	c := *n
	c.Meta = append(wire.Raw(nil), n.Meta...)
	c.Embedding = append([]float64(nil), n.Embedding...)
	c.Capabilities = cloneStrings(n.Capabilities)
	c.Labels = cloneStrings(n.Labels)
	c.Sources = cloneStrings(n.Sources)
	c.PolicySet = append([]Rule(nil), n.PolicySet...)
	c.Tokens = clonePtr(n.Tokens)
	c.LatencyTargetMs = clonePtr(n.LatencyTargetMs)
	c.Health = clonePtr(n.Health)
	c.Satisfied = clonePtr(n.Satisfied)
	c.Tick = clonePtr(n.Tick)
	c.At = clonePtr(n.At)
	if n.AcceptsLabels != nil {
		a := cloneStrings(*n.AcceptsLabels)
		if a == nil {
			a = []string{}
		}
		c.AcceptsLabels = &a
	}
	return &c
}

// Clone returns a deep copy of the edge.
func (e *Edge) Clone() *Edge {
	c := *e
	c.Weight = clonePtr(e.Weight)
	c.Meta = append(wire.Raw(nil), e.Meta...)
	return &c
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string{}, s...)
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Accessors with the documented defaults (docs/DESIGN.md#data-model).

// TokensOr returns the intent's estimated tokens (default 1000).
func (n *Node) TokensOr() float64 { return valueOr(n.Tokens, 1000) }

// HealthOr returns the node's health (default 1).
func (n *Node) HealthOr() float64 { return valueOr(n.Health, 1) }

// LatencyTarget returns latencyTargetMs (default 2000).
func (n *Node) LatencyTarget() float64 { return valueOr(n.LatencyTargetMs, 2000) }

func valueOr(p *float64, d float64) float64 {
	if p == nil {
		return d
	}
	return *p
}

// HasCapability reports whether cap is among the node's capabilities.
func (n *Node) HasCapability(c string) bool {
	for _, x := range n.Capabilities {
		if x == c {
			return true
		}
	}
	return false
}
