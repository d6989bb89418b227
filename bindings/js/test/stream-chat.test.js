'use strict';
// @convergence-io/ceg/stream-chat, the drop-in for a chat server's
// grounding-policy module: every function against a JS transcription of the
// original's rules over a grid of inputs (defaults, clamping, falsy
// arguments, the environment). The transcription lives here; the
// implementation stays in the module.

const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const chat = require('../stream-chat.js');
const { loadSync } = require('../index.js');

const s = loadSync();

// ---- the original's rules, transcribed ------------------------------------
const O = { D_MIN: 0.1, D_MAX: 5.0, D_DEFAULT: 1.0 };
const clamp01 = (x) => Math.max(0, Math.min(1, x));
const clampD = (d) => Math.max(O.D_MIN, Math.min(O.D_MAX, d));
function origDilation(uncertainty, costPressure = 0, confidence = 0.5, collapseProximity = 0) {
  const u = clamp01(uncertainty), p = clamp01(costPressure), c = clamp01(confidence), x = clamp01(collapseProximity);
  const raw = clampD((1 + u) / ((1 + c) * (1 + p)));
  return clampD((1 - x) * raw + x * O.D_MIN);
}
function origGrounding(D, { baseMaxResults = 5, baseMinSources = 2 } = {}) {
  const d = clampD(D);
  if (d <= 1) return { fetchExternal: d > 0.5, maxResults: baseMaxResults, minSources: baseMinSources, deepMode: false };
  return { fetchExternal: true, maxResults: Math.round(baseMaxResults * d), minSources: baseMinSources + (d >= 3 ? 1 : 0), deepMode: d >= 3 };
}
function origDue(last, now = Date.now(), cadence = 1800000) {
  if (!cadence || cadence <= 0) return false;
  if (!last) return true;
  return now - last >= cadence;
}

const near = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-9, `${what}: got ${a}, want ${b}`);
const units = [undefined, null, 0, 0.1, 0.25, 0.5, 0.8, 1, -0.5, 1.7, Infinity, -Infinity, '0.3', '', false, true];

test('the package path resolves to the adapter, in CommonJS and ESM', async () => {
  assert.equal(require('@convergence-io/ceg/stream-chat').buildBrainOrder, chat.buildBrainOrder);
  const esm = await import('@convergence-io/ceg/stream-chat');
  assert.equal(esm.buildBrainOrder, chat.buildBrainOrder);
  assert.equal(esm.default.observe, chat.observe);
});

test('constants are the original\'s', () => {
  assert.equal(chat.D_MIN, 0.1);
  assert.equal(chat.D_MAX, 5.0);
  assert.equal(chat.D_DEFAULT, 1.0);
  assert.equal(chat.GROUNDING_TICK_MS, Number.parseInt(process.env.GROUNDING_TICK_MS, 10) || 1800000);
});

test('dilation(u, p = 0, c = 0.5, x = 0) matches the original over a grid, defaults and clamping included', () => {
  let n = 0;
  for (const u of units) {
    if (u === undefined) continue; // the original requires u
    near(chat.dilation(u), origDilation(Number(u)), `dilation(${u})`);
    for (const p of units) {
      for (const c of [undefined, 0, 0.5, 1, 2, null]) {
        for (const x of [undefined, 0, 0.3, 1, -1]) {
          const args = [u, p, c, x];
          const want = origDilation(...args.map((v) => (v === undefined ? undefined : Number(v))));
          near(chat.dilation(...args), want, `dilation(${args.map(String)})`);
          n++;
        }
      }
    }
  }
  assert.ok(n > 1000, `${n} cases`);
  assert.equal(typeof chat.dilation(0.8), 'number');
});

test('dilation and groundingPolicy refuse what they cannot read instead of defaulting', () => {
  for (const bad of [NaN, 'abc', {}, [1, 2], Symbol.iterator, 10n]) {
    assert.throws(() => chat.dilation(bad), (e) => e instanceof chat.CegError && e.code === 'INVALID_ARGUMENT' && e.path === 'uncertainty');
    assert.throws(() => chat.groundingPolicy(bad), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'D');
  }
  assert.throws(() => chat.dilation(0.5, NaN), (e) => e.path === 'costPressure');
  assert.throws(() => chat.groundingPolicy(2, { baseMaxResults: 2.5 }), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'baseMaxResults');
  assert.throws(() => chat.groundingPolicy(2, { baseMinSources: -1 }), (e) => e.path === 'baseMinSources');
});

