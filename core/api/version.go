package api

import (
	"runtime"
	"strconv"
)

// ABI version of the module: hosts refuse an unknown major.
const (
	ABIMajor = 1
	ABIMinor = 0
)

// abiString is the ABI version as version answers it ("1.0").
var abiString = strconv.Itoa(ABIMajor) + "." + strconv.Itoa(ABIMinor)

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
	return &versionResult{ABI: abiString, Module: ModuleVersion, Go: runtime.Version()}, nil
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
