'use strict';
// Worker mode: the module runs in a worker_threads Worker behind the same
// async API; results and errors are the same as in-thread.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { load, loadSync, CegError } = require('../index.js');
const { quiet } = require('./helpers/quiet.js');

const TRAP = Symbol.for('@convergence-io/ceg/debugTrap');

test('worker mode answers like the in-thread instance', async (t) => {
  const w = await load({ worker: true });
  t.after(() => w.close());
  assert.equal(w.worker, true);
  assert.equal(w.sync, false);
  assert.deepEqual(w.abi, { major: 1, minor: 0, raw: 0x00010000 });
  const s = loadSync();
  assert.deepEqual(await w.version(), s.version());
  const req = '{"jsonrpc":"2.0","id":1,"method":"dilation.estimate","params":{"text":"latest news vs yesterday??"}}';
  assert.equal(await w.callRaw(req), s.callRaw(req));
  const g = await w.graph({ nodes: [{ id: 'a', kind: 'intent' }, { id: 'b', kind: 'intent' }], edges: [{ from: 'a', to: 'b', kind: 'requires' }] });
  assert.deepEqual(await g.requiredBy('a'), ['b']);
  assert.equal(typeof await w.memoryBytes(), 'number');
});

test('worker mode rebuilds CegError with its fields', async (t) => {
  const w = await load({ worker: true });
  t.after(() => w.close());
  await assert.rejects(w.validate({ nodes: [{ id: 'a', kind: 'nope' }], edges: [] }),
    (e) => e instanceof CegError && e.code === 'INVALID_PARAMS' && e.path === 'graph.nodes[0].kind' && e.rpcCode === -32602);
  const big = 'x'.repeat(9 << 20);
  await assert.rejects(w.estimate(big), (e) => e instanceof CegError && e.code === 'LIMIT_EXCEEDED');
  const out = await w.batch([{ method: 'version' }, { method: 'nope' }]);
  assert.equal(out[0].ok, true);
  assert.equal(out[1].error.code, 'METHOD_NOT_FOUND');
});

test('concurrent calls are answered in order and each gets its own result', async (t) => {
  const w = await load({ worker: true });
  t.after(() => w.close());
  const inputs = Array.from({ length: 50 }, (_, i) => i / 50);
  const ds = await Promise.all(inputs.map((u) => w.dilation({ uncertainty: u, costPressure: 0, confidence: 0 })));
  const s = loadSync();
  assert.deepEqual(ds, inputs.map((u) => s.dilation({ uncertainty: u, costPressure: 0, confidence: 0 })));
});

test('a trap in the worker is recovered there and reported here', async (t) => {
  const q = quiet();
  const w = await load({ worker: true, ...q.options });
  t.after(() => w.close());
  await assert.rejects(w[TRAP](), (e) => e instanceof CegError && e.code === 'INSTANCE_TRAPPED');
  assert.equal(q.log.recreated.length, 1);
  assert.equal(q.log.recreated[0].recreations, 1);
  assert.ok(q.log.stderr.some((l) => /fatal error/.test(l)), 'the worker forwards stderr lines');
  assert.equal((await w.version()).abi, '1.0');
});

test('close() terminates the worker; later calls fail with CLOSED', async () => {
  const w = await load({ worker: true });
  await w.close();
  await assert.rejects(w.version(), (e) => e.code === 'CLOSED');
});

test('an idle worker does not keep the process alive', async () => {
  const script = `
    const { load } = require(${JSON.stringify(path.join(__dirname, '..', 'index.js'))});
    load({ worker: true }).then((w) => w.version()).then((v) => console.log(v.abi));`;
  const out = await new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { timeout: 20000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
  assert.equal(out.trim(), '1.0');
});