test('groundingPolicy(D, {baseMaxResults = 5, baseMinSources = 2} = {}) matches the original over a grid', () => {
  const ds = [-1, 0, 0.05, 0.1, 0.5, 0.51, 0.99, 1, 1.01, 1.5, 2, 2.49, 2.5, 2.99, 3, 3.3, 4.7, 5, 6, 1e9, -Infinity, Infinity, null, '2'];
  const bases = [undefined, {}, { baseMaxResults: 8 }, { baseMinSources: 4 }, { baseMaxResults: 0, baseMinSources: 0 }, { baseMaxResults: 3, baseMinSources: 1 }, { baseMaxResults: 1000 }];
  for (const d of ds) {
    for (const b of bases) {
      const got = b === undefined ? chat.groundingPolicy(d) : chat.groundingPolicy(d, b);
      assert.deepEqual(got, origGrounding(Number(d), b), `groundingPolicy(${d}, ${JSON.stringify(b)})`);
    }
  }
  assert.deepEqual(chat.groundingPolicy(2, null), origGrounding(2), 'a null options object is the defaults');
});

test('chatDilation(message, {confidence, collapseProximity}) is the D of the estimate, a number', () => {
  const msgs = ['hello', 'why is the latest price higher?? not sure', 'compare exact 2025 figures', '', 0, null, undefined, 42, false, { toString: () => 'why?' }];
  for (const m of msgs) {
    for (const o of [undefined, {}, { confidence: 0.9 }, { collapseProximity: 0.5 }, { confidence: 0, collapseProximity: 1 }]) {
      const text = String(m || '');
      const want = s.estimate(text, { confidence: o && o.confidence !== undefined ? o.confidence : 0.5, collapseProximity: o && o.collapseProximity !== undefined ? o.collapseProximity : 0 }).d;
      const got = o === undefined ? chat.chatDilation(m) : chat.chatDilation(m, o);
      assert.equal(typeof got, 'number');
      assert.equal(got, want, `chatDilation(${text}, ${JSON.stringify(o)})`);
    }
  }
  // the server's own line works: groundingPolicy(chatDilation(message))
  assert.deepEqual(chat.groundingPolicy(chat.chatDilation('why is the latest price higher??')), origGrounding(s.estimate('why is the latest price higher??').d));
});

test('isGroundingDue(last, now = Date.now(), cadence = GROUNDING_TICK_MS) is a time cadence', () => {
  const lasts = [undefined, null, 0, 1, 1000, 1_000_000, 5_000_000];
  const nows = [0, 999, 1000, 1_800_999, 1_801_000, 10_000_000];
  const cadences = [0, -5, null, undefined, 1, 1000, 1_800_000, NaN];
  for (const last of lasts) {
    for (const now of nows) {
      for (const cad of cadences) {
        const args = cad === undefined ? [last, now] : [last, now, cad];
        assert.equal(chat.isGroundingDue(...args), origDue(...args), `isGroundingDue(${args.map(String)})`);
      }
    }
  }
  assert.equal(chat.isGroundingDue(0), true, 'never grounded');
  assert.equal(chat.isGroundingDue(Date.now()), false, 'just grounded');
  assert.equal(chat.isGroundingDue(Date.now() - 1_900_000), true);
});

