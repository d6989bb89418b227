// Package swap is the hot-swap registry H of docs/DESIGN.md#breakers-and-hot-swap: which resources may
// replace a resource in use, when a replacement is due (triggers), which
// candidate to take, and the σ that performs the swap with its rollback
// state.
//
// Triggers, checked per resource in use (Config.Triggers):
//   - capability_degraded: health < 0.4;
//   - latency_violation: observed latency > latencyTarget·D·2.0;
//   - cost_spike: the step's money > maxCost·1.5;
//   - authority_revoked: the governing authority now denies the resource;
//   - manual: an operator asked for it.
//
// Selection (Registry.Select) among the registered candidates of the
// resource (swaps_to edges in the graph plus candidates registered through
// Register, including every node the registry has swapped out), in order:
//  1. a candidate must be a resource that the caller reports eligible and
//     callable (health > 0, breaker admits a call) and healthy enough not to
//     trigger at once (health >= 0.4);
//  2. oscillation guard: a pair (a, b), in either direction, that has swapped
//     3 times within the last 10 ticks is not swapped a 4th time
//     (authority_revoked is exempt: a revoked resource must leave);
//  3. hysteresis, for the automatic triggers only (capability_degraded,
//     latency_violation, cost_spike): the resource must not have been
//     swapped in fewer than 3 ticks ago (cooldown); the candidate's health
//     stability — an EMA of its observed health with alpha 0.5, so 1.0 then
//     0.0 gives 0.5 — must be at least 0.6; and the candidate must improve on
//     the triggering measure by at least 0.1 (health: +0.1 absolute;
//     latency and cost: 10% lower);
//  4. rank by highest health, then lowest money, then id; keep the best
//     candidate of each provider (deduplicated by provider);
//  5. diversity cap: prefer the best candidate whose provider would serve at
//     most 60% of the resources in use after the swap; when none would, take
//     the best candidate anyway (the cap never blocks the only option).
//
// Every decision is deterministic: inputs are walked in sorted order and no
// map is iterated to produce output.
package swap
