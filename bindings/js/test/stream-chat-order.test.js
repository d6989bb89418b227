'use strict';
// @convergence-io/ceg/stream-chat as the chat server's provider order and
// provider cache: buildBrainOrder against a transcription of the original's
// pin, alias and callable rules over a grid; learning from reported
// outcomes; configuration, the state file and the fallback. Adapters here
// are private instances with their own environment and clock.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const chat = require('../stream-chat.js');
const { Adapter } = require('../chat/adapter.js');
const { graphDoc, defaultConfig } = require('../chat/providers.js');
const { loadSync, CegError } = require('../index.js');

// ---- the original's rules, transcribed --------------------------------------
const ALL = ['anthropic', 'gemini', 'openai', 'xai', 'ollama'];
const KEYS = { anthropic: ['ANTHROPIC_API_KEY'], gemini: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], openai: ['OPENAI_API_KEY'], xai: ['XAI_API_KEY'], ollama: [] };
function origCanonical(name) {
  const n = String(name || '').trim().toLowerCase();
  if (ALL.includes(n)) return n;
  if (n === 'claude' || n === 'claude-sonnet') return 'anthropic';
  if (n === 'google' || n.startsWith('gemini-')) return 'gemini';
  if (n === 'gpt') return 'openai';
  if (n === 'grok') return 'xai';
  if (n === 'local') return 'ollama';
  return null;
}
const origCallable = (env) => ALL.filter((p) => KEYS[p].length === 0 || KEYS[p].some((k) => env[k]));

const quietAdapter = (env, extra) => {
  const lines = [];
  let clock = 1_000_000;
  const a = new Adapter(Object.assign({ env, stderr: (l) => lines.push(l), now: () => clock }, extra));
  return { a, lines, tick: (ms) => { clock += ms; }, at: () => clock };
};
const everyKey = { ANTHROPIC_API_KEY: 'k', GEMINI_API_KEY: 'k', OPENAI_API_KEY: 'k', XAI_API_KEY: 'k' };

test('buildBrainOrder keeps the original pin, alias and callable rules over a grid', () => {
  const names = [undefined, '', 'claude', 'CLAUDE-SONNET', ' gpt ', 'Grok', 'local', 'google', 'gemini-1.5-pro', 'openai', 'ollama', 'nope', 'mistral', 0, null];
  const keySets = [];
  for (let mask = 0; mask < 32; mask++) {
    const env = {};
    ['ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY', 'OPENAI_API_KEY', 'XAI_API_KEY'].forEach((k, i) => { if (mask & (1 << i)) env[k] = 'key'; });
    if (mask === 31) env.ANTHROPIC_API_KEY = ''; // an empty key is no key
    keySets.push(env);
  }
  const engine = loadSync();
  const planOrder = (() => {
    const p = engine.optimize({ graph: graphDoc(defaultConfig()), contract: { id: 'chat-turn', intent: 'chat' } });
    return [p.steps[0].resource, ...p.steps[0].fallbacks.map((f) => f.resource)];
  })();
  let n = 0;
  for (const env of keySets) {
    const { a } = quietAdapter(env);
    const can = origCallable(env);
    for (const requestedProvider of names) {
      for (const hintProvider of names) {
        const got = a.order({ requestedProvider, hintProvider });
        n++;
        const label = `env=${Object.keys(env).join('+')} req=${requestedProvider} hint=${hintProvider}`;
        assert.equal(new Set(got).size, got.length, `no duplicates: ${label}`);
        if (requestedProvider) {
          const pin = origCanonical(requestedProvider);
          if (!pin || !can.includes(pin)) { assert.deepEqual(got, [], label); continue; }
          assert.equal(got[0], pin, `pinned leads: ${label}`);
          assert.deepEqual([...got].sort(), [...can].sort(), `every callable provider backs the pin up: ${label}`);
          continue;
        }
        assert.deepEqual([...got].sort(), [...can].sort(), `only and every callable provider: ${label}`);
        const hint = origCanonical(hintProvider);
        if (hint && can.includes(hint)) assert.equal(got[0], hint, `a healthy hint leads: ${label}`);
        else assert.deepEqual(got, planOrder.filter((p) => can.includes(p)), `the plan's order: ${label}`);
      }
    }
  }
  assert.ok(n > 7000, `${n} cases`);
  assert.equal(planOrder[planOrder.length - 1], 'ollama', 'the local model is the last resort');
});

