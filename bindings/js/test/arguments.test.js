'use strict';
// Fail closed in the binding (issue 9, item 4): a value JSON.stringify would
// change or refuse — NaN, ±Infinity, a BigInt, a cycle, nesting past the
// limit, a lone surrogate, a Map, undefined in an array — is INVALID_ARGUMENT
// with the JSON path, and nothing is sent. Every error the API throws is a
// CegError with a code.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync, CegError } = require('../index.js');
const { check, MAX_DEPTH } = require('../rpc.js');
const { quiet } = require('./helpers/quiet.js');

function circular() {
  const o = { a: { list: [] } };
  o.a.list.push(o);
  return o;
}

function deep(n) {
  const root = {};
  let d = root;
  for (let i = 0; i < n; i++) { d.x = {}; d = d.x; }
  return root;
}

const BAD = [
  ['NaN', { node: { id: 'r', kind: 'resource', health: NaN } }, 'node.health'],
  ['Infinity', { node: { id: 'r', kind: 'resource', costPerToken: Infinity } }, 'node.costPerToken'],
  ['-Infinity', { node: { id: 'r', kind: 'intent', embedding: [0.5, -Infinity] } }, 'node.embedding[1]'],
  ['BigInt', { node: { id: 'r', kind: 'intent', tokens: 10n } }, 'node.tokens'],
  ['circular', { node: { id: 'r', kind: 'intent', meta: circular() } }, 'node.meta.a.list[0]'],
  ['too deep', { node: { id: 'r', kind: 'intent', meta: deep(9000) } }, null],
  ['lone high surrogate', { node: { id: 'r\ud800', kind: 'intent' } }, 'node.id'],
  ['lone low surrogate in a key', { node: { id: 'r', kind: 'intent', meta: { ['k\udc00']: 1 } } }, 'node.meta["k\\udc00"]'],
  ['Map', { node: { id: 'r', kind: 'intent', meta: new Map([['a', 1]]) } }, 'node.meta'],
  ['undefined in an array', { node: { id: 'r', kind: 'intent', labels: ['a', undefined] } }, 'node.labels[1]'],
  ['symbol', { node: { id: Symbol('r'), kind: 'intent' } }, 'node.id'],
  ['typed array', { node: { id: 'r', kind: 'intent', embedding: new Float64Array([1, 2]) } }, 'node.embedding'],
];

test('check names the path of every value JSON cannot carry unchanged', () => {
  for (const [name, params, path] of BAD) {
    assert.throws(() => check(params), (e) => {
      assert.ok(e instanceof CegError, name);
      assert.equal(e.code, 'INVALID_ARGUMENT', name);
      if (path !== null) assert.equal(e.path, path, name);
      else assert.ok(e.path.startsWith('node.meta.x.x'), name);
      assert.match(e.message, /nothing was sent/);
      return true;
    }, name);
  }
  assert.equal(MAX_DEPTH, 512);
  check(deep(MAX_DEPTH - 1));
  assert.throws(() => check(deep(MAX_DEPTH + 1)), /nested deeper than 512/);
});

test('fine values pass: pairs of surrogates, Dates, boxed primitives, undefined members', () => {
  check({ s: 'ok \ud83d\ude00', d: new Date(0), n: Object(1), b: Object(true), u: undefined, f() {}, nested: [[1, 'x', null, false]] });
  // Shared (not circular) references are fine.
  const shared = { a: 1 };
  check({ x: shared, y: [shared, shared] });
});

