package state

import "testing"

func TestSeconds(t *testing.T) {
	for _, c := range []struct {
		ms   float64
		want string
	}{
		{0, "0 s"},
		{29900, "29.9 s"},
		{29949, "29.9 s"},
		{30000, "30 s"},
		{600000, "600 s"},
		{1000, "1 s"},
		{960, "1 s"},
		{940, "0.94 s"},
		{250, "0.25 s"},
		{4, "0.004 s"},
		{1234, "1.2 s"},
		{-2500, "-2.5 s"},
	} {
		if got := Seconds(c.ms); got != c.want {
			t.Errorf("Seconds(%v): got: %q want: %q", c.ms, got, c.want)
		}
	}
}

// A rejection detail must never show a raw epoch: the one that caught it
// printed "circuit open until 1796121987849".
func TestSecondsIsNotAnEpoch(t *testing.T) {
	if got := Seconds(1796121987849 - 1796121957949); got != "29.9 s" {
		t.Errorf("got: %q want: %q", got, "29.9 s")
	}
}