test('a provider that failed last turn does not lead; three failures open its breaker; the probe closes it', () => {
  const { a, tick } = quietAdapter(everyKey);
  const first = a.order({});
  const lead = first[0];
  a.record(lead, 'error');
  assert.notEqual(a.order({})[0], lead, 'failed once: no longer leads');
  assert.ok(a.order({}).includes(lead), 'still in the chain');
  a.record(lead, 'error');
  a.record(lead, 'timeout');
  assert.equal(a.current()[lead].state, 'circuit_open');
  const open = a.order({});
  assert.equal(open[open.length - 1], lead, 'an open breaker puts it last, never drops it');
  assert.equal(a.order({ hintProvider: lead })[0] === lead, false, 'a hint with an open breaker does not lead');
  assert.equal(a.order({ requestedProvider: lead })[0], lead, 'a pin leads whatever its breaker');
  tick(30_001);
  assert.ok(a.order({}).includes(lead));
  a.record(lead, 'ok', 800);
  assert.equal(a.current()[lead].state, 'available', 'the probe after the open time closes it');
  assert.deepEqual(a.order({}), first, 'healthy again: the plan\'s order is back');
});

test('every other provider failing leaves the chain complete; quota backs off for 60 s', () => {
  const { a, tick } = quietAdapter(everyKey);
  for (const p of ALL) for (let i = 0; i < 3; i++) a.record(p, 'error');
  assert.deepEqual([...a.order({})].sort(), [...ALL].sort(), 'all open: every provider still offered');
  a.reset();
  a.record('xai', 'quota');
  assert.equal(a.current().xai.state, 'quota_hit');
  assert.equal(a.order({ hintProvider: 'grok' })[0] === 'xai', false);
  tick(60_000);
  assert.equal(a.order({ hintProvider: 'grok' })[0], 'xai', 'the back-off ended');
});

test('a contract denial removes a provider, even a pinned one; other rejections go last', () => {
  const { a } = quietAdapter(everyKey);
  a.configure({ contract: { forbiddenProviders: ['openai'] }, providers: { xai: { health: 0 } } });
  const order = a.order({});
  assert.ok(!order.includes('openai'), 'forbidden never appears');
  assert.equal(order[order.length - 1], 'xai', 'down goes last');
  assert.deepEqual(a.order({ requestedProvider: 'gpt' }), []);
  assert.match(a.last.why, /denied/);
  a.configure({ providers: { openai: { health: 0 } } });
  assert.ok(!a.order({}).includes('openai'), 'a denied provider that is also down stays denied');
  a.configure({ contract: { forbiddenProviders: [], constraints: { maxCost: 0.000001 } } });
  assert.deepEqual(a.order({}), ['ollama', 'anthropic', 'gemini', 'openai', 'xai'], 'only the free model is within budget: it leads, the rest follow in table order');
});

test('configure checks what it is given and keeps the previous configuration on error', () => {
  const { a } = quietAdapter(everyKey);
  const before = a.order({});
  assert.throws(() => a.configure({ providers: { openai: { health: 2 } } }), (e) => e instanceof CegError && e.code === 'INVALID_ARGUMENT' && e.path === 'configure.providers.openai.health');
  assert.throws(() => a.configure({ providers: { mistral: {} } }), (e) => e.path === 'configure.providers.mistral');
  assert.throws(() => a.configure({ providers: { openai: { costPerToken: NaN } } }), (e) => e.path === 'configure.providers.openai.costPerToken');
  assert.throws(() => a.configure({ contrat: {} }), (e) => e.path === 'configure.contrat');
  assert.throws(() => a.configure({ weights: { latency: -1 } }), (e) => e.code === 'INVALID_PARAMS' && /^configure\.weights/.test(e.path));
  assert.deepEqual(a.order({}), before, 'nothing changed');
  const c = a.configure({ providers: { claude: { costPerToken: 0.0000001, latencyTargetMs: 500 } } });
  assert.equal(c.providers.anthropic.latencyTargetMs, 500);
  assert.equal(a.order({})[0], 'anthropic');
});

