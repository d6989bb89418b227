package graph

import (
	"math"

	"github.com/convergence-io/ceg/core/errs"
	"github.com/convergence-io/ceg/core/internal/norm"
)

var enumFields = map[string]map[string]bool{
	"resourceKind":  set("llm", "vm", "tool", "agent"),
	"scope":         set("global", "session", "request"),
	"severity":      set("soft", "hard", "critical"),
	"identityScope": set("operator", "user", "agent", "public"),
	"minScope":      set("operator", "user", "agent", "public"),
	"accessPolicy":  set("internal", "operator", "public"),
	"viewType":      set("panel", "cockpit", "debug", "compact"),
	"renderPolicy":  set("always", "on_active", "on_stable"),
	"featureState":  set("inactive", "scheduled", "active", "suspended"),
	"effect":        set("allow", "deny"),
}

var nodeKindSet = set(NodeKinds...)
var edgeKindSet = set(EdgeKinds...)

func set(vals ...string) map[string]bool {
	m := make(map[string]bool, len(vals))
	for _, v := range vals {
		m[v] = true
	}
	return m
}

func invalid(path, format string, args ...any) *errs.Error {
	e := errs.New(errs.CodeInvalidParams, format, args...)
	e.Path = path
	return e
}

// CheckID checks a node id (or any id that names a node or resource, such
// as the ids a dilation field, an oscillation guard or a swap registry
// keeps): non-empty and free of U+FFFD. An id is otherwise kept exactly as
// given (ids are not canonicalised: "A" and "a" are two nodes); its length
// is bounded by the byte budget of whatever holds it. path is its JSON
// path, used in the error.
func CheckID(id, path string) error {
	if id == "" {
		return invalid(path, "node id is required and must be a non-empty string")
	}
	if norm.Garbled(id) {
		return invalid(path, "node id %s", norm.GarbledMessage)
	}
	return nil
}

