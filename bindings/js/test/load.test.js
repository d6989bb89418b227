'use strict';
// Loading: both entries, every form of the wasm option, option checking,
// the ABI check and the request-size limit.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { pathToFileURL } = require('node:url');
const ceg = require('../index.js');
const { load, loadSync, CegError, DEFAULT_WASM } = ceg;
const { fakeModule } = require('./helpers/fake-module.js');
const { quiet } = require('./helpers/quiet.js');

const EXPECTED_VERSION = { abi: '1.0' };

test('require and import expose the same entry', async () => {
  const esm = await import('../index.mjs');
  assert.equal(esm.load, load);
  assert.equal(esm.loadSync, loadSync);
  assert.equal(esm.CegError, CegError);
  const pkg = await import('@convergence-io/ceg');
  assert.equal(pkg.load, load, 'the package name resolves (exports map) to the same entry');
  assert.equal(require('@convergence-io/ceg').loadSync, loadSync);
});

test('load() with no options reads ceg.wasm next to the binding', async () => {
  const c = await load();
  const v = await c.version();
  assert.equal(v.abi, EXPECTED_VERSION.abi);
  assert.match(v.module, /^ceg /);
  assert.deepEqual(c.abi, { major: 1, minor: 0, raw: 0x00010000 });
  assert.equal(c.sync, false);
  assert.equal(c.worker, false);
});

test('load() is not a thenable trap: the API object has no then', async () => {
  const c = await load();
  assert.equal(typeof c.then, 'undefined');
});

test('the wasm option takes a path, a file URL, bytes, an ArrayBuffer and a Module', async () => {
  const bytes = fs.readFileSync(DEFAULT_WASM);
  const module = new WebAssembly.Module(bytes);
  const sources = [DEFAULT_WASM, pathToFileURL(DEFAULT_WASM), pathToFileURL(DEFAULT_WASM).href, bytes,
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), module];
  for (const wasm of sources) {
    const a = await load({ wasm });
    assert.equal((await a.version()).abi, '1.0');
    const s = loadSync({ wasm });
    assert.equal(s.version().abi, '1.0');
  }
});

test('load() takes a fetch Response (streaming compile with fallback)', async () => {
  const bytes = fs.readFileSync(DEFAULT_WASM);
  const typed = await load({ wasm: new Response(bytes, { headers: { 'content-type': 'application/wasm' } }) });
  assert.equal((await typed.version()).abi, '1.0');
  const untyped = await load({ wasm: new Response(bytes) }); // wrong MIME: compiled from the bytes
  assert.equal((await untyped.version()).abi, '1.0');
  await assert.rejects(load({ wasm: new Response('nope', { status: 404 }) }), (e) => e instanceof CegError && e.code === 'LOAD_FAILED');
});

test('loadSync returns values, not promises', () => {
  const s = loadSync();
  assert.equal(s.sync, true);
  const v = s.version();
  assert.equal(v.abi, '1.0');
  assert.equal(typeof s.memoryBytes(), 'number');
});

test('unknown options are rejected with the key', async () => {
  await assert.rejects(load({ wrker: true }), (e) => e instanceof CegError && e.code === 'INVALID_OPTIONS' && /wrker/.test(e.message) && e.path === 'wrker');
  assert.throws(() => loadSync({ worker: true }), (e) => e.code === 'INVALID_OPTIONS' && /worker/.test(e.message));
  assert.throws(() => loadSync({ onRecreate: 'yes' }), (e) => e.code === 'INVALID_OPTIONS' && e.path === 'onRecreate');
  assert.throws(() => loadSync(5), (e) => e.code === 'INVALID_OPTIONS');
});

test('a missing or invalid module file fails with LOAD_FAILED', async () => {
  assert.throws(() => loadSync({ wasm: '/nonexistent/ceg.wasm' }), (e) => e.code === 'LOAD_FAILED' && /nonexistent/.test(e.message));
  await assert.rejects(load({ wasm: __filename }), (e) => e.code === 'LOAD_FAILED' && /not a valid wasm module/.test(e.message));
  await assert.rejects(load({ wasm: new Uint8Array([0, 1, 2]) }), (e) => e.code === 'LOAD_FAILED');
  assert.throws(() => loadSync({ wasm: new Uint8Array([0, 1, 2]) }), (e) => e.code === 'LOAD_FAILED');
  await assert.rejects(load({ wasm: 'http://127.0.0.1:1/ceg.wasm' }), (e) => e.code === 'LOAD_FAILED' && /cannot fetch/.test(e.message));
  await assert.rejects(load({ wasm: 42 }), (e) => e.code === 'INVALID_OPTIONS');
});

test('a module speaking another ABI major is refused', async () => {
  const other = fakeModule({ abi: 0x00020000 });
  const check = (e) => e instanceof CegError && e.code === 'ABI_MISMATCH' && /ABI 2\.0/.test(e.message) && e.data.module === '2.0';
  assert.throws(() => loadSync({ wasm: other }), check);
  await assert.rejects(load({ wasm: other }), check);
  await assert.rejects(load({ wasm: other, worker: true }), check);
});

