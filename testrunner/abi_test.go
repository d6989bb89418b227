package testrunner

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/convergence-io/ceg/internal/benchdata"
	"github.com/tetratelabs/wazero"
)

func TestABIVersion(t *testing.T) {
	m := fresh(t)
	if got, want := m.ABIVersion(), uint32(1<<16|0); got != want {
		t.Errorf("ceg_abi_version got: %#x want: %#x", got, want)
	}
}

func TestAllocOwnership(t *testing.T) {
	m := fresh(t)
	seen := map[uint32]bool{}
	for _, size := range []uint32{0, 0, 1, 7, 4096, 1 << 20} {
		p, err := m.Alloc(size)
		if err != nil {
			t.Fatal(err)
		}
		if p == 0 {
			t.Fatalf("ceg_alloc(%d) got: 0 want: a pointer", size)
		}
		if seen[p] {
			t.Fatalf("ceg_alloc(%d) returned live address %d twice", size, p)
		}
		seen[p] = true
	}
	for p := range seen {
		if err := m.Free(p); err != nil {
			t.Fatal(err)
		}
		if err := m.Free(p); err != nil { // double free is a no-op
			t.Fatal(err)
		}
	}
	for _, p := range []uint32{0, 12345, 0xffffffff} {
		if err := m.Free(p); err != nil {
			t.Fatalf("ceg_free(%d) trapped: %v", p, err)
		}
	}
	if p, err := m.Alloc(9 << 20); err != nil || p != 0 {
		t.Errorf("ceg_alloc over the limit got: %d, %v want: 0", p, err)
	}
	if _, err := m.Call(make([]byte, 9<<20)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized call got: %v want: ErrTooLarge", err)
	}
	if got := call(t, m, `{"jsonrpc":"2.0","id":1,"method":"version"}`); !strings.Contains(got, `"abi":"1.0"`) {
		t.Errorf("after alloc/free tests got: %s", got)
	}
}

func TestCallOnBadBuffer(t *testing.T) {
	m := fresh(t)
	p, _ := m.Alloc(4)
	defer m.Free(p)
	for _, tc := range []struct {
		name      string
		ptr, size uint32
	}{{"unknown pointer", 999999, 2}, {"zero pointer", 0, 0}, {"length past the buffer", p, 5000}} {
		t.Run(tc.name, func(t *testing.T) {
			packed, err := m.CallRaw(tc.ptr, tc.size)
			if err != nil {
				t.Fatal(err)
			}
			rptr, rlen := uint32(packed>>32), uint32(packed)
			view, ok := m.Instance().Memory().Read(rptr, rlen)
			if !ok {
				t.Fatal("response outside memory")
			}
			if got := string(view); !strings.Contains(got, `"code":-32600`) {
				t.Errorf("got: %s want: an invalid request error", got)
			}
			m.Free(rptr)
		})
	}
}

// The module hands a freed request buffer out again and keeps its first
// live buffers in a short list, the rest in a map. Neither may change what
// a host sees: a reused buffer still refuses a length past what was asked
// for, and every one of many live buffers answers its own request.
func TestBufferReuseAndManyLiveBuffers(t *testing.T) {
	m := fresh(t)
	readResp := func(packed uint64) string {
		t.Helper()
		view, ok := m.Instance().Memory().Read(uint32(packed>>32), uint32(packed))
		if !ok {
			t.Fatal("response outside memory")
		}
		out := string(view)
		m.Free(uint32(packed >> 32))
		return out
	}
	big, _ := m.Alloc(4096)
	m.Free(big)
	small, _ := m.Alloc(8)
	if got := readResp(must(m.CallRaw(small, 100))); !strings.Contains(got, `"code":-32600`) {
		t.Errorf("length 100 in a reused buffer of 8 got: %s want: an invalid request error", got)
	}
	m.Free(small)
	var ptrs []uint32
	for i := range 20 {
		req := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"version"}`, i)
		p, err := m.Alloc(uint32(len(req)))
		if err != nil || p == 0 {
			t.Fatalf("alloc %d: %d, %v", i, p, err)
		}
		m.Instance().Memory().Write(p, []byte(req))
		ptrs = append(ptrs, p)
	}
	for i, p := range ptrs {
		req := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"version"}`, i)
		if got := readResp(must(m.CallRaw(p, uint32(len(req))))); !strings.Contains(got, fmt.Sprintf(`"id":%d,"result"`, i)) {
			t.Errorf("buffer %d got: %s", i, got)
		}
	}
	for i := len(ptrs) - 1; i >= 0; i -= 2 { // free out of order
		m.Free(ptrs[i])
	}
	for i := 0; i < len(ptrs); i += 2 {
		m.Free(ptrs[i])
		if got := readResp(must(m.CallRaw(ptrs[i], 10))); !strings.Contains(got, `"code":-32600`) {
			t.Errorf("freed buffer %d got: %s want: an invalid request error", i, got)
		}
	}
	if got := call(t, m, `{"jsonrpc":"2.0","id":1,"method":"version"}`); !strings.Contains(got, `"abi":"1.0"`) {
		t.Errorf("after the buffer tests got: %s", got)
	}
}

