package jsonfloat

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mailru/easyjson/jwriter"
)

// check fails t unless Append(f) is byte-identical to strconv's shortest
// %g, after a non-empty prefix (so that appending, not only formatting, is
// compared).
func check(t *testing.T, f float64) {
	t.Helper()
	want := strconv.AppendFloat([]byte("x"), f, 'g', -1, 64)
	if got := Append([]byte("x"), f); string(got) != string(want) {
		t.Fatalf("Append(%v [bits %#x]) = %q, strconv gives %q", f, math.Float64bits(f), got, want)
	}
}

// seeds are the values where a formatting rule changes, and values a
// fast path could get wrong.
var seeds = []float64{
	0, math.Copysign(0, -1), 1, -1, 0.5, 999999, 999999.5, 999999.9999999999, 1e6 - 1, 1e6, 1e6 + 1, 1e6 + 0.5,
	123456, 1234567, 0.0001, 0.00001, 0.000123, 0.0000123, 1e-4, 1e-5, 9.99999e-5, 1e-8, 1e-9, 0.99999999e-8, 1.00000001e-8,
	1e14, 1e15, 1e15 - 1, 1e15 + 1, 999999999999999, 99999999999999.9, 1e21, 1e22, 1e23,
	1 << 53, 1<<53 - 1, 1<<53 + 2, 1 << 52, 1<<52 + 1, 1 << 63, 1e300, 1e308,
	math.MaxFloat64, math.SmallestNonzeroFloat64, 2.2250738585072014e-308, 2.225073858507201e-308, 4.9e-324,
	0.1, 0.2, 0.3, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, math.Pi, math.E, 0.015, 0.0366545454546, 818.181818183, 1.7e12, 1.70000003e12,
	0.0422335581758, 1164.30032311, 0.9593086517527863, 1e-7, 1.5e-7, 123456.789, 12345.6789012345, 1234567.89012345,
	100, 1500, 10000, 1e5, 100000.5, 0.000999999999999, 9.99999999999999e-5, 9.999999999999999e-5,
	math.Nextafter(1, 2), math.Nextafter(1, 0), math.Nextafter(1e6, 0), math.Nextafter(1e6, 2e6), math.Nextafter(1e15, 0),
	math.Nextafter(1e-8, 0), math.Nextafter(1e-8, 1), math.Nextafter(1e-4, 0), math.Nextafter(1e-4, 1),
}

// edges are seeds, every power of ten and of two with neighbours and
// multiples, and the negatives of all.
func edges() []float64 {
	fs := slices.Clone(seeds)
	for e := -325; e <= 309; e++ { // powers of ten and their neighbours
		p, _ := strconv.ParseFloat("1e"+strconv.Itoa(e), 64)
		fs = append(fs, p, math.Nextafter(p, 0), math.Nextafter(p, math.Inf(1)), 9*p, 1.5*p, 999999999999*p, 123456789012345*p)
	}
	for e := -1074; e <= 1023; e++ { // powers of two and their neighbours
		p := math.Ldexp(1, e)
		fs = append(fs, p, math.Nextafter(p, 0), math.Nextafter(p, math.Inf(1)), 3*p)
	}
	var out []float64
	for _, f := range fs {
		out = append(out, f, -f)
	}
	return out
}

func TestEdges(t *testing.T) {
	for _, f := range edges() {
		check(t, f)
	}
}

// TestDecimals covers the decimals the fast path is for: up to 17
// significant digits at every decimal exponent it handles and beyond,
// rounded as dilation.Round and strconv.ParseFloat would give them.
func TestDecimals(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for e := -12; e <= 18; e++ {
		for nd := 1; nd <= 17; nd++ {
			for range 300 {
				m := rng.Uint64N(uint64(math.Pow10(nd)))
				s := strconv.FormatUint(m, 10) + "e" + strconv.Itoa(e-nd)
				f, err := strconv.ParseFloat(s, 64)
				if err != nil {
					t.Fatal(err)
				}
				check(t, f)
				check(t, -f)
				check(t, math.Nextafter(f, 0))
				check(t, math.Nextafter(f, math.Inf(1)))
			}
		}
	}
}

func TestRandomBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 1_000_000 {
		f := math.Float64frombits(rng.Uint64())
		if f-f == 0 {
			check(t, f)
		}
	}
}

func TestIntegers(t *testing.T) {
	for i := -1_000_100; i <= 1_000_100; i += 7 {
		check(t, float64(i))
	}
}

// TestWrite checks Write against jwriter.Writer.Float64, errors included.
func TestWrite(t *testing.T) {
	fs := append(edges(), math.NaN(), math.Inf(1), math.Inf(-1))
	for _, f := range fs {
		var a, b jwriter.Writer
		Write(&a, f)
		b.Float64(f)
		ab, aerr := a.BuildBytes()
		bb, berr := b.BuildBytes()
		if string(ab) != string(bb) || (aerr == nil) != (berr == nil) || (aerr != nil && aerr.Error() != berr.Error()) {
			t.Fatalf("Write(%v) = %q, %v; Float64 gives %q, %v", f, ab, aerr, bb, berr)
		}
	}
}

// FuzzAppend compares Append with strconv for any float64 bits, and for
// the decimals made of any mantissa and exponent.
func FuzzAppend(f *testing.F) {
	for _, v := range seeds {
		f.Add(math.Float64bits(v), uint64(0), int8(0))
	}
	f.Add(uint64(0), uint64(422335581758), int8(-13))
	f.Fuzz(func(t *testing.T, bits, mant uint64, exp int8) {
		if v := math.Float64frombits(bits); v-v == 0 {
			check(t, v)
		}
		v, err := strconv.ParseFloat(strconv.FormatUint(mant%1e17, 10)+"e"+strconv.Itoa(int(exp)), 64)
		if err == nil && v-v == 0 {
			check(t, v)
			check(t, -v)
		}
	})
}

func BenchmarkAppend(b *testing.B) {
	vals := []float64{0.0422335581758, 1164.30032311, 707.08662999, 0.607306049783, 782.266415153, 0.0462442918195, 6.1e-05, 1500, 0}
	buf := make([]byte, 0, 64)
	b.Run("jsonfloat", func(b *testing.B) {
		for b.Loop() {
			for _, v := range vals {
				buf = Append(buf[:0], v)
			}
		}
	})
	b.Run("strconv", func(b *testing.B) {
		for b.Loop() {
			for _, v := range vals {
				buf = strconv.AppendFloat(buf[:0], v, 'g', -1, 64)
			}
		}
	})
}

// TestNearPowersOfTwo checks the decimals of up to 15 digits nearest to
// each power of two the fast path covers, and their neighbours in the last
// digit: below a power of two the gap to the next float64 halves, the one
// place where the rounding interval is not symmetric.
func TestNearPowersOfTwo(t *testing.T) {
	for e := -27; e <= 50; e++ {
		p := math.Ldexp(1, e)
		for nd := 1; nd <= 17; nd++ {
			s := strconv.FormatFloat(p, 'e', nd-1, 64)
			mant, exp, _ := strings.Cut(s, "e")
			digits := strings.Replace(mant, ".", "", 1)
			x, _ := strconv.ParseInt(digits, 10, 64)
			ex, _ := strconv.Atoi(exp)
			for dx := int64(-2); dx <= 2; dx++ {
				f, err := strconv.ParseFloat(strconv.FormatInt(x+dx, 10)+"e"+strconv.Itoa(ex-(nd-1)), 64)
				if err != nil {
					t.Fatal(err)
				}
				check(t, f)
				check(t, math.Nextafter(f, 0))
				check(t, math.Nextafter(f, math.Inf(1)))
			}
		}
	}
}
