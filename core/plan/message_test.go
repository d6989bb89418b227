package plan

import "testing"

// TestFromMessage restates the original contract compiler's rules.
func TestFromMessage(t *testing.T) {
	tests := []struct {
		msg                 string
		maxCost, maxLatency float64
		level               float64
	}{
		{"hello there", 0.20, 10000, 0.7},
		{"Give me a QUICK answer", 0.05, 3000, 0.7},
		{"brief and exact please", 0.05, 3000, 0.9},
		{"a precise summary", 0.20, 10000, 0.9},
		{"deterministic output", 0.20, 10000, 0.9},
		{"what's for breakfast", 0.05, 3000, 0.7}, // a substring test, as in the original
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			c := FromMessage(tt.msg)
			l := c.Constraints
			if *l.MaxCost != tt.maxCost || *l.MaxLatencyMs != tt.maxLatency || *l.DeterminismLevel != tt.level || l.Determinism {
				t.Errorf("got: maxCost %v maxLatencyMs %v level %v determinism %v want: %v %v %v false",
					*l.MaxCost, *l.MaxLatencyMs, *l.DeterminismLevel, l.Determinism, tt.maxCost, tt.maxLatency, tt.level)
			}
			if c.Intent != tt.msg || c.ID != MessageID(tt.msg) || len(c.ID) != 20 {
				t.Errorf("got: intent %q id %q want: the message and its id", c.Intent, c.ID)
			}
		})
	}
}
