package api

import (
	"github.com/mailru/easyjson/jwriter"

	"github.com/convergence-io/ceg/core/graph"
	"github.com/convergence-io/ceg/core/internal/wire"
)

// Limits bound what one engine accepts. Every limit is enforced with a
// LIMIT_EXCEEDED error, never a crash; together they keep the guest's
// memory well inside what a wasm32 instance can hold.
type Limits struct {
	MaxRequestBytes  int // one request (or batch), in bytes
	MaxResponseBytes int // one response (or batch of responses), in bytes
	MaxBatch         int // requests in one batch
	MaxNodes         int // nodes in one graph
	MaxEdges         int // edges in one graph
	MaxTotalNodes    int // nodes across all live handles
	MaxTotalEdges    int // edges across all live handles
	MaxGraphBytes    int // byte size of one graph (graph.Graph.Bytes)
	MaxTotalBytes    int // byte size of every live handle's and session's graph together
	MaxHandles       int // live graph handles
	MaxSessions      int // live executor sessions
}

// DefaultLimits are the limits of the shipped module (documented in
// docs/ABI.md).
var DefaultLimits = Limits{
	MaxRequestBytes:  8 << 20,
	MaxResponseBytes: 64 << 20,
	MaxBatch:         256,
	MaxNodes:         50_000,
	MaxEdges:         250_000,
	MaxTotalNodes:    200_000,
	MaxTotalEdges:    1_000_000,
	MaxGraphBytes:    64 << 20,
	MaxTotalBytes:    256 << 20,
	MaxHandles:       256,
	MaxSessions:      256,
}

// Engine holds the state that lives across calls: graph handles and
// executor sessions, and the buffers and per-handle caches that make a
// repeated call cheap. Create one with New. An Engine serves one call at a
// time (the module is single-threaded; native callers that share one must
// serialise their calls).
type Engine struct {
	limits Limits

	graphs     map[string]*graph.Graph
	nextHandle uint64
	epoch      string // set once by engine.setEpoch; part of every id (epoch.go)
	traceKey   []byte // HMAC-SHA-256 key of trace hashes and snapshot digests (tracekey.go); empty: SHA-256

	ext engineExt // state owned by the plan and exec method families
	reg registry  // ages, idle eviction and rollback of handles and sessions (registry.go)

	// Encoding buffers reused by every call (handle.go): out holds the
	// response being built, res a batch element's response or a
	// notification's result.
	res, out []byte
	top      []wire.Member  // the members (or batch elements) of the request being handled
	hw, rw   jwriter.Writer // the writers of Handle and invoke (through interfaces they would escape)
}

// New returns an engine with the given limits (zero fields take the
// defaults).
func New(l Limits) *Engine {
	d := DefaultLimits
	fill := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	fill(&l.MaxRequestBytes, d.MaxRequestBytes)
	fill(&l.MaxResponseBytes, d.MaxResponseBytes)
	fill(&l.MaxBatch, d.MaxBatch)
	fill(&l.MaxNodes, d.MaxNodes)
	fill(&l.MaxEdges, d.MaxEdges)
	fill(&l.MaxTotalNodes, d.MaxTotalNodes)
	fill(&l.MaxTotalEdges, d.MaxTotalEdges)
	fill(&l.MaxGraphBytes, d.MaxGraphBytes)
	fill(&l.MaxTotalBytes, d.MaxTotalBytes)
	fill(&l.MaxHandles, d.MaxHandles)
	fill(&l.MaxSessions, d.MaxSessions)
	e := &Engine{limits: l, graphs: map[string]*graph.Graph{},
		res: make([]byte, 0, startBuffer), out: make([]byte, 0, startBuffer)}
	e.ext.init()
	e.reg.init()
	return e
}

// Limits returns the engine's limits.
func (e *Engine) Limits() Limits { return e.limits }

func (e *Engine) graphLimits() graph.Limits {
	return graph.Limits{MaxNodes: e.limits.MaxNodes, MaxEdges: e.limits.MaxEdges, MaxBytes: e.limits.MaxGraphBytes}
}
