package plan

import (
	"slices"
	"strconv"

	"github.com/convergence-io/ceg/core/graph"
)

// Authority (NAP, docs/DESIGN.md#authority).
//
// The authorities governing an intent are those with an enables edge to it,
// plus every authority that has no enables edge at all. A rule matches a
// candidate when every field it sets matches: provider and resourceKind
// against the resource, capability against the resource's capabilities,
// label against the intent's propagated labels, and action against
// PlanAction ("execute"). A candidate is denied when
//  1. any deny rule of a governing authority matches (deny beats allow and
//     nothing overrides it), or
//  2. a governing authority with at least one allow rule (an allow list) has
//     no allow rule that matches, or
//  3. the resource's minScope is above the governing scope: the contract's
//     identityScope, capped by S.policy.authorityScope when set and by the
//     identityScope of every governing authority
//     (operator > user > agent > public; an absent minScope is public).

// governing records the authorities governing an intent and its scope.
func (p *problem) governing(it *intent) {
	it.scope = p.scope
	for _, a := range p.auths {
		if a.governs == nil || (it.n != nil && a.governs[it.id]) {
			it.auths = append(it.auths, a)
			it.scope = min(it.scope, a.scope)
		}
	}
}

// authorize returns why the authorities deny r for it, or "".
func (p *problem) authorize(it *intent, r *resource) string {
	for _, a := range it.auths {
		for k, rule := range a.rules {
			if rule.Effect == "deny" && ruleMatches(rule, it, r) {
				return "deny rule policySet[" + strconv.Itoa(k) + "] of authority " + quote(a.id) + " matches"
			}
		}
	}
	for _, a := range it.auths {
		if !a.allowList {
			continue
		}
		ok := false
		for _, rule := range a.rules {
			if rule.Effect == "allow" && ruleMatches(rule, it, r) {
				ok = true
				break
			}
		}
		if !ok {
			return "no allow rule of authority " + quote(a.id) + " matches"
		}
	}
	if r.minScope > it.scope {
		return "minScope " + r.n.MinScope + " is above the governing scope " + scopeName(it.scope)
	}
	return ""
}

func ruleMatches(rule graph.Rule, it *intent, r *resource) bool {
	switch {
	case rule.Provider != "" && rule.Provider != r.provider:
		return false
	case rule.ResourceKind != "" && rule.ResourceKind != r.n.ResourceKind:
		return false
	case rule.Capability != "" && !r.hasCap(rule.Capability):
		return false
	case rule.Label != "" && !hasSorted(it.labels, rule.Label):
		return false
	case rule.Action != "" && rule.Action != PlanAction:
		return false
	}
	return true
}

func scopeName(rank int) string { return scopeNames[rank] }

// hasSorted reports whether the sorted list holds s.
func hasSorted(list []string, s string) bool {
	_, ok := slices.BinarySearch(list, s)
	return ok
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
