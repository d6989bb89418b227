package dilation

import (
	"math"
	"math/rand/v2"
	"testing"
)

// roundInputs are magnitudes spread over Round's whole range.
func roundInputs(n int) []float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = math.Pow(10, rng.Float64()*26-11) * (rng.Float64() + 0.5)
		if i%3 == 0 {
			xs[i] = -xs[i]
		}
	}
	return xs
}

func BenchmarkRound(b *testing.B) {
	xs := roundInputs(1024)
	var sink float64
	for b.Loop() {
		for _, x := range xs {
			sink += Round(x)
		}
	}
	_ = sink
}

// roundReference is Round as first written (exponent from math.Frexp): the
// fast estimate must not change a single result.
func roundReference(x float64) float64 {
	a := math.Abs(x)
	if a < 1e-10 || a >= 1e15 || math.IsNaN(x) {
		return x
	}
	_, e := math.Frexp(a)
	k := int(math.Floor(float64(e-1) * 0.30102999566398))
	k = max(-10, min(14, k))
	for k > -10 && a < pow10[k+10] {
		k--
	}
	for k < 14 && a >= pow10[k+1+10] {
		k++
	}
	decimals := min(11-k, 22)
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

func TestRoundMatchesReference(t *testing.T) {
	xs := roundInputs(1 << 20)
	for _, p := range pow10 { // the boundaries and their neighbours
		for _, x := range []float64{p, math.Nextafter(p, 0), math.Nextafter(p, math.Inf(1))} {
			xs = append(xs, x, -x)
		}
	}
	xs = append(xs, 0, math.Copysign(0, -1), 1e-10, math.Nextafter(1e-10, 0), 1e15, math.Nextafter(1e15, 0),
		math.Inf(1), math.Inf(-1), math.NaN(), math.SmallestNonzeroFloat64, math.MaxFloat64)
	for _, x := range xs {
		got, want := Round(x), roundReference(x)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("Round(%v) = %v, reference %v", x, got, want)
		}
	}
}
