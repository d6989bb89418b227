//go:build wasip1

// Command wasm is the CEG module: a wasip1 reactor whose four exports move
// JSON-RPC bytes in and out of one api.Engine (docs/DESIGN.md#abi). It holds no logic
// of its own.
//
// Buffer ownership: ceg_alloc hands the host a buffer that stays live until
// ceg_free; ceg_call returns a response buffer that the host frees the same
// way. Live buffers are kept in a short list (a host holds one or two at a
// time; a map's insert and delete cost more per call), with a map for any
// past the first few; both keep them reachable for Go's (non-moving)
// garbage collector. The last request buffer freed (up to maxSpare bytes)
// is handed out again by the next ceg_alloc it fits, and the largest
// response buffer freed (up to maxAnswer bytes) receives the next response
// that fits: a host that frees
// what it has read (as the ABI asks) makes calls that allocate no buffers.
package main

import (
	"runtime"
	"unsafe"

	"github.com/convergence-io/ceg/core/api"
)

var (
	engine = api.New(api.Limits{})
	few    []buffer          // live buffers, newest last, at most maxFew
	more   map[uint32]buffer // live buffers past the first maxFew
	spare  []byte            // the last request buffer freed, or nil
	answer []byte            // the last response buffer freed, or nil
)

const (
	maxFew    = 8
	maxSpare  = 64 << 10 // the largest request buffer kept for reuse
	maxAnswer = 4 << 20  // the largest response buffer kept for reuse
)

// buffer is one live buffer.
type buffer struct {
	ptr   uint32
	mem   []byte // the whole allocation
	limit uint32 // the largest request length ceg_call accepts in it
	reuse bool   // a request buffer: kept as spare when freed (a response: as answer)
}

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
	mem := spare
	if uint32(cap(mem)) >= max(size, 1) {
		spare = nil
	} else {
		mem = make([]byte, max(size, 1))
	}
	return keep(buffer{mem: mem[:cap(mem)], limit: max(size, 1), reuse: true})
}

// cegFree releases a buffer from ceg_alloc or a response; 0 or an unknown
// pointer is a no-op.
//
//go:wasmexport ceg_free
func cegFree(ptr uint32) {
	b, ok := release(ptr)
	switch {
	case !ok:
	case b.reuse && cap(b.mem) <= maxSpare && cap(b.mem) > cap(spare):
		spare = b.mem
	case !b.reuse && cap(b.mem) <= maxAnswer && cap(b.mem) > cap(answer):
		answer = b.mem
	}
}

// cegCall runs the request in [ptr, ptr+len) and returns ptr<<32 | len of
// the response (0 for no response). The request buffer stays owned by the
// host.
//
//go:wasmexport ceg_call
func cegCall(ptr, size uint32) uint64 {
	b, ok := lookup(ptr)
	var resp []byte
	if !ok || size > b.limit {
		resp = engine.BadBuffer(ptr, size)
	} else {
		resp = engine.HandleInto(b.mem[:size:size], answer[:0])
		if cap(resp) > 0 && unsafe.SliceData(resp) == unsafe.SliceData(answer) {
			answer = nil // now the response's, live until freed
		}
	}
	yield()
	if len(resp) == 0 {
		return 0
	}
	return uint64(keep(buffer{mem: resp[:cap(resp)], limit: uint32(cap(resp))}))<<32 | uint64(len(resp))
}

// yield lets the runtime's own goroutines run before the export returns,
// once every yieldEvery calls. An export runs on the host's call stack, and
// goroutines only get the processor when the running one yields; without
// this, the garbage collector's background mark workers (and the forced-GC
// helper) never run. Once the GC's CPU limiter stops mutator assists (which
// happens after about two minutes of host clock, or at once under a clock
// that jumps), no GC cycle can finish and linear memory grows without bound
// (about 19 KiB per 2 KB request).
//
// A Gosched costs 0.5–0.8 µs in V8 and about 1 µs under wazero even when
// nothing waits (a switch to the scheduler and back, which unwinds and
// rewinds the wasm stack): a fifth of a request that does no work. The
// mark worker's share is time-based, so when it runs it catches up with the
// calls it missed: yielding on one call in 16 keeps memory as flat as every
// call (docs/BENCHMARKS.md, "The fixed cost per call").
func yield() {
	calls++
	if calls%yieldEvery == 0 {
		runtime.Gosched()
	}
}

const yieldEvery = 16

var calls uint32 // ceg_call calls, for yield

// keep makes b live and returns its address.
func keep(b buffer) uint32 {
	b.ptr = uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b.mem))))
	if len(few) < maxFew {
		few = append(few, b)
	} else {
		if more == nil {
			more = map[uint32]buffer{}
		}
		more[b.ptr] = b
	}
	return b.ptr
}

// lookup finds the live buffer at ptr.
func lookup(ptr uint32) (buffer, bool) {
	for i := len(few) - 1; i >= 0; i-- {
		if few[i].ptr == ptr {
			return few[i], true
		}
	}
	b, ok := more[ptr]
	return b, ok
}

// release ends the life of the buffer at ptr and returns it.
func release(ptr uint32) (buffer, bool) {
	for i := len(few) - 1; i >= 0; i-- {
		if few[i].ptr == ptr {
			b := few[i]
			copy(few[i:], few[i+1:])
			few[len(few)-1] = buffer{}
			few = few[:len(few)-1]
			return b, true
		}
	}
	b, ok := more[ptr]
	delete(more, ptr)
	return b, ok
}
