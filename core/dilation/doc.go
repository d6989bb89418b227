// Package dilation is the time-dilation field D of docs/DESIGN.md#dilation-field and the
// grounding policy of docs/DESIGN.md#grounding.
//
// D > 1 means "slow down and be careful" (uncertain, unhealthy, off-target
// latency); D < 1 means "go fast". Every function here is pure and
// deterministic: results are rounded to 12 significant digits (Round) so that
// values meant to be equal encode to equal bytes on every platform, and
// every product that could be fused into a multiply-add is wrapped in an
// explicit float64 conversion.
package dilation
