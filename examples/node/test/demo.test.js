'use strict';
// The demo runs to the end and prints what it built.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFile } = require('node:child_process');

test('demo.js prints the graph, the dilation and the plan with its rejections', async () => {
  const out = await new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(__dirname, '..', 'demo.js')], { timeout: 30000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
  });
  assert.match(out, /^CEG ceg \S+ \(ABI 1\.0/);
  assert.match(out, /graph g1\.[0-9a-f]{12}: 5 nodes, 4 edges, tick 0/); // the handle carries the instance epoch
  assert.match(out, /gpt +openai .* budget/);
  assert.match(out, /intent "turn" may run on: claude, gpt, local/);
  assert.match(out, /dilation D = \d/);
  assert.match(out, /\nplan plan-\S+ feasible/);
  assert.match(out, /step step-turn: turn -> \w+/);
  assert.match(out, /fails over to: /);
  assert.match(out, /rejected gpt: CONSTRAINT_VIOLATED/, 'the budget constraint blocks gpt');
});
