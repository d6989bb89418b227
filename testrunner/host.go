package testrunner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tetratelabs/wazero"
	wapi "github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// ABIMajor is the ABI major version this host speaks.
const ABIMajor = 1

// ErrTrapped reports that the instance trapped and was replaced.
var ErrTrapped = errors.New("testrunner: the instance trapped and was replaced by a fresh one")

// ErrTooLarge reports that ceg_alloc refused the request size.
var ErrTooLarge = errors.New("testrunner: request over the module's size limit (ceg_alloc returned 0)")

// DefaultModulePath is where `make build` writes the module, relative to the
// repository root.
const DefaultModulePath = "bindings/js/ceg.wasm"

// Module is a loaded module with one live instance.
type Module struct {
	ctx      context.Context
	rt       wazero.Runtime
	compiled wazero.CompiledModule
	inst     wapi.Module
	stderr   bytes.Buffer

	abiVersion, alloc, free, call wapi.Function
	// stack carries the params and results of alloc, free and call
	// (CallWithStack: no slices allocated per call).
	stack [2]uint64

	// Configure, when set, adjusts the module configuration of every
	// instance made from now on (tests give the guest odd clocks).
	Configure func(wazero.ModuleConfig) wazero.ModuleConfig

	// Recreated counts the instances replaced after a trap.
	Recreated int
}

// CacheDir is the wazero compilation cache: $CEG_WAZERO_CACHE, else a
// folder in the user cache directory.
func CacheDir() string {
	if d := os.Getenv("CEG_WAZERO_CACHE"); d != "" {
		return d
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "ceg-wazero")
}

// Open compiles the module at path (through the compilation cache) and
// instantiates it.
func Open(ctx context.Context, path string) (*Module, error) {
	wasm, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("testrunner: %w (run `make build` first)", err)
	}
	cache, err := wazero.NewCompilationCacheWithDir(CacheDir())
	if err != nil {
		return nil, fmt.Errorf("testrunner: compilation cache: %w", err)
	}
	return openWith(ctx, wasm, wazero.NewRuntimeConfigCompiler().WithCompilationCache(cache))
}

// openWith compiles and instantiates wasm under a runtime configuration.
func openWith(ctx context.Context, wasm []byte, cfg wazero.RuntimeConfig) (*Module, error) {
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	compiled, err := rt.CompileModule(ctx, wasm)
	if err != nil {
		rt.Close(ctx)
		return nil, fmt.Errorf("testrunner: compile: %w", err)
	}
	m := &Module{ctx: ctx, rt: rt, compiled: compiled}
	if err := m.instantiate(); err != nil {
		rt.Close(ctx)
		return nil, err
	}
	if v := m.ABIVersion(); v>>16 != ABIMajor {
		rt.Close(ctx)
		return nil, fmt.Errorf("testrunner: module ABI %d.%d, this host speaks %d.x", v>>16, v&0xffff, ABIMajor)
	}
	return m, nil
}

func (m *Module) instantiate() error {
	if m.inst != nil {
		_ = m.inst.Close(m.ctx)
	}
	m.stderr.Reset()
	cfg := wazero.NewModuleConfig().
		WithName("").
		WithStartFunctions("_initialize").
		WithStderr(&m.stderr).
		WithStdout(&m.stderr).
		WithSysNanotime().
		WithSysWalltime().
		WithSysNanosleep()
	if m.Configure != nil {
		cfg = m.Configure(cfg)
	}
	inst, err := m.rt.InstantiateModule(m.ctx, m.compiled, cfg)
	if err != nil {
		return fmt.Errorf("testrunner: instantiate: %w (stderr: %s)", err, m.stderr.String())
	}
	m.inst = inst
	m.abiVersion = inst.ExportedFunction("ceg_abi_version")
	m.alloc = inst.ExportedFunction("ceg_alloc")
	m.free = inst.ExportedFunction("ceg_free")
	m.call = inst.ExportedFunction("ceg_call")
	if m.abiVersion == nil || m.alloc == nil || m.free == nil || m.call == nil {
		return errors.New("testrunner: module lacks a ceg_* export")
	}
	return nil
}