func must(packed uint64, err error) uint64 {
	if err != nil {
		panic(err)
	}
	return packed
}

func TestNotificationHasNoResponse(t *testing.T) {
	m := fresh(t)
	resp, err := m.Call([]byte(`{"jsonrpc":"2.0","method":"version"}`))
	if err != nil || resp != nil {
		t.Errorf("notification got: %q, %v want: no response", resp, err)
	}
}

func TestPanicLeavesInstanceUsable(t *testing.T) {
	m := fresh(t)
	h := call(t, m, `{"jsonrpc":"2.0","id":1,"method":"graph.create","params":{"graph":{"nodes":[{"id":"a","kind":"intent"}],"edges":[]}}}`)
	if !strings.Contains(h, `"handle":"g1"`) {
		t.Fatalf("create got: %s", h)
	}
	for i := 0; i < 3; i++ {
		got := call(t, m, `{"jsonrpc":"2.0","id":2,"method":"debug.panic","params":{}}`)
		if !strings.Contains(got, `"code":-32603`) {
			t.Fatalf("debug.panic got: %s want: -32603", got)
		}
	}
	// State made before the panic is intact.
	got := call(t, m, `{"jsonrpc":"2.0","id":3,"method":"graph.query","params":{"handle":"g1","query":"getNode","id":"a"}}`)
	if !strings.Contains(got, `"id":"a"`) {
		t.Errorf("after panics got: %s", got)
	}
	if m.Recreated != 0 {
		t.Errorf("a recovered panic recreated the instance %d times", m.Recreated)
	}
}

// A real trap (calling _initialize a second time traps a Go reactor) is
// detected: the host replaces the instance and the next call works.
func TestTrapReplacesInstance(t *testing.T) {
	m := fresh(t)
	call(t, m, `{"jsonrpc":"2.0","id":1,"method":"version"}`)
	_, err := m.Instance().ExportedFunction("_initialize").Call(m.ctx)
	if err == nil {
		t.Fatal("second _initialize did not trap; the test cannot provoke a trap")
	}
	if err := m.trapped(err); !errors.Is(err, ErrTrapped) {
		t.Fatalf("got: %v want: ErrTrapped", err)
	}
	if m.Recreated != 1 {
		t.Errorf("Recreated got: %d want: 1", m.Recreated)
	}
	if got := call(t, m, `{"jsonrpc":"2.0","id":2,"method":"version"}`); !strings.Contains(got, `"result"`) {
		t.Errorf("after recreation got: %s", got)
	}
}

// After warm-up, 10,000 calls (including errors, batches and handle churn)
// do not grow linear memory.
func TestNoMemoryGrowth(t *testing.T) {
	m := fresh(t)
	reqs := []string{
		`{"jsonrpc":"2.0","id":1,"method":"version"}`,
		`{"jsonrpc":"2.0","id":2,"method":"graph.create","params":{"graph":{"nodes":[{"id":"a","kind":"intent"},{"id":"r","kind":"resource","provider":"p"}],"edges":[{"from":"a","to":"r","kind":"executes_on"}]}}}`,
		`{"jsonrpc":"2.0","id":3,"method":"graph.query","params":{"handle":"g1","query":"snapshot"}}`,
		`[{"jsonrpc":"2.0","id":4,"method":"dilation.estimate","params":{"text":"why is the latest price higher??"}},{"jsonrpc":"2.0","id":5,"method":"nope"}]`,
		`{"jsonrpc":"2.0","id":6,"method":"graph.validate","params":{"graph":{"nodes":[{"id":"a","kind":"bogus"}],"edges":[]}}}`,
		`not json`,
	}
	run := func(n int) {
		for i := 0; i < n; i++ {
			req := reqs[i%len(reqs)]
			resp := call(t, m, req)
			if strings.Contains(resp, `"handle":"g`) {
				h := resp[strings.Index(resp, `"handle":"`)+10:]
				h = h[:strings.IndexByte(h, '"')]
				call(t, m, `{"jsonrpc":"2.0","id":7,"method":"graph.drop","params":{"handle":"`+h+`"}}`)
			}
		}
	}
	run(5000) // the GC's heap target settles within the first few thousand calls
	// Go's background scavenger and GC pacing follow the host clock, so one
	// window may still see a one-page step; a leak grows in every window.
	var sizes []uint32
	for w := 0; w < 5; w++ {
		before := m.MemorySize()
		run(10000)
		after := m.MemorySize()
		sizes = append(sizes, after)
		if after == before {
			return
		}
	}
	t.Errorf("memory grew in each of 5 windows of 10,000 calls: %v bytes", sizes)
}

