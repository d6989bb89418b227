'use strict';
// Handles and sessions whose JS objects are garbage collected are freed in
// the module (issue 9, item 4: FinalizationRegistry). The check runs in a
// child Node started with --expose-gc so it can force collections.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

function run(mode) {
  const out = execFileSync(process.execPath, ['--expose-gc', path.join(__dirname, 'helpers', 'gc-child.js'), mode], { encoding: 'utf8', timeout: 120000 });
  return JSON.parse(out.trim().split('\n').pop());
}

for (const mode of ['sync', 'async', 'worker']) {
  test(`${mode}: lost objects are freed, kept and dropped ones are not freed twice`, () => {
    const r = run(mode);
    assert.equal(r.before, 300, 'over the 256-handle limit without freeing: objects were collected and freed');
    assert.deepEqual(r.gone, { graph: 'UNKNOWN_HANDLE', session: 'UNKNOWN_SESSION' }, 'the collected objects\' ids are gone from the module');
    assert.equal(r.keptAlive, 2, 'a live object keeps its graph');
    assert.ok(r.freed >= 256, `freed ${r.freed}`);
    assert.equal(r.sameObject, true, 'openGraph returns the live owner');
  });
}

test('autoFree: false keeps everything until drop/close', () => {
  const r = run('off');
  assert.equal(r.limit, 'LIMIT_EXCEEDED');
  assert.equal(r.freed, 0);
});
