'use strict';
// The package as a user installs it: `npm pack`, install the tarball into an
// empty project (no network), then use @convergence-io/ceg/stream-chat from
// CommonJS, ESM and TypeScript and run a turn.

const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm pack installs into an empty project and works there (CommonJS, ESM, types)', { timeout: 300000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ceg-pack-'));
  const out = execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out);
  const files = info.files.map((f) => f.path);
  for (const f of ['bindings/js/stream-chat.js', 'bindings/js/stream-chat.mjs', 'bindings/js/stream-chat.d.ts', 'bindings/js/chat/adapter.js', 'bindings/js/warmup-worker.js', 'bindings/js/ceg.wasm', 'docs/GUIDE.md']) {
    assert.ok(files.includes(f), `the tarball holds ${f}`);
  }
  assert.ok(!files.some((f) => f.includes('/test/')), 'no tests in the tarball');

  const app = path.join(dir, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', path.join(dir, info.filename)], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });

  const env = Object.assign({}, process.env, { OPENAI_API_KEY: 'k', XAI_API_KEY: 'k' });
  fs.writeFileSync(path.join(app, 'turn.cjs'), `
    const chat = require('@convergence-io/ceg/stream-chat');
    chat.preload().then(() => {
      const order = chat.buildBrainOrder({ requestedProvider: 'grok' });
      const cache = chat.observe({ recordProviderSuccess() {}, recordProviderFailure() {} });
      cache.recordProviderFailure(order[0], 'HTTP 500');
      console.log(JSON.stringify({ order, next: chat.buildBrainOrder(), g: chat.groundingPolicy(chat.chatDilation('why??')) }));
    });`);
  const cjs = JSON.parse(execFileSync(process.execPath, ['turn.cjs'], { cwd: app, env, encoding: 'utf8' }));
  assert.equal(cjs.order[0], 'xai');
  assert.deepEqual([...cjs.order].sort(), ['ollama', 'openai', 'xai']);
  assert.equal(cjs.next.length, 3);
  assert.equal(typeof cjs.g.fetchExternal, 'boolean');

  fs.writeFileSync(path.join(app, 'turn.mjs'), `
    import { buildBrainOrder, preload, dilation } from '@convergence-io/ceg/stream-chat';
    import { loadSync } from '@convergence-io/ceg';
    await preload({ warmUp: false });
    console.log(JSON.stringify({ order: buildBrainOrder({ hintProvider: 'gpt' }), d: dilation(0.8), v: loadSync().version().abi }));`);
  const esm = JSON.parse(execFileSync(process.execPath, ['turn.mjs'], { cwd: app, env, encoding: 'utf8' }));
  assert.equal(esm.order[0], 'openai');
  assert.equal(esm.d, 1.2);
  assert.ok(esm.v);

  fs.writeFileSync(path.join(app, 'turn.ts'), `
    import { buildBrainOrder, observe, configure, type ProviderName } from '@convergence-io/ceg/stream-chat';
    const order: ProviderName[] = buildBrainOrder({ requestedProvider: 'claude' });
    const c = observe({ recordProviderSuccess: (id: string) => id });
    configure({ providers: { ollama: { latencyTargetMs: 4000 } } });
    console.log(order, c);`);
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [] }, files: ['turn.ts'] }));
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });

  const bad = path.join(app, 'bad.ts');
  fs.writeFileSync(bad, `import { buildBrainOrder } from '@convergence-io/ceg/stream-chat';\nconst n: number = buildBrainOrder();\n`);
  fs.writeFileSync(path.join(app, 'tsconfig.bad.json'), JSON.stringify({ extends: './tsconfig.json', files: ['bad.ts'] }));
  assert.throws(() => execFileSync(process.execPath, [tsc, '-p', 'tsconfig.bad.json'], { cwd: app, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), 'the types are really checked');
  fs.rmSync(dir, { recursive: true, force: true });
});
