'use strict';
// The main job: demo-chat.js runs four turns through the chat server and
// exits 0 with a transcript.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { execFile } = require('node:child_process');

test('demo-chat.js runs four turns through executor sessions and exits 0', { timeout: 30000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ceg-demo-'));
  const spansFile = path.join(dir, 'spans.jsonl');
  const env = { ...process.env, CEG_OTEL_FILE: spansFile };
  const { code, stdout, stderr } = await new Promise((resolve) => {
    execFile(process.execPath, [path.join(__dirname, '..', 'demo-chat.js')], { timeout: 25000, env }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
  const exported = fs.existsSync(spansFile) ? fs.readFileSync(spansFile, 'utf8').trim().split('\n').length : 0;
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(code, 0, `exit code ${code}\n${stdout}\n${stderr}`);
  const out = stdout;
  assert.match(out, /^CEG ceg \S+ \(ABI 1\.\d+\)/);
  assert.match(out, /chat server http:\/\/127\.0\.0\.1:\d+/);
  for (let n = 1; n <= 4; n++) assert.match(out, new RegExp(`\\n== turn ${n}: "`));
  const turns = out.split('\n== turn ').slice(1);
  assert.equal(turns.length, 4);
  // Turn 1: planned onto the cheap broken providers, fails over to a healthy one.
  assert.match(turns[0], /failover chain \(estimated cost\): \S+ \$\d/);
  assert.match(turns[0], /attempt 1 .* timeout /);
  assert.match(turns[0], /attempt \d +borealis-\w+ +\(borealis\) error .*HTTP 500/);
  assert.match(turns[0], /attempt \d +(aurora|delta) .* ok /);
  assert.match(turns[0], /answer \((aurora|delta), attempt \d of \d\): \[\1\] You said: /);
  // Later turns: borealis's circuit is open, its models are rejected.
  for (const t of turns.slice(1)) {
    assert.match(t, /rejected borealis-max, borealis-mini, borealis-pro: RESOURCE_DOWN \(circuit open for another \d/);
    assert.doesNotMatch(t, /\(borealis\)/);
  }
  // The fresh-facts question dilates more and widens grounding.
  const d = turns.map((t) => Number(/ D (\d+\.\d+);/.exec(t)[1]));
  assert.ok(d[1] > d[0], `D rises on the 'latest prices ... vs ...??' turn: ${d}`);
  assert.match(turns[1], /up to 6 results/);
  assert.match(out, /streamed tokens discarded/);
  assert.match(out, /== breakers carried across 4 turns/);
  assert.match(out, /\n  borealis +circuit_open +errors 3, level 1, open for another/);
  assert.match(out, /== trace of the last session s\d+/);
  assert.match(out, /\n  \d+ records: session_start 1, plan 1, dispatch /);
  assert.match(out, /verifyTrace: valid true, count \d+/);
  // The turns' spans went to an OTLP/JSON file, one session span per turn.
  const spans = Number(/\n== OpenTelemetry: (\d+) spans of 4 turns -> (\S+)\n/.exec(out)[1]);
  assert.ok(out.includes(` -> ${spansFile}\n`), 'the demo says where the spans went');
  assert.equal(exported, spans, 'one OTLP/JSON line per span in that file');
  assert.match(out, /\n  trace [0-9a-f]{8}… session s1 complete: \S+ timeout, .*(aurora|delta) ok\n/);
  assert.match(out, /\ndemo-chat: ok\n$/);
  assert.equal(stderr, '');
});
