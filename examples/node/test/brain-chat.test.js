'use strict';
// examples/node/brain-chat: a chat server shaped like the original, moved to
// @convergence-io/ceg/stream-chat by its three require lines, run as its own
// process against the mock providers.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startProviders } = require('../mock-providers.js');
const { chat } = require('./sse.js');

const SERVER = path.join(__dirname, '..', 'brain-chat', 'server.js');
const KEYS = { ANTHROPIC_API_KEY: 'test', GEMINI_API_KEY: 'test', OPENAI_API_KEY: 'test', XAI_API_KEY: 'test' };
const NAMES = ['anthropic', 'gemini', 'openai', 'xai', 'ollama'];

/** startServer runs server.js and resolves with {url, stop, stderr} once it listens. */
function startServer(mocks, env = {}) {
  const urls = Object.fromEntries(mocks.map((m) => [m.name, m.url]));
  const child = spawn(process.execPath, [SERVER], {
    env: Object.assign({}, process.env, KEYS, { MOCK_URLS: JSON.stringify(urls), PORT: '0', PROVIDER_TIMEOUT_MS: '2000' }, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => { stderr += c; });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    child.stdout.on('data', (c) => {
      const m = /listening (\S+)/.exec(String(c));
      if (m) resolve({ url: m[1], stderr: () => stderr, stop: () => new Promise((r) => { child.removeAllListeners('exit'); child.on('exit', r); child.kill('SIGTERM'); }) });
    });
  });
}

const mocksWith = (behaviors) => startProviders(NAMES.map((name) => Object.assign({ name, behavior: 'healthy' }, behaviors[name] || {})));
const attempts = (events) => events.filter((e) => e.event === 'attempt').map((e) => e.data.provider);
const last = (events) => events[events.length - 1];

test('brain-chat: pinned leads, a healthy hint leads, unknown pins end cleanly', { timeout: 120000 }, async () => {
  const mocks = await mocksWith({});
  const srv = await startServer(mocks);
  try {
    const plain = await chat(srv.url, 'hello');
    assert.equal(plain[0].event, 'grounding');
    assert.equal(plain[1].event, 'order');
    assert.deepEqual([...plain[1].data.providers].sort(), [...NAMES].sort(), 'every callable provider');
    assert.equal(last(plain).event, 'done');
    const pinned = await chat(srv.url, 'hello', 15000, { provider: 'GPT' });
    assert.deepEqual(attempts(pinned), ['openai']);
    assert.equal(last(pinned).data.provider, 'openai');
    const hinted = await chat(srv.url, 'hello', 15000, { hint: 'grok' });
    assert.deepEqual(attempts(hinted), ['xai']);
    const unknown = await chat(srv.url, 'hello', 15000, { provider: 'mistral' });
    assert.deepEqual(unknown.map((e) => e.event), ['grounding', 'order', 'error']);
    assert.deepEqual(unknown[1].data.providers, []);
    assert.equal(srv.stderr(), '', 'preload: no synchronous-compile warning');
  } finally {
    await srv.stop();
    await Promise.all(mocks.map((m) => m.close()));
  }
});

test('brain-chat: a provider failing three turns in a row stops leading, and the state survives a restart', { timeout: 180000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ceg-brain-'));
  const stateFile = path.join(dir, 'breakers.json');
  const mocks = await mocksWith({ anthropic: { behavior: 'failing' } });
  let srv = await startServer(mocks, { CEG_STREAM_CHAT_STATE: stateFile });
  try {
    // Without a hint the failing provider leads only once.
    const first = await chat(srv.url, 'hello');
    const lead = attempts(first)[0];
    assert.equal(lead, 'anthropic', 'the plan\'s first choice with no history');
    assert.equal(first.find((e) => e.event === 'failover').data.provider, 'anthropic');
    assert.equal(last(first).event, 'done', 'the backstop answered');
    assert.notEqual(attempts(await chat(srv.url, 'hello'))[0], 'anthropic', 'failed last turn: does not lead');
    // With the user's hint it keeps leading until its breaker opens (third failure in a row).
    assert.equal(attempts(await chat(srv.url, 'hi', 15000, { hint: 'claude' }))[0], 'anthropic');
    assert.equal(attempts(await chat(srv.url, 'hi', 15000, { hint: 'claude' }))[0], 'anthropic');
    const opened = await chat(srv.url, 'hi', 15000, { hint: 'claude' });
    assert.notEqual(attempts(opened)[0], 'anthropic', 'three failures in a row: the breaker is open, the hint no longer leads');
    assert.equal(last(opened).event, 'done');
    const health = await (await fetch(`${srv.url}/health`)).json();
    assert.equal(health.breakers.anthropic.state, 'circuit_open');
    assert.equal(health.providers.anthropic.failures, 3, 'the server\'s own provider cache still records');
    await srv.stop();
    srv = await startServer(mocks, { CEG_STREAM_CHAT_STATE: stateFile });
    const again = await (await fetch(`${srv.url}/health`)).json();
    assert.equal(again.breakers.anthropic.state, 'circuit_open', 'restored from the state file');
    assert.equal(again.providers.anthropic.failures, 0, 'a new process: the server\'s own cache starts empty');
    const after = await chat(srv.url, 'hi', 15000, { hint: 'claude' });
    assert.notEqual(attempts(after)[0], 'anthropic', 'the restarted server does not lead with the open provider');
    assert.equal(attempts(after).includes('anthropic'), false, 'it answered before reaching it');
  } finally {
    await srv.stop();
    await Promise.all(mocks.map((m) => m.close()));
  }
});

test('brain-chat: every provider failing gives one clean error event', { timeout: 120000 }, async () => {
  const mocks = await mocksWith(Object.fromEntries(NAMES.map((n) => [n, { behavior: n === 'xai' ? 'quota' : 'failing' }])));
  const srv = await startServer(mocks);
  try {
    const events = await chat(srv.url, 'hello');
    assert.deepEqual([...attempts(events)].sort(), [...NAMES].sort(), 'every provider tried once');
    assert.equal(events.filter((e) => e.event === 'failover').length, 5);
    assert.deepEqual(last(events), { event: 'error', data: { message: 'every provider failed (5 attempts)', attempts: 5 } });
    const health = await (await fetch(`${srv.url}/health`)).json();
    assert.equal(health.breakers.xai.state, 'quota_hit', 'HTTP 429 is a quota back-off');
  } finally {
    await srv.stop();
    await Promise.all(mocks.map((m) => m.close()));
  }
});
