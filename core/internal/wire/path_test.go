package wire

import "testing"

func TestPathAt(t *testing.T) {
	tests := []struct {
		name, data, at string
		want           string
	}{
		{"top key", `{"a": 1}`, `1`, "a"},
		{"nested", `{"graph":{"nodes":[{"id":"x"},{"id":"y","kind":7}]}}`, `7`, "graph.nodes[1].kind"},
		{"after value", `{"a":[1,"x"]}`, `]`, "a[1]"},
		{"after colon", `{"graph":{"bogus": 1}}`, ` 1`, "graph.bogus"},
		{"escaped key", `{"a\"b":true}`, `true`, `a"b`},
		{"root", `[1,2]`, `[`, ""},
		{"second op", `{"ops":[{"op":"a"},{"op":"b","node":{"id":3}}]}`, `3`, "ops[1].node.id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			off := indexOf(tt.data, tt.at)
			if got := PathAt([]byte(tt.data), off); got != tt.want {
				t.Errorf("PathAt(%s, %d) got: %q want: %q", tt.data, off, got, tt.want)
			}
		})
	}
}

func TestPathAtNeverPanics(t *testing.T) {
	for _, s := range []string{``, `"`, `{"a`, `]]]`, `{"a":"\`, `{{{`, `,,,`} {
		for off := -1; off <= len(s)+1; off++ {
			if off < 0 {
				continue
			}
			_ = PathAt([]byte(s), off)
		}
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