test('loadSync: nothing is sent and the graph is unchanged', () => {
  const ceg = loadSync(quiet().options);
  const g = ceg.graph();
  for (const [name, params, path] of BAD) {
    assert.throws(() => g.addNode(params.node), (e) => e instanceof CegError && e.code === 'INVALID_ARGUMENT' &&
      (path === null || e.path === 'ops[0].' + path), name);
  }
  assert.equal(g.snapshot().nodes, 0, 'no op reached the module');
  // The fail-open cases through the typed helpers.
  assert.throws(() => ceg.dilationFromHealth(NaN, 1), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'health');
  assert.throws(() => ceg.optimize({ graph: { nodes: [], edges: [] }, contract: { id: 'c', intent: 'x', constraints: { maxCost: Infinity } } }),
    (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'contract.constraints.maxCost');
  const s = ceg.execute({ graph: { nodes: [{ id: 'r', kind: 'resource', provider: 'r', capabilities: ['chat'] }], edges: [] }, contract: { id: 'c', intent: 'hi' } });
  assert.throws(() => s.report(1000, [{ step: 'step-intent', attempt: 1, status: 'ok', cost: Infinity }]),
    (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'outcomes[0].cost');
  assert.throws(() => s.report(NaN, []), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'now');
  assert.equal(s.status, 'running');
});

test('load and batch: rejected Promises, batch paths carry the call index', async () => {
  const ceg = await load(quiet().options);
  await assert.rejects(ceg.dilation({ uncertainty: NaN, costPressure: 0, confidence: 0 }), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'uncertainty');
  await assert.rejects(ceg.batch([{ method: 'version' }, { method: 'dilation.compute', params: { uncertainty: 1n } }]),
    (e) => e.code === 'INVALID_ARGUMENT' && e.path === '[1].uncertainty');
  await assert.rejects(ceg.notify('dilation.compute', { uncertainty: -Infinity }), (e) => e.code === 'INVALID_ARGUMENT');
  const w = await load({ worker: true, ...quiet().options });
  try {
    await assert.rejects(w.call('dilation.compute', circular()), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'a.list[0]');
  } finally { await w.close(); }
});

test('every API error is a CegError with a code (odd arguments to every helper)', async () => {
  const sync = loadSync(quiet().options);
  const async_ = await load(quiet().options);
  const odd = [undefined, null, 0, NaN, -1, '', 'x', true, [], {}, [NaN], { a: 1n }, Symbol('s'), () => 1, new Map(), circular(), 10n];
  let errors = 0;
  for (const ceg of [sync, async_]) {
    const g = await ceg.graph();
    const s = await ceg.execute({ graph: { nodes: [{ id: 'r', kind: 'resource', provider: 'r', capabilities: ['chat'] }], edges: [] }, contract: { id: 'c', intent: 'hi' } });
    const fns = [];
    for (const k of ['version', 'validate', 'graph', 'openGraph', 'dilation', 'dilationFromHealth', 'grounding', 'estimate', 'optimize', 'reoptimize',
      'execute', 'restore', 'simulate', 'verifyTrace', 'setTraceKey', 'call', 'notify', 'batch', 'callRaw']) fns.push([k, ceg[k].bind(ceg)]);
    for (const k of ['addNode', 'removeNode', 'addEdge', 'removeEdge', 'swapNode', 'apply', 'getNode', 'nodesByKind', 'edgesFrom', 'edgesTo', 'blockedBy', 'requiredBy']) fns.push(['graph.' + k, g[k].bind(g)]);
    for (const k of ['report']) fns.push(['session.' + k, s[k].bind(s)]);
    for (const [name, f] of fns) {
      for (const a of odd) {
        for (const args of [[a], [a, a], ['x', a, a]]) {
          let r;
          try {
            r = f(...args);
            if (r && typeof r.then === 'function') r = await r;
          } catch (e) {
            errors++;
            assert.ok(e instanceof CegError, `${name}(${args.map(String)}) threw ${e && e.name}: ${e && e.message}`);
            assert.equal(typeof e.code, 'string', name);
          }
        }
      }
    }
  }
  assert.ok(errors > 500, `odd arguments were refused (${errors} errors)`);
});

test('fuzz: check refuses exactly the values JSON would change (seeded, 3,000 random values)', () => {
  let seed = 0x9e3779b9;
  const rnd = (n) => { seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0; return seed % n; };
  const bad = [NaN, Infinity, -Infinity, 7n, '\ud800', 'x\udfff', Symbol('s'), new Set([1])];
  const good = [0, -0.5, 1e-7, 1e21, '', 'é', '\ud83d\ude00', true, false, null];
  function gen(depth, poison) {
    const k = rnd(depth > 4 ? 2 : 4);
    if (k === 0 || k === 1) {
      if (poison.left > 0 && rnd(6) === 0) { poison.left--; poison.used = true; return bad[rnd(bad.length)]; }
      return good[rnd(good.length)];
    }
    if (k === 2) return Array.from({ length: rnd(4) }, () => gen(depth + 1, poison));
    const o = {};
    for (let i = rnd(4); i > 0; i--) o['k' + i] = gen(depth + 1, poison);
    return o;
  }
  let refused = 0;
  for (let i = 0; i < 3000; i++) {
    const poison = { left: rnd(3) === 0 ? 1 : 0, used: false };
    const v = { root: gen(0, poison) };
    let err = null;
    try { check(v); } catch (e) { err = e; }
    if (poison.used) {
      assert.ok(err && err.code === 'INVALID_ARGUMENT' && typeof err.path === 'string', `case ${i}: a poisoned value passed`);
      refused++;
    } else {
      assert.equal(err, null, `case ${i}: a clean value was refused: ${err && err.message}`);
      // What passes survives JSON unchanged (-0 aside, which JSON writes as 0).
      const back = JSON.parse(JSON.stringify(v));
      assert.deepEqual(back, JSON.parse(JSON.stringify(v, (k, x) => (Object.is(x, -0) ? 0 : x))));
    }
  }
  assert.ok(refused > 100, `poisoned cases were generated (${refused})`);
});
