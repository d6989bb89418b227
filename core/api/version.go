package api

import (
	"fmt"
	"runtime"
)

// ABI version of the module: hosts refuse an unknown major.
const (
	ABIMajor = 1
	ABIMinor = 0
)

// ModuleVersion names this build of the engine.
const ModuleVersion = "ceg 0.1.0"

//easyjson:json
type emptyParams struct{}

//easyjson:json
type versionResult struct {
	ABI    string `json:"abi"`
	Module string `json:"module"`
	Go     string `json:"go"`
}

// version {} -> {abi, module, go}.
func version(_ *Engine, raw []byte) (marshaler, error) {
	var p emptyParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	return &versionResult{ABI: fmt.Sprintf("%d.%d", ABIMajor, ABIMinor), Module: ModuleVersion, Go: runtime.Version()}, nil
}

// debug.panic {} panics on purpose: hosts and tests use it to check that a
// panic is answered with -32603 and leaves the instance usable.
func debugPanic(_ *Engine, raw []byte) (marshaler, error) {
	var p emptyParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	panic("debug.panic called")
}
