'use strict';
// JSON-RPC through the binding: call, CegError fields, batch, notifications
// and exact bytes with callRaw.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync, CegError } = require('../index.js');

test('call returns the result object', async () => {
  const a = await load();
  assert.deepEqual(Object.keys(await a.call('version')), ['abi', 'module', 'go']);
  assert.deepEqual(await a.call('dilation.compute', { uncertainty: 1, costPressure: 0, confidence: 0 }), { d: 2 });
  const s = loadSync();
  assert.deepEqual(s.call('dilation.compute', { uncertainty: 1, costPressure: 0, confidence: 0 }), { d: 2 });
});

test('an invalid param throws CegError with code, path, rpcCode, method and data', () => {
  const s = loadSync();
  let err;
  try {
    s.validate({ nodes: [{ id: 'a', kind: 'intent' }, { id: 'b', kind: 'gadget' }], edges: [] });
  } catch (e) { err = e; }
  assert.ok(err instanceof CegError);
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'CegError');
  assert.equal(err.code, 'INVALID_PARAMS');
  assert.equal(err.path, 'graph.nodes[1].kind');
  assert.equal(err.rpcCode, -32602);
  assert.equal(err.method, 'graph.validate');
  assert.equal(err.data.code, 'INVALID_PARAMS');
  assert.equal(err.data.path, 'graph.nodes[1].kind');
  assert.match(err.message, /^graph\.validate: .*gadget/);
  assert.ok(err.stack);
});

test('an unknown param is rejected with its path (typos must not pass)', async () => {
  const a = await load();
  await assert.rejects(a.call('dilation.compute', { uncertainty: 0.5, costPresure: 0.1, confidence: 0.5 }),
    (e) => e.code === 'INVALID_PARAMS' && e.path === 'costPresure');
});

test('application errors carry their string code and ids', () => {
  const s = loadSync();
  assert.throws(() => s.validate({ nodes: [{ id: 'a', kind: 'intent' }, { id: 'a', kind: 'intent' }], edges: [] }),
    (e) => e.code === 'DUPLICATE_NODE' && e.rpcCode <= -32000 && e.rpcCode >= -32099 && e.ids.includes('a'));
  assert.throws(() => s.call('graph.query', { handle: 'g404', query: 'snapshot' }),
    (e) => e.code === 'UNKNOWN_HANDLE' && e.path === 'handle');
});

test('protocol errors map their numeric code', () => {
  const s = loadSync();
  assert.throws(() => s.call('no.such.method'), (e) => e.code === 'METHOD_NOT_FOUND' && e.rpcCode === -32601);
  assert.throws(() => s.call(''), (e) => e.code === 'INVALID_ARGUMENT');
  assert.throws(() => s.call(42), (e) => e.code === 'INVALID_ARGUMENT');
});

test('a panic inside a method is INTERNAL and the instance stays usable', () => {
  const s = loadSync();
  assert.throws(() => s.call('debug.panic', {}), (e) => e.code === 'INTERNAL' && e.rpcCode === -32603);
  assert.equal(s.version().abi, '1.0');
});

test('batch returns one settled entry per call, in call order', async () => {
  for (const c of [loadSync(), await load()]) {
    const out = await c.batch([
      { method: 'dilation.compute', params: { uncertainty: 1, costPressure: 0, confidence: 0 } },
      { method: 'nope' },
      { method: 'version' },
      { method: 'dilation.fromHealth', params: { health: 2 } },
    ]);
    assert.equal(out.length, 4);
    assert.deepEqual(out[0], { ok: true, result: { d: 2 } });
    assert.equal(out[1].ok, false);
    assert.ok(out[1].error instanceof CegError);
    assert.equal(out[1].error.code, 'METHOD_NOT_FOUND');
    assert.equal(out[1].error.method, 'nope');
    assert.equal(out[2].result.abi, '1.0');
    assert.equal(out[3].ok, false);
    assert.equal(out[3].error.code, 'INVALID_PARAMS');
  }
});

test('an empty batch is the module\'s INVALID_REQUEST', () => {
  assert.throws(() => loadSync().batch([]), (e) => e.code === 'INVALID_REQUEST' && e.rpcCode === -32600);
});

test('a notification (no id) runs and gets no reply', async () => {
  const s = loadSync();
  assert.equal(s.notify('version'), undefined);
  assert.equal(s.callRaw('{"jsonrpc":"2.0","method":"version","params":{}}'), '');
  // It really ran: a notification that creates a graph takes handle g1.
  s.notify('graph.create', { graph: { nodes: [], edges: [] } });
  assert.equal(s.graph().handle, 'g2.' + s.epoch());
  const a = await load();
  assert.equal(await a.notify('version'), undefined);
  assert.equal(await a.callRaw('[{"jsonrpc":"2.0","method":"version"}]'), '', 'a batch of notifications gets no reply');
});

test('callRaw passes exact bytes in and out', async () => {
  const s = loadSync();
  const req = '{"jsonrpc":"2.0","id":"x-1","method":"dilation.compute","params":{"uncertainty":1,"costPressure":0,"confidence":0}}';
  assert.equal(s.callRaw(req), '{"jsonrpc":"2.0","id":"x-1","result":{"d":2}}');
  assert.equal(s.callRaw('{"jsonrpc":"2.0","id":7,"method":"version","params":{}'),
    '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error: the request is not valid JSON","data":{"code":"PARSE_ERROR"}}}');
  const a = await load();
  assert.equal(await a.callRaw(req), '{"jsonrpc":"2.0","id":"x-1","result":{"d":2}}');
});

test('non-ASCII text survives the UTF-8 round trip', () => {
  const s = loadSync();
  const g = s.graph({ nodes: [{ id: 'intent-é', kind: 'intent', text: 'Prix du 🥐 aujourd\'hui ?', label: '日本語' }], edges: [] });
  const n = g.getNode('intent-é');
  assert.equal(n.text, 'Prix du 🥐 aujourd\'hui ?');
  assert.equal(n.label, '日本語');
});

test('bad helper arguments: INVALID_ARGUMENT, as a rejection in the async API', async () => {
  const a = await load();
  const p = a.grounding(2, 8);
  assert.ok(p instanceof Promise, 'an async helper never throws synchronously');
  await assert.rejects(p, (e) => e.code === 'INVALID_ARGUMENT' && /grounding/.test(e.message));
  await assert.rejects(a.optimize(null), (e) => e.code === 'INVALID_ARGUMENT');
  await assert.rejects(a.call(''), (e) => e.code === 'INVALID_ARGUMENT');
  assert.throws(() => loadSync().estimate('hi', 'fast'), (e) => e.code === 'INVALID_ARGUMENT');
});