// The module's WASI imports are exactly the documented list (docs/ABI.md):
// a new import would need every host shim to grow with it.
func TestImports(t *testing.T) {
	want := []string{"args_get", "args_sizes_get", "clock_time_get", "environ_get", "environ_sizes_get",
		"fd_close", "fd_fdstat_get", "fd_fdstat_set_flags", "fd_filestat_get", "fd_filestat_set_size",
		"fd_pread", "fd_prestat_dir_name", "fd_prestat_get", "fd_pwrite", "fd_read", "fd_readdir",
		"fd_seek", "fd_sync", "fd_write", "path_filestat_get", "path_open", "poll_oneoff", "proc_exit",
		"random_get", "sched_yield", "sock_accept", "sock_shutdown"}
	seen := map[string]bool{}
	for _, f := range shared.compiled.ImportedFunctions() {
		mod, name, _ := f.Import()
		if mod != "wasi_snapshot_preview1" {
			t.Errorf("unexpected import module %q (%s)", mod, name)
		}
		seen[name] = true
	}
	var got []string
	for n := range seen {
		got = append(got, n)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("imports got: %v want: %v", got, want)
	}
	if mems := shared.compiled.ImportedMemories(); len(mems) != 0 {
		t.Errorf("module imports memory: %v", mems)
	}
}

// Regression: the GC's background goroutines only run when an export
// yields. Before ceg_call yielded, a host clock that jumps (here 50 ms per
// read; in a real process, about two minutes of uptime) made the GC's CPU
// limiter stop mutator assists, no GC cycle could finish, and linear memory
// grew by about 19 KiB per 2 KB request without bound.
func TestGCFinishesUnderJumpingClock(t *testing.T) {
	var now int64
	m, err := shared.Fresh(func(c wazero.ModuleConfig) wazero.ModuleConfig {
		return c.WithNanotime(func() int64 { now += 50_000_000; return now }, 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	req := benchdata.Workloads()[1].Request // graph.validate of a 2 KB graph
	for i := 0; i < 2000; i++ {
		if _, err := m.Call(req); err != nil {
			t.Fatal(err)
		}
	}
	before := m.MemorySize()
	for i := 0; i < 8000; i++ {
		if _, err := m.Call(req); err != nil {
			t.Fatal(err)
		}
	}
	// Without the fix this grows by about 150 MiB.
	if after := m.MemorySize(); after > before+8<<20 {
		t.Errorf("memory grew from %d to %d MiB over 8,000 calls (simulated clock %d s)", before>>20, after>>20, now/1e9)
	}
}

// A freed response buffer receives a later response that fits; a response
// the host has not freed is never written over, whatever runs meanwhile.
func TestResponseBufferReuse(t *testing.T) {
	m := fresh(t)
	req := func(id int) []byte {
		return []byte(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"version"}`, id))
	}
	send := func(body []byte) uint64 {
		t.Helper()
		p, err := m.Alloc(uint32(len(body)))
		if err != nil || p == 0 {
			t.Fatalf("alloc: %d, %v", p, err)
		}
		defer m.Free(p)
		m.Instance().Memory().Write(p, body)
		return must(m.CallRaw(p, uint32(len(body))))
	}
	read := func(packed uint64) string {
		t.Helper()
		view, ok := m.Instance().Memory().Read(uint32(packed>>32), uint32(packed))
		if !ok {
			t.Fatal("response outside memory")
		}
		return string(view)
	}
	// Kept: the first response stays as it was while 50 more calls run,
	// each freeing its response: after the first, they all land in one
	// reused buffer.
	kept := send(req(1))
	want := read(kept)
	at := map[uint32]bool{}
	for i := 2; i < 52; i++ {
		r := send(req(i))
		if got := read(r); !strings.Contains(got, fmt.Sprintf(`"id":%d,"result"`, i)) {
			t.Fatalf("call %d got: %s", i, got)
		}
		if i > 2 {
			at[uint32(r>>32)] = true
		}
		m.Free(uint32(r >> 32))
		if got := read(kept); got != want {
			t.Fatalf("after call %d the unfreed response changed: %s want: %s", i, got, want)
		}
	}
	if len(at) != 1 {
		t.Errorf("49 calls that free their responses used %d response buffers, want 1 (reused)", len(at))
	}
	m.Free(uint32(kept >> 32))
	// A response larger than the freed buffer gets its own, and is whole.
	big := send([]byte(`{"jsonrpc":"2.0","id":7,"method":"dilation.estimate","params":{"text":"` + strings.Repeat("why is it slow today? ", 50) + `"}}`))
	if got := read(big); !strings.HasPrefix(got, `{"jsonrpc":"2.0","id":7,"result":`) || !strings.HasSuffix(got, "}") {
		t.Errorf("larger response got: %s", got)
	}
	m.Free(uint32(big >> 32))
}