test('a newer minor of the same major is accepted', () => {
  const newer = fakeModule({ abi: 0x00010007 });
  assert.deepEqual(loadSync({ wasm: newer }).abi, { major: 1, minor: 7, raw: 0x00010007 });
});

test('a module without the CEG exports is refused by name', () => {
  assert.throws(() => loadSync({ wasm: fakeModule({ omit: ['ceg_call'] }) }),
    (e) => e.code === 'ABI_MISMATCH' && /ceg_call/.test(e.message));
});

test('ceg_alloc answering 0 is LIMIT_EXCEEDED, without calling ceg_call', () => {
  // The fake's ceg_call traps: had the binding called it, this would be INSTANCE_TRAPPED.
  const q = quiet();
  const c = loadSync({ wasm: fakeModule({ allocPtr: 0, callTraps: true }), ...q.options });
  assert.throws(() => c.version(), (e) => e.code === 'LIMIT_EXCEEDED');
  assert.equal(q.log.recreated.length, 0);
});

test('a request over the real module\'s limit is LIMIT_EXCEEDED and the instance stays usable', async () => {
  const s = loadSync();
  const big = 'x'.repeat(9 << 20); // over the 8 MiB request limit
  assert.throws(() => s.estimate(big), (e) => e instanceof CegError && e.code === 'LIMIT_EXCEEDED' && e.data.bytes > 9 << 20);
  assert.equal(s.version().abi, '1.0');
  const a = await load();
  await assert.rejects(a.estimate(big), (e) => e.code === 'LIMIT_EXCEEDED');
  assert.equal((await a.version()).abi, '1.0');
});

// The binding encodes a request straight into a buffer of one byte per
// UTF-16 code unit and falls back to a buffer of the real UTF-8 size when
// the text is not ASCII: under the limit in code units but over it in
// bytes is still LIMIT_EXCEEDED, with the byte count; a large non-ASCII
// request under the limit goes through whole.
test('a request that is not ASCII is sized in UTF-8 bytes', () => {
  const s = loadSync();
  const over = 'é'.repeat(5 << 20); // 5 Mi code units, 10 MiB of UTF-8
  assert.throws(() => s.estimate(over), (e) => e.code === 'LIMIT_EXCEEDED' && e.data.bytes > 10 << 20);
  const under = 'é'.repeat(3 << 20) + ' 🥐'; // 6 MiB of UTF-8
  assert.equal(typeof s.estimate(under).d, 'number');
  assert.equal(s.version().abi, '1.0');
});

test('close() makes later calls fail with CLOSED', async () => {
  const s = loadSync();
  s.close();
  assert.throws(() => s.version(), (e) => e.code === 'CLOSED');
  const a = await load();
  await a.close();
  await assert.rejects(a.version(), (e) => e.code === 'CLOSED');
});

test('warmup runs on a throwaway instance: the loaded one is pristine and answers alike', async () => {
  const { chatGraph, contract } = require('./helpers/graphs.js');
  const cold = loadSync();
  const warm = loadSync({ warmup: 3 });
  const a = cold.graph(chatGraph());
  const b = warm.graph(chatGraph());
  const counter = (h) => h.split('.')[0]; // handles carry each instance's own epoch after the counter
  assert.equal(counter(b.handle), 'g1', 'the first handle of a warmed instance is the first handle');
  assert.equal(counter(a.handle), 'g1');
  assert.deepEqual(warm.optimize({ graph: b, contract: contract() }), cold.optimize({ graph: a, contract: contract() }));
  const async = await load({ warmup: 2 });
  assert.equal(counter((await async.graph(chatGraph())).handle), 'g1');
  assert.equal(loadSync({ warmup: false }).version().abi, cold.version().abi);
});

test('warmup rejects what it cannot do', async () => {
  for (const bad of [-1, 1.5, 'yes', 1e9]) {
    assert.throws(() => loadSync({ warmup: bad }), (e) => e instanceof CegError && e.code === 'INVALID_OPTIONS' && e.path === 'warmup');
  }
  await assert.rejects(load({ worker: true, warmup: 10 }), (e) => e instanceof CegError && e.code === 'INVALID_OPTIONS' && e.path === 'warmup');
});

// unpack splits ceg_call's i64 through a DataView instead of BigInt
// arithmetic; it must agree with the arithmetic on every shape of value,
// including the negative BigInt of a pointer at 2 GiB or more.
test('unpack agrees with BigInt arithmetic', () => {
  const { unpack } = require('../core.js');
  const byArithmetic = (p) => {
    const u = BigInt.asUintN(64, BigInt(p));
    return { ptr: Number(u >> 32n), len: Number(u & 0xffffffffn) };
  };
  const cases = [0n, 1n, -1n, (5n << 32n) | 7n, BigInt.asIntN(64, (0xfffffff0n << 32n) | 123n),
    BigInt.asIntN(64, 0x80000000n << 32n), 0x7fffffffffffffffn, -(2n ** 63n), 42, 0];
  let seed = 1;
  const next = () => BigInt((seed = (seed * 48271) % 2147483647));
  for (let i = 0; i < 1000; i++) cases.push(BigInt.asIntN(64, (next() << 33n) ^ (next() << 1n) ^ next()));
  for (const p of cases) assert.deepEqual(unpack(p), byArithmetic(p), `unpack(${p})`);
});
