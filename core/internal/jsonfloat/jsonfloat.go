// Package jsonfloat formats float64 values for the wire exactly as
// easyjson's jwriter.Writer.Float64 does — strconv.AppendFloat(b, f, 'g',
// -1, 64), the shortest decimal that parses back to f — but without the
// general shortest-digits search for the values an answer is made of.
//
// Nearly every number in an answer has at most 12 significant digits
// (dilation.Round) or is a small integer. For such a value the digits are
// found with one multiplication and checked with one division:
//
//   - N = round(|f| * 10^d), with d chosen so that N has at most 15 digits
//     and 10^d is exact (0 <= d <= 22);
//   - N / 10^d (both exact, one correctly rounded division) == |f| proves
//     that the decimal N·10^-d rounds to f;
//   - two different decimals of at most 15 significant digits never round
//     to the same float64 (10^15 < 2^52), so that decimal, with its
//     trailing zeros dropped, is the shortest decimal that rounds to f: the
//     digits strconv finds. (It cannot be halfway between two floats
//     either: such a point needs 54 significant bits, N·10^-d has at most
//     50, so ties, and how strconv breaks them, never arise.)
//
// Any other value (more than 15 significant digits, magnitude below 1e-8 or
// at least 1e15, subnormal, NaN, ±Inf) goes to strconv. The result is
// byte-identical to strconv.AppendFloat(b, f, 'g', -1, 64) for every
// float64 (FuzzAppend and the edge-case tests compare them).
package jsonfloat

import (
	"math"
	"strconv"

	"github.com/mailru/easyjson/jwriter"
)

// Write appends f to w exactly as w.Float64(f) would: the same bytes, and
// for NaN and ±Inf nothing but easyjson's "unsupported value" error (Write
// calls w.Float64 for them).
func Write(w *jwriter.Writer, f float64) {
	if f-f != 0 { // NaN or ±Inf
		w.Float64(f)
		return
	}
	w.Buffer.EnsureSpace(24)
	w.Buffer.Buf = Append(w.Buffer.Buf, f)
}

// Append appends strconv.AppendFloat(dst, f, 'g', -1, 64) to dst, byte for
// byte, for every float64 f.
func Append(dst []byte, f float64) []byte {
	a := math.Abs(f)
	if a < 1e6 && a == float64(int64(a)) && (a != 0 || !math.Signbit(f)) {
		// An integer below 10^6: strconv writes its digits (exponent
		// notation starts at 10^6). -0 is left to strconv ("-0").
		return strconv.AppendInt(dst, int64(f), 10)
	}
	if !(a >= 1e-8 && a < 1e15) {
		return strconv.AppendFloat(dst, f, 'g', -1, 64)
	}
	// k estimates ⌊log10 a⌋ (from the binary exponent, then the table); an
	// estimate off by one only makes the check below fail or cover fewer
	// values, never gives wrong digits.
	e2 := int(math.Float64bits(a)>>52) - 1023
	k := (e2 * 78913) >> 18 // ⌊e2·log10(2)⌋
	if k+1 <= 14 && a >= pow10[k+1+8] {
		k++
	}
	d := 14 - k // N gets 15 digits
	if d < 0 || d > 22 {
		return strconv.AppendFloat(dst, f, 'g', -1, 64)
	}
	s := exact10[d]
	// int64, not uint64: its conversions are single instructions.
	n := int64(float64(a*s) + 0.5)
	if n >= 1e15 || float64(n)/s != a {
		return strconv.AppendFloat(dst, f, 'g', -1, 64)
	}
	// a is the decimal n·10^-d: drop n's trailing zeros (n > 0), then lay
	// the digits out as strconv's %g does for the shortest digits.
	for n%1000 == 0 {
		n /= 1000
		d -= 3
	}
	for n%10 == 0 {
		n /= 10
		d--
	}
	var buf [16]byte
	i := len(buf)
	for n >= 100 {
		q := n / 100
		r := n - q*100
		i -= 2
		buf[i], buf[i+1] = digits[2*r], digits[2*r+1]
		n = q
	}
	if n >= 10 {
		i -= 2
		buf[i], buf[i+1] = digits[2*n], digits[2*n+1]
	} else {
		i--
		buf[i] = byte('0' + n)
	}
	digs := buf[i:]
	nd := len(digs)
	dp := nd - d // the decimal point's place: a = 0.digs × 10^dp
	if f < 0 {
		dst = append(dst, '-')
	}
	if exp := dp - 1; exp < -4 || exp >= 6 {
		// %e: d[.ddd]e±XX
		dst = append(dst, digs[0])
		if nd > 1 {
			dst = append(dst, '.')
			dst = append(dst, digs[1:]...)
		}
		dst = append(dst, 'e')
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		// |exp| <= 22 here: two digits.
		return append(dst, byte('0'+exp/10), byte('0'+exp%10))
	}
	// %f
	switch {
	case dp <= 0: // 0.000ddd
		dst = append(dst, '0', '.')
		for ; dp < 0; dp++ {
			dst = append(dst, '0')
		}
		return append(dst, digs...)
	case dp >= nd: // ddd000
		dst = append(dst, digs...)
		for ; nd < dp; nd++ {
			dst = append(dst, '0')
		}
		return dst
	default: // dd.ddd
		dst = append(dst, digs[:dp]...)
		dst = append(dst, '.')
		return append(dst, digs[dp:]...)
	}
}

// pow10[i+8] is the float64 nearest 10^i, for i in [-8, 15]: the estimate
// of ⌊log10 a⌋ compares with them.
var pow10 = [...]float64{
	1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1,
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
}

// exact10[i] is 10^i, exactly representable for i <= 22.
var exact10 = [...]float64{
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
}

const digits = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"