// Fresh returns another module sharing the compiled code, with its own new
// instance; configure (may be nil) adjusts its module configuration.
func (m *Module) Fresh(configure ...func(wazero.ModuleConfig) wazero.ModuleConfig) (*Module, error) {
	f := &Module{ctx: m.ctx, rt: m.rt, compiled: m.compiled}
	if len(configure) > 0 {
		f.Configure = configure[0]
	}
	return f, f.instantiate()
}

// Close releases the instance (and, for the module returned by Open, the
// runtime).
func (m *Module) Close() {
	if m.inst != nil {
		_ = m.inst.Close(m.ctx)
		m.inst = nil
	}
}

// CloseRuntime releases the runtime and every instance made from it.
func (m *Module) CloseRuntime() { _ = m.rt.Close(m.ctx) }

// Instance exposes the live instance (tests poke at raw exports).
func (m *Module) Instance() wapi.Module { return m.inst }

// Stderr returns what the guest wrote to stdout/stderr since instantiation.
func (m *Module) Stderr() string { return m.stderr.String() }

// MemorySize is the size of the instance's linear memory in bytes.
func (m *Module) MemorySize() uint32 { return m.inst.Memory().Size() }

// ABIVersion calls ceg_abi_version.
func (m *Module) ABIVersion() uint32 {
	r, err := m.abiVersion.Call(m.ctx)
	if err != nil {
		return 0
	}
	return uint32(r[0])
}

// Alloc calls ceg_alloc.
func (m *Module) Alloc(size uint32) (uint32, error) {
	m.stack[0] = uint64(size)
	if err := m.alloc.CallWithStack(m.ctx, m.stack[:]); err != nil {
		return 0, m.trapped(err)
	}
	return uint32(m.stack[0]), nil
}

// Free calls ceg_free.
func (m *Module) Free(ptr uint32) error {
	m.stack[0] = uint64(ptr)
	if err := m.free.CallWithStack(m.ctx, m.stack[:]); err != nil {
		return m.trapped(err)
	}
	return nil
}

// CallRaw calls ceg_call on a buffer the caller owns and returns the packed
// result.
func (m *Module) CallRaw(ptr, size uint32) (uint64, error) {
	m.stack[0], m.stack[1] = uint64(ptr), uint64(size)
	if err := m.call.CallWithStack(m.ctx, m.stack[:]); err != nil {
		return 0, m.trapped(err)
	}
	return m.stack[0], nil
}

// Call sends one JSON-RPC request (or batch) and returns the response bytes
// (nil for no response). Both buffers are freed.
func (m *Module) Call(req []byte) ([]byte, error) {
	ptr, err := m.Alloc(uint32(len(req)))
	if err != nil {
		return nil, err
	}
	if ptr == 0 {
		return nil, ErrTooLarge
	}
	defer m.Free(ptr)
	if !m.inst.Memory().Write(ptr, req) {
		return nil, fmt.Errorf("testrunner: request buffer %d+%d is outside memory", ptr, len(req))
	}
	packed, err := m.CallRaw(ptr, uint32(len(req)))
	if err != nil {
		return nil, err
	}
	rptr, rlen := uint32(packed>>32), uint32(packed)
	if rlen == 0 {
		return nil, nil
	}
	view, ok := m.inst.Memory().Read(rptr, rlen)
	if !ok {
		return nil, fmt.Errorf("testrunner: response %d+%d is outside memory", rptr, rlen)
	}
	out := append([]byte(nil), view...)
	return out, m.Free(rptr)
}

// trapped replaces the instance after a failed export call.
func (m *Module) trapped(cause error) error {
	stderr := m.stderr.String()
	m.Recreated++
	if err := m.instantiate(); err != nil {
		return fmt.Errorf("%w; re-instantiation failed: %v", ErrTrapped, err)
	}
	return fmt.Errorf("%w: %v (guest stderr: %q)", ErrTrapped, cause, stderr)
}