// Normalize checks a node's fields and fills in the documented defaults for its
// kind. path is the node's JSON path, used in the error. The only given
// values it changes are names that policies compare — provider,
// capabilities, labels, acceptsLabels and the names in authority rules —
// which it canonicalises (norm.Name) so that every comparison is of one
// spelling. Numbers must be finite and
// within [0, norm.MaxQuantity].
func Normalize(n *Node, path string) error {
	if n == nil {
		return invalid(path, "node must be an object")
	}
	if err := CheckID(n.ID, errs.Join(path, "id")); err != nil {
		return err
	}
	if !nodeKindSet[n.Kind] {
		return invalid(errs.Join(path, "kind"), "unknown node kind %q (want one of %v)", n.Kind, NodeKinds)
	}
	check := []struct{ field, val string }{
		{"resourceKind", n.ResourceKind}, {"scope", n.Scope}, {"severity", n.Severity},
		{"identityScope", n.IdentityScope}, {"minScope", n.MinScope}, {"accessPolicy", n.AccessPolicy},
		{"viewType", n.ViewType}, {"renderPolicy", n.RenderPolicy}, {"featureState", n.FeatureState},
	}
	for _, c := range check {
		if c.val != "" && !enumFields[c.field][c.val] {
			return invalid(errs.Join(path, c.field), "invalid %s %q", c.field, c.val)
		}
	}
	for i, r := range n.PolicySet {
		if !enumFields["effect"][r.Effect] {
			return invalid(errs.Join(path, errs.Index("policySet", i)+".effect"), "rule effect must be \"allow\" or \"deny\", got %q", r.Effect)
		}
		if r.ResourceKind != "" && !enumFields["resourceKind"][r.ResourceKind] {
			return invalid(errs.Join(path, errs.Index("policySet", i)+".resourceKind"), "invalid resourceKind %q", r.ResourceKind)
		}
		if r.Provider != "" {
			n.PolicySet[i].Provider = norm.Name(r.Provider)
			if norm.Garbled(n.PolicySet[i].Provider) {
				return invalid(errs.Join(path, errs.Index("policySet", i)+".provider"), "provider name %s", norm.GarbledMessage)
			}
			if !norm.ValidName(n.PolicySet[i].Provider) {
				return invalid(errs.Join(path, errs.Index("policySet", i)+".provider"), "provider names must be non-empty, without control characters")
			}
		}
	}
	// Capabilities and labels are matched by authority rules (a deny on
	// label "pii" must catch "PII "), so they are canonical too.
	if err := canonList(n.Capabilities, errs.Join(path, "capabilities")); err != nil {
		return err
	}
	if err := canonList(n.Labels, errs.Join(path, "labels")); err != nil {
		return err
	}
	if n.AcceptsLabels != nil {
		if err := canonList(*n.AcceptsLabels, errs.Join(path, "acceptsLabels")); err != nil {
			return err
		}
	}
	for i := range n.PolicySet {
		r := &n.PolicySet[i]
		r.Capability, r.Label, r.Action = norm.Name(r.Capability), norm.Name(r.Label), norm.Name(r.Action)
		for _, f := range []struct{ name, v string }{{"capability", r.Capability}, {"label", r.Label}, {"action", r.Action}} {
			if norm.Garbled(f.v) {
				return invalid(errs.Join(path, errs.Index("policySet", i)+"."+f.name), "%s %s", f.name, norm.GarbledMessage)
			}
		}
	}
	if n.Provider != "" {
		n.Provider = norm.Name(n.Provider)
		if norm.Garbled(n.Provider) {
			return invalid(errs.Join(path, "provider"), "provider name %s", norm.GarbledMessage)
		}
		if !norm.ValidName(n.Provider) {
			return invalid(errs.Join(path, "provider"), "provider names must be non-empty, without control characters")
		}
	}
	nums := []struct {
		field string
		v     *float64
	}{{"tokens", n.Tokens}, {"latencyTargetMs", n.LatencyTargetMs}, {"health", n.Health}, {"at", n.At}}
	for _, f := range nums {
		if f.v != nil && !quantity(*f.v) {
			return invalid(errs.Join(path, f.field), "%s must be a number within [0, %g]", f.field, norm.MaxQuantity)
		}
	}
	if n.Health != nil && *n.Health > 1 {
		return invalid(errs.Join(path, "health"), "health must be within [0, 1]")
	}
	for _, f := range []struct {
		field string
		v     float64
	}{{"costPerToken", n.CostPerToken}, {"costPerCall", n.CostPerCall}, {"latencyMs", n.LatencyMs}, {"dilation", n.Dilation}} {
		if !quantity(f.v) {
			return invalid(errs.Join(path, f.field), "%s must be a number within [0, %g]", f.field, norm.MaxQuantity)
		}
	}
	if n.Dilation == 0 {
		n.Dilation = 1
	}
	switch n.Kind {
	case KindIntent:
		if n.Tokens == nil {
			n.Tokens = ptr(1000.0)
		}
	case KindResource:
		if n.ResourceKind == "" {
			n.ResourceKind = "llm"
		}
		if n.LatencyTargetMs == nil {
			n.LatencyTargetMs = ptr(2000.0)
		}
		if n.Health == nil {
			n.Health = ptr(1.0)
		}
	case KindConstraint:
		if n.Scope == "" {
			n.Scope = "request"
		}
		if n.Severity == "" {
			n.Severity = "hard"
		}
	case KindAuthority:
		if n.IdentityScope == "" {
			n.IdentityScope = "operator"
		}
	case KindMemory:
		if n.AccessPolicy == "" {
			n.AccessPolicy = "internal"
		}
	case KindProjection:
		if n.ViewType == "" {
			n.ViewType = "panel"
		}
		if n.RenderPolicy == "" {
			n.RenderPolicy = "always"
		}
		if n.FeatureState == "" {
			n.FeatureState = "inactive"
		}
	}
	return nil
}

// NormalizeEdge checks an edge's fields and fills the default weight.
func NormalizeEdge(e *Edge, path string) error {
	if e == nil {
		return invalid(path, "edge must be an object")
	}
	if e.From == "" {
		return invalid(errs.Join(path, "from"), "edge from is required")
	}
	if e.To == "" {
		return invalid(errs.Join(path, "to"), "edge to is required")
	}
	if !edgeKindSet[e.Kind] {
		return invalid(errs.Join(path, "kind"), "unknown edge kind %q (want one of %v)", e.Kind, EdgeKinds)
	}
	if e.Weight == nil {
		e.Weight = ptr(1.0)
	} else if !quantity(*e.Weight) {
		return invalid(errs.Join(path, "weight"), "edge weight must be a number within [0, %g]", norm.MaxQuantity)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// canonList canonicalises every name of a list in place.
// canonList canonicalises a list of names in place; a name holding
// U+FFFD (norm.Garbled) is INVALID_PARAMS at path[i].
func canonList(l []string, path string) error {
	for i, s := range l {
		l[i] = norm.Name(s)
		if norm.Garbled(l[i]) {
			return invalid(errs.Index(path, i), "name %s", norm.GarbledMessage)
		}
	}
	return nil
}

// quantity reports whether x is a number within [0, norm.MaxQuantity].
func quantity(x float64) bool { return x >= 0 && x <= norm.MaxQuantity && !math.IsInf(x, 0) }
