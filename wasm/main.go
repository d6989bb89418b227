//go:build wasip1

// Command wasm is the CEG module: a wasip1 reactor whose four exports move
// JSON-RPC bytes in and out of one api.Engine (docs/DESIGN.md#abi). It holds no logic
// of its own.
//
// Buffer ownership: ceg_alloc hands the host a buffer that stays live until
// ceg_free; ceg_call returns a response buffer that the host frees the same
// way. Live buffers are kept in a map keyed by address, which also keeps
// them reachable for Go's (non-moving) garbage collector.
package main

import (
	"runtime"
	"unsafe"

	"github.com/convergence-io/ceg/core/api"
)

var (
	engine = api.New(api.Limits{})
	live   = map[uint32][]byte{}
)

func main() {}

// cegABIVersion returns major<<16 | minor.
//
//go:wasmexport ceg_abi_version
func cegABIVersion() uint32 { return api.ABIMajor<<16 | api.ABIMinor }

// cegAlloc returns a buffer of size bytes, or 0 when size is over the
// request limit. A zero-size buffer still gets its own address.
//
//go:wasmexport ceg_alloc
func cegAlloc(size uint32) uint32 {
	if uint64(size) > uint64(engine.Limits().MaxRequestBytes) {
		return 0
	}
	return keep(make([]byte, size, max(size, 1)))
}

// cegFree releases a buffer from ceg_alloc or a response; 0 or an unknown
// pointer is a no-op.
//
//go:wasmexport ceg_free
func cegFree(ptr uint32) { delete(live, ptr) }

// cegCall runs the request in [ptr, ptr+len) and returns ptr<<32 | len of
// the response (0 for no response). The request buffer stays owned by the
// host.
//
//go:wasmexport ceg_call
func cegCall(ptr, size uint32) uint64 {
	buf, ok := live[ptr]
	var resp []byte
	if !ok || uint64(size) > uint64(cap(buf)) {
		resp = engine.BadBuffer(ptr, size)
	} else {
		resp = engine.Handle(buf[:size:size])
	}
	yield()
	if len(resp) == 0 {
		return 0
	}
	return uint64(keep(resp))<<32 | uint64(len(resp))
}

// yield lets the runtime's own goroutines run before the export returns.
// An export runs on the host's call stack, and goroutines only get the
// processor when the running one yields; without this, the garbage
// collector's background mark workers (and the forced-GC helper) never run.
// Once the GC's CPU limiter stops mutator assists (which happens after about
// two minutes of host clock, or at once under a clock that jumps), no GC
// cycle can finish and linear memory grows without bound (about 19 KiB per
// 2 KB request). Gosched costs well under a microsecond when nothing waits.
func yield() { runtime.Gosched() }

func keep(b []byte) uint32 {
	p := uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b[:cap(b)]))))
	live[p] = b
	return p
}
