package testrunner

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// A session snapshotted under wazero and restored in Node (through the JS
// binding) continues byte-identically with the same session restored in
// another wazero instance (docs/DESIGN.md#executor, issue: snapshot/restore across
// runtimes).
func TestSnapshotRestoreAcrossRuntimes(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is required for the cross-runtime test: ", err)
	}
	const start = `{"jsonrpc":"2.0","id":1,"method":"exec.start","params":{"graph":{"nodes":[
		{"id":"gpt","kind":"resource","provider":"openai","capabilities":["chat"],"costPerToken":0.00001},
		{"id":"claude","kind":"resource","provider":"anthropic","capabilities":["chat"],"costPerToken":0.00002},
		{"id":"local","kind":"resource","provider":"local","capabilities":["chat"],"costPerToken":0.00003}],"edges":[]},
		"contract":{"id":"turn-1","intent":"what is the latest price of gold?"},"state":{"now":1000}}}`
	a := fresh(t)
	call(t, a, start)
	// The first dispatch fails: the engine re-dispatches on the next fallback.
	call(t, a, `{"jsonrpc":"2.0","id":2,"method":"exec.report","params":{"session":"s1","now":1300,"outcomes":[{"step":"step-intent","status":"error","error":"HTTP 500"}]}}`)
	snap := call(t, a, `{"jsonrpc":"2.0","id":3,"method":"exec.snapshot","params":{"session":"s1"}}`)
	m := regexp.MustCompile(`^\{"jsonrpc":"2.0","id":3,"result":(\{"snapshot":.*\})\}$`).FindStringSubmatch(snap)
	if m == nil {
		t.Fatalf("exec.snapshot got: %.300s", snap)
	}
	restore := `{"jsonrpc":"2.0","id":4,"method":"exec.restore","params":` + m[1] + `}`
	report := `{"jsonrpc":"2.0","id":5,"method":"exec.report","params":{"session":"s1","now":2100,"outcomes":[{"step":"step-intent","status":"ok","latencyMs":800,"cost":0.02,"tokens":900}]}}`
	final := `{"jsonrpc":"2.0","id":6,"method":"exec.snapshot","params":{"session":"s1"}}`

	b := fresh(t)
	var want bytes.Buffer
	for _, req := range []string{restore, report, final} {
		want.WriteString(call(t, b, req))
		want.WriteByte('\n')
	}
	// Continuing in the original instance gives the same bytes as the restore.
	if got := call(t, a, report); got+"\n" != lineOf(want.String(), 1) {
		t.Errorf("original instance and restored instance differ:\n got: %.300s\nwant: %.300s", got, lineOf(want.String(), 1))
	}

	script := `
const { loadSync } = require(process.argv[1]);
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean);
const ceg = loadSync({ epoch: false }); // plain ids: compared with wazero byte for byte
for (const l of lines) process.stdout.write(ceg.callRaw(l) + '\n');
`
	cmd := exec.Command(node, "-e", script, "../bindings/js/index.js")
	cmd.Stdin = bytes.NewBufferString(restore + "\n" + report + "\n" + final + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("Node continued differently from wazero:\n got: %.600s\nwant: %.600s", got, want.String())
	}
	if !bytes.Contains(want.Bytes(), []byte(`"status":"complete"`)) {
		t.Errorf("the restored session did not complete: %.600s", want.String())
	}
}

// lineOf returns line i (0-based) of s, with its newline.
func lineOf(s string, i int) string { return strings.SplitAfter(s, "\n")[i] }
