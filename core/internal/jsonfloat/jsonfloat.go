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
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
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
	// Append writes at most 24 bytes but wants room for 40 (its fixed-size
	// copies): with that much ensured it never grows the writer's chunk
	// into a new array (which would copy the whole chunk).
	w.Buffer.EnsureSpace(40)
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
	// a = m·2^e exactly, so a·10^d = m·5^d · 2^-sh: m·5^d is exact in 128
	// bits (5^22 < 2^52), and n, the integer nearest to a·10^d, and its
	// distance from it come from a shift, with no rounding anywhere.
	b := math.Float64bits(a)
	m := b&(1<<52-1) | 1<<52
	sh := 1075 - int(b>>52) - d // -(e+d)
	if sh <= 0 || sh >= 64 {
		return strconv.AppendFloat(dst, f, 'g', -1, 64)
	}
	hi, lo := bits.Mul64(m, pow5[d])
	if hi>>sh != 0 {
		return strconv.AppendFloat(dst, f, 'g', -1, 64)
	}
	un := hi<<(64-sh) | lo>>sh
	rem := lo & (1<<sh - 1)
	var dist uint64 // |n − a·10^d|, in units of 2^-sh
	below := false  // n·10^-d < a
	if rem >= 1<<(sh-1) {
		un++
		dist = 1<<sh - rem
	} else {
		dist, below = rem, rem != 0
	}
	// n·10^-d rounds to a when it is nearer to a than half the gap to
	// the next float64 on its side: 2^(e-1) (2^(e-2) below a power of
	// two), or 5^d/2 (5^d/4) in units of 2^-sh. 5^d is odd, so no tie.
	limit := pow5[d] >> 1
	if below && m == 1<<52 {
		limit = pow5[d] >> 2
	}
	if dist > limit || un >= 1e15 {
		return strconv.AppendFloat(dst, f, 'g', -1, 64)
	}
	// a is the decimal un·10^-d. Its 16 digits, zero-padded, are made in
	// two independent 8-digit words; the leading and trailing zero digits
	// are counted on the words, and their characters go to buf[:16]. buf is
	// larger than 16 so that the fixed 16-byte copies below stay in bounds.
	hw, lw := digits8(uint32(un/1e8)), digits8(uint32(un%1e8))
	var buf [48]byte
	binary.LittleEndian.PutUint64(buf[0:8], hw|zeros)
	binary.LittleEndian.PutUint64(buf[8:16], lw|zeros)
	var lead, trail int // '0' characters before the first and after the last other digit (un > 0)
	if hw != 0 {
		lead = bits.TrailingZeros64(hw) >> 3
	} else {
		lead = 8 + bits.TrailingZeros64(lw)>>3
	}
	if lw != 0 {
		trail = bits.LeadingZeros64(lw) >> 3
	} else {
		trail = 8 + bits.LeadingZeros64(hw)>>3
	}
	digs := buf[lead:]
	nd := 16 - lead - trail
	d -= trail
	dp := nd - d // the decimal point's place: a = 0.digits × 10^dp
	l := len(dst)
	dst = slices.Grow(dst, 40)[:l+40]
	if f < 0 {
		dst[l] = '-'
		l++
	}
	if exp := dp - 1; exp < -4 || exp >= 6 {
		// %e: d[.ddd]e±XX
		dst[l] = digs[0]
		l++
		if nd > 1 {
			dst[l] = '.'
			*(*[16]byte)(dst[l+1:]) = *(*[16]byte)(digs[1:])
			l += nd
		}
		sign := byte('+')
		if exp < 0 {
			sign, exp = '-', -exp
		}
		// |exp| <= 22 here: two digits.
		dst[l], dst[l+1], dst[l+2], dst[l+3] = 'e', sign, byte('0'+exp/10), byte('0'+exp%10)
		return dst[:l+4]
	}
	// %f
	switch {
	case dp <= 0: // 0.000ddd (dp >= -4)
		*(*[6]byte)(dst[l:]) = [6]byte{'0', '.', '0', '0', '0', '0'}
		l += 2 - dp
		*(*[16]byte)(dst[l:]) = *(*[16]byte)(digs)
		return dst[:l+nd]
	case dp >= nd: // ddd000 (dp <= 6)
		*(*[16]byte)(dst[l:]) = *(*[16]byte)(digs)
		*(*[8]byte)(dst[l+nd:]) = [8]byte{'0', '0', '0', '0', '0', '0', '0', '0'}
		return dst[:l+dp]
	default: // dd.ddd (0 < dp < nd, dp <= 6)
		*(*[16]byte)(dst[l:]) = *(*[16]byte)(digs)
		dst[l+dp] = '.'
		*(*[16]byte)(dst[l+dp+1:]) = *(*[16]byte)(digs[dp:])
		return dst[:l+nd+1]
	}
}

// digits8 returns the 8 decimal digits of v < 10^8, zero-padded, as the
// bytes of a little-endian word (the first digit in the low byte), each
// digit's value (not its character: or zeros to get those). The divisions
// run on all lanes at once: by 10,000 once, then by 100 in two 32-bit
// lanes ((x·5243)>>19 is x/100 for x < 43,699) and by 10 in four 16-bit
// lanes ((x·103)>>10 is x/10 for x < 179); no lane overflows.
func digits8(v uint32) uint64 {
	x := uint64(v/10000) | uint64(v%10000)<<32
	hi := (x * 5243 >> 19) & 0x0000007F0000007F
	y := hi | (x-hi*100)<<16
	hi = (y * 103 >> 10) & 0x000F000F000F000F
	return hi | (y-hi*10)<<8
}

// zeros is "00000000" as a little-endian word.
const zeros = 0x3030303030303030

// pow10[i+8] is the float64 nearest 10^i, for i in [-8, 15]: the estimate
// of ⌊log10 a⌋ compares with them.
var pow10 = [...]float64{
	1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1,
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
}

// pow5[i] is 5^i.
var pow5 = func() (t [23]uint64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = 5 * t[i-1]
	}
	return t
}()
