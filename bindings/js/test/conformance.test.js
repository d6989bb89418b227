'use strict';
// Runs the shared conformance corpus (docs/DESIGN.md#conformance) through the Node binding:
// each vector on a fresh instance, response bytes compared exactly.

const test = require('node:test');
const assert = require('node:assert/strict');
const { loadSync, load } = require('../index.js');
const { runVector, runAll } = require('./conformance.js');
const { readCorpus, CORPUS } = require('./helpers/corpus.js');
const { quiet } = require('./helpers/quiet.js');

const vectors = readCorpus();

test('conformance corpus (loadSync, one fresh instance per vector)', async (t) => {
  assert.ok(vectors.length > 0, `no vectors in ${CORPUS}: a runner must not pass by running nothing`);
  for (const v of vectors) {
    await t.test(v.name, async () => {
      const ceg = loadSync({ epoch: false, ...quiet().options }); // plain ids: the vectors compare bytes
      const r = await runVector(v, ceg.callRaw);
      assert.ok(r.ok, `${v.file}: ${r.detail}`);
    });
  }
});

test('conformance corpus through load({ worker: true }) gives the same bytes', async () => {
  const r = await runAll(vectors, async () => {
    const ceg = await load({ worker: true, epoch: false, ...quiet().options });
    return { callRaw: ceg.callRaw, close: ceg.close };
  });
  const failed = r.results.filter((x) => !x.ok).map((x) => `${x.file}: ${x.detail}`);
  assert.deepEqual(failed, []);
  assert.equal(r.passed, vectors.length);
});

test('runAll refuses an empty corpus', async () => {
  await assert.rejects(runAll([], async () => ({ callRaw: () => '' })), /corpus is empty/);
});
