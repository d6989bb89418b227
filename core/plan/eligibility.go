package plan

import (
	"slices"
	"strconv"
	"strings"
)

// Rejection reason codes (docs/DESIGN.md#eligibility), in the order they are checked: a
// rejected candidate carries the first that applies.
const (
	ReasonForbiddenProvider   = "FORBIDDEN_PROVIDER"
	ReasonNotAllowedProvider  = "NOT_ALLOWED_PROVIDER"
	ReasonResourceDown        = "RESOURCE_DOWN"
	ReasonMissingCapability   = "MISSING_CAPABILITY"
	ReasonDeterminismRequired = "DETERMINISM_REQUIRED"
	ReasonExternalIoBlocked   = "EXTERNAL_IO_BLOCKED"
	ReasonAuthorityDenied     = "AUTHORITY_DENIED"
	ReasonLabelDenied         = "LABEL_DENIED"
	ReasonConstraintViolated  = "CONSTRAINT_VIOLATED"
	// ReasonPredicateBudget: a hard or critical constraint's predicate ran
	// past its work budget (budget.go) for this pair, so whether it holds
	// is unknown; the pair is rejected (fail closed) at the place a
	// CONSTRAINT_VIOLATED would be.
	ReasonPredicateBudget = "PREDICATE_BUDGET"
	ReasonBlocked         = "BLOCKED"
)

// evaluate prices every candidate of an intent, gives each rejected one its
// reason, collects the soft misses of the eligible ones and orders them by
// (soft misses, cost, resource id).
func (p *problem) evaluate(it *intent) {
	online := len(it.cands) <= insertionMax
	for k := range it.cands {
		c := &it.cands[k]
		r := p.res[c.r]
		c.money = money(r.n.CostPerToken, r.n.CostPerCall, it.tokens)
		c.dl = dilatedLatency(r.lat, r.d)
		c.cost = stepCost(it.d, c.w, p.w, c.dl, c.money, r.health, r.instability)
		if v := p.reject(it, r, c); v != 0 {
			c.v, c.rej = v, true
			continue
		}
		p.setVerdict(c, "", "", p.softMisses(it, r, c))
		it.order = append(it.order, k)
		if online { // insertion sort as they come: k is the largest index so far
			i := len(it.order) - 1
			for ; i > 0 && ranksBefore(c, &it.cands[it.order[i-1]]); i-- {
				it.order[i] = it.order[i-1]
			}
			it.order[i] = k
		}
	}
	if !online {
		slices.SortStableFunc(it.order, func(a, b int) int {
			switch {
			case ranksBefore(&it.cands[a], &it.cands[b]):
				return -1
			case ranksBefore(&it.cands[b], &it.cands[a]):
				return 1
			}
			return a - b // candidates are in resource id order
		})
	}
}

// insertionMax is the largest candidate list evaluate orders by insertion
// (quadratic, but a few times faster than a general sort on the lists of a
// few dozen a plan usually has).
const insertionMax = 48

// ranksBefore reports whether candidate a ranks before b: fewer soft
// misses, or as many and a lower cost (ties go by resource id).
func ranksBefore(a, b *cand) bool {
	return a.nsoft < b.nsoft || (a.nsoft == b.nsoft && a.cost < b.cost)
}

// reject returns a reference to the verdict of the first reason that
// excludes r for it, or 0 when r is eligible. Verdicts that do not depend
// on the pair are shared.
func (p *problem) reject(it *intent, r *resource, c *cand) int32 {
	if r.pre != 0 {
		return r.pre
	}
	if v := p.missingCaps(it, r); v != 0 {
		return v
	}
	if r.mid != 0 {
		return r.mid
	}
	if len(it.auths) > 0 || r.minScope > 0 {
		if d := p.authorize(it, r); d != "" {
			return p.addVerdict(ReasonAuthorityDenied, d)
		}
	}
	if r.n.AcceptsLabels != nil {
		var denied []string
		n := 0
		for _, l := range it.labels {
			if !r.accepts(l) {
				if n < maxListed {
					denied = append(denied, l)
				}
				n++
			}
		}
		if n > 0 {
			return p.addVerdict(ReasonLabelDenied, "does not accept labels: "+listed(denied, n))
		}
	}
	for ki, k := range p.cons {
		if k.hard && (it.conHit[ki] || k.resHit[c.r]) {
			if ok, why, over := p.check(k, it, r, c); over {
				v := p.addVerdict(ReasonPredicateBudget, "the predicate of constraint "+quote(k.id)+" "+why)
				p.verdicts[v-1].constraint = k.id
				return v
			} else if !ok {
				return p.violated(k, why)
			}
		}
	}
	if r.blockedBy != "" {
		return p.addVerdict(ReasonBlocked, "blocked by active node "+quote(r.blockedBy))
	}
	if it.blockedBy != "" {
		return p.addVerdict(ReasonBlocked, "intent blocked by active node "+quote(it.blockedBy))
	}
	return 0
}

