package norm

import "testing"

func TestName(t *testing.T) {
	for in, want := range map[string]string{
		"openai":         "openai",
		"OpenAI":         "openai",
		"openai ":        "openai",
		"\t OPENAI\n":    "openai",
		"Me\u0301stral":  "m\u00e9stral", // decomposed é composes (NFC) and lowers
		"M\u00c9STRAL":   "m\u00e9stral",
		"\u043epenai":    "\u043epenai", // Cyrillic o: a look-alike stays different
		"private-llm_2.": "private-llm_2.",
	} {
		if got := Name(in); got != want {
			t.Errorf("Name(%q) got: %q want: %q", in, got, want)
		}
		if Name(Name(in)) != Name(in) {
			t.Errorf("Name is not idempotent on %q", in)
		}
	}
	for s, ok := range map[string]bool{"openai": true, "": false, "a\x00b": false, "a\u0085": false} {
		if ValidName(s) != ok {
			t.Errorf("ValidName(%q) got: %v", s, !ok)
		}
	}
}

func FuzzName(f *testing.F) {
	for _, s := range []string{"openai", " OpenAI ", "Me\u0301stral", "\xff", "\u0130", "a\ufffd", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Name(s)
		if Name(n) != n {
			t.Errorf("Name not idempotent: %q -> %q -> %q", s, n, Name(n))
		}
		// Garbled is decided by the input: canonicalising never makes U+FFFD
		// out of valid text, and never removes it.
		if Garbled(n) != Garbled(s) {
			t.Errorf("Garbled(%q) = %v but Garbled(Name) = Garbled(%q) = %v", s, Garbled(s), n, Garbled(n))
		}
	})
}
