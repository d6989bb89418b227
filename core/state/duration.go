package state

import (
	"math"
	"strconv"
)

// Seconds formats a duration given in milliseconds for people: seconds with
// a unit, "29.9 s", never a raw millisecond count or a host epoch. From one
// second up it is rounded to a tenth ("30 s", "29.9 s", "600 s"); below one
// second to two significant digits ("0.25 s", "0.004 s"); 0 is "0 s". A
// negative duration is formatted as its magnitude with a leading minus. The
// result depends only on ms, so details that carry it stay deterministic.
func Seconds(ms float64) string {
	if math.IsNaN(ms) || math.IsInf(ms, 0) {
		return strconv.FormatFloat(ms, 'f', -1, 64) + " ms"
	}
	sign := ""
	if ms < 0 {
		sign, ms = "-", -ms
	}
	s := ms / 1000
	switch {
	case s == 0:
		return "0 s"
	case s >= 0.95:
		// Rounded to a tenth; 0.95 and up rounds to 1 s or more.
		return sign + strconv.FormatFloat(math.Round(s*10)/10, 'f', -1, 64) + " s"
	default:
		return sign + strconv.FormatFloat(s, 'g', 2, 64) + " s"
	}
}
