// Package dilation is the time-dilation field D of SPEC §5.1 and the
// grounding policy of §5.2.
//
// D > 1 means "slow down and be careful" (uncertain, unhealthy, off-target
// latency); D < 1 means "go fast". Every function here is pure and
// deterministic: results are rounded to 12 decimal places (Round) so that
// values meant to be equal encode to equal bytes on every platform, and
// every product that could be fused into a multiply-add is wrapped in an
// explicit float64 conversion.
package dilation