test('CEG_STREAM_CHAT_CONFIG names a JSON file of overrides; a bad one is said and ignored', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ceg-chat-'));
  const good = path.join(dir, 'good.json');
  fs.writeFileSync(good, JSON.stringify({ providers: { ollama: { latencyTargetMs: 300, costPerToken: 0 } } }));
  const g = quietAdapter(Object.assign({ CEG_STREAM_CHAT_CONFIG: good }, everyKey));
  assert.equal(g.a.order({})[0], 'ollama', 'a fast free local model now wins');
  const badFile = path.join(dir, 'bad.json');
  fs.writeFileSync(badFile, '{"providers": {"ollama": {"latencyTargetMs": -1}}}');
  const b = quietAdapter(Object.assign({ CEG_STREAM_CHAT_CONFIG: badFile }, everyKey));
  assert.equal(b.a.order({}).length, 5);
  const said = b.lines.filter((l) => /CEG_STREAM_CHAT_CONFIG/.test(l));
  assert.equal(said.length, 1, b.lines.join('\n'));
  assert.match(said[0], /ignoring CEG_STREAM_CHAT_CONFIG=.*latencyTargetMs/);
});

test('CEG_STREAM_CHAT_STATE keeps the breakers across a restart; a damaged file is said and ignored', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ceg-chat-'));
  const file = path.join(dir, 'state', 'breakers.json');
  const env = Object.assign({ CEG_STREAM_CHAT_STATE: file }, everyKey);
  const one = quietAdapter(env);
  const lead = one.a.order({})[0];
  for (let i = 0; i < 3; i++) one.a.record(lead, 'error');
  const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(saved.format, 'ceg-stream-chat-state/1');
  assert.equal(saved.breakers[lead].state, 'circuit_open');
  const two = quietAdapter(env); // a new process, same clock
  assert.notEqual(two.a.order({})[0], lead, 'the restarted adapter remembers the open breaker');
  assert.deepEqual(two.a.current(), one.a.current());
  fs.writeFileSync(file, JSON.stringify({ format: 'ceg-stream-chat-state/1', breakers: { openai: { state: 'open', errors: 3, level: 1 } } }));
  const three = quietAdapter(env);
  assert.equal(three.a.order({}).length, 5);
  assert.match(three.lines.join('\n'), /ignoring the breakers of the state file.*breaker state must be one of .*got "open"/);
  fs.writeFileSync(file, 'not json');
  const four = quietAdapter(env);
  assert.equal(four.a.order({}).length, 5);
  assert.match(four.lines.join('\n'), /ignoring the state file/);
});

test('if the module cannot load, the original rule answers and stderr says so once', () => {
  const broken = { loadSync: () => { throw new CegError('LOAD_FAILED', 'ceg: cannot read the module'); }, DEFAULT_WASM: '/nonexistent' };
  const { a, lines } = quietAdapter({ OPENAI_API_KEY: 'k', XAI_API_KEY: 'k' }, { index: broken });
  assert.deepEqual(a.order({}), ['openai', 'xai', 'ollama']);
  assert.deepEqual(a.order({ hintProvider: 'grok' }), ['xai', 'openai', 'ollama']);
  assert.deepEqual(a.order({ requestedProvider: 'local' }), ['ollama', 'openai', 'xai']);
  assert.deepEqual(a.order({ requestedProvider: 'claude' }), [], 'not callable');
  assert.equal(a.record('openai', 'error'), false, 'an outcome is not lost silently');
  assert.equal(lines.filter((l) => /planning unavailable/.test(l)).length, 1, lines.join('\n'));
  assert.equal(a.last.planned, false);
});