test('GROUNDING_TICK_MS reads the integer environment variable, else 1,800,000', () => {
  const file = path.join(__dirname, '..', 'stream-chat.js');
  const cases = [[undefined, 1800000], ['60000', 60000], ['2500ms', 2500], ['0', 0], ['-7', -7], ['abc', 1800000], ['', 1800000], [' 42 ', 42]];
  for (const [v, want] of cases) {
    const env = Object.assign({}, process.env);
    delete env.GROUNDING_TICK_MS;
    if (v !== undefined) env.GROUNDING_TICK_MS = v;
    const out = execFileSync(process.execPath, ['-e', `const c = require(${JSON.stringify(file)}); console.log(c.GROUNDING_TICK_MS, c.isGroundingDue(1, 1 + c.GROUNDING_TICK_MS))`], { env, encoding: 'utf8' });
    assert.equal(out.trim(), `${want} ${origDue(1, 1 + want, want)}`, `GROUNDING_TICK_MS=${v}`);
  }
});

test('the adapter keeps one lazily loaded engine', () => {
  assert.equal(chat.ceg(), chat.ceg());
  assert.equal(chat.ceg().sync, true);
});

test('providerOrder validates its providers before planning', () => {
  assert.deepEqual(chat.providerOrder([]), []);
  assert.throws(() => chat.providerOrder('openai'), (e) => e.code === 'INVALID_ARGUMENT');
  assert.throws(() => chat.providerOrder([{ model: 'x' }]), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'providers[0]');
  assert.throws(() => chat.providerOrder([{ name: 'a', costPerTokn: 1 }]), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'providers[0].costPerTokn');
});

const providers = [
  { name: 'fast-cheap', provider: 'alpha', costPerToken: 0.000001, latencyTargetMs: 800 },
  { name: 'mid', provider: 'beta', costPerToken: 0.000004, latencyTargetMs: 1500 },
  { name: 'slow-dear', provider: 'gamma', costPerToken: 0.00001, latencyTargetMs: 4000 },
];

test('providerOrder returns every eligible provider, best first', () => {
  const order = chat.providerOrder(providers, { text: 'hello' });
  assert.deepEqual([...order].sort(), ['fast-cheap', 'mid', 'slow-dear']);
  assert.equal(order[0], 'fast-cheap', 'cheapest and fastest wins');
  assert.equal(order[2], 'slow-dear');
  assert.deepEqual(chat.providerOrder(providers, { text: 'hello' }), order, 'deterministic');
});

test('providerOrder follows observed health and the contract', () => {
  const down = chat.providerOrder(providers, { health: { alpha: 0 } });
  assert.ok(!down.includes('fast-cheap'), 'a provider with health 0 is left out');
  assert.equal(down[0], 'mid');
  const forbidden = chat.providerOrder(providers, { contract: { forbiddenProviders: ['beta'] } });
  assert.deepEqual(forbidden, ['fast-cheap', 'slow-dear']);
  assert.deepEqual(chat.providerOrder(providers, { health: { alpha: 0, beta: 0, gamma: 0 } }), [], 'none eligible: empty');
});

test('the adapter\'s warm-up runs its turns in a worker and the module takes every request', async () => {
  const { warmUp } = require('../warmup.js');
  const { graphDoc, defaultConfig } = require('../chat/providers.js');
  const module = await WebAssembly.compile(require('node:fs').readFileSync(require('../index.js').DEFAULT_WASM));
  const r = await warmUp(module, { turns: 60, doc: graphDoc(defaultConfig()), contract: { id: 'chat-turn', intent: 'chat' }, weights: { latency: 2 } });
  assert.equal(r.error, undefined);
  assert.equal(r.turns, 60);
  assert.equal(r.failed, 0, 'no warm-up request was refused');
});

test('compileTieredUp compiles a usable module with and without eager tier-up', async () => {
  const { compileTieredUp } = require('../warmup.js');
  const bytes = require('node:fs').readFileSync(require('../index.js').DEFAULT_WASM);
  for (const eager of [true, false]) {
    const module = await compileTieredUp(bytes, eager);
    assert.ok(module instanceof WebAssembly.Module);
    assert.equal(loadSync({ wasm: module }).version().abi, '1.0', `eager ${eager}`);
  }
  await assert.rejects(compileTieredUp(new Uint8Array([0, 1, 2]), true), WebAssembly.CompileError);
  // A bad module leaves the flag as it was: the next compile still works.
  assert.ok((await compileTieredUp(bytes, true)) instanceof WebAssembly.Module);
});
