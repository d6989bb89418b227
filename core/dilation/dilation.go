package dilation

import "math"

// Bounds of the field.
const (
	Min = 0.1
	Max = 5.0
)

// Round rounds x to 12 decimal places, the canonical precision of every
// number this package returns.
func Round(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	return math.Round(float64(x*1e12)) / 1e12
}

func clamp(x, lo, hi float64) float64 {
	if math.IsNaN(x) {
		return lo
	}
	return math.Max(lo, math.Min(hi, x))
}

// Compute is dilation(u, p, c, x): uncertainty u, cost pressure p,
// confidence c and collapse proximity x, each clamped to [0, 1] (NaN counts
// as 0). raw = (1+u)/((1+c)(1+p)) clamped to [0.1, 5], then deflated toward
// 0.1 by x: d = (1-x)·d + x·0.1, clamped again.
func Compute(u, p, c, x float64) float64 {
	u, p, c, x = clamp(u, 0, 1), clamp(p, 0, 1), clamp(c, 0, 1), clamp(x, 0, 1)
	d := clamp((1+u)/float64(float64(1+c)*float64(1+p)), Min, Max)
	d = float64((1-x)*d) + float64(x*Min)
	return Round(clamp(d, Min, Max))
}

// FromHealth is updateFromHealth: the D of a resource with the given health
// (0..1) whose observed latency is ratio times its target.
// u = 1-health, p = max(0, 1-1/max(ratio, 0.01)), c = health·max(0, 1-|ratio-1|).
func FromHealth(health, ratio float64) float64 {
	health = clamp(health, 0, 1)
	if math.IsNaN(ratio) {
		ratio = 1
	}
	u := 1 - health
	p := math.Max(0, 1-1/math.Max(ratio, 0.01))
	c := float64(health * math.Max(0, 1-math.Abs(ratio-1)))
	return Compute(u, p, c, 0)
}