// maxListed is how many names a rejection's detail lists: a pair's detail
// must not grow with the caller's lists (every pair has one).
const maxListed = 8

// listed joins the first names of n, saying how many more there are.
func listed(names []string, n int) string {
	s := strings.Join(names, ", ")
	if n > len(names) {
		s += " and " + strconv.Itoa(n-len(names)) + " more"
	}
	return s
}

// violated returns the CONSTRAINT_VIOLATED verdict of k. A constraint
// without a predicate has one reason for every pair, so its verdict is made
// once per call.
func (p *problem) violated(k *constraint, why string) int32 {
	if k.prog == nil && k.unsat != 0 {
		return k.unsat
	}
	v := p.addVerdict(ReasonConstraintViolated, "constraint "+quote(k.id)+" "+why)
	p.verdicts[v-1].constraint = k.id
	if k.prog == nil {
		k.unsat = v
	}
	return v
}

// missingCaps returns the MISSING_CAPABILITY verdict when r lacks some
// capability of it (0 otherwise); the common single-capability verdict is
// made once per call.
func (p *problem) missingCaps(it *intent, r *resource) int32 {
	first, n := "", 0
	for _, cp := range it.caps {
		if !r.hasCap(cp) {
			if n == 0 {
				first = cp
			}
			n++
		}
	}
	switch n {
	case 0:
		return 0
	case 1:
		v, ok := p.capVerdict[first]
		if !ok {
			if p.capVerdict == nil {
				p.capVerdict = map[string]int32{}
			}
			v = p.addVerdict(ReasonMissingCapability, "lacks capability: "+first)
			p.capVerdict[first] = v
		}
		return v
	}
	var missing []string
	for _, cp := range it.caps {
		if !r.hasCap(cp) && len(missing) < maxListed {
			missing = append(missing, cp)
		}
	}
	return p.addVerdict(ReasonMissingCapability, "lacks capabilities: "+listed(missing, n))
}

// staticVerdicts are the reasons that depend on the resource and the
// contract only: FORBIDDEN_PROVIDER, NOT_ALLOWED_PROVIDER and RESOURCE_DOWN
// (checked before capabilities), DETERMINISM_REQUIRED and
// EXTERNAL_IO_BLOCKED (checked after).
func (p *problem) staticVerdicts(r *resource) (pre, mid int32) {
	con := &p.c.Constraints
	switch {
	case p.forbidden[r.provider]:
		pre = p.addVerdict(ReasonForbiddenProvider, "provider "+quote(r.provider)+" is in forbiddenProviders")
	case p.allowed != nil && !p.allowed[r.provider]:
		pre = p.addVerdict(ReasonNotAllowedProvider, "provider "+quote(r.provider)+" is not in allowedProviders")
	case r.down != "":
		pre = p.addVerdict(ReasonResourceDown, r.down)
	}
	switch {
	case con.Determinism && !r.n.HasCapability("deterministic"):
		mid = p.addVerdict(ReasonDeterminismRequired, "the contract requires determinism and the resource lacks capability \"deterministic\"")
	case con.ExternalIo == "block" && r.n.External:
		mid = p.addVerdict(ReasonExternalIoBlocked, "the resource is external and the contract blocks external I/O")
	}
	return pre, mid
}

// softMisses returns the ids of the soft constraints r fails for it.
// A single miss shares the constraint's one-element list (verdicts are
// never modified), so the common case allocates nothing.
func (p *problem) softMisses(it *intent, r *resource, c *cand) []string {
	var out []string
	for ki, k := range p.cons {
		if !k.hard && (it.conHit[ki] || k.resHit[c.r]) {
			if ok, _, _ := p.check(k, it, r, c); !ok { // past its budget counts as a miss
				if out == nil {
					out = k.only
				} else {
					out = append(out[:len(out):len(out)], k.id)
				}
			}
		}
	}
	return out
}

// check evaluates a constraint for one candidate: its predicate when it has
// one (false or a run-time error is a violation; over is true when its
// work budget stopped it), else its satisfied flag (false is a violation;
// absent or true is not).
func (p *problem) check(k *constraint, it *intent, r *resource, c *cand) (ok bool, why string, over bool) {
	if k.prog == nil {
		if k.satisfied != nil && !*k.satisfied {
			return false, "is not satisfied", false
		}
		return true, "", false
	}
	return p.ev.eval(k.prog, it.view, r.view, c.money, c.dl)
}

func quote(s string) string { return strconv.Quote(s) }

// num formats a number canonically: the shortest decimal that round-trips,
// never in exponent form (a host clock reads 1700000030000, not 1.70000003e+12).
func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// usd formats money for a human-facing message: "0.06 USD".
func usd(x float64) string { return num(x) + " USD" }
