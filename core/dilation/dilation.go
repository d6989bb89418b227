package dilation

import "math"

// Bounds of the field.
const (
	Min = 0.1
	Max = 5.0
)

// Round rounds x to 12 significant digits (and so never to more than the
// 15-16 a float64 holds): the canonical precision of every derived number
// the engine emits. Values meant to be equal then encode to equal, short
// bytes on every platform (1.0000000000000002 becomes 1, 2315.7894736840006
// becomes 2315.78947368). It uses only exact powers of ten and one correctly
// rounded multiply or divide, so it is the same everywhere. Magnitudes
// outside [1e-10, 1e15) and non-finite values are returned unchanged.
func Round(x float64) float64 {
	a := math.Abs(x)
	if !(a >= 1e-10 && a < 1e15) { // also NaN and ±Inf
		return x
	}
	// k with a in [10^k, 10^(k+1)): estimated from the binary exponent
	// (a >= 1e-10 is normal), then settled by exact comparisons with the
	// table, which alone decide k whatever the estimate.
	k := max(-10, min(14, decExp[int(math.Float64bits(a)>>52)-1023+34]))
	for k > -10 && a < pow10[k+10] {
		k--
	}
	for k < 14 && a >= pow10[k+1+10] {
		k++
	}
	decimals := 11 - k // 12 significant digits, at most 21
	var r float64
	if decimals >= 0 {
		s := pow10[decimals+10]
		r = math.Round(float64(a*s)) / s
	} else {
		s := pow10[-decimals+10]
		r = math.Round(a/s) * s
	}
	return math.Copysign(r, x)
}

// decExp[e+34] is ⌊e·log10(2)⌋ for the binary exponents e in [-34, 49] of
// the magnitudes Round changes.
var decExp = func() [84]int {
	var t [84]int
	for i := range t {
		t[i] = int(math.Floor(float64(i-34) * 0.30102999566398))
	}
	return t
}()

// pow10[i] is 10^(i-10), exact for the non-negative exponents used.
var pow10 = func() [33]float64 {
	var p [33]float64
	for i := range p {
		p[i] = math.Pow10(i - 10)
	}
	return p
}()

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