test('observe(providerCache) keeps every member and teaches the next turn', () => {
  const calls = [];
  const cache = {
    getProviderState: (id) => `state of ${id}`,
    recordProviderSuccess: (id, meta) => { calls.push(['ok', id, meta]); return 'S'; },
    recordProviderFailure: (id, error) => { calls.push(['fail', id, error]); return 'F'; },
    PROVIDER_TTL_MS: 60000,
  };
  const wrapped = chat.observe(cache);
  assert.deepEqual(Object.keys(wrapped).sort(), Object.keys(cache).sort());
  assert.equal(wrapped.getProviderState('xai'), 'state of xai');
  assert.equal(wrapped.PROVIDER_TTL_MS, 60000);
  chat.reset();
  process.env.OPENAI_API_KEY = process.env.OPENAI_API_KEY || 'test-key';
  const lead = chat.buildBrainOrder()[0];
  assert.equal(wrapped.recordProviderFailure(lead, new Error('HTTP 500')), 'F');
  assert.notEqual(chat.buildBrainOrder()[0], lead, 'the failure reached the adapter');
  assert.equal(wrapped.recordProviderSuccess(lead, { latency_ms: 420 }), 'S');
  assert.equal(chat.breakers()[lead].latencyEmaMs, 420);
  assert.equal(wrapped.recordProviderSuccess('not-a-provider'), 'S', 'unknown ids still reach the original');
  wrapped.recordProviderFailure('grok', 'HTTP 429 rate limited');
  assert.equal(chat.breakers().xai.state, 'quota_hit');
  wrapped.recordProviderFailure('local', 'request timed out');
  assert.equal(chat.breakers().ollama.errors, 1);
  assert.deepEqual(calls.map((c) => c[0]), ['fail', 'ok', 'ok', 'fail', 'fail']);
  assert.deepEqual(calls[1], ['ok', lead, { latency_ms: 420 }]);
  assert.throws(() => chat.observe(null), (e) => e.code === 'INVALID_ARGUMENT');
  chat.reset();
});

test('preload compiles asynchronously and warms the module up in a worker', async () => {
  const { a, lines } = quietAdapter(everyKey);
  const p = a.preload({ turns: 20 });
  assert.ok(p instanceof Promise);
  const info = await p;
  assert.equal(info.preloaded, true);
  assert.ok(a.module instanceof WebAssembly.Module);
  assert.equal(a.order({}).length, 5);
  assert.deepEqual(lines, [], 'no synchronous-compile warning after preload');
  const { warmUp } = require('../warmup.js');
  const r = await warmUp(a.module, { turns: 10, doc: graphDoc(defaultConfig()), contract: { id: 't', intent: 'chat' } });
  assert.equal(r.turns, 10, r.error);
});

test('the breakers kept in the module survive a replaced instance: the new graph handle is seeded from the adapter\'s copy', () => {
  const { a, tick } = quietAdapter(everyKey, { index: Object.assign({}, require('../index.js'), { loadSync: (o) => loadSync(Object.assign({ onRecreate: () => {}, stderr: () => {} }, o)) }) });
  const lead = a.order({})[0];
  for (const s of ['error', 'error', 'timeout']) a.record(lead, s);
  const before = a.order({});
  assert.equal(before[before.length - 1], lead, 'open: last');
  const handle = a.graph.handle;
  assert.throws(() => a.ceg()[Symbol.for('@convergence-io/ceg/debugTrap')](), (e) => e.code === 'INSTANCE_TRAPPED');
  a.record('xai', 'ok', 700); // an outcome after the trap goes to a new handle
  const after = a.order({});
  assert.notEqual(a.graph.handle, handle, 'a new handle on the new instance');
  assert.equal(after[after.length - 1], lead, 'the open breaker came along');
  assert.equal(a.current()[lead].state, 'circuit_open');
  assert.equal(a.current().xai.samples, 1);
  tick(30_001);
  a.record(lead, 'ok', 800);
  assert.equal(a.current()[lead].state, 'available', 'and its probe still closes it');
});
