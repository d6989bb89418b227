// Package graph is CEG's typed execution graph G = (V, E) (docs/DESIGN.md#data-model, docs/DESIGN.md#graph-operations):
// seven node kinds, nine edge kinds, and the CEGraph operations.
//
// Guarantees:
//   - Node ids are unique; an edge is identified by (from, to, kind) and
//     adding it twice keeps one.
//   - requires and transforms_into edges never form a cycle: an insertion
//     that would close one fails with CYCLE and lists the ids on the cycle.
//   - Every failing operation leaves the graph unchanged and returns an
//     *errs.Error with a stable code; no operation panics on any input.
//   - Everything that lists nodes or edges lists them sorted (nodes by id,
//     edges by from, to, kind), never in map order.
//
// A Graph is not safe for concurrent use.
package graph
