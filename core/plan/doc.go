// Package plan is PCSF, CEG's cost optimizer (docs/DESIGN.md#cost-model, docs/DESIGN.md#optimizer): it turns a
// graph G, an execution contract, the system state S and cost weights into
// an ExecutionPlan, one step per intent, each bound to an eligible resource
// with its failover chain, and re-plans an executing plan with continuity
// and hysteresis.
//
// # Inputs
//
// Intents in scope are contract.intents, else every intent node. A graph
// with no intent node plans one implicit intent, id "intent" (step
// "step-intent"), whose text is contract.intent, with 1000 tokens, no
// capabilities or labels, over every resource: the chat case. Step ids are
// "step-" + intent id.
//
// Weights resolve field by field: the explicit weights parameter, then
// contract.weights, then 0.3 latency / 0.4 compute / 0.2 risk / 0.1
// instability.
//
// # Dilation and cost
//
// health(r) and lat(r) are S's values for r's provider when S has them,
// else the node's health and latencyTargetMs. D(r) is
// dilation.FromHealth(health(r), lat(r)/latencyTargetMs(r)) when S has a
// health or a latency for r's provider, else the node's dilation field
// (default 1). D(i) is the intent node's dilation (default 1); for the
// implicit intent it is dilation.Estimate(contract.intent, 0.5, 0). Money,
// dilated latency, stepCost, τ and the deadline (τ·2.0) follow docs/DESIGN.md#cost-model, with
// instability = min(1, breaker errors / 3). Every emitted number is rounded
// with dilation.Round; every product is wrapped in float64(...).
//
// # Eligibility
//
// Candidates are the resource targets of the intent's executes_on edges
// (weights from the edges), else every resource. A rejected candidate
// carries the first reason of FORBIDDEN_PROVIDER, NOT_ALLOWED_PROVIDER,
// RESOURCE_DOWN (health <= 0, or a circuit_open or quota_hit breaker with
// S.now < openUntil), MISSING_CAPABILITY, DETERMINISM_REQUIRED,
// EXTERNAL_IO_BLOCKED (externalIo "block" and an external resource),
// AUTHORITY_DENIED (authority.go), LABEL_DENIED (propagated labels,
// labels.go), CONSTRAINT_VIOLATED (or PREDICATE_BUDGET when the predicate
// ran past its work budget, budget.go), BLOCKED, and a short human detail.
// A constraint with outgoing blocks edges governs the pairs whose intent or
// resource is a target, else every pair; soft constraints never exclude.
// Predicates are expr-lang expressions over intent, resource, contract,
// state, money, dilatedLatency, resourceHealth, resourceLatency, memoryLoad
// (the number of active memory nodes in the graph), memoryState (S's
// memory: activeNodes, entries) and activeConstraints (JSON field names; resource.health, latencyMs and
// dilation are the effective values), compiled once per text by a
// Compiler. A predicate that does not compile, references an unknown field
// or is not boolean is INVALID_PREDICATE naming the constraint; one that
// fails at run time counts as violated. The builtin now() is disabled.
//
// # Optimization
//
// Optimize minimises (Σ soft misses, Σ stepCost) lexicographically subject
// to Σ money <= maxCost and the critical path of dilated latency over the
// requires/transforms_into DAG <= maxLatencyMs (both with a 1e-9 relative
// tolerance). The search (search.go) is exact: optimal is true when it
// proved its answer, which it always does within the node budget
// (DefaultNodeBudget search nodes); past the budget the heuristic of
// heuristic.go answers with optimal false and gap = objective minus a lower
// bound. When the per-intent minimum meets both limits it is returned at
// once. explored counts search nodes: one per intent for that shortcut,
// else one per extension of a partial assignment by the branch and bound
// (the heuristic's work is not counted).
//
// Steps are ordered by wave (dependency level over requires and
// transforms_into between intents in scope), then by enables edges inside
// a wave, then by intent id. A "requires" edge a->b makes b a predecessor
// of a; "transforms_into" a->b makes a a predecessor of b. fallbacks are
// every other eligible candidate by (soft misses, cost, id); rejected lists
// every ineligible candidate by resource id.
//
// An infeasible plan has no steps and names one code, the first that
// applies: MEMORY_ACCESS_DENIED, HARD_CONSTRAINT_VIOLATED,
// NO_ELIGIBLE_RESOURCES, BUDGET_EXCEEDED, LATENCY_EXCEEDED; it lists every
// intent's rejected candidates.
//
// # Guarantees
//
//   - Determinism: the same inputs give byte-identical plans whatever the
//     order nodes and edges were added in; nothing reads a clock, a random
//     source or a Go map's order. The plan id is "plan-" and 16 hex digits
//     of SHA-256 over the canonical encoding of the normalized inputs.
//   - Hard rules are never broken: every step's resource is eligible (bound
//     steps of Reoptimize excepted, which keep their resource by design) and
//     a feasible plan meets maxCost and maxLatencyMs.
//   - Inputs are never modified; errors are *errs.Error with stable codes.
//   - No package-level mutable state; a Compiler is not safe for concurrent
//     use, everything else is per call.
package plan
